package session_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/session"
)

// fakeClock is the passcode guard's clock in tests: a wait advances it at
// once, and is recorded.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return true
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// syncBuffer is a log the server writes from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// answering is keyboard-interactive that gives answer to every question
// and keeps the questions and instructions it was shown.
func answering(answer string, asked *atomic.Int64, instructions *syncBuffer) gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, instruction string, questions []string, _ []bool) ([]string, error) {
		instructions.Write([]byte(instruction))
		out := make([]string, len(questions))
		for i := range questions {
			out[i] = answer
			asked.Add(1)
		}
		return out, nil
	})
}

// TestWrongPasscodesAreSlowedThenRefused has one address try 50 wrong
// passcodes as one user name, on the guard's own clock: after three free
// tries each one waits longer, and from the tenth failure on the name is
// refused without a question, with a sentence saying why. Every failure
// is logged with address, name and method. Someone else at the same
// address still gets in at once; the guesser gets in with the right
// passcode once the refusal is over.
func TestWrongPasscodesAreSlowedThenRefused(t *testing.T) {
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.Passcode = "tomate"
	logs := &syncBuffer{}
	cfg.Logger = log.New(logs)
	srv, err := session.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clk := &fakeClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	session.SetAuthClock(srv, clk.Now, clk.Sleep)
	l, err := newLoopback()
	if err != nil {
		t.Fatal(err)
	}
	addrs.Store(srv, l.Addr().String())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	t.Cleanup(func() {
		if err := <-shutdown(srv); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-served
	})

	var asked atomic.Int64
	instructions := &syncBuffer{}
	tries := 0
	for tries < 50 {
		_, err := tryDial(t, srv, clientConfig(srv, "mallory", answering("navet", &asked, instructions)), termOpts{})
		if err == nil {
			t.Fatal("logged in with a wrong passcode")
		}
		tries += 3 // the client's keyboard-interactive is offered three tries per connection
	}
	if n := asked.Load(); n != 10 {
		t.Errorf("the server asked %d passcodes of the 50 tries, want 10 (then refused)", n)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second}
	if got := clk.Waits(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits before each try %v, want %v", got, want)
	}
	if s := instructions.String(); !strings.Contains(s, "Trop de codes faux") || !strings.Contains(s, "Too many wrong passcodes") {
		t.Errorf("the refused client was not told why: %q", s)
	}
	logText := logs.String()
	if n := strings.Count(logText, "wrong passcode remote="); n != 10 {
		t.Errorf("%d wrong passcodes logged, want 10:\n%s", n, logText)
	}
	if n := strings.Count(logText, "authentication refused"); n != 1 {
		t.Errorf("the refusal is logged %d times, want once whatever the number of attempts", n)
	}
	for _, s := range []string{"remote=127.0.0.1", "user=mallory", "method=passcode"} {
		if !strings.Contains(logText, s) {
			t.Errorf("the log lacks %q:\n%s", s, logText)
		}
	}

	// A neighbour behind the same address: in at once, asked once.
	var anaAsked atomic.Int64
	before := len(clk.Waits())
	tm, err := tryDial(t, srv, clientConfig(srv, "ana", answering("tomate", &anaAsked, &syncBuffer{})), termOpts{})
	if err != nil {
		t.Fatalf("ana, at the same address, with the right passcode: %v", err)
	}
	tm.waitText("user=ana")
	if anaAsked.Load() != 1 || len(clk.Waits()) != before {
		t.Errorf("ana was asked %d times and waited %v, want once and no wait", anaAsked.Load(), clk.Waits()[before:])
	}

	// The guesser, even with the right passcode, until the refusal ends.
	if _, err := tryDial(t, srv, clientConfig(srv, "mallory", answering("tomate", &atomic.Int64{}, &syncBuffer{})), termOpts{}); err == nil {
		t.Fatal("mallory got in while refused")
	}
	clk.Advance(15 * time.Minute)
	tm, err = tryDial(t, srv, clientConfig(srv, "mallory", answering("tomate", &atomic.Int64{}, &syncBuffer{})), termOpts{})
	if err != nil {
		t.Fatalf("mallory with the right passcode after the refusal: %v", err)
	}
	tm.waitText("user=mallory")
}

// TestFloodOfHalfOpenConnections has one address open many more silent
// connections than the server takes in all (MaxConns): the gate keeps
// MaxPendingPerAddr of them and closes the others at once, so a person at
// another address is accepted and authenticates while the flood is still
// open. The flood comes from 127.0.0.2, which Linux routes to the loopback
// interface like 127.0.0.1.
func TestFloodOfHalfOpenConnections(t *testing.T) {
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.Passcode = "tomate"
	cfg.MaxConns = 40
	cfg.MaxPendingPerAddr = 8
	// Long enough that no deadline frees a slot during the test: only the
	// gate can let the participant in.
	cfg.HandshakeTimeout = 10 * time.Minute
	cfg.AuthStartTimeout = 10 * time.Minute
	srv := serve(t, cfg)
	addr, _ := addrs.Load(srv)
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	const flood = 120
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	closed := make(chan struct{}, flood)
	for i := range flood {
		c, err := d.Dial("tcp", addr.(string))
		if err != nil {
			if i == 0 {
				t.Skipf("cannot connect from 127.0.0.2: %v", err)
			}
			t.Fatalf("flood connection %d: %v", i, err)
		}
		conns = append(conns, c)
		go func() {
			// A connection the server closed reads the server's banner,
			// perhaps, then the end.
			_, _ = io.Copy(io.Discard, c)
			closed <- struct{}{}
		}()
	}
	// Wait, on the connections themselves, until the server has closed
	// every one beyond the cap.
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for n := 0; n < flood-cfg.MaxPendingPerAddr; n++ {
		select {
		case <-closed:
		case <-deadline.C:
			t.Fatalf("the server closed %d of the %d flood connections, want %d", n, flood, flood-cfg.MaxPendingPerAddr)
		}
	}
	if n := session.PendingFrom(srv, "127.0.0.2"); n != cfg.MaxPendingPerAddr {
		t.Errorf("%d connections of the flooding address kept, want %d", n, cfg.MaxPendingPerAddr)
	}
	// The flood's kept connections are still open: a participant gets in.
	var asked atomic.Int64
	tm, err := tryDial(t, srv, clientConfig(srv, "léa", answering("tomate", &asked, &syncBuffer{})), termOpts{})
	if err != nil {
		t.Fatalf("a participant during the flood: %v", err)
	}
	tm.waitText("user=léa")
	if n := session.PendingFrom(srv, "127.0.0.1"); n != 0 {
		t.Errorf("the participant's authenticated connection is still counted as pending (%d)", n)
	}
	select {
	case <-closed:
		t.Error("a kept flood connection was closed before its deadline")
	default:
	}
}

// TestAuthStartTimeout: a connection that never starts to authenticate is
// closed after AuthStartTimeout, well before the handshake timeout.
func TestAuthStartTimeout(t *testing.T) {
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.HandshakeTimeout = 10 * time.Minute
	cfg.AuthStartTimeout = 200 * time.Millisecond
	srv := serve(t, cfg)
	addr, _ := addrs.Load(srv)
	c, err := net.Dial("tcp", addr.(string))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(waitLimit))
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatalf("the server did not hang up on a silent client: %v", err)
	}
}
