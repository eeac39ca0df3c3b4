// Package simroom fills a Revue session with simulated participants, so
// that a facilitator can rehearse alone and the demo recording shows a room
// rather than one person.
//
// Each simulated person is a real SSH client: it logs in to a running Revue
// server with golang.org/x/crypto/ssh, asks for a terminal, feeds what the
// server draws into an x/vt emulator (which also answers the program's
// terminal queries, as xterm would), and types keys at a human pace: it
// reads, moves with j and k, accepts, rejects with a reason from the
// picker, sometimes rewords a link in the editor, and presses f to follow
// the facilitator again after browsing away. Nothing goes around the
// server: every action reaches the trace exactly as a person's would, and
// the server checks the role of every one.
//
// The package knows nothing of the interface's code: it reads the screen as
// a person would, so that it keeps working when the screens change, and it
// only types when the screen shows what it expects (the editor before text,
// the reason picker before a digit). A key typed into the wrong place could
// do something a person never meant; a person who does not see the editor
// open presses Escape and goes on.
package simroom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// Config describes the simulated room.
type Config struct {
	// Addr is the server's address, host:port (for example 127.0.0.1:2222).
	Addr string
	// Session is the review session to join, as in `ssh ... NAME@HOST
	// SESSION`; empty joins the only one the server hosts.
	Session string
	// People is how many join; default 3, at most len(Names).
	People int
	// Seed makes the room reproducible: the same seed gives the same names,
	// paces and choices (what the server answers can still differ).
	Seed int64
	// Lang is the participants' language, "fr" (default) or "en": the LANG
	// their SSH clients send, and the language of what they write.
	Lang string
	// Stdout receives one line per thing a person does ("Camille rejoint la
	// salle"); nil discards them.
	Stdout io.Writer
	// Pace is the mean time between two actions of one person; each person
	// has their own pace around it. Default 4 s, a reading pace.
	Pace time.Duration
	// Passcode is answered to the server's passcode question, if it asks one.
	Passcode string
}

// DefaultPace is a person's mean time between actions when Config.Pace is
// zero: long enough to read a link, short enough for a demo to move on.
const DefaultPace = 4 * time.Second

// DemoSeed is the seed of the demo's room: its first three people (Bastien,
// Camille and Manon) accept, reject and rephrase the first link they see, in
// that order of persona, so that a short recording shows votes, a
// disagreement and a participant's rewording on the same link. A test holds
// it to that.
const DemoSeed = 25

// Names are the simulated people, plausible French first names; a room
// takes the first People of them in an order drawn from the seed.
var Names = []string{
	"Camille", "Léa", "Hugo", "Inès", "Mathis", "Chloé", "Nora", "Julien",
	"Amandine", "Karim", "Sophie", "Thomas", "Élodie", "Yanis", "Margaux", "Lucas",
	"Manon", "Bastien", "Salomé", "Antoine",
}

// readyTimeout bounds the wait for the review screen after login. A busy
// server is slow; one that never shows the screen is not going to.
const readyTimeout = 30 * time.Second

// joinTimeout bounds the wait for one's own name among the people online,
// which a large room may push off the screen.
const joinTimeout = 10 * time.Second

// panelTimeout bounds the wait for a panel after its key (the editor after
// e, the reasons after r). A panel may never open, on a link the
// facilitator sealed for instance: then the person gives up, as one would,
// after a few seconds rather than half a minute.
func (p *person) panelTimeout() time.Duration {
	return min(readyTimeout, max(5*time.Second, 5*p.pace))
}

