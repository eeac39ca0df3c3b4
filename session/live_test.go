package session_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
)

// signalled reports whether sub holds a signal, and empties it.
func signalled(sub *session.Subscription) bool {
	select {
	case <-sub.C:
		return true
	default:
		return false
	}
}

// A change of focus makes no revision of the state and, once gathered,
// wakes only the screens that show the lookers of a proposal it concerns;
// a vote wakes those that show its proposal; a decision wakes everyone.
func TestPresenceTellsOnlyWhoShowsIt(t *testing.T) {
	w := newWorld(t, "", "jardin")
	ctx := context.Background()
	h, err := w.reg.Open(ctx, "jardin")
	if err != nil {
		t.Fatal(err)
	}
	onL1, onL3, none, all := h.Subscribe(), h.Subscribe(), h.Subscribe(), h.Subscribe()
	for _, s := range []*session.Subscription{onL1, onL3, none, all} {
		defer s.Close()
	}
	onL1.Show("L1")
	onL3.Show("L3")
	none.Show()
	zoe := review.Actor{Name: "zoé", Role: review.Participant}
	conn, err := h.Join(ctx, zoe, "ssh")
	if err != nil {
		t.Fatal(err)
	}
	// The join is a change of the state: everybody is told.
	for name, s := range map[string]*session.Subscription{"L1": onL1, "L3": onL3, "none": none, "all": all} {
		if !signalled(s) {
			t.Errorf("the subscription showing %s was not told of a join", name)
		}
	}
	before := h.Stats()
	steps := []struct {
		to   string
		told map[*session.Subscription]bool
	}{
		{"L1", map[*session.Subscription]bool{onL1: true, onL3: false, none: false, all: true}},
		{"L2", map[*session.Subscription]bool{onL1: true, onL3: false, none: false, all: true}},   // L1 lost a looker
		{"L2", map[*session.Subscription]bool{onL1: false, onL3: false, none: false, all: false}}, // no change at all
		{"L3", map[*session.Subscription]bool{onL1: false, onL3: true, none: false, all: true}},
	}
	names := map[*session.Subscription]string{onL1: "L1", onL3: "L3", none: "none", all: "all"}
	for i, st := range steps {
		h.Focus(conn, st.to)
		if got := h.Snapshot().Online[0].Focus; got != st.to {
			t.Fatalf("step %d: the snapshot says zoé looks at %q, want %q", i, got, st.to)
		}
		h.FlushPresence()
		for s, want := range st.told {
			if got := signalled(s); got != want {
				t.Errorf("step %d (to %s): subscription showing %s told = %v, want %v", i, st.to, names[s], got, want)
			}
		}
	}
	after := h.Stats()
	// A vote changes one proposal: only the screens that show it are told;
	// a screen that comes to show it afterwards is told at once.
	if _, err := h.Do(ctx, zoe, review.KindVoteCast, review.VoteData{Proposal: "L3", Verdict: review.Accept, Version: 1}); err != nil {
		t.Fatal(err)
	}
	for s, want := range map[*session.Subscription]bool{onL1: false, onL3: true, none: false, all: true} {
		if got := signalled(s); got != want {
			t.Errorf("a vote on L3: subscription showing %s told = %v, want %v", names[s], got, want)
		}
	}
	onL1.Show("L1")
	if signalled(onL1) {
		t.Error("a screen that shows L1 again, unchanged since it was told, was told again")
	}
	onL1.Show("L3")
	if !signalled(onL1) {
		t.Error("a screen that comes to L3, which changed since it was told, was not told")
	}
	// What the research records as it happens changes nothing on screen:
	// nobody is told, not even the screens that asked for everything (a
	// browsing room records one at nearly every key press); the snapshot
	// asked for afterwards holds it.
	e, err := h.Do(ctx, zoe, review.KindExposure, review.Exposure{Proposal: "L3", From: time.Now(), To: time.Now(), State: "active", End: "moved"})
	if err != nil {
		t.Fatal(err)
	}
	if !h.Snapshot().State.HasEvent(e.ID) {
		t.Error("the snapshot after an exposure does not hold it")
	}
	for s, want := range map[*session.Subscription]bool{onL1: false, onL3: false, none: false, all: false} {
		if got := signalled(s); got != want {
			t.Errorf("an exposure: subscription showing %s told = %v, want %v", names[s], got, want)
		}
	}
	// A decision changes the progress every screen shows: all are told.
	if _, err := h.Do(ctx, review.Actor{Name: "anna", Fingerprint: "SHA256:anna", Role: review.Facilitator}, review.KindDecisionMade, review.VoteData{Proposal: "L2", Verdict: review.Accept}); err != nil {
		t.Fatal(err)
	}
	for s := range names {
		if !signalled(s) {
			t.Errorf("a decision: the subscription showing %s was not told", names[s])
		}
	}
	if after.StateRevisions != before.StateRevisions {
		t.Errorf("changes of focus made %d revisions of the state, want 0", after.StateRevisions-before.StateRevisions)
	}
	if after.Flushes-before.Flushes != 3 {
		t.Errorf("flushes = %d, want 3 (the focus that did not change is no change)", after.Flushes-before.Flushes)
	}
	if n := len(w.kinds(t, "jardin", review.KindParticipantJoin)); n != 1 {
		t.Errorf("the trace holds %d joins, want 1 (focus is not recorded)", n)
	}
}

