package room

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/vt"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize/sanitizetest"
	"github.com/coopdescommuns/revue/session"
)

// openScene is the room in the middle of a discussion: Claire leads it on
// p1 with a five-minute timer, five opinions are in, one of them a new
// wording, one person passes; ten people are connected.
func openScene(t testing.TB) *session.Snapshot {
	return discussion(t, false).snapshot(people(7)...)
}

func discussion(t testing.TB, blind bool) *workshop {
	o := people(7)
	w := fixture(t)
	if blind {
		w.add(claire, review.KindConditionsSet, review.Conditions{Blind: true})
	}
	return w.
		add(claire, review.KindRoomLed, review.RoomData{Follow: true, Proposal: "p1"}).
		before(133*time.Second).add(claire, review.KindTimerStarted, review.TimerData{Proposal: "p1", Seconds: 300}).
		vote(malik, "p1", review.Accept).
		vote(zoe, "p1", review.Reject).
		vote(o[0], "p1", review.Accept).
		vote(o[1], "p1", review.Rephrase, "Les membres du jardin décident ensemble des changements de règles, en assemblée.").
		vote(o[2], "p1", review.Accept).
		vote(o[3], "p1", review.Skip)
}

// blindScene is the same discussion in blind voting, before the reveal.
func blindScene(t testing.TB) *session.Snapshot {
	return discussion(t, true).snapshot(people(7)...)
}

// sealedScene: Claire sealed p1 twenty seconds ago with Bruno's wording
// and a closing sentence; the notice is still on the wall.
func sealedScene(t testing.TB) *session.Snapshot {
	w := discussion(t, false)
	w.add(claire, review.KindTimerStopped, review.TimerStop{Proposal: "p1", Reason: review.TimerStoppedByHand})
	w.before(20*time.Second).add(claire, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Rephrase, Version: 2,
		Outcome: "Le groupe préfère « décident ensemble » : voter ne dit pas qui propose."})
	return w.snapshot(people(7)...)
}

