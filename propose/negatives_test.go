package propose

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/propose/ollamafake"
	"github.com/coopdescommuns/revue/review"
)

func TestSampleNegativesStratified(t *testing.T) {
	keys := func(prefix string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s%02d", prefix, i))
		}
		return out
	}
	by := [][]string{keys("a", 50), keys("b", 30), keys("c", 20), nil}
	got := SampleNegatives(by, 10, 7)
	count := map[byte]int{}
	for _, k := range got {
		count[k[0]]++
	}
	// Proportional: 5, 3 and 2 of 10; the empty criterion gets none.
	if len(got) != 10 || count['a'] != 5 || count['b'] != 3 || count['c'] != 2 {
		t.Fatalf("sample %v: %v", got, count)
	}
	// Deterministic for a seed, whatever the order of the answers.
	rev := [][]string{slices.Clone(by[0]), slices.Clone(by[1]), slices.Clone(by[2]), nil}
	for _, ks := range rev {
		slices.Reverse(ks)
	}
	if again := SampleNegatives(rev, 10, 7); !slices.Equal(got, again) {
		t.Fatalf("same seed, other order: %v then %v", got, again)
	}
	if other := SampleNegatives(by, 10, 8); slices.Equal(got, other) {
		t.Fatalf("another seed drew the same sample %v", other)
	}
	// Largest remainders: 7 of (50, 30, 20) is 3.5, 2.1, 1.4 → 4, 2, 1.
	count = map[byte]int{}
	for _, k := range SampleNegatives(by, 7, 1) {
		count[k[0]]++
	}
	if count['a'] != 4 || count['b'] != 2 || count['c'] != 1 {
		t.Fatalf("7 of 100: %v", count)
	}
	if n := len(SampleNegatives(by, 1000, 1)); n != 100 {
		t.Fatalf("more asked than there are: %d", n)
	}
}

