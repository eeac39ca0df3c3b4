package propose

import (
	"cmp"
	"slices"
	"strings"

	"github.com/coopdescommuns/revue/propose/lexicon"
	"github.com/coopdescommuns/revue/review"
)

// Sources of a criterion's search terms, as the trace records them.
const (
	SourceCriterion = "criterion" // the criterion's title and description
	SourceKeyword   = "keyword"   // the people's keywords in the criteria file
	SourceThesaurus = "thesaurus" // the shipped French thesaurus
)

// Weights of the search terms by source: the criterion's own words and the
// people's keywords count fully, a thesaurus synonym less, since the
// thesaurus merges every sense of a word ("règle": loi, norme, but also
// bâton, canne) and a synonym is weaker evidence than the word itself.
const (
	weightOwn       = 1.0
	weightKeyword   = 1.0
	weightThesaurus = 0.35
)

// thesaurusMinSeeds is how many distinct words of a criterion (or of its
// keywords) must list a synonym for it to be searched.
const thesaurusMinSeeds = 2

// Knowledge says which sources of terms a frugal run leaves out; the zero
// value uses them all. Leaving one out serves to measure what it adds.
type Knowledge struct {
	NoKeywords  bool
	NoThesaurus bool
}

// sources names the sources used, for the trace.
func (k Knowledge) sources() []string {
	out := []string{SourceCriterion}
	if !k.NoKeywords {
		out = append(out, SourceKeyword)
	}
	if !k.NoThesaurus {
		out = append(out, SourceThesaurus)
	}
	return out
}

// queryTerm is one stem a criterion is searched with.
type queryTerm struct {
	term   string
	weight float64
	source string
	word   string // the word it was found as, for the trace
	from   string // the criterion's word or keyword it came from
}

// expansion is a criterion's weighted query, computed once per run.
type expansion struct {
	terms []queryTerm
	by    map[string]int // stem → index in terms
}

// weights returns the query's stems present in the index, most informative
// first (weight × idf, ties by stem), with their weights.
func (e *expansion) weights(ix *Index) ([]string, map[string]float64) {
	var terms []string
	w := map[string]float64{}
	for _, t := range e.terms {
		if len(ix.post[t.term]) == 0 {
			continue
		}
		terms = append(terms, t.term)
		w[t.term] = t.weight
	}
	slices.SortFunc(terms, func(a, b string) int {
		if c := cmp.Compare(w[b]*ix.idf(b), w[a]*ix.idf(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return terms, w
}

// anchored reports whether matched terms hold at least one of the
// criterion's own words or keywords: synonyms alone, however many, are too
// weak a reason to put a passage before the group.
func (e *expansion) anchored(matched []string) bool {
	for _, t := range matched {
		if i, ok := e.by[t]; ok && e.terms[i].source != SourceThesaurus {
			return true
		}
	}
	return false
}

// add keeps the heaviest way a stem was reached.
func (e *expansion) add(t queryTerm) {
	if i, ok := e.by[t.term]; ok {
		if t.weight > e.terms[i].weight {
			e.terms[i] = t
		}
		return
	}
	e.by[t.term] = len(e.terms)
	e.terms = append(e.terms, t)
}

// expand builds a criterion's query: its own words at full weight, then
// the people's keywords, then the thesaurus's synonyms of both at a lower
// weight. A stem reached several ways keeps its heaviest.
func expand(c review.Criterion, k Knowledge) *expansion {
	e := &expansion{by: map[string]int{}}
	var seeds []queryTerm
	analyze(criterionQuery(c), func(t token) {
		q := queryTerm{term: t.term, weight: weightOwn, source: SourceCriterion, word: t.surface}
		e.add(q)
		seeds = append(seeds, q)
	})
	if !k.NoKeywords {
		for _, kw := range c.Keywords {
			analyze(kw, func(t token) {
				q := queryTerm{term: t.term, weight: weightKeyword, source: SourceKeyword, word: t.surface, from: strings.TrimSpace(kw)}
				e.add(q)
				seeds = append(seeds, q)
			})
		}
	}
	if !k.NoThesaurus {
		// A synonym counts only when several of the criterion's words lead
		// to it: the thesaurus merges every sense of a word, and the sense
		// the criterion means is the one its other words share.
		type reach struct {
			t     queryTerm
			seeds map[string]bool
		}
		found := map[string]*reach{}
		var order []string
		for _, s := range seeds {
			for _, w := range lexicon.Synonyms(s.term) {
				analyze(w, func(t token) {
					r := found[t.term]
					if r == nil {
						r = &reach{t: queryTerm{term: t.term, weight: weightThesaurus * s.weight, source: SourceThesaurus, word: t.surface, from: s.word}, seeds: map[string]bool{}}
						found[t.term] = r
						order = append(order, t.term)
					}
					r.seeds[s.term] = true
				})
			}
		}
		for _, term := range order {
			if r := found[term]; len(r.seeds) >= thesaurusMinSeeds {
				e.add(r.t)
			}
		}
	}
	return e
}

// record is what the trace keeps of an expansion: every term that is not
// the criterion's own word, with its source and weight.
func (e *expansion) record(criterion string) review.CriterionExpansion {
	out := review.CriterionExpansion{Criterion: criterion}
	for _, t := range e.terms {
		if t.source == SourceCriterion {
			continue
		}
		out.Terms = append(out.Terms, review.ExpandedTerm{Word: t.word, Source: t.source, From: t.from, Weight: t.weight})
	}
	return out
}
