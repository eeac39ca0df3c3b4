package session_test

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/session"
)

// tmuxPane is one terminal of a private tmux server, running a real client
// as a person would: the test reads the screen and types.
type tmuxPane struct {
	t    *testing.T
	sock string
}

// newPane starts command in a terminal of 100x30.
func newPane(t *testing.T, command string) *tmuxPane {
	t.Helper()
	needTool(t, "tmux", "tmux")
	p := &tmuxPane{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	p.tmux("new-session", "-d", "-x", "100", "-y", "30", command+"; sleep 600")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", p.sock, "kill-server").Run() })
	return p
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", p.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (p *tmuxPane) screen() string { return p.tmux("capture-pane", "-p") }

// waitFor waits until the screen holds every text.
func (p *tmuxPane) waitFor(texts ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		s := p.screen()
		ok := true
		for _, x := range texts {
			ok = ok && strings.Contains(s, x)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%v passed before the terminal showed %q:\n%s", waitLimit, texts, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// typeLine types text, then Return.
func (p *tmuxPane) typeLine(text string) {
	if text != "" {
		p.tmux("send-keys", "-l", text)
	}
	p.tmux("send-keys", "Enter")
}

// TestOpenSSHFirstTimeTakesItsTime: a person who connects with OpenSSH for
// the first time reads the host-key question, compares the fingerprint,
// then types the passcode slowly: they get in, whatever the time each step
// took within the login window. The window is shortened here (the
// default, DefaultLoginWindow, is asserted apart), and the deadline for a
// client that sends nothing is shorter than the wait at the question, as
// it was when it cut these people off.
func TestOpenSSHFirstTimeTakesItsTime(t *testing.T) {
	ssh := needTool(t, "ssh", "openssh-client")
	w := newWorld(t, "", "jardin")
	cfg := probeConfig(w)
	cfg.Passcode = "tomate-du-jardin"
	cfg.HandshakeTimeout = 12 * time.Second
	cfg.AuthStartTimeout = time.Second
	srv := serve(t, cfg)
	addr, _ := addrs.Load(srv)
	_, port, _ := net.SplitHostPort(addr.(string))
	known := filepath.Join(t.TempDir(), "known_hosts")
	p := newPane(t, fmt.Sprintf("LC_ALL=C.UTF-8 LANG=fr_FR.UTF-8 %s -F /dev/null -o UserKnownHostsFile=%s -o StrictHostKeyChecking=ask -o PubkeyAuthentication=no -o SendEnv=LANG -t -p %s marie@127.0.0.1 jardin", ssh, known, port))
	s := p.waitFor("Are you sure you want to continue connecting")
	if !strings.Contains(s, srv.HostKeyFingerprint()) {
		t.Errorf("the question does not show the fingerprint %s:\n%s", srv.HostKeyFingerprint(), s)
	}
	// The person compares the fingerprint with the board: a third of the
	// window, three times the deadline of a silent client.
	time.Sleep(cfg.HandshakeTimeout / 3)
	p.typeLine("yes")
	p.waitFor("Passcode (code d'accès):")
	time.Sleep(cfg.HandshakeTimeout / 3) // and types slowly
	p.typeLine("tomate-du-jardin")
	p.waitFor("probe user=marie role=participant", "lang=fr")
	if session.DefaultLoginWindow < 2*time.Minute {
		t.Errorf("DefaultLoginWindow = %v, want at least 2 minutes", session.DefaultLoginWindow)
	}
}

// TestPlinkJoins: PuTTY's plink joins, is told its personal code, says
// "Press Return to begin session" (the joining guides say so), and comes
// back as the same person with the code.
func TestPlinkJoins(t *testing.T) {
	plink := needTool(t, "plink", "putty-tools")
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	addr, _ := addrs.Load(srv)
	_, port, _ := net.SplitHostPort(addr.(string))
	home := t.TempDir() // plink keeps its settings under HOME
	cmd := fmt.Sprintf("HOME=%s %s -t -P %s -l marie -hostkey %s 127.0.0.1 jardin", home, plink, port, srv.HostKeyFingerprint())
	p := newPane(t, cmd)
	s := p.waitFor("Press Return to begin session")
	m := codeRe.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("plink does not show the personal code:\n%s", s)
	}
	p.typeLine("")
	p.waitFor("probe user=marie role=participant")
	p.tmux("send-keys", "q")

	again := newPane(t, cmd)
	again.waitFor("personal code")
	again.typeLine(m[1])
	again.waitFor("Press Return to begin session")
	again.typeLine("")
	s = again.waitFor("probe user=")
	if !strings.Contains(s, "probe user=marie role=participant") {
		t.Fatalf("marie, back with her code through plink, is not marie:\n%s", s)
	}
}
