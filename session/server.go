package session

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/logging"
	"github.com/charmbracelet/keygen"
	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// JoinCard is everything people need to join, which the facilitator's
// screen and the wall show: the commands with the reachable addresses, the
// host key's fingerprint as OpenSSH prints it, and the passcode (shown to
// a facilitator only, on request).
type JoinCard struct {
	Commands    []string
	Fingerprint string
	Passcode    string
}

// ModelRequest is everything the interface needs to serve one SSH session.
type ModelRequest struct {
	// Actor is the person: the user name they chose, the fingerprint of the
	// key that really authenticated (never one only offered), and the role.
	Actor review.Actor
	// Lang is "fr" or "en": Config.Lang, else the client's LC_ALL,
	// LC_MESSAGES or LANG (OpenSSH sends them), else the session's.
	Lang string
	// Hub is the session asked for (`ssh ... NAME@HOST SESSION`), or the only
	// one served; nil means the interface shows a picker.
	Hub      *Hub
	Registry *Registry
	// Seat is filled by the interface when the person enters a session; the
	// server empties it (Seat.Leave) when the program ends.
	Seat *Seat
	// Environ is the client's environment (NO_COLOR, LANG...), never the
	// server's.
	Environ []string
	// Card is how to join, for the `J` card and the wall before the start;
	// nil when the server has none. Its Passcode is only a facilitator's.
	Card *JoinCard
	// Notice is one sentence for the person at the start, in Lang: their
	// new personal code, or the name they got when theirs was taken. The
	// server also writes it before the interface starts, so that it stays
	// on the terminal once the interface ends.
	Notice string
}

// Config sets up a Server. Only Registry and NewModel are required.
type Config struct {
	Listen string // default ":2222"
	// HostKeyPath is where the server's ed25519 key lives (created once,
	// mode 0600, then reused, so that clients can trust it). Empty: a key in
	// memory, for tests.
	HostKeyPath string
	// Passcode, when set, is asked by keyboard-interactive authentication
	// (compared in constant time, three tries per connection).
	Passcode string
	// AuthorizedKeys is an authorized_keys file: only these keys (and the
	// facilitators') may log in by key.
	AuthorizedKeys string
	// Facilitators is an authorized_keys file of the facilitators' keys.
	Facilitators string
	Lang         string // "fr" or "en" forces the language; "" follows the client
	// MaxConns is the size of the room: interface sessions at once, in all.
	// One more gets a sentence saying the room is full. Default
	// DefaultMaxConns.
	MaxConns int
	// MaxPerAddr caps the interface sessions (and authenticated
	// connections) of one address: a room behind one router is one address,
	// so it is generous; one person opening hundreds of sessions gets a
	// sentence beyond it. Default DefaultMaxPerAddr (at most MaxConns).
	MaxPerAddr  int
	IdleTimeout time.Duration // default 30 min
	// HandshakeTimeout is the login window: the time from TCP connect to
	// the end of authentication. A person reads the host-key question,
	// compares the fingerprint with the board, mistypes a passcode: it is
	// long (DefaultLoginWindow), and the half-open connections it lets
	// linger are capped per address and in all (MaxPendingPerAddr,
	// MaxPending).
	HandshakeTimeout time.Duration
	// AuthStartTimeout closes a connection that has sent nothing at all by
	// then: a real client sends its version at once. Default 10 s.
	AuthStartTimeout time.Duration
	// MaxPendingPerAddr caps the connections of one address (IPv6: one
	// /64) that have not authenticated yet; more are closed at once. Default
	// 32: a room behind one router all sitting at the host-key question.
	MaxPendingPerAddr int
	// MaxPending caps the connections not yet authenticated in all; beyond
	// it a newcomer takes the place of the oldest one of the address that
	// holds the most (see gate). Default 128.
	MaxPending int
	// Reserved are names only a facilitator's key may take (the local
	// facilitator's name in `revue review --listen`); the comments of the
	// keys of Facilitators are reserved too.
	Reserved []string
	// Names keeps who holds each name across restarts (the store, for
	// serve and review); nil keeps them in memory for the server's
	// lifetime (the demo). See identities.
	Names    NameBook
	Registry *Registry
	// NewModel builds the interface of one session; internal/cli wires it to
	// tui.New, which keeps session free of any import of tui.
	NewModel func(ModelRequest) tea.Model
	Logger   *log.Logger // nil: discard
	// KeepMemoryLimit leaves the process's memory limit alone; otherwise
	// the server sets a soft limit proportional to its screens (see
	// memoryTuner), unless GOMEMLIMIT is set.
	KeepMemoryLimit bool
}

