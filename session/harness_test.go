package session_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/keygen"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
)

// waitLimit bounds every wait on a screen: generous, since a test machine
// may be busy, and never reached when things work.
const waitLimit = 20 * time.Second

// world is a real store (a SQLite file in a temporary directory) with review
// sessions in it, and the registry that serves them.
type world struct {
	store *store.Store
	reg   *session.Registry
}

// newWorld creates the sessions named, each with the same small corpus;
// firstStatement, when set, is the statement of the first proposal and ends
// the text of the first passage.
func newWorld(t testing.TB, firstStatement string, names ...string) *world {
	t.Helper()
	return worldAt(t, filepath.Join(t.TempDir(), "trace.db"), firstStatement, names...)
}

// worldAt is newWorld on the store at path, which may hold sessions
// already: a server restarted on the same file opens it again.
func worldAt(t testing.TB, path, firstStatement string, names ...string) *world {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	for _, name := range names {
		if _, err := st.Append(ctx, corpus(name, firstStatement, 3)...); err != nil {
			t.Fatalf("append the corpus of %s: %v", name, err)
		}
	}
	load := func(ctx context.Context, name string) (*review.State, error) {
		events, err := st.Replay(ctx, name)
		if err != nil {
			return nil, err
		}
		return review.Replay(events)
	}
	return &world{store: st, reg: session.NewRegistry(st, st.Sessions, load, "")}
}

// corpus is the events of a session: one document of n passages, two
// criteria and one proposal per passage.
func corpus(name, firstStatement string, n int) []review.Event {
	sys := review.Actor{Name: "revue", Role: review.System}
	at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	ev := func(kind review.Kind, data any) review.Event {
		return review.MustEvent(name, session.NewID(), at, sys, kind, data)
	}
	doc := review.Document{ID: "d-" + name, Title: "Compte rendu", Source: "cr.md", SHA256: "d-" + name, Format: "md"}
	for i := range n {
		text := fmt.Sprintf("Passage %d: les habitants votent les règles du jardin ensemble.", i+1)
		if i == 0 && firstStatement != "" {
			text += " " + firstStatement
		}
		doc.Passages = append(doc.Passages, review.Passage{ID: fmt.Sprintf("p%d-%s", i+1, name), Document: doc.ID, Index: i, Text: text, Start: i * 100, End: i*100 + len(text)})
	}
	doc.Chars = n * 100
	events := []review.Event{
		ev(review.KindSessionCreated, review.SessionCreated{Name: name}),
		ev(review.KindDocumentAdded, doc),
		ev(review.KindCriterionAdded, review.Criterion{ID: "C1", Title: "Règles choisies ensemble", Description: "Les personnes concernées participent à la décision des règles."}),
		ev(review.KindCriterionAdded, review.Criterion{ID: "C2", Title: "Surveillance", Description: "Quelqu'un vérifie que les règles sont suivies."}),
	}
	for i, p := range doc.Passages {
		statement := fmt.Sprintf("Le passage %d montre que les règles sont choisies ensemble.", i+1)
		if i == 0 && firstStatement != "" {
			statement = firstStatement
		}
		events = append(events, ev(review.KindProposalAdded, review.Proposal{
			ID: fmt.Sprintf("L%d", i+1), Document: doc.ID, Passage: p.ID, Criterion: "C1",
			Statement: statement, Quote: "votent les règles", QuoteStart: -1, QuoteEnd: -1,
			Confidence: 0.8, Origin: review.Origin{Kind: review.OriginExample, Name: "test"},
		}))
	}
	return events
}

// events returns the session's trace as stored.
func (w *world) events(t testing.TB, name string) []review.Event {
	t.Helper()
	events, err := w.store.Replay(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// kinds returns the stored events of one kind.
func (w *world) kinds(t testing.TB, name string, kind review.Kind) []review.Event {
	var out []review.Event
	for _, e := range w.events(t, name) {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// addrs holds each test server's address: Serve sets Server.Addr only once
// it runs, in its own goroutine.
var addrs sync.Map

// serve starts a server on a loopback port with an in-memory host key and
// shuts it down at the end of the test.
func serve(t testing.TB, cfg session.Config) *session.Server {
	t.Helper()
	srv, served := start(t, cfg)
	t.Cleanup(func() {
		if err := <-shutdown(srv); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-served
	})
	return srv
}

// start starts a server on a loopback port, for a test that shuts it down
// itself; served receives what Serve returned.
func start(t testing.TB, cfg session.Config) (*session.Server, <-chan error) {
	t.Helper()
	srv, err := session.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := newLoopback()
	if err != nil {
		t.Fatal(err)
	}
	addrs.Store(srv, l.Addr().String())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	return srv, served
}

// shutdown shuts srv down in the background, so that the test can watch
// its clients meanwhile.
func shutdown(srv *session.Server) <-chan error {
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		shut <- srv.Shutdown(ctx)
	}()
	return shut
}

// newKey makes an in-memory ed25519 key pair.
func newKey(t testing.TB) *keygen.KeyPair {
	t.Helper()
	k, err := keygen.New("", keygen.WithKeyType(keygen.Ed25519))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// clientConfig logs in as user with the given methods, checking the host
// key against the server's fingerprint as a person would.
func clientConfig(srv *session.Server, user string, auth ...gossh.AuthMethod) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User: user,
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			if fp := gossh.FingerprintSHA256(key); fp != srv.HostKeyFingerprint() {
				return fmt.Errorf("host key %s, want %s", fp, srv.HostKeyFingerprint())
			}
			return nil
		},
		Timeout: waitLimit,
	}
}

// passcode answers every keyboard-interactive question with the next of
// answers (the last one again when they run out) and counts the questions.
func passcode(asked *int, answers ...string) gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
		out := make([]string, len(questions))
		for i := range questions {
			n := min(*asked, len(answers)-1)
			out[i] = answers[n]
			*asked++
		}
		return out, nil
	})
}

