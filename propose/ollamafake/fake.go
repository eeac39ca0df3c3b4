// Package ollamafake is an Ollama server for tests: it speaks the wire
// protocol of Ollama's REST API (docs/api.md of ollama v0.17.4) to the real
// client, github.com/ollama/ollama/api, without any model. Answers come from
// a function the test gives; failures (a missing model, a busy server, an
// error in the middle of a stream, an empty body, malformed JSON, an answer
// cut by the token limit) are injected per call; a latency and a number of
// slots make it behave like a server that computes P answers at a time and
// queues the rest, as Ollama does with OLLAMA_NUM_PARALLEL.
package ollamafake

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/ollama/ollama/api"
)

// Fault is a failure to inject into one call.
type Fault string

// The faults the server can play. Each is what a real Ollama sends in that
// situation, as far as the client can tell.
const (
	None        Fault = ""
	NotFound    Fault = "not-found"   // 404 {"error":"model 'x' not found"}, as server/routes.go writes it
	Unavailable Fault = "unavailable" // 503, the queue is full
	TooMany     Fault = "too-many"    // 429
	ServerError Fault = "server-error"
	MidStream   Fault = "mid-stream" // a first chunk, then {"error":...} in the stream
	EmptyBody   Fault = "empty-body" // a 500 with no body: the client returns nil and nothing else
	Malformed   Fault = "malformed"  // content that is not the JSON asked for
	Length      Fault = "length"     // the answer cut in the middle, done_reason "length"
	// Repeat is Ollama 0.17.4 stopping an answer whose same token came
	// more than 30 times in a row (llm/server.go, "prediction aborted,
	// token repeat limit reached"): a 200, the tokens so far, then the
	// end of the body without the final message. A stand-in of qwen3:4b
	// did it on 2 of the sample's 108 pairs.
	Repeat Fault = "repeat"
	// Numbers the schema's grammar lets through, or that a model served
	// without it writes: real Ollama does not enforce minimum and maximum
	// on a "number" (a stand-in of qwen3 answered the Overflow one).
	Overflow     Fault = "overflow"      // "confidence": -3883883883883883e3883883883883883
	OutOfRange   Fault = "out-of-range"  // "confidence": 250
	StringNumber Fault = "string-number" // "confidence": "80"
)

// confidenceValue is what each number fault writes as the confidence.
var confidenceValue = map[Fault]string{
	Overflow:     "-3883883883883883e3883883883883883",
	OutOfRange:   "250",
	StringNumber: `"80"`,
}

// withConfidence replaces the value of "confidence" in a JSON answer by
// raw, keeping everything else as the answer function wrote it.
func withConfidence(content, raw string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(content), &m) != nil {
		return content
	}
	m["confidence"] = json.RawMessage(raw)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range []string{"quote", "statement", "relevant", "confidence"} {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%s", k, m[k])
	}
	b.WriteByte('}')
	return b.String()
}

// Model is one pulled model, as /api/tags lists it.
type Model struct {
	Name   string
	Digest string
}

// Call describes one /api/chat request, for Answer and Fault to decide on.
// Attempt counts the requests with the same messages, from 1, so that a
// fault can hit the first attempt only.
type Call struct {
	N        int
	Attempt  int
	Model    string
	System   string
	User     string
	Request  api.ChatRequest
	Received time.Time
}

// Server is a fake Ollama. Set its fields before the first request, or use
// the setters while requests are running.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	version  string
	models   []Model
	latency  time.Duration
	answer   func(Call) string
	fault    func(Call) Fault
	embedFlt func(n int) Fault
	embedder func(string) []float32
	slots    chan struct{}

	chats    int
	embeds   int
	seen     map[string]int
	calls    []Call
	inflight int
	peak     int
}

