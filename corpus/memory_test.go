package corpus

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the test binary run as the child of the memory tests: with
// REVUE_MEM_IMPORT set, it imports the paths listed there (separated by
// the path list separator), prints a line about the result and exits, so
// that the parent reads the child's peak resident memory alone.
func TestMain(m *testing.M) {
	if paths := os.Getenv("REVUE_MEM_IMPORT"); paths != "" {
		res := Import(filepath.SplitList(paths), "", Options{})
		chars := 0
		for _, d := range res.Documents {
			chars += d.Chars
		}
		fmt.Printf("documents %d chars %d problems %d\n", len(res.Documents), chars, len(res.Problems))
		for _, p := range res.Problems {
			fmt.Println(p.Error())
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// importPeak imports paths in a child process and returns its peak
// resident memory in bytes (getrusage's ru_maxrss) and what it printed.
func importPeak(t *testing.T, paths ...string) (int64, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "REVUE_MEM_IMPORT="+strings.Join(paths, string(filepath.ListSeparator)))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this system")
	}
	return ru.Maxrss << 10, string(out) // kilobytes on Linux
}

// TestImportMemoryText imports a 200 MB text file in a child process: its
// peak memory stays under 300 MB (it was 2.84 GB), the text itself being
// 200 MB of it. Skipped with -short (.ci/quick): it writes 200 MB.
func TestImportMemoryText(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200 MB file; run without -short")
	}
	path := filepath.Join(t.TempDir(), "enorme.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	line := "Les membres de la coopérative décident ensemble des règles, et chacun peut en proposer la révision.\n"
	for written := 0; written < 200<<20; written += len(line) {
		w.WriteString(line)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	peak, out := importPeak(t, path)
	t.Logf("200 MB text file: peak RSS %d MB (%s)", peak>>20, strings.TrimSpace(out))
	if !strings.HasPrefix(out, "documents 1 ") {
		t.Fatalf("import: %s", out)
	}
	if peak > 300<<20 {
		t.Errorf("peak RSS %d MB for a 200 MB text file, more than 300 MB", peak>>20)
	}
}
