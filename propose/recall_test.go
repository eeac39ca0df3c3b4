package propose

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/propose/ollamafake"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
)

// sampleSession imports the sample corpus the way `revue init` does.
func sampleSession(t testing.TB) ([]review.Passage, []review.Criterion, []sample.Gold, map[int]string) {
	t.Helper()
	dir := t.TempDir()
	docs, crit, err := sample.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := corpus.Import(docs, crit, corpus.Options{})
	if len(res.Problems) > 0 {
		t.Fatalf("sample import: %v", res.Problems)
	}
	gold, err := sample.LoadGold()
	if err != nil {
		t.Fatal(err)
	}
	var passages []review.Passage
	file := map[int]string{} // passage position → document file name
	for _, d := range res.Documents {
		for _, p := range d.Passages {
			file[len(passages)] = filepath.Base(d.Source)
			passages = append(passages, p)
		}
	}
	return passages, res.Criteria, gold, file
}

// recall is the share of gold links whose quote stands in a passage
// retrieved for the gold criterion; reachable leaves out gold quotes that no
// single passage holds (cut by the passage splitter).
type recallFigures struct {
	found, reachable, total int
}

func (r recallFigures) rate() float64 {
	if r.reachable == 0 {
		return 0
	}
	return float64(r.found) / float64(r.reachable)
}

func measureRecall(passages []review.Passage, criteria []review.Criterion, gold []sample.Gold, file map[int]string, cands [][]Candidate) recallFigures {
	ci := map[string]int{}
	for i, c := range criteria {
		ci[c.ID] = i
	}
	contains := func(pos int, g sample.Gold) bool {
		if file[pos] != g.Document {
			return false
		}
		// Exact or normalised containment; the fuzzy level is left out, as
		// it is slow and a gold quote is copied from the document.
		if strings.Contains(passages[pos].Text, g.Quote) {
			return true
		}
		return indexRunes(normalizeMapped(passages[pos].Text).runes, normalizeMapped(g.Quote).runes) >= 0
	}
	var r recallFigures
	for _, g := range gold {
		r.total++
		reach := false
		for pos := range passages {
			if contains(pos, g) {
				reach = true
				break
			}
		}
		if !reach {
			continue
		}
		r.reachable++
		for _, cd := range cands[ci[g.Criterion]] {
			if contains(cd.Pos, g) {
				r.found++
				break
			}
		}
	}
	return r
}

// hybridVectors embeds passages and criteria through the fake Ollama, whose
// embedder is a hashed bag of stemmed words.
func hybridVectors(t testing.TB, passages []review.Passage, criteria []review.Criterion) ([][]float32, [][]float32) {
	t.Helper()
	f := newFake(t)
	f.SetEmbedder(func(s string) []float32 { return ollamafake.HashEmbedWords(Terms(s)) })
	var p pauses
	cfg, err := Config{Hosts: []string{f.URL}, EmbedModel: "bge-m3", sleep: p.sleep}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := connect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, p := range passages {
		texts = append(texts, p.Text)
	}
	for _, c := range criteria {
		texts = append(texts, criterionQuery(c))
	}
	vecs, _, err := embedAll(context.Background(), cfg, hosts, texts, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return vecs[:len(passages)], vecs[len(passages):]
}

// TestSampleRecall checks that the default budget finds the gold links of
// the sample corpus; the figures per budget are in bench-propose.md.
func TestSampleRecall(t *testing.T) {
	passages, criteria, gold, file := sampleSession(t)
	ix := NewIndex(passages)
	pv, cv := hybridVectors(t, passages, criteria)
	for _, k := range []int{4, 8, DefaultPerCriterion, 16, len(passages)} {
		lex := measureRecall(passages, criteria, gold, file, Retrieve(ix, criteria, k, nil, nil))
		hyb := measureRecall(passages, criteria, gold, file, Retrieve(ix, criteria, k, pv, cv))
		t.Logf("k=%2d (%d passages): lexical %d/%d = %.2f, hybrid %d/%d = %.2f (%d gold links, %d held by one passage)",
			k, len(passages), lex.found, lex.reachable, lex.rate(), hyb.found, hyb.reachable, hyb.rate(), lex.total, lex.reachable)
		// A regression guard, not a goal: with the criterion's words alone
		// it was 0.64 (7 of the 44 gold passages share no stemmed word
		// with their criterion); the keywords and the thesaurus bring it
		// to 0.89 (BENCHMARKS.md, "The frugal proposer").
		if k == DefaultPerCriterion && lex.rate() < 0.85 {
			t.Errorf("lexical recall at the default budget is %.2f, below 0.85", lex.rate())
		}
	}
}

// TestAdaptiveBudgetRecall measures, on the sample's gold links, the
// recall and the number of judge calls of the adaptive budget at each
// threshold share, next to the fixed budget of DefaultPerCriterion: the
// figures of BENCHMARKS.md ("Fewer pairs for the same recall"). It guards
// the suggested share: fewer calls than the fixed budget, at most two gold
// links lost, and a budget that really differs between criteria.
func TestAdaptiveBudgetRecall(t *testing.T) {
	passages, criteria, gold, file := sampleSession(t)
	ix := NewIndex(passages)
	pv, cv := hybridVectors(t, passages, criteria)
	fixed := Budgets(ix, criteria, DefaultPerCriterion, DefaultMinPerCriterion, 0)
	fixedLex := measureRecall(passages, criteria, gold, file, RetrieveBudgets(ix, criteria, fixed, nil, nil))
	fixedPairs := sum(fixed)
	for _, share := range []float64{0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6} {
		ks := Budgets(ix, criteria, DefaultPerCriterion, DefaultMinPerCriterion, share)
		lex := measureRecall(passages, criteria, gold, file, RetrieveBudgets(ix, criteria, ks, nil, nil))
		hyb := measureRecall(passages, criteria, gold, file, RetrieveBudgets(ix, criteria, ks, pv, cv))
		t.Logf("share %.2f: budgets %v = %d pairs (%d saved of %d), lexical %d/%d = %.2f, hybrid %d/%d = %.2f",
			share, ks, sum(ks), fixedPairs-sum(ks), fixedPairs, lex.found, lex.reachable, lex.rate(), hyb.found, hyb.reachable, hyb.rate())
		if share == SuggestedBudgetShare {
			if lex.found < fixedLex.found-2 {
				t.Errorf("the suggested adaptive budget finds %d gold links, the fixed budget %d", lex.found, fixedLex.found)
			}
			if sum(ks) >= fixedPairs*85/100 {
				t.Errorf("the suggested adaptive budget asks %d pairs, not 15 %% fewer than the fixed %d", sum(ks), fixedPairs)
			}
			if slices.Min(ks) == slices.Max(ks) {
				t.Errorf("the adaptive budget gives every criterion %d", ks[0])
			}
		}
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
