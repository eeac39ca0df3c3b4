package propose

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

// A frugal run on a session folded without its passages' text, which it
// reads from a real store (what `revue propose --frugal` does), writes the
// same links and lexical non-links, byte for byte, as a run on the whole
// fold: the index reads each passage once, the quotes read the passages
// they are taken from.
func TestFrugalOnLeanState(t *testing.T) {
	run := func(state *review.State) []review.Event {
		var p pauses
		cfg := testConfig(&p, "http://127.0.0.1:1") // never contacted
		cfg.Frugal, cfg.Negatives, cfg.NegativeSeed = true, 3, 5
		var out []review.Event
		if _, err := Run(context.Background(), state, cfg, func(evs []review.Event) error { out = append(out, evs...); return nil }, nil); err != nil {
			t.Fatal(err)
		}
		return out
	}
	full, lean := foldBothWays(t)
	want, got := run(full), run(lean)
	links := 0
	for i := range max(len(want), len(got)) {
		if i >= len(want) || i >= len(got) {
			t.Fatalf("%d events from the lean state, %d from the whole fold", len(got), len(want))
		}
		if want[i].Kind == review.KindProposalAdded {
			links++
			if !bytes.Equal(want[i].Data, got[i].Data) {
				t.Errorf("event %d differs:\n%s\nwant\n%s", i, got[i].Data, want[i].Data)
			}
		}
	}
	if links < 4 {
		t.Errorf("%d links and non-links written: too few to compare", links)
	}
	held, all := 0, 0
	for _, d := range lean.Documents {
		for _, p := range d.Passages {
			all++
			if p.Text != "" {
				held++
			}
		}
	}
	if held == 0 || held >= all {
		t.Errorf("%d of %d passages hold their text after the run: want the few it quoted", held, all)
	}
}

// A model run given a session folded without its text reads every passage
// back before it asks about them: the same links as from the whole fold.
func TestModelRunOnLeanState(t *testing.T) {
	run := func(state *review.State) map[string]string {
		f := newFake(t)
		f.SetAnswer(keywordJudge(testKeywords))
		tr := &trace{st: newState(t, testDocs, testCriteria)}
		var p pauses
		if _, err := Run(context.Background(), state, testConfig(&p, f.URL), tr.sink, nil); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range tr.st.Proposals {
			got[p.ID] = p.Passage + " " + p.Quote
		}
		return got
	}
	full, lean := foldBothWays(t)
	want, got := run(full), run(lean)
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("lean state proposed %v, the whole fold %v", got, want)
	}
}

// foldBothWays writes the test session into a real store and returns it
// folded whole, and folded lean with its text read from that store.
func foldBothWays(t *testing.T) (full, lean *review.State) {
	t.Helper()
	events := sessionEvents(testDocs, testCriteria, "")
	st, err := store.Open(filepath.Join(t.TempDir(), "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Append(context.Background(), events...); err != nil {
		t.Fatal(err)
	}
	if full, err = review.Replay(events); err != nil {
		t.Fatal(err)
	}
	lean = review.NewState()
	if err := st.Each(context.Background(), "s", lean.ApplyLean); err != nil {
		t.Fatal(err)
	}
	lean.SetText(st.Texts("s", nil))
	return full, lean
}
