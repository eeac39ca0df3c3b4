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
	p.waitFor("Passcode (code d'acces):")
	time.Sleep(cfg.HandshakeTimeout / 3) // and types slowly
	p.typeLine("tomate-du-jardin")
	s = p.waitFor("probe user=marie role=participant", "lang=fr", "Votre code personnel")
	// OpenSSH escapes every byte outside ASCII in a challenge's instruction
	// (« becomes \302\253): the server must send it in plain ASCII.
	if strings.Contains(s, `\3`) || strings.Contains(s, `\2`) {
		t.Errorf("OpenSSH shows escaped bytes in the server's messages:\n%s", s)
	}
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

// oldClients are the default offers of the clients the joining guides
// promise to take, as their versions shipped them (the algorithms this
// machine's OpenSSH no longer knows are left out: they are not ours
// either), and one too old, whose refusal the guides quote.
var oldClients = []struct {
	name, kex, ciphers, macs, hostKeys string
	ok                                 bool
}{
	{"OpenSSH 7.7–8.2 (Windows 10, Debian 10's 7.9, Ubuntu 20.04's 8.2)",
		"curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1",
		"chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
		"umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
		"ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-ed25519,rsa-sha2-512,rsa-sha2-256,ssh-rsa", true},
	{"OpenSSH 8.6 (macOS 12)",
		"curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,sntrup761x25519-sha512@openssh.com,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
		"chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
		"umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
		"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256", true},
	{"PuTTY 0.76 (no AES-GCM yet)",
		"curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1",
		"aes256-ctr,aes256-cbc,aes192-ctr,aes192-cbc,aes128-ctr,aes128-cbc,chacha20-poly1305@openssh.com,3des-cbc",
		"hmac-sha2-256,hmac-sha1,hmac-sha2-256-etm@openssh.com,hmac-sha1-etm@openssh.com",
		"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa", true},
	{"OpenSSH 6.4 (2013), too old",
		"ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group-exchange-sha1,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
		"aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-cbc,3des-cbc",
		"hmac-sha2-256,hmac-sha2-512,hmac-sha1",
		"ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa", false},
}

// TestOldClientsConnect offers, with this machine's OpenSSH, what each old
// client offers by default: those the guides promise get in (the server
// answers them that a terminal is missing: they were let in), the one too
// old is refused with the sentence the guides quote.
func TestOldClientsConnect(t *testing.T) {
	ssh := needTool(t, "ssh", "openssh-client")
	known := map[string]map[string]bool{}
	for _, q := range []string{"kex", "cipher", "mac", "HostKeyAlgorithms"} {
		out, err := exec.Command(ssh, "-Q", q).Output()
		if err != nil {
			t.Fatalf("ssh -Q %s: %v", q, err)
		}
		known[q] = map[string]bool{}
		for _, a := range strings.Fields(string(out)) {
			known[q][a] = true
		}
	}
	keep := func(q, list string) string {
		var out []string
		for _, a := range strings.Split(list, ",") {
			if known[q][a] {
				out = append(out, a)
			}
		}
		return strings.Join(out, ",")
	}
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	addr, _ := addrs.Load(srv)
	_, port, _ := net.SplitHostPort(addr.(string))
	key := filepath.Join(t.TempDir(), "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	for _, c := range oldClients {
		t.Run(c.name, func(t *testing.T) {
			out, _ := exec.Command(ssh, "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
				"-o", "KexAlgorithms="+keep("kex", c.kex), "-o", "Ciphers="+keep("cipher", c.ciphers), "-o", "MACs="+keep("mac", c.macs),
				"-o", "HostKeyAlgorithms="+keep("HostKeyAlgorithms", c.hostKeys), "-i", key, "-T", "-p", port, "ana@127.0.0.1", "jardin").CombinedOutput()
			got := string(out)
			switch {
			// ssh -F /dev/null sends no locale: the session's French.
			case c.ok && !strings.Contains(got, "Revue a besoin d'un terminal"):
				t.Errorf("refused:\n%s", got)
			case !c.ok && !strings.Contains(got, "no matching key exchange method found"):
				t.Errorf("not refused as the guides say:\n%s", got)
			}
		})
	}
}
