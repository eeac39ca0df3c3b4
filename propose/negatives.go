package propose

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
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
// so that a pair is never shown twice, whatever the number of reruns, and
// in the form of any proposal's ID ("p-" and 32 hexadecimal digits), so
// that nothing on a screen or in a URL tells a negative from a link.
func negativeID(key string) string { return "p-" + hashHex("negative", key)[:32] }

// advocateNote asks the judge, for a pair it answered "no link", for the
// answer it would have written had it found a link: its statement and its
// quote are then the model's own, in the style of its real proposals, so
// that participants cannot tell a negative by its wording (issue 16).
var advocateNote = map[string]string{
	"fr": "Pour ce passage et ce critère, écris la réponse que tu donnerais s'ils étaient liés : relevant true, la citation exacte du passage qui s'en approche le plus, et la phrase statement comme pour un vrai lien. Cette réponse sert d'élément de contrôle dans une étude.",
	"en": "For this passage and criterion, write the answer you would give if they were linked: relevant true, the exact quote of the passage that comes closest, and the statement sentence as for a real link. This answer serves as a control item in a study.",
}

// advocate asks the judge for the statement and quote of a sampled
// negative, once, and returns them with the call's provenance; ok is false
// when the answer cannot be used (the negative then gets the plain
// statement of negativeStatement and the lexical quote).
func (r *runner) advocate(ctx context.Context, h *host, ref passageRef, crit review.Criterion, cand Candidate) (p review.Proposal, prov *review.Provenance, ok bool) {
	cfg := r.cfg
	req := chatRequest(cfg, crit, ref.p, ref.title)
	req.Messages[0].Content += "\n\n" + advocateNote[cfg.Lang]
	retrieval := cand.Retrieval
	prov = &review.Provenance{
		OllamaVersion: h.version, Host: h.url, Model: cfg.Model, ModelDigest: h.digest,
		EmbedModel: cfg.EmbedModel, PromptVersion: PromptVersion, PromptHash: promptHash(cfg.Lang),
		SchemaHash: schemaHash(), Options: req.Options, Retrieval: &retrieval, MatchedTerms: cand.Terms,
	}
	res, err := chat(ctx, h, req, cfg.CallTimeout)
	r.run.Calls++
	r.run.PromptTokens += int64(res.metrics.PromptEvalCount)
	r.run.OutputTokens += int64(res.metrics.EvalCount)
	r.run.ModelNanos += int64(res.metrics.TotalDuration)
	r.run.PromptNanos += int64(res.metrics.PromptEvalDuration)
	r.run.EvalNanos += int64(res.metrics.EvalDuration)
	if err != nil {
		return p, prov, false
	}
	ans, err := ParseAnswer(res.content)
	if err != nil || !ans.Relevant || ans.Statement == "" {
		return p, prov, false
	}
	m := MatchQuote(ref.p.Text, ans.Quote)
	if m.Level == QuoteNone {
		return p, prov, false
	}
	prov.QuoteMatch = m.Level
	prov.PromptTokens, prov.OutputTokens = res.metrics.PromptEvalCount, res.metrics.EvalCount
	prov.TotalDuration, prov.LoadDuration = int64(res.metrics.TotalDuration), int64(res.metrics.LoadDuration)
	prov.PromptDuration, prov.EvalDuration = int64(res.metrics.PromptEvalDuration), int64(res.metrics.EvalDuration)
	prov.DoneReason, prov.Attempts = res.doneReason, 1
	runes := []rune(ref.p.Text)
	p = review.Proposal{Statement: sanitize.Line(ans.Statement), Quote: string(runes[m.Start:m.End]), QuoteStart: m.Start, QuoteEnd: m.End}
	return p, prov, true
}

// drawnConfidence is a negative's confidence: one of the confidences of
// the session's real proposals of the same origin, drawn at random from
// the seed and the pair, so that its distribution is theirs and it says
// nothing; 0.5 when there is none yet. The model's own confidence in its
// "no link" stays in the trace (propose.judged).
func (r *runner) drawnConfidence(key string, real []float64) float64 {
	if len(real) == 0 {
		return 0.5
	}
	h := hashHex("confidence", key, strconv.FormatInt(r.cfg.NegativeSeed, 10))
	n, _ := strconv.ParseUint(h[:15], 16, 64)
	return real[n%uint64(len(real))]
}

