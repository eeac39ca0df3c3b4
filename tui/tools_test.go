package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// names are forty participants, of every length a room has.
var names = []string{
	"Amina", "Bastien", "Chloé", "Dominique-Anne", "Élodie", "Farid", "Gaëlle", "Hugo", "Inès", "Jean-Baptiste",
	"Karim", "Léa", "Mathis", "Nadia", "Olivier", "Pauline", "Quentin", "Rose", "Samuel", "Thérèse",
	"Ugo", "Valentine", "William", "Xavier", "Yasmine", "Zacharie", "Anne-Sophie", "Benoît", "Camille", "Damien",
	"Estelle", "François", "Gabrielle", "Henri", "Isabelle", "Jules", "Kevin", "Louise", "Marie-Claire", "Noé",
}

// crowd brings n participants into the room: every third votes on p1, the
// fifth raises a hand.
func crowd(t *testing.T, h *harness, n int) {
	t.Helper()
	ctx := context.Background()
	for i, name := range names[:n] {
		a := review.Actor{Name: name, Fingerprint: "SHA256:" + name, Role: review.Participant}
		_, err := h.hub.Join(ctx, a, "ssh")
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := h.hub.Do(ctx, a, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Accept}); err != nil {
				t.Fatal(err)
			}
		}
		if i == 4 {
			if _, err := h.hub.Do(ctx, a, review.KindHandRaised, review.HandData{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.hub.FlushPresence()
	rev := h.hub.Snapshot().Rev
	h.until("the crowd on screen", func() bool { return h.m.snap.Rev >= rev })
}

// styled is the screen with its colours: the goldens of the tools hold the
// dark and the light palettes apart.
func (h *harness) styled() string { return h.m.View().Content }

func themed(t *testing.T, lang, theme string, w, hh int) *harness {
	hub, store := newHub(t)
	return startHarnessOpts(t, hub, store, Options{Actor: facilitator, Lang: lang, Theme: theme}, w, hh)
}

// TestGoldenTurnout pins the turnout panel at twenty and forty names, on a
// laptop and a projector, in both languages and both palettes: every name
// is there, or its initials, or a count.
func TestGoldenTurnout(t *testing.T) {
	for _, n := range []int{20, 40} {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			for _, lang := range []string{"fr", "en"} {
				for _, th := range []string{"dark", "light"} {
					t.Run(fmt.Sprintf("%d_%dx%d_%s_%s", n, size[0], size[1], lang, th), func(t *testing.T) {
						h := themed(t, lang, th, size[0], size[1])
						crowd(t, h, n)
						h.press("T")
						screen := h.screen()
						voted := (n + 2) / 3
						if !strings.Contains(screen, fmt.Sprintf("%d/%d", voted, n)) {
							t.Fatalf("no turnout %d/%d:\n%s", voted, n, screen)
						}
						// Every name, or its initials, is on the panel.
						for _, name := range names[:n] {
							if !strings.Contains(screen, name) && !strings.Contains(screen, initials(name)) {
								t.Fatalf("%s missing from the panel:\n%s", name, screen)
							}
						}
						if !strings.Contains(screen, "✋") {
							t.Fatalf("the raised hand is not marked:\n%s", screen)
						}
						golden.RequireEqual(t, h.styled())
					})
				}
			}
		}
	}
}

func initials(s string) string {
	var b strings.Builder
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' }) {
		for _, r := range p {
			b.WriteRune(r)
			break
		}
	}
	return b.String()
}

// resultsScene seals three links: an accept, a rephrasing, a rejection.
func resultsScene(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	for _, d := range []review.VoteData{
		{Proposal: "p1", Verdict: review.Accept},
		{Proposal: "p2", Verdict: review.Rephrase, Statement: "Les nouveaux membres sont accompagnés par une marraine."},
		{Proposal: "p3", Verdict: review.Reject, Reason: review.ReasonTooVague},
	} {
		if _, err := h.hub.Do(ctx, facilitator, review.KindDecisionMade, d); err != nil {
			t.Fatal(err)
		}
	}
	rev := h.hub.Snapshot().StateRev
	h.until("the seals", func() bool { return h.m.snap.StateRev >= rev })
}

