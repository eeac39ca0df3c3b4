package session_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// loopbackFrom skips the test when this system cannot connect from ip
// (Linux routes all of 127.0.0.0/8 to the loopback interface; others may
// not).
func loopbackFrom(t *testing.T, srv *session.Server, ip net.IP) {
	t.Helper()
	addr, _ := addrs.Load(srv)
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}}
	c, err := d.Dial("tcp", addr.(string))
	if err != nil {
		t.Skipf("cannot connect from %s: %v", ip, err)
	}
	c.Close()
}

// TestRoomFullIsSaid: one more person than the room takes reads why, in
// their language, and the facilitator's count of refused joins grows.
func TestRoomFullIsSaid(t *testing.T) {
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.MaxConns = 2
	srv := serve(t, cfg)
	for _, name := range []string{"ana", "bob"} {
		tm := dial(t, srv, clientConfig(srv, name, (&person{}).auth()), termOpts{})
		tm.waitText("user=" + name)
	}
	third := dial(t, srv, clientConfig(srv, "chloé", (&person{}).auth()), termOpts{env: map[string]string{"LANG": "fr_FR.UTF-8"}})
	if code := third.waitEnd(); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if s := third.stderrText(); !strings.Contains(s, "La salle est pleine : 2 personnes") || !strings.Contains(s, "--max-conns") {
		t.Errorf("the third person read %q", s)
	}
	if n := srv.Refused(); n != 1 {
		t.Errorf("%d refused joins counted, want 1", n)
	}
}

// TestDefaultRoomTakesThreeHundred: the room a server takes by default is
// a big plenary's, and MaxConns raises it (issue 21 measured the shipped
// server stopping at 250).
func TestDefaultRoomTakesThreeHundred(t *testing.T) {
	if session.DefaultMaxConns < 300 {
		t.Fatalf("DefaultMaxConns = %d, want a room of 300 or more", session.DefaultMaxConns)
	}
	if session.DefaultLoginWindow < 2*time.Minute {
		t.Fatalf("DefaultLoginWindow = %v, want at least 2 minutes for a person", session.DefaultLoginWindow)
	}
}

// TestOneAddressCannotTakeTheRoom: in open mode, one address opens 300
// sessions; the server keeps MaxPerAddr of them, tells the others why, and
// a person from another address joins meanwhile.
func TestOneAddressCannotTakeTheRoom(t *testing.T) {
	if testing.Short() {
		t.Skip("300 SSH sessions: not with -short")
	}
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	logs := &syncBuffer{}
	cfg.Logger = log.New(logs)
	srv := serve(t, cfg)
	flooder := net.IPv4(127, 0, 0, 2)
	loopbackFrom(t, srv, flooder)

	const n = 300
	var (
		mu      sync.Mutex
		held    []*term
		refused atomic.Int64
		failed  atomic.Int64
		wg      sync.WaitGroup
	)
	jobs := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := tryDial(t, srv, clientConfig(srv, fmt.Sprint("bot", i), (&person{}).auth()), termOpts{from: flooder.String(), noRaw: true})
				if err != nil {
					if failed.Add(1) == 1 {
						t.Logf("session %d: %v", i, err)
					}
					continue
				}
				mu.Lock()
				held = append(held, r)
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	// The refused sessions end with the sentence; the others stay open.
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for _, r := range held {
		select {
		case <-r.done:
			if strings.Contains(r.stderrText(), "Too many sessions from your address (200 at once)") {
				refused.Add(1)
			}
		case <-time.After(50 * time.Millisecond):
		case <-deadline.C:
			t.Fatal("waiting for the refused sessions to end")
		}
	}
	if got := refused.Load(); got != n-session.DefaultMaxPerAddr || failed.Load() != 0 {
		t.Fatalf("%d sessions refused with the sentence and %d logins failed, want %d and 0", got, failed.Load(), n-session.DefaultMaxPerAddr)
	}
	// While the flood holds its 200, a person at another address joins.
	began := time.Now()
	tm := dial(t, srv, clientConfig(srv, "léa", (&person{}).auth()), termOpts{})
	tm.waitText("user=léa")
	t.Logf("a person joined in %v while one address held %d sessions", time.Since(began), session.DefaultMaxPerAddr)
	if !strings.Contains(logs.String(), "session refused: too many sessions from one address") {
		t.Errorf("the log does not say the sessions refused:\n%.2000s", logs.String())
	}
}

// TestPendingFloodFromManyAddresses: ten addresses each hold as many
// connections at the login stage as one address may; beyond the cap in
// all, a newcomer takes the place of the oldest of the address holding the
// most, so a participant from another address still gets in.
func TestPendingFloodFromManyAddresses(t *testing.T) {
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.Passcode = "tomate-du-jardin"
	cfg.MaxPending = 20
	cfg.MaxPendingPerAddr = 4
	cfg.HandshakeTimeout = 10 * time.Minute
	srv := serve(t, cfg)
	loopbackFrom(t, srv, net.IPv4(127, 0, 0, 10))
	addr, _ := addrs.Load(srv)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for a := range 10 {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(10+a))}}
		for range cfg.MaxPendingPerAddr {
			c, err := d.Dial("tcp", addr.(string))
			if err != nil {
				t.Fatal(err)
			}
			// A client's version, then nothing: past the silent deadline,
			// stuck before authentication.
			_, _ = c.Write([]byte("SSH-2.0-flood\r\n"))
			conns = append(conns, c)
		}
	}
	var asked atomic.Int64
	tm, err := tryDial(t, srv, clientConfig(srv, "léa", answering("tomate-du-jardin", &asked, &syncBuffer{})), termOpts{})
	if err != nil {
		t.Fatalf("a participant during a flood from ten addresses: %v", err)
	}
	tm.waitText("user=léa")
	if n := srv.Refused(); n < 20 {
		t.Errorf("%d connections refused or evicted, want at least the 20 beyond the cap", n)
	}
}

