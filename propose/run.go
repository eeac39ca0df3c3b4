// Package propose is Revue's AI step: it chooses, for each criterion, a few
// passages worth reading (French BM25, optionally fused with Ollama
// embeddings), asks a local model served by Ollama whether each passage
// illustrates the criterion, checks that the quote it gives is really in the
// passage, and records every answer with its provenance and its cost. With
// Frugal it needs no model at all and proposes lexical links.
//
// Everything Run learns becomes an event handed to a sink that makes it
// durable; pairs already answered are never asked again, so an interrupted
// run continues where it stopped.
//
// An answer that says "relevant" but whose quote is not in the passage makes
// no proposal: it is recorded as judged (relevant, quote_match "none", with
// the raw answer), so that researchers can count invented quotes, but a quote
// that is not in the text is never shown to the group as one.
package propose

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// Actor is the author of every event Run makes.
var Actor = review.Actor{Name: "revue propose", Role: review.System}

// Progress is what Run reports after each pair: the counts of this run
// (pairs answered earlier are not in Total), and an estimate of the time
// left from the pace so far. In frugal mode it counts criteria instead of
// pairs; while embedding (Phase "embed") it counts texts. It is called
// from Run's goroutine or the embedding's, never concurrently.
type Progress struct {
	Phase               string // PhaseEmbed, PhaseJudge or PhaseLexical
	Done, Total, Failed int
	Elapsed, Left       time.Duration
	Criterion           string
	// Tokens of this run so far, and Ollama's speeds over its model time:
	// what the progress bar shows as "tok/s" (OutputTokensPerSec: writing
	// is the slow part on a CPU).
	PromptTokens, OutputTokens             int64
	PromptTokensPerSec, OutputTokensPerSec float64
	// TextsPerSec is the embedding speed, measured on the first batch and
	// then over all batches.
	TextsPerSec float64
}

// Phases of a run, in Progress.Phase.
const (
	PhaseEmbed   = "embed"
	PhaseJudge   = "judge"
	PhaseLexical = "lexical"
)

// Retry limits.
const (
	maxAnswerAttempts = 2  // a malformed or cut answer is asked once more
	maxWaits          = 5  // backoffs on a busy server (429, 503, 5xx, refused)
	maxBackoffFactor  = 30 // the longest pause is 30 × the first (30 s)
	flushEvents       = 16 // events handed to the sink in one call, at most, when answers queue up
)

// backoff is the pause before the attempt-th retry on a busy server:
// doubling from the base, bounded.
func backoff(cfg Config, attempt int) time.Duration {
	d := cfg.backoffBase << min(attempt, 10)
	return min(d, maxBackoffFactor*cfg.backoffBase)
}

// passageRef is a passage with its document's title.
type passageRef struct {
	p     *review.Passage
	title string
}

