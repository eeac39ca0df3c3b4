package testtool

import (
	"strings"
	"testing"
)

// fakeT records what Need does with a test.
type fakeT struct {
	testing.TB
	skipped, failed string
}

func (f *fakeT) Helper()                        {}
func (f *fakeT) Skipf(format string, a ...any)  { f.skipped = format }
func (f *fakeT) Fatalf(format string, a ...any) { f.failed = format }

func TestNeed(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CI", "")
	f := &fakeT{}
	Need(f, "xmllint-absent", "libxml2-utils")
	if !strings.Contains(f.skipped, "is not installed") || f.failed != "" {
		t.Errorf("without CI: skipped %q, failed %q", f.skipped, f.failed)
	}
	t.Setenv("CI", "true")
	f = &fakeT{}
	Need(f, "xmllint-absent", "libxml2-utils")
	if !strings.Contains(f.failed, "CI=true") || f.skipped != "" {
		t.Errorf("under CI: skipped %q, failed %q", f.skipped, f.failed)
	}
}

// TestSingularMistakes checks the plural checker itself: it must find a
// plural after 1 (and after 0 in French), and nothing in a sound text.
func TestSingularMistakes(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    int
		text string
		bad  int
	}{
		{"fr", 1, "Corpus : 1 documents, 1 critère", 1},
		{"fr", 0, "0 décisions en vigueur, 0 commentaire", 1},
		{"fr", 1, "bootstrap (1\u202f000 tirages), 21 passages, 1,5 jours", 0},
		{"en", 1, "1 propose runs, 1 model call", 1},
		{"en", 0, "0 criteria, 0 proposals", 0},
		{"fr", 2, "2 critère", 0}, // the plural side is the caller's
		{"fr", 1, "<td>1</td> <b>1 lien</b>", 0},
		{"fr", 1, "<dd>1 liens</dd>", 1},
		{"en", 1, "1 simulated participant joins the room; 1 thesaurus synonym", 0},
	} {
		if got := SingularMistakes(tt.lang, tt.n, tt.text); len(got) != tt.bad {
			t.Errorf("%s %d %q: %q, want %d mistakes", tt.lang, tt.n, tt.text, got, tt.bad)
		}
	}
}
