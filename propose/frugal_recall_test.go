package propose

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
)

// heldOut are the sample's documents kept aside while the frugal
// proposer's weights and thresholds were chosen (on the other four): the
// figures on them say whether the choice generalises.
var heldOut = map[string]bool{"repair.md": true, "tierslieu.md": true, "carte.md": true}

// frugalFigures is what one frugal setting gives on the sample.
type frugalFigures struct {
	all, dev, held recallFigures
	proposals      int
	perPair        float64 // proposals per criterion and document
}

func (f frugalFigures) String() string {
	per := 0.0
	if f.all.found > 0 {
		per = float64(f.proposals) / float64(f.all.found)
	}
	return fmt.Sprintf("recall %d/%d = %.2f (dev %d/%d, held out %d/%d), %d proposals, %.2f per criterion and document, %.2f per gold link found",
		f.all.found, f.all.reachable, f.all.rate(), f.dev.found, f.dev.reachable, f.held.found, f.held.reachable,
		f.proposals, f.perPair, per)
}

// measureFrugal runs the frugal selection on the sample with the given
// knowledge and budget, and measures it on the gold links.
func measureFrugal(passages []review.Passage, criteria []review.Criterion, gold []sample.Gold, file map[int]string, k Knowledge, budget int) frugalFigures {
	return measureFrugalWith(passages, criteria, gold, file, k, func(ix *Index, exps []*expansion) [][]Hit {
		return frugalSelect(ix, exps, frugalPerDocument, budget)
	})
}

func measureFrugalWith(passages []review.Passage, criteria []review.Criterion, gold []sample.Gold, file map[int]string, k Knowledge, sel func(*Index, []*expansion) [][]Hit) frugalFigures {
	ix := NewIndex(passages)
	exps := make([]*expansion, len(criteria))
	for i, c := range criteria {
		exps[i] = expand(c, k)
	}
	picks := sel(ix, exps)
	cands := make([][]Candidate, len(criteria))
	var f frugalFigures
	for ci, hs := range picks {
		for _, h := range hs {
			cands[ci] = append(cands[ci], Candidate{Criterion: ci, Pos: h.Pos})
			f.proposals++
		}
	}
	var dev, held []sample.Gold
	for _, g := range gold {
		if heldOut[g.Document] {
			held = append(held, g)
		} else {
			dev = append(dev, g)
		}
	}
	f.all = measureRecall(passages, criteria, gold, file, cands)
	f.dev = measureRecall(passages, criteria, dev, file, cands)
	f.held = measureRecall(passages, criteria, held, file, cands)
	docs := map[string]bool{}
	for _, name := range file {
		docs[name] = true
	}
	f.perPair = float64(f.proposals) / float64(len(criteria)*len(docs))
	return f
}

// topK is frugal/1's selection, kept to measure the change: the k best
// passages of the whole corpus for each criterion, under the same
// thresholds, whatever their documents.
func topK(k int) func(*Index, []*expansion) [][]Hit {
	return func(ix *Index, exps []*expansion) [][]Hit {
		out := make([][]Hit, len(exps))
		for i, e := range exps {
			terms, w := e.weights(ix)
			hits := ix.search(terms, w, ix.total)
			for _, h := range hits {
				if len(out[i]) == k {
					break
				}
				if matchedWeight(h.Terms, w) >= frugalMinTerms && h.Score >= frugalMinShare*hits[0].Score {
					out[i] = append(out[i], h)
				}
			}
		}
		return out
	}
}

// TestFrugalRecall measures the frugal proposer on the sample's gold links
// for each source of knowledge and budget (BENCHMARKS.md, "The frugal
// proposer"), and holds the default to the issue's target: recall of at
// least 0.80 with at most 1.5 proposals per criterion and document.
func TestFrugalRecall(t *testing.T) {
	passages, criteria, gold, file := sampleSession(t)
	levels := []struct {
		name string
		k    Knowledge
	}{
		{"stems only", Knowledge{NoKeywords: true, NoThesaurus: true}},
		{"+ thesaurus", Knowledge{NoKeywords: true}},
		{"+ keywords", Knowledge{NoThesaurus: true}},
		{"+ thesaurus + keywords", Knowledge{}},
	}
	for _, l := range levels {
		for _, k := range []int{4, 8, 12} {
			t.Logf("%-24s best %2d of the corpus: %v", l.name, k, measureFrugalWith(passages, criteria, gold, file, l.k, topK(k)))
		}
		for _, perDoc := range []int{1, 2} {
			f := measureFrugalWith(passages, criteria, gold, file, l.k, func(ix *Index, e []*expansion) [][]Hit {
				return frugalSelect(ix, e, perDoc, DefaultFrugalPerCriterion)
			})
			t.Logf("%-24s best %d per document: %v", l.name, perDoc, f)
		}
	}
	def := measureFrugal(passages, criteria, gold, file, Knowledge{}, DefaultFrugalPerCriterion)
	if def.all.rate() < 0.80 || def.perPair > 1.5 {
		t.Errorf("the default frugal run: %v; want recall ≥ 0.80 with ≤ 1.5 proposals per criterion and document", def)
	}
}

