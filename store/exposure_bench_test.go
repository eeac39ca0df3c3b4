package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// BenchmarkExposureAppends is what exposure intervals cost a workshop's
// store: 200 screens each writing their intervals as they end, the shape of
// a browsing room (issue 8). It reports the durable appends per second the
// store sustains with 200 concurrent writers, the CPU per append, and the
// bytes one exposure adds to the file (WAL checkpointed), from which the
// disk growth per hour of workshop follows.
func BenchmarkExposureAppends(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "revue.db")
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	mustAppend(b, s, created("atelier", "c0"))
	before := fileBytes(b, s, path)
	const screens = 200
	at := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	ev := func(w, i int) review.Event {
		who := review.Actor{Name: fmt.Sprintf("personne-%03d", w), Fingerprint: "SHA256:Yf3kq9zL0bQx8mRkS2dTq1Vb7nEo4aHcWj5uPzF6gLs", Role: review.Participant}
		from := at.Add(time.Duration(i) * 1500 * time.Millisecond)
		return review.MustEvent("atelier", fmt.Sprintf("x%d-%d", w, i), from, who, review.KindExposure,
			review.Exposure{Proposal: fmt.Sprintf("%024x", i%120), From: from, To: from.Add(1400 * time.Millisecond), State: review.ExposureActive, End: review.EndMoved, Following: i%3 == 0})
	}
	var cpu0 = cpuSeconds()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	per := max(b.N/screens, 1)
	for w := range screens {
		wg.Go(func() {
			for i := range per {
				if _, err := s.Append(ctx, ev(w, i)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	n := per * screens
	cpu := cpuSeconds() - cpu0
	after := fileBytes(b, s, path)
	b.ReportMetric(float64(n)/elapsed.Seconds(), "appends/s")
	b.ReportMetric(cpu/float64(n)*1e6, "cpu-µs/append")
	b.ReportMetric(float64(after-before)/float64(n), "file-B/exposure")
}

// fileBytes checkpoints the WAL into the database and returns its size.
func fileBytes(b *testing.B, s *Store, path string) int64 {
	b.Helper()
	if _, err := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
