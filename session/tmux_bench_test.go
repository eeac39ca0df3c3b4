package session_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkFollowAgainstTmux measures, in one run, what a facilitator would
// otherwise use to share one screen with a room: tmux, N read-only clients
// (`tmux attach -r`) each on its own PTY, a program redrawing a full 80x24
// screen every 1.5 s; then Revue's follow mode with N clients, the
// facilitator moving every 1.5 s. It reports each one's server CPU and
// bytes per change and per client, and their ratio. REVUE_TMUX_CLIENTS sets
// N (default 200), REVUE_ROOM_SECONDS the measured time (default 20).
//
//	go test -run '^$' -bench BenchmarkFollowAgainstTmux -benchtime 1x -timeout 30m ./session/
func BenchmarkFollowAgainstTmux(b *testing.B) {
	for _, tool := range []string{"tmux", "script", "stty"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s is not installed (Debian package tmux, util-linux, coreutils)", tool)
		}
	}
	n := 200
	if v, err := strconv.Atoi(os.Getenv("REVUE_TMUX_CLIENTS")); err == nil && v > 0 {
		n = v
	}
	for range b.N {
		t := tmuxRun(b, n)
		r := roomRun(b, n, true)
		b.ReportMetric(float64(t.cpuPerPressPerClient.Nanoseconds())/1e6, "tmux-cpu-ms/change/client")
		b.ReportMetric(t.bytesPerPressPerClient, "tmux-B/change/client")
		b.ReportMetric(float64(r.cpuPerPressPerClient.Nanoseconds())/1e6, "revue-cpu-ms/move/client")
		b.ReportMetric(r.bytesPerPressPerClient, "revue-B/move/client")
		if t.cpuPerPressPerClient > 0 {
			b.ReportMetric(float64(r.cpuPerPressPerClient)/float64(t.cpuPerPressPerClient), "cpu-ratio-revue/tmux")
		}
	}
}

// tmuxRedraw is the program tmux shows: a full 80x24 screen, every line
// changed, every 1.5 s; it writes the number of screens drawn to path.
func tmuxRedraw(path string) {
	for k := 1; ; k++ {
		var s strings.Builder
		s.WriteString("\x1b[H")
		for row := range 24 {
			line := fmt.Sprintf("%03d screen %06d: the passage of link %d, as a facilitator would show it", row, k, k%60)
			fmt.Fprintf(&s, "%-80.80s", line)
			if row < 23 {
				s.WriteString("\r\n")
			}
		}
		_, _ = io.WriteString(os.Stdout, s.String())
		_ = os.WriteFile(path, []byte(strconv.Itoa(k)), 0o600)
		time.Sleep(1500 * time.Millisecond)
	}
}

// tmuxRun serves the redrawing program through tmux to n read-only
// clients, each on a PTY of its own made by script(1), and measures the
// tmux server's CPU and the clients' bytes per screen change.
func tmuxRun(b *testing.B, n int) roomResult {
	seconds := 20
	if v, err := strconv.Atoi(os.Getenv("REVUE_ROOM_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	dir := b.TempDir()
	sock := filepath.Join(dir, "tmux.sock")
	count := filepath.Join(dir, "screens")
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		if err != nil {
			b.Fatalf("tmux %v: %v: %s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	redraw := fmt.Sprintf("env REVUE_TMUX_REDRAW=%s %s -test.run=^$", count, os.Args[0])
	tmux("new-session", "-d", "-s", "bench", "-x", "80", "-y", "24", redraw)
	b.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })
	tmux("set", "-g", "status", "off")
	tmux("set", "-g", "window-size", "manual")
	pid, err := strconv.Atoi(tmux("display", "-p", "#{pid}"))
	if err != nil {
		b.Fatal(err)
	}

	var received atomic.Int64
	for range n {
		cmd := exec.Command("script", "-qfec", "stty cols 80 rows 24; exec tmux -S "+sock+" attach -r -t bench", "/dev/null")
		cmd.Env = append(os.Environ(), "TERM=xterm-256color")
		stdin, err := cmd.StdinPipe() // kept open, never written: read-only clients
		if err != nil {
			b.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { stdin.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
		go func() {
			buf := make([]byte, 32*1024)
			for {
				k, err := stdout.Read(buf)
				received.Add(int64(k))
				if err != nil {
					return
				}
			}
		}()
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		clients := tmux("list-clients", "-F", "#{client_name}")
		if strings.Count(clients, "\n")+1 >= n && clients != "" {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d tmux clients attached", strings.Count(clients, "\n")+1, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // every client drawn
	screens := func() int {
		s, _ := os.ReadFile(count)
		k, _ := strconv.Atoi(string(bytes.TrimSpace(s)))
		return k
	}
	k1, cpu1, bytes1, p1 := screens(), procCPU(b, pid), received.Load(), readPressure()
	time.Sleep(time.Duration(seconds) * time.Second)
	k2, cpu2, bytes2, p2 := screens(), procCPU(b, pid), received.Load(), readPressure()
	changes := float64(k2 - k1)
	if changes < 1 {
		b.Fatal("the redrawing program drew nothing under tmux")
	}
	b.ReportMetric(100*float64(p2.total-p1.total)/float64(time.Duration(seconds)*time.Second), "tmux-cpu-pressure-%")
	_ = exec.Command("tmux", "-S", sock, "kill-server").Run()
	return roomResult{
		cpuPerPressPerClient:   time.Duration(float64(cpu2-cpu1) / changes / float64(n)),
		bytesPerPressPerClient: float64(bytes2-bytes1) / changes / float64(n),
	}
}

// procCPU is the user and system CPU time of process pid so far.
func procCPU(b *testing.B, pid int) time.Duration {
	s, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command's closing parenthesis: utime is the
	// 12th, stime the 13th, in clock ticks (100 a second on Linux).
	f := strings.Fields(string(s[bytes.LastIndexByte(s, ')')+1:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}
