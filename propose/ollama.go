package propose

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// preflightTimeout bounds each check made before a run: a healthy Ollama
// answers /api/version and /api/tags in milliseconds.
const preflightTimeout = 15 * time.Second

// host is one Ollama machine, checked before the run.
type host struct {
	url         string
	client      *api.Client
	version     string
	digest      string // of the judge model
	embedDigest string
	// deadline gives a call its deadline: Config.deadline, or
	// context.WithTimeout when nil.
	deadline func(context.Context, time.Duration) (context.Context, context.CancelFunc)
}

// UnreachableError says that no Ollama answered at an address. Its message
// is one sentence that says what to do.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("Ollama is not reachable at %s: start it with `ollama serve` (or point OLLAMA_HOST or --ollama at it), or add --frugal to propose without a model", e.Host)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// ModelMissingError says that a model is not pulled on a host, with the
// command that fixes it.
type ModelMissingError struct {
	Host, Model string
}

func (e *ModelMissingError) Error() string {
	return fmt.Sprintf("model %s is not pulled on the Ollama at %s: run `ollama pull %s` there, then run revue propose again", e.Model, e.Host, e.Model)
}

// connect makes a client for each host and checks, before any work, that
// each one answers, has the models, and that they all serve the same model
// (same digest): a pair's key includes the digest, so two hosts with two
// versions of "qwen3:4b" would judge the same pair twice.
func connect(ctx context.Context, cfg Config) ([]*host, error) {
	var hosts []*host
	for _, h := range cfg.Hosts {
		u, err := url.Parse(h)
		if err != nil {
			return nil, fmt.Errorf("Ollama address %q: %v", h, err)
		}
		ho := &host{url: h, client: api.NewClient(u, cfg.HTTPClient), deadline: cfg.deadline}
		cctx, cancel := context.WithTimeout(ctx, preflightTimeout)
		ho.version, err = ho.client.Version(cctx)
		if err != nil {
			cancel()
			return nil, hostError(h, "/api/version", err)
		}
		list, err := ho.client.List(cctx)
		cancel()
		if err != nil {
			return nil, hostError(h, "/api/tags", err)
		}
		if ho.digest = findDigest(list, cfg.Model); ho.digest == "" {
			return nil, &ModelMissingError{Host: h, Model: cfg.Model}
		}
		if cfg.EmbedModel != "" {
			if ho.embedDigest = findDigest(list, cfg.EmbedModel); ho.embedDigest == "" {
				return nil, &ModelMissingError{Host: h, Model: cfg.EmbedModel}
			}
		}
		if len(hosts) > 0 && hosts[0].digest != ho.digest {
			return nil, fmt.Errorf("model %s differs between the Ollama at %s (digest %.12s) and at %s (digest %.12s): run `ollama pull %s` on both so that they judge alike",
				cfg.Model, hosts[0].url, hosts[0].digest, h, ho.digest, cfg.Model)
		}
		hosts = append(hosts, ho)
	}
	return hosts, nil
}

// hostError turns a failed check into a sentence: an HTTP answer means
// Ollama runs but refused, anything else that it is not there.
func hostError(h, path string, err error) error {
	var se api.StatusError
	if errors.As(err, &se) {
		return fmt.Errorf("the Ollama at %s answered %s with %q: check its log (journalctl -u ollama or the terminal of `ollama serve`)", h, path, se.Error())
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &UnreachableError{Host: h, Err: err}
}

// canonicalModel adds the ":latest" tag Ollama implies when none is given.
func canonicalModel(name string) string {
	name = strings.TrimSpace(name)
	last := name[strings.LastIndex(name, "/")+1:]
	if !strings.Contains(last, ":") {
		name += ":latest"
	}
	return strings.TrimPrefix(name, "registry.ollama.ai/library/")
}

// findDigest returns the digest of a model in a /api/tags listing, or "".
// The digest is only there: /api/show does not give it.
func findDigest(list *api.ListResponse, model string) string {
	want := canonicalModel(model)
	for _, m := range list.Models {
		if canonicalModel(m.Name) == want || canonicalModel(m.Model) == want {
			return m.Digest
		}
	}
	return ""
}

// callClass sorts the errors of one call into what to do about them.
type callClass int

const (
	callRetry callClass = iota // a bad or cut answer: ask once more, then record a failure
	callWait                   // the server is busy or down for a moment: back off and retry
	callFatal                  // every call would fail the same way: stop the run
)

// classify decides what an error of a judge or embed call means.
func classify(err error) callClass {
	var se api.StatusError
	if errors.As(err, &se) {
		switch {
		case se.StatusCode == http.StatusTooManyRequests, se.StatusCode >= 500:
			return callWait
		default:
			// 404 (the model went away), 400 (a request Ollama refuses):
			// every pair would get the same answer.
			return callFatal
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) && !ue.Timeout() && !errors.Is(err, context.DeadlineExceeded) {
		return callWait // connection refused or reset: Ollama restarting
	}
	return callRetry
}

// fatalError explains a call error that ends the run.
func fatalError(h *host, model string, err error) error {
	var se api.StatusError
	if errors.As(err, &se) && se.StatusCode == http.StatusNotFound {
		return &ModelMissingError{Host: h.url, Model: model}
	}
	return fmt.Errorf("the Ollama at %s refused the request for model %s (%v): check that this Ollama supports structured output (0.5 or later) and see its log", h.url, model, err)
}
