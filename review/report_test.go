package review

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

func TestNumberFormatting(t *testing.T) {
	for _, tc := range []struct {
		lang string
		x    float64
		dec  int
		want string
	}{
		{"fr", 1234567.891, 2, "1\u202f234\u202f567,89"},
		{"en", 1234567.891, 2, "1,234,567.89"},
		{"fr", 0.743, 3, "0,743"},
		{"fr", -0.56, 3, "−0,560"},
		{"en", 999, 0, "999"},
		{"fr", 1000, 0, "1\u202f000"},
	} {
		if got := fmtFloat(tc.lang, tc.x, tc.dec); got != tc.want {
			t.Errorf("fmtFloat(%s, %v, %d) = %q; want %q", tc.lang, tc.x, tc.dec, got, tc.want)
		}
	}
	if fmtPct("fr", 2, 3) != "67\u202f%" || fmtPct("en", 2, 3) != "67%" || fmtPct("fr", 1, 0) != "non défini" || fmtPct("en", 1, 0) != "undefined" {
		t.Error("percent")
	}
	if fmtDur(95*time.Second) != "1\u00a0min 35\u00a0s" || fmtDur(3*time.Hour+4*time.Minute) != "3\u00a0h 04\u00a0min" {
		t.Errorf("durations %q %q", fmtDur(95*time.Second), fmtDur(3*time.Hour+4*time.Minute))
	}
	c := Coefficient{Value: 0.4, Lo: 0.146, Hi: 0.654, N: 50, Defined: true, CI: true}
	if fmtCoef("fr", c) != "0,400 [0,146 ; 0,654] (n = 50)" || fmtCoef("en", c) != "0.400 [0.146, 0.654] (n = 50)" {
		t.Errorf("coefficient %q / %q", fmtCoef("fr", c), fmtCoef("en", c))
	}
}

// TestWriteReport checks that the report says what it must in both
// languages: the agreement coefficients, each person, and energy as an
// estimate with its formula unless a run measured it.
func TestWriteReport(t *testing.T) {
	f, err := ReportTrace(researchTrace(t).events)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"Alpha de Krippendorff (nominal)", "Kappa de Fleiss", "Cohen bruno × chloé", "Machine contre groupe, model", "3\u202f200 tokens",
			"0,75\u202fWh estimés (W × hôtes × durée : 30 W × 1 × 1\u00a0min 30\u00a0s)", "bruno", "5 vues", "Retraits"}},
		{"en", []string{"Krippendorff's alpha (nominal)", "Fleiss' kappa", "Machine against group, model", "3,200 tokens",
			"0.75\u202fWh estimated (W × hosts × wall time: 30 W × 1 × 1\u00a0min 30\u00a0s)", "5 seen", "Withdrawals"}},
	} {
		var b bytes.Buffer
		if err := WriteReport(&b, f, tc.lang); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s report lacks %q:\n%s", tc.lang, w, b.String())
			}
		}
		if strings.Contains(b.String(), "émile") {
			t.Errorf("%s report names the withdrawn person", tc.lang)
		}
	}
	// A run that read the power counter is reported as measured.
	tr := sampleTrace(t)
	tr.add("run", sys, KindProposeRun, map[string]any{"mode": "model", "started": t0, "finished": t0.Add(time.Minute), "pairs": 1, "calls": 1,
		"energy_wh": 0.4, "energy_source": "rapl:intel-rapl:0", "model_ns": 1})
	f = Report(replay(t, tr.events))
	var b bytes.Buffer
	WriteReport(&b, f, "fr")
	if !f.Energy.Measured || !strings.Contains(b.String(), "mesurés (rapl:intel-rapl:0)") || strings.Contains(b.String(), "estimés") {
		t.Errorf("measured energy reported as:\n%s", b.String())
	}
}

