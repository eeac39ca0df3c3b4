package propose

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/coopdescommuns/revue/review"
)

// BM25 parameters: the usual values, which suit passages of a few hundred
// words as well as short pads.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Index is a BM25 index of passages with French analysis (elision, stop
// words, Snowball stemming, accents folded). It is built once and then only
// read, so Search may be called from several goroutines.
type Index struct {
	ids   []string
	docs  []string // each passage's document, for the frugal budget per document
	lens  []int32
	avg   float64
	post  map[string][]posting
	total int
}

type posting struct {
	doc int32
	tf  int32
}

// Hit is one passage found by Search. Pos is the passage's position in the
// slice given to NewIndex; Rank starts at 1; Terms are the query terms (stems)
// the passage contains, most informative first.
type Hit struct {
	Pos   int
	ID    string
	Score float64
	Rank  int
	Terms []string
}

// NewIndex indexes passages by their text.
func NewIndex(passages []review.Passage) *Index {
	ix, _ := newIndex(passages, func(p *review.Passage) (string, error) { return p.Text, nil })
	return ix
}

// newIndex indexes passages by the text that text gives: a session folded
// without its passages' text (review.State.ApplyLean) reads each from the
// store, one document at a time, and holds none of it after.
func newIndex(passages []review.Passage, text func(*review.Passage) (string, error)) (*Index, error) {
	ix := &Index{post: map[string][]posting{}}
	ix.ids = make([]string, len(passages))
	ix.docs = make([]string, len(passages))
	ix.lens = make([]int32, len(passages))
	var sum int64
	tf := map[string]int32{}
	for i := range passages {
		p := &passages[i]
		ix.ids[i] = p.ID
		ix.docs[i] = p.Document
		clear(tf)
		n := int32(0)
		t, err := text(p)
		if err != nil {
			return nil, err
		}
		analyze(t, func(t token) { tf[t.term]++; n++ })
		ix.lens[i] = n
		sum += int64(n)
		for term, c := range tf {
			ix.post[term] = append(ix.post[term], posting{doc: int32(i), tf: c})
		}
	}
	ix.total = len(passages)
	if ix.total > 0 {
		ix.avg = float64(sum) / float64(ix.total)
	}
	if ix.avg == 0 {
		ix.avg = 1
	}
	return ix, nil
}

// Len is the number of passages indexed.
func (ix *Index) Len() int { return ix.total }

// idf is BM25's inverse document frequency, kept positive.
func (ix *Index) idf(term string) float64 {
	df := float64(len(ix.post[term]))
	if df == 0 {
		return 0
	}
	return math.Log(1 + (float64(ix.total)-df+0.5)/(df+0.5))
}

// queryTerms returns the distinct terms of a query, most informative first,
// ties broken by the term so that results never depend on map order.
func (ix *Index) queryTerms(query string) []string {
	seen := map[string]bool{}
	var terms []string
	for _, t := range Terms(query) {
		if !seen[t] && len(ix.post[t]) > 0 {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	slices.SortFunc(terms, func(a, b string) int {
		if c := cmp.Compare(ix.idf(b), ix.idf(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return terms
}

// Search returns the k passages that best match query, best first. Each
// distinct query term counts once, so that a long criterion description that
// repeats a word does not drown the others. Ties are broken by position, so
// results are deterministic.
func (ix *Index) Search(query string, k int) []Hit {
	terms := ix.queryTerms(query)
	w := make(map[string]float64, len(terms))
	for _, t := range terms {
		w[t] = 1
	}
	return ix.search(terms, w, k)
}

// search scores passages for weighted terms (terms gives their order).
func (ix *Index) search(terms []string, weight map[string]float64, k int) []Hit {
	if k <= 0 {
		return nil
	}
	order, scores := ix.rank(terms, weight)
	if len(order) == 0 {
		return nil
	}
	if len(order) > k {
		order = order[:k]
	}
	hits := make([]Hit, len(order))
	for i, d := range order {
		hits[i] = Hit{Pos: int(d), ID: ix.ids[d], Score: scores[d], Rank: i + 1, Terms: ix.matched(terms, d)}
	}
	return hits
}

// rank returns every passage holding one of the weighted terms, best
// first, with the scores by position. Ties are broken by position.
func (ix *Index) rank(terms []string, weight map[string]float64) ([]int32, []float64) {
	if ix.total == 0 || len(terms) == 0 {
		return nil, nil
	}
	scores := make([]float64, ix.total)
	var touched []int32
	for _, term := range terms {
		idf := ix.idf(term) * weight[term]
		for _, p := range ix.post[term] {
			if scores[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			tf := float64(p.tf)
			norm := bm25K1 * (1 - bm25B + bm25B*float64(ix.lens[p.doc])/ix.avg)
			scores[p.doc] += idf * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	less := func(a, b int32) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	// Sorting all touched passages of one query is already far under a
	// millisecond for 27,000 passages; a partial selection is not needed.
	slices.SortFunc(touched, less)
	return touched, scores
}

// matched returns the terms, among the query's, that passage d contains.
func (ix *Index) matched(terms []string, d int32) []string {
	var out []string
	for _, t := range terms {
		ps := ix.post[t]
		i := sort.Search(len(ps), func(i int) bool { return ps[i].doc >= d })
		if i < len(ps) && ps[i].doc == d {
			out = append(out, t)
		}
	}
	return out
}
