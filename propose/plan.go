package propose

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"
	"github.com/ollama/ollama/api"

	"github.com/coopdescommuns/revue/review"
)

// Where a plan's speeds come from, in Plan.Speeds.
const (
	// SpeedsTrace: an earlier run of the same model, recorded in the trace.
	SpeedsTrace = "trace"
	// SpeedsWarmUp: one call made for the estimate (a real pair, whose
	// answer is not kept), with a fresh prefix so that Ollama's cache does
	// not flatter the prompt speed.
	SpeedsWarmUp = "warm-up"
	// SpeedsGuess: neither; a 4-billion-parameter model on a laptop CPU.
	SpeedsGuess = "guess"
)

// Guesses for a plan without a trace or a warm-up: qwen3:4b on a 2-core
// laptop (../shared/real-ollama/README.md: 20.6-26.6 prompt tokens/s warm,
// 4.6-5.8 written tokens/s), about 3 characters of French a token, and an
// answer of 60 tokens (most answers are a short "no link").
const (
	guessPromptTPS     = 20.0
	guessOutputTPS     = 5.0
	guessCharsPerToken = 3.0
	guessOutputPerPair = 60.0
	// templateTokens is what the chat template adds around the messages
	// and evaluates on every call (the end of the user turn, the start of
	// the assistant's).
	templateTokens = 8
)

// Plan is what a run will cost, known before it is paid: the pairs to
// judge, the tokens Ollama will read and write, and the time on this
// machine at the speeds it measured or found in the trace.
type Plan struct {
	Model      string
	EmbedModel string
	Pairs      int   // to judge in this run
	Skipped    int   // answered by an earlier run, not asked again
	Exhaustive int   // criteria × passages
	Budgets    []int // passages per criterion
	Slots      int   // hosts × parallel calls
	Hosts      int
	// PromptTokens is the prompt tokens Ollama is expected to evaluate,
	// after its cache reused the instructions and the criterion;
	// PromptTokensSent counts every token sent (what Ollama 0.17 reports
	// as prompt_eval_count, cached ones included).
	PromptTokens, PromptTokensSent int64
	OutputTokens                   int64
	OutputPerPair                  float64
	CharsPerToken                  float64
	PromptTokensPerSec             float64
	OutputTokensPerSec             float64
	Speeds                         string // SpeedsTrace, SpeedsWarmUp or SpeedsGuess
	Load                           time.Duration
	// PerCall is what a call costs besides reading and writing tokens:
	// Ollama's total_duration less its load, prompt and eval durations
	// (building the grammar of the schema, sampling under it). 3.1 s a
	// call with the qwen3:4b stand-in here, a tenth of the run.
	PerCall time.Duration
	// EmbedTexts is the number of texts to embed (those not in the cache),
	// EmbedTextsPerSec the speed used (0: unknown, no estimate).
	EmbedTexts       int
	EmbedTextsPerSec float64
	EmbedDuration    time.Duration
	// Duration is the expected wall time of the run: embedding, loading
	// and judging.
	Duration time.Duration
}

// EstimateOptions says how Estimate may learn the speeds.
type EstimateOptions struct {
	// WarmUp allows one judge call (and one small embedding call) when the
	// trace has no earlier run of the model: a few seconds to a minute.
	WarmUp bool
}

