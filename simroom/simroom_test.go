package simroom_test

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/propose"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/simroom"
	"github.com/coopdescommuns/revue/store"
	"github.com/coopdescommuns/revue/tui"
)

// waitLimit bounds the wait for the room's trace: generous, since a test
// machine may be busy, and never reached when things work.
const waitLimit = 90 * time.Second

// demoSession writes the demo's session into st as `revue demo` makes it:
// the sample imported, the lexical proposals and the hand-written examples.
func demoSession(t *testing.T, st *store.Store, name string) {
	t.Helper()
	ctx := context.Background()
	docs, criteria, err := sample.WriteTo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	res := corpus.Import(docs, criteria, corpus.Options{})
	if len(res.Problems) > 0 {
		t.Fatalf("import the sample: %v", res.Problems)
	}
	sys := review.Actor{Name: "revue", Role: review.System}
	now := time.Now()
	events := []review.Event{review.MustEvent(name, session.NewID(), now, sys, review.KindSessionCreated, review.SessionCreated{Name: name})}
	for _, d := range res.Documents {
		d.Source = filepath.Join("sample", filepath.Base(d.Source))
		events = append(events, review.MustEvent(name, "doc-"+d.ID, now, sys, review.KindDocumentAdded, d))
	}
	for _, c := range res.Criteria {
		events = append(events, review.MustEvent(name, "criterion-"+c.ID, now, sys, review.KindCriterionAdded, c))
	}
	if _, err := st.Append(ctx, events...); err != nil {
		t.Fatal(err)
	}
	state := load(t, st, name)
	if _, err := st.Append(ctx, sample.ExampleEvents(state, name, sys, now)...); err != nil {
		t.Fatal(err)
	}
	sink := func(events []review.Event) error { _, err := st.Append(ctx, events...); return err }
	if _, err := propose.Run(ctx, load(t, st, name), propose.Config{Frugal: true, Lang: "fr"}, sink, nil); err != nil {
		t.Fatal(err)
	}
}