// A draft and the place on screen are kept for a reconnection, in memory.
func TestDraftKeptAcrossReconnection(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	me := &person{}
	alice := dial(t, srv, clientConfig(srv, "alice", me.auth()), termOpts{})
	alice.waitText("session=jardin online=1")
	alice.press("d")
	alice.waitText("done=1")
	alice.press("j")
	alice.waitText("done=2")
	alice.close()
	waitLeft(t, w, "jardin", 1)

	again := dial(t, srv, clientConfig(srv, "alice", me.auth()), termOpts{})
	again.waitText("draft L2 rephrase: brouillon à garder", "back at L2")
	// Somebody else gets neither.
	bob := dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{})
	s := bob.waitText("session=jardin online=2")
	if strings.Contains(s, "draft") || strings.Contains(s, "back at") {
		t.Errorf("bob's screen shows alice's draft or place:\n%s", s)
	}
	for _, e := range w.events(t, "jardin") {
		if strings.Contains(string(e.Data), "brouillon") {
			t.Errorf("the draft is in the trace: %s %s", e.Kind, e.Data)
		}
	}
}

// When the server stops, each screen says why, in its language, after the
// terminal is restored; the interface is told first (Snapshot.Closing).
func TestShutdownSaysWhy(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv, served := start(t, probeConfig(w))
	bob := dial(t, srv, clientConfig(srv, "bob", passcode(new(int), "")), termOpts{env: map[string]string{"LANG": "fr_FR.UTF-8"}})
	eve := dial(t, srv, clientConfig(srv, "eve", passcode(new(int), "")), termOpts{})
	bob.waitText("online=2")
	eve.waitText("online=2")
	h, err := w.reg.Open(context.Background(), "jardin")
	if err != nil {
		t.Fatal(err)
	}
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		shut <- srv.ShutdownFor(ctx, session.ReasonEnded)
	}()
	for tm, want := range map[*term]string{
		bob: "Le serveur s'arrête : l'animation a terminé la séance.",
		eve: "The server is stopping: the facilitator ended the session.",
	} {
		tm.waitEnd()
		tm.close()
		if s := tm.screen(); !strings.Contains(s, want) {
			t.Errorf("the last screen does not say %q:\n%s", want, s)
		}
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	<-served
	if got := h.Snapshot().Closing; got != session.ReasonEnded {
		t.Errorf("the last snapshot's Closing = %q, want %q", got, session.ReasonEnded)
	}
}

// A proposal appended by another handle on the same file (another process:
// `revue propose` while `revue serve` runs) shows on a served screen, and
// the hub folds it once, skipping the events it wrote itself.
func TestExternalAppendShows(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, tuiConfig(w))
	alice := dial(t, srv, clientConfig(srv, "alice", passcode(new(int), "")), termOpts{})
	alice.waitText("alice", "0/3")

	other, err := store.Open(w.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	sys := review.Actor{Name: "revue", Role: review.System}
	p := review.Proposal{
		ID: "L9", Document: "d-jardin", Passage: "p2-jardin", Criterion: "C2",
		Statement: "Le passage 2 dit qui surveille les règles.", Quote: "votent les règles", QuoteStart: -1, QuoteEnd: -1,
		Confidence: 0.6, Origin: review.Origin{Kind: review.OriginExample, Name: "other process"},
	}
	if _, err := other.Append(context.Background(), review.MustEvent("jardin", session.NewID(), time.Now(), sys, review.KindProposalAdded, p)); err != nil {
		t.Fatal(err)
	}
	alice.waitText("0/4")

	h, err := w.reg.Open(context.Background(), "jardin")
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := h.Snapshot().State.Proposal("L9"); !ok || got.Statement != p.Statement {
		t.Fatalf("the hub's snapshot lacks the other process's proposal: %v %v", got, ok)
	}
	// A vote through the hub, then a poll: the hub's own event is not
	// folded twice, and nothing else is new.
	if _, err := h.Do(context.Background(), review.Actor{Name: "alice", Role: review.Participant}, review.KindVoteCast, review.VoteData{Proposal: "L9", Verdict: review.Accept}); err != nil {
		t.Fatal(err)
	}
	if n, err := h.Poll(context.Background()); err != nil || n != 0 {
		t.Fatalf("a poll after the hub's own vote folded %d events (%v), want 0", n, err)
	}
	if got, _ := h.Snapshot().State.Proposal("L9"); len(got.Votes) != 1 {
		t.Errorf("L9 has %d votes, want 1", len(got.Votes))
	}
	if err := h.PollErr(); err != nil {
		t.Errorf("poll error: %v", err)
	}
}

