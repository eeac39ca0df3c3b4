package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/store"
)

// TestForcedLanguageReachesParticipants: --lang and $REVUE_LANG force the
// participants' language over their ssh's locale (PRODUCT.md, Language),
// while without them a participant's locale wins. The server used to be
// given no language at all, so a forced language reached only the
// facilitator's own terminal.
func TestForcedLanguageReachesParticipants(t *testing.T) {
	data := t.TempDir()
	st, err := store.Open(filepath.Join(data, "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Append(context.Background(), padSession("m", 3, 300)...); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// serveInBackground reads serve's English lines: the forced language
	// is English, the participant's locale French.
	const en, fr = "This session has no proposal yet", "aucune proposition"
	for _, c := range []struct {
		name, env, flag, want, not string
	}{
		{"--lang en over a French locale", "", "en", en, fr},
		{"REVUE_LANG=en over a French locale", "en", "", en, fr},
		{"the locale wins when nothing forces", "", "", fr, en},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("REVUE_LANG", c.env)
			// The facilitator's own locale is English: only a forced
			// language may reach the participants.
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANG", "en_US.UTF-8")
			args := []string{"--data", data}
			if c.flag != "" {
				args = append(args, "--lang", c.flag)
			}
			addr := serveInBackground(t, append(args, "serve", "--session", "m", "--listen", "127.0.0.1:0")...)
			screen := dialWithLocale(t, addr, "lea", "fr_FR.UTF-8", c.want)
			if strings.Contains(screen.String(), c.not) {
				t.Errorf("the screen holds %q:\n%q", c.not, screen.String())
			}
		})
	}
}

// dialWithLocale is dialShell with LANG sent as OpenSSH's SendEnv does.
func dialWithLocale(t *testing.T, addr, user, lang, want string) *watchWriter {
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
	if err := sess.Setenv("LANG", lang); err != nil {
		t.Fatal(err)
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
