package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

var testCard = &session.JoinCard{
	Commands:    []string{"ssh -t -p 2222 VOTRE-NOM@192.168.1.20 atelier", "ssh -t -p 2222 VOTRE-NOM@10.8.0.2 atelier"},
	Fingerprint: "SHA256:q3XvH0bTestFingerprint",
	Passcode:    "bakolimu",
}

// TestJoinCard: J shows how to join, every address and the fingerprint;
// the facilitator's second J shows the passcode, the third closes; the
// wall shows the card until the facilitator leads a link, and never the
// passcode.
func TestJoinCard(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 100, 30)
	fac.m.opts.Card = testCard
	fac.press("J")
	s := fac.screen()
	for _, want := range append(testCard.Commands, "Pour rejoindre", testCard.Fingerprint, "Code d'accès : ••••••", "Arrivé·es (1) : Claire") {
		if !strings.Contains(s, want) {
			t.Fatalf("the card lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "bakolimu") {
		t.Fatalf("the passcode shows before the facilitator asks:\n%s", s)
	}
	fac.press("J")
	if s := fac.screen(); !strings.Contains(s, "Code d'accès : bakolimu") {
		t.Fatalf("the second J does not show the passcode:\n%s", s)
	}
	fac.press("J")
	if s := fac.screen(); strings.Contains(s, "Pour rejoindre") {
		t.Fatalf("the third J does not close the card:\n%s", s)
	}

	wallCard := *testCard
	wallCard.Passcode = "" // the server gives it to facilitators only
	wall := startHarnessOpts(t, fac.hub, fac.store, Options{Actor: projector, Lang: "fr", Card: &wallCard}, 100, 30)
	wall.until("the card on the wall", func() bool { return strings.Contains(wall.screen(), "Pour rejoindre") })
	if s := wall.screen(); !strings.Contains(s, testCard.Fingerprint) || strings.Contains(s, "Code d'accès") {
		t.Fatalf("the wall's card:\n%s", s)
	}
	// The wall is a spectator: it is online but has not come to take part.
	wall.until("the arrivals without the wall", func() bool { return strings.Contains(wall.screen(), "Arrivé·es (1) : Claire") })
	if s := wall.screen(); strings.Contains(s, "Salle") {
		t.Fatalf("the card counts the wall among the arrivals:\n%s", s)
	}
	// The first decision starts the room: the wall shows the link.
	if _, err := fac.hub.Do(context.Background(), facilitator, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept}); err != nil {
		t.Fatal(err)
	}
	wall.until("the wall after the start", func() bool { return !strings.Contains(wall.screen(), "Pour rejoindre") })
}