// Estimate plans a run without making it: it checks the hosts as Run does,
// retrieves the candidates, counts the pairs not answered before, and
// predicts the tokens and the time. The speeds come from the last run of
// the same model in the trace, else from a warm-up call if allowed, else
// from a guess; Plan.Speeds says which. Pairs to judge with an embedding
// model are counted on the lexical candidates (the budgets are exact; the
// pairs already answered may differ by a few).
func Estimate(ctx context.Context, st *review.State, cfg Config, opt EstimateOptions) (Plan, error) {
	r, texts, err := prepare(st, cfg, nil, nil)
	if err != nil {
		return Plan{}, err
	}
	cfg = r.cfg
	pl := Plan{Model: cfg.Model, EmbedModel: cfg.EmbedModel, Exhaustive: len(st.Criteria) * len(r.refs)}
	ix := NewIndex(texts)
	pl.Budgets = Budgets(ix, st.Criteria, cfg.PerCriterion, cfg.MinPerCriterion, cfg.BudgetShare)
	if cfg.Frugal {
		// No model: at most this many lexical proposals, in seconds.
		pl.Model, pl.EmbedModel = "", ""
		for _, k := range pl.Budgets {
			pl.Pairs += k
		}
		return pl, nil
	}
	hosts, err := connect(ctx, cfg)
	if err != nil {
		return Plan{}, err
	}
	pl.Hosts, pl.Slots = len(hosts), len(hosts)*cfg.Parallel
	cands := RetrieveBudgets(ix, st.Criteria, pl.Budgets, nil, nil)
	jobs, _ := r.jobs(cands, hosts[0].digest)
	pl.Pairs, pl.Skipped = len(jobs), r.run.Skipped

	sp := speedsFromTrace(st, cfg.Model, hosts[0].digest)
	if sp == nil && opt.WarmUp && len(jobs) > 0 {
		if sp, err = r.warmUp(ctx, hosts[0], jobs[0]); err != nil {
			return Plan{}, err
		}
	}
	if sp == nil {
		sp = &speeds{source: SpeedsGuess, promptTPS: guessPromptTPS, outputTPS: guessOutputTPS,
			charsPerToken: guessCharsPerToken, outputPerPair: guessOutputPerPair}
	}
	var chars []promptChars
	for _, j := range jobs {
		chars = append(chars, r.promptChars(j))
	}
	planTokens(&pl, sp, chars)
	if cfg.EmbedModel != "" {
		r.planEmbed(ctx, &pl, hosts, texts, opt)
	}
	return pl, nil
}

// speeds are what a plan's arithmetic needs to know of a model here.
type speeds struct {
	source                                             string
	promptTPS, outputTPS, charsPerToken, outputPerPair float64
	// effective: the prompt speed counts the tokens Ollama's cache reused
	// (a trace's figure), so it applies to the tokens sent, not evaluated.
	effective bool
	load      time.Duration
	perCall   time.Duration // a call's time that is neither reading nor writing
}

// promptChars is the size of one call's prompt, by part: the parts shared
// with the previous call of the same slot are read from Ollama's cache.
type promptChars struct {
	passage string // the passage's id: calls of one passage share a prefix
	system  int    // the instructions
	shared  int    // the passage's part of the user message
	own     int    // the criterion's part, this call's own
}

func (r *runner) promptChars(j job) promptChars {
	ref := r.refs[j.cand.Pos]
	c := r.st.Criteria[j.cand.Criterion]
	return promptChars{passage: ref.p.ID, system: utf8.RuneCountInString(systemPrompt[r.cfg.Lang]),
		shared: utf8.RuneCountInString(passagePart(ref.p, ref.title, r.cfg.NumCtx)),
		own:    utf8.RuneCountInString(criterionPart(c))}
}

