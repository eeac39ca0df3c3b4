package dossier

import (
	"bytes"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/internal/testtool"
	"github.com/coopdescommuns/revue/review"
)

func reportHTML(t *testing.T, lang string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteReportHTML(&buf, build(t, Options{}).Figures, lang); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReportPageDrawsTheFigures checks that the report's page holds its
// plots as inline SVG and says the figures review.Report computed.
func TestReportPageDrawsTheFigures(t *testing.T) {
	page := html.UnescapeString(string(reportHTML(t, "en")))
	f := build(t, Options{}).Figures
	if n := strings.Count(page, "<svg "); n != 4 {
		t.Errorf("%d plots, want 4 (origin, criterion, alpha, time)", n)
	}
	for _, s := range []string{"Acceptance by origin", "Acceptance by criterion", "Krippendorff's alpha", "Time from first seen to vote",
		"machine: link", "C1", "C2", "C3", "model", "human", "model “no link”",
		"participants' votes", "facilitator's decisions"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	// The origin bar of the model: its kept share among its decided.
	o := f.ByOrigin["model"]
	want := "kept of " + strconv.Itoa(o.Decided) + ", n = " + strconv.Itoa(o.Proposals)
	if !strings.Contains(page, want) {
		t.Errorf("the model's bar lacks %q", want)
	}
	if strings.Contains(strings.ToLower(page), "<script") {
		t.Error("the page has a script")
	}
	fr := string(reportHTML(t, "fr"))
	if !strings.Contains(fr, "Acceptation par critère") || !strings.Contains(fr, `lang="fr"`) {
		t.Error("the French page is not in French")
	}
	// A bar's tooltip: a French colon has its no-break space before it.
	if bare := regexp.MustCompile(`<title>[^<]*[^\x{00a0}]: [^<]*</title>`).FindString(fr); bare != "" {
		t.Errorf("a French tooltip with an English colon: %s", bare)
	}
	if !strings.Contains(fr, "<title>acceptées\u00a0: ") || !strings.Contains(page, "<title>accepted: ") {
		t.Error("the bars' tooltips do not say their count")
	}
}

// TestReportPagePlurals writes the report's page with every count at 0, 1
// and 2 in both languages: a noun after a count agrees with it.
func TestReportPagePlurals(t *testing.T) {
	want := map[string]map[int][]string{
		"fr": {
			0: {"0 document, 0 critère", "0 vote de participant", "0 appel au modèle"},
			1: {"1 document, 1 critère", "1 vote de participant ; 1 décision de l'animation", "1 appel au modèle, 1 token,"},
			2: {"2 documents, 2 critères", "2 votes de participants ; 2 décisions de l'animation", "2 appels au modèle, 2 tokens,"},
		},
		"en": {
			0: {"0 documents, 0 criteria", "0 participants' votes", "0 model calls"},
			1: {"1 document, 1 criterion", "1 participant's vote; 1 facilitator's decision", "1 model call, 1 token,"},
			2: {"2 documents, 2 criteria", "2 participants' votes; 2 facilitator's decisions", "2 model calls, 2 tokens,"},
		},
	}
	for _, lang := range []string{"fr", "en"} {
		for n := range 3 {
			f := review.Figures{Session: "s", ByOrigin: map[string]review.OriginFigures{review.OriginModel: {}},
				ByCriterion: []review.CriterionFigures{{Criterion: "C1"}}, Persons: []review.PersonFigures{{Person: "P1", Role: review.Participant}}}
			testtool.SetInts(&f, n)
			var b bytes.Buffer
			if err := WriteReportHTML(&b, f, lang); err != nil {
				t.Fatal(err)
			}
			page := html.UnescapeString(b.String())
			testtool.CheckPlurals(t, lang, n, strings.ReplaceAll(page, "\u00a0", " "), want[lang][n])
		}
	}
}
