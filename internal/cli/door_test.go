package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