// codeRe finds the personal code the server tells a keyless person at
// login, in either language.
var codeRe = regexp.MustCompile(`(?:code personnel|personal code) ?: ([0-9]+)`)

// person is a keyless person's keyboard-interactive, as someone at a
// terminal answers it: the passcode when asked for it, and the personal
// code they noted when the server told it, when asked for that. Every
// instruction the server sends is kept in said.
type person struct {
	passcode string
	mu       sync.Mutex
	code     string
	said     strings.Builder
}

func (p *person) auth() gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, instruction string, questions []string, _ []bool) ([]string, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.said.WriteString(instruction)
		if m := codeRe.FindStringSubmatch(instruction); m != nil {
			p.code = m[1]
		}
		out := make([]string, len(questions))
		for i, q := range questions {
			if strings.Contains(q, "personal code") {
				out[i] = p.code
			} else {
				out[i] = p.passcode
			}
		}
		return out, nil
	})
}

// told is every instruction the server sent this person.
func (p *person) told() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.said.String()
}

// term is one person's terminal: a real SSH session whose output feeds an
// x/vt emulator, as OpenSSH would feed xterm.
type term struct {
	t     testing.TB
	conn  *gossh.Client
	sess  *gossh.Session
	stdin io.WriteCloser

	mu      sync.Mutex
	vt      *vt.Emulator
	raw     bytes.Buffer // every byte the server sent on stdout
	stderr  bytes.Buffer
	changed chan struct{} // one slot: the screen may have changed
	done    chan struct{} // closed when the server ended the session
	// onWrite, when set before output arrives, is called after each write
	// to the emulator, from the goroutine that reads the connection: a
	// load benchmark watches every screen with it without taking the one
	// signal a waiter of changed needs.
	onWrite func()
	bytes   int64 // bytes received on stdout
	noRaw   bool  // keep no copy of the output (load benchmarks)
	exit    error // the session's end, once done is closed
}

// termOpts are how a terminal connects.
type termOpts struct {
	w, h    int
	command string            // "" opens a shell (no SESSION argument)
	env     map[string]string // sent with Setenv, like OpenSSH's SendEnv; nil sends LANG=en_US.UTF-8, an empty map nothing
	noPTY   bool
	// from is the local address to connect from ("" lets the system
	// choose): a room's load comes from several addresses.
	from string
	// onWrite and noRaw are set on the terminal before it connects.
	onWrite func()
	noRaw   bool
}

// dial connects, asks for a PTY and starts the session.
func dial(t testing.TB, srv *session.Server, cfg *gossh.ClientConfig, o termOpts) *term {
	t.Helper()
	tm, err := tryDial(t, srv, cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func tryDial(t testing.TB, srv *session.Server, cfg *gossh.ClientConfig, o termOpts) (*term, error) {
	if o.w == 0 {
		o.w, o.h = 80, 24
	}
	if o.env == nil {
		// The tests read English screens; a client that sends no locale
		// gets the session's language, French (TestLanguage).
		o.env = map[string]string{"LANG": "en_US.UTF-8"}
	}
	addr, _ := addrs.Load(srv)
	d := net.Dialer{Timeout: cfg.Timeout}
	if o.from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(o.from)}
	}
	nc, err := d.Dial("tcp", addr.(string))
	if err != nil {
		return nil, err
	}
	c, chans, reqs, err := gossh.NewClientConn(nc, addr.(string), cfg)
	if err != nil {
		nc.Close()
		return nil, err
	}
	conn := gossh.NewClient(c, chans, reqs)
	sess, err := conn.NewSession()
	if err != nil {
		conn.Close()
		return nil, err
	}
	for k, v := range o.env {
		if err := sess.Setenv(k, v); err != nil {
			conn.Close()
			return nil, err
		}
	}
	tm := &term{t: t, conn: conn, sess: sess, vt: vt.NewEmulator(o.w, o.h), changed: make(chan struct{}, 1), done: make(chan struct{}), onWrite: o.onWrite, noRaw: o.noRaw}
	t.Cleanup(tm.close)
	if !o.noPTY {
		if err := sess.RequestPty("xterm-256color", o.h, o.w, gossh.TerminalModes{}); err != nil {
			return nil, err
		}
	}
	if tm.stdin, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	sess.Stderr = &lockedWriter{mu: &tm.mu, w: &tm.stderr}
	if o.command == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(o.command)
	}
	if err != nil {
		return nil, err
	}
	// The emulator answers the program's queries (cursor position,
	// background colour) through its pipe: copy them back, or it blocks.
	go func() { _, _ = io.Copy(tm.stdin, tm.vt) }()
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := stdout.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				if !tm.noRaw {
					tm.raw.Write(buf[:n])
				}
				tm.bytes += int64(n)
				_, _ = tm.vt.Write(buf[:n])
				tm.mu.Unlock()
				tm.poke()
				if tm.onWrite != nil {
					tm.onWrite()
				}
			}
			if err != nil {
				break
			}
		}
		tm.exit = sess.Wait()
		close(tm.done)
		tm.poke()
	}()
	return tm, nil
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (tm *term) poke() {
	select {
	case tm.changed <- struct{}{}:
	default:
	}
}

