package propose

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/ollama/ollama/api"

	"github.com/coopdescommuns/revue/review"
)

// Retrieval settings.
const (
	// rrfK is the constant of reciprocal rank fusion (Cormack et al. 2009):
	// score = sum of 1/(60 + rank) over the rankings.
	rrfK = 60
	// poolFactor: each ranking offers this many times the budget to the
	// fusion, so that a passage ranked well by one side only can still win.
	poolFactor = 8
	// embedBatch is how many texts go in one /api/embed call.
	embedBatch = 32
	// embedFirstBatch is the size of the first /api/embed call.
	embedFirstBatch = 4
)

// Candidate is one passage chosen for a criterion, with how it was chosen.
type Candidate struct {
	Criterion int // index in the criteria
	Pos       int // index in the passages
	Retrieval review.Retrieval
	Terms     []string // the query terms (stems) the passage contains
}

// criterionQuery is what retrieval searches with: the title and the
// description together.
func criterionQuery(c review.Criterion) string { return c.Title + "\n" + c.Description }

// Retrieve chooses up to k passages per criterion, best first. With vectors
// (one per passage, and one per criterion) it fuses the BM25 ranking and the
// cosine ranking by reciprocal rank; without them it keeps the BM25 ranking.
// Passages that share no term with a criterion and have no vector rank are
// never offered.
func Retrieve(ix *Index, criteria []review.Criterion, k int, passageVecs, criterionVecs [][]float32) [][]Candidate {
	ks := make([]int, len(criteria))
	for i := range ks {
		ks[i] = k
	}
	return RetrieveBudgets(ix, criteria, ks, passageVecs, criterionVecs)
}

// SuggestedBudgetShare is the adaptive budget's threshold that BENCHMARKS.md
// ("Fewer pairs for the same recall", measured again with the expanded
// search in "The frugal proposer") found the best trade on the sample's
// gold links: 81 pairs instead of 108 (25 % fewer calls) for 37 lexical
// gold links instead of 39. It is not the default, because it does not
// keep the recall.
const SuggestedBudgetShare = 0.5

// DefaultMinPerCriterion is the fewest passages a criterion gets under the
// adaptive budget: even where one passage stands out, the next few are
// where a paraphrase hides.
const DefaultMinPerCriterion = 4

// Budgets chooses how many passages each criterion gets: more where BM25
// scores are flat (many passages look alike and the judge must sort them),
// fewer where a few passages stand out. It counts the hits among a
// criterion's best maxK that score at least share × the best one, and
// bounds that count by minK and maxK. A criterion that matches nothing
// lexically gets maxK: its candidates then come from the embeddings, if
// any. share 0 gives every criterion maxK (the fixed budget).
func Budgets(ix *Index, criteria []review.Criterion, maxK, minK int, share float64) []int {
	out := make([]int, len(criteria))
	for ci, c := range criteria {
		hits := searchCriterion(ix, c, maxK)
		if share <= 0 || len(hits) == 0 {
			out[ci] = maxK
			continue
		}
		n := 0
		for _, h := range hits {
			if h.Score >= share*hits[0].Score {
				n++
			}
		}
		out[ci] = min(max(n, minK), maxK)
	}
	return out
}

// searchCriterion is the judge's lexical search for a criterion: the
// frugal proposer's expansion (its words, its keywords, the thesaurus's
// synonyms), which on the sample's gold links finds more at the default
// budget, lexical 0.64 → 0.89 and hybrid 0.59 → 0.73 (BENCHMARKS.md, "The
// frugal proposer"). A variable so that the test measuring it can swap it.
var searchCriterion = func(ix *Index, c review.Criterion, k int) []Hit {
	terms, w := expand(c, Knowledge{}).weights(ix)
	return ix.search(terms, w, k)
}

// RetrieveBudgets is Retrieve with a budget per criterion (see Budgets).
func RetrieveBudgets(ix *Index, criteria []review.Criterion, ks []int, passageVecs, criterionVecs [][]float32) [][]Candidate {
	out := make([][]Candidate, len(criteria))
	for ci, c := range criteria {
		k := ks[ci]
		pool := k
		if passageVecs != nil {
			pool = k * poolFactor
		}
		hits := searchCriterion(ix, c, pool)
		byPos := map[int]*Candidate{}
		var order []*Candidate
		for _, h := range hits {
			cd := &Candidate{Criterion: ci, Pos: h.Pos, Terms: h.Terms,
				Retrieval: review.Retrieval{LexicalScore: h.Score, LexicalRank: h.Rank}}
			byPos[h.Pos] = cd
			order = append(order, cd)
		}
		if passageVecs != nil && criterionVecs != nil {
			for _, e := range nearest(passageVecs, criterionVecs[ci], pool) {
				cd := byPos[e.pos]
				if cd == nil {
					cd = &Candidate{Criterion: ci, Pos: e.pos}
					byPos[e.pos] = cd
					order = append(order, cd)
				}
				cd.Retrieval.EmbedScore, cd.Retrieval.EmbedRank = e.score, e.rank
			}
			for _, cd := range order {
				r := &cd.Retrieval
				if r.LexicalRank > 0 {
					r.FusedScore += 1 / float64(rrfK+r.LexicalRank)
				}
				if r.EmbedRank > 0 {
					r.FusedScore += 1 / float64(rrfK+r.EmbedRank)
				}
			}
			slices.SortStableFunc(order, func(a, b *Candidate) int {
				if c := cmp.Compare(b.Retrieval.FusedScore, a.Retrieval.FusedScore); c != 0 {
					return c
				}
				return cmp.Compare(a.Pos, b.Pos)
			})
		}
		if len(order) > k {
			order = order[:k]
		}
		for i, cd := range order {
			cd.Retrieval.FusedRank = i + 1
			out[ci] = append(out[ci], *cd)
		}
	}
	return out
}