// New starts a fake Ollama with the given models, version 0.17.4, no
// latency, one slot, and answers that find nothing relevant.
func New(models ...Model) *Server {
	s := &Server{
		version:  "0.17.4",
		models:   models,
		answer:   func(Call) string { return `{"quote":"","statement":"","relevant":false,"confidence":0.1}` },
		fault:    func(Call) Fault { return None },
		embedFlt: func(int) Fault { return None },
		embedder: HashEmbed,
		slots:    make(chan struct{}, 1),
		seen:     map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("HEAD /{$}", s.root)
	mux.HandleFunc("GET /{$}", s.root)
	mux.HandleFunc("GET /api/version", s.handleVersion)
	mux.HandleFunc("GET /api/tags", s.handleTags)
	mux.HandleFunc("POST /api/show", s.handleShow)
	mux.HandleFunc("POST /api/chat", s.handleChat)
	mux.HandleFunc("POST /api/embed", s.handleEmbed)
	s.Server = httptest.NewServer(mux)
	return s
}

// SetAnswer sets the function that writes the assistant's content.
func (s *Server) SetAnswer(f func(Call) string) { s.mu.Lock(); s.answer = f; s.mu.Unlock() }

// SetFault sets the function that decides a chat call's failure.
func (s *Server) SetFault(f func(Call) Fault) { s.mu.Lock(); s.fault = f; s.mu.Unlock() }

// SetEmbedFault sets the function that decides the n-th embed call's failure.
func (s *Server) SetEmbedFault(f func(n int) Fault) { s.mu.Lock(); s.embedFlt = f; s.mu.Unlock() }

// SetEmbedder sets the function that embeds one text.
func (s *Server) SetEmbedder(f func(string) []float32) { s.mu.Lock(); s.embedder = f; s.mu.Unlock() }

// SetLatency makes every chat call take d once it holds one of slots
// slots; other calls wait in line, as Ollama queues requests beyond
// OLLAMA_NUM_PARALLEL.
func (s *Server) SetLatency(d time.Duration, slots int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
	s.slots = make(chan struct{}, max(slots, 1))
}

// SetVersion sets what /api/version answers.
func (s *Server) SetVersion(v string) { s.mu.Lock(); s.version = v; s.mu.Unlock() }

// Chats is the number of /api/chat requests received.
func (s *Server) Chats() int { s.mu.Lock(); defer s.mu.Unlock(); return s.chats }

// Embeds is the number of /api/embed requests received.
func (s *Server) Embeds() int { s.mu.Lock(); defer s.mu.Unlock(); return s.embeds }

// Calls returns the chat requests received, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// PeakInFlight is the largest number of chat requests the server held at
// once: it shows how far a client spread its work.
func (s *Server) PeakInFlight() int { s.mu.Lock(); defer s.mu.Unlock(); return s.peak }

func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if r.Method == http.MethodGet {
		fmt.Fprint(w, "Ollama is running")
	}
}

func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	v := s.version
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"version": v})
}

func (s *Server) handleTags(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	models := append([]Model(nil), s.models...)
	s.mu.Unlock()
	var list api.ListResponse
	list.Models = []api.ListModelResponse{}
	for _, m := range models {
		list.Models = append(list.Models, api.ListModelResponse{
			Name: m.Name, Model: m.Name, Digest: m.Digest, Size: 2_600_000_000,
			ModifiedAt: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC),
			Details:    api.ModelDetails{Format: "gguf", Family: "qwen3", ParameterSize: "4.0B", QuantizationLevel: "Q4_K_M"},
		})
	}
	writeJSON(w, http.StatusOK, list)
}

// has reports whether a model is pulled, with Ollama's implied ":latest".
func (s *Server) has(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !strings.Contains(name, ":") {
		name += ":latest"
	}
	for _, m := range s.models {
		if m.Name == name {
			return true
		}
	}
	return false
}

func notFound(w http.ResponseWriter, model string) {
	writeJSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("model '%s' not found", model)})
}

func (s *Server) handleShow(w http.ResponseWriter, r *http.Request) {
	var req api.ShowRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	name := req.Model
	if name == "" {
		//lint:ignore SA1019 older clients still send "name", and Ollama still reads it.
		name = req.Name
	}
	if !s.has(name) {
		notFound(w, name)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"parameters":   "temperature 0.6",
		"template":     "{{ .Prompt }}",
		"details":      api.ModelDetails{Format: "gguf", Family: "qwen3", ParameterSize: "4.0B", QuantizationLevel: "Q4_K_M"},
		"model_info":   map[string]any{"general.architecture": "qwen3", "qwen3.context_length": 40960},
		"capabilities": []string{"completion", "thinking"},
	})
}

