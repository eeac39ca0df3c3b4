package session_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui"
)

// These tests run the real interface (package tui) through real SSH
// connections, wired as internal/cli wires it.

func tuiConfig(w *world) session.Config {
	return session.Config{Registry: w.reg, NewModel: newTUI}
}

func newTUI(r session.ModelRequest) tea.Model {
	return tui.New(tui.Options{Hub: r.Hub, Registry: r.Registry, Seat: r.Seat, Actor: r.Actor, Lang: r.Lang, Terminal: "ssh"})
}

func TestTUIAcceptSeenByOthers(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, tuiConfig(w))
	alice := dial(t, srv, clientConfig(srv, "alice", passcode(new(int), "")), termOpts{})
	bob := dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{env: map[string]string{"LANG": "fr_FR.UTF-8"}})
	alice.waitText("alice", "bob", "1/3")
	bob.waitText("alice", "bob", "1/3")

	alice.press("a")
	bob.waitText("alice ✓")
	votes := w.kinds(t, "jardin", review.KindVoteCast)
	if len(votes) != 1 || votes[0].Actor.Name != "alice" {
		t.Fatalf("stored votes = %+v, want alice's", votes)
	}
	var v review.VoteData
	if err := votes[0].Decode(&v); err != nil || v.Proposal != "L1" || v.Verdict != review.Accept {
		t.Fatalf("stored vote %+v (%v), want accept of L1", v, err)
	}
}

func TestTUISpectatorRecordsNothing(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, tuiConfig(w))
	eve := dial(t, srv, clientConfig(srv, "eve", passcode(new(int), "")), termOpts{command: "jardin --watch"})
	bob := dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{})
	// The projector's wall: the room's link, the turnout, no names.
	eve.waitText("link 1 of 3", "0 of 1 participant voted · 0%")
	eve.press("a")
	eve.press("c")
	eve.press("j")
	// bob's vote is the witness: once eve's screen shows it, everything
	// eve's keys could have caused has been through the hub.
	bob.press("a")
	eve.waitText("link 1 of 3", "1 of 1 participant voted · 100%")
	for _, e := range w.events(t, "jardin") {
		if e.Actor.Name == "eve" && e.Kind != review.KindParticipantJoin {
			t.Errorf("a spectator's action was stored: %s %s", e.Kind, e.Data)
		}
	}
}

// evil holds terminal attacks (STACK.md): clipboard write (OSC 52), window
// title (OSC 0), hyperlink (OSC 8), screen clear, a DCS query, a bidi
// override and C1 controls as UTF-8 and as a raw byte.
const evil = "Début \x1b]52;c;ZXZpbA==\x07 \x1b]0;pwned\x07 \x1b]8;;https://evil.example\x1b\\clic\x1b]8;;\x1b\\ " +
	"\x1b[2J\x1b[H \u202eesrever\u202c \u009b31m rouge \x9b[1m \r écrasé \x08\x07 \x1bP+q\x1b\\ fin"

// allowedOSC are the only operating system commands Revue's own screen
// sends: the background colour query and its window title.
var allowedOSC = map[string]bool{"\x1b]11;?": true, "\x1b]2;Revue · jardin": true, "\x1b]2;": true}

func TestTUINoEscapeReachesClients(t *testing.T) {
	w := newWorld(t, evil, "jardin")
	srv := serve(t, tuiConfig(w))
	// The user name is chosen by the client: another way in.
	mallory := dial(t, srv, clientConfig(srv, "mal\x1b]52;c;ZXZpbA==\x07\u202elory", passcode(new(int), "")), termOpts{})
	bob := dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{})
	bob.waitText("lory", "Début", "fin")
	mallory.waitText("bob", "Début", "fin")
	bob.press("w") // the provenance pane shows the statement again
	bob.press("q")
	bob.waitEnd()
	for name, tm := range map[string]*term{"bob": bob, "mallory": mallory} {
		raw := tm.rawBytes()
		for _, m := range regexp.MustCompile(`\x1b\][^\x07\x1b]*`).FindAll(raw, -1) {
			if !allowedOSC[string(m)] {
				t.Errorf("%s received the OSC %q", name, m)
			}
		}
		for _, bad := range []string{"ZXZpbA", "pwned", "evil.example", "\x1b[2J\x1b[H ", "\x1bP", "\u202e", "\u009b", "\x9b[1m", "\r écrasé", "\x08"} {
			if i := bytes.Index(raw, []byte(bad)); i >= 0 {
				t.Errorf("%s received %q: %q", name, bad, raw[max(i-30, 0):min(i+30, len(raw))])
			}
		}
	}
}

func TestTUIResize(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, tuiConfig(w))
	tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{w: 80, h: 24})
	tm.waitText("? help")
	width := func(s string) int { return ansi.StringWidth(strings.SplitN(s, "\n", 2)[0]) }
	if got := width(tm.screen()); got > 80 {
		t.Fatalf("header %d wide at 80 columns", got)
	}
	tm.resize(132, 40)
	tm.waitFor("a header 132 wide", func(s string) bool { return width(s) > 120 })
	tm.resize(40, 12)
	tm.waitFor("a sentence asking for a larger window", func(s string) bool {
		return width(s) <= 40 && strings.Contains(s, "60")
	})
}

func TestTUIQuit(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, tuiConfig(w))
	tm := dial(t, srv, clientConfig(srv, "paul", passcode(new(int), "")), termOpts{})
	tm.waitText("paul", "1/3") // the interface, not the personal code's sentence before it
	tm.press("q")
	if status := tm.waitEnd(); status != 0 {
		t.Errorf("exit status %d, want 0", status)
	}
	raw := tm.rawBytes()
	if !bytes.Contains(raw[bytes.LastIndex(raw, []byte("paul")):], []byte("\x1b[?1049l")) {
		t.Errorf("the alternate screen was not left: tail %q", raw[max(len(raw)-120, 0):])
	}
	if left := w.kinds(t, "jardin", review.KindParticipantLeft); len(left) != 1 {
		t.Fatalf("stored departures = %d, want 1", len(left))
	}
}

func TestTUIShutdown(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv, served := start(t, tuiConfig(w))
	alice := dial(t, srv, clientConfig(srv, "alice", passcode(new(int), "")), termOpts{})
	eve := dial(t, srv, clientConfig(srv, "eve", passcode(new(int), "")), termOpts{command: "--watch"})
	alice.waitText("alice", "eve")
	eve.waitText("of 1 participant voted")
	shut := shutdown(srv)
	for _, tm := range []*term{alice, eve} {
		tm.waitEnd()
		tm.close()
		raw := tm.rawBytes()
		// After leaving the alternate screen, only mode resets and the
		// server's sentence may follow, and the cursor must be shown again.
		tail := raw[max(bytes.LastIndex(raw, []byte("\x1b[?1049l")), 0):]
		if !bytes.HasPrefix(tail, []byte("\x1b[?1049l")) || !bytes.Contains(tail, []byte("\x1b[?25h")) || strings.TrimSpace(ansi.Strip(string(tail))) != "The Revue server is shutting down." {
			t.Errorf("the terminal was not restored at the end: tail %q", tail)
		}
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	<-served
	if left := w.kinds(t, "jardin", review.KindParticipantLeft); len(left) != 2 {
		t.Fatalf("stored departures = %d, want 2", len(left))
	}
}
