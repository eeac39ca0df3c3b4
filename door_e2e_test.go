package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestFacilitatorScreenKeepsTheDoorOff runs the real program as a
// facilitator would, `revue demo` (the same screen and server as `review
// --listen`) in a terminal of tmux, while ten clients type 30 wrong
// passcodes: the facilitator's screen holds no log line and shows the
// count of refused joins; the log file in the data directory holds the
// lines.
func TestFacilitatorScreenKeepsTheDoorOff(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and runs it in tmux: not with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is missing (Debian package tmux), and CI=true needs it")
		}
		t.Skip("tmux is not installed (Debian package tmux): this test needs it")
	}
	bin := buildRevue(t)
	data := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v: %s", args, err, out)
		}
		return string(out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })
	tmux("new-session", "-d", "-x", "120", "-y", "30", fmt.Sprintf("HOME=%s LANG=C.UTF-8 TERM=xterm-256color %s --data %s --lang en demo --listen %s --passcode tomate-du-jardin; sleep 600", data, filepath.Join(bin, "revue"), data, addr))
	waitScreen := func(what string, ok func(string) bool) string {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			s := tmux("capture-pane", "-p")
			if ok(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("the facilitator's screen never showed %s:\n%s", what, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitScreen("the interface", func(s string) bool { return strings.Contains(s, "Revue · demo") })

	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg := &gossh.ClientConfig{
				User: fmt.Sprint("mallory", i),
				Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(_, _ string, q []string, _ []bool) ([]string, error) {
					a := make([]string, len(q))
					for j := range a {
						a[j] = "navet"
					}
					return a, nil
				})},
				HostKeyCallback: gossh.InsecureIgnoreHostKey(), // an attacker checks nothing
				Timeout:         time.Minute,
			}
			if c, err := gossh.Dial("tcp", addr, cfg); err == nil {
				c.Close()
				t.Error("a wrong passcode got in")
			}
		}()
	}
	wg.Wait()
	tmux("send-keys", "j") // a key press redraws the screen
	s := waitScreen("the refused joins", func(s string) bool { return strings.Contains(s, "refused — see the log") })
	for _, bad := range []string{"WARN", "level=", "authentication", "passcode", "remote=", "mallory"} {
		if strings.Contains(s, bad) {
			t.Errorf("the facilitator's screen shows %q:\n%s", bad, s)
		}
	}
	log, err := os.ReadFile(filepath.Join(data, "revue.log"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "wrong passcode"); n != 30 {
		t.Errorf("the log holds %d wrong passcodes, want 30:\n%s", n, log)
	}
	if !strings.Contains(string(log), "user=mallory3") {
		t.Errorf("the log does not name the users:\n%s", log)
	}
}
