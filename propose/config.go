package propose

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults, chosen for a French corpus on a modest laptop without a GPU.
const (
	// DefaultModel is small enough for a CPU (about 2.6 GB), follows a JSON
	// schema well and reads French.
	DefaultModel = "qwen3:4b"
	// DefaultPerCriterion is the most passages the judge reads per
	// criterion. On the sample corpus (65 passages, 44 gold links) lexical
	// recall is 0.43 at 4, 0.52 at 8, 0.64 at 12 and 0.66 at 16 (the
	// ceiling of lexical retrieval there is 0.84: 7 gold passages share no
	// word with their criterion): 12 is the knee. With the adaptive budget
	// (Config.BudgetShare), 12 is the ceiling a criterion with flat scores
	// gets; a criterion where a few passages stand out gets fewer. See
	// BENCHMARKS.md, "propose: the cost of the AI step".
	DefaultPerCriterion = 12
	// DefaultFrugalPerCriterion bounds the lexical proposals of a criterion
	// without a model. The frugal budget's rule is one passage per document
	// and criterion, the best, when it matches well enough (frugalSelect):
	// a criterion gets as many proposals as documents speak of it, and on a
	// large corpus at most this many, the best, since with no judge to
	// filter them every one reaches the group and a meeting cannot review
	// hundreds. On the sample (7 documents) the cap does not bind: 0.89
	// proposals per criterion and document, recall 0.82 (BENCHMARKS.md).
	DefaultFrugalPerCriterion = 12
	DefaultNumCtx             = 4096
	DefaultSeed               = 42
	// DefaultPowerWatts is a laptop's draw under load, for the energy estimate.
	DefaultPowerWatts  = 30
	DefaultCallTimeout = 5 * time.Minute
	// DefaultHost is where Ollama listens unless OLLAMA_HOST says otherwise.
	DefaultHost = "http://127.0.0.1:11434"
	// numPredict bounds the judge's answer: the schema's longest answer
	// (a quote of 240 characters, a statement of 200, the rest) is about
	// 170 tokens of French; a model that rambles past 192 is cut
	// (done_reason "length") and recorded as failed, not asked again: at
	// temperature 0 with a fixed seed it would write the same again.
	numPredict = 192
	// keepAlive keeps the judge loaded between calls and for a while after
	// the run, so that a run never reloads it (seconds of disk each time).
	keepAlive = 15 * time.Minute
	// DefaultConfirmAbove is the estimated duration from which a run asks
	// for confirmation on a terminal.
	DefaultConfirmAbove = time.Hour
)

// Config is what `revue propose` may change. The zero value of each field
// means its default.
type Config struct {
	Model        string // default "qwen3:4b"
	EmbedModel   string // "" = lexical retrieval only; e.g. "bge-m3"
	PerCriterion int    // candidates judged per criterion, default 12 (frugal: at most, one a document)
	// Knowledge says which sources of words beside the criterion's own a
	// frugal run leaves out (the zero value uses them all).
	Knowledge Knowledge
	// Keywords adds, per criterion ID, keywords to those the criteria file
	// gave at `revue init`: a facilitator may add some between two runs.
	// The run records them with its expansions.
	Keywords    map[string][]string
	Parallel    int           // concurrent judge calls per host, default 1
	Hosts       []string      // default: from OLLAMA_HOST, else http://127.0.0.1:11434
	Frugal      bool          // no model at all: lexical proposals
	NumCtx      int           // default 4096
	Seed        int           // default 42
	PowerWatts  float64       // for the energy estimate, default 30 W
	CallTimeout time.Duration // default 5 min per call
	// Lang is the language of the statements when the session does not
	// say: the session's language (session.created "language", French by
	// default) wins, so that a facilitator's English locale does not make
	// French participants read English. Kept for callers that build a
	// state without a session.created event.
	Lang string
	// BudgetShare turns on the adaptive budget (see Budgets): a criterion
	// gets as many passages as score at least this share of its best BM25
	// hit, between MinPerCriterion (default 4) and PerCriterion. 0 keeps
	// the fixed budget, the default: on the sample's gold links no share
	// kept the fixed budget's recall with fewer calls (BENCHMARKS.md).
	BudgetShare     float64
	MinPerCriterion int
	// Negatives asks for a sample of N pairs the judge answered "no link"
	// (issue 8), stratified by criterion, added as proposals marked
	// Negative in the data, so that the group also judges the model's
	// silences. NegativeSeed makes the sample reproducible (default: Seed).
	Negatives    int
	NegativeSeed int64
	// Estimate is the duration the run's plan predicted (Plan.Duration),
	// recorded in the run's summary so that estimates can be checked.
	Estimate time.Duration
	// PowercapDir is where Linux exposes RAPL counters, default
	// /sys/class/powercap; tests point it at a fake directory.
	PowercapDir string
	// EmbedCache is a directory where embeddings are kept between runs,
	// by model digest and text; "" keeps none.
	EmbedCache string
	HTTPClient *http.Client // optional, tests

	// Test hooks: the clock, the pause between retries, the first backoff
	// delay, and how a call gets its deadline (context.WithTimeout), so
	// that a test can make a call's deadline pass when it chooses.
	now         func() time.Time
	sleep       func(context.Context, time.Duration) error
	backoffBase time.Duration
	deadline    func(context.Context, time.Duration) (context.Context, context.CancelFunc)
}

