package session_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// probeConfig serves w's sessions with the probe interface.
func probeConfig(w *world) session.Config {
	return session.Config{Registry: w.reg, NewModel: newProbe}
}

// writeKeys writes an authorized_keys file of the given keys.
func writeKeys(t *testing.T, keys ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte("# test keys\n\n"+strings.Join(keys, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTwoParticipantsSeeEachOther(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	alice := dial(t, srv, clientConfig(srv, "alice", passcode(new(int), "")), termOpts{})
	bob := dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{})
	alice.waitText("session=jardin online=2")
	bob.waitText("session=jardin online=2", "L1 pending votes=0")

	alice.press("a")
	bob.waitText("L1 pending votes=1")
	votes := w.kinds(t, "jardin", review.KindVoteCast)
	if len(votes) != 1 || votes[0].Actor.Name != "alice" || votes[0].Actor.Role != review.Participant {
		t.Fatalf("stored votes = %+v, want one by alice as participant", votes)
	}
}

func TestSpectatorCannotAct(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	eve := dial(t, srv, clientConfig(srv, "eve", passcode(new(int), "")), termOpts{command: "jardin --watch"})
	eve.waitText("role=spectator", "L1 pending votes=0")
	eve.press("a")
	eve.waitText("error: not allowed")
	if votes := w.kinds(t, "jardin", review.KindVoteCast); len(votes) != 0 {
		t.Fatalf("a spectator's key press was stored: %+v", votes)
	}

	// The refusal is the hub's, not the interface's: any interface is held
	// to it.
	h, err := w.reg.Open(context.Background(), "jardin")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []review.Kind{review.KindVoteCast, review.KindDecisionMade, review.KindCommentAdded} {
		_, err := h.Do(context.Background(), review.Actor{Name: "eve", Role: review.Spectator}, kind, review.VoteData{Proposal: "L1", Verdict: review.Accept})
		if !errors.Is(err, session.ErrForbidden) {
			t.Errorf("spectator %s: err = %v, want ErrForbidden", kind, err)
		}
	}
	_, err = h.Do(context.Background(), review.Actor{Name: "bob", Role: review.Participant}, review.KindDecisionMade, review.VoteData{Proposal: "L1", Verdict: review.Accept})
	if !errors.Is(err, session.ErrForbidden) {
		t.Errorf("participant decision: err = %v, want ErrForbidden", err)
	}
}

func TestFacilitatorDecides(t *testing.T) {
	w := newWorld(t, "", "jardin")
	fac := newKey(t)
	cfg := probeConfig(w)
	cfg.Facilitators = writeKeys(t, fac.AuthorizedKey())
	srv := serve(t, cfg)
	anna := dial(t, srv, clientConfig(srv, "anna", gossh.PublicKeys(fac.Signer())), termOpts{})
	bob := dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{})
	anna.waitText("role=facilitator", "fp="+gossh.FingerprintSHA256(fac.PublicKey())+";")
	bob.waitText("role=participant", "online=2")
	anna.press("a")
	bob.waitText("L1 accepted")
}

func TestPasscode(t *testing.T) {
	fac, member, stranger := newKey(t), newKey(t), newKey(t)
	fp := func(k interface{ PublicKey() gossh.PublicKey }) string { return gossh.FingerprintSHA256(k.PublicKey()) }
	tests := []struct {
		name       string
		authorized bool // an --authorized-keys list (member) as well
		answers    []string
		keys       []gossh.Signer
		ok         bool
		asked      int // passcode questions the server asked
		role       review.Role
		fp         string
	}{
		{name: "right", answers: []string{"tomate"}, ok: true, asked: 1, role: review.Participant},
		{name: "third try", answers: []string{"poireau", "radis", "tomate"}, ok: true, asked: 3, role: review.Participant},
		{name: "three wrong", answers: []string{"poireau", "radis", "navet", "tomate"}, asked: 3},
		{name: "a key alone is not the passcode", keys: []gossh.Signer{stranger.Signer()}},
		{name: "a facilitator's key alone is not the passcode", keys: []gossh.Signer{fac.Signer()}},
		{name: "a key, then the passcode", keys: []gossh.Signer{stranger.Signer()}, answers: []string{"tomate"}, ok: true, asked: 1, role: review.Participant, fp: fp(stranger)},
		{name: "a key, then a wrong passcode", keys: []gossh.Signer{stranger.Signer()}, answers: []string{"radis"}, asked: 3},
		{name: "a facilitator's key, then the passcode", keys: []gossh.Signer{fac.Signer()}, answers: []string{"tomate"}, ok: true, asked: 1, role: review.Facilitator, fp: fp(fac)},
		{name: "list: a listed key, then the passcode", authorized: true, keys: []gossh.Signer{member.Signer()}, answers: []string{"tomate"}, ok: true, asked: 1, role: review.Participant, fp: fp(member)},
		{name: "list: an unlisted key", authorized: true, keys: []gossh.Signer{stranger.Signer()}, answers: []string{"tomate"}},
		{name: "list: no key", authorized: true, answers: []string{"tomate"}},
	}
	w := newWorld(t, "", "jardin")
	servers := map[bool]*session.Server{}
	for _, authorized := range []bool{false, true} {
		cfg := probeConfig(w)
		cfg.Passcode = "tomate"
		cfg.Facilitators = writeKeys(t, fac.AuthorizedKey())
		if authorized {
			cfg.AuthorizedKeys = writeKeys(t, member.AuthorizedKey())
		}
		servers[authorized] = serve(t, cfg)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := servers[tt.authorized]
			var auth []gossh.AuthMethod
			if tt.keys != nil {
				auth = append(auth, gossh.PublicKeys(tt.keys...))
			}
			asked := 0
			if tt.answers != nil {
				auth = append(auth, passcode(&asked, tt.answers...))
			}
			// One name per case: the wrong passcodes of one case must not
			// slow the next (the guard counts failures per address and
			// name; TestWrongPasscodesAreSlowedThenRefused tests it).
			tm, err := tryDial(t, srv, clientConfig(srv, "paul-"+strings.ReplaceAll(tt.name, " ", "-"), auth...), termOpts{})
			if (err == nil) != tt.ok {
				t.Fatalf("login err = %v, want ok=%v", err, tt.ok)
			}
			if asked != tt.asked {
				t.Errorf("the server asked the passcode %d times, want %d", asked, tt.asked)
			}
			if tt.ok {
				tm.waitText("role="+string(tt.role), "fp="+tt.fp+";")
			}
		})
	}
}

