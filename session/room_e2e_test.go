package session_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
)

// The room as a facilitator runs it, through real SSH connections read with
// x/vt: figures that count participants' votes only, a blind vote that
// stays blind, a room that follows whoever leads after a restart, one seal
// across two server processes, notices that belong to their link.

// watch dials the projector's wall on srvDial's server.
func watchOn(t *testing.T, srv *session.Server) *term {
	t.Helper()
	return dial(t, srv, clientConfig(srv, "salle", passcode(new(int), "")), termOpts{command: "jardin --watch"})
}

// workshopServer is workshop, also returning the server for the wall.
func workshopServer(t *testing.T, w *world) (*session.Server, func(name string) *term, *term) {
	t.Helper()
	fac := newKey(t)
	cfg := tuiConfig(w)
	cfg.Facilitators = writeKeys(t, fac.AuthorizedKey())
	srv := serve(t, cfg)
	anna := dial(t, srv, clientConfig(srv, "anna", gossh.PublicKeys(fac.Signer())), termOpts{command: "jardin"})
	anna.waitText("anna", "│ 1/3")
	return srv, func(name string) *term {
		return dial(t, srv, clientConfig(srv, name, passcode(new(int), "")), termOpts{command: "jardin"})
	}, anna
}

// The facilitator's a then u: the seal is made, then lifted, and nothing
// of it is left on any screen as a vote.
func TestRoomSealThenUndoLeavesNoMark(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv, join, anna := workshopServer(t, w)
	bob := join("bob")
	wall := watchOn(t, srv)
	bob.waitText("bob", "◉ room")
	wall.waitText("link 1 of 3")
	anna.press("a")
	for _, tm := range []*term{anna, bob} {
		tm.waitText("1/3 decided")
	}
	anna.press("u")
	for _, tm := range []*term{anna, bob} {
		tm.waitText("0/3 decided")
	}
	wall.waitFor("the wall back to no decision", func(s string) bool { return strings.Contains(s, "0 / 3 links decided") })
	for name, tm := range map[string]*term{"anna": anna, "bob": bob, "wall": wall} {
		s := tm.screen()
		for _, mark := range []string{"anna ✓", "✓1", "accept      1"} {
			if strings.Contains(s, mark) {
				t.Errorf("%s's screen still shows %q after the seal was lifted:\n%s", name, mark, s)
			}
		}
	}
	if !strings.Contains(bob.screen(), "no vote ·") {
		t.Errorf("bob's screen should say there is no vote:\n%s", bob.screen())
	}
}

// Every participant present votes: the wall and the facilitator's review
// screen both reach 100 %, and the facilitator is not counted.
func TestRoomTurnoutReachesFull(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv, join, anna := workshopServer(t, w)
	bob, carol := join("bob"), join("carol")
	wall := watchOn(t, srv)
	bob.waitText("◉ room")
	carol.waitText("◉ room")
	wall.waitText("0 of 2 participants voted · 0%")
	bob.press("a")
	carol.press("s")
	wall.waitText("2 of 2 participants voted · 100%")
	anna.waitText("2/2 voted")
	bob.waitText("2/2 voted")
}

// blindRoom runs one room in blind voting: bob accepts, carol types
// carolKeys, and bob then looks for a disagreement (d) from the next link.
// It returns bob's screen.
func blindRoom(t *testing.T, carolKeys string) string {
	w := newWorld(t, "", "jardin")
	_, join, anna := workshopServer(t, w)
	anna.press("b")
	anna.waitText("Blind voting")
	bob := join("bob")
	bob.waitText("bob", "◉ room")
	carol := join("carol")
	carol.waitText("carol", "◉ room")
	bob.press("a")
	bob.waitText("Vote recorded: accept.")
	carol.press(carolKeys)
	carol.waitText("Vote recorded")
	anna.waitText("2/2 voted")
	bob.waitText("2/2 voted")
	// From the next link, d would lead back to the first if it knew that
	// carol disagrees.
	bob.press("j")
	bob.waitText("│ 2/3", "browsing alone")
	bob.press("d")
	return bob.waitText("No other disagreement.")
}

// In blind voting a participant's screen, and what their keys do, depend
// on nobody's hidden verdict: two rooms that differ only in carol's vote
// give bob the same screen, byte for byte, after his d.
func TestRoomBlindSameScreens(t *testing.T) {
	agree := blindRoom(t, "a")
	for _, keys := range []string{"r\r", "e autrement\x13"} {
		if other := blindRoom(t, keys); other != agree {
			t.Fatalf("bob's screen depends on carol's hidden verdict (%q):\n--- carol accepts\n%s\n--- carol %q\n%s", keys, agree, keys, other)
		}
	}
}

