package room

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// openScene is the room in the middle of a discussion: five opinions on
// p1, one of them a new wording, one person passing, ten people connected.
func openScene(t testing.TB) *session.Snapshot {
	o := people(7)
	w := fixture(t).
		vote(malik, "p1", review.Accept).
		vote(zoe, "p1", review.Reject).
		vote(o[0], "p1", review.Accept).
		vote(o[1], "p1", review.Rephrase, "Les membres du jardin décident ensemble des changements de règles, en assemblée.").
		vote(o[2], "p1", review.Accept).
		vote(o[3], "p1", review.Skip)
	return w.snapshot(o...)
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
		for _, want := range []string{"C3 · Décider ensemble des règles", "votent eux-mêmes", "5 votes sur 10 personnes connectées", "1 passe", "désaccord", "0 / 4 liens décidés"} {
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
	long := func(word string, n int) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }
	w := fixtureWith(t, fixtureTexts{
		session:   long("atelier", 60),
		docTitle:  long("rapport", 80),
		critTitle: long("Décider", 40),
		critDesc:  long("description", 300),
		statement: long("énoncé", 600),
		passage:   long("passage", 4000) + " " + quote1 + " " + long("suite", 4000),
	}).vote(malik, "p1", review.Accept).vote(zoe, "p1", review.Reject)
	snap := w.snapshot()
	for _, lang := range []string{"fr", "en"} {
		for _, size := range [][2]int{{60, 16}, {80, 24}, {120, 30}, {160, 48}, {240, 67}} {
			screen := ansi.Strip(render(t, snap, Options{Lang: lang}, size[0], size[1]))
			votes, progress := "2 votes sur 3 personnes connectées", "0 / 4 liens décidés"
			if lang == "en" {
				votes, progress = "2 votes from 3 people online", "0 / 4 links decided"
			}
			for _, want := range []string{votes, progress, "…", "l'assemblée de juin"} {
				if !strings.Contains(screen, want) {
					t.Errorf("%s %dx%d: %q pushed off the wall:\n%s", lang, size[0], size[1], want, screen)
				}
			}
		}
	}
}

// TestHostileTextCannotReachTheTerminal puts escape sequences and bidi
// controls in every text the wall shows: none reaches the screen.
func TestHostileTextCannotReachTheTerminal(t *testing.T) {
	evil := "\x1b]52;c;cm0gLXJmIH4K\x07\x1b]0;pwned\x07\x1b[2J\u202eevil\x9b31m"
	w := fixtureWith(t, fixtureTexts{session: "s" + evil, docTitle: "d" + evil, critTitle: "c" + evil, critDesc: "x" + evil,
		statement: "st" + evil, passage: passage1 + evil})
	bad := review.Actor{Name: "m" + evil, Role: review.Participant}
	w.vote(bad, "p1", review.Accept)
	out := render(t, w.snapshot(bad), Options{Lang: "fr", Dark: true}, 160, 48)
	for _, seq := range []string{"\x1b]", "\x07", "\x1b[2J", "\u202e", "\x9b"} {
		if strings.Contains(out, seq) {
			t.Errorf("the wall passes %q to the terminal", seq)
		}
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
// decision's notice asks to be cleared when it expires.
func TestNextRedraw(t *testing.T) {
	if d := NextRedraw(openScene(t), t0); d != 0 {
		t.Errorf("quiet wall: redraw in %v, want never", d)
	}
	w := fixture(t).before(30*time.Second).add(claire, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept})
	if d := NextRedraw(w.snapshot(), t0); d <= 0 || d > noticeFor {
		t.Errorf("notice: redraw in %v, want within %v", d, noticeFor)
	}
}
