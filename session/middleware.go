package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/colorprofile"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// The sentences the server itself says to a person, before or after the
// interface runs. The interface has its own.
type msgID int

const (
	msgUsage msgID = iota
	msgUnknown
	msgNoPTY
	msgInternal
	msgLimited
	msgClosing
	msgEnded
	msgRoomFull
	msgAddrFull
	msgRenamed
	msgCode
)

var messages = map[string][]string{
	"en": {
		msgUsage:    "Usage: ssh -t -p PORT NAME@HOST [SESSION] [--watch]",
		msgUnknown:  "There is no session %q here; the sessions are: %s.",
		msgNoPTY:    "Revue needs a terminal: connect with ssh -t -p PORT NAME@HOST [SESSION].",
		msgInternal: "Revue hit an internal error and closed this connection; the facilitator can read the details in the server's log. Please reconnect.",
		msgLimited:  "Too many connections from your address in a short time; wait a minute and reconnect.",
		msgClosing:  "The Revue server is shutting down.",
		msgEnded:    "The server is stopping: the facilitator ended the session.",
		msgRoomFull: "The room is full: %s, the most this server takes. Tell the facilitator (who can restart it with a higher --max-conns), or try again when someone leaves.",
		msgAddrFull: "Too many sessions from your address (%s at once). Close the ones you no longer use, then reconnect; if the whole room shares this address, tell the facilitator (who can restart the server with a higher --max-per-address).",
		msgRenamed:  "The name \"%s\" belongs to someone else here: you are \"%s\".",
		msgCode:     "Your personal code: %s. Keep it to come back as \"%s\" (ssh asks for it when the name is taken).",
	},
	"fr": {
		msgUsage:    "Usage : ssh -t -p PORT NOM@HÔTE [SESSION] [--watch]",
		msgUnknown:  "Il n'y a pas de session %q ici ; les sessions sont : %s.",
		msgNoPTY:    "Revue a besoin d'un terminal : connectez-vous avec ssh -t -p PORT NOM@HÔTE [SESSION].",
		msgInternal: "Revue a rencontré une erreur interne et a fermé cette connexion ; l'animateur ou l'animatrice en trouve le détail dans le journal du serveur. Reconnectez-vous.",
		msgLimited:  "Trop de connexions depuis votre adresse en peu de temps ; attendez une minute puis reconnectez-vous.",
		msgClosing:  "Le serveur Revue s'arrête.",
		msgEnded:    "Le serveur s'arrête : l'animation a terminé la séance.",
		msgRoomFull: "La salle est pleine : %s, le maximum que ce serveur accepte. Prévenez l'animation (qui peut le relancer avec un --max-conns plus grand), ou réessayez quand quelqu'un part.",
		msgAddrFull: "Trop de sessions depuis votre adresse (%s à la fois). Fermez celles qui ne servent plus, puis reconnectez-vous ; si toute la salle partage cette adresse, prévenez l'animation (qui peut relancer le serveur avec un --max-per-address plus grand).",
		msgRenamed:  "Le nom « %s » est à quelqu'un d'autre ici : vous êtes « %s ».",
		msgCode:     "Votre code personnel : %s. Gardez-le pour revenir sous le nom « %s » (ssh le demande quand le nom est pris).",
	},
}

func msg(lang string, id msgID) string {
	if m, ok := messages[lang]; ok {
		return m[id]
	}
	return messages["en"][id]
}

// receiptSentence gives a person leaving the session's receipt: the code
// of its head (review.ReceiptCode) and its number of events, which
// `revue verify NAME --receipt CODE/N` checks a later copy of the trace
// against.
func receiptSentence(lang string, st *review.State) string {
	var seq int64
	var hash string
	if n := len(st.Events); n > 0 {
		seq, hash = st.Events[n-1].Seq, st.Events[n-1].Hash
	}
	code := review.ReceiptCode(st.Name, seq, hash)
	events := review.FormatCount(lang, len(st.Events), "événement", "événements", "event", "events")
	if lang == "fr" {
		return fmt.Sprintf("Reçu de séance : %s, %s. Gardez-le : il permet de vérifier plus tard que la trace n'a pas été réécrite.", code, events)
	}
	return fmt.Sprintf("Session receipt: %s, %s. Keep it: it lets anyone check later that the trace was not rewritten.", code, events)
}

// closingSentence says why the server ends a screen.
func closingSentence(lang string, r Reason) string {
	if r == ReasonEnded {
		return msg(lang, msgEnded)
	}
	return msg(lang, msgClosing)
}

