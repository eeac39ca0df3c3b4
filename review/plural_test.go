package review

import (
	"bytes"
	"testing"

	"github.com/coopdescommuns/revue/internal/testtool"
)

// pluralFigures is a report whose every count is n, with one origin, one
// criterion, one person and one rejection reason, so that each line of
// the report holds counts of n.
func pluralFigures(n int) Figures {
	f := Figures{Session: "s",
		ByOrigin: map[string]OriginFigures{OriginModel: {}}, Negatives: map[string]OriginFigures{OriginModel: {}},
		ByCriterion: []CriterionFigures{{Criterion: "C1"}}, Persons: []PersonFigures{{Person: "P1", Role: Participant}},
		Reasons: map[string]int{Reasons[0]: 0}, PerCriterion: []AgreementFigures{{Criterion: "C1"}}}
	testtool.SetInts(&f, n)
	return f
}

// TestReportPlurals writes the report with every count at 0, 1 and 2 in
// both languages: a noun after a count agrees with it (French: 0 and 1
// singular; English: 1 only), "1 propositions" and "1 propose runs" no
// more.
func TestReportPlurals(t *testing.T) {
	want := map[string]map[int][]string{
		"fr": {
			0: {"0 document, 0 critère", "0 passage de propose", "0 décision en vigueur", "0 token,"},
			1: {"1 document, 1 critère", "1 proposition notée par au moins deux personnes", "1 passage de propose", "1 appel au modèle",
				"1 personne retirée, absente", "1 décision en vigueur", "1 paire de votes", "1 désaccord en cours", "1 vote « accepter »"},
			2: {"2 documents, 2 critères", "2 propositions notées", "2 passages de propose", "2 personnes retirées, absentes",
				"2 décisions en vigueur", "2 paires de votes", "2 tokens"},
		},
		"en": {
			0: {"0 documents, 0 criteria", "0 propose runs", "0 decisions in force", "0 tokens"},
			1: {"1 document, 1 criterion", "1 propose run,", "1 model call,", "1 person withdrawn", "1 decision in force",
				"1 proposal rated", "1 person;", "1 vote pair", "1 open disagreement\n", "1 accept vote "},
			2: {"2 documents, 2 criteria", "2 propose runs", "2 people withdrawn", "2 decisions in force", "2 vote pairs"},
		},
	}
	for _, lang := range []string{"fr", "en"} {
		for n := range 3 {
			var b bytes.Buffer
			if err := WriteReport(&b, pluralFigures(n), lang); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			testtool.CheckPlurals(t, lang, n, out, want[lang][n])
		}
	}
}

// TestFormatCount is the rule itself: French 0 and 1 singular, English 1.
func TestFormatCount(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 critère"}, {"fr", 1, "1 critère"}, {"fr", 2, "2 critères"}, {"fr", 1234, "1\u202f234 critères"},
		{"en", 0, "0 criteria"}, {"en", 1, "1 criterion"}, {"en", 2, "2 criteria"}, {"en", 1234, "1,234 criteria"},
	} {
		if got := FormatCount(tt.lang, tt.n, "critère", "critères", "criterion", "criteria"); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