// FuzzPseudonymText checks the name replacement on any text: it never
// panics, keeps the text valid UTF-8, and leaves no known name standing as
// a whole word.
func FuzzPseudonymText(f *testing.F) {
	for _, s := range []string{"Bruno et chloé", "ANNA!", "Annabelle", "é", "\xff bruno", "chloéchloé chloé"} {
		f.Add(s)
	}
	p := newPseudonyms(busyTrace(&testing.T{}).events, nil)
	f.Fuzz(func(t *testing.T, s string) {
		out := p.text(s)
		if strings.ToValidUTF8(s, "\ufffd") == s && strings.ToValidUTF8(out, "\ufffd") != out {
			t.Fatalf("text(%q) = %q is not valid UTF-8", s, out)
		}
		if again := p.text(out); again != out {
			t.Fatalf("a name left in %q: %q", out, again)
		}
	})
}

// TestQuantileIsRs checks Quantile against R 4.x: median(c(1, 2, 3, 4))
// is 2.5 (the lower middle, 2, was what the report gave before), and
// quantile(c(1, 2, 3, 4, 10), 0.9, type = 7) is 7.6.
func TestQuantileIsRs(t *testing.T) {
	for _, c := range []struct {
		x    []float64
		p    float64
		want float64
	}{
		{[]float64{4, 1, 3, 2}, 0.5, 2.5},
		{[]float64{5}, 0.5, 5},
		{[]float64{3, 1, 2}, 0.5, 2},
		{[]float64{1, 2, 3, 4, 10}, 0.9, 7.6},
		{[]float64{1, 2}, 0.9, 1.9},
		{[]float64{1500.5, 200.25}, 0.5, 850.375},
	} {
		if got := Quantile(c.x, c.p); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Quantile(%v, %v) = %v; R says %v", c.x, c.p, got, c.want)
		}
	}
}

// TestFormulasInFrench: propose records its energy formula in English; a
// French report and dossier say it in French, and both languages count the
// machines in words that agree with their number, in traces written before
// ("machine(s)") and after.
func TestFormulasInFrench(t *testing.T) {
	for _, c := range []struct{ recorded, fr, en string }{
		{"30 W × 1 machine(s) × wall time (h)", "30 W × 1 machine × durée (h)", "30 W × 1 machine × wall time (h)"},
		{"30 W × 2 machine(s) × wall time (h)", "30 W × 2 machines × durée (h)", "30 W × 2 machines × wall time (h)"},
		{"12.5 W × 1 machine × wall time (h)", "12.5 W × 1 machine × durée (h)", "12.5 W × 1 machine × wall time (h)"},
		{"30 W × 3 machines × wall time (h)", "30 W × 3 machines × durée (h)", "30 W × 3 machines × wall time (h)"},
		{"something else × wall time (h)", "something else × durée (h)", "something else × wall time (h)"},
	} {
		e := EnergyFigures{Formulas: []string{c.recorded}}
		if got := e.FormulasIn("fr")[0]; got != c.fr {
			t.Errorf("fr %q: %q, want %q", c.recorded, got, c.fr)
		}
		if got := e.FormulasIn("en")[0]; got != c.en {
			t.Errorf("en %q: %q, want %q", c.recorded, got, c.en)
		}
	}
}

// TestReportPersonMedianAgrees: a person's median time to vote and the
// session's, undefined when nobody voted, agree with their French noun
// ("délai médian … non défini", never "médiane … non défini").
func TestReportPersonMedianAgrees(t *testing.T) {
	f := Figures{Persons: []PersonFigures{{Person: "marie", Role: Participant}, {Person: "ana", Role: Participant, ToVoteN: 1, MedianToVote: 2 * time.Second}}}
	var b strings.Builder
	if err := WriteReport(&b, f, "fr"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"délai médian de la première vue au vote en vigueur non défini", "délai médian de la première vue au vote en vigueur 2,0\u00a0s (n = 1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "délai médian avant un vote non défini, p90 non défini (n = 0)") {
		t.Errorf("the report's time line:\n%s", out)
	}
	if strings.Contains(out, "médiane de la première vue") || strings.Contains(out, "médiane avant") {
		t.Errorf("a feminine noun before « non défini »:\n%s", out)
	}
}
