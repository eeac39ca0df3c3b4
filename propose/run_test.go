package propose

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/propose/ollamafake"
	"github.com/coopdescommuns/revue/review"
)

func TestRunProposesWithProvenance(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	st := newState(t, testDocs, testCriteria)
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	var last Progress
	run, err := Run(context.Background(), st, testConfig(&p, f.URL), tr.sink, func(pr Progress) { last = pr })
	if err != nil {
		t.Fatal(err)
	}
	if run.Calls == 0 || run.Calls != f.Chats() {
		t.Fatalf("run counted %d calls, the server saw %d", run.Calls, f.Chats())
	}
	if run.Pairs != run.Calls || run.Skipped != 0 || run.Failed != 0 {
		t.Fatalf("run = %+v", run)
	}
	if last.Done != last.Total || last.Total != run.Pairs {
		t.Fatalf("last progress %+v, %d pairs", last, run.Pairs)
	}
	if run.Exhaustive != 3*6 || run.Passages != 6 || run.Criteria != 3 {
		t.Fatalf("exhaustive %d passages %d criteria %d", run.Exhaustive, run.Passages, run.Criteria)
	}
	if run.PromptTokens == 0 || run.OutputTokens == 0 || run.ModelNanos == 0 || run.EnergyWh <= 0 {
		t.Fatalf("compute not summed: %+v", run)
	}
	if run.OllamaVersion != "0.17.4" || run.ModelDigest != testDigest || run.Mode != review.OriginModel {
		t.Fatalf("run identity: %+v", run)
	}
	if tr.most > flushEvents+1 {
		t.Fatalf("a batch of %d events: answers must reach the sink as they come", tr.most)
	}
	k := tr.kinds()
	if k[review.KindPairJudged] != run.Pairs || k[review.KindProposeRun] != 1 {
		t.Fatalf("events %v", k)
	}
	// Exactly the three keyword passages become proposals.
	got := map[string]string{}
	for _, p := range tr.st.Proposals {
		got[p.Criterion] = p.Passage
	}
	want := map[string]string{"C3": "jardin-0", "C6": "jardin-2", "C9": "repair-0"}
	if fmt.Sprint(got) != fmt.Sprint(want) || run.Proposals != 3 {
		t.Fatalf("proposals %v, want %v", got, want)
	}
	for _, p := range tr.st.Proposals {
		pa, _ := tr.st.Passage(p.Passage)
		if string([]rune(pa.Text)[p.QuoteStart:p.QuoteEnd]) != p.Quote {
			t.Errorf("%s: quote offsets do not give the quote", p.ID)
		}
		pv := p.Origin.Provenance
		if p.Origin.Kind != review.OriginModel || p.Origin.Name != testModel || pv == nil {
			t.Fatalf("origin %+v", p.Origin)
		}
		missing := []string{}
		check := func(name string, ok bool) {
			if !ok {
				missing = append(missing, name)
			}
		}
		check("ollama version", pv.OllamaVersion == "0.17.4")
		check("host", pv.Host == f.URL)
		check("model", pv.Model == testModel)
		check("digest", pv.ModelDigest == testDigest)
		check("prompt version", pv.PromptVersion == PromptVersion)
		check("prompt hash", len(pv.PromptHash) == 64)
		check("schema hash", pv.SchemaHash == schemaHash())
		check("options", fmt.Sprint(pv.Options["temperature"]) == "0" && fmt.Sprint(pv.Options["seed"]) == "42" && fmt.Sprint(pv.Options["num_ctx"]) == "4096")
		check("retrieval", pv.Retrieval != nil && pv.Retrieval.LexicalRank > 0 && pv.Retrieval.FusedRank > 0)
		check("quote match", pv.QuoteMatch == QuoteExact)
		check("tokens", pv.PromptTokens > 0 && pv.OutputTokens > 0)
		check("durations", pv.TotalDuration > 0 && pv.EvalDuration > 0 && pv.PromptDuration > 0)
		check("done reason", pv.DoneReason == "stop")
		check("attempts", pv.Attempts == 1)
		if len(missing) > 0 {
			t.Errorf("%s: provenance lacks %v: %+v", p.ID, missing, pv)
		}
	}
	for _, j := range tr.judged(t) {
		if j.Answer == "" || j.Provenance == nil {
			t.Errorf("judged %s without its answer or provenance", j.Key)
		}
	}
}