// TestWrongPasscodeIsSaid: after a wrong passcode, the question that comes
// again says why, in both languages (the session's is not known yet) and
// in ASCII, as OpenSSH shows instructions; the first question says nothing.
func TestWrongPasscodeIsSaid(t *testing.T) {
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.Passcode = "tomate"
	srv := serve(t, cfg)
	var instructions []string
	answers := []string{"radis", "tomate"}
	auth := gossh.KeyboardInteractive(func(_, instruction string, questions []string, _ []bool) ([]string, error) {
		out := make([]string, len(questions))
		for i := range questions {
			instructions = append(instructions, instruction)
			out[i] = answers[min(len(instructions), len(answers))-1]
		}
		return out, nil
	})
	tm := dial(t, srv, clientConfig(srv, "paul", auth), termOpts{})
	tm.waitText("role=participant")
	want := "Code d'acces faux : reessayez. / Wrong passcode: try again.\n"
	if len(instructions) != 2 || instructions[0] != "" || instructions[1] != want {
		t.Errorf("the passcode questions' instructions: %q, want %q then %q", instructions, "", want)
	}
}

func TestAuthorizedKeys(t *testing.T) {
	w := newWorld(t, "", "jardin")
	member, fac, stranger := newKey(t), newKey(t), newKey(t)
	cfg := probeConfig(w)
	cfg.AuthorizedKeys = writeKeys(t, member.AuthorizedKey())
	cfg.Facilitators = writeKeys(t, fac.AuthorizedKey())
	srv := serve(t, cfg)
	tests := []struct {
		name string
		auth []gossh.AuthMethod
		role review.Role // "" means refused
	}{
		{"listed key", []gossh.AuthMethod{gossh.PublicKeys(member.Signer())}, review.Participant},
		{"facilitator key, implicitly allowed", []gossh.AuthMethod{gossh.PublicKeys(fac.Signer())}, review.Facilitator},
		{"unlisted key", []gossh.AuthMethod{gossh.PublicKeys(stranger.Signer())}, ""},
		{"no key at all", []gossh.AuthMethod{passcode(new(int), "")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := tryDial(t, srv, clientConfig(srv, "paul", tt.auth...), termOpts{})
			if tt.role == "" {
				if err == nil {
					t.Fatal("logged in, want refused")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tm.waitText("role=" + string(tt.role))
		})
	}
}

// TestOfferedKeyIsNotIdentity is the regression test of CVE-2024-45337: a
// client offers the facilitator's public key, which the server approves as
// worth trying, but cannot sign with it, then logs in another way. It must
// not become the facilitator, nor carry the facilitator's fingerprint.
func TestOfferedKeyIsNotIdentity(t *testing.T) {
	fac, mallory := newKey(t), newKey(t)
	offerOnly := lyingSigner{offered: fac.PublicKey()}
	signsWithHers := lyingSigner{offered: fac.PublicKey(), signer: mallory.Signer()}
	facFP := gossh.FingerprintSHA256(fac.PublicKey())
	tests := []struct {
		name     string
		passcode string
		auth     []gossh.AuthMethod
		refused  bool
	}{
		{"open: offered, then no key", "", []gossh.AuthMethod{gossh.PublicKeys(offerOnly), passcode(new(int), "")}, false},
		{"passcode: offered, then the passcode", "tomate", []gossh.AuthMethod{gossh.PublicKeys(offerOnly), passcode(new(int), "tomate")}, false},
		// x/crypto/ssh drops the connection at a bad signature.
		{"open: offered, signed with her own key", "", []gossh.AuthMethod{gossh.PublicKeys(signsWithHers), passcode(new(int), "")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, "", "jardin")
			cfg := probeConfig(w)
			cfg.Passcode = tt.passcode
			cfg.Facilitators = writeKeys(t, fac.AuthorizedKey())
			srv := serve(t, cfg)
			tm, err := tryDial(t, srv, clientConfig(srv, "mallory", tt.auth...), termOpts{})
			if tt.refused {
				if err == nil {
					t.Fatalf("logged in with a key signed by another key:\n%s", tm.waitText("role="))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			screen := tm.waitText("role=participant", "fp=;", "online=1")
			if strings.Contains(screen, facFP) {
				t.Fatalf("the session carries the offered facilitator key:\n%s", screen)
			}
			joins := w.kinds(t, "jardin", review.KindParticipantJoin)
			if len(joins) != 1 || joins[0].Actor.Role != review.Participant || joins[0].Actor.Fingerprint != "" {
				t.Fatalf("stored join = %+v, want a participant without a fingerprint", joins)
			}
		})
	}
}

func TestSessionArgument(t *testing.T) {
	tests := []struct {
		name     string
		sessions []string
		command  string
		screen   string // what the screen shows, or "" when refused
		stderr   string
		status   int
	}{
		{"the only session", []string{"jardin"}, "", "session=jardin", "", 0},
		{"several: the picker", []string{"jardin", "four"}, "", "picker: jardin four", "", 0},
		{"named", []string{"jardin", "four"}, "four", "session=four", "", 0},
		{"unknown", []string{"jardin", "four"}, "verger", "", `There is no session "verger" here; the sessions are: jardin, four.`, 1},
		{"bad usage", []string{"jardin"}, "jardin four", "", "Usage: ssh -t -p PORT NAME@HOST [SESSION] [--watch]", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, "", tt.sessions...)
			srv := serve(t, probeConfig(w))
			tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{command: tt.command})
			if tt.screen != "" {
				tm.waitText(tt.screen)
				return
			}
			if status := tm.waitEnd(); status != tt.status {
				t.Errorf("exit status %d, want %d", status, tt.status)
			}
			if got := strings.TrimSpace(tm.stderrText()); got != tt.stderr {
				t.Errorf("stderr %q, want %q", got, tt.stderr)
			}
		})
	}
}