type scored struct {
	pos   int
	score float64
	rank  int
}

// nearest ranks vectors by dot product with q (cosine: Ollama's vectors are
// normalised).
func nearest(vecs [][]float32, q []float32, k int) []scored {
	all := make([]scored, 0, len(vecs))
	for i, v := range vecs {
		if len(v) != len(q) {
			continue
		}
		var dot float64
		for j := range v {
			dot += float64(v[j]) * float64(q[j])
		}
		all = append(all, scored{pos: i, score: dot})
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	if len(all) > k {
		all = all[:k]
	}
	for i := range all {
		all[i].rank = i + 1
	}
	return all
}

// embedStats is what embedding cost.
type embedStats struct {
	tokens    int64
	nanos     int64
	texts     int     // embedded in this run (the cache's are not counted)
	firstRate float64 // texts per second of the first batch
}

// embedAll embeds texts in batches spread over the hosts, each host taking
// the next batch when it is free; with a cache, only the texts it does not
// know are sent, and each finished batch is added to it. An embedding
// failure ends the run: the retrieval would otherwise silently fall back to
// fewer candidates. report, if not nil, is told after each batch how many
// texts are done and the speed of the first batch, which is the first
// honest figure of what the chosen model costs on this machine; it is
// called under a lock, never concurrently.
func embedAll(ctx context.Context, cfg Config, hosts []*host, all []string, cache *embedCache, report func(done, total int, firstRate float64)) ([][]float32, embedStats, error) {
	vecs := make([][]float32, len(all))
	var todo []int // indexes of the texts to embed
	for i, t := range all {
		if cache != nil {
			if v, ok := cache.get(t); ok {
				vecs[i] = v
				continue
			}
		}
		todo = append(todo, i)
	}
	texts := make([]string, len(todo))
	for i, j := range todo {
		texts[i] = all[j]
	}
	type batch struct{ from, to int }
	jobs := make(chan batch)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		stats    embedStats
		firstErr error
		wg       sync.WaitGroup
	)
	for _, h := range hosts {
		for range cfg.Parallel {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := range jobs {
					t0 := cfg.now()
					res, err := embedCall(ctx, cfg, h, texts[b.from:b.to])
					el := cfg.now().Sub(t0)
					mu.Lock()
					if err != nil {
						if firstErr == nil {
							firstErr = err
							cancel()
						}
						mu.Unlock()
						continue
					}
					stats.tokens += int64(res.PromptEvalCount)
					stats.nanos += int64(res.TotalDuration)
					stats.texts += b.to - b.from
					if stats.firstRate == 0 && el > 0 {
						stats.firstRate = float64(b.to-b.from) / el.Seconds()
					}
					if report != nil {
						report(stats.texts, len(texts), stats.firstRate)
					}
					mu.Unlock()
					for i, v := range res.Embeddings {
						vecs[todo[b.from+i]] = v
					}
					if cache != nil {
						if err := cache.put(texts[b.from:b.to], res.Embeddings); err != nil {
							mu.Lock()
							if firstErr == nil {
								firstErr = err
								cancel()
							}
							mu.Unlock()
						}
					}
				}
			}()
		}
	}
feed:
	// The first batch is small, so that the model's speed on this machine
	// shows within seconds, not after 32 texts of a slow encoder.
	for i, size := 0, embedFirstBatch; i < len(texts); i, size = i+size, embedBatch {
		select {
		case jobs <- batch{i, min(i+size, len(texts))}:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, stats, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, stats, err
	}
	return vecs, stats, nil
}

// embedCall embeds one batch, backing off while the server is busy.
func embedCall(ctx context.Context, cfg Config, h *host, texts []string) (*api.EmbedResponse, error) {
	truncate := true
	for attempt := 0; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, cfg.CallTimeout)
		res, err := h.client.Embed(cctx, &api.EmbedRequest{Model: cfg.EmbedModel, Input: texts, Truncate: &truncate})
		cancel()
		if err == nil {
			if len(res.Embeddings) != len(texts) {
				return nil, fmt.Errorf("the Ollama at %s returned %d embeddings for %d texts with model %s: check its version and log", h.url, len(res.Embeddings), len(texts), cfg.EmbedModel)
			}
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		switch classify(err) {
		case callFatal:
			return nil, fatalError(h, cfg.EmbedModel, err)
		case callRetry:
			if attempt == 0 {
				continue
			}
		case callWait:
			if attempt < maxWaits {
				if err := cfg.sleep(ctx, backoff(cfg, attempt)); err != nil {
					return nil, err
				}
				continue
			}
		}
		return nil, fmt.Errorf("embedding with %s on the Ollama at %s failed: %v; run again later, or without --embed-model", cfg.EmbedModel, h.url, err)
	}
}