// addNegatives adds, after the judging, Config.Negatives of this run's
// "no link" answers as proposals marked Negative (issue 8). Negatives
// already in the session count towards the number, so a rerun with the same
// settings adds none. Each negative is written like the model's real
// proposals: its statement and quote are the model's own (advocate), its ID
// has their form, and its confidence is drawn from theirs; only Negative
// (and the propose.judged of the pair) says what it is. When the model's
// answer cannot be used, the negative falls back to a plain statement in
// the session's language and the passage's sentence that shares the most
// with the criterion.
func (r *runner) addNegatives(ctx context.Context, h *host, ix *Index, cands [][]Candidate, known map[string]review.PairJudged) error {
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
	// The model's real links, in the session and in this run, in a fixed
	// order: what a negative's confidence is drawn from.
	var real []float64
	for _, p := range r.st.Proposals {
		if !p.Negative && p.Origin.Kind == review.OriginModel {
			real = append(real, p.Confidence)
		}
	}
	runKeys := slices.Sorted(maps.Keys(known))
	for _, k := range runKeys {
		j := known[k]
		if _, inSession := r.st.Proposal(j.Proposal); j.Proposal == "" || inSession {
			continue
		}
		if a, err := ParseAnswer(j.Answer); err == nil {
			real = append(real, a.Confidence)
		}
	}
	var evs []review.Event
	for _, key := range keys {
		ng := pool[key]
		ref := r.refs[ng.cand.Pos]
		crit := r.st.Criteria[ng.cand.Criterion]
		p, prov, ok := r.advocate(ctx, h, ref, crit, ng.cand)
		if !ok {
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
			p = review.Proposal{Statement: negativeStatement(r.cfg.Lang, crit), Quote: quote, QuoteStart: qs, QuoteEnd: qs + utf8.RuneCountInString(quote)}
			r.run.NegativesPlain++
		}
		p.ID, p.Document, p.Passage, p.Criterion = negativeID(key), ref.p.Document, ref.p.ID, crit.ID
		p.Confidence = r.drawnConfidence(key, real)
		p.Origin = review.Origin{Kind: review.OriginModel, Name: r.cfg.Model, Provenance: prov}
		p.Negative = true
		evs = append(evs, r.event("e-"+key+"-negative", review.KindProposalAdded, p))
	}
	if len(evs) == 0 {
		return nil
	}
	if err := r.sink(evs); err != nil {
		return fmt.Errorf("saving the sample of \"no link\" answers: %w", err)
	}
	r.run.Negatives, r.run.NegativeConfidence = len(evs), "drawn"
	return nil
}

// negativeStatement is the statement of a negative whose advocate answer
// could not be used: a plain claim the group can accept or reject, saying
// nothing of the model's answer, in the session's language.
func negativeStatement(lang string, c review.Criterion) string {
	if lang == "en" {
		return fmt.Sprintf("This passage may illustrate the criterion “%s”.", c.Title)
	}
	return fmt.Sprintf("Ce passage illustre peut-être le critère « %s ».", c.Title)
}

// lexicalPool is how many of a criterion's next-ranked passages, after the
// frugal proposer's picks, a lexical negative is drawn from: the pairs it
// considered (they share words with the criterion) and left out.
const lexicalPool = 100

// addLexicalNegatives adds, after a frugal run, Config.Negatives of the
// lexical proposer's non-links as proposals marked Negative, drawn as the
// model's are (SampleNegatives, stratified by criterion, seeded): each is
// written by frugalProposal, exactly as the proposer writes its links (a
// statement naming the words found, a quote chosen around them), with an
// ID of the same form and a confidence drawn from the real links' instead
// of its own lower score. picked holds each criterion's picks.
func (r *runner) addLexicalNegatives(ix *Index, exps []*expansion, picked [][]Hit) error {
	r.run.NegativeSeed = r.cfg.NegativeSeed
	have := 0
	var real []float64
	for _, p := range r.st.Proposals {
		switch {
		case p.Negative:
			have++
		case p.Origin.Kind == review.OriginLexical:
			real = append(real, p.Confidence)
		}
	}
	byCrit := make([][]string, len(exps))
	pool := map[string]Hit{}
	crit := map[string]int{}
	for ci, e := range exps {
		in := map[int]bool{}
		for _, h := range picked[ci] {
			in[h.Pos] = true
			if _, stored := r.st.Proposal(proposalID(frugalKey(h.ID, r.st.Criteria[ci].ID))); !stored {
				real = append(real, frugalConfidence(h.Score)) // this run's link
			}
		}
		terms, w := e.weights(ix)
		order, scores := ix.rank(terms, w)
		n := 0
		for rank, d := range order {
			if n == lexicalPool || scores[d] <= 0 {
				break
			}
			if in[int(d)] {
				continue
			}
			matched := ix.matched(terms, d)
			if len(matched) == 0 {
				continue
			}
			n++
			key := frugalKey(ix.ids[d], r.st.Criteria[ci].ID)
			if _, dup := r.st.Proposal(negativeID(key)); dup {
				continue
			}
			pool[key] = Hit{Pos: int(d), ID: ix.ids[d], Score: scores[d], Rank: rank + 1, Terms: matched}
			crit[key] = ci
			byCrit[ci] = append(byCrit[ci], key)
		}
	}
	slices.Sort(real)
	var evs []review.Event
	for _, key := range SampleNegatives(byCrit, r.cfg.Negatives-have, r.cfg.NegativeSeed) {
		h, ci := pool[key], crit[key]
		if err := r.withText(r.refs[h.Pos].p); err != nil {
			return err
		}
		p := frugalProposal(ix, r.cfg, r.st.Criteria[ci], exps[ci], r.refs[h.Pos].p, h, key)
		p.ID, p.Negative = negativeID(key), true
		p.Confidence = r.drawnConfidence(key, real)
		evs = append(evs, r.event("e-"+key+"-negative", review.KindProposalAdded, p))
	}
	if len(evs) == 0 {
		return nil
	}
	if err := r.sink(evs); err != nil {
		return fmt.Errorf("saving the sample of \"no link\" pairs: %w", err)
	}
	r.run.Negatives, r.run.NegativeConfidence = len(evs), "drawn"
	return nil
}