// Run lets cfg.People simulated participants join the server at cfg.Addr
// one after the other, and act until ctx ends; then each quits its
// interface (q) and hangs up. It returns nil when ctx ended them, or the
// errors of the people who could not join or whose session ended first.
func Run(ctx context.Context, cfg Config) error {
	if cfg.Addr == "" {
		return errors.New("simroom: Config.Addr is empty; give the server's host:port, for example 127.0.0.1:2222")
	}
	if cfg.People <= 0 {
		cfg.People = 3
	}
	if cfg.People > len(Names) {
		return fmt.Errorf("simroom: %d people asked, at most %d can be simulated", cfg.People, len(Names))
	}
	switch cfg.Lang {
	case "":
		cfg.Lang = "fr"
	case "fr", "en":
	default:
		return fmt.Errorf("simroom: language %q is not available; use fr or en", cfg.Lang)
	}
	if cfg.Pace <= 0 {
		cfg.Pace = DefaultPace
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x5eed))
	names := append([]string(nil), Names...)
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })

	r := &room{cfg: cfg, out: &lockedWriter{w: cfg.Stdout}}
	var wg sync.WaitGroup
	errs := make([]error, cfg.People)
	for i := range cfg.People {
		p := &person{
			room:    r,
			name:    names[i],
			persona: personas[i%len(personas)],
			// Between half and twice the room's pace: some read fast.
			pace: time.Duration(float64(cfg.Pace) * (0.5 + 1.5*rng.Float64())),
			rng:  rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64())),
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.run(ctx)
		}()
		// People come in one by one, as they find the room's address.
		if !sleep(ctx, jitter(rng, cfg.Pace/2)) {
			break
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// room is what the people of one run share: the configuration, the output,
// and the server's host key, pinned by the first to connect.
type room struct {
	cfg Config
	out *lockedWriter

	mu      sync.Mutex
	hostKey string // SHA256 fingerprint seen first
}

// checkHostKey trusts the key the first person sees and holds everyone
// after to it, as OpenSSH's known_hosts does from the first connection on:
// a server that changes its key in the middle of a room is not the same
// server.
func (r *room) checkHostKey(_ string, _ net.Addr, key gossh.PublicKey) error {
	fp := gossh.FingerprintSHA256(key)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hostKey == "" {
		r.hostKey = fp
	}
	if fp != r.hostKey {
		return fmt.Errorf("simroom: the server's host key changed from %s to %s during the run", r.hostKey, fp)
	}
	return nil
}

// say writes one line about a person to the room's output.
func (r *room) say(format string, args ...any) {
	fmt.Fprintf(r.out, time.Now().Format("15:04:05")+" "+format+"\n", args...)
}

// persona is how a person tends to judge a link; the weights are relative.
type persona struct {
	accept, reject, rephrase, skip int
	// other is the share, in percent, of rejections given with a reason in
	// the person's own words rather than one of the list.
	other int
}

// personas cycle through the room, so that any room of two or more has both
// a person who tends to agree and one who tends to doubt: disagreement is
// what a facilitator rehearses for.
var personas = []persona{
	{accept: 60, reject: 15, rephrase: 20, skip: 5, other: 10}, // confiante
	{accept: 25, reject: 55, rephrase: 15, skip: 5, other: 30}, // sceptique, réticente à l'IA
	{accept: 35, reject: 25, rephrase: 35, skip: 5, other: 15}, // pointilleuse sur les mots
}

// person is one simulated participant.
type person struct {
	room    *room
	name    string
	persona persona
	pace    time.Duration
	rng     *rand.Rand
	t       *terminal
	voted   bool // on the link on screen, since the last move
}

// run joins, acts until ctx ends, then quits and hangs up.
func (p *person) run(ctx context.Context) error {
	t, err := dial(p.room, p.name)
	if err != nil {
		return fmt.Errorf("simroom: %s could not join %s: %w", p.name, p.room.cfg.Addr, err)
	}
	p.t = t
	defer t.close()
	if !t.waitFor(ctx, readyTimeout, isReviewScreen) {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("simroom: %s joined %s but the review screen did not appear; last screen:\n%s", p.name, p.room.cfg.Addr, t.screen())
	}
	// The screen is drawn before the session has taken the person in, and
	// keys pressed until then are refused ("no proposal on screen"). Once
	// in, the person is in the list of who is online. In a large room the
	// list is cut at the screen's width: then give it a moment and go on.
	t.waitFor(ctx, joinTimeout, func(s string) bool {
		return strings.Contains(s, "•"+p.name) || strings.Contains(s, "★"+p.name)
	})
	p.room.say(p.text("%s rejoint la salle", "%s joins the room"), p.name)
	for {
		if !sleep(ctx, jitter(p.rng, p.pace)) {
			break
		}
		if t.ended() {
			return fmt.Errorf("simroom: the server ended %s's session", p.name)
		}
		p.act(ctx)
	}
	p.leave()
	return nil
}

// leave quits the interface as a person does and waits a little for the
// server to end the session, so that the departure is in the trace before
// the connection closes.
func (p *person) leave() {
	// Escape closes whatever panel is open.
	p.escape(1)
	p.t.press("q")
	p.t.waitEnd(5 * time.Second)
	p.room.say(p.text("%s quitte la salle", "%s leaves the room"), p.name)
}

// escape presses Escape n times, each followed by a pause: Escape and the
// next key arriving together would read as one alt+key.
func (p *person) escape(n int) {
	for range n {
		p.t.press("\x1b")
		sleep(context.Background(), 150*time.Millisecond)
	}
}

// act does one thing: vote on the link on screen, or, having voted, look
// around and come back to the room's link.
func (p *person) act(ctx context.Context) {
	if p.voted {
		switch n := p.rng.IntN(10); {
		case n < 5:
			// Back to the room's link (f), harmless when the room is not
			// following anybody; then read whatever the facilitator shows.
			p.t.press("f")
			p.voted = false
			return
		case n < 8:
			p.t.press("j")
			p.voted = false
			return
		case n < 9:
			p.t.press("k")
			p.voted = false
			return
		}
		// Otherwise change one's mind on the same link.
	}
	w := p.persona
	switch n := p.rng.IntN(w.accept + w.reject + w.rephrase + w.skip); {
	case n < w.accept:
		p.t.press("a")
		p.room.say(p.text("%s accepte", "%s accepts"), p.name)
	case n < w.accept+w.reject:
		if !p.reject(ctx) {
			return
		}
	case n < w.accept+w.reject+w.rephrase:
		if !p.rephrase(ctx) {
			return
		}
	default:
		p.t.press("s")
		p.room.say(p.text("%s passe", "%s skips"), p.name)
	}
	p.voted = true
}

// reject opens the reason picker and chooses a reason by its digit (1 to 4
// are the fixed reasons, 5 "other" with the person's own words). It reports
// whether the rejection was sent: not when a panel did not open.
func (p *person) reject(ctx context.Context) bool {
	p.t.press("r")
	if !p.t.waitFor(ctx, p.panelTimeout(), isReasonPicker) {
		p.escape(1)
		return false
	}
	sleep(ctx, jitter(p.rng, p.pace/4))
	if p.rng.IntN(100) < p.persona.other {
		p.t.press("5")
		p.t.press("\r")
		if !p.t.waitFor(ctx, p.panelTimeout(), isFreeText) {
			p.escape(2)
			return false
		}
		reason := pick(p.rng, p.room.cfg.Lang, otherReasons)
		p.typeText(ctx, reason)
		p.t.press("\r")
		p.room.say(p.text("%s rejette : « %s »", "%s rejects: \"%s\""), p.name, reason)
		return true
	}
	n := 1 + p.rng.IntN(4)
	p.t.press(fmt.Sprint(n))
	p.t.press("\r")
	p.room.say(p.text("%s rejette (raison %d)", "%s rejects (reason %d)"), p.name, n)
	return true
}

// rephrase opens the editor, replaces the statement with the person's own
// wording and saves it (ctrl+s). It reports whether the wording was sent.
func (p *person) rephrase(ctx context.Context) bool {
	p.t.press("e")
	if !p.t.waitFor(ctx, p.panelTimeout(), isEditor) {
		p.escape(1)
		return false
	}
	sleep(ctx, jitter(p.rng, p.pace/3))
	// ctrl+e then ctrl+u: to the end of the statement, then delete all
	// before the cursor; a statement is one paragraph.
	p.t.press("\x05\x15")
	text := pick(p.rng, p.room.cfg.Lang, rewordings)
	p.typeText(ctx, text)
	sleep(ctx, jitter(p.rng, p.pace/4))
	p.t.press("\x13")
	p.room.say(p.text("%s reformule : « %s »", "%s rephrases: \"%s\""), p.name, text)
	return true
}

// typeText types s one character at a time, at a typist's speed scaled to
// the person's pace (fast in tests, about 60 ms a key at the default pace).
func (p *person) typeText(ctx context.Context, s string) {
	per := min(max(p.pace/70, time.Millisecond), 120*time.Millisecond)
	for _, r := range s {
		p.t.press(string(r))
		if !sleep(ctx, jitter(p.rng, per)) {
			return
		}
	}
}

func (p *person) text(fr, en string) string {
	if p.room.cfg.Lang == "en" {
		return en
	}
	return fr
}

// rewordings are what the people write when they rephrase a link: the
// hedges and precisions a careful reader adds to any link, in each
// language.
var rewordings = map[string][]string{
	"fr": {
		"Le passage illustre ce critère, mais seulement en partie.",
		"Ce passage montre le critère en pratique, pas seulement en principe.",
		"Le lien tient, à condition de citer la règle telle qu'elle est écrite.",
		"Le passage décrit une intention plus qu'une pratique établie.",
	},
	"en": {
		"The passage illustrates this criterion, but only in part.",
		"This passage shows the criterion in practice, not only in principle.",
		"The link holds if the rule is quoted as it is written.",
		"The passage describes an intention more than an established practice.",
	},
}

// otherReasons are rejections in a person's own words.
var otherReasons = map[string][]string{
	"fr": {
		"Le passage parle du budget, pas de la façon de décider.",
		"Je ne valide pas un lien que la machine a trouvé sans lire tout le document.",
		"Il faudrait le contexte du compte rendu entier.",
	},
	"en": {
		"The passage is about the budget, not about how decisions are made.",
		"I will not approve a link the machine found without reading the whole document.",
		"This needs the context of the whole report.",
	},
}

func pick(rng *rand.Rand, lang string, from map[string][]string) string {
	list := from[lang]
	return list[rng.IntN(len(list))]
}

// What the screens look like, read as a person reads them. They are
// deliberately loose: the review screen has a progress count ("3/35"), the
// reason picker asks why to reject the link, the editor says how to save
// (ctrl+s), the free-text reason asks for it.
var progress = regexp.MustCompile(`\d+/\d+`)

func isReviewScreen(s string) bool { return progress.MatchString(s) }

func isReasonPicker(s string) bool {
	return strings.Contains(s, "rejeter ce lien") || strings.Contains(s, "reject this link")
}

func isEditor(s string) bool { return strings.Contains(s, "ctrl+s") }

func isFreeText(s string) bool {
	return strings.Contains(s, "Raison : ") || strings.Contains(s, "Reason: ")
}

// jitter draws a duration around mean: exponential, as the gaps between a
// person's actions are, but kept between a fifth and three times the mean
// so that nobody freezes or races.
func jitter(rng *rand.Rand, mean time.Duration) time.Duration {
	f := min(max(rng.ExpFloat64(), 0.2), 3)
	return time.Duration(float64(mean) * f)
}

// sleep waits d or until ctx ends; it reports whether ctx is still alive.
// This is the simulated pace, not a synchronisation.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// terminal is one person's SSH session and the emulator that reads it.
type terminal struct {
	conn  *gossh.Client
	sess  *gossh.Session
	stdin io.Writer

	mu      sync.Mutex
	vt      *vt.Emulator
	changed chan struct{} // one slot: the screen may have changed
	done    chan struct{} // closed when the server ended the session
}

// Size of every simulated screen: the smallest the interface is designed
// for, which costs the server least.
const width, height = 80, 24

// dial logs in as name, asks for a terminal and starts the session.
func dial(r *room, name string) (*terminal, error) {
	cfg := &gossh.ClientConfig{
		User: name,
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
			answers := make([]string, len(questions))
			for i := range answers {
				answers[i] = r.cfg.Passcode
			}
			return answers, nil
		})},
		HostKeyCallback: r.checkHostKey,
		Timeout:         readyTimeout,
	}
	conn, err := gossh.Dial("tcp", r.cfg.Addr, cfg)
	if err != nil {
		return nil, err
	}
	t, err := start(conn, r.cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return t, nil
}

