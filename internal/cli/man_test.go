package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestManOnTerminal runs `revue man` with a terminal as its output: the page
// goes through `man -l -` (here a stand-in that records what it was given),
// and without man the user is told how to read it, instead of raw roff.
func TestManOnTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	go func() {
		buf := make([]byte, 4096)
		for {
			if _, err := ptmx.Read(buf); err != nil {
				return
			}
		}
	}()
	bin := t.TempDir()
	got := filepath.Join(t.TempDir(), "man-input")
	cat, err := exec.LookPath("cat")
	if err != nil {
		t.Skip("no cat for the stand-in man")
	}
	script := "#!/bin/sh\necho \"$@\" > " + got + ".args\n" + cat + " > " + got + "\n"
	if err := os.WriteFile(filepath.Join(bin, "man"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	var errb bytes.Buffer
	if code := (&app{stdin: strings.NewReader(""), stdout: tty, stderr: &errb}).run(context.Background(), []string{"--lang", "fr", "man"}); code != 0 {
		t.Fatalf("revue man: %d %s", code, errb.String())
	}
	page, _ := os.ReadFile(got)
	args, _ := os.ReadFile(got + ".args")
	if !bytes.Contains(page, []byte(".TH")) || strings.TrimSpace(string(args)) != "-l -" {
		t.Errorf("man was given %q and %.80q", args, page)
	}

	t.Setenv("PATH", t.TempDir())
	errb.Reset()
	if code := (&app{stdin: strings.NewReader(""), stdout: tty, stderr: &errb}).run(context.Background(), []string{"--lang", "fr", "man"}); code != 0 || !strings.Contains(errb.String(), "revue man | man -l -") {
		t.Errorf("without man: %d %q", code, errb.String())
	}
}
