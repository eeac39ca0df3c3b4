package review_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

// TestWriteLargeSession writes La Myne's size of session (18,000 pads of
// about 2,800 bytes, 1,350 proposals with votes, decisions and comments)
// into the SQLite file named by $REVUE_LARGE_DB, so that the memory of
// `revue export` can be measured on the real binary (BENCHMARKS.md). It is
// skipped without that variable.
func TestWriteLargeSession(t *testing.T) {
	path := os.Getenv("REVUE_LARGE_DB")
	if path == "" {
		t.Skip("set REVUE_LARGE_DB=/path/revue.db to write the 18,000-pad session")
	}
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// REVUE_LARGE_PAD_BYTES sets the pads' size: 2,800 by default;
	// 7,800 (about 1,300 words) gives the 140 MB of text of 18,000 pads
	// of realistic size.
	pad := 2800
	if n, err := strconv.Atoi(os.Getenv("REVUE_LARGE_PAD_BYTES")); err == nil && n > 0 {
		pad = n
	}
	events := review.LargeSession("myne", 18000, pad, 20)
	for i := 0; i < len(events); i += 2000 {
		if _, err := st.Append(context.Background(), events[i:min(i+2000, len(events))]...); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d events", len(events))
}

// BenchmarkExportLarge exports the session written by TestWriteLargeSession
// in every format, as `revue export` does (read the events from SQLite,
// replay, write), and reports the process's peak resident memory per
// format and the live heap of the loaded session. Run it alone:
// REVUE_LARGE_DB=/tmp/x/revue.db go test ./review/ -run '^$' -bench ExportLarge -benchtime 1x
func BenchmarkExportLarge(b *testing.B) {
	path := os.Getenv("REVUE_LARGE_DB")
	if path == "" {
		b.Skip("set REVUE_LARGE_DB to the file TestWriteLargeSession wrote")
	}
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for _, pseudo := range []bool{false, true} {
		for _, format := range review.Formats {
			name := format
			if pseudo {
				name += "-pseudonymized"
			}
			b.Run(name, func(b *testing.B) {
				for range b.N {
					runtime.GC()
					debug.FreeOSMemory()
					os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
					// What `revue export` should do: read the events once
					// and let Export replay them once.
					events, err := st.Replay(context.Background(), "myne")
					if err != nil {
						b.Fatal(err)
					}
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "MiB-live-events")
					if err := review.Export(io.Discard, events, format, pseudo); err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(vmHWM())/(1<<20), "MiB-peak-RSS")
					runtime.KeepAlive(events)
				}
			})
		}
	}
}

// vmHWM is the process's peak resident memory since the last reset.
func vmHWM() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestExportCarriesTheChain exports a session read from a real SQLite file:
// every event carries its chain hash, head_hash is the last one, and an
// event the pseudonymisation rewrote carries none (it is no longer the
// stored one), while the others keep theirs.
func TestExportCarriesTheChain(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events := review.LargeSession("chain", 5, 300, 2)
	for i := range events {
		events[i].Seq = 0
	}
	if _, err := st.Append(context.Background(), events...); err != nil {
		t.Fatal(err)
	}
	stored, err := st.Replay(context.Background(), "chain")
	if err != nil {
		t.Fatal(err)
	}
	for _, pseudo := range []bool{false, true} {
		var b strings.Builder
		if err := review.Export(&b, stored, "json", pseudo); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Head  string `json:"head_hash"`
			Trace []struct {
				Kind  review.Kind  `json:"kind"`
				Actor review.Actor `json:"actor"`
				Hash  string       `json:"hash"`
			} `json:"trace"`
		}
		if err := json.Unmarshal([]byte(b.String()), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Head == "" || doc.Head != stored[len(stored)-1].Hash {
			t.Fatalf("head_hash %q, stored head %q", doc.Head, stored[len(stored)-1].Hash)
		}
		for i, e := range doc.Trace {
			rewritten := pseudo && (e.Actor.Role != review.System || e.Kind == review.KindDocumentAdded)
			if rewritten != (e.Hash == "") || (!rewritten && e.Hash != stored[i].Hash) {
				t.Errorf("pseudonymized %v, event %d (%s by %s): hash %q, stored %q", pseudo, i, e.Kind, e.Actor.Name, e.Hash, stored[i].Hash)
			}
		}
	}
}