// TestGolden pins whole walls, with their colours, at a projector's usual
// sizes in both languages on dark and light backgrounds, and once at a
// laptop's 80x24 and without colour. `cat` a golden file in a terminal to
// see it; regenerate with `go test ./tui/room -update` and read the diff.
func TestGolden(t *testing.T) {
	type tc struct {
		scene   func(testing.TB) *session.Snapshot
		name    string
		lang    string
		w, h    int
		dark    bool
		noColor bool
	}
	var cases []tc
	for _, lang := range []string{"fr", "en"} {
		for _, size := range [][2]int{{160, 48}, {240, 67}} {
			for _, dark := range []bool{true, false} {
				cases = append(cases, tc{openScene, "open", lang, size[0], size[1], dark, false})
			}
		}
	}
	cases = append(cases,
		tc{openScene, "open", "fr", 80, 24, true, false},
		tc{openScene, "open", "fr", 160, 48, true, true},
		tc{blindScene, "blind", "fr", 160, 48, true, false},
		tc{blindScene, "blind", "en", 240, 67, false, false},
		tc{sealedScene, "sealed", "fr", 160, 48, false, false},
		tc{sealedScene, "sealed", "en", 240, 67, true, false},
		tc{sealedScene, "sealed", "fr", 80, 24, true, false},
	)
	for _, c := range cases {
		theme := map[bool]string{true: "dark", false: "light"}[c.dark]
		if c.noColor {
			theme = "nocolor"
		}
		t.Run(fmt.Sprintf("%s_%s_%dx%d_%s", c.name, c.lang, c.w, c.h, theme), func(t *testing.T) {
			out := render(t, c.scene(t), Options{Lang: c.lang, Dark: c.dark, NoColor: c.noColor}, c.w, c.h)
			if c.noColor && strings.Contains(out, "\x1b[3") {
				t.Error("NO_COLOR: the wall has a foreground colour")
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestOpenVotesReadAsTally checks what the golden files show, in words a
// reader can follow: the tally per verdict, the turnout counting each
// person once and the projector not at all, the disagreement.
func TestOpenVotesReadAsTally(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}, {240, 67}} {
		screen := ansi.Strip(render(t, openScene(t), Options{Lang: "fr", Dark: true}, size[0], size[1]))
		for _, want := range []string{"C3 · Décider ensemble des règles", "votent eux-mêmes", "6 sur 9 participant·es ont voté · 66 %", "1 passe", "désaccord", "0 / 4 liens décidés"} {
			if !strings.Contains(screen, want) {
				t.Errorf("%dx%d: no %q on the wall:\n%s", size[0], size[1], want, screen)
			}
		}
	}
}

// TestLongTextsAreCut feeds the wall texts far longer than it can show: it
// keeps its shape, the votes and the progress stay in view, and the cut
// texts end with an ellipsis.
func TestLongTextsAreCut(t *testing.T) {
	w := fixtureWith(t, fixtureTexts{
		session:   long("atelier", 60),
		docTitle:  long("rapport", 80),
		critTitle: long("Décider", 40),
		critDesc:  long("description", 300),
		statement: long("énoncé", 600),
		passage:   long("passage", 4000) + " " + quote1 + " " + long("suite", 4000),
	}).add(claire, review.KindRoomLed, review.RoomData{Follow: true, Proposal: "p1"}).
		vote(malik, "p1", review.Accept).vote(zoe, "p1", review.Reject)
	check(t, w.snapshot(), 0, "")
	// Sealed, with a long reason and outcome, and a timer still running:
	// the tallest the link's column gets.
	w.add(claire, review.KindTimerStarted, review.TimerData{Proposal: "p1", Seconds: 3600})
	w.add(claire, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonOther,
		Note: long("raison", 300), Outcome: long("conclusion", 300)})
	check(t, w.snapshot(), 1, "✗")
}

// check looks for the parts of the wall that must stay in view, and the
// mark of the decision if any.
func check(t *testing.T, snap *session.Snapshot, decided int, mark string) {
	t.Helper()
	for _, lang := range []string{"fr", "en"} {
		for _, size := range [][2]int{{60, 16}, {80, 24}, {120, 30}, {160, 30}, {200, 24}, {160, 48}, {240, 67}} {
			screen := ansi.Strip(render(t, snap, Options{Lang: lang}, size[0], size[1]))
			votes, progress := "2 sur 2 participant·es ont voté · 100 %", fmt.Sprintf("%d / 4 liens décidés", decided)
			if lang == "en" {
				votes, progress = "2 of 2 participants voted · 100%", fmt.Sprintf("%d / 4 links decided", decided)
			}
			wants := []string{votes, progress, "…", mark}
			if size[1] >= 24 {
				// Below the smallest laptop, the passage may give way
				// to its heading.
				wants = append(wants, "l'assemblée de juin")
			}
			for _, want := range wants {
				if !strings.Contains(screen, want) {
					t.Errorf("%s %dx%d: %q pushed off the wall:\n%s", lang, size[0], size[1], want, screen)
				}
			}
		}
	}
}

func long(word string, n int) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }

// TestHostileTextCannotReachTheTerminal puts escape sequences and bidi
// controls in every text the wall shows: none reaches the screen.
func TestHostileTextCannotReachTheTerminal(t *testing.T) {
	evil := "\x1b]52;c;cm0gLXJmIH4K\x07\x1b]0;pwned\x07\x1b[2J\u202eevil\x9b31m"
	w := fixtureWith(t, fixtureTexts{session: "s" + evil, docTitle: "d" + evil, critTitle: "c" + evil, critDesc: "x" + evil,
		statement: "st" + evil, passage: passage1 + evil})
	bad := review.Actor{Name: "m" + evil, Role: review.Participant}
	w.vote(bad, "p1", review.Accept)
	out := render(t, w.snapshot(bad), Options{Lang: "fr", Dark: true}, 160, 48)
	if leak := sanitizetest.Leak(out); leak != "" {
		t.Errorf("the wall passes to the terminal: %s", leak)
	}
}

// TestEmptyAndTooSmall: a session without proposals, one where all is
// decided, and a screen too small say so in one sentence.
func TestEmptyAndTooSmall(t *testing.T) {
	st, err := review.Replay(fixture(t).evs[:6])
	if err != nil {
		t.Fatal(err)
	}
	if s := ansi.Strip(render(t, &session.Snapshot{State: st}, Options{Lang: "fr"}, 80, 24)); !strings.Contains(s, "Aucune proposition") {
		t.Errorf("empty session:\n%s", s)
	}
	w := fixture(t)
	for _, p := range []string{"p1", "p2", "p3", "p4"} {
		w.add(claire, review.KindDecisionMade, review.VoteData{Proposal: p, Verdict: review.Accept})
	}
	if s := ansi.Strip(render(t, w.snapshot(), Options{Lang: "en"}, 160, 48)); !strings.Contains(s, "Every link is decided") || !strings.Contains(s, "4 / 4 links decided") {
		t.Errorf("all decided:\n%s", s)
	}
	if s := ansi.Strip(render(t, openScene(t), Options{Lang: "fr"}, 50, 12)); !strings.Contains(s, "au moins 60×16") {
		t.Errorf("too small:\n%s", s)
	}
}

// TestNextRedraw: nothing changes with time alone on a quiet wall; a
// running timer asks for the next second, a notice for its end.
func TestNextRedraw(t *testing.T) {
	if d := NextRedraw(fixture(t).snapshot(), t0); d != 0 {
		t.Errorf("quiet wall: redraw in %v, want never", d)
	}
	if d := NextRedraw(openScene(t), t0); d <= 0 || d > time.Second+time.Millisecond {
		t.Errorf("running timer: redraw in %v, want within a second", d)
	}
	w := fixture(t).before(30*time.Second).add(claire, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept})
	if d := NextRedraw(w.snapshot(), t0); d != noticeFor-30*time.Second {
		t.Errorf("notice: redraw in %v, want %v", d, noticeFor-30*time.Second)
	}
	if d := NextRedraw(w.snapshot(), t0.Add(noticeFor)); d != 0 {
		t.Errorf("expired notice: redraw in %v, want never", d)
	}
}