func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	var req api.ChatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	c := Call{Model: req.Model, Request: req, Received: time.Now()}
	for _, m := range req.Messages {
		switch m.Role {
		case "system":
			c.System = m.Content
		case "user":
			c.User = m.Content
		}
	}
	s.mu.Lock()
	s.chats++
	c.N = s.chats
	s.seen[c.System+"\x00"+c.User]++
	c.Attempt = s.seen[c.System+"\x00"+c.User]
	s.calls = append(s.calls, c)
	answer, fault, latency, slots := s.answer, s.fault, s.latency, s.slots
	s.inflight++
	s.peak = max(s.peak, s.inflight)
	s.mu.Unlock()
	defer func() { s.mu.Lock(); s.inflight--; s.mu.Unlock() }()

	if !s.has(req.Model) {
		notFound(w, req.Model)
		return
	}
	f := fault(c)
	if f == NotFound {
		notFound(w, req.Model)
		return
	}
	// Compute: hold a slot for the latency, as a loaded model does.
	start := time.Now()
	select {
	case slots <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			<-slots
			return
		}
	}
	<-slots
	switch f {
	case Unavailable:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "server busy, please try again.  maximum pending requests exceeded"})
		return
	case TooMany:
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too many requests"})
		return
	case ServerError:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "llama runner process has terminated: signal: killed"})
		return
	case EmptyBody:
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	content := answer(c)
	reason := "stop"
	switch f {
	case Malformed:
		content = `{"quote": "` + strings.Repeat("x", 10) + `", "relevant": tru`
	case Length:
		content = content[:len(content)/2]
		reason = "length"
	case Repeat:
		content = `{"quote": "` + strings.Repeat(" la", 31)
	case Overflow, OutOfRange, StringNumber:
		content = withConfidence(content, confidenceValue[f])
	}
	elapsed := max(time.Since(start), time.Millisecond)
	final := api.ChatResponse{
		Model: req.Model, CreatedAt: time.Now().UTC(), Done: true, DoneReason: reason,
		Message: api.Message{Role: "assistant"},
		Metrics: api.Metrics{
			TotalDuration:      elapsed,
			LoadDuration:       elapsed / 20,
			PromptEvalCount:    tokens(c.System) + tokens(c.User),
			PromptEvalDuration: elapsed / 2,
			EvalCount:          tokens(content),
			EvalDuration:       elapsed / 3,
		},
	}
	if req.Stream != nil && !*req.Stream {
		final.Message.Content = content
		writeJSON(w, http.StatusOK, final)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	flush := func() {
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
	}
	for i, chunk := range chunks(content, 3) {
		if f == MidStream && i == 1 {
			enc.Encode(map[string]string{"error": "an error was encountered while running the model: unexpected EOF"})
			flush()
			return
		}
		enc.Encode(api.ChatResponse{Model: req.Model, CreatedAt: time.Now().UTC(),
			Message: api.Message{Role: "assistant", Content: chunk}})
		flush()
	}
	if f == MidStream {
		enc.Encode(map[string]string{"error": "an error was encountered while running the model: unexpected EOF"})
		return
	}
	if f == Repeat {
		return
	}
	enc.Encode(final)
}

func (s *Server) handleEmbed(w http.ResponseWriter, r *http.Request) {
	var req api.EmbedRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	s.mu.Lock()
	s.embeds++
	n := s.embeds
	flt, embedder := s.embedFlt, s.embedder
	s.mu.Unlock()
	if !s.has(req.Model) {
		notFound(w, req.Model)
		return
	}
	switch flt(n) {
	case Unavailable:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "server busy, please try again.  maximum pending requests exceeded"})
		return
	case ServerError:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "embedding failed"})
		return
	}
	var inputs []string
	switch in := req.Input.(type) {
	case string:
		inputs = []string{in}
	case []any:
		for _, v := range in {
			str, ok := v.(string)
			if !ok {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid input type"})
				return
			}
			inputs = append(inputs, str)
		}
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid input type"})
		return
	}
	resp := api.EmbedResponse{Model: req.Model, TotalDuration: time.Millisecond, LoadDuration: time.Microsecond}
	for _, in := range inputs {
		resp.Embeddings = append(resp.Embeddings, embedder(in))
		resp.PromptEvalCount += tokens(in)
	}
	writeJSON(w, http.StatusOK, resp)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// tokens estimates a token count: about four bytes a token.
func tokens(s string) int { return len(s)/4 + 1 }

// chunks cuts s into at most n pieces on rune boundaries, as a model
// streams its answer.
func chunks(s string, n int) []string {
	r := []rune(s)
	if len(r) == 0 {
		return nil
	}
	size := (len(r) + n - 1) / n
	var out []string
	for i := 0; i < len(r); i += size {
		out = append(out, string(r[i:min(i+size, len(r))]))
	}
	return out
}

// HashDims is the size of HashEmbed's vectors.
const HashDims = 512

// HashEmbed is a deterministic stand-in for an embedding model: a hashed bag
// of lower-case words, L2-normalised as Ollama's vectors are. Texts that
// share words point the same way; nothing more.
func HashEmbed(text string) []float32 {
	return HashEmbedWords(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}))
}

// HashEmbedWords embeds an already analysed text (stems, say).
func HashEmbedWords(words []string) []float32 {
	v := make([]float32, HashDims)
	for _, w := range words {
		h := fnv.New32a()
		h.Write([]byte(w))
		x := h.Sum32()
		sign := float32(1)
		if x&1 == 1 {
			sign = -1
		}
		v[(x>>1)%HashDims] += sign
	}
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n > 0 {
		inv := float32(1 / math.Sqrt(n))
		for i := range v {
			v[i] *= inv
		}
	}
	return v
}
