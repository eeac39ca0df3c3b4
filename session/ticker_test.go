package session_test

import (
	"testing"
	"time"

	"github.com/coopdescommuns/revue/session"
)

// Every program starts on a multiple of TickerPhase of the clock, so that
// Bubble Tea's tickers of a whole room fire on a few instants; no
// connection waits a whole phase or more for it.
func TestProgramsStartOnTheTickerGrid(t *testing.T) {
	base := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		after time.Duration
		want  time.Duration
	}{
		{0, 0},
		{time.Nanosecond, session.TickerPhase - time.Nanosecond},
		{session.TickerPhase / 4, session.TickerPhase * 3 / 4},
		{session.TickerPhase - time.Nanosecond, time.Nanosecond},
		{session.TickerPhase, 0},
		{7*session.TickerPhase + 3*time.Millisecond, session.TickerPhase - 3*time.Millisecond},
	} {
		now := base.Add(tc.after)
		got := session.TickerDelay(now)
		if got != tc.want {
			t.Errorf("TickerDelay(%v) = %v, want %v", now.Format("15:04:05.000000000"), got, tc.want)
		}
		if start := now.Add(got); start.UnixNano()%int64(session.TickerPhase) != 0 || got >= session.TickerPhase {
			t.Errorf("a program at %v starts at %v, off the grid or a phase late", now, start)
		}
	}
}