// withDefaults fills in the defaults and checks the settings, naming the
// flag at fault.
func (c Config) withDefaults() (Config, error) {
	if c.Model == "" {
		c.Model = DefaultModel
	}
	if c.PerCriterion < 0 {
		return c, fmt.Errorf("--per-criterion %d: give a positive number of passages per criterion", c.PerCriterion)
	}
	if c.PerCriterion == 0 {
		c.PerCriterion = DefaultPerCriterion
		if c.Frugal {
			c.PerCriterion = DefaultFrugalPerCriterion
		}
	}
	if c.MinPerCriterion < 0 {
		return c, fmt.Errorf("minimum %d passages per criterion: give a positive number", c.MinPerCriterion)
	}
	if c.MinPerCriterion == 0 {
		c.MinPerCriterion = min(DefaultMinPerCriterion, c.PerCriterion)
	}
	c.MinPerCriterion = min(c.MinPerCriterion, c.PerCriterion)
	if c.BudgetShare < 0 || c.BudgetShare >= 1 {
		return c, fmt.Errorf("budget share %v: give a share of the best score between 0 and 1 (0 = fixed budget)", c.BudgetShare)
	}
	if c.Negatives < 0 {
		return c, fmt.Errorf("--negatives %d: give how many \"no link\" answers to show the group, 0 or more", c.Negatives)
	}
	if c.PowercapDir == "" {
		c.PowercapDir = "/sys/class/powercap"
	}
	if c.Parallel < 0 {
		return c, fmt.Errorf("--parallel %d: give a positive number of concurrent calls per Ollama host", c.Parallel)
	}
	if c.Parallel == 0 {
		c.Parallel = 1
	}
	if c.NumCtx == 0 {
		c.NumCtx = DefaultNumCtx
	}
	if c.NumCtx < 1024 {
		return c, fmt.Errorf("num_ctx %d: the prompt alone needs about 1,000 tokens; use 4096 or more", c.NumCtx)
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.NegativeSeed == 0 {
		c.NegativeSeed = int64(c.Seed)
	}
	if c.PowerWatts == 0 {
		c.PowerWatts = DefaultPowerWatts
	}
	if c.PowerWatts < 0 {
		return c, fmt.Errorf("power %v W: give the machine's draw in watts, a positive number", c.PowerWatts)
	}
	if c.CallTimeout == 0 {
		c.CallTimeout = DefaultCallTimeout
	}
	switch c.Lang {
	case "":
		c.Lang = "fr"
	case "fr", "en":
	default:
		return c, fmt.Errorf("language %q: use fr or en", c.Lang)
	}
	if len(c.Hosts) == 0 {
		c.Hosts = []string{os.Getenv("OLLAMA_HOST")}
	}
	hosts := make([]string, 0, len(c.Hosts))
	seen := map[string]bool{}
	for _, h := range c.Hosts {
		u, err := ParseHost(h)
		if err != nil {
			return c, err
		}
		if !seen[u] {
			seen[u] = true
			hosts = append(hosts, u)
		}
	}
	c.Hosts = hosts
	if c.HTTPClient == nil {
		// No overall timeout here: every call has its own deadline, and a
		// streamed answer may legitimately take minutes.
		c.HTTPClient = &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     90 * time.Second,
		}}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.backoffBase == 0 {
		c.backoffBase = time.Second
	}
	return c, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ParseHost reads an Ollama address the way OLLAMA_HOST is read by every
// Ollama tool: "host", "host:port", "http://host:port" or "https://host";
// the port defaults to 11434 without a scheme, and an empty value means
// http://127.0.0.1:11434. It returns the address as a base URL.
func ParseHost(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultHost, nil
	}
	scheme, rest, ok := strings.Cut(s, "://")
	defPort := "11434"
	if !ok {
		scheme, rest = "http", s
	} else if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("Ollama address %q: use http://HOST:PORT", s)
	}
	rest, path, _ := strings.Cut(rest, "/")
	host, port, err := net.SplitHostPort(rest)
	if err != nil {
		host, port = rest, defPort
		if ok && scheme == "https" {
			port = "443"
		} else if ok {
			port = "80"
			if rest == "" {
				host = "127.0.0.1"
			}
		}
	}
	if host == "" {
		host = "127.0.0.1"
	}
	u := url.URL{Scheme: scheme, Host: net.JoinHostPort(strings.Trim(host, "[]"), port)}
	if path != "" {
		u.Path = "/" + strings.TrimSuffix(path, "/")
	}
	if _, err := url.Parse(u.String()); err != nil {
		return "", fmt.Errorf("Ollama address %q: %v", s, err)
	}
	return u.String(), nil
}
