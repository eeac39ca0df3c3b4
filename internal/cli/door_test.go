package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/store"
)

// TestWeakPasscodeIsRefused: a passcode a guesser would find stops the
// server before it listens, with a sentence that says why and offers a
// drawn one; --passcode auto draws one and says it.
func TestWeakPasscodeIsRefused(t *testing.T) {
	for _, tt := range []struct {
		lang, code string
		want       []string
	}{
		{"en", "1", []string{`--passcode "1" is too weak: it is shorter than 6 characters`, "--passcode auto"}},
		{"fr", "azerty", []string{`--passcode "azerty" est trop faible : il fait partie des codes qu'on essaie en premier`, "--passcode auto"}},
	} {
		code, _, errs := runLang(t, tt.lang, "serve", "--listen", "127.0.0.1:0", "--passcode", tt.code)
		if code != 2 {
			t.Errorf("serve --passcode %s: exit %d, want 2:\n%s", tt.code, code, errs)
		}
		for _, w := range tt.want {
			if !strings.Contains(errs, w) {
				t.Errorf("serve --passcode %s: no %q in:\n%s", tt.code, w, errs)
			}
		}
		if strings.Contains(errs, "SSH server on") || strings.Contains(errs, "Serveur SSH") {
			t.Errorf("serve --passcode %s listened:\n%s", tt.code, errs)
		}
	}
	code, errs := serveUntilJoinable(t, "--data", t.TempDir(), "--lang", "en", "serve", "--listen", "127.0.0.1:0", "--passcode", "auto")
	if code != 0 || !regexp.MustCompile(`Passcode \(to say in the room\): [a-z]{8}\n`).MatchString(errs) {
		t.Errorf("serve --passcode auto: %d\n%s", code, errs)
	}
}

// TestLogsGoToTheDataDirectory: demo (like review --listen) writes the
// server's log to DATA/revue.log, says where, and keeps its terminal for
// the interface; serve --log FILE writes there.
func TestLogsGoToTheDataDirectory(t *testing.T) {
	data := t.TempDir()
	code, errs := serveUntilJoinable(t, "--data", data, "--lang", "en", "demo", "--listen", "127.0.0.1:0")
	path := filepath.Join(data, "revue.log")
	if code != 0 || !strings.Contains(errs, "Server log: "+path) {
		t.Errorf("demo: %d, the log's path not said:\n%s", code, errs)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("demo: no log file: %v", err)
	}
	if !strings.Contains(errs, "only this computer can join; add --listen :") {
		t.Errorf("demo on a loopback address does not say only this computer can join:\n%s", errs)
	}
	file := filepath.Join(t.TempDir(), "serve.log")
	code, errs = serveUntilJoinable(t, "--data", data, "--lang", "en", "serve", "--listen", "127.0.0.1:0", "--log", file)
	if code != 0 || !strings.Contains(errs, "Server log: "+file) {
		t.Errorf("serve --log: %d\n%s", code, errs)
	}
}

// TestMaxPerAddress: --max-per-address below 1 stops serve with one
// sentence in the user's language; a value given is the share of one
// address: with 1, a second session from the same address is refused
// while the first stays open.
func TestMaxPerAddress(t *testing.T) {
	for _, tt := range []struct{ lang, value, want string }{
		{"en", "0", "--max-per-address 0: give a whole number of at least 1 (the sessions open at once from one address; 200 by default)"},
		{"fr", "-3", "--max-per-address -3 : donnez un nombre entier d'au moins 1 (les sessions ouvertes à la fois depuis une même adresse ; 200 par défaut)"},
		{"en", "abc", "--max-per-address"},
	} {
		code, _, errs := runLang(t, tt.lang, "serve", "--listen", "127.0.0.1:0", "--max-per-address", tt.value)
		if code != 2 || !strings.Contains(errs, tt.want) || strings.Contains(errs, "SSH server on") || strings.Contains(errs, "Serveur SSH") {
			t.Errorf("serve --max-per-address %s: exit %d, want 2 and %q:\n%s", tt.value, code, tt.want, errs)
		}
	}
	if code, _, errs := runLang(t, "en", "serve", "--listen", "127.0.0.1:0", "--max-conns", "0"); code != 2 || !strings.Contains(errs, "--max-conns 0: give a whole number of at least 1") {
		t.Errorf("serve --max-conns 0: exit %d:\n%s", code, errs)
	}

	data := smallSession(t)
	// The facilitator's locale is English; no --lang forces it on anyone.
	for k, v := range map[string]string{"LC_ALL": "", "LC_MESSAGES": "", "REVUE_LANG": "", "LANG": "en_US.UTF-8"} {
		t.Setenv(k, v)
	}
	addr := serveInBackground(t, "--data", data, "serve", "--session", "m", "--listen", "127.0.0.1:0", "--max-per-address", "1")
	first := dialShell(t, addr, "lea", "lea")
	// tom's client sends no locale: the sentence is in French, the
	// session's language.
	dialShell(t, addr, "tom", "Trop de sessions depuis votre adresse (1 à la fois)")
	if strings.Contains(first.String(), "Trop de sessions") {
		t.Errorf("the first session was refused too:\n%q", first.String())
	}
}