func start(conn *gossh.Client, cfg Config) (*terminal, error) {
	sess, err := conn.NewSession()
	if err != nil {
		return nil, err
	}
	lang := "fr_FR.UTF-8"
	if cfg.Lang == "en" {
		lang = "en_GB.UTF-8"
	}
	// Like OpenSSH's SendEnv LANG; a server that refuses it is not an error.
	_ = sess.Setenv("LANG", lang)
	if err := sess.RequestPty("xterm-256color", height, width, gossh.TerminalModes{}); err != nil {
		return nil, err
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	sess.Stderr = io.Discard
	if cfg.Session == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(cfg.Session)
	}
	if err != nil {
		return nil, err
	}
	t := &terminal{conn: conn, sess: sess, stdin: stdin, vt: vt.NewEmulator(width, height), changed: make(chan struct{}, 1), done: make(chan struct{})}
	// The emulator answers the program's queries (cursor position,
	// background colour) through its pipe: copy them back, or it blocks.
	go func() { _, _ = io.Copy(stdin, t.vt) }()
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := stdout.Read(buf)
			if n > 0 {
				t.mu.Lock()
				_, _ = t.vt.Write(buf[:n])
				t.mu.Unlock()
				t.poke()
			}
			if err != nil {
				break
			}
		}
		_ = sess.Wait()
		close(t.done)
		t.poke()
	}()
	return t, nil
}

