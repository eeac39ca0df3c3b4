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
	// DefaultPerCriterion is how many passages the judge reads per criterion.
	// On the sample corpus (65 passages, 44 gold links) lexical recall is
	// 0.43 at 4, 0.52 at 8, 0.64 at 12 and 0.66 at 16 (the ceiling of
	// lexical retrieval there is 0.84: 7 gold passages share no word with
	// their criterion): 12 is the knee. 12 × 30 criteria is 360 calls,
	// about two hours for qwen3:4b on a laptop CPU, a night's work; and
	// 2,250 times fewer than judging 27,000 pad passages exhaustively.
	DefaultPerCriterion = 12
	// DefaultFrugalPerCriterion is how many lexical proposals each criterion
	// gets without a model: with no judge to filter them, every one reaches
	// the group, and a meeting cannot review hundreds.
	DefaultFrugalPerCriterion = 4
	DefaultNumCtx             = 4096
	DefaultSeed               = 42
	// DefaultPowerWatts is a laptop's draw under load, for the energy estimate.
	DefaultPowerWatts  = 30
	DefaultCallTimeout = 5 * time.Minute
	// DefaultHost is where Ollama listens unless OLLAMA_HOST says otherwise.
	DefaultHost = "http://127.0.0.1:11434"
	// numPredict bounds the judge's answer: the JSON needs about 150 tokens;
	// a model that rambles past 512 is cut (done_reason "length") and asked
	// once more.
	numPredict = 512
)

// Config is what `revue propose` may change. The zero value of each field
// means its default.
type Config struct {
	Model        string        // default "qwen3:4b"
	EmbedModel   string        // "" = lexical retrieval only; e.g. "bge-m3"
	PerCriterion int           // candidates judged per criterion, default 12 (4 in frugal mode)
	Parallel     int           // concurrent judge calls per host, default 1
	Hosts        []string      // default: from OLLAMA_HOST, else http://127.0.0.1:11434
	Frugal       bool          // no model at all: lexical proposals
	NumCtx       int           // default 4096
	Seed         int           // default 42
	PowerWatts   float64       // for the energy estimate, default 30 W
	CallTimeout  time.Duration // default 5 min per call
	Lang         string        // "fr" or "en": the language of statements
	// EmbedCache is a directory where embeddings are kept between runs,
	// by model digest and text; "" keeps none.
	EmbedCache string
	HTTPClient *http.Client // optional, tests

	// Test hooks: the clock, the pause between retries, and the first
	// backoff delay.
	now         func() time.Time
	sleep       func(context.Context, time.Duration) error
	backoffBase time.Duration
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
