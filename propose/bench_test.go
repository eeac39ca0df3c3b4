package propose

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
)

// padCorpus generates n pads in French: words drawn with a skewed
// (exponential) law from the shuffled vocabulary of the sample corpus (real French, real stop words), one
// or two passages each, as La Myne's 18,000 pads give about 27,000
// passages. The seed is fixed: every run measures the same corpus.
func padCorpus(tb testing.TB, n, criteriaCount int) ([]review.Passage, []review.Criterion) {
	tb.Helper()
	var vocab []string
	seen := map[string]bool{}
	err := fs.WalkDir(sample.FS, "docs", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sample.FS, path)
		if err != nil {
			return err
		}
		for _, w := range strings.Fields(string(b)) {
			w = strings.Trim(w, ".,;:!?()«»\"*#-")
			if w != "" && !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := func() string {
		r := int(float64(len(vocab)) * (rng.ExpFloat64() / 8))
		return vocab[min(r, len(vocab)-1)]
	}
	rng.Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
	sentence := func(words int) string {
		var b strings.Builder
		for i := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(zipf())
		}
		b.WriteString(".")
		return b.String()
	}
	var passages []review.Passage
	for i := range n {
		parts := 1 + i%2
		for j := range parts {
			var text []string
			for range 2 + rng.IntN(10) {
				text = append(text, sentence(6+rng.IntN(18)))
			}
			passages = append(passages, review.Passage{ID: fmt.Sprintf("pad%05d-%d", i, j), Document: fmt.Sprintf("pad%05d", i), Index: j, Text: strings.Join(text, " ")})
		}
	}
	var criteria []review.Criterion
	for i := range criteriaCount {
		criteria = append(criteria, review.Criterion{ID: fmt.Sprintf("C%d", i+1), Title: sentence(4), Description: sentence(20)})
	}
	return passages, criteria
}

// BenchmarkRetrieval18k measures retrieval for 30 criteria over 18,000
// pads after indexing, and reports how many judge calls it leaves against
// judging every pair.
func BenchmarkRetrieval18k(b *testing.B) {
	passages, criteria := padCorpus(b, 18000, 30)
	t0 := time.Now()
	ix := NewIndex(passages)
	indexing := time.Since(t0)
	var calls int
	for b.Loop() {
		cands := Retrieve(ix, criteria, DefaultPerCriterion, nil, nil)
		calls = 0
		for _, c := range cands {
			calls += len(c)
		}
	}
	exhaustive := len(passages) * len(criteria)
	b.ReportMetric(float64(len(passages)), "passages")
	b.ReportMetric(float64(calls), "judge_calls")
	b.ReportMetric(float64(exhaustive), "exhaustive_calls")
	b.ReportMetric(float64(exhaustive)/float64(calls), "reduction_x")
	b.ReportMetric(indexing.Seconds(), "index_s")
}

// BenchmarkWallTime measures a run's wall time against a fake Ollama that
// takes L per answer with P slots, against the ideal N×L/P. L is 100 ms,
// fifty times shorter than a small model's answer on a CPU, so that the
// fixed cost of each call shows: the official client allocates an 8 MB
// line buffer per streamed call, about 3 ms here.
func BenchmarkWallTime(b *testing.B) {
	const latency = 100 * time.Millisecond
	docs := []doc{}
	for i := range 12 {
		var ps []string
		for j := range 4 {
			ps = append(ps, fmt.Sprintf("Passage %d-%d : les règles, la médiation, le vote, les savoirs et la documentation partagée.", i, j))
		}
		docs = append(docs, doc{id: fmt.Sprintf("d%02d", i), title: "Doc", passages: ps})
	}
	for _, tc := range []struct{ hosts, slots int }{{1, 1}, {1, 2}, {1, 4}, {2, 2}} {
		b.Run(fmt.Sprintf("hosts=%d/P=%d", tc.hosts, tc.slots), func(b *testing.B) {
			var urls []string
			for range tc.hosts {
				f := newFake(b)
				f.SetLatency(latency, tc.slots)
				urls = append(urls, f.URL)
			}
			var ratio, overhead float64
			var pairs int
			for b.Loop() {
				st := newState(b, docs, testCriteria)
				tr := &trace{st: newState(b, docs, testCriteria)}
				cfg := Config{Hosts: urls, Parallel: tc.slots}
				t0 := time.Now()
				run, err := Run(context.Background(), st, cfg, tr.sink, nil)
				wall := time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
				pairs = run.Pairs
				ideal := time.Duration(run.Pairs) * latency / time.Duration(tc.slots*tc.hosts)
				ratio = wall.Seconds() / ideal.Seconds()
				// What each call added beyond L, per slot: the client, the
				// sink, the fake's own work, and the machine's other load.
				overhead = float64((wall - ideal).Milliseconds()) / (float64(run.Pairs) / float64(tc.slots*tc.hosts))
			}
			b.ReportMetric(float64(pairs), "pairs")
			b.ReportMetric(ratio, "wall/ideal")
			b.ReportMetric(overhead, "overhead_ms/call")
		})
	}
}

