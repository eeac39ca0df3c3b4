package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskFull fills a small tmpfs holding the data directory, as a laptop
// whose disk is full, and runs the commands that only read: each says the
// disk is full and what to do, not SQLite's "disk I/O error (4874)". It
// needs root to mount the tmpfs: skipped otherwise.
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	data := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", data).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", data).Run() })
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs[0])...); code != 0 {
		t.Fatal(errs)
	}
	f, err := os.Create(filepath.Join(data, "plein"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	for _, args := range [][]string{{"sessions"}, {"verify", "atelier"}, {"export", "atelier"}, {"report", "atelier"}} {
		code, _, errs := revue(t, data, args...)
		if code != 1 || !strings.Contains(errs, "the disk is full: Revue cannot write anything more in "+data) || strings.Contains(errs, "I/O error") {
			t.Errorf("revue %s on a full disk: %d %s", strings.Join(args, " "), code, errs)
		}
	}
}
