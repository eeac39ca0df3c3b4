package tui

import (
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// Every screen cuts its checkpoints at the same instants of the clock
// (exposureTick ticks on multiples of checkpointEvery), so that the hub
// writes them together. An interval a little younger than checkpointEvery
// at a tick (the program took the tick before late, or the interval began
// just after a quarter-minute) is cut too, not left to run a second round.
func TestCheckpointCutsAtTheSharedTick(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	h.clock.Advance(checkpointEvery - checkpointSlack/2)
	h.send(exposureTickMsg{})
	h.until("a checkpoint at the first tick", func() bool { return countOf(h, review.KindExposure) == 1 })
	h.clock.Advance(checkpointEvery)
	h.send(exposureTickMsg{})
	h.until("a checkpoint at the next tick", func() bool { return countOf(h, review.KindExposure) == 2 })
	x := exposures(t, h)
	first := t0.Add(checkpointEvery - checkpointSlack/2)
	if x[0].From != t0 || x[0].To != first || x[0].End != review.EndCheckpoint ||
		x[1].From != first || x[1].To != first.Add(checkpointEvery) || x[1].End != review.EndCheckpoint {
		t.Fatalf("checkpoints %+v, want %v→%v and %v→%v", x, t0, first, first, first.Add(checkpointEvery))
	}
	// A tick soon after a checkpoint cuts nothing: intervals are not
	// sliced thinner than checkpointEvery less the slack.
	h.clock.Advance(checkpointSlack)
	h.send(exposureTickMsg{})
	h.press("q")
	h.until("quit", func() bool { return h.quit })
	h.until("the last interval", func() bool { return countOf(h, review.KindExposure) == 3 })
	if x := exposures(t, h); x[2].End == review.EndCheckpoint {
		t.Errorf("a tick %v after a checkpoint cut the interval again: %+v", checkpointSlack, x[2])
	}
}
