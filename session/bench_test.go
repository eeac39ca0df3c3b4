package session_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/keygen"
	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
)

// TestMain lets the load benchmark re-run this test binary as the server
// process, so that the server's memory is measured apart from the clients'
// (their SSH clients and terminal emulators live in the benchmark's own
// process).
func TestMain(m *testing.M) {
	if os.Getenv("REVUE_TMUX_REDRAW") != "" {
		tmuxRedraw(os.Getenv("REVUE_TMUX_REDRAW"))
		return
	}
	if os.Getenv("REVUE_BENCH_SERVER") != "" {
		if err := benchServer(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	os.Exit(m.Run())
}

// benchServer serves the store REVUE_BENCH_STORE with the real interface
// on a loopback port, prints "ADDR host:port", then answers "MEM" with its
// live heap and resident size after a GC, and "QUIT" by shutting down.
//
// With REVUE_BENCH_CPUPROFILE set, it profiles its CPU from the second
// "MEM" (every client connected and drawn) to "QUIT": the rounds only, as
// server-cpu-ms/round counts them; with REVUE_BENCH_PROFILE_IDLE set too,
// to the third "MEM": BenchmarkRoom's quiet room only. Connecting N clients costs N revisions
// times N redraws, which would otherwise fill the profile at 200 clients.
// REVUE_BENCH_MEMSTATS and REVUE_BENCH_GOROUTINES tell what the resident
// size is made of at each "MEM" (see the MEM case and benchProfile).
func benchServer(in io.Reader, out io.Writer) error {
	mems := 0
	profile := func() error {
		path := os.Getenv("REVUE_BENCH_CPUPROFILE")
		if path == "" {
			return nil
		}
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		return nil
	}
	defer pprof.StopCPUProfile()
	st, err := store.Open(os.Getenv("REVUE_BENCH_STORE"))
	if err != nil {
		return err
	}
	defer st.Close()
	load := func(ctx context.Context, name string) (*review.State, error) {
		events, err := st.Replay(ctx, name)
		if err != nil {
			return nil, err
		}
		return review.Replay(events)
	}
	reg := session.NewRegistry(st, st.Sessions, load, "")
	newModel := newTUI
	if os.Getenv("REVUE_BENCH_UI") == "probe" {
		newModel = newProbe
	}
	// The configuration `revue serve` gives (internal/cli/server.go): its
	// limits and defaults, none raised for the benchmark.
	srv, err := session.NewServer(session.Config{Registry: reg, NewModel: newModel, Facilitators: os.Getenv("REVUE_BENCH_FACILITATORS")})
	if err != nil {
		return err
	}
	l, err := newLoopback()
	if err != nil {
		return err
	}
	go srv.Serve(l)
	fmt.Fprintf(out, "ADDR %s\n", l.Addr())
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		switch sc.Text() {
		case "MEM":
			if mems++; mems == 2 {
				if err := profile(); err != nil {
					return err
				}
			} else if mems == 3 && os.Getenv("REVUE_BENCH_PROFILE_IDLE") != "" {
				pprof.StopCPUProfile() // the quiet room only (BenchmarkRoom)
			}
			runtime.GC()
			if err := benchProfile("REVUE_BENCH_MEMPROFILE", "allocs", 0, mems); err != nil {
				return err
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			var ru syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			if os.Getenv("REVUE_BENCH_MEMSTATS") != "" {
				// What the resident size is made of, to stderr: the heap
				// in use, the heap freed but not yet returned to the
				// system, the goroutines' stacks, and the runtime's own.
				fmt.Fprintf(os.Stderr, "MEMSTATS %d rss=%d heap-inuse=%d heap-idle=%d heap-released=%d stack-inuse=%d other-sys=%d goroutines=%d\n",
					mems, rss(), ms.HeapInuse, ms.HeapIdle, ms.HeapReleased, ms.StackInuse, ms.Sys-ms.HeapSys-ms.StackSys, runtime.NumGoroutine())
				if err := benchProfile("REVUE_BENCH_GOROUTINES", "goroutine", 1, mems); err != nil {
					return err
				}
			}
			fmt.Fprintf(out, "MEM %d %d %d %d\n", ms.HeapAlloc, rss(), cpu, ms.TotalAlloc)
		case "CPU":
			// The CPU time so far, without the collection MEM forces.
			var ru syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			fmt.Fprintf(out, "CPU %d\n", ru.Utime.Nano()+ru.Stime.Nano())
		case "STATS":
			h, err := reg.Open(context.Background(), "jardin")
			if err != nil {
				return err
			}
			s := h.Stats()
			drawn, differing := session.FrameCounts()
			_, renders, hits := session.ScreenCounts()
			fmt.Fprintf(out, "STATS %d %d %d %d %d %d %d %d\n", s.Revisions, s.StateRevisions, s.Flushes, s.Signals, drawn, differing, renders, hits)
		case "QUIT":
			pprof.StopCPUProfile()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			return srv.Shutdown(ctx)
		}
	}
	return nil
}

// benchProfile writes pprof's profile name to the file $env.N at the Nth
// "MEM", when env is set: REVUE_BENCH_MEMPROFILE takes the allocations so
// far (go tool pprof -sample_index=alloc_space -base FILE.2 FILE.3 is what
// the rounds allocated), REVUE_BENCH_GOROUTINES the goroutines' stacks,
// resident memory the heap profile does not show.
func benchProfile(env, name string, debug, n int) error {
	path := os.Getenv(env)
	if path == "" {
		return nil
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", path, n))
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup(name).WriteTo(f, debug)
}

// rss is the process's resident set size in bytes, from /proc.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// child is the server process of a load benchmark.
type child struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	addr string
}

func (c *child) mem(b *testing.B) (heap, rss int64, cpu time.Duration, alloc int64) {
	b.Helper()
	fmt.Fprintln(c.in, "MEM")
	if !c.out.Scan() {
		b.Fatal("the server process is gone")
	}
	if _, err := fmt.Sscanf(c.out.Text(), "MEM %d %d %d %d", &heap, &rss, &cpu, &alloc); err != nil {
		b.Fatalf("server said %q: %v", c.out.Text(), err)
	}
	return heap, rss, cpu, alloc
}

// BenchmarkLoad connects N real SSH clients, each with a terminal emulator,
// to the real interface served by a separate process. In each round a
// facilitator's client presses one key that changes what every screen
// shows: "a" decides the proposal on screen (the status line of everyone
// goes from 0 to 1 decided), "u" undoes that decision (back to 0). The
// round lasts until every client's screen shows the change. It reports the
// latency of a round (p50, p99) and the same per client, the server's
// memory per connected 80x24 session, and checks that every action every
// screen showed is in the store. ui=probe runs the same against the small
// test interface, to tell the server's share from the interface's.
//
//	go test -run '^$' -bench BenchmarkLoad -benchtime 1x ./session/
func BenchmarkLoad(b *testing.B) {
	for _, ui := range []string{"tui", "probe"} {
		for _, n := range []int{10, 50, 200} {
			rounds := 100
			if n >= 200 {
				rounds = 50
			}
			b.Run(fmt.Sprintf("ui=%s/clients=%d", ui, n), func(b *testing.B) {
				for range b.N {
					loadRun(b, ui, n, rounds)
				}
			})
		}
	}
}

// startBenchServer writes a store of the "jardin" session with the given
// proposals and a facilitators file, and starts this test binary as the
// server process (REVUE_BENCH_SERVER), drawing screens with ui. It returns
// the process, the store's path and the facilitator's key; the process is
// killed at the end of the benchmark if it has not ended.
func startBenchServer(b *testing.B, ui string, proposals int) (*child, string, *keygen.KeyPair) {
	b.Helper()
	dir := b.TempDir()
	path := filepath.Join(dir, "trace.db")
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Append(context.Background(), corpus("jardin", "", proposals)...); err != nil {
		b.Fatal(err)
	}
	st.Close()
	fac := newKey(b)
	facPath := filepath.Join(dir, "facilitators")
	if err := os.WriteFile(facPath, []byte(fac.AuthorizedKey()+"\n"), 0o600); err != nil {
		b.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	// The server collects garbage as `revue serve` does (GOGC=200, set in
	// internal/cli/server.go), unless the caller chose otherwise.
	gogc := "GOGC=200"
	if v := os.Getenv("GOGC"); v != "" {
		gogc = "GOGC=" + v
	}
	cmd.Env = append(os.Environ(), gogc, "REVUE_BENCH_SERVER=1", "REVUE_BENCH_STORE="+path, "REVUE_BENCH_FACILITATORS="+facPath, "REVUE_BENCH_UI="+ui)
	cmd.Stderr = os.Stderr
	c := &child{cmd: cmd}
	if c.in, err = cmd.StdinPipe(); err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill() })
	c.out = bufio.NewScanner(stdout)
	if !c.out.Scan() || !strings.HasPrefix(c.out.Text(), "ADDR ") {
		b.Fatalf("the server process did not start: %q", c.out.Text())
	}
	c.addr = strings.TrimPrefix(c.out.Text(), "ADDR ")
	return c, path, fac
}

func loadRun(b *testing.B, ui string, n, rounds int) {
	c, path, fac := startBenchServer(b, ui, 3)
	cmd := c.cmd
	heap0, rss0, _, _ := c.mem(b)

	// A stand-in *session.Server, only a key for dial's address lookup.
	key := &session.Server{}
	addrs.Store(key, c.addr)
	cfg := func(user string, auth ...gossh.AuthMethod) *gossh.ClientConfig {
		return &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: waitLimit}
	}
	terms := make([]*term, n)
	terms[0] = dial(b, key, cfg("anna", gossh.PublicKeys(fac.Signer())), termOpts{})
	for i := 1; i < n; i++ {
		terms[i] = dial(b, key, cfg(fmt.Sprintf("p%03d", i), passcode(new(int), "")), termOpts{})
	}
	// shows is what a screen shows with k proposals decided.
	shows := func(k int) string {
		if ui == "probe" {
			return [...]string{"L1 pending", "L1 accepted"}[k]
		}
		return fmt.Sprintf("%d/3 decided", k)
	}
	for _, tm := range terms {
		tm.waitText(shows(0))
	}
	heap1, rss1, cpu1, alloc1 := c.mem(b)

	var roundLat, clientLat []time.Duration
	b.ResetTimer()
	for r := 1; r <= rounds; r++ {
		want := shows(r % 2)
		seen := make([]time.Duration, n)
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := time.Now()
		terms[0].press([...]string{"u", "a"}[r%2])
		for i, tm := range terms {
			wg.Go(func() {
				_, errs[i] = tm.until(func(s string) bool { return strings.Contains(s, want) })
				seen[i] = time.Since(start)
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				b.Fatalf("round %d, client %d: %v", r, i, err)
			}
		}
		clientLat = append(clientLat, seen...)
		roundLat = append(roundLat, slices.Max(seen))
	}
	b.StopTimer()
	_, _, cpu2, alloc2 := c.mem(b)

	fmt.Fprintln(c.in, "QUIT")
	for _, tm := range terms {
		tm.waitEnd()
		tm.close()
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("server process: %v", err)
	}
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	events, err := st.Replay(context.Background(), "jardin")
	if err != nil {
		b.Fatal(err)
	}
	state, err := review.Replay(events)
	if err != nil {
		b.Fatal(err)
	}
	// The facilitator's u after a seal reopens the link (issue 7): the
	// trace says decision.reopened, not action.undone.
	decisions, reopened := 0, 0
	for _, e := range events {
		switch e.Kind {
		case review.KindDecisionMade:
			decisions++
		case review.KindDecisionReopened:
			reopened++
		}
	}
	if decisions != (rounds+1)/2 || reopened != rounds/2 || state.Decided() != rounds%2 {
		b.Fatalf("the store holds %d decisions and %d reopenings (%d decided), the rounds made %d and %d", decisions, reopened, state.Decided(), (rounds+1)/2, rounds/2)
	}

	if os.Getenv("REVUE_BENCH_VERBOSE") != "" {
		b.Logf("rounds (ms): %v", roundLat)
	}
	b.ReportMetric(pct(roundLat, 50), "round-p50-ms")
	b.ReportMetric(pct(roundLat, 99), "round-p99-ms")
	b.ReportMetric(pct(clientLat, 50), "client-p50-ms")
	b.ReportMetric(pct(clientLat, 99), "client-p99-ms")
	b.ReportMetric(float64(heap1-heap0)/float64(n)/1e6, "heap-MB/session")
	b.ReportMetric(float64(rss1-rss0)/float64(n)/1e6, "rss-MB/session")
	b.ReportMetric(float64((cpu2-cpu1).Microseconds())/1000/float64(rounds), "server-cpu-ms/round")
	b.ReportMetric(float64(alloc2-alloc1)/1e3/float64(rounds*n), "server-alloc-KB/update")
	b.ReportMetric(0, "ns/op")
}

// pct is the p-th percentile of ds, in milliseconds.
func pct(ds []time.Duration, p int) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := min(len(s)-1, (len(s)*p+99)/100-1)
	return float64(s[max(i, 0)].Microseconds()) / 1000
}