func TestRunSendsTheRequestOllamaNeeds(t *testing.T) {
	f := newFake(t)
	st := newState(t, testDocs, testCriteria)
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	if _, err := Run(context.Background(), st, testConfig(&p, f.URL), tr.sink, nil); err != nil {
		t.Fatal(err)
	}
	calls := f.Calls()
	if len(calls) == 0 {
		t.Fatal("no chat call")
	}
	req := calls[0].Request
	if req.Think == nil || req.Think.Value != false {
		t.Errorf("think = %#v, want false on the wire", req.Think)
	}
	if string(req.Format) != answerSchema {
		t.Errorf("format = %s", req.Format)
	}
	for _, k := range []string{"temperature", "seed", "num_ctx", "num_predict"} {
		if _, ok := req.Options[k]; !ok {
			t.Errorf("option %s missing from the wire (a zero value dropped?)", k)
		}
	}
	if req.Options["temperature"] != float64(0) {
		t.Errorf("temperature = %v", req.Options["temperature"])
	}
	if calls[0].System == "" || !strings.Contains(calls[0].User, passageMarkOpen) {
		t.Errorf("messages: %q / %q", calls[0].System, calls[0].User)
	}
}

func TestRerunAsksNothingNew(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	first, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := f.Chats()
	second, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Chats() != n {
		t.Fatalf("rerun asked %d new calls", f.Chats()-n)
	}
	if second.Skipped != first.Pairs || second.Calls != 0 || second.Proposals != 0 {
		t.Fatalf("second run %+v", second)
	}
	if len(tr.st.Runs) != 2 {
		t.Fatalf("%d runs recorded", len(tr.st.Runs))
	}
}

func TestInterruptedRunResumes(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	ctx, cancel := context.WithCancel(context.Background())
	// Stop after the second pair is saved, as a Ctrl-C would.
	tr.fail = func(n int) error {
		if n == 2 {
			cancel()
		}
		return nil
	}
	cfg := testConfig(&p, f.URL)
	_, err := Run(ctx, tr.st.Snapshot(), cfg, tr.sink, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: err = %v", err)
	}
	judgedFirst := len(tr.judged(t))
	if judgedFirst < 2 {
		t.Fatalf("only %d pairs saved before the interruption", judgedFirst)
	}
	if len(tr.st.Runs) != 1 {
		t.Fatal("the interrupted run's cost was not recorded")
	}
	tr.fail = nil
	run, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Skipped != judgedFirst {
		t.Fatalf("resumed run skipped %d, %d were saved", run.Skipped, judgedFirst)
	}
	if got := run.Calls; got != run.Pairs-judgedFirst {
		t.Fatalf("resumed run made %d calls, %d pairs were left", got, run.Pairs-judgedFirst)
	}
	keys := map[string]bool{}
	for _, j := range tr.judged(t) {
		if keys[j.Key] {
			t.Fatalf("pair %s judged twice", j.Key)
		}
		keys[j.Key] = true
	}
	if len(keys) != run.Pairs || len(tr.st.Proposals) != 3 {
		t.Fatalf("%d pairs judged of %d, %d proposals", len(keys), run.Pairs, len(tr.st.Proposals))
	}
}