// The defaults of the door. DefaultMaxConns is the room the server takes:
// a big plenary of 300 with their projectors; the load benchmark measured
// up to 200 screens at about 1.4 MB each (BENCHMARKS.md), so 500 stays
// far below the memory of a laptop. DefaultLoginWindow leaves a person the
// time to compare the host key with the board and to mistype a passcode.
const (
	DefaultMaxConns    = 500
	DefaultMaxPerAddr  = 200
	DefaultLoginWindow = 150 * time.Second
)

// Server is Revue's SSH server: one Bubble Tea program per SSH session,
// each reading the hub of its review session. People join with
//
//	ssh -t -p 2222 NAME@HOST [SESSION] [--watch]
//
// NAME is the name the others see. SESSION opens that review session; an
// unknown one gets the list of sessions and exit status 1; without it, the
// only session served opens at once, and with several the interface shows
// a picker. --watch (or -w) asks for a read-only screen (the spectator
// role), for a projector.
//
// Who may log in:
//   - open (no Passcode, no AuthorizedKeys): anyone; with an SSH key its
//     fingerprint is part of the identity, without one keyboard-interactive
//     lets them in without a question.
//   - Passcode: keyboard-interactive asks for it, three tries per
//     connection, always: a key never replaces it. A key holder proves
//     their key first, then types the passcode, and keeps the key (and the
//     facilitator role it may give) in the session. With AuthorizedKeys as
//     well, only the listed keys may take that first step, and a person
//     without a key cannot log in.
//   - AuthorizedKeys: only the listed keys and the facilitators' keys.
//
// The role is decided after login from the key that really authenticated:
// facilitator when it is in Facilitators (unless --watch), spectator with
// --watch, participant otherwise. The hub enforces it on every action.
type Server struct {
	cfg    Config
	srv    *ssh.Server
	access *access
	log    *log.Logger
	hostFP string

	mu       sync.Mutex
	addr     net.Addr
	gate     *gate
	closing  bool
	reason   Reason // why, once closing
	memory   *memoryTuner
	programs map[*tea.Program]struct{}
	running  sync.WaitGroup // one per session in presence, until it has left its hub
	conns    sync.Map       // ssh.Session → *conn, from route to program
	refused  atomic.Int64   // joins refused, for the facilitator's screen
	card     atomic.Pointer[JoinCard]
	// failedAuth holds the connections ("ip:port") that failed a login
	// step, so that their end counts as a refused join even when the
	// client, not the server, hangs up.
	failedAuth sync.Map
	sessions   sessionCount // interface sessions per address group, for limitSessions
}

