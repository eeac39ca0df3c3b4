package session_test

import (
	"testing"
	"time"

	"github.com/coopdescommuns/revue/session"
)

// A connected screen with nothing new to show costs nothing: once the
// joining has settled, the interface draws no frame, its screen never wakes
// and no byte goes to the client, for more than forty periods of Bubble
// Tea's former 60 Hz frame timer. The check waits for quiet rather than
// for a time: it fails only if the screen never stops drawing.
func TestIdleScreenDrawsNothing(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, tuiConfig(w))
	alice := dial(t, srv, clientConfig(srv, "alice", passcode(new(int), "")), termOpts{})
	alice.waitText("alice", "1/3")
	const window = 250 * time.Millisecond
	quiet := 0
	for try := 0; quiet < 3; try++ {
		if try == 60 {
			t.Fatalf("the idle screen kept drawing: never %d quiet windows of %v in a row", 3, window)
		}
		views, _ := session.FrameCounts()
		wakeups, _, _ := session.ScreenCounts()
		got := alice.received()
		time.Sleep(window)
		views2, _ := session.FrameCounts()
		wakeups2, _, _ := session.ScreenCounts()
		if views2 == views && wakeups2 == wakeups && alice.received() == got {
			quiet++
		} else {
			quiet = 0
		}
	}
}