// TestFailures plays each failure Ollama can give on a judge call.
func TestFailures(t *testing.T) {
	target := "jardin-0" // the C3 pair: a proposal when it succeeds
	onTarget := func(c ollamafake.Call) bool {
		crit, passage := promptParts(c.User)
		return crit == "C3" && strings.HasPrefix(passage, "Les règles d'arrosage")
	}
	tests := []struct {
		name      string
		fault     ollamafake.Fault
		always    bool
		wantCalls int // calls on the target pair
		wantFail  bool
		wantWaits int
	}{
		// A whole answer that cannot be used is not asked again: at
		// temperature 0 and a fixed seed it would come back the same.
		{"malformed", ollamafake.Malformed, false, 1, true, 0},
		{"cut by length", ollamafake.Length, false, 1, true, 0},
		{"stopped by the token repeat limit", ollamafake.Repeat, false, 1, true, 0},
		{"confidence overflows", ollamafake.Overflow, false, 1, true, 0},
		{"confidence out of range", ollamafake.OutOfRange, false, 1, true, 0},
		{"confidence as a string", ollamafake.StringNumber, false, 1, true, 0},
		{"error mid-stream once", ollamafake.MidStream, false, 2, false, 0},
		{"error mid-stream twice", ollamafake.MidStream, true, 2, true, 0},
		{"empty body once", ollamafake.EmptyBody, false, 2, false, 0},
		{"empty body twice", ollamafake.EmptyBody, true, 2, true, 0},
		{"503 once", ollamafake.Unavailable, false, 2, false, 1},
		{"503 always", ollamafake.Unavailable, true, maxWaits + 1, true, maxWaits},
		{"429 once", ollamafake.TooMany, false, 2, false, 1},
		{"500 once", ollamafake.ServerError, false, 2, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.SetAnswer(keywordJudge(testKeywords))
			f.SetFault(func(c ollamafake.Call) ollamafake.Fault {
				if onTarget(c) && (tc.always || c.Attempt == 1) {
					return tc.fault
				}
				return ollamafake.None
			})
			tr := &trace{st: newState(t, testDocs, testCriteria)}
			var p pauses
			run, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil)
			if err != nil {
				t.Fatal(err)
			}
			calls := 0
			for _, c := range f.Calls() {
				if onTarget(c) {
					calls++
				}
			}
			if calls != tc.wantCalls {
				t.Errorf("%d calls on the pair, want %d", calls, tc.wantCalls)
			}
			if got := len(p.all()); got != tc.wantWaits {
				t.Errorf("%d backoffs, want %d", got, tc.wantWaits)
			}
			for i, d := range p.all() {
				if d != time.Second<<i {
					t.Errorf("backoff %d was %v, want %v", i, d, time.Second<<i)
				}
			}
			_, proposed := proposalFor(tr.st, "C3", target)
			if tc.wantFail {
				if run.Failed != 1 || len(tr.st.Failures) != 1 || proposed {
					t.Fatalf("failed %d, failures %v, proposed %v", run.Failed, tr.st.Failures, proposed)
				}
				fl := tr.st.Failures[0]
				if fl.Passage != target || fl.Criterion != "C3" || fl.Attempts != tc.wantCalls || fl.Reason == "" {
					t.Errorf("failure %+v", fl)
				}
				if want := failReason[tc.fault]; !strings.Contains(fl.Reason, want) {
					t.Errorf("reason %q, want it to say %q", fl.Reason, want)
				}
				// A whole answer that was refused is kept, raw.
				if _, whole := failReason[tc.fault]; whole && (fl.Answer == "" || !strings.HasPrefix(fl.Answer, "{")) {
					t.Errorf("the raw answer is not kept: %+v", fl)
				}
			} else {
				if run.Failed != 0 || !proposed {
					t.Fatalf("failed %d, proposed %v", run.Failed, proposed)
				}
				p, _ := proposalFor(tr.st, "C3", target)
				if p.Origin.Provenance.Attempts != tc.wantCalls {
					t.Errorf("attempts %d, want %d", p.Origin.Provenance.Attempts, tc.wantCalls)
				}
			}
			// The other pairs went on: the two other keyword proposals are there.
			if len(tr.st.Proposals) < 2 {
				t.Errorf("the run stopped: %d proposals", len(tr.st.Proposals))
			}
			if run.Calls != f.Chats() {
				t.Errorf("run counted %d calls, server saw %d", run.Calls, f.Chats())
			}
		})
	}
}

// failReason is what a failure's reason says for each fault.
var failReason = map[ollamafake.Fault]string{
	ollamafake.Malformed:    "not a JSON object",
	ollamafake.Length:       "cut after",
	ollamafake.Repeat:       "Ollama stopped the answer before its end",
	ollamafake.Overflow:     "confidence -3883883883883883e3883883883883883 overflows",
	ollamafake.OutOfRange:   "confidence 250 is not between 0 and 100",
	ollamafake.StringNumber: `confidence is "80" where a number`,
}

func proposalFor(st *review.State, crit, passage string) (*review.ProposalState, bool) {
	for _, p := range st.Proposals {
		if p.Criterion == crit && p.Passage == passage {
			return p, true
		}
	}
	return nil, false
}