// Run proposes links for the session state st. Every event it makes
// (propose.judged, proposal.added, propose.failed, and finally propose.run)
// goes through sink, which makes them durable; Run stops at the first sink
// error. The actor of its events is Actor. Event IDs and proposal IDs are
// derived from the pair key, so a rerun is harmless. Run does not change st
// itself, and reads it only from the calling goroutine: the sink may apply
// the events to st as it makes them durable.
//
// Before any judge call, Run checks that every Ollama host answers and has
// the models; it returns an *UnreachableError or a *ModelMissingError
// otherwise. A failed pair is recorded and the run goes on; an error that
// would fail every pair (a model removed, a request refused) stops it. When
// ctx ends, the answers already received are saved, the run's cost is
// recorded, and ctx's error is returned.
func Run(ctx context.Context, st *review.State, cfg Config, sink func([]review.Event) error, progress func(Progress)) (review.ProposeRun, error) {
	r, texts, err := prepare(st, cfg, sink, progress)
	if err != nil {
		return review.ProposeRun{}, err
	}
	cfg = r.cfg
	r.run = review.ProposeRun{
		Mode: review.OriginModel, Model: cfg.Model, EmbedModel: cfg.EmbedModel,
		Started: cfg.now().UTC(), Criteria: len(st.Criteria), Passages: len(r.refs),
		Exhaustive: len(st.Criteria) * len(r.refs), PowerWatts: cfg.PowerWatts,
		Parallel: cfg.Parallel, EstimateNanos: int64(cfg.Estimate),
	}
	if cfg.Frugal {
		for id := range cfg.Keywords {
			if _, ok := st.Criterion(id); !ok {
				return review.ProposeRun{}, fmt.Errorf("keywords given for criterion %q, which session %q does not have: check the criterion's ID", id, st.Name)
			}
		}
		r.run.Mode, r.run.Model, r.run.EmbedModel, r.run.Parallel = review.OriginLexical, "", "", 0
		r.rapl = openRAPL(cfg.PowercapDir)
		ix, err := newIndex(texts, st.ReadPassageText)
		if err != nil {
			return review.ProposeRun{}, err
		}
		texts = nil // the index holds what the proposer needs
		return r.frugal(ctx, ix)
	}
	// A model reads every passage it is asked about: a session folded
	// without its text gets it back whole here.
	for i, ref := range r.refs {
		if err := r.withText(ref.p); err != nil {
			return r.run, err
		}
		texts[i].Text = ref.p.Text
	}
	allLocal := true
	for _, h := range cfg.Hosts {
		allLocal = allLocal && localHost(h)
	}
	if allLocal {
		// The counters measure this machine only: with a remote Ollama
		// they would miss the machine that computes.
		r.rapl = openRAPL(cfg.PowercapDir)
	}
	// The judge's candidates are searched with the same expansion (see
	// searchCriterion): the run records it too.
	r.expandAll(Knowledge{}, nil)
	return r.judgeAll(ctx, texts)
}

// prepare checks the settings and the session, and lists its passages, for
// Run and Estimate alike.
func prepare(st *review.State, cfg Config, sink func([]review.Event) error, progress func(Progress)) (*runner, []review.Passage, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	// Statements are written in the session's language, not in the
	// locale of whoever runs propose.
	cfg.Lang = SessionLanguage(st, cfg.Lang)
	if progress == nil {
		progress = func(Progress) {}
	}
	var refs []passageRef
	var texts []review.Passage
	for _, d := range st.Documents {
		for i := range d.Passages {
			refs = append(refs, passageRef{p: &d.Passages[i], title: d.Title})
			texts = append(texts, d.Passages[i])
		}
	}
	switch {
	case len(st.Criteria) == 0:
		return nil, nil, fmt.Errorf("session %q has no criteria: create it with `revue init %s --criteria FILE DOCS`", st.Name, st.Name)
	case len(refs) == 0:
		return nil, nil, fmt.Errorf("session %q has no passages: its documents are empty; import documents with text", st.Name)
	}
	return &runner{cfg: cfg, st: st, refs: refs, sink: sink, progress: progress}, texts, nil
}

// runner holds one run's settings and running totals.
type runner struct {
	cfg      Config
	st       *review.State
	refs     []passageRef
	sink     func([]review.Event) error
	progress func(Progress)
	run      review.ProposeRun
	machines int
	rapl     *raplMeter // nil: the energy is an estimate
}

// SessionLanguage is the language a session's statements are written in:
// the "language" of its session.created event, French when it says none;
// fallback is used only for a state built without that event.
func SessionLanguage(st *review.State, fallback string) string {
	if st.Name != "" && (st.Language == "fr" || st.Language == "en") {
		return st.Language
	}
	if st.Name == "" && fallback == "en" {
		return "en"
	}
	return "fr"
}

func (r *runner) event(id string, kind review.Kind, data any) review.Event {
	return review.MustEvent(r.st.Name, id, r.cfg.now(), Actor, kind, data)
}