func (t *terminal) poke() {
	select {
	case t.changed <- struct{}{}:
	default:
	}
}

// press types keys; a session that has ended swallows them.
func (t *terminal) press(keys string) { _, _ = io.WriteString(t.stdin, keys) }

func (t *terminal) screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.vt.String()
}

func (t *terminal) ended() bool {
	select {
	case <-t.done:
		return true
	default:
		return false
	}
}

// waitFor waits until the screen satisfies ok, ctx ends, the session ends
// or limit passes, and reports whether the screen did.
func (t *terminal) waitFor(ctx context.Context, limit time.Duration, ok func(string) bool) bool {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		if ok(t.screen()) {
			return true
		}
		select {
		case <-t.changed:
		case <-t.done:
			return ok(t.screen())
		case <-ctx.Done():
			return false
		case <-timer.C:
			return false
		}
	}
}

// waitEnd waits for the server to end the session, at most limit.
func (t *terminal) waitEnd(limit time.Duration) {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-t.done:
	case <-timer.C:
	}
}

// close hangs up, as OpenSSH does when the session ends, and ends the
// goroutine that copies the emulator's replies.
func (t *terminal) close() {
	t.conn.Close()
	if c, ok := t.vt.InputPipe().(io.Closer); ok {
		_ = c.Close()
	}
}