// NewServer checks the configuration, loads or creates the host key and
// reads the key lists. It listens on nothing yet.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Registry == nil || cfg.NewModel == nil {
		return nil, errors.New("session: NewServer needs a Registry and a NewModel function")
	}
	if cfg.Listen == "" {
		cfg.Listen = ":2222"
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	if cfg.MaxPerAddr <= 0 {
		cfg.MaxPerAddr = DefaultMaxPerAddr
	}
	cfg.MaxPerAddr = min(cfg.MaxPerAddr, cfg.MaxConns)
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultLoginWindow
	}
	if cfg.AuthStartTimeout <= 0 {
		cfg.AuthStartTimeout = 10 * time.Second
	}
	if cfg.MaxPendingPerAddr <= 0 {
		cfg.MaxPendingPerAddr = 32
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = 128
	}
	cfg.MaxPendingPerAddr = min(cfg.MaxPendingPerAddr, cfg.MaxPending)
	switch cfg.Lang {
	case "", "fr", "en":
	default:
		return nil, fmt.Errorf("language %q is not available; use fr or en", cfg.Lang)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, access: &access{guard: newGuard(defaultGuard)}, programs: map[*tea.Program]struct{}{}}
	if !cfg.KeepMemoryLimit {
		s.memory = newMemoryTuner()
	}
	if s.log == nil {
		s.log = log.New(io.Discard)
	}
	s.access.log = s.log
	cfg.Registry.SetLogger(s.log)
	if cfg.Passcode != "" {
		h := sha256.Sum256([]byte(cfg.Passcode))
		s.access.passcode = h[:]
	}
	var err error
	if cfg.AuthorizedKeys != "" {
		if s.access.authorized, err = readKeySet(cfg.AuthorizedKeys); err != nil {
			return nil, err
		}
	}
	reserved := cfg.Reserved
	if cfg.Facilitators != "" {
		var names []string
		if s.access.facilitators, names, err = readKeys(cfg.Facilitators); err != nil {
			return nil, err
		}
		reserved = append(slices.Clip(reserved), names...)
	}
	if s.access.ids, err = newIdentities(reserved, cfg.Names, s.log); err != nil {
		return nil, err
	}
	host, err := loadHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s.hostFP = gossh.FingerprintSHA256(host.PublicKey())

	opts := []ssh.Option{
		// The host key goes first: wish.NewServer writes a new key into the
		// working directory when none is set.
		func(srv *ssh.Server) error { srv.AddHostKey(host); return nil },
		wish.WithAddress(cfg.Listen),
		wish.WithVersion("Revue"),
		wish.WithIdleTimeout(cfg.IdleTimeout),
		// The middleware chain. wish composes it so that the LAST one listed
		// runs FIRST, so read it from the bottom up:
		wish.WithMiddleware(
			// 7. The Bubble Tea program of the session, tracked so that
			//    Shutdown can end it and wait for the client's terminal to
			//    be restored.
			s.program,
			// 6. Presence: whatever way the program ends (q, a closed lid,
			//    Shutdown, a panic), the person leaves the hub.
			s.presence,
			// 5. Which session, who, which language: refuse an unknown
			//    session with one sentence before any program starts.
			s.route,
			// 4. A terminal is required: a clear sentence otherwise.
			s.requirePTY,
			// 3. Rate limit, after authentication: keyed by IP and user
			//    name, so that a whole room behind one router is not
			//    locked out (see defaultLimits); then the size of the room
			//    and the share of one address (limitSessions).
			s.limitSessions,
			s.rateLimit(newLimiter(defaultLimits)),
			// 2. Log every session, refused or not, with its duration.
			logging.StructuredMiddlewareWithLogger(s.log, log.InfoLevel),
			// 1. Recover from a panic anywhere below: logged with its stack,
			//    the client gets a sentence, never the stack.
			s.recover,
		),
	}
	// Every mode gets the authentication log (serverConfig), which also
	// tells the gate which connections have authenticated.
	opts = append(opts, func(srv *ssh.Server) error {
		srv.ServerConfigCallback = s.serverConfig
		srv.ConnectionFailedCallback = s.connectionFailed
		return nil
	})
	switch {
	case s.access.passcode != nil:
		// Two steps for key holders, which charm.land/ssh's handlers cannot
		// express: see passcodeConfig, which serverConfig uses.
	case s.access.authorized != nil:
		// Keys only: keyboard-interactive stays off.
		opts = append(opts, ssh.PublicKeyAuth(s.access.publicKey))
	default:
		// Open: any key, and people without a key get in too.
		opts = append(opts, ssh.PublicKeyAuth(s.access.publicKey), ssh.KeyboardInteractiveAuth(s.access.keyboardInteractive))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("set up the SSH server: %w", err)
	}
	srv.HandshakeTimeout = cfg.HandshakeTimeout
	s.srv = srv
	return s, nil
}