// The hub reads the trace only when another connection committed to the
// file since its last read (the store's data_version): an idle room, or
// one whose only writes are the hub's own, costs no read of the trace; an
// append by another process is read, once, and folded.
func TestPollReadsOnlyWhenAnotherWrote(t *testing.T) {
	w := newWorld(t, "", "jardin")
	ctx := context.Background()
	h, err := w.reg.Open(ctx, "jardin")
	if err != nil {
		t.Fatal(err)
	}
	poll := func(wantFolded int, wantReads uint64, why string) {
		t.Helper()
		n, err := h.Poll(ctx)
		if err != nil || n != wantFolded {
			t.Fatalf("%s: the poll folded %d events (%v), want %d", why, n, err, wantFolded)
		}
		if got := h.Stats().Reads; got != wantReads {
			t.Fatalf("%s: the hub read the trace %d times, want %d", why, got, wantReads)
		}
	}
	poll(0, 1, "the first poll")
	poll(0, 1, "a poll with nothing new")
	if _, err := h.Do(ctx, review.Actor{Name: "alice", Role: review.Participant}, review.KindVoteCast, review.VoteData{Proposal: "L1", Verdict: review.Accept}); err != nil {
		t.Fatal(err)
	}
	poll(0, 1, "a poll after the hub's own vote")

	other, err := store.Open(w.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	sys := review.Actor{Name: "revue", Role: review.System}
	p := review.Proposal{
		ID: "L9", Document: "d-jardin", Passage: "p2-jardin", Criterion: "C2",
		Statement: "Le passage 2 dit qui surveille les règles.", Quote: "votent les règles", QuoteStart: -1, QuoteEnd: -1,
		Confidence: 0.6, Origin: review.Origin{Kind: review.OriginExample, Name: "other process"},
	}
	if _, err := other.Append(ctx, review.MustEvent("jardin", session.NewID(), time.Now(), sys, review.KindProposalAdded, p)); err != nil {
		t.Fatal(err)
	}
	poll(1, 2, "a poll after another process's append")
	if _, ok := h.Snapshot().State.Proposal("L9"); !ok {
		t.Error("the other process's proposal is not in the hub's state")
	}
	poll(0, 2, "the poll after that")
}

// Screens read snapshots while the hub folds events of another process,
// non-live kinds included: run with -race, nothing a snapshot holds may
// change under it.
func TestPollDoesNotChangeSnapshots(t *testing.T) {
	w := newWorld(t, "", "jardin")
	ctx := context.Background()
	h, err := w.reg.Open(ctx, "jardin")
	if err != nil {
		t.Fatal(err)
	}
	var newest atomic.Pointer[session.Snapshot]
	newest.Store(h.Snapshot())
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			st := newest.Load().State
			_, _ = st.Proposal("L1")
			_, _ = st.Proposal("X0")
			_ = st.Judged["k"]
			_, _ = st.Criterion("C1")
			_, _ = st.Criterion("X0")
			_, _ = st.Document("dx0")
			_, _ = st.Passage("px0")
			_ = len(st.Proposals)
		}
	})
	other, err := store.Open(w.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	sys := review.Actor{Name: "revue", Role: review.System}
	for i := range 20 {
		doc := review.Document{ID: fmt.Sprintf("dx%d", i), Title: "Autre", Source: "autre.md", SHA256: fmt.Sprintf("dx%d", i), Format: "md", Chars: 10,
			Passages: []review.Passage{{ID: fmt.Sprintf("px%d", i), Document: fmt.Sprintf("dx%d", i), Text: "Les règles sont votées.", End: 23}}}
		events := []review.Event{
			review.MustEvent("jardin", session.NewID(), time.Now(), sys, review.KindPairJudged, review.PairJudged{Key: fmt.Sprintf("k%d", i)}),
			review.MustEvent("jardin", session.NewID(), time.Now(), sys, review.KindDocumentAdded, doc),
			review.MustEvent("jardin", session.NewID(), time.Now(), sys, review.KindCriterionAdded, review.Criterion{ID: fmt.Sprintf("X%d", i), Title: "Autre critère"}),
			review.MustEvent("jardin", session.NewID(), time.Now(), sys, review.KindProposalAdded, review.Proposal{
				ID: fmt.Sprintf("X%d", i), Document: doc.ID, Passage: doc.Passages[0].ID, Criterion: fmt.Sprintf("X%d", i),
				Statement: "Les règles sont votées.", Quote: "votées", QuoteStart: -1, QuoteEnd: -1, Origin: review.Origin{Kind: review.OriginExample, Name: "other"},
			}),
		}
		if _, err := other.Append(ctx, events...); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		newest.Store(h.Snapshot()) // the reader moves on to the newest, as a screen does
	}
	close(stop)
	wg.Wait()
	if n := len(h.Snapshot().State.Judged); n != 20 {
		t.Errorf("judged pairs = %d, want 20", n)
	}
	if _, ok := h.Snapshot().State.Proposal("X19"); !ok {
		t.Error("the other process's last proposal is not in the hub's state")
	}
}

