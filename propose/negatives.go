package propose

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
)

// negative is one "no link" answer that may be shown to the group.
type negative struct {
	judged review.PairJudged
	cand   Candidate
}

// SampleNegatives draws n of the pairs, stratified by criterion: each
// criterion gets a share of n proportional to its number of "no link"
// answers (largest remainders, ties to the criterion listed first), and
// within a criterion the pairs are drawn at random with seed. The draw
// depends only on the pairs, n and seed, never on the order of the answers,
// so that the same trace and seed give the same sample. byCriterion holds
// each criterion's pair keys; the result is a set of keys.
func SampleNegatives(byCriterion [][]string, n int, seed int64) []string {
	total := 0
	for _, ks := range byCriterion {
		total += len(ks)
	}
	if n <= 0 || total == 0 {
		return nil
	}
	n = min(n, total)
	quota := make([]int, len(byCriterion))
	type rem struct {
		ci   int
		frac float64
	}
	var rems []rem
	given := 0
	for ci, ks := range byCriterion {
		exact := float64(n) * float64(len(ks)) / float64(total)
		quota[ci] = int(exact)
		given += quota[ci]
		rems = append(rems, rem{ci, exact - float64(quota[ci])})
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.frac, a.frac) })
	for i := 0; given < n; i++ {
		ci := rems[i%len(rems)].ci
		if quota[ci] < len(byCriterion[ci]) {
			quota[ci]++
			given++
		}
	}
	var out []string
	for ci, ks := range byCriterion {
		ks = slices.Clone(ks)
		slices.Sort(ks)
		// One generator per criterion, so that a criterion's draw does not
		// change when another criterion gains or loses a pair.
		rng := rand.New(rand.NewPCG(uint64(seed), uint64(ci)+1))
		rng.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
		out = append(out, ks[:quota[ci]]...)
	}
	return out
}

// negativeID is the proposal ID of a negative: derived from its pair key,
// so that a pair is never shown twice, whatever the number of reruns.
func negativeID(key string) string { return "p-neg-" + strings.TrimPrefix(key, "j-") }

// addNegatives adds, after the judging, Config.Negatives of this run's
// "no link" answers as proposals marked Negative (issue 8). Negatives
// already in the session count towards the number, so a rerun with the same
// settings adds none. Each negative reads like any proposal: a statement in
// the session's language that the passage may illustrate the criterion,
// and the sentence of the passage that shares the most with it as quote.
func (r *runner) addNegatives(ix *Index, cands [][]Candidate, known map[string]review.PairJudged) error {
	r.run.NegativeSeed = r.cfg.NegativeSeed
	have := 0
	for _, p := range r.st.Proposals {
		if p.Negative {
			have++
		}
	}
	byCrit := make([][]string, len(cands))
	pool := map[string]negative{}
	for ci := range cands {
		for _, cd := range cands[ci] {
			for key, j := range known {
				if j.Relevant || j.Passage != r.refs[cd.Pos].p.ID || j.Criterion != r.st.Criteria[ci].ID {
					continue
				}
				if _, dup := r.st.Proposal(negativeID(key)); dup {
					continue
				}
				if _, ok := pool[key]; !ok {
					pool[key] = negative{judged: j, cand: cd}
					byCrit[ci] = append(byCrit[ci], key)
				}
			}
		}
	}
	keys := SampleNegatives(byCrit, r.cfg.Negatives-have, r.cfg.NegativeSeed)
	var evs []review.Event
	for _, key := range keys {
		ng := pool[key]
		ref := r.refs[ng.cand.Pos]
		crit := r.st.Criteria[ng.cand.Criterion]
		terms := ng.cand.Terms
		if len(terms) == 0 {
			terms = Terms(criterionQuery(crit))
		}
		sp, _ := ix.bestQuote(ref.p.Text, terms)
		if sp.end <= sp.start {
			sp = span{0, len(ref.p.Text)}
			if utf8.RuneCountInString(ref.p.Text) > frugalQuoteRunes {
				sp.end = len(truncateRunes(ref.p.Text, frugalQuoteRunes))
			}
		}
		quote := ref.p.Text[sp.start:sp.end]
		qs := utf8.RuneCountInString(ref.p.Text[:sp.start])
		conf := 0.0
		if a, err := ParseAnswer(ng.judged.Answer); err == nil {
			conf = a.Confidence
		}
		p := review.Proposal{
			ID: negativeID(key), Document: ref.p.Document, Passage: ref.p.ID, Criterion: crit.ID,
			Statement: negativeStatement(r.cfg.Lang, crit), Quote: quote,
			QuoteStart: qs, QuoteEnd: qs + utf8.RuneCountInString(quote), Confidence: conf,
			Origin:   review.Origin{Kind: review.OriginModel, Name: r.cfg.Model, Provenance: ng.judged.Provenance},
			Negative: true,
		}
		evs = append(evs, r.event("e-"+key+"-negative", review.KindProposalAdded, p))
	}
	if len(evs) == 0 {
		return nil
	}
	if err := r.sink(evs); err != nil {
		return fmt.Errorf("saving the sample of \"no link\" answers: %w", err)
	}
	r.run.Negatives = len(evs)
	return nil
}

// negativeStatement is the statement of a negative: a plain claim the
// group can accept or reject, saying nothing of the model's answer, in the
// session's language.
func negativeStatement(lang string, c review.Criterion) string {
	if lang == "en" {
		return fmt.Sprintf("This passage may illustrate the criterion “%s”.", c.Title)
	}
	return fmt.Sprintf("Ce passage illustre peut-être le critère « %s ».", c.Title)
}