// close hangs up, as OpenSSH does when the session ends.
func (tm *term) close() {
	tm.conn.Close()
	// End the goroutine that copies the emulator's replies. Emulator.Close
	// would do it too, but it sets a flag that Read reads without a lock.
	if c, ok := tm.vt.InputPipe().(io.Closer); ok {
		_ = c.Close()
	}
}

// screen is the visible text of the terminal.
func (tm *term) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.vt.String()
}

// received counts the bytes received on stdout.
func (tm *term) received() int64 {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.bytes
}

// rawBytes is a copy of everything received on stdout.
func (tm *term) rawBytes() []byte {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return bytes.Clone(tm.raw.Bytes())
}

func (tm *term) stderrText() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.stderr.String()
}

// waitFor waits until the screen satisfies ok, and returns it.
func (tm *term) waitFor(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	s, err := tm.until(ok)
	if err != nil {
		tm.t.Fatalf("%v before the screen showed %s:\n%s", err, what, s)
	}
	return s
}

// until waits until the screen satisfies ok, the session ends or waitLimit
// passes; it may be called from any goroutine.
func (tm *term) until(ok func(screen string) bool) (string, error) {
	timer := time.NewTimer(waitLimit)
	defer timer.Stop()
	for {
		s := tm.screen()
		if ok(s) {
			return s, nil
		}
		select {
		case <-tm.changed:
		case <-tm.done:
			if s := tm.screen(); ok(s) {
				return s, nil
			}
			return s, fmt.Errorf("the session ended (%v; stderr %q)", tm.exit, tm.stderrText())
		case <-timer.C:
			return s, fmt.Errorf("%v passed", waitLimit)
		}
	}
}

// waitText waits until the screen contains every one of texts.
func (tm *term) waitText(texts ...string) string {
	tm.t.Helper()
	return tm.waitFor(fmt.Sprintf("%q", texts), func(s string) bool {
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	})
}

// waitEnd waits until the server ends the session and returns its exit
// status (-1 without one).
func (tm *term) waitEnd() int {
	tm.t.Helper()
	select {
	case <-tm.done:
	case <-time.After(waitLimit):
		tm.t.Fatalf("the session did not end; screen:\n%s", tm.screen())
	}
	var ee *gossh.ExitError
	switch {
	case tm.exit == nil:
		return 0
	case errors.As(tm.exit, &ee):
		return ee.ExitStatus()
	}
	return -1
}

// press types keys as a person would.
func (tm *term) press(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.stdin, keys); err != nil {
		tm.t.Fatalf("type %q: %v", keys, err)
	}
}

// resize tells the server the window changed, as a terminal does.
func (tm *term) resize(w, h int) {
	tm.t.Helper()
	tm.mu.Lock()
	tm.vt.Resize(w, h)
	tm.mu.Unlock()
	if err := tm.sess.WindowChange(h, w); err != nil {
		tm.t.Fatal(err)
	}
}

// lyingSigner offers one public key it does not own (CVE-2024-45337): it
// signs with another key, or, with signer nil, cannot sign at all, so that
// the key is only offered and the client goes on to its next method.
type lyingSigner struct {
	offered gossh.PublicKey
	signer  gossh.Signer
}

func (l lyingSigner) PublicKey() gossh.PublicKey { return l.offered }
func (l lyingSigner) Sign(r io.Reader, data []byte) (*gossh.Signature, error) {
	if l.signer == nil {
		return nil, errors.New("this client does not own the key it offered")
	}
	return l.signer.Sign(r, data)
}

// newLoopback listens on a free loopback port.
func newLoopback() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