// TestLanguage: a locale naming a language wins; a client that sends none
// or a neutral one (PuTTY and Windows' ssh send none unless told to) gets
// the session's language, French by default; --lang forces it.
func TestLanguage(t *testing.T) {
	tests := []struct {
		session string // jardin is French, garden English
		force   string
		env     map[string]string
		want    string
	}{
		{"jardin", "", map[string]string{"LANG": "fr_FR.UTF-8"}, "fr"},
		{"jardin", "", map[string]string{"LANG": "en_GB.UTF-8"}, "en"},
		{"jardin", "", map[string]string{}, "fr"},
		{"jardin", "", map[string]string{"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}, "fr"},
		{"garden", "", map[string]string{}, "en"},
		{"garden", "", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"garden", "", map[string]string{"LANG": "fr_FR.UTF-8"}, "fr"},
		{"jardin", "fr", map[string]string{"LANG": "en_US.UTF-8"}, "fr"},
		{"garden", "fr", map[string]string{}, "fr"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.session, tt.force, tt.env), func(t *testing.T) {
			w := newWorld(t, "", "jardin")
			garden := corpus("garden", "", 3)
			garden[0] = review.MustEvent("garden", session.NewID(), garden[0].At, garden[0].Actor, review.KindSessionCreated, review.SessionCreated{Name: "garden", Language: "en"})
			if _, err := w.store.Append(context.Background(), garden...); err != nil {
				t.Fatal(err)
			}
			cfg := probeConfig(w)
			cfg.Lang = tt.force
			srv := serve(t, cfg)
			tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{env: tt.env, command: tt.session})
			tm.waitText("lang=" + tt.want)
		})
	}
}

