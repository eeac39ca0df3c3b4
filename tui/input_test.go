package tui

import "testing"

func TestQuoteOffsets(t *testing.T) {
	for _, tc := range []struct {
		text, quote string
		start, end  int
		ok          bool
	}{
		{"Les règles du jardin", "règles", 4, 10, true},
		{"Les règles du jardin", "", -1, -1, true},
		{"Les règles du jardin", "regles", 0, 0, false},
		{"été à l'école", "l'école", 6, 13, true},
	} {
		s, e, ok := quoteOffsets(tc.text, tc.quote)
		if s != tc.start || e != tc.end || ok != tc.ok {
			t.Errorf("quoteOffsets(%q, %q) = %d, %d, %v; want %d, %d, %v", tc.text, tc.quote, s, e, ok, tc.start, tc.end, tc.ok)
		}
		if ok && s >= 0 && string([]rune(tc.text)[s:e]) != tc.quote {
			t.Errorf("offsets %d..%d do not give %q back", s, e, tc.quote)
		}
	}
}