// lang is the language of a session before its request is resolved.
func (s *Server) lang(sess ssh.Session) string {
	if s.cfg.Lang != "" {
		return s.cfg.Lang
	}
	if l := clientLang(sess.Environ()); l != "" {
		return l
	}
	return defaultLang
}

// say writes one sentence to the client's stderr and ends the session with
// status code.
func say(sess ssh.Session, text string, code int) {
	_, _ = fmt.Fprintln(sess.Stderr(), text)
	_ = sess.Exit(code)
}

// recover turns a panic in the chain into a log entry with its stack and a
// sentence for the person. Panics inside the Bubble Tea program are caught
// by Bubble Tea itself, which restores the terminal; program reports those.
func (s *Server) recover(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in SSH session", "user", sess.User(), "remote", sess.RemoteAddr(), "panic", r, "stack", string(debug.Stack()))
				say(sess, msg(s.lang(sess), msgInternal), 1)
			}
		}()
		next(sess)
	}
}

// requirePTY refuses sessions without a terminal (`ssh HOST` piped, or
// without -t when a command is given) with a sentence that says what to
// type. Wish's activeterm says "Requires an active PTY", which a
// participant who is not a developer cannot act on.
func (s *Server) requirePTY(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if _, _, ok := sess.Pty(); !ok {
			say(sess, msg(s.lang(sess), msgNoPTY), 1)
			return
		}
		next(sess)
	}
}

// route resolves the session's request (person, language, review session)
// and refuses an unknown session name with the list of those served. It
// sends the exit status the inner steps chose only once they have all
// returned, so that the departure is in the trace before the client sees
// the end.
func (s *Server) route(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		req, text, code := s.request(sess)
		if text != "" {
			say(sess, text, code)
			return
		}
		c := &conn{req: req}
		s.conns.Store(sess, c)
		defer s.conns.Delete(sess)
		next(sess)
		if c.exit != 0 {
			_ = sess.Exit(c.exit)
		}
	}
}

// conn is what the steps of one session's chain share: they may not use
// the connection's context for it, which several sessions can share.
type conn struct {
	req  ModelRequest
	exit int // the exit status, when not 0
}

// presence gives the session its Seat and empties it when the handler
// returns, however the program ended. The connection's context is not the
// signal: it outlives the session when a client multiplexes several
// sessions on one connection. Shutdown waits for it.
func (s *Server) presence(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v, _ := s.conns.Load(sess)
		c := v.(*conn)
		if !s.enter() {
			_, _ = fmt.Fprintln(sess.Stderr(), msg(c.req.Lang, msgClosing))
			c.exit = 1
			return
		}
		defer s.running.Done()
		c.req.Seat = &Seat{}
		defer func() {
			// The connection may be gone: record the departure on a
			// context of its own.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if h := c.req.Seat.Leave(ctx); h != nil {
				// The last thing on the person's screen: the session's
				// receipt, their departure included (docs/codebook.md).
				_, _ = fmt.Fprintln(sess.Stderr(), receiptSentence(c.req.Lang, h.Snapshot().State))
			}
		}()
		next(sess)
	}
}