// finish records the run's cost as a propose.run event. The energy is the
// machines' draw (PowerWatts each: every Ollama host, or this machine in
// frugal mode) over the run's wall time, since a laptop given to the job
// draws it whether the model computes or waits; ModelNanos says how much of
// that time the models really worked.
func (r *runner) finish() (review.ProposeRun, error) {
	r.run.Finished = r.cfg.now().UTC()
	wall := r.run.Finished.Sub(r.run.Started)
	machines := max(r.machines, 1)
	r.run.EnergyWh = r.cfg.PowerWatts * float64(machines) * wall.Hours()
	r.run.EnergySource, r.run.EnergyFormula = EnergyEstimate, energyFormula(r.cfg.PowerWatts, machines)
	if r.rapl != nil {
		if wh, src, err := r.rapl.read(); err == nil {
			r.run.EnergyWh, r.run.EnergySource, r.run.EnergyFormula = wh, src, ""
		}
	}
	if r.run.PromptNanos > 0 {
		r.run.PromptTokensPerSec = float64(r.run.PromptTokens) / (float64(r.run.PromptNanos) / 1e9)
	}
	if r.run.EvalNanos > 0 {
		r.run.OutputTokensPerSec = float64(r.run.OutputTokens) / (float64(r.run.EvalNanos) / 1e9)
	}
	ev := r.event(fmt.Sprintf("e-run-%d-%d", len(r.st.Runs)+1, r.run.Started.UnixNano()), review.KindProposeRun, r.run)
	if err := r.sink([]review.Event{ev}); err != nil {
		return r.run, fmt.Errorf("saving the run's summary: %w", err)
	}
	return r.run, nil
}

// expandAll expands each criterion once, with the keywords a run adds, and
// records the expansions in the run, so that a researcher sees which words
// were searched for each criterion.
func (r *runner) expandAll(k Knowledge, extra map[string][]string) []*expansion {
	exps := make([]*expansion, len(r.st.Criteria))
	r.run.Knowledge = k.sources()
	for ci, c := range r.st.Criteria {
		if more := extra[c.ID]; len(more) > 0 {
			c.Keywords = append(slices.Clip(c.Keywords), more...)
		}
		exps[ci] = expand(c, k)
		if rec := exps[ci].record(c.ID); len(rec.Terms) > 0 {
			r.run.Expansions = append(r.run.Expansions, rec)
		}
	}
	return exps
}

// frugal proposes lexical links: no model, no network.
func (r *runner) frugal(ctx context.Context, ix *Index) (review.ProposeRun, error) {
	start := r.cfg.now()
	var batch []review.Event
	exps := r.expandAll(r.cfg.Knowledge, r.cfg.Keywords)
	picked := make([][]Hit, len(exps))
	for ci, c := range r.st.Criteria {
		if err := ctx.Err(); err != nil {
			break
		}
		picks := frugalSelect(ix, exps[ci:ci+1], frugalPerDocument, r.cfg.PerCriterion)[0]
		picked[ci] = picks
		for _, h := range picks {
			ref := r.refs[h.Pos]
			key := frugalKey(ref.p.ID, c.ID)
			r.run.Pairs++
			if _, ok := r.st.Proposal(proposalID(key)); ok {
				r.run.Skipped++
				continue
			}
			if err := r.withText(ref.p); err != nil {
				return r.run, err
			}
			p := frugalProposal(ix, r.cfg, c, exps[ci], ref.p, h, key)
			batch = append(batch, r.event("e-"+key+"-proposal", review.KindProposalAdded, p))
			r.run.Proposals++
		}
		if len(batch) >= 4*flushEvents || ci == len(r.st.Criteria)-1 {
			if err := r.sink(batch); err != nil {
				return r.run, fmt.Errorf("saving proposals: %w", err)
			}
			batch = nil
		}
		el := r.cfg.now().Sub(start)
		r.progress(Progress{Phase: PhaseLexical, Done: ci + 1, Total: len(r.st.Criteria), Elapsed: el,
			Left: estimate(el, ci+1, len(r.st.Criteria)), Criterion: c.ID})
	}
	if len(batch) > 0 {
		if err := r.sink(batch); err != nil {
			return r.run, fmt.Errorf("saving proposals: %w", err)
		}
	}
	if r.cfg.Negatives > 0 && ctx.Err() == nil {
		if err := r.addLexicalNegatives(ix, exps, picked); err != nil {
			return r.run, err
		}
	}
	run, err := r.finish()
	if err == nil {
		err = ctx.Err()
	}
	return run, err
}