func TestNoTerminal(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{noPTY: true, env: map[string]string{"LANG": "fr_FR.UTF-8"}})
	if status := tm.waitEnd(); status != 1 {
		t.Errorf("exit status %d, want 1", status)
	}
	if got := tm.stderrText(); !strings.Contains(got, "Revue a besoin d'un terminal") {
		t.Errorf("stderr %q, want the sentence about a terminal", got)
	}
}

func TestResize(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{w: 80, h: 24})
	tm.waitText("size=80x24")
	tm.resize(120, 40)
	tm.waitText("size=120x40")
}

func TestQuitRecordsLeaving(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{})
	tm.waitText("online=1")
	tm.press("q")
	if status := tm.waitEnd(); status != 0 {
		t.Errorf("exit status %d, want 0", status)
	}
	if left := w.kinds(t, "jardin", review.KindParticipantLeft); len(left) != 1 || left[0].Actor.Name != "paul" {
		t.Fatalf("stored departures = %+v, want paul's", left)
	}
}

func TestPanicGivesASentence(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{})
	tm.waitText("online=1")
	tm.press("!")
	if status := tm.waitEnd(); status != 1 {
		t.Errorf("exit status %d, want 1", status)
	}
	all := tm.stderrText() + string(tm.rawBytes())
	if !strings.Contains(tm.stderrText(), "Revue hit an internal error") {
		t.Errorf("stderr %q, want the sentence", tm.stderrText())
	}
	if strings.Contains(all, "goroutine") || strings.Contains(all, ".go:") {
		t.Errorf("a stack reached the client:\n%s", all)
	}
	if left := w.kinds(t, "jardin", review.KindParticipantLeft); len(left) != 1 {
		t.Fatalf("stored departures = %+v, want one", left)
	}
	// The server goes on serving others.
	dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{}).waitText("online=1")
}