// TestGoldenResults pins the results view, and the wall that follows the
// facilitator there.
func TestGoldenResults(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, lang := range []string{"fr", "en"} {
			for _, th := range []string{"dark", "light"} {
				t.Run(fmt.Sprintf("%dx%d_%s_%s", size[0], size[1], lang, th), func(t *testing.T) {
					h := themed(t, lang, th, size[0], size[1])
					resultsScene(t, h)
					wall := startHarnessOpts(t, h.hub, h.store, Options{Actor: projector, Lang: lang, Theme: th}, size[0], size[1])
					// The wall is online as soon as it joins, but present on the
					// link only once its screen has told the hub where it is;
					// presence is gathered before it is shown, so flush until
					// this screen names the wall twice (online, and here).
					h.until("the wall online and here", func() bool {
						h.hub.FlushPresence()
						return strings.Count(h.screen(), "Salle") >= 2
					})
					h.press("=")
					h.until("the wall follows", func() bool { return h.hub.Snapshot().View == session.ViewResults })
					h.idle() // room.viewed is recorded: the screen no longer says "saving…"
					rev := h.hub.Snapshot().StateRev
					wall.until("the wall's results", func() bool { return wall.m.snap.StateRev >= rev })
					for _, s := range []string{h.screen(), wall.screen()} {
						for _, want := range []string{"marraine", "C3", "C9"} {
							if !strings.Contains(s, want) {
								t.Fatalf("results lack %q:\n%s", want, s)
							}
						}
					}
					golden.RequireEqual(t, h.styled())
					h.press("=")
					h.until("the wall back", func() bool { return h.hub.Snapshot().View == "" })
				})
			}
		}
	}
}

// TestGoldenAgenda pins the facilitator's agenda line: the time left, the
// links left, the pace once measured, the order of work.
func TestGoldenAgenda(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		for _, th := range []string{"dark", "light"} {
			t.Run(lang+"_"+th, func(t *testing.T) {
				h := themed(t, lang, th, 160, 48)
				h.press("A")
				h.typeText("1h30")
				h.press("enter")
				h.idle()
				if a := h.hub.Snapshot().State.Agenda; a == nil || a.End.Sub(t0) != 90*time.Minute {
					t.Fatalf("agenda %+v", a)
				}
				h.press("a")
				h.idle()
				h.clock.Advance(10 * time.Minute)
				h.press("O")
				h.idle()
				h.send(agendaTickMsg{})
				screen := h.screen()
				// One link in ten minutes, eighty minutes left: 1+8 of 4.
				want := map[string]string{"fr": "⏱ 1 h 20 restantes · 3 liens à traiter · à ce rythme : 4 liens sur 4 · ordre : désaccords d'abord",
					"en": "⏱ 1 h 20 left · 3 links to go · at this pace: 4 links of 4 · order: disagreements first"}[lang]
				if !strings.Contains(screen, want) {
					t.Fatalf("no agenda line %q:\n%s", want, screen)
				}
				golden.RequireEqual(t, h.styled())
			})
		}
	}
}

// A participant's raised hand reaches the facilitator with their name and
// the wall as a count.
func TestHandRaised(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 100, 30)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	wall := startHarness(t, fac.hub, fac.store, projector, "fr", 100, 30)
	par.press("h")
	par.until("the hand in the trace", func() bool { return fac.hub.Snapshot().State.Hand(malik) })
	fac.hub.FlushPresence()
	fac.until("the facilitator sees it", func() bool { return strings.Contains(fac.screen(), "✋ 1 Malik") })
	wall.until("the wall counts it", func() bool { return strings.Contains(wall.screen(), "✋ 1 mains levées") })
	par.press("h")
	par.until("lowered", func() bool { return strings.Contains(par.screen(), "Main baissée") })
}

// U seals every open link on which the participants who voted agree, at
// least N of them, after a count and a confirmation, one event each.
func TestSealUnanimous(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 100, 30)
	ctx := context.Background()
	for _, v := range []struct {
		who review.Actor
		p   string
		d   review.VoteData
	}{
		{malik, "p1", review.VoteData{Verdict: review.Accept}},
		{zoe, "p1", review.VoteData{Verdict: review.Accept}},
		{malik, "p2", review.VoteData{Verdict: review.Reject, Reason: review.ReasonOffTopic}},
		{zoe, "p2", review.VoteData{Verdict: review.Reject, Reason: review.ReasonTooVague}},
		{malik, "p3", review.VoteData{Verdict: review.Accept}},
		{zoe, "p3", review.VoteData{Verdict: review.Reject, Reason: review.ReasonTooVague}},
		{malik, "p4", review.VoteData{Verdict: review.Accept}},
	} {
		v.d.Proposal = v.p
		if _, err := fac.hub.Do(ctx, v.who, review.KindVoteCast, v.d); err != nil {
			t.Fatal(err)
		}
	}
	// No wait for the votes on screen: the hub does not wake a screen for
	// votes on links it does not display, and U counts them all the same.
	fac.press("U", "enter")
	if !strings.Contains(fac.screen(), "2 liens ouverts sont unanimes (au moins 2 votes") {
		t.Fatalf("no count before sealing:\n%s", fac.screen())
	}
	before := len(fac.store.events)
	fac.press("o")
	fac.idle()
	var seals []review.Event
	for _, e := range fac.store.events[before:] {
		if e.Kind == review.KindDecisionMade {
			seals = append(seals, e)
		}
	}
	if len(seals) != 2 || fac.proposal("p1").Status != review.Accepted || fac.proposal("p2").Status != review.Rejected ||
		fac.proposal("p3").Sealed || fac.proposal("p4").Sealed {
		t.Fatalf("%d seals; p1 %s, p2 %s, p3 sealed %v, p4 sealed %v", len(seals), fac.proposal("p1").Status, fac.proposal("p2").Status,
			fac.proposal("p3").Sealed, fac.proposal("p4").Sealed)
	}
	if !strings.Contains(fac.screen(), "2 liens scellés") {
		t.Fatalf("no report of the seals:\n%s", fac.screen())
	}
}