// TestExpandedRetrievalForTheJudge measures whether the judge's candidate
// retrieval (lexical, and hybrid with the fake's hashed embedder) gains
// from the frugal proposer's expansion, at each budget (BENCHMARKS.md), and
// guards the choice to use it: at the default budget, neither column finds
// fewer gold links than with the plain search.
func TestExpandedRetrievalForTheJudge(t *testing.T) {
	passages, criteria, gold, file := sampleSession(t)
	ix := NewIndex(passages)
	pv, cv := hybridVectors(t, passages, criteria)
	expanded := searchCriterion
	defer func() { searchCriterion = expanded }()
	plain := func(ix *Index, c review.Criterion, k int) []Hit { return ix.Search(criterionQuery(c), k) }
	atDefault := map[string][2]int{}
	for _, l := range []struct {
		name string
		k    *Knowledge
	}{
		{"plain", nil},
		{"+ thesaurus", &Knowledge{NoKeywords: true}},
		{"+ keywords", &Knowledge{NoThesaurus: true}},
		{"+ both", &Knowledge{}},
	} {
		searchCriterion = plain
		if l.k != nil {
			k := *l.k
			searchCriterion = func(ix *Index, c review.Criterion, n int) []Hit {
				terms, w := expand(c, k).weights(ix)
				return ix.search(terms, w, n)
			}
		}
		for _, k := range []int{4, 8, DefaultPerCriterion, 16} {
			lex := measureRecall(passages, criteria, gold, file, Retrieve(ix, criteria, k, nil, nil))
			hyb := measureRecall(passages, criteria, gold, file, Retrieve(ix, criteria, k, pv, cv))
			t.Logf("%-12s k=%2d: lexical %d/%d = %.2f, hybrid %d/%d = %.2f", l.name, k, lex.found, lex.reachable, lex.rate(), hyb.found, hyb.reachable, hyb.rate())
			if k == DefaultPerCriterion {
				atDefault[l.name] = [2]int{lex.found, hyb.found}
			}
		}
	}
	for _, name := range []string{"+ thesaurus", "+ both"} {
		if got, was := atDefault[name], atDefault["plain"]; got[0] < was[0] || got[1] < was[1] {
			t.Errorf("%s at the default budget: lexical %d, hybrid %d gold links; the plain search found %d and %d", name, got[0], got[1], was[0], was[1])
		}
	}
}

// TestFrugalQuotesHoldTheGold measures how often the frugal proposer's
// quote, for a gold link it found, overlaps the gold quote (the sentence a
// careful reader chose), against the first full sentence of the passage
// (what a quote without choice would be).
func TestFrugalQuotesHoldTheGold(t *testing.T) {
	passages, criteria, gold, file := sampleSession(t)
	ix := NewIndex(passages)
	exps := make([]*expansion, len(criteria))
	ci := map[string]int{}
	for i, c := range criteria {
		exps[i] = expand(c, Knowledge{})
		ci[c.ID] = i
	}
	picks := frugalSelect(ix, exps, frugalPerDocument, DefaultFrugalPerCriterion)
	found, overlap, firstOverlap := 0, 0, 0
	for ci, hs := range picks {
		for _, h := range hs {
			p := passages[h.Pos]
			// The gold quotes of this criterion in this passage: a passage
			// may hold two, and the quote may show either.
			var spans []span
			for _, g := range gold {
				if g.Criterion == criteria[ci].ID && g.Document == file[h.Pos] {
					if at := strings.Index(p.Text, g.Quote); at >= 0 {
						spans = append(spans, span{at, at + len(g.Quote)})
					}
				}
			}
			if len(spans) == 0 {
				continue
			}
			found++
			pr := frugalProposal(ix, Config{Lang: "fr"}, criteria[ci], exps[ci], &p, h, "k")
			qs := strings.Index(p.Text, pr.Quote)
			if qs < 0 {
				t.Fatalf("quote %q not in its passage", pr.Quote)
			}
			meets := func(a, b int) bool {
				for _, g := range spans {
					if a < g.end && g.start < b {
						return true
					}
				}
				return false
			}
			if meets(qs, qs+len(pr.Quote)) {
				overlap++
			} else if testing.Verbose() {
				t.Logf("%s %s: quote %q\n   %s", criteria[ci].ID, file[h.Pos], pr.Quote, pr.Statement)
			}
			for _, s := range sentences(p.Text) {
				if len(strings.Fields(p.Text[s.start:s.end])) >= frugalFullSentence {
					if meets(s.start, s.end) {
						firstOverlap++
					}
					break
				}
			}
		}
	}
	t.Logf("proposals holding a gold link: %d; the quote overlaps the gold quote in %d, the first full sentence would in %d", found, overlap, firstOverlap)
	// A regression guard: 23 of 34 when written, against 6 for the first
	// full sentence.
	if overlap*3 < found*2 || overlap < 3*firstOverlap {
		t.Errorf("the quote overlaps the gold quote in %d of %d proposals holding a gold link (the first full sentence: %d); want two thirds, and three times the first sentence", overlap, found, firstOverlap)
	}
}
