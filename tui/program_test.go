package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// waitHub waits, on the hub's own signals, until cond holds for its newest
// snapshot.
func waitHub(t *testing.T, h *session.Hub, what string, cond func(*session.Snapshot) bool) {
	t.Helper()
	sub := h.Subscribe()
	defer sub.Close()
	deadline := time.After(10 * time.Second)
	for !cond(h.Snapshot()) {
		select {
		case <-sub.C:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// One whole flow in a real tea.Program: join, accept, move, reject with a
// reason, quit; then the caller's Seat.Leave records the departure.
func TestProgramEndToEnd(t *testing.T) {
	hub, _ := newHub(t)
	seat := &session.Seat{}
	c := &clock{t: t0}
	m := New(Options{Hub: hub, Seat: seat, Actor: facilitator, Lang: "fr", Terminal: "local", Now: c.Now})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))

	waitHub(t, hub, "Claire online", func(s *session.Snapshot) bool {
		return len(s.Online) == 1 && s.Online[0].Actor.Name == "Claire" && s.Online[0].Focus == "p1"
	})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Décider ensemble des règles")) },
		teatest.WithDuration(10*time.Second))

	tm.Type("a")
	waitHub(t, hub, "p1 accepted", func(s *session.Snapshot) bool {
		p, _ := s.State.Proposal("p1")
		return p.Status == review.Accepted
	})
	tm.Type("j")
	waitHub(t, hub, "focus on p2", func(s *session.Snapshot) bool { return s.Online[0].Focus == "p2" })
	// Another person's vote reaches this running program too.
	if _, err := hub.Do(context.Background(), malik, review.KindVoteCast, review.VoteData{Proposal: "p2", Verdict: review.Accept}); err != nil {
		t.Fatal(err)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Malik")) },
		teatest.WithDuration(10*time.Second))
	tm.Type("r2")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitHub(t, hub, "p2 rejected", func(s *session.Snapshot) bool {
		p, _ := s.State.Proposal("p2")
		return p.Status == review.Rejected && p.Decision.Reason == review.ReasonQuoteInexact
	})

	// The facilitator's q asks first: their screen may be the one that
	// runs the server.
	tm.Type("q")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Quitter ?")) },
		teatest.WithDuration(10*time.Second))
	tm.Type("y")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	screen := stripped(final.View().Content)
	// Malik's accept and Claire's rejecting seal are no disagreement: a
	// decision is not a vote.
	if strings.Contains(screen, "⚠ désaccord") {
		t.Errorf("a seal counted as a vote in a disagreement:\n%s", screen)
	}
	for _, want := range []string{"2/4 décidées", "✗ rejetée", "Malik ✓"} {
		if !strings.Contains(screen, want) {
			t.Errorf("final screen lacks %q:\n%s", want, screen)
		}
	}
	if len(hub.Snapshot().Online) != 1 {
		t.Fatal("the program left the hub by itself; leaving is the caller's Seat.Leave")
	}
	seat.Leave(context.Background())
	if len(hub.Snapshot().Online) != 0 {
		t.Fatal("Seat.Leave did not record the departure")
	}
}

// The client's environment reaches the screen as tea.EnvMsg: NO_COLOR there
// turns colours off, whatever the server's own environment says.
func TestProgramNoColorFromClientEnv(t *testing.T) {
	hub, _ := newHub(t)
	seat := &session.Seat{}
	t.Cleanup(func() { seat.Leave(context.Background()) })
	m := New(Options{Hub: hub, Seat: seat, Actor: projector, Lang: "en", Terminal: "ssh", Now: (&clock{t: t0}).Now})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithEnvironment([]string{"TERM=xterm-256color", "NO_COLOR=1"})))
	waitHub(t, hub, "the spectator online", func(s *session.Snapshot) bool { return len(s.Online) == 1 })
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("link 1 of 4")) },
		teatest.WithDuration(10*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if !final.noColor {
		t.Fatal("NO_COLOR in the client's environment was not honoured")
	}
	if strings.Contains(final.View().Content, "38;2;") {
		t.Fatal("colour codes in the view under NO_COLOR")
	}
}