func TestFailedPairIsAskedAgainOnRerun(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	broken := true
	f.SetFault(func(c ollamafake.Call) ollamafake.Fault {
		if crit, _ := promptParts(c.User); crit == "C6" && broken {
			return ollamafake.Malformed
		}
		return ollamafake.None
	})
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	first, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Failed == 0 {
		t.Fatal("no failure recorded")
	}
	f.SetFault(func(ollamafake.Call) ollamafake.Fault { return ollamafake.None })
	second, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.Calls != first.Failed || second.Failed != 0 {
		t.Fatalf("rerun made %d calls for %d failed pairs", second.Calls, first.Failed)
	}
	if _, ok := proposalFor(tr.st, "C6", "jardin-2"); !ok {
		t.Fatal("the failed pair did not become a proposal on rerun")
	}
}

func TestBackoffDoublesAndIsBounded(t *testing.T) {
	cfg, _ := Config{}.withDefaults()
	var got []time.Duration
	for i := range 8 {
		got = append(got, backoff(cfg, i))
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("backoff = %v", got)
		}
	}
}

func TestPreflight(t *testing.T) {
	down := newFake(t)
	down.Close()
	noModel := ollamafake.New(ollamafake.Model{Name: "mistral:7b", Digest: "sha256:aa"})
	t.Cleanup(noModel.Close)
	other := ollamafake.New(ollamafake.Model{Name: testModel, Digest: "sha256:different"}, ollamafake.Model{Name: testEmbed, Digest: "x"})
	t.Cleanup(other.Close)
	good := newFake(t)

	tests := []struct {
		name  string
		hosts []string
		embed string
		want  []string // in the message
		is    func(error) bool
	}{
		{"not running", []string{down.URL}, "", []string{"ollama serve", "--frugal", down.URL}, isKind[*UnreachableError]},
		{"model not pulled", []string{noModel.URL}, "", []string{"ollama pull qwen3:4b"}, isKind[*ModelMissingError]},
		{"embed model not pulled", []string{noModel.URL}, "bge-m3", []string{"ollama pull"}, isKind[*ModelMissingError]},
		{"second host down", []string{good.URL, down.URL}, "", []string{"ollama serve"}, isKind[*UnreachableError]},
		{"hosts disagree", []string{good.URL, other.URL}, "", []string{"differs", "ollama pull qwen3:4b"}, func(error) bool { return true }},
		{"embed model missing on one host", []string{good.URL, noModel.URL}, "bge-m3", []string{"ollama pull"}, isKind[*ModelMissingError]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := &trace{st: newState(t, testDocs, testCriteria)}
			var p pauses
			cfg := testConfig(&p, tc.hosts...)
			cfg.EmbedModel = tc.embed
			before := good.Chats()
			_, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Count(err.Error(), ". ") > 0 || strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one sentence: %q", err)
			}
			if !tc.is(err) {
				t.Errorf("error %T not of the expected type", err)
			}
			if good.Chats() != before || len(tr.events) != 0 {
				t.Error("work started before the checks passed")
			}
		})
	}
}

func TestModelRemovedMidRunStops(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	f.SetFault(func(c ollamafake.Call) ollamafake.Fault {
		if c.N >= 3 {
			return ollamafake.NotFound
		}
		return ollamafake.None
	})
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	run, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil)
	if !isKind[*ModelMissingError](err) || !strings.Contains(err.Error(), "ollama pull qwen3:4b") {
		t.Fatalf("err = %v", err)
	}
	if len(tr.judged(t)) != 2 || len(tr.st.Runs) != 1 {
		t.Fatalf("%d judged kept, %d runs", len(tr.judged(t)), len(tr.st.Runs))
	}
	if f.Chats() != 3 || run.Calls != 3 {
		t.Fatalf("the run went on after a 404: %d calls", f.Chats())
	}
}

func TestSinkErrorStopsTheRun(t *testing.T) {
	f := newFake(t)
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	tr.fail = func(n int) error {
		if n == 1 {
			return errors.New("disk full")
		}
		return nil
	}
	var p pauses
	_, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
	if f.Chats() > 2 || tr.calls != 1 {
		t.Fatalf("the run went on after the sink failed: %d calls, %d sink calls", f.Chats(), tr.calls)
	}
}

