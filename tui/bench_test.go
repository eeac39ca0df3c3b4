package tui

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// benchModel is a joined screen on a session of 200 proposals, the size of
// a real workshop, with a long passage.
func benchModel(b *testing.B, hub *session.Hub, w, h int) *Model {
	b.Helper()
	m := New(Options{Hub: hub, Actor: malik, Lang: "fr", Now: (&clock{t: t0}).Now})
	conn, err := hub.Join(context.Background(), malik, "ssh")
	if err != nil {
		b.Fatal(err)
	}
	m.Update(joinedMsg{hub: hub, sub: hub.Subscribe(), conn: conn, snap: hub.Snapshot()})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	b.Cleanup(m.shutdown)
	return m
}

func benchHub(b *testing.B) *session.Hub {
	b.Helper()
	long := strings.Repeat(passage1+" ", 6)
	evs := fixtureEvents(b, long)
	for i := range 196 {
		e := review.MustEvent("atelier-communs", fmt.Sprint("bp", i), t0, sysActor, review.KindProposalAdded, review.Proposal{
			ID: fmt.Sprint("bp", i), Document: "d1", Passage: "d1p1", Criterion: "C3",
			Statement: "Les membres votent les règles en assemblée, proposition " + fmt.Sprint(i),
			Quote:     quote1, QuoteStart: -1, QuoteEnd: -1, Confidence: 0.5,
			Origin: review.Origin{Kind: review.OriginLexical}})
		e.Seq = int64(len(evs) + 1)
		evs = append(evs, e)
	}
	hub, _ := newHubWith(b, evs)
	return hub
}

// BenchmarkView is the cost of drawing one screen, which every screen pays
// after each revision of the session.
func BenchmarkView(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {160, 48}, {240, 67}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			m := benchModel(b, benchHub(b), size[0], size[1])
			var n int
			for b.Loop() {
				n = len(m.View().Content)
			}
			b.ReportMetric(float64(n), "bytes/view")
		})
	}
}

// BenchmarkBroadcast is what one screen does when somebody else acts: take
// the new snapshot, refilter the list, redraw.
func BenchmarkBroadcast(b *testing.B) {
	hub := benchHub(b)
	m := benchModel(b, hub, 80, 24)
	for b.Loop() {
		snap := *hub.Snapshot()
		snap.Rev = m.snap.Rev + 1
		m.Update(snapshotMsg{&snap})
		_ = m.View()
	}
}

// BenchmarkDecision is what one screen does at each round of the SSH load
// benchmark: somebody decides the proposal on screen, or undoes it, so the
// progress, the tally and the proposal's status change while the criterion,
// the statement and the passage do not.
func BenchmarkDecision(b *testing.B) {
	hub := benchHub(b)
	m := benchModel(b, hub, 80, 24)
	before := hub.Snapshot()
	if _, err := hub.Do(context.Background(), facilitator, review.KindDecisionMade, review.VoteData{Proposal: m.current, Verdict: review.Accept}); err != nil {
		b.Fatal(err)
	}
	after := hub.Snapshot()
	for i := 0; b.Loop(); i++ {
		snap := *before
		if i%2 == 0 {
			snap = *after
		}
		snap.Rev = m.snap.Rev + 1
		m.Update(snapshotMsg{&snap})
		_ = m.View()
	}
}

// BenchmarkMove is a key press that changes the proposal on screen, which
// re-wraps the passage.
func BenchmarkMove(b *testing.B) {
	m := benchModel(b, benchHub(b), 80, 24)
	down, up := keyMsg("j"), keyMsg("k")
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(down)
		} else {
			m.Update(up)
		}
		_ = m.View()
	}
}

// BenchmarkMemoryPerScreen is the heap that a joined screen keeps, after it
// has drawn itself at 80x24, without the renderer's own cell buffers and
// without what the hub keeps for each connection: the people join first,
// all screens then share the newest snapshot, as they do once live.
func BenchmarkMemoryPerScreen(b *testing.B) {
	const n = 200
	for b.Loop() {
		hub := benchHub(b)
		conns := make([]uint64, n)
		for i := range conns {
			c, err := hub.Join(context.Background(), malik, "ssh")
			if err != nil {
				b.Fatal(err)
			}
			conns[i] = c
		}
		snap := hub.Snapshot()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ms := make([]*Model, n)
		for i := range ms {
			m := New(Options{Hub: hub, Actor: malik, Lang: "fr", Now: (&clock{t: t0}).Now})
			m.Update(joinedMsg{hub: hub, sub: hub.Subscribe(), conn: conns[i], snap: snap})
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			_ = m.View()
			ms[i] = m
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/screen")
		runtime.KeepAlive(ms)
		for _, m := range ms {
			m.sub.Close()
		}
	}
}