func load(t *testing.T, st *store.Store, name string) *review.State {
	t.Helper()
	events, err := st.Replay(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := review.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// serve starts a real Revue SSH server on a loopback port, wired to the
// real interface as internal/cli wires it, and stops it at the end of the test.
func serve(t *testing.T, st *store.Store, passcode string) string {
	t.Helper()
	loadState := func(ctx context.Context, name string) (*review.State, error) {
		events, err := st.Replay(ctx, name)
		if err != nil {
			return nil, err
		}
		return review.Replay(events)
	}
	reg := session.NewRegistry(st, st.Sessions, loadState, "")
	srv, err := session.NewServer(session.Config{
		Registry: reg,
		Passcode: passcode,
		NewModel: func(r session.ModelRequest) tea.Model {
			return tui.New(tui.Options{Hub: r.Hub, Registry: r.Registry, Seat: r.Seat, Actor: r.Actor, Lang: r.Lang, Terminal: "ssh", Environ: r.Environ})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-served
	})
	return l.Addr().String()
}

// syncBuffer is the room's output, read while the room writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// roomOutcome is what the trace says of the room: who voted, and the
// proposals on which two people's verdicts in force differ.
type roomOutcome struct {
	voters       map[string]int // person → votes in force
	disagreement []string       // "proposal: alice accept, bob reject"
	reasons      int            // rejections with a reason, chosen in the picker
	rewordings   int            // rephrasings with a new statement, saved from the editor
	joined, left map[string]bool
}

func outcome(s *review.State) roomOutcome {
	o := roomOutcome{voters: map[string]int{}, joined: map[string]bool{}, left: map[string]bool{}}
	for _, p := range s.Proposals {
		verdicts := map[review.Verdict][]string{}
		for _, v := range p.Current() {
			if v.Actor.Role != review.Participant || v.Verdict == review.Skip {
				continue
			}
			o.voters[v.Actor.Name]++
			verdicts[v.Verdict] = append(verdicts[v.Verdict], v.Actor.Name)
			if v.Verdict == review.Reject && v.Reason != "" {
				o.reasons++
			}
			if v.Verdict == review.Rephrase && v.Statement != "" && v.Statement != p.Statement {
				o.rewordings++
			}
		}
		if len(verdicts) > 1 {
			var parts []string
			for verdict, names := range verdicts {
				parts = append(parts, string(verdict)+" by "+strings.Join(names, ", "))
			}
			o.disagreement = append(o.disagreement, p.ID+": "+strings.Join(parts, "; "))
		}
	}
	for _, e := range s.Events {
		switch e.Kind {
		case review.KindParticipantJoin:
			o.joined[e.Actor.Name] = true
		case review.KindParticipantLeft:
			o.left[e.Actor.Name] = true
		}
	}
	return o
}

// TestRoomVotesAndDisagrees lets a room of four simulated people, at a fast
// pace, work on the demo session through a real server with a passcode,
// and checks the trace: everyone joined and voted, two people disagree on
// at least one link, a rejection came with a reason from the picker and a
// rewording from the editor, and once the room is told to stop everyone
// has left.
func TestRoomVotesAndDisagrees(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	demoSession(t, st, "demo")
	addr := serve(t, st, "tournesol")

	const people = 4
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- simroom.Run(ctx, simroom.Config{Addr: addr, Session: "demo", People: people, Seed: 7, Lang: "fr", Stdout: &out, Pace: 20 * time.Millisecond, Passcode: "tournesol"})
	}()

	// A bounded poll of the store: the room acts by itself, and the test
	// only waits until the trace holds what a room produces.
	var o roomOutcome
	deadline := time.Now().Add(waitLimit)
	for {
		o = outcome(load(t, st, "demo"))
		if len(o.voters) == people && len(o.disagreement) > 0 && o.reasons > 0 && o.rewordings > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the room stopped by itself (%v); output:\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the trace has voters %v, disagreements %v, %d reasons and %d rewordings; output:\n%s", waitLimit, o.voters, o.disagreement, o.reasons, o.rewordings, out.String())
		}
	}
	t.Logf("voters %v; disagreements %v", o.voters, o.disagreement)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("the room did not stop after its context ended")
	}
	// The server records a leave when it sees the connection close, which
	// can come a moment after Run has returned: wait (bounded) until every
	// person who joined has left, then judge.
	deadline = time.Now().Add(waitLimit)
	for {
		o = outcome(load(t, st, "demo"))
		if len(o.joined) == people && len(o.left) >= len(o.joined) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(o.joined) != people {
		t.Errorf("joined: %v, want %d people", o.joined, people)
	}
	for name := range o.joined {
		if !o.left[name] {
			t.Errorf("%s joined but never left: the connection was not closed cleanly", name)
		}
		if !strings.Contains(out.String(), name+" rejoint la salle") {
			t.Errorf("the output does not say that %s joined:\n%s", name, out.String())
		}
	}
}

// TestRoomNeedsTheServer: a room pointed at an address where nobody listens
// says who could not join and where.
func TestRoomNeedsTheServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	err = simroom.Run(context.Background(), simroom.Config{Addr: addr, People: 1, Pace: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "could not join") {
		t.Fatalf("err = %v, want one naming %s", err, addr)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []simroom.Config{{}, {Addr: "127.0.0.1:1", Lang: "de"}, {Addr: "127.0.0.1:1", People: len(simroom.Names) + 1}} {
		if err := simroom.Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v) = nil, want an error", cfg)
		}
	}
}

// TestDemoSeedStory checks what the demo's recording relies on: with
// DemoSeed, the first vote of each of the three people is on the same link,
// and they accept, reject and rephrase it.
func TestDemoSeedStory(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	demoSession(t, st, "demo")
	addr := serve(t, st, "")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- simroom.Run(ctx, simroom.Config{Addr: addr, Session: "demo", People: 3, Seed: simroom.DemoSeed, Stdout: &out, Pace: 20 * time.Millisecond})
	}()
	type first struct {
		proposal string
		verdict  review.Verdict
	}
	var firsts map[string]first
	deadline := time.Now().Add(waitLimit)
	for {
		firsts = map[string]first{}
		for _, e := range load(t, st, "demo").Events {
			if e.Kind != review.KindVoteCast {
				continue
			}
			var v review.VoteData
			if err := e.Decode(&v); err != nil {
				t.Fatal(err)
			}
			if _, seen := firsts[e.Actor.Name]; !seen {
				firsts[e.Actor.Name] = first{v.Proposal, v.Verdict}
			}
		}
		if len(firsts) == 3 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the room stopped by itself (%v); output:\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v only %v voted; output:\n%s", waitLimit, firsts, out.String())
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := map[string]review.Verdict{"Bastien": review.Accept, "Camille": review.Reject, "Manon": review.Rephrase}
	var link string
	for name, f := range firsts {
		if want[name] != f.verdict {
			t.Errorf("%s's first vote is %s, want %s (all: %v)", name, f.verdict, want[name], firsts)
		}
		if link == "" {
			link = f.proposal
		} else if f.proposal != link {
			t.Errorf("first votes on different links: %v", firsts)
		}
	}
}
