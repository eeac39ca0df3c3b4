package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/internal/testtool"
	"github.com/coopdescommuns/revue/propose"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 critère"}, {"fr", 1, "1 critère"}, {"fr", 2, "2 critères"},
		{"en", 0, "0 criteria"}, {"en", 1, "1 criterion"}, {"en", 2, "2 criteria"},
	} {
		a := &app{lang: tt.lang}
		if got := a.count(tt.n, "critère", "critères", "criterion", "criteria"); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// TestProposePlurals writes propose's summary with every count at 0, 1
// and 2 in both languages: a noun after a count agrees with it.
func TestProposePlurals(t *testing.T) {
	want := map[string]map[int][]string{
		"fr": {
			0: {"0 nouvelle ;", "0 paire jugée sur 0 possible", "0 appel,", "0 mot-clé, 0 synonyme du thésaurus", "(estimation : 30 W × 0 machine × durée (h))"},
			1: {"1 nouvelle ;", "1 paire jugée sur 1 possible, 1 déjà faite", "1 appel,", "1 token envoyé", "1 mot-clé, 1 synonyme du thésaurus", "(estimation : 30 W × 1 machine × durée (h))"},
			2: {"2 nouvelles ;", "2 paires jugées sur 2 possibles, 2 déjà faites", "2 appels,", "2 tokens envoyés", "2 écrits", "2 mots-clés, 2 synonymes du thésaurus", "(estimation : 30 W × 2 machines × durée (h))"},
		},
		"en": {
			0: {"0 new;", "0 pairs judged of 0 possible", "0 calls,", "0 keywords, 0 thesaurus synonyms", "(estimate: 30 W × 0 machines × wall time (h))"},
			1: {"1 new;", "1 pair judged of 1 possible", "1 call,", "1 token sent", "1 keyword, 1 thesaurus synonym", "(estimate: 30 W × 1 machine × wall time (h))"},
			2: {"2 new;", "2 pairs judged of 2 possible", "2 calls,", "2 tokens sent", "2 keywords, 2 thesaurus synonyms", "(estimate: 30 W × 2 machines × wall time (h))"},
		},
	}
	for _, lang := range []string{"fr", "en"} {
		for n := range 3 {
			r := review.ProposeRun{Model: "m", Mode: "model"}
			testtool.SetInts(&r, n)
			// As propose recorded it before its plural agreed ("machine(s)").
			r.EnergyFormula = fmt.Sprintf("30 W × %d machine(s) × wall time (h)", n)
			e := review.CriterionExpansion{Criterion: "C1"}
			for i := range n {
				e.Terms = append(e.Terms, review.ExpandedTerm{Word: fmt.Sprint("k", i), Source: propose.SourceKeyword, From: fmt.Sprint("k", i)},
					review.ExpandedTerm{Word: fmt.Sprint("s", i), Source: propose.SourceThesaurus})
			}
			r.Expansions = []review.CriterionExpansion{e}
			var b bytes.Buffer
			printRun(&app{lang: lang, stdout: &b}, r)
			out := b.String()
			testtool.CheckPlurals(t, lang, n, out, want[lang][n])
		}
	}
}

// TestFindingPlurals says verify's findings with 0, 1 and 2 events in both
// languages: the count agrees with its noun and verb, no "événement(s)",
// and the first unsigned event's author is said in the reader's language.
func TestFindingPlurals(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		a := &app{lang: lang}
		for n := range 3 {
			for _, f := range []store.Finding{
				{Kind: store.FindTruncated, Seq: 9 + int64(n), Other: 9},
				{Kind: store.FindDeleted, ID: "e4", Seq: 4, N: int64(n)},
				{Kind: store.FindUnsigned, N: int64(n), Seq: 10, Other: 11, Detail: `vote.cast by "carol" (participant)`, Event: "vote.cast", Actor: "carol", Role: "participant"},
			} {
				s := a.findingText(f)
				if f.Kind == store.FindUnsigned {
					want := map[string]string{"fr": "le premier est vote.cast de « carol » (participant·e).", "en": `the first is vote.cast by "carol" (participant).`}[lang]
					if !strings.Contains(s, want) {
						t.Errorf("%s: %q, want %q in it", lang, s, want)
					}
				}
				testtool.CheckPlurals(t, lang, n, s, nil)
				if strings.Contains(s, "(s)") {
					t.Errorf("%s: %q", lang, s)
				}
			}
		}
	}
}