// TestFollowsTheRoom: without a leader the wall shows the first pending
// link; then the link the leader is on, wherever they take the room, also
// while the others browse freely; another facilitator's move changes
// nothing until they take the lead.
func TestFollowsTheRoom(t *testing.T) {
	other := review.Actor{Name: "Yann", Fingerprint: "SHA256:yann", Role: review.Facilitator}
	w := fixture(t).add(claire, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept})
	steps := []struct {
		what string
		do   func()
		want string // the criterion headline on the wall
		pos  string
	}{
		{"nobody leads", func() {}, "C9 · Ouvrir et transmettre les savoirs", "lien 2 sur 4"},
		{"Claire leads on p4", func() { w.add(claire, review.KindRoomLed, review.RoomData{Follow: true, Proposal: "p4"}) }, "C1 · Des limites claires", "lien 4 sur 4"},
		{"Claire moves to p1, decided", func() { w.add(claire, review.KindRoomMoved, review.ProposalRef{Proposal: "p1"}) }, "C3 · Décider ensemble des règles", "lien 1 sur 4"},
		{"another facilitator moves", func() { w.add(other, review.KindRoomMoved, review.ProposalRef{Proposal: "p3"}) }, "C3 · Décider ensemble des règles", "lien 1 sur 4"},
		{"free browsing", func() { w.add(claire, review.KindRoomLed, review.RoomData{Follow: false}) }, "C3 · Décider ensemble des règles", "lien 1 sur 4"},
		{"Yann takes the lead", func() { w.add(other, review.KindRoomLed, review.RoomData{Follow: true, Proposal: "p3"}) }, "C9 · Ouvrir et transmettre les savoirs", "lien 3 sur 4"},
	}
	for _, s := range steps {
		s.do()
		snap := w.snapshot()
		screen := ansi.Strip(render(t, snap, Options{Lang: "fr"}, 160, 48))
		if !strings.Contains(screen, s.want) || !strings.Contains(screen, s.pos) {
			t.Errorf("%s: want %q at %q on the wall:\n%s", s.what, s.want, s.pos, screen)
		}
		if p := Shown(snap.State); p == nil || !strings.Contains(s.pos, fmt.Sprint(indexOf(snap.State, p.ID))) {
			t.Errorf("%s: Shown is %v", s.what, p)
		}
	}
}

