package pane

import (
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

func TestPassageViewQuote(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		qs, qe     int
		want       string // the highlighted text
	}{
		{"plain", "abc def ghi", 4, 7, "def"},
		{"tab before widens the text", "\tabc def", 5, 8, "def"},
		{"escape inside the quote vanishes", "abc d\x1b[2Jef ghi", 4, 11, "def"},
		{"offsets out of range are no quote", "abc", 2, 9, ""},
		{"reversed offsets are no quote", "abc", 2, 1, ""},
		{"not found", "abc", -1, -1, ""},
		{"split emoji sequence widens", "x 👩\u200d👩\u200d👧 y", 2, 5, "👩\u200d👩\u200d👧"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &review.ProposalState{Proposal: review.Proposal{ID: "p", QuoteStart: tc.qs, QuoteEnd: tc.qe}}
			v := NewPassageView(p, tc.text, 40)
			var got []string
			for i := range v.lines {
				v.Render(i, func(s string) string { got = append(got, s); return s })
			}
			if strings.Join(got, "") != tc.want {
				t.Fatalf("highlighted %q, want %q", got, tc.want)
			}
		})
	}
}