func TestShutdownRestoresTerminals(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv, served := start(t, probeConfig(w))
	var terms []*term
	for _, name := range []string{"alice", "bob"} {
		tm := dial(t, srv, clientConfig(srv, name, passcode(new(int), "")), termOpts{})
		terms = append(terms, tm)
	}
	for _, tm := range terms {
		tm.waitText("online=2")
	}
	shut := shutdown(srv)
	for _, tm := range terms {
		tm.waitEnd()
		tm.close() // hang up, as OpenSSH does once its session ends
		raw := tm.rawBytes()
		tail := raw[bytes.LastIndex(raw, []byte("probe user=")):]
		for _, seq := range []string{"\x1b[?1049l", "\x1b[?25h"} {
			if !bytes.Contains(tail, []byte(seq)) {
				t.Errorf("after the last screen, the client did not get %q; tail %q", seq, tail)
			}
		}
	}
	if err := <-shut; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := <-served; err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Serve returned %v, want the server closed", err)
	}
	if left := w.kinds(t, "jardin", review.KindParticipantLeft); len(left) != 2 {
		t.Fatalf("stored departures = %d, want 2", len(left))
	}
}

func TestHostKeyIsKept(t *testing.T) {
	w := newWorld(t, "", "jardin")
	path := filepath.Join(t.TempDir(), "data", "ssh_host_ed25519")
	cfg := probeConfig(w)
	cfg.HostKeyPath = path
	first, err := session.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", info.Mode().Perm())
	}
	second, err := session.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := first.HostKeyFingerprint(), second.HostKeyFingerprint(); a != b || !strings.HasPrefix(a, "SHA256:") {
		t.Fatalf("fingerprints %q then %q, want the same SHA256 one", a, b)
	}
	// wish.NewServer writes ./id_ed25519 when it finds no host key: the
	// working directory must stay untouched.
	if _, err := os.Stat("id_ed25519"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key was written into the working directory (stat: %v)", err)
	}
}

func TestBadConfig(t *testing.T) {
	w := newWorld(t, "", "jardin")
	bad := filepath.Join(t.TempDir(), "bad_keys")
	if err := os.WriteFile(bad, []byte("# ok\nssh-ed25519 not-base64!\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*session.Config)
		want string
	}{
		{"missing key list", func(c *session.Config) { c.AuthorizedKeys = "/nonexistent/keys" }, "/nonexistent/keys"},
		{"bad key line", func(c *session.Config) { c.Facilitators = bad }, bad + ": line 2"},
		{"bad language", func(c *session.Config) { c.Lang = "de" }, `"de"`},
		{"no registry", func(c *session.Config) { c.Registry = nil }, "Registry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := probeConfig(w)
			tt.edit(&cfg)
			_, err := session.NewServer(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %s", err, tt.want)
			}
		})
	}
}

func TestIdleTimeoutEndsTheSession(t *testing.T) {
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.IdleTimeout = 300 * time.Millisecond
	srv := serve(t, cfg)
	tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{})
	tm.waitText("online=1")
	tm.waitEnd() // nobody types: the server hangs up
	waitLeft(t, w, "jardin", 1)
}

func TestHandshakeTimeout(t *testing.T) {
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.HandshakeTimeout = 300 * time.Millisecond
	srv := serve(t, cfg)
	addr, _ := addrs.Load(srv)
	c, err := net.Dial("tcp", addr.(string))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Say nothing: the server must close the connection by itself.
	_ = c.SetReadDeadline(time.Now().Add(waitLimit))
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatalf("the server did not hang up on a silent client: %v", err)
	}
}

// waitLeft waits, on the hub's own signals, until n departures are in the
// session's trace: the server records a departure after the client has
// seen its connection end.
func waitLeft(t *testing.T, w *world, name string, n int) {
	t.Helper()
	h, err := w.reg.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	sub := h.Subscribe()
	defer sub.Close()
	timer := time.NewTimer(waitLimit)
	defer timer.Stop()
	for {
		left := 0
		for _, e := range h.Snapshot().State.Events {
			if e.Kind == review.KindParticipantLeft {
				left++
			}
		}
		if left >= n {
			return
		}
		select {
		case <-sub.C:
		case <-timer.C:
			t.Fatalf("%d departures in the trace after %v, want %d", left, waitLimit, n)
		}
	}
}