// TestNobodyLeadsPassesOverParked: without a leader the wall skips the
// links set aside, and shows one only when nothing else is pending.
func TestNobodyLeadsPassesOverParked(t *testing.T) {
	w := fixture(t).add(claire, review.KindProposalParked, review.ParkData{Proposal: "p1", Parked: true})
	if p := Shown(w.snapshot().State); p == nil || p.ID != "p2" {
		t.Fatalf("p1 parked: the wall shows %v, want p2", p)
	}
	for _, id := range []string{"p2", "p3", "p4"} {
		w.add(claire, review.KindDecisionMade, review.VoteData{Proposal: id, Verdict: review.Accept})
	}
	if p := Shown(w.snapshot().State); p == nil || p.ID != "p1" {
		t.Fatalf("only p1 pending, parked: the wall shows %v, want p1", p)
	}
}

func indexOf(st *review.State, id string) int {
	for i, p := range st.Proposals {
		if p.ID == id {
			return i + 1
		}
	}
	return 0
}

// verdictWords are every way the wall could tell a person's opinion: the
// verdicts' words and marks in both languages, and the disagreement mark.
var verdictWords = []string{"accept", "reject", "rephras", "refor", "rejet", "✓", "✗", "✎", "↷", "désaccord", "disagree", "⚠"}

// passing is a skip's word ("1 passe", "2 passent", "1 pass"), which
// "passage" must not match.
var passing = regexp.MustCompile(`\bpass(e|ent)?\b`)

// TestBlindHoldsNoVerdict: in blind voting the wall, seen by everybody,
// shows how many voted and nothing of what, at every size and in both
// languages, until the facilitator reveals the link's votes.
func TestBlindHoldsNoVerdict(t *testing.T) {
	sizes := [][2]int{{80, 24}, {120, 40}, {160, 48}, {240, 67}}
	for _, lang := range []string{"fr", "en"} {
		for _, size := range sizes {
			screen := strings.ToLower(ansi.Strip(render(t, blindScene(t), Options{Lang: lang, Dark: true}, size[0], size[1])))
			for _, word := range verdictWords {
				if strings.Contains(screen, word) {
					t.Errorf("%s %dx%d: blind wall shows %q before the reveal:\n%s", lang, size[0], size[1], word, screen)
				}
			}
			if m := passing.FindString(screen); m != "" {
				t.Errorf("%s %dx%d: blind wall shows %q before the reveal:\n%s", lang, size[0], size[1], m, screen)
			}
			turnout := map[string]string{"fr": "6 sur 9 participant·es ont voté · 66 %", "en": "6 of 9 participants voted · 66%"}[lang]
			if !strings.Contains(screen, turnout) {
				t.Errorf("%s %dx%d: no turnout %q:\n%s", lang, size[0], size[1], turnout, screen)
			}
		}
	}
	w := discussion(t, true).before(10*time.Second).add(claire, review.KindVotesRevealed, review.ProposalRef{Proposal: "p1"})
	screen := ansi.Strip(render(t, w.snapshot(people(7)...), Options{Lang: "fr"}, 160, 48))
	for _, want := range []string{"VOTES DÉVOILÉS", "✓ accepter      3", "désaccord", "Claire a dévoilé les votes"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after the reveal, no %q:\n%s", want, screen)
		}
	}
}