// program runs the session's Bubble Tea program. It is Wish's
// bubbletea.Middleware loop (bubbletea.MakeOptions for input, output,
// colour profile, environment and size; window changes forwarded), with
// five differences: the frames are drawn by screen, not by Bubble Tea's
// renderer, and reach it without their trailing blanks (lightFrames); every program gets tea.WithoutSignalHandler, so that
// none reacts to the server's own SIGINT; the program is tracked for
// Shutdown; and the error Run returns is kept, so that a panic in the
// interface (which Bubble Tea catches, restoring the terminal) is told to
// the person and logged, where Wish's middleware drops it.
func (s *Server) program(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v, _ := s.conns.Load(sess)
		c := v.(*conn)
		req := &c.req
		if req.Notice != "" {
			// Before the interface's alternate screen: the sentence is
			// there again when it ends, or when the connection drops.
			_, _ = io.WriteString(sess, req.Notice+"\r\n")
		}
		// The frames are drawn by a screen of our own, only when one
		// changes (see screen). Without its renderer Bubble Tea still
		// writes its terminal queries on a ticker: once a second is enough
		// for them, and wakes a quiet program once a second instead of 60
		// times.
		opts := append([]tea.ProgramOption{tea.WithoutSignalHandler(), tea.WithoutRenderer(), tea.WithFPS(1)}, bubbletea.MakeOptions(sess)...)
		model := s.cfg.NewModel(*req)
		scr := sessionScreen(sess)
		p := tea.NewProgram(&lightFrames{Model: model, scr: scr}, opts...)
		if !s.track(p) {
			scr.close()
			_, _ = fmt.Fprintln(sess.Stderr(), msg(req.Lang, msgClosing))
			c.exit = 1
			return
		}
		defer s.untrack(p)

		_, winch, _ := sess.Pty()
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		go func() {
			for {
				select {
				case <-ctx.Done():
					p.Quit()
					return
				case w, ok := <-winch:
					if !ok { // the client closed this session's channel
						p.Quit()
						return
					}
					p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		// Bubble Tea starts its ticker when Run begins: starting every
		// program on a tenth of a second of the clock puts the room's
		// tickers on ten instants, and the machine wakes ten times a
		// second for them instead of once per program.
		select {
		case <-time.After(tickerDelay(time.Now())):
		case <-ctx.Done():
		}
		_, err := p.Run()
		p.Kill() // restores the terminal if Run left early
		scr.close()
		if f, ok := model.(interface{ Flush(context.Context) }); ok {
			// A dropped connection ends the program without its quit
			// path: what was still on the screen is recorded now
			// (the interface's last exposure interval), before leaving.
			fctx, fcancel := context.WithTimeout(context.Background(), 10*time.Second)
			f.Flush(fctx)
			fcancel()
		}
		switch {
		case errors.Is(err, tea.ErrProgramPanic):
			s.log.Error("the interface panicked", "user", req.Actor.Name, "err", err)
			_, _ = fmt.Fprintln(sess.Stderr(), msg(req.Lang, msgInternal))
			c.exit = 1
			return
		case err != nil && !errors.Is(err, tea.ErrProgramKilled):
			s.log.Warn("program ended with an error", "user", req.Actor.Name, "err", err)
		}
		if r := s.closingReason(); r != "" {
			// The terminal is restored: the sentence stays on the person's
			// screen once the connection is gone. The terminal is still in
			// raw mode, hence the carriage return.
			_, _ = io.WriteString(sess, "\r\n"+closingSentence(req.Lang, r)+"\r\n")
		}
		next(sess)
	}
}

// sessionCount counts the interface sessions open, in all and per address
// group.
type sessionCount struct {
	mu     sync.Mutex
	total  int
	byAddr map[string]int
}

// take counts one more session of group unless the room (max) or the
// group (per) is full; it says which.
func (c *sessionCount) take(group string, max, per int) (full, addrFull bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAddr == nil {
		c.byAddr = map[string]int{}
	}
	switch {
	case c.total >= max:
		return true, false
	case c.byAddr[group] >= per:
		return false, true
	}
	c.total++
	c.byAddr[group]++
	return false, false
}

func (c *sessionCount) put(group string) {
	c.mu.Lock()
	c.total--
	if c.byAddr[group]--; c.byAddr[group] <= 0 {
		delete(c.byAddr, group)
	}
	c.mu.Unlock()
}

// limitSessions refuses, with a sentence in the person's language, a
// session beyond the size of the room (Config.MaxConns) or beyond the
// share of one address (Config.MaxPerAddr), so that one address opening
// hundreds of sessions cannot take the room's place.
func (s *Server) limitSessions(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ip := hostOf(sess.RemoteAddr())
		grp := addrGroup(ip)
		full, addrFull := s.sessions.take(grp, s.cfg.MaxConns, s.cfg.MaxPerAddr)
		if full || addrFull {
			why, id, limit := "the room is full", msgRoomFull, s.cfg.MaxConns
			if addrFull {
				why, id, limit = "too many sessions from one address", msgAddrFull, s.cfg.MaxPerAddr
			}
			s.refusedOne()
			s.log.Warn("session refused: "+why, "remote", ip, "user", sanitize.Line(sess.User()), "limit", limit)
			lang := s.lang(sess)
			n := fmt.Sprint(limit)
			if !addrFull {
				n = review.FormatCount(lang, limit, "personne est connectée", "personnes sont connectées", "person is connected", "people are connected")
			}
			say(sess, fmt.Sprintf(msg(lang, id), n), 1)
			hangUp(sess)
			return
		}
		defer s.sessions.put(grp)
		next(sess)
	}
}

// hangUp closes the connection of a session refused by a limit, once the
// sentence is sent: a client that keeps it open would otherwise hold an
// authenticated connection for nothing.
func hangUp(sess ssh.Session) {
	if c, ok := sess.Context().Value(ssh.ContextKeyConn).(interface{ Close() error }); ok {
		_ = c.Close()
	}
}

// rateLimit refuses sessions beyond the limiter's allowance.
func (s *Server) rateLimit(l *limiter) func(ssh.Handler) ssh.Handler {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			ip := sess.RemoteAddr().String()
			if a, ok := sess.RemoteAddr().(*net.TCPAddr); ok {
				ip = a.IP.String()
			}
			if !l.allow(ip, sess.User()) {
				s.refusedOne()
				s.log.Warn("session refused: rate limited", "remote", ip, "user", sanitize.Line(sess.User()))
				say(sess, msg(s.lang(sess), msgLimited), 1)
				return
			}
			next(sess)
		}
	}
}

