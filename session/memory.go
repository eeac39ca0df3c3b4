package session

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// memoryPerScreen is what the server lets the collector use per connected
// screen: about 0.7 MB live (mostly Bubble Tea's two cell buffers and its
// input table) and as much again of garbage between collections.
const memoryPerScreen = 1.3e6

// memoryTuner bounds the server's memory by the screens it serves: a soft
// limit (debug.SetMemoryLimit) of what the process used before its first
// screen plus memoryPerScreen per screen. With GOGC=200 (what `revue serve`
// sets, for the latency of large rooms) the collector would otherwise let
// the heap grow to three times the live one, about 2 MB per screen; under
// the limit it collects more often only when the room is large. The limit
// never goes under twice the live heap, so that a session opened later with
// a large trace does not make the collector run without pause. A GOMEMLIMIT
// set by the person running the server is left alone.
type memoryTuner struct {
	mu   sync.Mutex
	off  bool
	base uint64 // the process's memory before its first screen
	set  bool
}

func newMemoryTuner() *memoryTuner {
	return &memoryTuner{off: os.Getenv("GOMEMLIMIT") != ""}
}

// screens sets the limit for n screens.
func (t *memoryTuner) screens(n int) {
	if t == nil || t.off {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	total, live := memoryNow()
	if n <= 1 && !t.set {
		// The first screen's hub is open: its trace is part of the base.
		t.base = total
		t.set = true
	}
	if n == 0 {
		debug.SetMemoryLimit(math.MaxInt64)
		return
	}
	limit := max(t.base+uint64(n)*memoryPerScreen, 2*live)
	debug.SetMemoryLimit(int64(min(limit, math.MaxInt64)))
}

// memoryNow is the memory the Go runtime holds and the live heap.
func memoryNow() (total, live uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		total = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		live = s[1].Value.Uint64()
	}
	return total, live
}
