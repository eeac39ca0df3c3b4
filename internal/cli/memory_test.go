//go:build unix

package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

// TestCommandMemoryChild is the child of TestExportMemory: it runs the
// command line in $REVUE_MEM_ARGS (one argument a line) and exits with its
// code, or writes the session of TestExportMemory when it is "write" and
// a directory. Without that variable it does nothing.
func TestCommandMemoryChild(t *testing.T) {
	args := os.Getenv("REVUE_MEM_ARGS")
	if args == "" {
		t.Skip("the child of TestExportMemory")
	}
	if dir, ok := strings.CutPrefix(args, "write\n"); ok {
		st, err := store.Open(filepath.Join(dir, "revue.db"))
		if err != nil {
			t.Fatal(err)
		}
		events := padSession("m", 6000, 7800)
		for i := 0; i < len(events); i += 1000 {
			if _, err := st.Append(context.Background(), events[i:min(i+1000, len(events))]...); err != nil {
				t.Fatal(err)
			}
		}
		os.Exit(map[bool]int{true: 0, false: 1}[st.Close() == nil])
	}
	os.Exit(run(context.Background(), strings.Split(args, "\n"), strings.NewReader(""), os.Stdout, os.Stderr))
}

// commandPeak runs one command line in a child process and returns its
// peak resident memory (getrusage).
func commandPeak(t *testing.T, args ...string) int64 {
	t.Helper()
	return commandPeakUnder(t, "48MiB", args...)
}

// commandPeakUnder is commandPeak under the soft memory limit given.
func commandPeakUnder(t *testing.T, limit string, args ...string) int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCommandMemoryChild$")
	// A soft limit far below what a command holds keeps the heap near
	// what is alive: the peak measures what is held, not when the
	// collector happened to run.
	cmd.Env = append(os.Environ(), "REVUE_MEM_ARGS="+strings.Join(args, "\n"), "GOMEMLIMIT="+limit)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this system")
	}
	return ru.Maxrss << 10 // kilobytes on Linux
}

// commandPeakOr is commandPeak for a command that may fail (failing is
// allowed: forget of somebody who never came still reads the session).
func commandPeakOr(t *testing.T, mayFail bool, args ...string) int64 {
	t.Helper()
	if !mayFail {
		return commandPeak(t, args...)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCommandMemoryChild$")
	cmd.Env = append(os.Environ(), "REVUE_MEM_ARGS="+strings.Join(args, "\n"), "GOMEMLIMIT=48MiB")
	_ = cmd.Run()
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this system")
	}
	return ru.Maxrss << 10
}

// padSession is a session of n pads of about size bytes each, cut into
// passages of about 1,100 bytes, with one criterion.
func padSession(name string, n, size int) []review.Event {
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	events := []review.Event{review.MustEvent(name, "session-1", now, systemActor, review.KindSessionCreated, review.SessionCreated{Name: name})}
	words := strings.Fields("la coopérative décide ensemble des règles et chacun peut en proposer la révision « œuvre » déjà été")
	for i := range n {
		d := review.Document{ID: fmt.Sprintf("d%05d", i), Title: fmt.Sprintf("Pad %d", i), Source: fmt.Sprintf("pads/%d.md", i), SHA256: fmt.Sprintf("%064x", i), Format: "markdown"}
		var b strings.Builder
		for k := 0; b.Len() < size; k++ {
			b.WriteString(words[(i*7+k*3)%len(words)])
			b.WriteString(map[bool]string{true: ".\n", false: " "}[k%17 == 16])
		}
		text := []rune(b.String())
		for start := 0; start < len(text); start += 1000 {
			end := min(start+1000, len(text))
			d.Passages = append(d.Passages, review.Passage{ID: fmt.Sprintf("%s-p%d", d.ID, len(d.Passages)), Document: d.ID, Index: len(d.Passages), Text: string(text[start:end]), Start: start, End: end})
		}
		d.Chars = len(text)
		events = append(events, review.MustEvent(name, "doc-"+d.ID, now, systemActor, review.KindDocumentAdded, d))
	}
	return append(events, review.MustEvent(name, "criterion-c1", now, systemActor, review.KindCriterionAdded, review.Criterion{ID: "c1", Title: "Participation"}))
}