// i shows the passage in its document, with what comes before and after,
// on any screen.
func TestSourceView(t *testing.T) {
	par := newHarness(t, malik, "en", 100, 30)
	par.press("i")
	s := par.screen()
	for _, want := range []string{"The passage in its document", "▶ this passage", "§", "imported on"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the source view lacks %q:\n%s", want, s)
		}
	}
	par.press("i")
	if par.m.mode != modeBrowse {
		t.Fatal("i should close the source view")
	}
}

// Parsing what the facilitator types for a timer or an end.
func TestParseDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{"3": 3 * time.Minute, "2:30": 150 * time.Second, "90s": 90 * time.Second,
		"5min": 5 * time.Minute, "1h30": 90 * time.Minute, "2h": 2 * time.Hour} {
		if d, ok := parseDuration(in, time.Minute); !ok || d != want {
			t.Errorf("parseDuration(%q) = %v %v, want %v", in, d, ok, want)
		}
	}
	for _, bad := range []string{"", "x", "2:75", "-"} {
		if _, ok := parseDuration(bad, time.Minute); ok {
			t.Errorf("parseDuration(%q) accepted", bad)
		}
	}
	now := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{"16:30": now.Add(150 * time.Minute), "16h30": now.Add(150 * time.Minute), "90": now.Add(90 * time.Minute), "1h30": now.Add(90 * time.Minute)} {
		if e, ok := parseEnd(in, now); !ok || !e.Equal(want) {
			t.Errorf("parseEnd(%q) = %v %v, want %v", in, e, ok, want)
		}
	}
	if _, ok := parseEnd("09:00", now); ok {
		t.Error("an end in the past was accepted")
	}
}

// A participant who reconnects with a draft of another link lands on the
// room's link; the draft comes back when they go to its own.
func TestReconnectDraftWaitsForItsLink(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	fac.press("j", "j")
	fac.until("the room on p3", func() bool { return fac.hub.Snapshot().State.Room.Proposal == "p3" })
	fac.hub.SaveDraft(malik.Key(), session.Draft{Proposal: "p1", Mode: draftComment, Text: "Je reviens là-dessus"})
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	par.until("on the room's link", func() bool { return par.m.current == "p3" })
	if !strings.Contains(par.screen(), "Votre brouillon est gardé") || par.m.mode != modeBrowse {
		t.Fatalf("the draft should wait:\n%s", par.screen())
	}
	par.press("g")
	if par.m.current != "p1" || par.m.mode != modeComment || par.m.input.Value() != "Je reviens là-dessus" {
		t.Fatalf("the draft did not come back on its link: on %s, mode %d", par.m.current, par.m.mode)
	}
}

// Once nothing is pending, the wall shows the results: the session's last
// screen.
func TestWallEndsOnResults(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 100, 30)
	wall := startHarness(t, fac.hub, fac.store, projector, "fr", 100, 30)
	resultsScene(t, fac)
	if _, err := fac.hub.Do(context.Background(), facilitator, review.KindDecisionMade, review.VoteData{Proposal: "p4", Verdict: review.Accept}); err != nil {
		t.Fatal(err)
	}
	rev := fac.hub.Snapshot().StateRev
	wall.until("the last seal", func() bool { return wall.m.snap.StateRev >= rev })
	if s := wall.screen(); !strings.Contains(s, "Ce que la salle a décidé") || !strings.Contains(s, "marraine") {
		t.Fatalf("the wall's last screen is not the results:\n%s", s)
	}
}

// The picker keeps the chosen wording marked while the outcome is
// written; a parked link that is sealed is no longer parked.
func TestPickerAndParkedSeal(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 100, 30)
	fac.press("p")
	fac.idle()
	fac.press("v", "tab")
	if s := fac.screen(); !strings.Contains(s, "▸ version d'origine") {
		t.Fatalf("after Tab the chosen wording is not marked:\n%s", s)
	}
	fac.press("enter")
	fac.idle()
	if p := fac.proposal("p1"); !p.Sealed || p.Parked {
		t.Fatalf("sealed %v, parked %v: a sealed link is no longer parked", p.Sealed, p.Parked)
	}
}