// serveInBackground runs revue with args (a serve) until the test ends,
// and returns the address it listens on once it says how to join.
func serveInBackground(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errw := &watchWriter{want: "To join", seen: make(chan struct{})}
	seen := errw.seen
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, nil, &bytes.Buffer{}, errw) }()
	select {
	case <-seen:
	case code := <-done:
		cancel()
		t.Fatalf("serve ended with %d:\n%s", code, errw.String())
	}
	t.Cleanup(func() {
		cancel()
		<-done
	})
	addr := regexp.MustCompile(`SSH server on (\S+),`).FindStringSubmatch(errw.String())
	if addr == nil {
		t.Fatalf("no address in:\n%s", errw.String())
	}
	return addr[1]
}

// dialShell joins addr as user with a new key and a terminal, and waits
// until what the server writes (screen or refusal) holds want.
func dialShell(t *testing.T, addr, user, want string) *watchWriter {
	t.Helper()
	return dialShellLang(t, addr, user, "", want)
}

// dialShellLang is dialShell sending LANG as OpenSSH's SendEnv does, unless
// lang is "".
func dialShellLang(t *testing.T, addr, user, lang, want string) *watchWriter {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if lang != "" {
		if err := sess.Setenv("LANG", lang); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty("xterm-256color", 40, 140, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out := &watchWriter{want: want, seen: make(chan struct{})}
	sess.Stdout, sess.Stderr = out, out
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-out.seen:
	case <-time.After(60 * time.Second):
		t.Fatalf("%s never saw %q:\n%q", user, want, out.String())
	}
	return out
}

// TestListenRefusals: a --listen without a port or with a port that is not
// a number is refused before anything opens, in one sentence of the
// user's language (Go's says "missing port in address"); a port already
// taken is named so, and the advice names a port that is free.
func TestListenRefusals(t *testing.T) {
	for _, tt := range []struct{ lang, listen, want string }{
		{"fr", "nimportequoi", "--listen nimportequoi : écrivez ADRESSE:PORT ou :PORT, par exemple --listen :2222"},
		{"en", "localhost", "--listen localhost: write ADDRESS:PORT or :PORT, for example --listen :2222"},
		{"fr", "x:y", "--listen x:y : le port « y » n'est pas un nombre de 0 à 65535 ; par exemple --listen x:2222"},
		{"en", ":99999", `--listen :99999: the port "99999" is not a number from 0 to 65535; for example --listen :2222`},
	} {
		code, _, errs := runLang(t, tt.lang, "serve", "--listen", tt.listen)
		if code != 2 || !strings.Contains(errs, tt.want) || strings.Contains(errs, "missing port") {
			t.Errorf("serve --listen %s: exit %d, want 2 and %q:\n%s", tt.listen, code, tt.want, errs)
		}
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	code, _, errs := runLang(t, "fr", "serve", "--listen", addr)
	m := regexp.MustCompile(`--listen \S+ : ce port est déjà pris par un autre programme ; choisissez un autre port, par exemple --listen (\S+) `).FindStringSubmatch(errs)
	if code != 1 || m == nil {
		t.Fatalf("serve --listen %s (taken): exit %d:\n%s", addr, code, errs)
	}
	if m[1] != addr {
		l, err := net.Listen("tcp", m[1])
		if err != nil {
			t.Errorf("the advised --listen %s is not free: %v", m[1], err)
		} else {
			l.Close()
		}
	}
}

// TestOutputInAMissingFolder: -o in a folder that does not exist names the
// file and the folder in the user's language, for every command that
// writes one (it named a temporary ".x.html.123" file in Go's words).
func TestOutputInAMissingFolder(t *testing.T) {
	data := smallSession(t)
	missing := filepath.Join(t.TempDir(), "absent")
	for _, tt := range []struct {
		lang string
		args []string
		want string
	}{
		{"fr", []string{"report", "m", "--html", "-o", filepath.Join(missing, "r.html")}, filepath.Join(missing, "r.html") + " : le dossier " + missing + " n'existe pas ; créez-le, ou choisissez un autre -o"},
		{"en", []string{"export", "m", "-o", filepath.Join(missing, "m.json")}, filepath.Join(missing, "m.json") + ": the folder " + missing + " does not exist; create it, or choose another -o"},
		{"fr", []string{"dossier", "m", "-o", filepath.Join(missing, "d.html")}, filepath.Join(missing, "d.html") + " : le dossier " + missing + " n'existe pas"},
	} {
		code, _, errs := runLang(t, tt.lang, append([]string{"--data", data}, tt.args...)...)
		if code == 0 || !strings.Contains(errs, tt.want) || strings.Contains(errs, "open ") {
			t.Errorf("%v: exit %d, want an error with %q:\n%s", tt.args, code, tt.want, errs)
		}
	}
}

// smallSession is a data directory holding a session "m" of two pads.
func smallSession(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	st, err := store.Open(filepath.Join(data, "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Append(context.Background(), padSession("m", 2, 200)...); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return data
}