// TestSealedShowsOutcome: a sealed link shows its decision, the wording
// kept and whose it is, the closing sentence, and a notice while it is
// fresh; a reopened one is open again and says so.
func TestSealedShowsOutcome(t *testing.T) {
	for _, tc := range []struct {
		name string
		seal review.VoteData
		want []string
	}{
		{"accepted", review.VoteData{Verdict: review.Accept, Outcome: "Consensus."},
			[]string{"ÉNONCÉ RETENU", "votent eux-mêmes", "✓ Accepté", "«\u00a0Consensus.\u00a0»", "par Claire à 13:59", "Claire a accepté ce lien", "1 / 4 liens décidés"}},
		{"rejected", review.VoteData{Verdict: review.Reject, Reason: review.ReasonOther, Note: "le vote n'est pas l'élaboration"},
			[]string{"ÉNONCÉ ÉCARTÉ", "votent eux-mêmes", "✗ Rejeté · autre raison\u00a0: le vote n'est pas l'élaboration", "Claire a rejeté ce lien"}},
		{"a participant's wording", review.VoteData{Verdict: review.Rephrase, Version: 2},
			[]string{"ÉNONCÉ RETENU", "décident ensemble", "formulation de Bruno (version 2)", "✎ Reformulé", "Claire a retenu une reformulation"}},
		{"the facilitator's wording", review.VoteData{Verdict: review.Rephrase, Statement: "Le jardin vote ses règles en assemblée."},
			[]string{"Le jardin vote ses règles", "formulation de Claire (version 3)", "✎ Reformulé"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.seal
			d.Proposal = "p1"
			w := discussion(t, false)
			w.before(20*time.Second).add(claire, review.KindDecisionMade, d)
			snap := w.snapshot(people(7)...)
			if p, _ := snap.State.Proposal("p1"); !p.Sealed {
				t.Fatalf("p1 is not sealed: %+v", p.Status)
			}
			screen := ansi.Strip(render(t, snap, Options{Lang: "fr"}, 160, 48))
			for _, want := range tc.want {
				if !strings.Contains(screen, want) {
					t.Errorf("no %q on the wall:\n%s", want, screen)
				}
			}
			if small := ansi.Strip(render(t, snap, Options{Lang: "fr"}, 80, 24)); !strings.Contains(small, tc.want[len(tc.want)-1]) && !strings.Contains(small, "Reformulé") {
				t.Errorf("80x24: the outcome is not on the wall:\n%s", small)
			}
		})
	}
	w := discussion(t, false).
		add(claire, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept}).
		before(5*time.Second).add(claire, review.KindDecisionReopened, review.ReopenData{Proposal: "p1"})
	screen := ansi.Strip(render(t, w.snapshot(people(7)...), Options{Lang: "fr"}, 160, 48))
	for _, want := range []string{"ÉNONCÉ PROPOSÉ", "Claire a rouvert ce lien", "0 / 4 liens décidés", "✓ accepter      3"} {
		if !strings.Contains(screen, want) {
			t.Errorf("reopened: no %q:\n%s", want, screen)
		}
	}
	w.before(4*time.Second).add(claire, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept})
	if screen := ansi.Strip(render(t, w.snapshot(), Options{Lang: "en"}, 160, 48)); !strings.Contains(screen, "reopened 1 time") {
		t.Errorf("sealed again: the reopening is not told:\n%s", screen)
	}
	// Claire moves the room on at once: the notice names the link it is
	// about.
	w.before(3*time.Second).add(claire, review.KindRoomMoved, review.ProposalRef{Proposal: "p2"})
	if screen := ansi.Strip(render(t, w.snapshot(), Options{Lang: "fr"}, 160, 48)); !strings.Contains(screen, "Claire a accepté le lien 1 (C3)") {
		t.Errorf("moved on: the notice does not name its link:\n%s", screen)
	}
}

// TestTimer: a running timer in big figures on a wall and on one line on a
// laptop; time up says so; a stopped timer leaves the wall.
func TestTimer(t *testing.T) {
	big := ansi.Strip(render(t, openScene(t), Options{Lang: "fr"}, 160, 48))
	if !strings.Contains(big, "MINUTEUR") || !strings.Contains(big, "███   █ █  ███") {
		t.Errorf("no big 2:47 on the wall:\n%s", big)
	}
	if small := ansi.Strip(render(t, openScene(t), Options{Lang: "en"}, 80, 24)); !strings.Contains(small, "Timer: 2:47") {
		t.Errorf("no timer line at 80x24:\n%s", small)
	}
	late := New(Options{Lang: "fr"}).Render(openScene(t), t0.Add(10*time.Minute), 160, 48)
	if s := ansi.Strip(late); !strings.Contains(s, "TEMPS ÉCOULÉ") {
		t.Errorf("time up is not told:\n%s", s)
	}
	w := discussion(t, false).add(claire, review.KindTimerStopped, review.TimerStop{Proposal: "p1", Reason: review.TimerStoppedByHand})
	if s := ansi.Strip(render(t, w.snapshot(), Options{Lang: "fr"}, 160, 48)); strings.Contains(s, "MINUTEUR") {
		t.Errorf("a stopped timer stays on the wall:\n%s", s)
	}
	// Recorded as run out ten seconds ago: time up stays a little.
	w = discussion(t, false).before(10*time.Second).add(claire, review.KindTimerStopped, review.TimerStop{Proposal: "p1", Reason: review.TimerElapsed})
	if s := ansi.Strip(render(t, w.snapshot(), Options{Lang: "fr"}, 160, 48)); !strings.Contains(s, "TEMPS ÉCOULÉ") {
		t.Errorf("a timer run out leaves at once:\n%s", s)
	}
	if d := NextRedraw(w.snapshot(), t0); d != noticeFor-10*time.Second {
		t.Errorf("run out: redraw in %v, want %v", d, noticeFor-10*time.Second)
	}
	if s := ansi.Strip(New(Options{Lang: "fr"}).Render(w.snapshot(), t0.Add(noticeFor), 160, 48)); strings.Contains(s, "TEMPS ÉCOULÉ") {
		t.Errorf("time up stays on the wall:\n%s", s)
	}
}