// n follows the order of work: disagreements first, then the hand-picked
// links in the order they were picked.
func TestOrderOfWork(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 100, 30)
	ctx := context.Background()
	for _, v := range []struct {
		who review.Actor
		d   review.VoteData
	}{{malik, review.VoteData{Proposal: "p4", Verdict: review.Accept}}, {zoe, review.VoteData{Proposal: "p4", Verdict: review.Reject, Reason: review.ReasonTooVague}}} {
		if _, err := fac.hub.Do(ctx, v.who, review.KindVoteCast, v.d); err != nil {
			t.Fatal(err)
		}
	}
	rev := fac.hub.Snapshot().StateRev
	fac.until("the votes", func() bool { return fac.m.snap.StateRev >= rev })
	fac.press("O", "n")
	if fac.m.current != "p4" {
		t.Fatalf("disagreements first: n went to %s, want p4", fac.m.current)
	}
	// Pick p3 then p2; under the picked order n takes p3, then p2.
	fac.press("k", "*", "k", "*", "g", "O", "O")
	fac.idle()
	if o := fac.m.workOrder(); o != orderPicked {
		t.Fatalf("order %d, want the picked links", o)
	}
	// A facilitator who reconnects finds the agenda where it was.
	again := startHarness(t, fac.hub, fac.store, facilitator, "fr", 100, 30)
	if o, picks := again.m.workOrder(), again.m.picks(); o != orderPicked || !slices.Equal(picks, []string{"p3", "p2"}) {
		t.Fatalf("after reconnecting: order %d, picks %v; want the picked links p3, p2", o, picks)
	}
	fac.press("n")
	if fac.m.current != "p3" {
		t.Fatalf("picked order: n went to %s, want p3", fac.m.current)
	}
	fac.press("n")
	if fac.m.current != "p2" {
		t.Fatalf("picked order: n went to %s, want p2", fac.m.current)
	}
}

// One turnout: the review screen and the wall count the same room the same
// way (a skip is a part taken; a person with two screens is one).
func TestTurnoutSameOnScreenAndWall(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 100, 30)
	wall := startHarness(t, fac.hub, fac.store, projector, "fr", 100, 30)
	crowd(t, fac, 7) // Amina, Dominique-Anne and Hugo vote
	ctx := context.Background()
	if _, err := fac.hub.Join(ctx, review.Actor{Name: "Amina", Fingerprint: "SHA256:Amina", Role: review.Participant}, "ssh"); err != nil {
		t.Fatal(err) // a second screen of Amina's: still one person
	}
	if _, err := fac.hub.Do(ctx, review.Actor{Name: "Bastien", Fingerprint: "SHA256:Bastien", Role: review.Participant}, review.KindVoteCast,
		review.VoteData{Proposal: "p1", Verdict: review.Skip}); err != nil {
		t.Fatal(err)
	}
	fac.hub.FlushPresence()
	rev := fac.hub.Snapshot().Rev
	fac.until("the room", func() bool { return fac.m.snap.Rev >= rev })
	wall.until("the room", func() bool { return wall.m.snap.Rev >= rev })
	if s := fac.screen(); !strings.Contains(s, "4/7 ont voté") {
		t.Fatalf("the review screen's turnout:\n%s", s)
	}
	if s := wall.screen(); !strings.Contains(s, "4 sur 7 participant·es ont voté · 57 %") {
		t.Fatalf("the wall's turnout:\n%s", s)
	}
}

// The leader who showed the results leaves: the wall goes back to the
// room's link.
func TestResultsEndWithTheirLeader(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 100, 30)
	fac.press("=")
	fac.until("the wall on the results", func() bool { return fac.hub.Snapshot().View == session.ViewResults })
	fac.hub.Leave(context.Background(), fac.m.conn)
	if v := fac.hub.Snapshot().View; v != "" {
		t.Fatalf("view %q after the leader left", v)
	}
}

// FuzzParseEnd: whatever the facilitator types for the session's end or a
// timer, the parsers neither panic nor give an end that is not to come.
func FuzzParseEnd(f *testing.F) {
	for _, s := range []string{"16:30", "16h30", "90", "1h30", "2h", "5min", "2:30", "90s", "", "x", "-5m", "25:00", "1h-30"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		parseDuration(s, time.Minute)
		if end, ok := parseEnd(s, now); ok && !end.After(now) {
			t.Fatalf("parseEnd(%q) = %v, not after %v", s, end, now)
		}
	})
}
