package dossier

import (
	"bytes"
	"html"
	"strconv"
	"strings"
	"testing"
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
}