// A server restarts on a trace whose leader never left (a crash): the room
// is free, participants are not stuck on an absent leader, and the first
// facilitator to arrive leads it from where it was; followers go along.
func TestRoomRestartFirstFacilitatorLeads(t *testing.T) {
	w := newWorld(t, "", "jardin")
	claire := review.Actor{Name: "claire", Fingerprint: "SHA256:claire", Role: review.Facilitator}
	at := time.Date(2026, 11, 29, 9, 5, 0, 0, time.UTC)
	if _, err := w.store.Append(context.Background(),
		review.MustEvent("jardin", "j-claire", at, claire, review.KindParticipantJoin, review.JoinData{Terminal: "ssh"}),
		review.MustEvent("jardin", "m-claire", at, claire, review.KindRoomMoved, review.ProposalRef{Proposal: "L2"})); err != nil {
		t.Fatal(err)
	}
	fac := newKey(t)
	cfg := tuiConfig(w)
	cfg.Facilitators = writeKeys(t, fac.AuthorizedKey())
	srv := serve(t, cfg)
	bob := dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{command: "jardin"})
	bob.waitText("bob")
	if s := bob.screen(); strings.Contains(s, "◉ room") || strings.Contains(s, "claire") {
		t.Fatalf("after the restart, bob follows an absent leader:\n%s", s)
	}
	anna := dial(t, srv, clientConfig(srv, "anna", gossh.PublicKeys(fac.Signer())), termOpts{command: "jardin"})
	anna.waitText("anna", "│ 2/3", "★ room")
	bob.waitText("│ 2/3", "◉ room", "anna (facilitator) leads the room")
	anna.press("j")
	bob.waitText("│ 3/3")
}

// A link's notice goes when the reader moves on.
func TestRoomNoticeClearedOnMove(t *testing.T) {
	w := newWorld(t, "", "jardin")
	_, join, anna := workshopServer(t, w)
	bob := join("bob")
	bob.waitText("◉ room")
	anna.press("a")
	bob.waitText("anna (facilitator) accepted this link.")
	anna.press("j")
	s := bob.waitText("│ 2/3")
	if strings.Contains(s, "accepted this link") {
		t.Fatalf("the notice of link 1 is still on screen on link 2:\n%s", s)
	}
}

// Two server processes on one data directory, two facilitators sealing the
// same link at the same moment: one seal is stored, the other is refused
// with a sentence, and both rooms show the same outcome.
func TestRoomTwoServersOneSeal(t *testing.T) {
	w := newWorld(t, "", "jardin")
	other, err := store.Open(w.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	load := func(ctx context.Context, name string) (*review.State, error) {
		events, err := other.Replay(ctx, name)
		if err != nil {
			return nil, err
		}
		return review.Replay(events)
	}
	w2 := &world{store: other, reg: session.NewRegistry(other, other.Sessions, load, "")}
	keyA, keyB := newKey(t), newKey(t)
	cfgA, cfgB := tuiConfig(w), tuiConfig(w2)
	cfgA.Facilitators = writeKeys(t, keyA.AuthorizedKey())
	cfgB.Facilitators = writeKeys(t, keyB.AuthorizedKey())
	srvA, srvB := serve(t, cfgA), serve(t, cfgB)
	anna := dial(t, srvA, clientConfig(srvA, "anna", gossh.PublicKeys(keyA.Signer())), termOpts{command: "jardin"})
	yann := dial(t, srvB, clientConfig(srvB, "yann", gossh.PublicKeys(keyB.Signer())), termOpts{command: "jardin"})
	anna.waitText("anna", "│ 1/3", "○ pending")
	yann.waitText("yann", "│ 1/3", "○ pending")
	yann.press("r")
	yann.waitText("Why reject")
	var wg sync.WaitGroup
	wg.Go(func() { anna.press("a") })
	wg.Go(func() { yann.press("\r") })
	wg.Wait()
	outcome := func(s string) string {
		switch {
		case strings.Contains(s, "✓ accepted"):
			return "accepted"
		case strings.Contains(s, "✗ rejected"):
			return "rejected"
		}
		return ""
	}
	a := outcome(anna.waitFor("an outcome", func(s string) bool { return outcome(s) != "" }))
	b := outcome(yann.waitFor("an outcome", func(s string) bool { return outcome(s) != "" }))
	if a != b {
		t.Fatalf("the two rooms disagree: anna's shows %s, yann's %s", a, b)
	}
	loser := map[string]*term{"accepted": yann, "rejected": anna}[a]
	loser.waitText("This link is sealed")
	seals := 0
	for _, e := range w.events(t, "jardin") {
		if e.Kind == review.KindDecisionMade {
			seals++
		}
	}
	if seals != 1 {
		t.Fatalf("%d seals stored for one link", seals)
	}
}

// The facilitator's timer, its length asked: its end is told on a
// participant's screen, not only on the wall, also after the facilitator
// moved on.
func TestRoomTimerEndOnParticipantScreen(t *testing.T) {
	w := newWorld(t, "", "jardin")
	_, join, anna := workshopServer(t, w)
	bob := join("bob")
	bob.waitText("◉ room")
	anna.press("t")
	anna.waitText("Timer length")
	anna.press("\x7f0:02\r")
	bob.waitText("timer 0:0")
	anna.press("j")
	bob.waitText("│ 2/3")
	bob.waitText("Time is up (link 1).")
	if n := len(w.kinds(t, "jardin", review.KindTimerStopped)); n > 1 {
		t.Fatalf("%d timer.stopped for one timer", n)
	}
}