// A participant who declines the consent text acts as a spectator from
// then on, whatever role their screen believes it has; agreeing later
// gives the participant's role back.
func TestConsentDeclineMakesASpectator(t *testing.T) {
	w := newWorld(t, "", "jardin")
	ctx := context.Background()
	h, err := w.reg.Open(ctx, "jardin")
	if err != nil {
		t.Fatal(err)
	}
	anna := review.Actor{Name: "anna", Fingerprint: "SHA256:anna", Role: review.Facilitator}
	zoe := review.Actor{Name: "zoé", Role: review.Participant}
	if _, err := h.Do(ctx, anna, review.KindConsentSet, review.ConsentText{Text: "Vos votes servent à une recherche."}); err != nil {
		t.Fatal(err)
	}
	conn, err := h.Join(ctx, zoe, "ssh")
	if err != nil {
		t.Fatal(err)
	}
	hash := h.Snapshot().State.Consent.Hash
	vote := func() error {
		_, err := h.Do(ctx, zoe, review.KindVoteCast, review.VoteData{Proposal: "L1", Verdict: review.Accept, Version: 1})
		return err
	}
	roleOnline := func() review.Role {
		for _, p := range h.Snapshot().Online {
			if p.Conn == conn {
				return p.Actor.Role
			}
		}
		t.Fatal("zoé is not online")
		return ""
	}
	steps := []struct {
		agreed  bool
		role    review.Role
		mayVote bool
	}{
		{false, review.Spectator, false},
		{true, review.Participant, true},
	}
	for _, st := range steps {
		if _, err := h.Do(ctx, zoe, review.KindConsentAnswered, review.ConsentAnswer{Agreed: st.agreed, Hash: hash}); err != nil {
			t.Fatalf("answer %v: %v", st.agreed, err)
		}
		if got := h.Role(zoe); got != st.role {
			t.Errorf("after answering %v, the hub's role for zoé = %s, want %s", st.agreed, got, st.role)
		}
		if snap := h.Snapshot(); !slices.Equal(session.OnlineParticipants(snap.Online), session.Participants(snap.Online)) {
			t.Errorf("after answering %v, the participants kept for the online list are %v, want %v", st.agreed, session.OnlineParticipants(snap.Online), session.Participants(snap.Online))
		}
		if got := roleOnline(); got != st.role {
			t.Errorf("after answering %v, the others see zoé as %s, want %s", st.agreed, got, st.role)
		}
		err := vote()
		if st.mayVote && err != nil {
			t.Errorf("after answering %v, a vote was refused: %v", st.agreed, err)
		}
		if !st.mayVote && !errors.Is(err, session.ErrForbidden) {
			t.Errorf("after answering %v, a vote gave %v, want ErrForbidden", st.agreed, err)
		}
	}
}