// planTokens is the plan's arithmetic. Every call sends the instructions,
// the passage and the criterion (PromptTokensSent). Ollama evaluates only
// what differs from the cached prompt of the slot it runs on: the
// instructions once per slot, each passage once (a slot takes all the
// pairs of a passage, one after the other), and every criterion with the
// template's few tokens. The time is the evaluated tokens at the prompt
// speed plus the written tokens at the output speed, divided by the hosts:
// parallel calls on one host share its cores and are counted as no faster
// (on a CPU they are not: BENCHMARKS.md). A trace's prompt speed is an
// effective one (cached tokens counted), so it applies to the tokens sent.
func planTokens(pl *Plan, sp *speeds, calls []promptChars) {
	tok := func(chars int) int64 { return int64(math.Ceil(float64(chars) / sp.charsPerToken)) }
	seen := map[string]bool{}
	for _, c := range calls {
		pl.PromptTokensSent += tok(c.system) + tok(c.shared) + tok(c.own) + templateTokens
		pl.PromptTokens += tok(c.own) + templateTokens
		if !seen[c.passage] {
			seen[c.passage] = true
			pl.PromptTokens += tok(c.shared)
		}
	}
	pl.PromptTokens += tok(systemChars(calls)) * int64(min(max(pl.Slots, 1), len(seen)))
	pl.OutputPerPair = sp.outputPerPair
	pl.OutputTokens = int64(math.Round(sp.outputPerPair * float64(len(calls))))
	pl.CharsPerToken, pl.PromptTokensPerSec, pl.OutputTokensPerSec = sp.charsPerToken, sp.promptTPS, sp.outputTPS
	pl.Speeds, pl.Load, pl.PerCall = sp.source, sp.load, sp.perCall
	prompt := pl.PromptTokens
	if sp.effective {
		prompt = pl.PromptTokensSent
	}
	secs := 0.0
	if sp.promptTPS > 0 {
		secs += float64(prompt) / sp.promptTPS
	}
	if sp.outputTPS > 0 {
		secs += float64(pl.OutputTokens) / sp.outputTPS
	}
	secs += sp.perCall.Seconds() * float64(len(calls))
	secs /= float64(max(pl.Hosts, 1))
	pl.Duration = time.Duration(secs*float64(time.Second)) + pl.Load + pl.EmbedDuration
}

func systemChars(calls []promptChars) int {
	if len(calls) == 0 {
		return 0
	}
	return calls[0].system
}

// speedsFromTrace returns the speeds of the last run of this model (same
// digest) that judged pairs, or nil.
func speedsFromTrace(st *review.State, model, digest string) *speeds {
	for i := len(st.Runs) - 1; i >= 0; i-- {
		run := st.Runs[i]
		if run.Mode != review.OriginModel || run.Model != model || (digest != "" && run.ModelDigest != digest) {
			continue
		}
		if run.Calls == 0 || run.PromptNanos == 0 || run.EvalNanos == 0 || run.PromptTokens == 0 {
			continue
		}
		sp := &speeds{source: SpeedsTrace, effective: true,
			promptTPS:     float64(run.PromptTokens) / (float64(run.PromptNanos) / 1e9),
			outputTPS:     float64(run.OutputTokens) / (float64(run.EvalNanos) / 1e9),
			outputPerPair: float64(run.OutputTokens) / float64(run.Calls),
			charsPerToken: guessCharsPerToken}
		if run.PromptChars > 0 {
			sp.charsPerToken = float64(run.PromptChars) / float64(run.PromptTokens)
		}
		// The run's model time less reading and writing, a call's share;
		// its loads are in it, spread over the calls. Embedding time is in
		// model_ns too, so a run that embedded does not tell.
		if rest := run.ModelNanos - run.PromptNanos - run.EvalNanos; run.EmbedTexts == 0 && rest > 0 {
			sp.perCall = time.Duration(rest / int64(run.Calls))
		}
		return sp
	}
	return nil
}

// requestChars is the number of characters a chat request sends.
func requestChars(req *api.ChatRequest) int {
	n := 0
	for _, m := range req.Messages {
		n += utf8.RuneCountInString(m.Content)
	}
	return n
}