// TestCallDeadline makes one call's deadline pass while the fake holds its
// answer back: the pair fails with "no answer within", and the others do
// not. The deadline is the test's to end, not the clock's, so that a loaded
// machine cannot make an ordinary call miss a short one.
func TestCallDeadline(t *testing.T) {
	f := newFake(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var mu sync.Mutex
	var current context.CancelCauseFunc // the call in flight: calls are one at a time
	f.SetFault(func(c ollamafake.Call) ollamafake.Fault {
		if crit, passage := promptParts(c.User); crit == "C3" && strings.HasPrefix(passage, "Les règles") {
			mu.Lock()
			current(context.DeadlineExceeded)
			mu.Unlock()
			<-release // hangs until the client gives up
		}
		return ollamafake.None
	})
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	cfg := testConfig(&p, f.URL)
	cfg.deadline = func(ctx context.Context, _ time.Duration) (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancelCause(ctx)
		mu.Lock()
		current = cancel
		mu.Unlock()
		return ctx, func() { cancel(context.Canceled) }
	}
	run, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Failed != 1 || !strings.Contains(tr.st.Failures[0].Reason, "no answer within 20s") {
		t.Fatalf("failed %d %+v", run.Failed, tr.st.Failures)
	}
}

func TestSeveralHostsShareTheWork(t *testing.T) {
	a, b := newFake(t), newFake(t)
	for _, f := range []*ollamafake.Server{a, b} {
		f.SetAnswer(keywordJudge(testKeywords))
		f.SetLatency(2*time.Millisecond, 1)
	}
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	cfg := testConfig(&p, a.URL, b.URL)
	cfg.Parallel = 2
	run, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Chats() == 0 || b.Chats() == 0 || a.Chats()+b.Chats() != run.Pairs {
		t.Fatalf("calls a=%d b=%d for %d pairs", a.Chats(), b.Chats(), run.Pairs)
	}
	if len(run.Hosts) != 2 || len(tr.st.Proposals) != 3 {
		t.Fatalf("hosts %v, %d proposals", run.Hosts, len(tr.st.Proposals))
	}
}

func TestInventedQuoteMakesNoProposal(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(func(c ollamafake.Call) string {
		return answerJSON(Answer{Quote: "Une phrase que le passage ne contient absolument pas.", Statement: "Lien inventé.", Relevant: true, Confidence: 0.9})
	})
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	run, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.st.Proposals) != 0 || run.Proposals != 0 {
		t.Fatalf("%d proposals from invented quotes", len(tr.st.Proposals))
	}
	for _, j := range tr.judged(t) {
		if !j.Relevant || j.Proposal != "" || j.Provenance.QuoteMatch != QuoteNone || !strings.Contains(j.Answer, "absolument pas") {
			t.Fatalf("judged %+v", j)
		}
	}
}