// TestNegativesInARun judges the sample corpus with a fake that finds a
// link only for its keyword pairs, and asks for 12 negatives: they are
// proposals like the others, marked Negative, spread over the criteria in
// proportion, the same for the same seed, never added twice.
func TestNegativesInARun(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(advocating(keywordJudge(map[string]string{})))
	run := func(st *review.State, seed int64, tr *trace) review.ProposeRun {
		var p pauses
		cfg := testConfig(&p, f.URL)
		cfg.Negatives, cfg.NegativeSeed = 12, seed
		r, err := Run(context.Background(), st, cfg, tr.sink, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	negatives := func(st *review.State) []string {
		var out []string
		for _, p := range st.Proposals {
			if p.Negative {
				out = append(out, p.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	st := realSampleState(t, 0)
	tr := &trace{st: st.Snapshot()}
	r1 := run(st, 5, tr)
	got := negatives(tr.st)
	if len(got) != 12 || r1.Negatives != 12 || r1.NegativeSeed != 5 || r1.NegativesPlain != 0 || r1.NegativeConfidence != "drawn" {
		t.Fatalf("%d negatives (run says %d, seed %d)", len(got), r1.Negatives, r1.NegativeSeed)
	}
	perCrit := map[string]int{}
	for _, p := range tr.st.Proposals {
		if !p.Negative {
			continue
		}
		perCrit[p.Criterion]++
		pa, _ := tr.st.Passage(p.Passage)
		if p.Quote == "" || string([]rune(pa.Text)[p.QuoteStart:p.QuoteEnd]) != p.Quote {
			t.Errorf("%s: quote %q not at its offsets", p.ID, p.Quote)
		}
		// Written as the model writes its links: its own statement and
		// quote, an ID of a proposal's form, a confidence that says
		// nothing (no real link here: the middle).
		if !strings.HasPrefix(p.Statement, "Le passage parle de ") || !idForm.MatchString(p.ID) || p.Confidence != 0.5 {
			t.Errorf("%s: statement %q, confidence %v", p.ID, p.Statement, p.Confidence)
		}
		if p.Origin.Kind != review.OriginModel || p.Origin.Provenance == nil || p.Origin.Provenance.QuoteMatch == "" {
			t.Errorf("%s: origin %+v", p.ID, p.Origin)
		}
	}
	// 9 criteria with 12 no-link pairs each (the fake never finds a
	// link): 12 of 108 in proportion is 1 or 2 per criterion.
	for c, n := range perCrit {
		if n < 1 || n > 2 {
			t.Errorf("criterion %s got %d negatives: %v", c, n, perCrit)
		}
	}
	// The same seed on a fresh session draws the same pairs.
	st2 := realSampleState(t, 0)
	tr2 := &trace{st: st2.Snapshot()}
	run(st2, 5, tr2)
	if again := negatives(tr2.st); !slices.Equal(got, again) {
		t.Fatalf("seed 5 drew %v, then %v", got, again)
	}
	// A rerun asks nothing and adds no negative: never twice.
	calls := f.Chats()
	r3 := run(tr.st.Snapshot(), 5, tr)
	if r3.Negatives != 0 || f.Chats() != calls || len(negatives(tr.st)) != 12 {
		t.Fatalf("rerun added %d negatives with %d calls", r3.Negatives, f.Chats()-calls)
	}
	// Another seed on a rerun adds none either: the session has its 12.
	if r4 := run(tr.st.Snapshot(), 6, tr); r4.Negatives != 0 {
		t.Fatalf("another seed added %d", r4.Negatives)
	}
}

// TestCallsGoPassageByPassage: the calls follow each other passage by
// passage, so that Ollama's cache keeps the instructions and the passage;
// the criterion, each call's own part, comes last.
func TestCallsGoPassageByPassage(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	var p pauses
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	if _, err := Run(context.Background(), tr.st.Snapshot(), testConfig(&p, f.URL), tr.sink, nil); err != nil {
		t.Fatal(err)
	}
	perCrit := map[string]int{}
	seen := map[string]bool{}
	last := ""
	for _, c := range f.Calls() {
		crit, passage := promptParts(c.User)
		perCrit[crit]++
		if !strings.HasPrefix(c.User, "Passage (document « ") || !strings.Contains(c.User, ">>>\n\nCritère "+crit+" — ") || c.System != systemPrompt["fr"] {
			t.Fatalf("the prompt is not instructions, passage, criterion: %q", c.User)
		}
		if c.Request.KeepAlive == nil || c.Request.KeepAlive.Duration != keepAlive {
			t.Fatalf("keep_alive %v", c.Request.KeepAlive)
		}
		if passage != last {
			if seen[passage] {
				t.Fatalf("passage %.30q comes back after others", passage)
			}
			seen[passage], last = true, passage
		}
	}
	if len(perCrit) != len(testCriteria) || len(seen) >= len(f.Calls()) {
		t.Fatalf("calls per criterion %v, %d passages for %d calls", perCrit, len(seen), len(f.Calls()))
	}
}

// TestByPassage: a slot is handed all the pairs of a passage at once.
func TestByPassage(t *testing.T) {
	j := func(pos, crit int) job { return job{cand: Candidate{Pos: pos, Criterion: crit}} }
	got := byPassage([]job{j(4, 0), j(4, 2), j(1, 1), j(7, 0), j(7, 1), j(7, 2)})
	if len(got) != 3 || len(got[0]) != 2 || len(got[1]) != 1 || len(got[2]) != 3 || got[2][0].cand.Pos != 7 {
		t.Fatalf("groups %v", got)
	}
	if byPassage(nil) != nil {
		t.Fatal("no jobs, no groups")
	}
}

var idForm = regexp.MustCompile(`^p-[0-9a-f]{32}$`)

// advocating answers the advocate's question (advocateNote) as a model
// would, in the style of judge's links; other calls go to judge.
func advocating(judge func(ollamafake.Call) string) func(ollamafake.Call) string {
	return func(c ollamafake.Call) string {
		if !strings.Contains(c.System, advocateNote["fr"]) {
			return judge(c)
		}
		_, passage := promptParts(c.User)
		quote, _, _ := strings.Cut(passage, ". ")
		words := strings.Fields(quote)
		return answerJSON(Answer{Quote: quote, Statement: "Le passage parle de " + strings.ToLower(words[len(words)-1]) + ".", Relevant: true, Confidence: 0.7})
	}
}

// TestNegativesFallBack: when the model will not advocate a pair, the
// negative gets the plain statement, and the run counts it.
func TestNegativesFallBack(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(map[string]string{}))
	var p pauses
	cfg := testConfig(&p, f.URL)
	cfg.Negatives, cfg.NegativeSeed = 3, 5
	st := realSampleState(t, 0)
	tr := &trace{st: st.Snapshot()}
	r, err := Run(context.Background(), st, cfg, tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Negatives != 3 || r.NegativesPlain != 3 {
		t.Fatalf("%d negatives, %d plain", r.Negatives, r.NegativesPlain)
	}
	for _, p := range tr.st.Proposals {
		c, _ := tr.st.Criterion(p.Criterion)
		if p.Negative && p.Statement != "Ce passage illustre peut-être le critère « "+c.Title+" »." {
			t.Errorf("%s: statement %q", p.ID, p.Statement)
		}
	}
}

// TestNegativeConfidenceIsDrawn: with real links in the session, every
// negative's confidence is one of theirs.
func TestNegativeConfidenceIsDrawn(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(advocating(keywordJudge(testKeywords)))
	var p pauses
	cfg := testConfig(&p, f.URL)
	cfg.Negatives = 4
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	if _, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil); err != nil {
		t.Fatal(err)
	}
	real := map[float64]bool{}
	for _, p := range tr.st.Proposals {
		if !p.Negative {
			real[p.Confidence] = true
		}
	}
	n := 0
	for _, p := range tr.st.Proposals {
		if p.Negative {
			n++
			if !real[p.Confidence] {
				t.Errorf("%s: confidence %v is none of the real ones %v", p.ID, p.Confidence, real)
			}
		}
	}
	if n == 0 || len(real) == 0 {
		t.Fatalf("%d negatives, real confidences %v", n, real)
	}
}

// TestLexicalNegatives: a frugal run with --negatives draws the lexical
// proposer's non-links (passages it ranked and left out) and writes them
// as it writes its links; the same seed draws the same pairs, a rerun adds
// none.
func TestLexicalNegatives(t *testing.T) {
	run := func(st *review.State, tr *trace, seed int64) review.ProposeRun {
		var p pauses
		cfg := testConfig(&p, "http://127.0.0.1:1") // never contacted
		cfg.Frugal, cfg.Negatives, cfg.NegativeSeed = true, 3, seed
		r, err := Run(context.Background(), st, cfg, tr.sink, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	split := func(st *review.State) (links, negs []*review.ProposalState) {
		for _, p := range st.Proposals {
			if p.Negative {
				negs = append(negs, p)
			} else {
				links = append(links, p)
			}
		}
		return
	}
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	r := run(tr.st.Snapshot(), tr, 5)
	links, negs := split(tr.st)
	if r.Negatives != 3 || len(negs) != 3 || r.Calls != 0 || len(links) == 0 {
		t.Fatalf("run %+v: %d negatives, %d links", r, len(negs), len(links))
	}
	conf := map[float64]bool{}
	for _, l := range links {
		conf[l.Confidence] = true
	}
	for _, n := range negs {
		pa, _ := tr.st.Passage(n.Passage)
		if !strings.HasPrefix(n.Statement, "Le passage (§") || !idForm.MatchString(n.ID) || !conf[n.Confidence] ||
			n.Origin.Kind != review.OriginLexical || string([]rune(pa.Text)[n.QuoteStart:n.QuoteEnd]) != n.Quote {
			t.Errorf("negative %+v", n.Proposal)
		}
		for _, l := range links {
			if l.Passage == n.Passage && l.Criterion == n.Criterion {
				t.Errorf("negative %s is a link the proposer made", n.ID)
			}
		}
	}
	tr2 := &trace{st: newState(t, testDocs, testCriteria)}
	run(tr2.st.Snapshot(), tr2, 5)
	_, negs2 := split(tr2.st)
	for i := range negs {
		if negs[i].ID != negs2[i].ID {
			t.Fatalf("seed 5 drew %s, then %s", negs[i].ID, negs2[i].ID)
		}
	}
	if again := run(tr.st.Snapshot(), tr, 5); again.Negatives != 0 {
		t.Fatalf("a rerun added %d negatives", again.Negatives)
	}
}