// withText puts back the text of a passage that the session was folded
// without (review.State.ApplyLean, `revue propose --frugal`), read from the
// store, before the proposer quotes it: the few passages it writes about
// hold their text, the 75,000 of a large corpus do not.
func (r *runner) withText(p *review.Passage) error {
	if p.Text != "" {
		return nil
	}
	t, err := r.st.ReadPassageText(p)
	if err != nil {
		return fmt.Errorf("passage %s: %w", p.ID, err)
	}
	p.Text = t
	return nil
}

func estimate(elapsed time.Duration, done, total int) time.Duration {
	if done == 0 || done >= total {
		return 0
	}
	return time.Duration(float64(elapsed) / float64(done) * float64(total-done))
}

// job is one pair to ask.
type job struct {
	cand Candidate
	key  string
}

// outcome is what asking one pair gave.
type outcome struct {
	job         job
	events      []review.Event
	proposal    bool
	failed      *review.ProposeFailed
	cancelled   bool
	fatal       error
	calls       int
	promptTok   int64
	outTok      int64
	nanos       int64
	promptNanos int64
	evalNanos   int64
	promptChars int64
	judged      *review.PairJudged // the answer, when one was valid
}

// judgeAll checks the hosts, retrieves candidates, and asks the judge about
// each pair not answered before, spreading the pairs over every host.
func (r *runner) judgeAll(ctx context.Context, texts []review.Passage) (review.ProposeRun, error) {
	cfg := r.cfg
	hosts, err := connect(ctx, cfg)
	if err != nil {
		return review.ProposeRun{}, err
	}
	r.machines = len(hosts)
	r.run.Hosts = cfg.Hosts
	r.run.ModelDigest = hosts[0].digest
	var versions []string
	for _, h := range hosts {
		if !contains(versions, h.version) {
			versions = append(versions, h.version)
		}
	}
	r.run.OllamaVersion = strings.Join(versions, ", ")

	ix := NewIndex(texts)
	var pvecs, cvecs [][]float32
	if cfg.EmbedModel != "" {
		all := make([]string, 0, len(texts)+len(r.st.Criteria))
		for _, p := range texts {
			all = append(all, p.Text)
		}
		for _, c := range r.st.Criteria {
			all = append(all, criterionQuery(c))
		}
		var cache *embedCache
		if cfg.EmbedCache != "" {
			if cache, err = openEmbedCache(cfg.EmbedCache, hosts[0].embedDigest); err != nil {
				return review.ProposeRun{}, err
			}
			defer cache.close()
		}
		embStart := cfg.now()
		vecs, stats, err := embedAll(ctx, cfg, hosts, all, cache, func(done, total int, firstRate float64) {
			el := cfg.now().Sub(embStart)
			rate := firstRate
			if el > 0 && done > 0 {
				rate = float64(done) / el.Seconds()
			}
			r.progress(Progress{Phase: PhaseEmbed, Done: done, Total: total, Elapsed: el,
				Left: estimate(el, done, total), TextsPerSec: rate})
		})
		r.run.EmbedTokens += stats.tokens
		r.run.ModelNanos += stats.nanos
		r.run.EmbedTexts = stats.texts
		if el := cfg.now().Sub(embStart); stats.texts > 0 && el > 0 {
			r.run.EmbedTextsPerSec = float64(stats.texts) / el.Seconds()
		}
		if err != nil {
			if ctx.Err() != nil {
				run, ferr := r.finish()
				return run, errors.Join(ctx.Err(), ferr)
			}
			return review.ProposeRun{}, err
		}
		pvecs, cvecs = vecs[:len(texts)], vecs[len(texts):]
	}
	budgets := Budgets(ix, r.st.Criteria, cfg.PerCriterion, cfg.MinPerCriterion, cfg.BudgetShare)
	cands := RetrieveBudgets(ix, r.st.Criteria, budgets, pvecs, cvecs)
	jobs, known := r.jobs(cands, hosts[0].digest)

	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A slot takes a passage's pairs together: given to two slots at once,
	// the passage would be read twice.
	jobCh := make(chan []job)
	workers := len(hosts) * cfg.Parallel
	results := make(chan outcome, workers)
	var wg sync.WaitGroup
	for _, h := range hosts {
		for range cfg.Parallel {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for group := range jobCh {
					for _, j := range group {
						if wctx.Err() != nil {
							results <- outcome{job: j, cancelled: true}
							continue
						}
						o := r.judgePair(wctx, h, j)
						if o.fatal != nil {
							cancel() // before anyone takes another pair
						}
						results <- o
					}
				}
			}()
		}
	}
	go func() {
		defer close(jobCh)
		for _, group := range byPassage(jobs) {
			select {
			case jobCh <- group:
			case <-wctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	start := cfg.now()
	var (
		batch   []review.Event
		runErr  error
		sinkErr bool
		done    int
		failed  int
	)
	r.progress(Progress{Phase: PhaseJudge, Total: len(jobs)})
	for o := range results {
		r.run.Calls += o.calls
		r.run.PromptTokens += o.promptTok
		r.run.OutputTokens += o.outTok
		r.run.ModelNanos += o.nanos
		r.run.PromptNanos += o.promptNanos
		r.run.PromptChars += o.promptChars
		r.run.EvalNanos += o.evalNanos
		if o.judged != nil {
			known[o.judged.Key] = *o.judged
		}
		if o.fatal != nil && runErr == nil {
			runErr = o.fatal
			cancel()
		}
		if o.cancelled || o.fatal != nil || sinkErr {
			continue
		}
		done++
		if o.failed != nil {
			failed++
			r.run.Failed++
			o.events = append(o.events, r.failedEvent(o.job.key, o.failed))
		}
		if o.proposal {
			r.run.Proposals++
		}
		batch = append(batch, o.events...)
		if len(batch) >= flushEvents || len(results) == 0 {
			if err := r.sink(batch); err != nil {
				runErr, sinkErr = fmt.Errorf("saving proposals: %w", err), true
				cancel()
			}
			batch = nil
		}
		el := cfg.now().Sub(start)
		pr := Progress{Phase: PhaseJudge, Done: done, Total: len(jobs), Failed: failed, Elapsed: el,
			Left: estimate(el, done, len(jobs)), Criterion: r.st.Criteria[o.job.cand.Criterion].ID,
			PromptTokens: r.run.PromptTokens, OutputTokens: r.run.OutputTokens}
		if r.run.PromptNanos > 0 {
			pr.PromptTokensPerSec = float64(r.run.PromptTokens) / (float64(r.run.PromptNanos) / 1e9)
		}
		if r.run.EvalNanos > 0 {
			pr.OutputTokensPerSec = float64(r.run.OutputTokens) / (float64(r.run.EvalNanos) / 1e9)
		}
		r.progress(pr)
	}
	if sinkErr {
		return r.run, runErr
	}
	if len(batch) > 0 {
		if err := r.sink(batch); err != nil {
			return r.run, fmt.Errorf("saving proposals: %w", err)
		}
	}
	if cfg.Negatives > 0 && runErr == nil && ctx.Err() == nil {
		if err := r.addNegatives(ctx, hosts[0], ix, cands, known); err != nil {
			return r.run, err
		}
	}
	run, err := r.finish()
	if runErr == nil {
		runErr = ctx.Err()
	}
	if runErr != nil {
		return run, errors.Join(runErr, err)
	}
	return run, err
}

// jobs lists the pairs to ask passage by passage: the pairs of one passage
// follow each other, in the order of the criteria, so that consecutive calls
// share the instructions and the passage, which Ollama's prompt cache does
// not evaluate again (each parallel slot keeps the prefix of its last
// prompt, and a request goes to the slot with the longest common prefix).
// The passages come best first: by their best rank for any criterion, then
// by their place in the corpus. An interrupted run has then looked at whole
// passages, the most promising ones. known gathers the answers already in
// the trace for these pairs, for the negatives' draw.
func (r *runner) jobs(cands [][]Candidate, digest string) ([]job, map[string]review.PairJudged) {
	opts := judgeOptions(r.cfg)
	version := promptKey(r.cfg.Lang)
	var jobs []job
	keys := map[string]bool{}
	best := map[int]int{} // passage position → its best rank (0 is best)
	for ci := range cands {
		for rank, cd := range cands[ci] {
			key := PairKey(r.refs[cd.Pos].p.ID, r.st.Criteria[ci].ID, digest, version, opts)
			keys[key] = true
			r.run.Pairs++
			if r.st.Judged[key] {
				r.run.Skipped++
				continue
			}
			if b, ok := best[cd.Pos]; !ok || rank < b {
				best[cd.Pos] = rank
			}
			jobs = append(jobs, job{cand: cd, key: key})
		}
	}
	sort.SliceStable(jobs, func(i, k int) bool {
		a, b := jobs[i].cand, jobs[k].cand
		if best[a.Pos] != best[b.Pos] {
			return best[a.Pos] < best[b.Pos]
		}
		if a.Pos != b.Pos {
			return a.Pos < b.Pos
		}
		return a.Criterion < b.Criterion
	})
	known := map[string]review.PairJudged{}
	for _, e := range r.st.Events {
		if e.Kind != review.KindPairJudged {
			continue
		}
		var j review.PairJudged
		if e.Decode(&j) == nil && keys[j.Key] {
			known[j.Key] = j
		}
	}
	return jobs, known
}

// byPassage cuts the jobs, in the order of jobs(), into runs of one passage.
func byPassage(jobs []job) [][]job {
	var groups [][]job
	for i := 0; i < len(jobs); {
		k := i + 1
		for k < len(jobs) && jobs[k].cand.Pos == jobs[i].cand.Pos {
			k++
		}
		groups = append(groups, jobs[i:k])
		i = k
	}
	return groups
}

// promptKey is the prompt's part of a pair key: its version and the
// language of the statements it asks for, since a statement in English
// does not answer the question asked in French.
func promptKey(lang string) string { return PromptVersion + "/" + lang }

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// judgePair asks the judge about one pair: an answer lost on the way (an
// error in the stream, an empty body) is asked once more, a busy server is
// waited for with a bounded backoff, and a pair that still has no valid
// answer is recorded as failed, with the raw answer when one arrived
// (malformed, out of range, cut by num_predict).
func (r *runner) judgePair(ctx context.Context, h *host, j job) outcome {
	cfg := r.cfg
	o := outcome{job: j}
	ref := r.refs[j.cand.Pos]
	crit := r.st.Criteria[j.cand.Criterion]
	req := chatRequest(cfg, crit, ref.p, ref.title)
	retrieval := j.cand.Retrieval
	prov := &review.Provenance{
		OllamaVersion: h.version, Host: h.url, Model: cfg.Model, ModelDigest: h.digest,
		EmbedModel: cfg.EmbedModel, PromptVersion: PromptVersion, PromptHash: promptHash(cfg.Lang),
		SchemaHash: schemaHash(), Options: req.Options, Retrieval: &retrieval,
		MatchedTerms: j.cand.Terms,
	}
	var (
		lastErr  error
		attempts int
		waits    int
	)
	var raw string // the last whole answer that could not be used
	for attempts < maxAnswerAttempts {
		res, err := chat(ctx, h, req, cfg.CallTimeout)
		o.calls++
		o.promptTok += int64(res.metrics.PromptEvalCount)
		o.outTok += int64(res.metrics.EvalCount)
		o.nanos += int64(res.metrics.TotalDuration)
		o.promptNanos += int64(res.metrics.PromptEvalDuration)
		if res.metrics.PromptEvalCount > 0 {
			o.promptChars += int64(requestChars(req))
		}
		o.evalNanos += int64(res.metrics.EvalDuration)
		if err == nil {
			// A whole answer that cannot be used is not asked again: at
			// temperature 0 with a fixed seed the model would write the
			// same tokens, paid twice.
			if res.doneReason == "length" {
				lastErr, raw = fmt.Errorf("answer cut after %d tokens by num_predict %d (done_reason length)", res.metrics.EvalCount, numPredict), res.content
				break
			}
			ans, perr := ParseAnswer(res.content)
			if perr != nil {
				lastErr, raw = perr, res.content
				break
			}
			prov.PromptTokens, prov.OutputTokens = res.metrics.PromptEvalCount, res.metrics.EvalCount
			prov.TotalDuration, prov.LoadDuration = int64(res.metrics.TotalDuration), int64(res.metrics.LoadDuration)
			prov.PromptDuration, prov.EvalDuration = int64(res.metrics.PromptEvalDuration), int64(res.metrics.EvalDuration)
			prov.DoneReason, prov.Attempts = res.doneReason, o.calls
			r.judged(&o, ref, crit, prov, ans, res.content)
			return o
		}
		if ctx.Err() != nil {
			o.cancelled = true
			return o
		}
		if errors.Is(err, errStopped) {
			lastErr, raw = err, res.content
			break
		}
		switch classify(err) {
		case callFatal:
			o.fatal = fatalError(h, cfg.Model, err)
			return o
		case callWait:
			lastErr = err
			if waits < maxWaits {
				if cfg.sleep(ctx, backoff(cfg, waits)) != nil {
					o.cancelled = true
					return o
				}
				waits++
				continue
			}
			attempts = maxAnswerAttempts
		default:
			attempts++
			lastErr = err
		}
	}
	o.failed = &review.ProposeFailed{Passage: ref.p.ID, Criterion: crit.ID, Model: cfg.Model,
		Reason: sanitize.Line(lastErr.Error()), Attempts: o.calls, Answer: raw}
	return o
}

// failedEvent records a pair that got no valid answer. A pair may fail in
// several runs, so its event ID counts the failures already in the trace.
// It reads st, so it runs in Run's goroutine, between sink calls.
func (r *runner) failedEvent(key string, f *review.ProposeFailed) review.Event {
	id := "e-" + key + "-failed"
	for n := 2; r.st.HasEvent(id); n++ {
		id = fmt.Sprintf("e-%s-failed-%d", key, n)
	}
	return r.event(id, review.KindProposeFailed, *f)
}

// judged turns a valid answer into its events: the proposal, if the passage
// is relevant and the quote is really in it, and the judged pair.
func (r *runner) judged(o *outcome, ref passageRef, crit review.Criterion, prov *review.Provenance, ans Answer, raw string) {
	pj := review.PairJudged{Key: o.job.key, Passage: ref.p.ID, Criterion: crit.ID,
		Relevant: ans.Relevant, Provenance: prov, Answer: raw}
	if ans.Quote != "" {
		m := MatchQuote(ref.p.Text, ans.Quote)
		prov.QuoteMatch = m.Level
		if ans.Relevant && m.Level != QuoteNone {
			runes := []rune(ref.p.Text)
			p := review.Proposal{
				ID: proposalID(o.job.key), Document: ref.p.Document, Passage: ref.p.ID, Criterion: crit.ID,
				Statement: sanitize.Line(ans.Statement), Quote: string(runes[m.Start:m.End]),
				QuoteStart: m.Start, QuoteEnd: m.End, Confidence: ans.Confidence,
				Origin: review.Origin{Kind: review.OriginModel, Name: r.cfg.Model, Provenance: prov},
			}
			pj.Proposal = p.ID
			o.proposal = true
			o.events = append(o.events, r.event("e-"+o.job.key+"-proposal", review.KindProposalAdded, p))
		}
	}
	o.events = append(o.events, r.event("e-"+o.job.key+"-judged", review.KindPairJudged, pj))
	o.judged = &pj
}