// warmUp makes one judge call for the first pair, with a fresh line before
// the instructions so that no cached prefix flatters the prompt speed, and
// measures the speeds. Its answer is not kept: the run asks again, with
// the run's prompt.
func (r *runner) warmUp(ctx context.Context, h *host, j job) (*speeds, error) {
	ref := r.refs[j.cand.Pos]
	req := chatRequest(r.cfg, r.st.Criteria[j.cand.Criterion], ref.p, ref.title)
	req.Messages[0].Content = fmt.Sprintf("(estimation %d)\n", r.cfg.now().UnixNano()) + req.Messages[0].Content
	// One more try for an answer lost on the way (a stream cut, a busy
	// server), as a judged pair gets.
	res, err := chat(ctx, h, req, r.cfg.CallTimeout)
	if err != nil && ctx.Err() == nil && classify(err) != callFatal {
		if classify(err) == callWait {
			if serr := r.cfg.sleep(ctx, backoff(r.cfg, 0)); serr != nil {
				return nil, serr
			}
		}
		res, err = chat(ctx, h, req, r.cfg.CallTimeout)
	}
	if err != nil {
		if classify(err) == callFatal {
			return nil, fatalError(h, r.cfg.Model, err)
		}
		return nil, fmt.Errorf("the warm-up call to the Ollama at %s failed (%v): run again, or estimate from a guess without the warm-up", h.url, err)
	}
	m := res.metrics
	if m.PromptEvalCount == 0 || m.PromptEvalDuration <= 0 || m.EvalDuration <= 0 {
		return nil, nil
	}
	return &speeds{source: SpeedsWarmUp,
		promptTPS:     float64(m.PromptEvalCount) / m.PromptEvalDuration.Seconds(),
		outputTPS:     float64(m.EvalCount) / m.EvalDuration.Seconds(),
		outputPerPair: float64(m.EvalCount),
		charsPerToken: float64(requestChars(req)) / float64(m.PromptEvalCount),
		load:          m.LoadDuration,
		perCall:       max(m.TotalDuration-m.LoadDuration-m.PromptEvalDuration-m.EvalDuration, 0),
	}, nil
}

// planEmbed adds the embedding's cost: the texts the cache does not hold,
// at the speed of the last run with this embedding model, else of a
// warm-up batch of embedFirstBatch texts when allowed.
func (r *runner) planEmbed(ctx context.Context, pl *Plan, hosts []*host, texts []review.Passage, opt EstimateOptions) {
	all := make([]string, 0, len(texts)+len(r.st.Criteria))
	for _, p := range texts {
		all = append(all, p.Text)
	}
	for _, c := range r.st.Criteria {
		all = append(all, criterionQuery(c))
	}
	todo := all
	if r.cfg.EmbedCache != "" {
		if cache, err := openEmbedCache(r.cfg.EmbedCache, hosts[0].embedDigest); err == nil {
			todo = nil
			for _, t := range all {
				if _, ok := cache.get(t); !ok {
					todo = append(todo, t)
				}
			}
			cache.close()
		}
	}
	pl.EmbedTexts = len(todo)
	for i := len(r.st.Runs) - 1; i >= 0 && pl.EmbedTextsPerSec == 0; i-- {
		if run := r.st.Runs[i]; run.EmbedModel == r.cfg.EmbedModel && run.EmbedTextsPerSec > 0 {
			pl.EmbedTextsPerSec = run.EmbedTextsPerSec
		}
	}
	if pl.EmbedTextsPerSec == 0 && opt.WarmUp && len(todo) > 0 {
		batch := todo[:min(embedFirstBatch, len(todo))]
		t0 := r.cfg.now()
		if _, err := embedCall(ctx, r.cfg, hosts[0], batch); err == nil {
			if el := r.cfg.now().Sub(t0); el > 0 {
				pl.EmbedTextsPerSec = float64(len(batch)) / el.Seconds()
			}
		}
	}
	if pl.EmbedTextsPerSec > 0 {
		pl.EmbedDuration = time.Duration(float64(pl.EmbedTexts) / pl.EmbedTextsPerSec / float64(max(pl.Hosts, 1)) * float64(time.Second))
		pl.Duration += pl.EmbedDuration
	}
}

