package pane

import (
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/tui/i18n"
	"github.com/coopdescommuns/revue/tui/theme"
)

// The diff is shown to non-developers in plain words: the old wording
// with what it loses marked, the new one with what it gains, never the
// trace's [-…-] {+…+} notation.
func TestBeforeAfter(t *testing.T) {
	mark := func(open, close string) func(string) string {
		return func(s string) string { return open + s + close }
	}
	for _, tc := range []struct {
		a, b, before, after string
	}{
		{"les membres votent", "les membres votent", "les membres votent", "les membres votent"},
		{"les membres du jardin votent eux-mêmes", "les membres votent ensemble",
			"les membres <du jardin> votent <eux-mêmes>", "les membres votent (ensemble)"},
		{"a", "b", "<a>", "(b)"},
		{"Un [-texte-] piégé", "Un {+texte+} piégé", "Un <[-texte-]> piégé", "Un ({+texte+}) piégé"},
		{"", "tout neuf", "", "(tout neuf)"},
	} {
		before, after := BeforeAfter(tc.a, tc.b, mark("<", ">"), mark("(", ")"))
		if before != tc.before || after != tc.after {
			t.Errorf("BeforeAfter(%q, %q)\n = %q, %q\nwant %q, %q", tc.a, tc.b, before, after, tc.before, tc.after)
		}
	}
}

func TestClip(t *testing.T) {
	lines := theme.WrapText(strings.Repeat("mot ", 40), 20)
	got, cut := Clip(lines, 2, 20)
	if !cut || len(got) != 2 || !strings.HasSuffix(got[1], "…") || theme.Width(got[1]) > 20 {
		t.Fatalf("Clip = %q, %v", got, cut)
	}
	if got, cut := Clip(lines[:2], 2, 20); cut || len(got) != 2 {
		t.Fatalf("Clip of what fits = %q, %v", got, cut)
	}
}

// A notice names who did it with their role, once: « animation » who
// joined as facilitator is not « animation (animation) ».
func TestNameWithRole(t *testing.T) {
	fr := &Common{T: &i18n.French}
	for _, tc := range []struct {
		a    review.Actor
		want string
	}{
		{review.Actor{Name: "Claire", Role: review.Facilitator}, "Claire (animation)"},
		{review.Actor{Name: "Animation", Role: review.Facilitator}, "Animation"},
		{review.Actor{Name: "animation", Role: review.Participant}, "animation (participant·e)"},
		{review.Actor{Name: "a\x1b[2Jb", Role: review.Participant}, "ab (participant·e)"},
	} {
		if got := fr.NameWithRole(tc.a); got != tc.want {
			t.Errorf("NameWithRole(%+v) = %q, want %q", tc.a, got, tc.want)
		}
	}
}
