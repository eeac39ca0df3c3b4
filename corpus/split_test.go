package corpus

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/coopdescommuns/revue/review"
)

// checkPassages verifies what every document must satisfy, whatever its
// format: passages in order, numbered from 1, with IDs from the hash; each
// passage's text exactly the rune slice of the extracted text at its
// offsets, trimmed, not blank, at most maxRunes runes, inside one region and
// carrying its section and page; and no non-space rune of a region lost.
func checkPassages(t testing.TB, sha string, text []rune, regions []span, ps []review.Passage, maxRunes int) {
	t.Helper()
	covered := make([]bool, len(text))
	prevEnd := 0
	for i, p := range ps {
		if p.Index != i+1 {
			t.Fatalf("passage %d has index %d", i+1, p.Index)
		}
		if want := fmt.Sprintf("%s-p%d", sha[:min(12, len(sha))], i+1); p.ID != want {
			t.Fatalf("passage %d has ID %q, want %q", i+1, p.ID, want)
		}
		if p.Document != sha {
			t.Fatalf("passage %d has document %q", i+1, p.Document)
		}
		if p.Start < prevEnd || p.End <= p.Start || p.End > len(text) {
			t.Fatalf("passage %d has offsets [%d,%d) after %d in %d runes", i+1, p.Start, p.End, prevEnd, len(text))
		}
		prevEnd = p.End
		if got := string(text[p.Start:p.End]); got != p.Text {
			t.Fatalf("passage %d text %q is not the text at [%d,%d): %q", i+1, p.Text, p.Start, p.End, got)
		}
		if p.End-p.Start > maxRunes {
			t.Fatalf("passage %d has %d runes, more than %d", i+1, p.End-p.Start, maxRunes)
		}
		if strings.TrimSpace(p.Text) != p.Text || p.Text == "" {
			t.Fatalf("passage %d is not trimmed or is blank: %q", i+1, p.Text)
		}
		inRegion := false
		for _, rg := range regions {
			if p.Start >= rg.start && p.End <= rg.end {
				inRegion = true
				if p.Section != rg.section || p.Page != rg.page {
					t.Fatalf("passage %d has section %q page %d, its region %q page %d", i+1, p.Section, p.Page, rg.section, rg.page)
				}
				break
			}
		}
		if !inRegion {
			t.Fatalf("passage %d [%d,%d) crosses a region edge (regions %v)", i+1, p.Start, p.End, regions)
		}
		for j := p.Start; j < p.End; j++ {
			covered[j] = true
		}
	}
	for _, rg := range regions {
		for j := max(rg.start, 0); j < min(rg.end, len(text)); j++ {
			if !covered[j] && !unicode.IsSpace(text[j]) {
				t.Fatalf("rune %d %q of region %q is in no passage", j, text[j], rg.section)
			}
		}
	}
}

const testSHA = "3fa2c1d0e9b8aabbccddeeff00112233445566778899aabbccddeeff00112233"

func TestSplit(t *testing.T) {
	para := "La coopérative gère la forêt. Chacun participe aux décisions !"
	tests := []struct {
		name string
		text string
		max  int
		want []string
	}{
		{"short text is one passage", "  Un été.  ", 100, []string{"Un été."}},
		{"blank text has none", " \n\t\n ", 100, nil},
		{"paragraphs packed up to the bound", "Un deux.\n\nTrois quatre.\n\nCinq six sept.", 25, []string{"Un deux.\n\nTrois quatre.", "Cinq six sept."}},
		{"paragraph before sentence", para + "\n\n" + para, 70, []string{para, para}},
		{"sentence before word", "Premier. Deuxième phrase ici.", 20, []string{"Premier.", "Deuxième phrase ici."}},
		{"french spaced marks end sentences", "Vraiment ? Oui ! Bien sûr.", 16, []string{"Vraiment ? Oui !", "Bien sûr."}},
		{"line before word", "- un point\n- deux points\n- trois", 24, []string{"- un point\n- deux points", "- trois"}},
		{"word boundary", "alpha beta gamma delta epsilon", 16, []string{"alpha beta gamma", "delta epsilon"}},
		{"hard cut as last resort", strings.Repeat("é", 40), 16, []string{strings.Repeat("é", 16), strings.Repeat("é", 16), strings.Repeat("é", 8)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := []rune(tt.text)
			regions := []span{{start: 0, end: len(text)}}
			spans := split(string(text), regions, tt.max)
			var got []string
			for _, s := range spans {
				got = append(got, string(text[s.start:s.end]))
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("split = %q, want %q", got, tt.want)
			}
			checkPassages(t, testSHA, text, regions, makePassages(testSHA, string(text), spans), tt.max)
		})
	}
}

func TestSplitNeverCrossesRegions(t *testing.T) {
	text := []rune("# Un\nalpha beta gamma\n# Deux\ndelta epsilon zeta eta theta")
	regions, _ := func() ([]span, string) { title, rg := markdownRegions(string(text)); return rg, title }()
	spans := split(string(text), regions, 20)
	checkPassages(t, testSHA, text, regions, makePassages(testSHA, string(text), spans), 20)
	if len(regions) != 2 || regions[0].section != "Un" || regions[1].section != "Deux" {
		t.Fatalf("regions = %+v", regions)
	}
}

// TestSplitHugeLine checks that a 4 MiB line without any newline is cut into
// bounded passages rather than refused; the splitter is linear, so this is
// quick.
func TestSplitHugeLine(t *testing.T) {
	var b strings.Builder
	for b.Len() < 4<<20 {
		b.WriteString("La coopérative partage ses ressources avec les habitants du quartier, ")
	}
	text := []rune(b.String())
	regions := []span{{start: 0, end: len(text)}}
	spans := split(string(text), regions, DefaultMaxPassageRunes)
	if len(spans) < len(text)/DefaultMaxPassageRunes {
		t.Fatalf("%d passages for %d runes", len(spans), len(text))
	}
	checkPassages(t, testSHA, text, regions, makePassages(testSHA, string(text), spans), DefaultMaxPassageRunes)
}

// FuzzSplit feeds arbitrary text, region cuts and bounds to the splitter,
// through the Markdown reader's regions, and checks checkPassages's
// invariants.
func FuzzSplit(f *testing.F) {
	f.Add("# Titre\nUn paragraphe. Deux phrases !\n\n## Suite\n- un\n- deux\n", 20)
	f.Add(strings.Repeat("x", 100), 16)
	f.Add("a b c d e f g h i j k l m n o p q r s t u v w x y z", 17)
	f.Add("Titre\n=====\n\ntexte\n```\n# pas un titre\n```\n", 16)
	f.Add("é\u00a0\u2028\u3000x. \n\n\n. ?! « Oui. » (non.) fin", 18)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = minPassageRunes + abs(max)%200
		s = clean(strings.ToValidUTF8(s, "\uFFFD"))
		_, regions := markdownRegions(s)
		text := []rune(s)
		for i := range regions {
			regions[i].end = min(regions[i].end, len(text))
		}
		spans := split(string(text), regions, max)
		checkPassages(t, testSHA, text, regions, makePassages(testSHA, string(text), spans), max)
	})
}

func abs(x int) int {
	if x < 0 {
		if -x < 0 {
			return 0
		}
		return -x
	}
	return x
}