// Lines describes a plan in a few lines, in French or English, for the
// first lines of a run and for --dry-run.
func (pl Plan) Lines(lang string) []string {
	fr := lang != "en"
	t := func(f, e string) string {
		if fr {
			return f
		}
		return e
	}
	c := func(n int, frOne, frMany, enOne, enMany string) string {
		return review.FormatCount(lang, n, frOne, frMany, enOne, enMany)
	}
	var out []string
	if pl.Model == "" {
		return []string{fmt.Sprintf(t("Sans modèle : au plus %s (sur %s), en quelques secondes.",
			"No model: at most %s (of %s), in seconds."),
			c(pl.Pairs, "proposition lexicale", "propositions lexicales", "lexical proposal", "lexical proposals"),
			c(pl.Exhaustive, "paire possible", "paires possibles", "possible pair", "possible pairs"))}
	}
	out = append(out, fmt.Sprintf(t("Paires à juger : %d (sur %s ; %s) avec %s.",
		"Pairs to judge: %d (of %s; %s) with %s."), pl.Pairs, c(pl.Exhaustive, "possible", "possibles", "possible", "possible"),
		c(pl.Skipped, "déjà jugée", "déjà jugées", "judged before", "judged before"), pl.Model))
	if pl.Pairs == 0 {
		return out
	}
	src := map[string]string{
		SpeedsTrace:  t("vitesses du passage précédent", "speeds of the previous run"),
		SpeedsWarmUp: t("vitesses mesurées par un appel d'essai", "speeds measured by a warm-up call"),
		SpeedsGuess:  t("vitesses supposées, sans mesure", "assumed speeds, not measured"),
	}[pl.Speeds]
	out = append(out, fmt.Sprintf(t("Tokens prévus : %s (%s, le reste vient du cache d'Ollama), %s.",
		"Expected tokens: %s (%s, the rest from Ollama's cache), %s."),
		review.FormatCount(lang, pl.PromptTokens, "lu", "lus", "read", "read"), review.FormatCount(lang, pl.PromptTokensSent, "envoyé", "envoyés", "sent", "sent"),
		review.FormatCount(lang, pl.OutputTokens, "écrit", "écrits", "written", "written")))
	out = append(out, fmt.Sprintf(t("Durée estimée sur cette machine : %s (%s tokens/s lus, %s tokens/s écrits ; %s).",
		"Estimated time on this machine: %s (%s tokens/s read, %s tokens/s written; %s)."),
		FormatDuration(pl.Duration), review.FormatFloat(lang, pl.PromptTokensPerSec, 0), review.FormatFloat(lang, pl.OutputTokensPerSec, 1), src))
	if pl.EmbedModel != "" {
		if pl.EmbedTextsPerSec > 0 {
			out = append(out, fmt.Sprintf(t("Embeddings (%s) : %s à %s textes/s, %s.", "Embeddings (%s): %s at %s texts/s, %s."),
				pl.EmbedModel, c(pl.EmbedTexts, "texte", "textes", "text", "texts"), review.FormatFloat(lang, pl.EmbedTextsPerSec, 1), FormatDuration(pl.EmbedDuration)))
		} else {
			out = append(out, fmt.Sprintf(t("Embeddings (%s) : %s, durée inconnue (pas encore mesurée).", "Embeddings (%s): %s, time unknown (not measured yet)."),
				pl.EmbedModel, c(pl.EmbedTexts, "texte", "textes", "text", "texts")))
		}
	}
	return out
}

// FormatDuration writes a duration the way people read an estimate:
// "45 s", "12 min", "3 h 05".
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	default:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%d h %02d", int(d.Hours()), int(d.Minutes())%60)
	}
}

// Confirm asks, before a run estimated at more than above, whether to go
// on. It asks only when in is a terminal: a script or a scheduled job
// (stdin not a terminal) goes on without a question, having printed the
// plan; yes (--yes) goes on too. The answer is read as one line: "o",
// "oui", "y" or "yes" go on, anything else stops.
func Confirm(pl Plan, above time.Duration, yes bool, in *os.File, out io.Writer, lang string) bool {
	if yes || pl.Duration <= above || in == nil || !term.IsTerminal(in.Fd()) {
		return true
	}
	if lang == "en" {
		fmt.Fprintf(out, "This run should take about %s. Go on? [y/N] ", FormatDuration(pl.Duration))
	} else {
		fmt.Fprintf(out, "Ce passage devrait durer environ %s. Continuer ? [o/N] ", FormatDuration(pl.Duration))
	}
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "o", "oui", "y", "yes":
		return true
	}
	return false
}
