package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// reportLatencies adds the throughput and the ack latency percentiles of a
// run of durable appends.
func reportLatencies(b *testing.B, lat []time.Duration, elapsed time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "appends/s")
	b.ReportMetric(pct(0.50), "ack-p50-ms")
	b.ReportMetric(pct(0.99), "ack-p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "ack-max-ms")
}

// vote is a typical live event: a participant's vote, about 150 bytes of
// JSON.
func vote(session string, i int) review.Event {
	return review.MustEvent(session, fmt.Sprintf("v%d", i), base, review.Actor{Name: "Camille", Fingerprint: "SHA256:Yf3kq9zL0bQ", Role: review.Participant},
		review.KindVoteCast, review.VoteData{Proposal: fmt.Sprintf("prop-%d", i%500), Verdict: "accept", DwellMS: 4200})
}

// BenchmarkAppendSequential is one writer waiting for each durable append
// before the next: every append pays a whole commit.
func BenchmarkAppendSequential(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	mustAppend(b, s, created("s", "c0"))
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		t0 := time.Now()
		if _, err := s.Append(ctx, vote("s", i)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	elapsed := time.Since(start)
	b.StopTimer()
	reportLatencies(b, lat, elapsed)
}

// BenchmarkAppendGrouped is 64 writers appending one event at a time
// concurrently, as 64 people voting at once: group commit shares each
// commit between the appends waiting for it.
func BenchmarkAppendGrouped(b *testing.B) {
	const writers = 64
	s := openTemp(b)
	ctx := context.Background()
	mustAppend(b, s, created("s", "c0"))
	var next atomic.Int64
	lats := make([][]time.Duration, writers)
	batches := s.batches.Load()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				if _, err := s.Append(ctx, vote("s", i)); err != nil {
					b.Error(err)
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	reportLatencies(b, slices.Concat(lats...), elapsed)
	b.ReportMetric(float64(b.N)/float64(s.batches.Load()-batches), "appends/commit")
}

// fill100k makes a store with one session of 100,000 vote events, written
// 1,000 per call.
func fill100k(b *testing.B) *Store {
	s := openTemp(b)
	mustAppend(b, s, created("s", "c0"))
	for i := 0; i < 100_000-1; i += 1000 {
		evs := make([]review.Event, 0, 1000)
		for j := i; j < min(i+1000, 100_000-1); j++ {
			evs = append(evs, vote("s", j))
		}
		mustAppend(b, s, evs...)
	}
	return s
}

// BenchmarkReplay100k reads back a 100,000-event trace, as `revue serve` and
// `revue export` do at start.
func BenchmarkReplay100k(b *testing.B) {
	s := fill100k(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		evs, err := s.Replay(ctx, "s")
		if err != nil {
			b.Fatal(err)
		}
		if len(evs) != 100_000 {
			b.Fatalf("%d events", len(evs))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/replay")
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkNextSeq measures what the writer pays to read a session's last
// seq inside each write transaction (instead of trusting a cached value that
// another process could have made stale), on a 100,000-event session, next
// to the cost of the cheapest query through the same driver.
func BenchmarkNextSeq(b *testing.B) {
	s := fill100k(b)
	ctx := context.Background()
	c, err := s.db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for _, q := range []struct{ name, sql string }{
		{"max-seq", "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session = 's'"},
		{"select-1", "SELECT 100000"},
	} {
		st, err := c.PrepareContext(ctx, q.sql)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(q.name, func(b *testing.B) {
			for range b.N {
				var last int64
				if err := st.QueryRowContext(ctx).Scan(&last); err != nil || last != 100_000 {
					b.Fatal(last, err)
				}
			}
		})
		st.Close()
	}
}

// BenchmarkInit18k is `revue init` of 18,000 pads (about 50 MB of JSON) in
// one Append, then the Open of the resulting file (its quick_check reads
// every page).
func BenchmarkInit18k(b *testing.B) {
	evs := initEvents("myne", 18000, 2800)
	size := 0
	for _, e := range evs {
		size += len(e.Data)
	}
	var appendTime, openTime time.Duration
	for range b.N {
		path := filepath.Join(b.TempDir(), "revue.db")
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		mustAppend(b, s, evs...)
		appendTime += time.Since(t0)
		s.Close()
		t0 = time.Now()
		s, err = Open(path)
		if err != nil {
			b.Fatal(err)
		}
		openTime += time.Since(t0)
		s.Close()
	}
	n := float64(b.N)
	b.ReportMetric(appendTime.Seconds()/n, "append-s")
	b.ReportMetric(float64(size)/1e6/(appendTime.Seconds()/n), "append-MB/s")
	b.ReportMetric(float64(openTime.Milliseconds())/n, "reopen-ms")
}

// BenchmarkSummaries lists 100 sessions of n events each, which is what
// `revue sessions` does. The cost should not depend on n: it reads one
// summary row and probes one index per session. The traces are built with
// big Appends (so the triggers and the chain run as in use); 100 × 100,000
// events would take minutes to build, so the sizes are 1,000 and 10,000 and
// BENCHMARKS.md extrapolates from their (flat) figures.
func BenchmarkSummaries(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("100x%d", n), func(b *testing.B) {
			s := openTemp(b)
			ctx := context.Background()
			for k := range 100 {
				name := fmt.Sprintf("session-%03d", k)
				batch := []review.Event{created(name, "c")}
				for i := 1; i < n; i++ {
					batch = append(batch, vote(name, i))
					if len(batch) == 2000 || i == n-1 {
						mustAppend(b, s, batch...)
						batch = batch[:0]
					}
				}
			}
			b.ResetTimer()
			for b.Loop() {
				sums, err := s.Summaries(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if len(sums) != 100 || sums[99].Events != int64(n) || sums[99].Err != nil {
					b.Fatalf("got %d sessions, the last %+v", len(sums), sums[len(sums)-1])
				}
			}
		})
	}
}

// BenchmarkVerify checks the chain and the integrity of a file holding one
// session of 100,000 votes, which is what `revue verify NAME` does.
func BenchmarkVerify(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	batch := []review.Event{created("s", "c")}
	for i := 1; i < 100000; i++ {
		batch = append(batch, vote("s", i))
		if len(batch) == 5000 || i == 99999 {
			mustAppend(b, s, batch...)
			batch = batch[:0]
		}
	}
	b.ResetTimer()
	for b.Loop() {
		r, err := s.Verify(ctx, "s")
		if err != nil || !r.OK() || r.Events != 100000 {
			b.Fatalf("%+v %v", r, err)
		}
	}
}
