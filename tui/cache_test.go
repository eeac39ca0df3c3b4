package tui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/pane"
	"github.com/coopdescommuns/revue/tui/theme"
)

// TestLongListsCutAsWhole checks that the status bar, which now lists the
// people online and those looking at the same link only as far as the line
// can show, shows exactly what the whole lists cut to the screen's width
// show: same names, same place for the ellipsis.
func TestLongListsCutAsWhole(t *testing.T) {
	for _, n := range []int{0, 1, 3, 12, 60} {
		for _, w := range []int{60, 80, 101, 160} {
			t.Run(fmt.Sprintf("%d_people_%d_cells", n, w), func(t *testing.T) {
				hub, _ := newHub(t)
				ctx := context.Background()
				for i := range n {
					// Names of several widths, and one person twice
					// (two screens), who is listed once.
					a := review.Actor{Name: strings.Repeat("é", i%7+1) + fmt.Sprint(i), Role: review.Participant}
					if i == 2 {
						a = zoe
					}
					for range 1 + i%2 {
						c, err := hub.Join(ctx, a, "ssh")
						if err != nil {
							t.Fatal(err)
						}
						hub.Focus(c, "p1")
					}
				}
				conn, err := hub.Join(ctx, malik, "ssh")
				if err != nil {
					t.Fatal(err)
				}
				m := New(Options{Hub: hub, Actor: malik, Lang: "fr", Now: (&clock{t: t0}).Now})
				m.Update(joinedMsg{hub: hub, sub: hub.Subscribe(), conn: conn, snap: hub.Snapshot()})
				m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
				t.Cleanup(m.shutdown)
				lines := strings.Split(m.View().Content, "\n")
				a, b := lines[len(lines)-3], lines[len(lines)-2]
				if want := theme.Fit(wholeOnline(m), w); a != want {
					t.Errorf("online line\n got %q\nwant %q", a, want)
				}
				if want := theme.Fit(wholeVotes(m), w); b != want {
					t.Errorf("votes line\n got %q\nwant %q", b, want)
				}
			})
		}
	}
}

// wholeOnline is the first line of the status bar with everybody listed.
func wholeOnline(m *Model) string {
	st := m.snap.State
	seen := map[string]bool{}
	var parts []string
	for _, o := range m.snap.Online {
		if k := o.Actor.Key(); !seen[k] {
			seen[k] = true
			parts = append(parts, pane.RoleMark(o.Actor.Role)+sanitize.Line(o.Actor.Name))
		}
	}
	list := strings.Join(parts, " ")
	if list == "" {
		list = "—"
	}
	return m.cm.Progress(st.Decided(), len(st.Proposals), m.progressMore()) + list
}

// wholeVotes is the second line with everybody looking at the link listed.
func wholeVotes(m *Model) string {
	p := m.currentProposal()
	var names []string
	for _, o := range m.snap.Online {
		if o.Focus == p.ID && o.Conn != m.conn {
			names = append(names, sanitize.Line(o.Actor.Name))
		}
	}
	s := " " + m.votesTextWithout(p)
	if to := m.turnout(p); to != "" {
		s += m.st.Faint.Render(" · ") + to
	}
	if len(names) > 0 {
		s += m.st.Faint.Render(" · "+m.t.AlsoHere+m.t.Colon) + strings.Join(names, ", ")
	}
	return s
}

// votesTextWithout is votesText without the lookers: the votes and the
// disagreement, drawn by the model itself.
func (m *Model) votesTextWithout(p *review.ProposalState) string {
	saved := m.snap
	defer func() { m.snap = saved }()
	m.snap = &session.Snapshot{Rev: saved.Rev, State: saved.State}
	return m.votesText()
}

// TestCachedViewMatchesFresh drives a screen through what changes its
// parts (moves, paging, votes and looks of others, a filter panel, a new
// size, a light background) and checks after each step that the frame drawn
// with the kept parts is the frame drawn from nothing.
func TestCachedViewMatchesFresh(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			// A long passage, so that paging moves it.
			hub, store := newHubWith(t, fixtureEvents(t, strings.Repeat(passage1+" ", 6)))
			h := startHarness(t, hub, store, facilitator, "fr", size[0], size[1])
			check := func(step string) {
				t.Helper()
				got := h.m.View().Content
				kept := h.m.vc
				h.m.vc = viewCache{gen: kept.gen + 1000}
				want := h.m.View().Content
				h.m.vc = kept
				if got != want {
					t.Fatalf("after %s the kept parts draw\n%s\nwhere a fresh drawing is\n%s", step, stripped(got), stripped(want))
				}
			}
			others := func(step string, f func() error) {
				t.Helper()
				if err := f(); err != nil {
					t.Fatal(err)
				}
				rev := h.hub.Snapshot().Rev
				h.until(step, func() bool { return h.m.snap.Rev >= rev })
				check(step)
			}
			ctx := context.Background()
			check("joining")
			var zc uint64
			others("Zoé joins", func() (err error) { zc, err = h.hub.Join(ctx, zoe, "ssh"); return err })
			others("Zoé looks at p1", func() error { h.hub.Focus(zc, "p1"); return nil })
			others("Zoé votes", func() error {
				_, err := h.hub.Do(ctx, zoe, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonTooVague})
				return err
			})
			for _, k := range []string{"j", "pgdown", "pgdown", "pgup", "k", "G", "g"} {
				h.press(k)
				check("key " + k)
			}
			others("Zoé looks at p2", func() error { h.hub.Focus(zc, "p2"); return nil })
			h.press("a")
			h.idle()
			check("a decision")
			h.press("/")
			check("the filter panel")
			h.press("esc")
			check("the filter closed")
			h.send(tea.WindowSizeMsg{Width: size[0] + 21, Height: size[1] + 3})
			check("a new size")
			h.send(tea.BackgroundColorMsg{Color: color.White})
			check("a light background")
			others("Zoé leaves", func() error { h.hub.Leave(ctx, zc); return nil })
		})
	}
}
