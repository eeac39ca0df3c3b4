package review

import (
	"math"
	"strconv"
	"testing"
)

// fromCounts builds reliability data from a subjects × categories table of
// counts (how many raters put each subject in each category), the form in
// which Fleiss' examples are published.
func fromCounts(counts [][]int) Ratings {
	var data Ratings
	for _, row := range counts {
		var unit []string
		for cat, n := range row {
			for range n {
				unit = append(unit, strconv.Itoa(cat+1))
			}
		}
		data = append(data, unit)
	}
	return data
}

// fromPairs builds two raters' columns from a 2×2 table: yes/yes, yes/no,
// no/yes, no/no.
func fromPairs(yy, yn, ny, nn int) (a, b []string) {
	add := func(n int, x, y string) {
		for range n {
			a, b = append(a, x), append(b, y)
		}
	}
	add(yy, "yes", "yes")
	add(yn, "yes", "no")
	add(ny, "no", "yes")
	add(nn, "no", "no")
	return
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestKrippendorffAlphaPublished checks alpha against Krippendorff's own
// reliability-data example (Krippendorff 2011, "Computing Krippendorff's
// Alpha-Reliability", 4 observers × 12 units with missing values: nominal
// alpha = 0.743), and against the limits every alpha must have.
func TestKrippendorffAlphaPublished(t *testing.T) {
	// Rows are units, columns observers A, B, C, D; "" is a missing value.
	krippendorff := Ratings{
		{"1", "1", "", "1"},
		{"2", "2", "3", "2"},
		{"3", "3", "3", "3"},
		{"3", "3", "3", "3"},
		{"2", "2", "2", "2"},
		{"1", "2", "3", "4"},
		{"4", "4", "4", "4"},
		{"1", "1", "2", "1"},
		{"2", "2", "2", "2"},
		{"", "5", "5", "5"},
		{"", "", "1", "1"},
		{"", "3", "", ""},
	}
	for _, tc := range []struct {
		name     string
		data     Ratings
		want     float64
		pairable int
		ok       bool
	}{
		{"Krippendorff 2011, 4 observers × 12 units", krippendorff, 0.743, 40, true},
		{"perfect agreement", Ratings{{"a", "a"}, {"b", "b"}, {"a", "a"}}, 1, 6, true},
		// Two coders who always disagree on two values: D_o = 1, and alpha
		// = 1 − (n−1)·4/(n_a·n_b·2) = 1 − 3·4/8 = −0.5.
		{"systematic disagreement", Ratings{{"a", "b"}, {"b", "a"}}, -0.5, 4, true},
		{"one value only: undefined", Ratings{{"a", "a"}, {"a", "a"}}, 0, 4, false},
		{"no pairable value", Ratings{{"a", ""}, {"", "b"}}, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, n, ok := KrippendorffAlpha(tc.data)
			if ok != tc.ok || n != tc.pairable || (ok && !near(got, tc.want, 0.0005)) {
				t.Errorf("alpha = %.4f (%d pairable, defined %v); want %.3f (%d, %v)", got, n, ok, tc.want, tc.pairable, tc.ok)
			}
		})
	}
}

// TestFleissKappaPublished checks Fleiss' kappa against the worked example
// of Wikipedia's "Fleiss' kappa" article (10 subjects, 14 raters, 5
// categories: P̄ = 0.378, P̄e = 0.213, kappa = 0.210) and against Fleiss
// (1971)'s own requirement that the formula reduce to agreement limits.
func TestFleissKappaPublished(t *testing.T) {
	wikipedia := [][]int{
		{0, 0, 0, 0, 14},
		{0, 2, 6, 4, 2},
		{0, 0, 3, 5, 6},
		{0, 3, 9, 2, 0},
		{2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0},
		{3, 2, 6, 3, 0},
		{2, 5, 3, 2, 2},
		{6, 5, 2, 1, 0},
		{0, 2, 2, 3, 7},
	}
	for _, tc := range []struct {
		name  string
		data  Ratings
		want  float64
		units int
		ok    bool
	}{
		{"Wikipedia, 10 subjects × 14 raters", fromCounts(wikipedia), 0.210, 10, true},
		{"perfect agreement", fromCounts([][]int{{3, 0}, {0, 3}}), 1, 2, true},
		{"a lone rating is left out", Ratings{{"a", "a"}, {"b", "b"}, {"a"}}, 1, 2, true},
		{"one category only: undefined", fromCounts([][]int{{3}, {3}}), 0, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, n, ok := FleissKappa(tc.data)
			if ok != tc.ok || n != tc.units || (ok && !near(got, tc.want, 0.0005)) {
				t.Errorf("kappa = %.4f (%d units, defined %v); want %.3f (%d, %v)", got, n, ok, tc.want, tc.units, tc.ok)
			}
		})
	}
}