// TestPasscodeBudgetAcrossAddresses: ten addresses guessing in parallel,
// each with a new name at every connection, share one budget of passcode
// checks; a participant from another address is asked once and gets in
// meanwhile. It runs on the real clock for a few seconds (the guard's own
// test, TestGuardBudget, simulates two minutes on an injected one): the
// bound it checks grows with the time measured, so a slow machine only
// loosens it.
func TestPasscodeBudgetAcrossAddresses(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds of attack: not with -short")
	}
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.Passcode = "tomate-du-jardin"
	logs := &syncBuffer{}
	cfg.Logger = log.New(logs)
	srv := serve(t, cfg)
	loopbackFrom(t, srv, net.IPv4(127, 0, 0, 10))

	var wg sync.WaitGroup
	stop := make(chan struct{})
	began := time.Now()
	for a := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ip := net.IPv4(127, 0, 0, byte(10+a))
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				cfg := clientConfig(srv, fmt.Sprint("g", a, "-", i), answering("navet", &atomic.Int64{}, &syncBuffer{}))
				if r, err := tryDial(t, srv, cfg, termOpts{from: ip.String(), noRaw: true}); err == nil {
					r.close()
					t.Error("a guesser got in")
					return
				}
			}
		}()
	}
	// The attack runs until it has spent the burst and queued turns.
	for strings.Count(logs.String(), "wrong passcode remote=") < 20 {
		time.Sleep(20 * time.Millisecond)
	}
	var asked atomic.Int64
	joining := time.Now()
	tm, err := tryDial(t, srv, clientConfig(srv, "léa", answering("tomate-du-jardin", &asked, &syncBuffer{})), termOpts{})
	if err != nil {
		t.Fatalf("a participant during the attack: %v", err)
	}
	tm.waitText("user=léa")
	joined := time.Since(joining)
	for time.Since(began) < 10*time.Second { // the attack goes on
		time.Sleep(100 * time.Millisecond)
	}
	checked := strings.Count(logs.String(), "wrong passcode remote=")
	elapsed := time.Since(began).Seconds()
	close(stop)
	t.Logf("%d passcodes checked in %.1f s: %.2f/s; the participant joined in %v, asked %d time(s)", checked, elapsed, float64(checked)/elapsed, joined, asked.Load())
	// At most: the burst, each address's first check (free when the
	// budget is spent), then the rate.
	if limit := 15 + 1.5*elapsed; float64(checked) > limit || float64(checked)/elapsed > 3 {
		t.Errorf("%d passcodes checked in %.1f s, want at most %.0f and 3 a second", checked, elapsed, limit)
	}
	if asked.Load() != 1 {
		t.Errorf("the participant was asked %d times, want once", asked.Load())
	}
	wg.Wait()
}

// brokenDisk is a store whose writes fail, as a full disk's do.
type brokenDisk struct{}

func (brokenDisk) Append(context.Context, ...review.Event) ([]review.Event, error) {
	return nil, errors.New("write trace.db: no space left on device")
}

// TestFailedTraceWriteIsLogged: a write of the trace that fails is one
// line of the server's log, with the session, the kind and the person.
func TestFailedTraceWriteIsLogged(t *testing.T) {
	w := newWorld(t, "", "jardin")
	st, err := w.reg.Open(context.Background(), "jardin")
	if err != nil {
		t.Fatal(err)
	}
	reg := session.NewRegistry(brokenDisk{}, func(context.Context) ([]string, error) { return []string{"jardin"}, nil },
		func(context.Context, string) (*review.State, error) { return st.Snapshot().State, nil }, "")
	logs := &syncBuffer{}
	if _, err := session.NewServer(session.Config{Registry: reg, NewModel: newProbe, Logger: log.New(logs)}); err != nil {
		t.Fatal(err)
	}
	h, err := reg.Open(context.Background(), "jardin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Join(context.Background(), review.Actor{Name: "ana", Role: review.Participant}, "ssh"); err == nil {
		t.Fatal("a join was recorded on a broken disk")
	}
	for _, want := range []string{"trace write failed", "session=jardin", "kind=participant.joined", "user=ana", "no space left on device"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
}

// TestRefusedKeyIsLogged: a key not on the list is one line of the log,
// with the address, the user name and the method.
func TestRefusedKeyIsLogged(t *testing.T) {
	w := newWorld(t, "", "jardin")
	member, stranger := newKey(t), newKey(t)
	cfg := probeConfig(w)
	cfg.AuthorizedKeys = writeKeys(t, member.AuthorizedKey())
	logs := &syncBuffer{}
	cfg.Logger = log.New(logs)
	srv := serve(t, cfg)
	if _, err := tryDial(t, srv, clientConfig(srv, "paul", gossh.PublicKeys(stranger.Signer())), termOpts{}); err == nil {
		t.Fatal("an unlisted key got in")
	}
	for _, want := range []string{"key refused", "remote=127.0.0.1", "user=paul", "method=publickey"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
	// The server counts the connection once it has ended, which may be
	// just after the client gave up.
	deadline := time.Now().Add(waitLimit)
	for srv.Refused() != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if srv.Refused() != 1 {
		t.Errorf("%d refused joins counted, want 1", srv.Refused())
	}
}
