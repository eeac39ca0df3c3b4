package tui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// interval is one exposure interval of a person, comparable.
type interval struct {
	person, proposal, state, end string
	from, to                     time.Time
	following                    bool
}

func (i interval) String() string {
	return fmt.Sprintf("%s %s %s→%s %s %s following=%v", i.person, i.proposal, i.from.Format("15:04:05"), i.to.Format("15:04:05"), i.state, i.end, i.following)
}

// playRoom runs one random room with the real screens: a facilitator who
// leads, moves, sometimes frees the room and takes it back; two
// participants who follow, break away, come back, open the help pane or a
// comment's panel, scroll, and let time pass (idle, checkpoints). With
// derive, the followers' screens leave the intervals a move ends to the
// fold (review.Exposures); without, they write them, as before. It returns
// the participants' intervals, as the research tables read them, and how
// many exposure events the screens wrote.
func playRoom(t *testing.T, seed uint64, derive bool) ([]interval, int) {
	t.Helper()
	deriveFollowers = derive
	defer func() { deriveFollowers = true }()
	rng := rand.New(rand.NewPCG(seed, 21))
	c := &clock{t: t0}
	hub, store := newHub(t)
	hub.SetClock(c.Now)
	fac := startHarnessClock(t, hub, store, Options{Actor: facilitator, Lang: "fr"}, 80, 24, c)
	pars := []*harness{
		startHarnessClock(t, hub, store, Options{Actor: malik, Lang: "fr"}, 80, 24, c),
		startHarnessClock(t, hub, store, Options{Actor: review.Actor{Name: "Nour", Fingerprint: "SHA256:nour", Role: review.Participant}, Lang: "fr"}, 80, 24, c),
	}
	all := append([]*harness{fac}, pars...)
	// settle waits until every screen has the room's latest state and
	// every exposure write it asked for is in the store.
	settle := func() {
		for _, h := range all {
			h.until("the screen settled", func() bool {
				written := h.m.exp.tail == nil
				if !written {
					select {
					case <-h.m.exp.tail:
						written = true
					default:
					}
				}
				r := hub.Snapshot().State.Room
				mine := h.m.snap.State.Room
				led := !h.m.leading() || r.Proposal == h.m.current // the leader's move is in
				return written && led && h.m.pending == 0 && mine.Proposal == r.Proposal && mine.Follow == r.Follow && mine.Since.Equal(r.Since)
			})
		}
	}
	settle()
	for range 40 {
		switch n := rng.IntN(10); {
		case n < 3:
			fac.press([]string{"j", "k", "j", "G"}[rng.IntN(4)])
		case n == 3 && rng.IntN(3) == 0:
			fac.press("F")
		case n == 3:
			// The facilitator moves, and time passes on the followers'
			// screens before they see it: they write their checkpoints
			// about the link the room has left.
			fac.press("j")
			fac.until("the move recorded", func() bool {
				return !fac.m.leading() || hub.Snapshot().State.Room.Proposal == fac.m.current
			})
			c.Advance(time.Duration(10+rng.IntN(40)) * time.Second)
			for _, p := range pars {
				p.send(exposureTickMsg{})
			}
		case n < 8:
			p := pars[rng.IntN(len(pars))]
			switch p.m.mode {
			case modeBrowse:
				p.press([]string{"j", "k", "f", "f", "?", "c", "pgdown"}[rng.IntN(7)])
			default:
				p.press("esc")
			}
		default:
			c.Advance(time.Duration(1+rng.IntN(40)) * time.Second)
			for _, h := range all {
				h.send(exposureTickMsg{})
			}
		}
		settle()
	}
	c.Advance(3 * time.Second)
	for _, p := range pars {
		p.m.Flush(context.Background())
	}
	settle()

	store.mu.Lock()
	events := slices.Clone(store.events)
	store.mu.Unlock()
	written := 0
	for _, e := range events {
		if e.Kind == review.KindExposure && e.Actor.Role == review.Participant {
			written++
		}
	}
	var out []interval
	for _, r := range review.Exposures(events) {
		if r.Actor.Role != review.Participant {
			continue
		}
		x := r.Interval
		out = append(out, interval{person: r.Actor.Name, proposal: x.Proposal, state: x.State, end: x.End, from: x.From, to: x.To, following: x.Following})
	}
	slices.SortFunc(out, func(a, b interval) int {
		if c := a.from.Compare(b.from); c != 0 {
			return c
		}
		if a.person != b.person {
			return map[bool]int{true: -1, false: 1}[a.person < b.person]
		}
		return a.to.Compare(b.to)
	})
	return out, written
}

// The intervals derived for followers from the facilitator's moves are
// those their screens wrote one by one before, on random rooms: same
// person, link, times, state, end and following; and the screens write
// fewer events.
func TestFollowerExposureDerivedFromMoves(t *testing.T) {
	// The hub still gathers the intervals before writing them, for a
	// millisecond rather than its default: every step waits for them.
	every := session.RecordEvery
	session.RecordEvery = time.Millisecond
	t.Cleanup(func() { session.RecordEvery = every })
	rooms := 12
	if testing.Short() {
		rooms = 4
	}
	derivedAny := false
	for seed := range uint64(rooms) {
		old, wroteOld := playRoom(t, seed, false)
		nu, wroteNew := playRoom(t, seed, true)
		if !slices.Equal(old, nu) {
			t.Errorf("room %d: the derived intervals differ from those written one by one\nwritten:\n%s\nderived:\n%s", seed, lines(old), lines(nu))
			continue
		}
		if wroteNew > wroteOld {
			t.Errorf("room %d: the screens wrote %d exposure events with derivation, %d without", seed, wroteNew, wroteOld)
		}
		if wroteNew < wroteOld {
			derivedAny = true
		}
	}
	if !derivedAny {
		t.Error("no room had a follower moved by the room: the test proves nothing")
	}
}

func lines(xs []interval) string {
	var s string
	for _, x := range xs {
		s += "  " + x.String() + "\n"
	}
	return s
}
