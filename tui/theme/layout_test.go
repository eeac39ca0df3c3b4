package theme

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		width int
		want  []string
	}{
		{"fits", "deux mots", 20, []string{"deux mots"}},
		{"breaks at spaces", "les règles du jardin", 10, []string{"les règles", "du jardin"}},
		{"long word is cut", "anticonstitutionnellement", 10, []string{"anticonsti", "tutionnell", "ement"}},
		{"newlines kept", "a\n\nb", 10, []string{"a", "", "b"}},
		{"spaces collapse at breaks", "aaaa    bbbb", 6, []string{"aaaa", "bbbb"}},
		{"inner spaces kept", "a  b", 10, []string{"a  b"}},
		{"wide characters", "日本語のテキスト", 6, []string{"日本語", "のテキ", "スト"}},
		{"empty", "", 5, []string{""}},
		{"no « alone at a line's end", "le mot « jardin » ici", 11, []string{"le mot", "« jardin »", "ici"}},
		{"French signs stay with their word", "vrai ? oui : non ; fin !", 6, []string{"vrai ?", "oui :", "non ;", "fin !"}},
		{"guillemets hold their word", "un « mot » là", 10, []string{"un « mot »", "là"}},
		{"signs held together wider than the line break at their spaces", "« jardin »", 8, []string{"«", "jardin »"}},
		{"combining mark stays with its letter", "e\u0301e\u0301e\u0301", 2, []string{"e\u0301e\u0301", "e\u0301"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := WrapText(tc.in, tc.width)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("wrapText(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
			}
			for _, l := range got {
				if w := ansi.StringWidth(l); w > tc.width {
					t.Errorf("line %q is %d wide", l, w)
				}
			}
		})
	}
}

// width must agree with ansi.StringWidth on everything its fast path takes.
func TestWidthAgrees(t *testing.T) {
	var all []rune
	for r := rune(0x20); r < 0x3000; r++ {
		if Narrow(r) {
			if w := ansi.StringWidth(string(r)); w != 1 {
				t.Errorf("U+%04X %q: ansi says %d cells, the fast path 1", r, r, w)
			}
			all = append(all, r)
		}
	}
	rng := rand.New(rand.NewSource(1))
	pieces := []string{"\x1b[1m", "\x1b[38;2;1;2;3m", "\x1b[m", "e\u0301", "日本", "👩\u200d👩", "\x1b]8;;x\x1b\\", "a", " "}
	for range 2000 {
		var b strings.Builder
		for range rng.Intn(12) {
			if rng.Intn(3) == 0 {
				b.WriteString(pieces[rng.Intn(len(pieces))])
			} else {
				b.WriteRune(all[rng.Intn(len(all))])
			}
		}
		s := b.String()
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Fatalf("width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
}

// TestTruncateAgrees checks cut, and so the fast path of truncate, against
// ansi.Truncate on random styled text, the way TestWidthAgrees checks
// width: same visible cut, same escape sequences kept after it.
func TestTruncateAgrees(t *testing.T) {
	var all []rune
	for r := rune(0x20); r < 0x3000; r++ {
		if Narrow(r) {
			all = append(all, r)
		}
	}
	rng := rand.New(rand.NewSource(2))
	pieces := []string{"\x1b[1m", "\x1b[38;2;1;2;3m", "\x1b[m", "e\u0301", "日本", "👩\u200d👩", "\x1b]8;;x\x1b\\", "a", " ", "…"}
	fast := 0
	for range 5000 {
		var b strings.Builder
		for range rng.Intn(30) {
			switch rng.Intn(4) {
			case 0:
				b.WriteString(pieces[rng.Intn(len(pieces))])
			case 1:
				b.WriteString(pieces[rng.Intn(3)])
			default:
				b.WriteRune(all[rng.Intn(len(all))])
			}
		}
		s, n := b.String(), rng.Intn(25)
		if !strings.Contains(s, "\x1b") {
			continue // plain text is cut rune by rune, not by truncateSGR
		}
		want := ansi.Truncate(s, n, "…")
		if got := Cut(s, n); got != want {
			t.Fatalf("cut(%q, %d) = %q, ansi.Truncate = %q", s, n, got, want)
		}
		if _, ok := truncateSGR(s, n); ok {
			fast++
		}
	}
	if fast < 1000 {
		t.Fatalf("only %d of 5000 strings took the fast path", fast)
	}
}