// A screen behind by many revisions is told once and reads the newest: the
// signals are coalesced, never queued.
func TestBehindByManyRevisionsIsToldOnce(t *testing.T) {
	w := newWorld(t, "", "jardin")
	ctx := context.Background()
	h, err := w.reg.Open(ctx, "jardin")
	if err != nil {
		t.Fatal(err)
	}
	sub := h.Subscribe()
	defer sub.Close()
	anna := review.Actor{Name: "anna", Fingerprint: "SHA256:anna", Role: review.Facilitator}
	for i := range 30 {
		if _, err := h.Do(ctx, anna, review.KindCommentAdded, review.CommentData{Proposal: "L1", Text: fmt.Sprintf("remarque %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for signalled(sub) {
		n++
	}
	if n != 1 {
		t.Errorf("a screen behind by 30 revisions holds %d signals, want 1", n)
	}
	if p, _ := h.Snapshot().State.Proposal("L1"); len(p.Comments) != 30 {
		t.Errorf("the newest snapshot has %d comments, want 30", len(p.Comments))
	}
}

// The participants the hub keeps for each online list (computed once per
// roster, not per change of focus) are those of the list itself, through
// joins, moves, departures and returns.
func TestOnlineParticipantsFollowTheRoster(t *testing.T) {
	w := newWorld(t, "", "jardin")
	ctx := context.Background()
	h, err := w.reg.Open(ctx, "jardin")
	if err != nil {
		t.Fatal(err)
	}
	check := func(step string) {
		t.Helper()
		snap := h.Snapshot()
		if got, want := session.OnlineParticipants(snap.Online), session.Participants(snap.Online); !slices.Equal(got, want) {
			t.Errorf("%s: participants kept %v, want %v", step, got, want)
		}
	}
	people := []review.Actor{
		{Name: "zoé", Role: review.Participant},
		{Name: "anna", Fingerprint: "SHA256:anna", Role: review.Facilitator},
		{Name: "marc", Role: review.Participant},
	}
	var conns []uint64
	for _, a := range people {
		c, err := h.Join(ctx, a, "ssh")
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		check("joining " + a.Name)
	}
	for i, c := range conns {
		h.Focus(c, fmt.Sprintf("L%d", i+1))
		check("a focus")
	}
	h.Leave(ctx, conns[0])
	check("zoé leaving")
	h.Focus(conns[2], "L1")
	check("a focus after a departure")
	if _, err := h.Join(ctx, people[0], "ssh"); err != nil {
		t.Fatal(err)
	}
	check("zoé back")
}

// countingAppender counts the calls that reach the store.
type countingAppender struct {
	session.Appender
	calls atomic.Int64
}

func (a *countingAppender) Append(ctx context.Context, events ...review.Event) ([]review.Event, error) {
	a.calls.Add(1)
	return a.Appender.Append(ctx, events...)
}

// Exposure intervals sent by many screens at once are one write: the hub
// gathers what changes nothing on screen, and each Do returns once its
// event is in the trace and folded.
func TestExposuresGatheredInOneWrite(t *testing.T) {
	every := session.RecordEvery
	session.RecordEvery = time.Hour // the test writes them itself
	t.Cleanup(func() { session.RecordEvery = every })
	w := newWorld(t, "", "jardin")
	ctx := context.Background()
	events, err := w.store.Replay(ctx, "jardin")
	if err != nil {
		t.Fatal(err)
	}
	st, err := review.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	app := &countingAppender{Appender: w.store}
	h := session.NewHub(app, st)
	var people []review.Actor
	for i := range 20 {
		a := review.Actor{Name: fmt.Sprintf("p%02d", i), Role: review.Participant}
		if _, err := h.Join(ctx, a, "ssh"); err != nil {
			t.Fatal(err)
		}
		people = append(people, a)
	}
	before := app.calls.Load()
	ids := make([]string, len(people))
	var wg sync.WaitGroup
	for i, a := range people {
		wg.Go(func() {
			at := time.Now()
			e, err := h.Do(ctx, a, review.KindExposure, review.Exposure{Proposal: "L1", From: at, To: at.Add(time.Second), State: review.ExposureActive, End: review.EndMoved})
			if err != nil {
				t.Error(err)
			}
			ids[i] = e.ID
		})
	}
	for session.Records(h) < len(people) {
		time.Sleep(time.Millisecond) // polls the condition: every screen has sent its interval
	}
	session.WriteRecords(h)
	wg.Wait()
	if n := app.calls.Load() - before; n != 1 {
		t.Errorf("%d exposures sent together took %d writes, want 1", len(people), n)
	}
	trace, err := w.store.Replay(ctx, "jardin")
	if err != nil {
		t.Fatal(err)
	}
	snap := h.Snapshot()
	for _, id := range ids {
		if !slices.ContainsFunc(trace, func(e review.Event) bool { return e.ID == id }) || !snap.State.HasEvent(id) {
			t.Errorf("exposure %q is not in the trace and the state", id)
		}
	}
}