// TestCohenKappaPublished checks Cohen's kappa against Wikipedia's "Cohen's
// kappa" worked example (50 proposals read by two readers: 20 yes/yes, 5
// yes/no, 10 no/yes, 15 no/no; po = 0.7, pe = 0.5, kappa = 0.4), its
// standard error (Cohen 1960: sqrt(0.7·0.3/50)/0.5 = 0.1296), and a case
// with missing ratings.
func TestCohenKappaPublished(t *testing.T) {
	a, b := fromPairs(20, 5, 10, 15)
	c := CohenKappa(a, b)
	if !c.Defined || c.N != 50 || !near(c.Value, 0.4, 1e-9) {
		t.Fatalf("kappa %+v; want 0.4 over 50", c)
	}
	se := math.Sqrt(0.7*0.3/50) / 0.5
	if !c.CI || !near(c.Lo, 0.4-z95*se, 1e-9) || !near(c.Hi, 0.4+z95*se, 1e-9) {
		t.Errorf("interval %.4f–%.4f; want 0.4 ± 1.96×%.4f", c.Lo, c.Hi, se)
	}
	// Missing ratings are not pairs: only the first two units count.
	if c := CohenKappa([]string{"x", "y", "", "x"}, []string{"x", "y", "x", ""}); c.N != 2 || c.Value != 1 {
		t.Errorf("with missing: %+v", c)
	}
	if c := CohenKappa([]string{"x", "x"}, []string{"x", "x"}); c.Defined {
		t.Errorf("no variation must be undefined: %+v", c)
	}
}

// TestWilson checks the Wilson interval against a published value
// (Newcombe 1998, Table I: 81/263 gives 0.2553–0.3662) and its limits.
func TestWilson(t *testing.T) {
	c := Wilson(81, 263)
	if !near(c.Lo, 0.2553, 0.0001) || !near(c.Hi, 0.3662, 0.0001) {
		t.Errorf("81/263: %.4f–%.4f", c.Lo, c.Hi)
	}
	if c := Wilson(0, 10); c.Lo != 0 || c.Hi <= 0 || c.Hi >= 0.35 {
		t.Errorf("0/10: %.4f–%.4f", c.Lo, c.Hi)
	}
	if c := Wilson(0, 0); c.Defined || c.CI {
		t.Errorf("0/0 must be undefined: %+v", c)
	}
}

// TestBootstrapStable checks that the interval of alpha is deterministic
// and brackets the estimate on Krippendorff's example.
func TestBootstrapStable(t *testing.T) {
	data := Ratings{{"1", "1", "", "1"}, {"2", "2", "3", "2"}, {"3", "3", "3", "3"}, {"3", "3", "3", "3"}, {"2", "2", "2", "2"},
		{"1", "2", "3", "4"}, {"4", "4", "4", "4"}, {"1", "1", "2", "1"}, {"2", "2", "2", "2"}, {"", "5", "5", "5"}, {"", "", "1", "1"}}
	a, b := Alpha(data), Alpha(data)
	if a != b {
		t.Fatalf("two bootstraps differ: %+v %+v", a, b)
	}
	if !a.CI || a.Lo > a.Value || a.Hi < a.Value || a.Hi > 1 {
		t.Errorf("alpha %+v", a)
	}
	if f := Fleiss(Ratings{{"a", "b"}}); f.CI {
		t.Errorf("one unit cannot give an interval: %+v", f)
	}
}

// TestCohenUndefinedForOneValue: a rater who gave one value only makes
// kappa 0 by construction; the report says "undefined" instead of 0.000.
func TestCohenUndefinedForOneValue(t *testing.T) {
	if c := CohenKappa([]string{"accept", "accept", "accept"}, []string{"accept", "reject", "accept"}); c.Defined {
		t.Errorf("kappa %+v with a constant rater", c)
	}
	if c := CohenKappa([]string{"accept", "reject"}, []string{"accept", "reject"}); !c.Defined || c.Value != 1 {
		t.Errorf("kappa %+v for perfect agreement", c)
	}
}
