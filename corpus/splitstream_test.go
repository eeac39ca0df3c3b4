package corpus

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// streamSpans cuts text with a textSplitter, given in pieces of random
// sizes, each ending between two runes as the reader gives them.
func streamSpans(t *testing.T, text string, maxRunes int, rng *rand.Rand) ([]span, []string) {
	t.Helper()
	var spans []span
	var texts []string
	s := newTextSplitter(maxRunes, func(sp span, text string) error {
		spans = append(spans, sp)
		texts = append(texts, text)
		return nil
	})
	for len(text) > 0 {
		n := min(1+rng.IntN(300), len(text))
		for n < len(text) && !utf8.RuneStart(text[n]) {
			n++
		}
		if err := s.feed(text[:n], false); err != nil {
			t.Fatal(err)
		}
		text = text[n:]
	}
	if err := s.feed("", true); err != nil {
		t.Fatal(err)
	}
	return spans, texts
}

// TestTextSplitterIsSplit: the passages cut as the text is read are the
// ones split cuts from the whole text, on random texts of words, long
// words, sentences, lines, blank lines and multibyte runes, given in
// pieces of random sizes.
func TestTextSplitterIsSplit(t *testing.T) {
	parts := []string{"la", "coopérative", "décide", "œuvre", "🌱", " ", " ", " ", "  ", "\t", "\n", "\n\n", " \n \n", ".", " ?", " !", "…", "« ", " »", "\"", ")", strings.Repeat("x", 70), "\r"}
	for seed := uint64(1); seed <= 400; seed++ {
		rng := rand.New(rand.NewPCG(seed, 23))
		var b strings.Builder
		for range rng.IntN(600) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		text := b.String()
		maxRunes := 16 + rng.IntN(60)
		want := split(text, []span{{start: 0, end: utf8.RuneCountInString(text)}}, maxRunes)
		got, texts := streamSpans(t, text, maxRunes, rng)
		if len(got) != len(want) {
			t.Fatalf("seed %d (max %d): %d passages, split gives %d", seed, maxRunes, len(got), len(want))
		}
		for i := range want {
			if got[i].start != want[i].start || got[i].end != want[i].end || texts[i] != text[want[i].bstart:want[i].bend] {
				t.Fatalf("seed %d (max %d): passage %d is %v %q, split gives %v %q", seed, maxRunes, i, got[i], texts[i], want[i], text[want[i].bstart:want[i].bend])
			}
		}
	}
}
