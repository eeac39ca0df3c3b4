package review

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Reliability data, as Krippendorff tabulates it: one row per unit (a
// proposal), one column per rater (a person), each cell the value that rater
// gave that unit, "" when they gave none. Every coefficient below reads this
// one shape, so that alpha, Fleiss' and Cohen's kappa are computed from the
// very same data.
type Ratings [][]string

// Coefficient is an agreement figure with its 95 % confidence interval.
// Defined is false when the data cannot give the figure (fewer than two
// pairable values, or no variation at all, where chance agreement is 1 and
// every kappa divides by zero); CI is false when the counts are too small
// for an interval (Lo and Hi are then 0).
type Coefficient struct {
	Value   float64 `json:"value"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	N       int     `json:"n"` // units (or pairs) the figure rests on
	Defined bool    `json:"defined"`
	CI      bool    `json:"ci"`
	Method  string  `json:"method,omitempty"` // how the interval was obtained
}

// z95 is the standard normal quantile of a two-sided 95 % interval.
const z95 = 1.959963984540054

// BootstrapReps and BootstrapSeed fix the bootstrap of alpha and Fleiss'
// kappa: the same data always gives the same interval, so that a report
// recomputes exactly.
const (
	BootstrapReps = 1000
	BootstrapSeed = 20261124
)

// KrippendorffAlpha is Krippendorff's alpha for nominal data with missing
// values (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
// alpha = 1 − (n−1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, where o is the
// coincidence matrix of the pairable values (units with at least two
// values, each pair of values from different raters weighted 1/(m_u−1)).
// It returns the number of pairable values and false when alpha is not
// defined.
func KrippendorffAlpha(data Ratings) (alpha float64, pairable int, ok bool) {
	index := map[string]int{}
	var o [][]float64
	grow := func(v string) int {
		i, ok := index[v]
		if !ok {
			i = len(index)
			index[v] = i
			for r := range o {
				o[r] = append(o[r], 0)
			}
			o = append(o, make([]float64, i+1))
		}
		return i
	}
	var vals []int
	for _, unit := range data {
		vals = vals[:0]
		for _, v := range unit {
			if v != "" {
				vals = append(vals, grow(v))
			}
		}
		m := len(vals)
		if m < 2 {
			continue
		}
		for i, c := range vals {
			for j, k := range vals {
				if i != j {
					o[c][k] += 1 / float64(m-1)
				}
			}
		}
	}
	nc := make([]float64, len(o))
	var n float64
	for c := range o {
		for k := range o[c] {
			nc[c] += o[c][k]
		}
		n += nc[c]
	}
	var disagree, expected float64
	for c := range o {
		for k := range o[c] {
			if c != k {
				disagree += o[c][k]
				expected += nc[c] * nc[k]
			}
		}
	}
	pairable = int(math.Round(n))
	if n < 2 || expected == 0 {
		return 0, pairable, false
	}
	return 1 - (n-1)*disagree/expected, pairable, true
}

// FleissKappa is Fleiss' (1971) kappa. Fleiss assumes the same number of
// ratings per unit; here a unit may have any number of ratings (at least
// two, others are left out), each unit's agreement P_i being the share of
// agreeing pairs among its own ratings and the category shares p_j pooled
// over all ratings — which is Fleiss' formula whenever the number is
// constant. It returns the number of units used.
func FleissKappa(data Ratings) (kappa float64, units int, ok bool) {
	counts := map[string]float64{}
	var total, sumP float64
	perUnit := map[string]int{}
	for _, unit := range data {
		clear(perUnit)
		m := 0
		for _, v := range unit {
			if v != "" {
				perUnit[v]++
				m++
			}
		}
		if m < 2 {
			continue
		}
		units++
		var agree float64
		for v, c := range perUnit {
			agree += float64(c * (c - 1))
			counts[v] += float64(c)
		}
		total += float64(m)
		sumP += agree / float64(m*(m-1))
	}
	if units == 0 {
		return 0, 0, false
	}
	pBar := sumP / float64(units)
	var pe float64
	for _, c := range counts {
		p := c / total
		pe += p * p
	}
	if pe >= 1 {
		return 0, units, false
	}
	return (pBar - pe) / (1 - pe), units, true
}

// CohenKappa is Cohen's (1960) kappa between two raters over the units both
// rated (a and b are their values, "" where one gave none), with the
// large-sample standard error of Cohen 1960, sqrt(po(1−po)/(n(1−pe)²)),
// from which the interval is drawn (kappa ± 1.96·SE, kept within −1..1).
func CohenKappa(a, b []string) Coefficient {
	var n int
	agree := 0
	ma, mb := map[string]int{}, map[string]int{}
	for i := range min(len(a), len(b)) {
		if a[i] == "" || b[i] == "" {
			continue
		}
		n++
		ma[a[i]]++
		mb[b[i]]++
		if a[i] == b[i] {
			agree++
		}
	}
	c := Coefficient{N: n, Method: "Cohen 1960 SE"}
	// A rater who gave one value only leaves chance nothing to explain:
	// kappa is 0 by construction whatever the other did, which is no
	// measurement. It is undefined, as with no common unit.
	if n == 0 || len(ma) < 2 || len(mb) < 2 {
		return c
	}
	po := float64(agree) / float64(n)
	var pe float64
	for v, x := range ma {
		pe += float64(x) / float64(n) * float64(mb[v]) / float64(n)
	}
	if pe >= 1 {
		return c
	}
	c.Value, c.Defined = (po-pe)/(1-pe), true
	if n >= 2 {
		se := math.Sqrt(po*(1-po)/float64(n)) / (1 - pe)
		c.Lo, c.Hi, c.CI = max(-1, c.Value-z95*se), min(1, c.Value+z95*se), true
	}
	return c
}

// Wilson is the Wilson score interval (95 %) of the proportion k/n: unlike
// the normal approximation it stays within 0..1 and behaves for small n and
// for proportions near 0 or 1, which is what a workshop gives.
func Wilson(k, n int) Coefficient {
	c := Coefficient{N: n, Method: "Wilson"}
	if n == 0 {
		return c
	}
	p := float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z95*z95/nn
	centre := (p + z95*z95/(2*nn)) / den
	half := z95 * math.Sqrt(p*(1-p)/nn+z95*z95/(4*nn*nn)) / den
	c.Value, c.Lo, c.Hi, c.Defined, c.CI = p, max(0, centre-half), min(1, centre+half), true, true
	return c
}

// bootstrap gives a percentile interval (95 %) of stat by resampling units
// with replacement, BootstrapReps times from BootstrapSeed. Replicates where
// stat is undefined are left out; with fewer than half defined, or fewer
// than 5 units, there is no interval.
func bootstrap(data Ratings, stat func(Ratings) (float64, bool)) (lo, hi float64, ok bool) {
	if len(data) < 5 {
		return 0, 0, false
	}
	r := rand.New(rand.NewPCG(BootstrapSeed, uint64(len(data))))
	sample := make(Ratings, len(data))
	var vals []float64
	for range BootstrapReps {
		for i := range sample {
			sample[i] = data[r.IntN(len(data))]
		}
		if v, ok := stat(sample); ok {
			vals = append(vals, v)
		}
	}
	if len(vals) < BootstrapReps/2 {
		return 0, 0, false
	}
	sort.Float64s(vals)
	q := func(p float64) float64 { return vals[min(len(vals)-1, int(p*float64(len(vals))))] }
	return q(0.025), q(0.975), true
}

// Alpha returns Krippendorff's alpha with a bootstrap interval over units.
func Alpha(data Ratings) Coefficient {
	v, n, ok := KrippendorffAlpha(data)
	c := Coefficient{Value: v, N: n, Defined: ok, Method: "bootstrap over units, 1000 replicates, fixed seed"}
	if ok {
		c.Lo, c.Hi, c.CI = bootstrap(data, func(d Ratings) (float64, bool) { a, _, ok := KrippendorffAlpha(d); return a, ok })
	}
	return c
}

// Fleiss returns Fleiss' kappa with a bootstrap interval over units.
func Fleiss(data Ratings) Coefficient {
	v, n, ok := FleissKappa(data)
	c := Coefficient{Value: v, N: n, Defined: ok, Method: "bootstrap over units, 1000 replicates, fixed seed"}
	if ok {
		c.Lo, c.Hi, c.CI = bootstrap(data, func(d Ratings) (float64, bool) { k, _, ok := FleissKappa(d); return k, ok })
	}
	return c
}

// PairKappa is Cohen's kappa between two people.
type PairKappa struct {
	A, B  string // the people's names (pseudonyms in a pseudonymised export)
	Kappa Coefficient
}

// PairwiseCohen computes Cohen's kappa for every pair of raters (columns)
// who rated at least one unit in common.
func PairwiseCohen(data Ratings, raters []string) []PairKappa {
	var out []PairKappa
	col := func(j int) []string {
		c := make([]string, len(data))
		for i, u := range data {
			if j < len(u) {
				c[i] = u[j]
			}
		}
		return c
	}
	for i := range raters {
		for j := i + 1; j < len(raters); j++ {
			k := CohenKappa(col(i), col(j))
			if k.N > 0 {
				out = append(out, PairKappa{A: raters[i], B: raters[j], Kappa: k})
			}
		}
	}
	return out
}

// raterVotes builds the reliability data of a set of proposals: each
// person's vote in force (accept, reject, rephrase; skips are no rating)
// on each proposal. A facilitator's decision is the group's outcome, not one
// more independent rating, so it is left out; so are forgotten people.
// Raters are ordered by first vote in the trace, so the table is stable.
func raterVotes(st *State, props []*ProposalState, keep func(Actor) bool) (Ratings, []string) {
	col := map[string]int{}
	var names []string
	type cell struct {
		row, col int
		v        string
	}
	var cells []cell
	for i, p := range props {
		for _, v := range p.Current() {
			if v.Decides || v.Verdict == Skip || !keep(v.Actor) {
				continue
			}
			k := v.Actor.Key()
			j, ok := col[k]
			if !ok {
				j = len(names)
				col[k] = j
				names = append(names, v.Actor.Name)
			}
			cells = append(cells, cell{i, j, string(v.Verdict)})
		}
	}
	data := make(Ratings, len(props))
	for i := range data {
		data[i] = make([]string, len(names))
	}
	for _, c := range cells {
		data[c.row][c.col] = c.v
	}
	return data, names
}

// AgreementFigures are the agreement coefficients of one scope: the whole
// session or one criterion.
type AgreementFigures struct {
	Criterion string      `json:"criterion,omitempty"` // "" for the whole session
	Units     int         `json:"units"`               // proposals with at least two ratings
	Raters    int         `json:"raters"`
	Alpha     Coefficient `json:"alpha"`
	Fleiss    Coefficient `json:"fleiss"`
	Pairs     []PairKappa `json:"pairs"`
}

func agreementOf(st *State, props []*ProposalState, keep func(Actor) bool, criterion string) AgreementFigures {
	data, raters := raterVotes(st, props, keep)
	// Units with fewer than two ratings carry no information on agreement;
	// dropping them keeps the bootstrap from resampling empty rows.
	data = slices.DeleteFunc(data, func(u []string) bool { return rated(u) < 2 })
	return AgreementFigures{Criterion: criterion, Units: len(data), Raters: len(raters),
		Alpha: Alpha(data), Fleiss: Fleiss(data), Pairs: PairwiseCohen(data, raters)}
}

func rated(u []string) int {
	n := 0
	for _, v := range u {
		if v != "" {
			n++
		}
	}
	return n
}

// HumanAI compares the group's outcome with the machine's answer on the
// proposals of one origin (model or lexical): a proposal is the machine
// saying "link", a sampled negative (Proposal.Negative) the machine saying
// "no link"; the group says "link" by accepting or rephrasing, "no link" by
// rejecting. Pending proposals are left out.
type HumanAI struct {
	Origin string `json:"origin"`
	// The 2×2 table: machine link and group link, machine link and group
	// no link, machine no link and group link, both no link.
	BothLink, MachineOnly, GroupOnly, NeitherLink int
	Agreement                                     Coefficient `json:"agreement"` // share of agreeing outcomes, Wilson
	Kappa                                         Coefficient `json:"kappa"`     // Cohen's kappa machine vs group
	Kept                                          Coefficient `json:"kept"`      // links the group kept, among the machine's links
	Missed                                        Coefficient `json:"missed"`    // links the group found, among the machine's "no link"
}

// HumanVersusAI computes HumanAI for one origin kind.
func HumanVersusAI(props []*ProposalState, origin string) HumanAI {
	h := HumanAI{Origin: origin}
	var machine, group []string
	for _, p := range props {
		if p.Origin.Kind != origin || p.Status == Pending {
			continue
		}
		m := !p.Negative
		g := p.Status == Accepted || p.Status == Rephrased
		switch {
		case m && g:
			h.BothLink++
		case m && !g:
			h.MachineOnly++
		case !m && g:
			h.GroupOnly++
		default:
			h.NeitherLink++
		}
		machine = append(machine, linkValue(m))
		group = append(group, linkValue(g))
	}
	n := h.BothLink + h.MachineOnly + h.GroupOnly + h.NeitherLink
	h.Agreement = Wilson(h.BothLink+h.NeitherLink, n)
	h.Kappa = CohenKappa(machine, group)
	h.Kept = Wilson(h.BothLink, h.BothLink+h.MachineOnly)
	h.Missed = Wilson(h.GroupOnly, h.GroupOnly+h.NeitherLink)
	return h
}

func linkValue(b bool) string {
	if b {
		return "link"
	}
	return "no link"
}