func TestStreamOffAlsoWorks(t *testing.T) {
	// The fake answers stream:false with one object; chat() must accept
	// both shapes, which is what the real client gives us.
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	var p pauses
	cfg, _ := testConfig(&p, f.URL).withDefaults()
	hosts, err := connect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	st := newState(t, testDocs, testCriteria)
	pa, _ := st.Passage("jardin-0")
	req := chatRequest(cfg, testCriteria[0], pa, "Jardin")
	off := false
	req.Stream = &off
	res, err := chat(context.Background(), hosts[0], req, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := ParseAnswer(res.content); err != nil || !a.Relevant || res.doneReason != "stop" {
		t.Fatalf("answer %+v %v %q", a, err, res.doneReason)
	}
}

func TestHeartbeatOnFake(t *testing.T) {
	f := newFake(t)
	req, _ := http.NewRequest(http.MethodHead, f.URL+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD / = %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestHybridRetrievalRecordsBothRankings(t *testing.T) {
	f := newFake(t)
	f.SetEmbedder(func(s string) []float32 { return ollamafake.HashEmbedWords(Terms(s)) })
	f.SetAnswer(keywordJudge(testKeywords))
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	cfg := testConfig(&p, f.URL)
	cfg.EmbedModel = "bge-m3"
	cfg.PerCriterion = 2
	run, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Embeds() == 0 || run.EmbedTokens == 0 || run.EmbedModel != "bge-m3" {
		t.Fatalf("embeds %d, run %+v", f.Embeds(), run)
	}
	if run.Pairs != 2*len(testCriteria) {
		t.Fatalf("%d pairs", run.Pairs)
	}
	for _, j := range tr.judged(t) {
		r := j.Provenance.Retrieval
		if r.EmbedRank == 0 || r.FusedScore <= 0 || r.FusedRank == 0 {
			t.Fatalf("retrieval %+v", r)
		}
		if want := rrf(r.LexicalRank) + rrf(r.EmbedRank); abs(r.FusedScore-want) > 1e-12 {
			t.Fatalf("fused %v, want %v", r.FusedScore, want)
		}
	}
}

func rrf(rank int) float64 {
	if rank == 0 {
		return 0
	}
	return 1 / float64(60+rank)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestEmbedBusyThenFails(t *testing.T) {
	f := newFake(t)
	f.SetEmbedFault(func(int) ollamafake.Fault { return ollamafake.Unavailable })
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	cfg := testConfig(&p, f.URL)
	cfg.EmbedModel = "bge-m3"
	_, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
	if err == nil || !strings.Contains(err.Error(), "without --embed-model") {
		t.Fatalf("err = %v", err)
	}
	if len(p.all()) != maxWaits || f.Chats() != 0 {
		t.Fatalf("%d backoffs, %d chats", len(p.all()), f.Chats())
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{PerCriterion: -1}, "--per-criterion"},
		{Config{Parallel: -2}, "--parallel"},
		{Config{NumCtx: 512}, "num_ctx"},
		{Config{Lang: "de"}, "language"},
		{Config{Hosts: []string{"ftp://x"}}, "ftp://x"},
	}
	for _, tc := range tests {
		_, err := tc.cfg.withDefaults()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

func TestParseHost(t *testing.T) {
	tests := map[string]string{
		"":                          "http://127.0.0.1:11434",
		"localhost":                 "http://localhost:11434",
		"10.0.0.5:11500":            "http://10.0.0.5:11500",
		"http://gpu.local:11434":    "http://gpu.local:11434",
		"https://ollama.example":    "https://ollama.example:443",
		"http://box":                "http://box:80",
		"0.0.0.0":                   "http://0.0.0.0:11434",
		"http://127.0.0.1:8080/api": "http://127.0.0.1:8080/api",
		"[::1]:11434":               "http://[::1]:11434",
	}
	for in, want := range tests {
		got, err := ParseHost(in)
		if err != nil || got != want {
			t.Errorf("ParseHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestEmptySession(t *testing.T) {
	var p pauses
	st := newState(t, nil, testCriteria)
	_, err := Run(context.Background(), st, testConfig(&p), (&trace{st: st}).sink, nil)
	if err == nil || !strings.Contains(err.Error(), "no passages") {
		t.Fatalf("err = %v", err)
	}
	st = newState(t, testDocs, nil)
	_, err = Run(context.Background(), st, testConfig(&p), (&trace{st: st}).sink, nil)
	if err == nil || !strings.Contains(err.Error(), "revue init") {
		t.Fatalf("err = %v", err)
	}
}

func TestPairKeyDependsOnEveryPart(t *testing.T) {
	opts := map[string]any{"temperature": 0, "seed": 42, "num_ctx": 4096}
	base := PairKey("p", "c", "d", "v", opts)
	variants := []string{
		PairKey("p2", "c", "d", "v", opts),
		PairKey("p", "c2", "d", "v", opts),
		PairKey("p", "c", "d2", "v", opts),
		PairKey("p", "c", "d", "v2", opts),
		PairKey("p", "c", "d", "v", map[string]any{"temperature": 0, "seed": 43, "num_ctx": 4096}),
	}
	if slices.Contains(variants, base) {
		t.Fatal("a key ignores one of its parts")
	}
	if PairKey("p", "c", "d", "v", map[string]any{"num_ctx": 4096, "seed": 42, "temperature": 0}) != base {
		t.Fatal("key depends on map order")
	}
}

func TestProgressCountsAndEstimates(t *testing.T) {
	f := newFake(t)
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	var seen []Progress
	run, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, func(pr Progress) { seen = append(seen, pr) })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != run.Pairs+1 || seen[0].Done != 0 || seen[0].Total != run.Pairs {
		t.Fatalf("progress %+v", seen)
	}
	for i, pr := range seen[1:] {
		if pr.Done != i+1 || pr.Criterion == "" || pr.Elapsed <= 0 {
			t.Fatalf("progress %d: %+v", i, pr)
		}
		if pr.Done < pr.Total && pr.Left <= 0 || pr.Done == pr.Total && pr.Left != 0 {
			t.Fatalf("time left %v at %d/%d", pr.Left, pr.Done, pr.Total)
		}
	}
}