// BenchmarkSampleRecall reports retrieval recall on the sample corpus's
// gold links, lexical and hybrid (with the fake's hashed embedder).
func BenchmarkSampleRecall(b *testing.B) {
	passages, criteria, gold, file := sampleSession(b)
	ix := NewIndex(passages)
	pv, cv := hybridVectors(b, passages, criteria)
	for b.Loop() {
		for _, k := range []int{4, 8, 12, 16} {
			lex := measureRecall(passages, criteria, gold, file, Retrieve(ix, criteria, k, nil, nil))
			hyb := measureRecall(passages, criteria, gold, file, Retrieve(ix, criteria, k, pv, cv))
			b.ReportMetric(lex.rate(), fmt.Sprintf("recall_lex_k%d", k))
			b.ReportMetric(hyb.rate(), fmt.Sprintf("recall_hyb_k%d", k))
		}
	}
	b.ReportMetric(float64(len(passages)), "passages")
}

// BenchmarkFrugal18k measures a whole frugal run (indexing, the thesaurus
// unpacked, 30 criteria expanded, selection, quotes and statements, the
// events handed to a sink that only counts them) on the 18,000 generated
// pads, with the sample's nine criteria and their keywords repeated to
// thirty. Run it alone: -run '^$' -bench Frugal18k -benchtime 1x.
func BenchmarkFrugal18k(b *testing.B) {
	passages, _ := padCorpus(b, 18000, 0)
	_, sampleCrit, _, _ := sampleSession(b)
	var criteria []review.Criterion
	for i := range 30 {
		c := sampleCrit[i%len(sampleCrit)]
		c.ID = fmt.Sprintf("C%d", i+1)
		criteria = append(criteria, c)
	}
	var docs []doc
	for _, p := range passages {
		if len(docs) == 0 || docs[len(docs)-1].id != p.Document {
			docs = append(docs, doc{id: p.Document, title: p.Document})
		}
		docs[len(docs)-1].passages = append(docs[len(docs)-1].passages, p.Text)
	}
	st := newState(b, docs, criteria)
	rssBefore := maxRSS()
	var run review.ProposeRun
	var wall time.Duration
	var cpu float64
	for b.Loop() {
		events := 0
		sink := func(evs []review.Event) error { events += len(evs); return nil }
		cpu0 := cpuSeconds()
		t0 := time.Now()
		var err error
		run, err = Run(context.Background(), st, Config{Frugal: true}, sink, nil)
		wall, cpu = time.Since(t0), cpuSeconds()-cpu0
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(passages)), "passages")
	b.ReportMetric(float64(run.Proposals), "proposals")
	b.ReportMetric(wall.Seconds(), "wall_s")
	b.ReportMetric(cpu, "cpu_s")
	b.ReportMetric(float64(rssBefore)/1024, "rss_before_MiB")
	b.ReportMetric(float64(maxRSS())/1024, "rss_peak_MiB")
}