// loadHostKey reads the host key at path, creating it the first time. An
// empty path gives a key in memory, which changes at every start.
func loadHostKey(path string) (ssh.Signer, error) {
	if path == "" {
		k, err := keygen.New("", keygen.WithKeyType(keygen.Ed25519))
		if err != nil {
			return nil, fmt.Errorf("generate an in-memory host key: %w", err)
		}
		return k.Signer(), nil
	}
	k, err := keygen.New(path, keygen.WithKeyType(keygen.Ed25519), keygen.WithWrite())
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w; remove the file (and %s.pub) to create a new one, then tell participants the new fingerprint", path, err, path)
	}
	return k.Signer(), nil
}

// Serve accepts connections on l within the caps of the gate (see gate and
// limitSessions), until Shutdown. It returns ssh.ErrServerClosed after Shutdown.
func (s *Server) Serve(l net.Listener) error {
	g := newGate(l, gateLimits{
		// Beyond the room, a few more connections may authenticate to
		// read that the room is full (limitSessions).
		total:      s.cfg.MaxConns + s.cfg.MaxPending + 16,
		pending:    s.cfg.MaxPending,
		pendingPer: s.cfg.MaxPendingPerAddr,
		authPer:    2 * s.cfg.MaxPerAddr,
		silent:     s.cfg.AuthStartTimeout,
	}, s.log)
	g.onRefuse = s.refusedOne
	s.mu.Lock()
	if s.closing {
		// Shut down before it served: nothing to wait for.
		s.mu.Unlock()
		_ = l.Close()
		return ssh.ErrServerClosed
	}
	s.addr = l.Addr()
	s.gate = g
	s.mu.Unlock()
	return s.srv.Serve(g)
}

// serverConfig is the x/crypto/ssh configuration of each connection:
// passcodeConfig's with a passcode, else an empty one that charm.land/ssh
// completes with its handlers; in every mode it offers only modern
// algorithms (see modernOnly), and AuthLogCallback logs the failures and
// tells the gate of the connection's progress.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	cfg := &gossh.ServerConfig{}
	if s.access.passcode != nil {
		cfg = s.access.passcodeConfig(ctx)
	}
	modernOnly(&cfg.Config)
	cfg.AuthLogCallback = s.authLog
	return cfg
}

// modernOnly restricts the offer to what ssh-audit finds sound:
// curve25519 (and its post-quantum hybrid) key exchange, AEAD ciphers and
// encrypt-then-MAC MACs; the host key is ed25519 (loadHostKey). Every
// client of the last years has them by default: OpenSSH since 6.5 (2014)
// for curve25519 and chacha20-poly1305, 7.4 for the name
// curve25519-sha256 (Debian 10 has 7.9, Ubuntu 20.04 8.2, Windows 10's
// built-in client 7.7 or later, macOS 12 8.6), PuTTY since 0.68
// (chacha20-poly1305, curve25519, ed25519). No NIST curve, no SHA-1, no
// CBC, no MAC over the plaintext.
func modernOnly(c *gossh.Config) {
	c.KeyExchanges = []string{gossh.KeyExchangeMLKEM768X25519, gossh.KeyExchangeCurve25519, "curve25519-sha256@libssh.org"}
	c.Ciphers = []string{gossh.CipherChaCha20Poly1305, gossh.CipherAES256GCM, gossh.CipherAES128GCM}
	c.MACs = []string{gossh.HMACSHA256ETM, gossh.HMACSHA512ETM}
}

// authLog sees every authentication request of every connection. A success
// moves the connection to its address's authenticated ones in the gate
// (which may close it, beyond MaxPerAddr); a failure is logged with the
// address, the user name and the method. Wrong passcodes are logged by
// askPasscode, which knows each try; "none" (the client asking which
// methods exist) and the first step of a key holder (partial success) are
// not failures.
func (s *Server) authLog(conn gossh.ConnMetadata, method string, err error) {
	s.mu.Lock()
	g := s.gate
	s.mu.Unlock()
	if g != nil && err == nil {
		g.authenticated(conn.RemoteAddr())
	}
	var partial *gossh.PartialSuccessError
	if err == nil {
		s.failedAuth.Delete(conn.RemoteAddr().String())
	} else if method != "none" && !errors.As(err, &partial) {
		s.failedAuth.Store(conn.RemoteAddr().String(), true)
	}
	switch {
	case err == nil:
		s.log.Debug("authenticated", "remote", hostOf(conn.RemoteAddr()), "user", sanitize.Line(conn.User()), "method", method)
	case method == "none", errors.As(err, &partial):
	case method == "keyboard-interactive" && s.access.passcode != nil:
	case method == "publickey":
		s.log.Warn("authentication failed: key refused", "remote", hostOf(conn.RemoteAddr()), "user", sanitize.Line(conn.User()), "method", method, "err", err)
	default:
		s.log.Warn("authentication failed", "remote", hostOf(conn.RemoteAddr()), "user", sanitize.Line(conn.User()), "method", method, "err", err)
	}
}