// TestTerminalAgrees writes walls to a terminal emulator (x/vt, as the SSH
// tests read screens) and checks that it shows each line where the wall
// measured it: a cell miscounted (a box-drawing rule, a non-breaking space,
// an accent, a wide character in a name) would wrap or shift a line.
func TestTerminalAgrees(t *testing.T) {
	wide := review.Actor{Name: "山田花子🌸", Role: review.Participant}
	w := discussion(t, false)
	w.vote(wide, "p1", review.Rephrase, "Le jardin décide de ses règles ensemble — « 一緒に » 🌱.")
	w.before(20*time.Second).add(claire, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Rephrase, Version: 3})
	for _, tc := range []struct {
		snap *session.Snapshot
		w, h int
	}{
		{openScene(t), 80, 24}, {sealedScene(t), 160, 48}, {blindScene(t), 240, 67}, {w.snapshot(wide), 120, 40},
	} {
		out := render(t, tc.snap, Options{Lang: "fr", Dark: true}, tc.w, tc.h)
		if tc.w == 120 && !strings.Contains(ansi.Strip(out), "formulation de 山田花子🌸 (version 3)") {
			t.Fatalf("the wide wording is not on the wall:\n%s", ansi.Strip(out))
		}
		emu := vt.NewEmulator(tc.w, tc.h)
		if _, err := emu.Write([]byte(strings.ReplaceAll(out, "\n", "\r\n"))); err != nil {
			t.Fatal(err)
		}
		got := strings.Split(emu.String(), "\n")
		want := strings.Split(ansi.Strip(out), "\n")
		for i := range want {
			if i >= len(got) || strings.TrimRight(got[i], " ") != strings.TrimRight(want[i], " ") {
				g := ""
				if i < len(got) {
					g = got[i]
				}
				t.Fatalf("%dx%d line %d:\nterminal %q\nwall     %q", tc.w, tc.h, i, g, want[i])
			}
		}
	}
}

// FuzzRender draws walls of any text, quote offsets and size: the wall
// always keeps its shape and never passes an escape sequence of the text.
func FuzzRender(f *testing.F) {
	f.Add("Les membres votent.", passage1, quote1, 80, 24, true)
	f.Add("\x1b]52;c;eA==\x07", "a\u0301\u200d👩‍👩‍👧 \t\r\nb", "👩", 160, 48, false)
	f.Add(strings.Repeat("x", 500), strings.Repeat("mot ", 2000), "mot", 240, 67, true)
	f.Fuzz(func(t *testing.T, statement, passage, quote string, w, h int, blind bool) {
		if statement == "" || w < 0 || h < 0 || w > 400 || h > 120 {
			return
		}
		x := fixtureWith(t, fixtureTexts{statement: statement, passage: passage + " ", quote: quote + " "})
		if blind {
			x.add(claire, review.KindConditionsSet, review.Conditions{Blind: true})
		}
		x.vote(malik, "p1", review.Reject)
		snap := x.snapshot()
		out := New(Options{Lang: "fr", Dark: true}).Render(snap, t0, w, h)
		if w == 0 || h == 0 {
			return
		}
		lines := strings.Split(out, "\n")
		if len(lines) != h {
			t.Fatalf("%dx%d: %d lines", w, h, len(lines))
		}
		for i, l := range lines {
			if n := ansi.StringWidth(l); n != w {
				t.Fatalf("%dx%d: line %d is %d cells: %q", w, h, i, n, l)
			}
		}
		if leak := sanitizetest.Leak(out); leak != "" {
			t.Fatalf("%dx%d: %s", w, h, leak)
		}
	})
}