// TestExportMemory exports a session of 6,000 pads of realistic size
// (about 1,300 words each, 45 MB of document payloads) in child processes
// and checks that no format holds the documents' text: its peak above
// `revue sessions` on the same store stays under 1.5 times the payloads
// (25-43 MB measured with the text read from the store as it is written;
// 72-80 MB when the trace was read whole and released as folded, 124-126
// MB before that). report, dossier and forget, which show no passage's
// text, stay under the payloads above `sessions` (28-30 MB; the report
// reading the whole trace held 125 MB). It then serves the session, and
// checks that the
// server, once listening, holds less than three quarters of the payloads
// above `sessions`: 17 MB with the passages' text left in the store, 68
// MB when it was held. Skipped with -short: it writes 50 MB.
func TestExportMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 50 MB session; run without -short")
	}
	// The session is written by a child too: a child's peak counts its
	// parent's memory at the time it starts.
	data := t.TempDir()
	commandPeak(t, "write", data)
	fi, err := os.Stat(filepath.Join(data, "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	payloads := fi.Size() * 9 / 10 // the documents are nearly all of it
	base := commandPeak(t, "--data", data, "sessions")
	for _, format := range review.Formats {
		peak := commandPeak(t, "--data", data, "export", "m", "--format", format, "-o", filepath.Join(data, "out."+format))
		t.Logf("%s: peak %d MB, %d MB above `sessions`, payloads %d MB", format, peak>>20, (peak-base)>>20, payloads>>20)
		if above := peak - base; above > payloads*3/2 {
			t.Errorf("export --format %s: peak %d MB, %d MB above `sessions`: more than 1.5 times the documents' %d MB", format, peak>>20, above>>20, payloads>>20)
		}
	}
	// The report, the dossier and a withdrawal show no passage's text, and
	// read the trace without it.
	for _, args := range [][]string{{"report", "m"}, {"dossier", "m", "-o", filepath.Join(data, "dossier.html")}, {"forget", "m", "--person", "nobody"}} {
		peak := commandPeakOr(t, args[0] == "forget", append([]string{"--data", data, "--lang", "en"}, args...)...)
		t.Logf("%s: peak %d MB, %d MB above `sessions`", args[0], peak>>20, (peak-base)>>20)
		if above := peak - base; above > payloads {
			t.Errorf("%s: peak %d MB, %d MB above `sessions`: more than the documents' %d MB, as if their text were held", args[0], peak>>20, above>>20, payloads>>20)
		}
	}
	// A served session keeps no passage's text: resident once it listens,
	// it holds the passages' metadata, not their 45 MB of text.
	rss, hwm := servedMemory(t, data, "m")
	t.Logf("serve: resident %d MB, %d MB above `sessions`, load peak %d MB", rss>>20, (rss-base)>>20, hwm>>20)
	if above := rss - base; above > payloads*3/4 {
		t.Errorf("serve --session: resident %d MB, %d MB above `sessions`: more than three quarters of the documents' %d MB, as if their text were held", rss>>20, above>>20, payloads>>20)
	}
}

// servedMemory runs `revue serve --session name` in a child process until
// it listens, and returns its resident memory then and its peak
// (/proc/PID/status), before anybody joins.
func servedMemory(t *testing.T, data, name string) (rss, hwm int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCommandMemoryChild$")
	cmd.Env = append(os.Environ(), "REVUE_MEM_ARGS="+strings.Join([]string{"--data", data, "--lang", "en", "serve", "--session", name, "--listen", "127.0.0.1:0"}, "\n"), "GOMEMLIMIT=48MiB")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	lines := bufio.NewScanner(stderr)
	var said strings.Builder
	for lines.Scan() {
		said.WriteString(lines.Text() + "\n")
		if strings.HasPrefix(lines.Text(), "To join") {
			break
		}
	}
	if !strings.Contains(said.String(), "To join") {
		t.Fatalf("serve never listened:\n%s", said.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		t.Skipf("no /proc on this system: %v", err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		k, v, _ := strings.Cut(l, ":")
		var kb int64
		fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb)
		switch k {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			hwm = kb << 10
		}
	}
	if rss == 0 {
		t.Skip("no VmRSS in /proc/PID/status")
	}
	return rss, hwm
}

// TestInitMemory runs `revue init` on a 32 MB text file in a child process
// under a soft limit of 16 MiB, so that the peak measures what is held.
// With the document as one event (its JSON built whole, then copied twice
// by SQLite) this test measured 7.4 times the file above `revue sessions`;
// with the events written as they are encoded but the text held from its
// reading to its writing, 2.6 times; with the passages read again from the
// file as they are written (corpus.Later), 0.64 times. It fails above 1.5
// times. Skipped with -short: it writes 32 MB.
func TestInitMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 32 MB file; run without -short")
	}
	dir, data := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "enorme.txt")
	writeProse(t, path, 32<<20, 2)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	criteria := writeCriteria(t, dir)
	base := commandPeakUnder(t, "16MiB", "--data", data, "sessions")
	peak := commandPeakUnder(t, "16MiB", "--data", data, "init", "big", "--criteria", criteria, path)
	t.Logf("init of a %d MB text: peak %d MB, %d MB above `sessions` (%.2f times the file)", fi.Size()>>20, peak>>20, (peak-base)>>20, float64(peak-base)/float64(fi.Size()))
	if above := peak - base; above > fi.Size()*3/2 {
		t.Errorf("init: peak %d MB, %d MB above `sessions`: more than 1.5 times the file's %d MB", peak>>20, above>>20, fi.Size()>>20)
	}
}