// connectionFailed logs a connection that ended before it joined (a
// handshake or login that failed or ran out of its window) and counts it
// for the facilitator's screen.
func (s *Server) connectionFailed(c net.Conn, err error) {
	_, failed := s.failedAuth.LoadAndDelete(c.RemoteAddr().String())
	if !failed && (errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF)) {
		// Closed by the gate (counted there), or a client that hung up
		// without trying to log in (a port scan, nc -z).
		return
	}
	s.refusedOne()
	s.log.Warn("login failed", "remote", hostOf(c.RemoteAddr()), "err", err)
}

// refusedOne counts a refused join.
func (s *Server) refusedOne() { s.refused.Add(1) }

// SetCard gives the server the join card its screens show (the addresses
// are known once it listens).
func (s *Server) SetCard(c JoinCard) { s.card.Store(&c) }

// Card is the join card, passcode included, for the facilitator's own
// screen; nil before SetCard.
func (s *Server) Card() *JoinCard { return s.cardFor(review.Facilitator) }

// cardFor is the join card a person's screen gets: without the passcode
// unless they are a facilitator.
func (s *Server) cardFor(role review.Role) *JoinCard {
	c := s.card.Load()
	if c == nil {
		return nil
	}
	out := *c
	if role != review.Facilitator {
		out.Passcode = ""
	}
	return &out
}

// Refused is the number of joins refused since the server started: failed
// logins, connections closed by a limit, sessions refused because the room
// or the address was full. The facilitator's screen shows it, and the log
// says each one.
func (s *Server) Refused() int64 { return s.refused.Load() }

// ListenAndServe listens on Config.Listen and serves.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; choose another address with --listen", s.cfg.Listen, err)
	}
	return s.Serve(l)
}

// Addr is the address the server listens on, once Serve has started.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// HostKeyFingerprint is the SHA-256 fingerprint of the host key, as OpenSSH
// shows it on the first connection: print it so that people can check it.
func (s *Server) HostKeyFingerprint() string { return s.hostFP }

// Shutdown is ShutdownFor(ctx, ReasonStopped).
func (s *Server) Shutdown(ctx context.Context) error { return s.ShutdownFor(ctx, ReasonStopped) }

// ShutdownFor tells every screen why the server stops (Snapshot.Closing),
// then ends every program, so that each restores its client's terminal
// (alternate screen off, cursor shown) and the server writes the reason as
// one sentence on it; it waits for them and for their departures to be
// recorded, then stops the server and waits for the clients to hang up.
// When ctx ends first, the programs still running are killed and the
// connections closed.
func (s *Server) ShutdownFor(ctx context.Context, reason Reason) error {
	s.mu.Lock()
	s.closing = true
	if s.reason == "" {
		s.reason = reason
	}
	progs := make([]*tea.Program, 0, len(s.programs))
	for p := range s.programs {
		progs = append(progs, p)
	}
	s.mu.Unlock()
	s.cfg.Registry.Close(reason)
	for _, p := range progs {
		go p.Quit() // Quit blocks until the program reads it
	}
	done := make(chan struct{})
	go func() {
		s.running.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		for _, p := range progs {
			p.Kill()
		}
	}
	// The listener is closed here too: a Shutdown that comes before the
	// SSH server has registered its listener would otherwise wait for an
	// Accept that never returns, until its deadline.
	s.mu.Lock()
	g := s.gate
	s.mu.Unlock()
	if g != nil {
		_ = g.Close()
	}
	// Closing the listener again is what Shutdown reports as net.ErrClosed,
	// after waiting as it should: not a failure.
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
		_ = s.srv.Close()
		return fmt.Errorf("stop the SSH server: %w", err)
	}
	return nil
}

