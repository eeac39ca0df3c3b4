package session

import (
	"context"
	"time"
)

// SetAuthClock gives the server's passcode guard a clock of the test's
// own, so that growing delays and refusals are tested without waiting.
// Call it before Serve.
func SetAuthClock(s *Server, now func() time.Time, sleep func(context.Context, time.Duration) bool) {
	s.access.guard.now = now
	s.access.guard.sleep = sleep
}

// PendingFrom is the number of connections of ip the gate counts as not
// yet authenticated.
func PendingFrom(s *Server, ip string) int {
	s.mu.Lock()
	g := s.gate
	s.mu.Unlock()
	if g == nil {
		return 0
	}
	return g.pendingFrom(ip)
}

// FrameCounts returns how many frames the interfaces drew, and how many of
// them differed from their screen's last one.
func FrameCounts() (drawn, differing uint64) { return views.Load(), changed.Load() }

// ScreenCounts returns how many times the sessions' screens woke up to
// draw, how many frame changes they computed, and how many they took from
// the cache shared by every screen.
func ScreenCounts() (wakeups, renders, hits uint64) {
	return screenWakeups.Load(), frames.renders.Load(), frames.hits.Load()
}

// Records is the number of events the hub has gathered for its next
// write; WriteRecords writes them now, as the hub does RecordEvery after
// the first.
func Records(h *Hub) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.records)
}

func WriteRecords(h *Hub) { h.writeRecords() }

// TickerDelay is how long a program starting at now waits, so that every
// program's Bubble Tea ticker falls on the same instants.
func TickerDelay(now time.Time) time.Duration { return tickerDelay(now) }

const TickerPhase = tickerPhase
