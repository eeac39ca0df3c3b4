package pane

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/tui/i18n"
	"github.com/coopdescommuns/revue/tui/theme"
)

// TestWhyShowsExpansions checks that the why pane names the words a
// lexical proposal found besides the criterion's own, and where each came
// from, in French and English.
func TestWhyShowsExpansions(t *testing.T) {
	st := theme.New(true, true)
	p := &review.ProposalState{Proposal: review.Proposal{ID: "p", QuoteStart: -1, QuoteEnd: -1,
		Origin: review.Origin{Kind: review.OriginLexical, Name: "bm25", Provenance: &review.Provenance{PromptVersion: "frugal/2",
			MatchedTerms: []string{"rappel", "avertissement", "amende"},
			Expansions: []review.ExpandedTerm{{Word: "avertissement", Source: "keyword", From: "avertissement", Weight: 1},
				{Word: "amende", Source: "thesaurus", From: "sanctions", Weight: 0.35}}}}}}
	for _, tc := range []struct {
		t    *i18n.Text
		want string
	}{
		{&i18n.French, "mots ajoutés  avertissement (mot-clé), amende (thésaurus, pour sanctions)"},
		{&i18n.English, "added words     avertissement (keyword), amende (thesaurus, for sanctions)"},
	} {
		c := &Common{T: tc.t, St: &st, State: review.NewState(), Loc: time.UTC}
		var text []string
		for _, l := range c.WhyLines(p, 120, false, "") {
			text = append(text, strings.TrimSpace(ansi.Strip(l)))
		}
		got := strings.Join(text, "\n")
		if !strings.Contains(strings.Join(strings.Fields(got), " "), strings.Join(strings.Fields(tc.want), " ")) {
			t.Errorf("why pane:\n%s\nwant a line %q", got, tc.want)
		}
	}
}