// limits are the two token buckets of the limiter: a burst, then one more
// session every per.
type limits struct {
	userBurst, ipBurst float64
	userPer, ipPer     time.Duration
}

// defaultLimits suit a workshop: a room of thirty behind one Wi-Fi router
// shares one public address, and everybody connects within the same minute,
// so the bucket of an address is large (300 sessions, then 5 a second). The
// bucket of an address and a user name is small (10, then one every 6 s):
// it stops one person's reconnect loop without touching their neighbours.
// Wish's ratelimiter keys by address alone, which forces a choice between
// locking a room out and not limiting at all.
var defaultLimits = limits{userBurst: 10, userPer: 6 * time.Second, ipBurst: 300, ipPer: 200 * time.Millisecond}

// maxBuckets bounds the limiter's memory: beyond it, full buckets (which
// carry no information) are forgotten, and if more than half remain, all
// are: the limits start afresh rather than the server running out of
// memory. Either way the next pruning is at least maxBuckets/2 new clients
// away, so that its cost stays constant per session.
const maxBuckets = 10000

type bucket struct {
	tokens float64
	last   time.Time
}

// limiter is a pair of token buckets per client: one for its address, one
// for its address and user name. A session needs a token from both.
type limiter struct {
	lim limits
	now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

func newLimiter(l limits) *limiter {
	return &limiter{lim: l, now: time.Now, buckets: map[string]*bucket{}}
}

func (l *limiter) allow(ip, user string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.buckets) > maxBuckets {
		l.pruneLocked(now)
		if len(l.buckets) > maxBuckets/2 {
			clear(l.buckets)
		}
	}
	a := l.refillLocked("ip\x00"+ip, l.lim.ipBurst, l.lim.ipPer, now)
	b := l.refillLocked("user\x00"+ip+"\x00"+user, l.lim.userBurst, l.lim.userPer, now)
	if a.tokens < 1 || b.tokens < 1 {
		return false
	}
	a.tokens--
	b.tokens--
	return true
}

func (l *limiter) refillLocked(key string, burst float64, per time.Duration, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: burst, last: now}
		l.buckets[key] = b
		return b
	}
	b.tokens = min(burst, b.tokens+float64(now.Sub(b.last))/float64(per))
	b.last = now
	return b
}

func (l *limiter) pruneLocked(now time.Time) {
	for k, b := range l.buckets {
		burst, per := l.lim.userBurst, l.lim.userPer
		if k[:2] == "ip" {
			burst, per = l.lim.ipBurst, l.lim.ipPer
		}
		if b.tokens+float64(now.Sub(b.last))/float64(per) >= burst {
			delete(l.buckets, k)
		}
	}
}

// sessionScreen is the screen of an SSH session: its output, its colour
// profile and its size as Wish's bubbletea.MakeOptions gives them to a
// program.
func sessionScreen(sess ssh.Session) *screen {
	pty, _, _ := sess.Pty()
	env := append(sess.Environ(), "TERM="+pty.Term)
	if f := ptyFile(pty); !sess.EmulatedPty() && f != nil {
		return newScreen(f, colorprofile.Detect(f, env), pty.Window.Width, pty.Window.Height)
	}
	return newScreen(sess, colorprofile.Env(env), pty.Window.Width, pty.Window.Height)
}

// tickerPhase is the grid the programs start on (see program): a room of
// 100 idle screens cost the server 0.007 cores with their tickers at
// random instants, 0.004 on ten instants (BENCHMARKS.md). A connection
// waits at most this long more for its first screen.
const tickerPhase = time.Second / 10

// tickerDelay is how long a program that would start at now waits to start
// on the next multiple of tickerPhase of the clock.
func tickerDelay(now time.Time) time.Duration {
	if off := time.Duration(now.UnixNano() % int64(tickerPhase)); off > 0 {
		return tickerPhase - off
	}
	return 0
}