// closingReason is why the server is stopping, or "" while it is not.
func (s *Server) closingReason() Reason {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason
}

// enter counts a session in, for Shutdown to wait on; it refuses when the
// server is shutting down.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.running.Add(1)
	return true
}

// track registers a running program so that Shutdown can end it; it
// refuses when the server is shutting down.
func (s *Server) track(p *tea.Program) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.programs[p] = struct{}{}
	s.memory.screens(len(s.programs))
	return true
}

func (s *Server) untrack(p *tea.Program) {
	s.mu.Lock()
	delete(s.programs, p)
	s.memory.screens(len(s.programs))
	s.mu.Unlock()
}

// request parses the session's command: `[SESSION] [--watch]`, in any
// order. It returns the request, or a sentence for the person and the exit
// status.
func (s *Server) request(sess ssh.Session) (ModelRequest, string, int) {
	env := sess.Environ()
	lang := s.cfg.Lang
	if lang == "" {
		lang = clientLang(env)
	}
	// Before the session is known, a sentence is in the client's language
	// or French; once it is, in the client's or the session's.
	early := lang
	if early == "" {
		early = defaultLang
	}
	var name string
	watch := false
	for _, arg := range sess.Command() {
		switch {
		case arg == "--watch" || arg == "-w":
			watch = true
		case strings.HasPrefix(arg, "-") || name != "":
			return ModelRequest{}, msg(early, msgUsage), 2
		default:
			name = arg
		}
	}
	actor, id := s.access.identify(sess.Context(), sess.User(), sess.PublicKey(), watch)
	req := ModelRequest{
		Actor:    actor,
		Registry: s.cfg.Registry,
		Environ:  env,
		Card:     s.cardFor(actor.Role),
	}
	ctx := sess.Context()
	names, err := s.cfg.Registry.List(ctx)
	if err != nil {
		s.log.Error("list sessions", "err", err)
		return ModelRequest{}, msg(early, msgInternal), 1
	}
	switch {
	case name != "" && !slices.Contains(names, name):
		return ModelRequest{}, fmt.Sprintf(msg(early, msgUnknown), name, strings.Join(names, ", ")), 1
	case name == "" && len(names) == 1:
		name = names[0]
	}
	if name != "" {
		if req.Hub, err = s.cfg.Registry.Open(ctx, name); err != nil {
			s.log.Error("open session", "session", name, "err", err)
			return ModelRequest{}, msg(early, msgInternal), 1
		}
	}
	if lang == "" {
		lang = sessionLang(req.Hub)
	}
	req.Lang, req.Notice = lang, identityNotice(lang, actor.Name, id)
	return req, "", 0
}

// clientLang is "fr" or "en" when the client's locale names a language
// (French when it starts with fr), and "" when it sends none or a neutral
// one (C, C.UTF-8, POSIX): PuTTY and Windows' ssh send none unless told
// to, and such a person gets the session's language (sessionLang), as the
// guides promise. LC_ALL overrides LC_MESSAGES, which overrides LANG, as
// in POSIX.
func clientLang(env []string) string {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		switch v := vars[k]; {
		case v == "":
			continue
		case v == "C" || v == "POSIX" || strings.HasPrefix(v, "C."):
			return ""
		case strings.HasPrefix(v, "fr"):
			return "fr"
		default:
			return "en"
		}
	}
	return ""
}

// defaultLang is the language of a person whose client names none, before
// a session is chosen or when the session records none: French first.
const defaultLang = "fr"

// sessionLang is the language of a person whose client names none in the
// session h: the session's own (its criteria, its lexical statements),
// else defaultLang.
func sessionLang(h *Hub) string {
	if h != nil {
		if st := h.Snapshot().State; st != nil && st.Language != "" {
			return st.Language
		}
	}
	return defaultLang
}
