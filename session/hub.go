// Package session runs live review sessions: one Hub per session, which is
// the only writer of that session's trace while it is served, and the SSH
// server through which participants join.
package session

import (
	"charm.land/log/v2"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// Appender makes events durable. Append returns only once they are
// committed, with their sequence numbers; an event whose ID is already
// stored is returned as stored, not written twice. store.Store implements it.
type Appender interface {
	Append(ctx context.Context, events ...review.Event) ([]review.Event, error)
}

// Presence is one connected screen: who, with which role, looking at what.
type Presence struct {
	Conn     uint64
	Actor    review.Actor
	Since    time.Time
	Focus    string      // the proposal on screen
	Terminal string      // "local" or "ssh"
	joined   review.Role // the role the connection was given; Actor.Role is the one in force
	// rides says that the screen goes wherever a led room goes (Look): the
	// hub moves its Focus with the room's move, in the same revision.
	rides bool
}

// Participants are the participants present, each person once however many
// screens they have open, in the order of their first connection: the
// denominator of the turnout (review.ProposalState.Turnout) that the review
// screen and the wall both show. A facilitator, a spectator and a
// participant who declined the consent text (a spectator now) are not
// among them.
func Participants(online []Presence) []review.Actor {
	var out []review.Actor
	seen := make(map[string]bool, len(online))
	for _, o := range online {
		k := o.Actor.Key()
		if o.Actor.Role != review.Participant || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, o.Actor)
	}
	return out
}

// Turnout is p.Turnout(Participants(online)), computed once for every
// screen that asks with the same online list and the same state of p: two
// hundred followers redrawing for one move each showed the turnout over
// everyone online, which cost the room O(N²) a move. A snapshot's Online
// and a proposal's state are replaced, never changed, so their addresses
// name them. The result is shared: nobody may modify it. The cache holds
// the latest online lists' turnouts of every link a screen shows (a room
// of 300 on 60 links asks for about 60 per list).
func Turnout(online []Presence, p *review.ProposalState) review.Turnout {
	var first *Presence
	if len(online) > 0 {
		first = &online[0]
	}
	k := turnoutKey{first: first, n: len(online), p: p}
	turnouts.mu.Lock()
	t, ok := turnouts.m[k]
	turnouts.mu.Unlock()
	if ok {
		return t
	}
	t = p.Turnout(participantsOf(online, onlineKey{first, len(online)}))
	turnouts.mu.Lock()
	if len(turnouts.m) >= 256 {
		clear(turnouts.m)
	}
	turnouts.m[k] = t
	turnouts.mu.Unlock()
	return t
}

// OnlineParticipants is Participants(online) for a snapshot's Online,
// computed once per list for every screen that asks (the turnout of every
// link, the turnout panel, the wall, the raised hands). The result is
// shared: nobody may modify it.
func OnlineParticipants(online []Presence) []review.Actor {
	var first *Presence
	if len(online) > 0 {
		first = &online[0]
	}
	return participantsOf(online, onlineKey{first, len(online)})
}

// participantsOf is Participants(online), computed once per online list:
// every link's turnout over one list asks for it (a room of 300 browsing
// 60 links, each screen on its own).
func participantsOf(online []Presence, k onlineKey) []review.Actor {
	turnouts.mu.Lock()
	ps, ok := turnouts.people[k]
	turnouts.mu.Unlock()
	if ok {
		return ps
	}
	ps = slices.Clip(Participants(online))
	keepParticipants(k, ps)
	return ps
}

func keepParticipants(k onlineKey, ps []review.Actor) {
	turnouts.mu.Lock()
	if len(turnouts.people) >= 16 {
		clear(turnouts.people)
	}
	turnouts.people[k] = ps
	turnouts.mu.Unlock()
}

type turnoutKey struct {
	first *Presence
	n     int
	p     *review.ProposalState
}

// onlineKey names a snapshot's online list (see Turnout).
type onlineKey struct {
	first *Presence
	n     int
}

var turnouts = struct {
	mu     sync.Mutex
	m      map[turnoutKey]review.Turnout
	people map[onlineKey][]review.Actor
}{m: map[turnoutKey]review.Turnout{}, people: map[onlineKey][]review.Actor{}}

// Snapshot is the session as one revision of it: it never changes, so any
// goroutine may read it while the hub goes on.
type Snapshot struct {
	// Rev counts the revisions, of the state or of the presences.
	Rev uint64
	// StateRev is the Rev at which State last changed: a revision of the
	// presences alone keeps the State (the same pointer) and its StateRev.
	StateRev uint64
	State    *review.State
	// Online is shared by consecutive revisions as long as nobody joins,
	// leaves or looks elsewhere, so that a screen can tell that it has not
	// changed by its first element's address alone, without comparing two
	// hundred entries at every vote. Nobody may modify it.
	Online []Presence
	// View is what the room's wall shows besides the link: ViewResults
	// while the leading facilitator shows the results, "" otherwise. It is
	// the State's Room.View (room.viewed), given here for the wall.
	View string
	// Closing, when not empty, says that the server is about to end every
	// screen of this session, and why: one of the Reason values. The
	// screen may say it; the server says it again once the screen is gone.
	Closing Reason
}

// ViewResults is Snapshot.View while the facilitator shows the results of
// the session so far: the wall follows.
const ViewResults = review.ViewResults

// Reason is why the server ends the screens of a session.
type Reason string

const (
	// ReasonStopped: the server is stopping (Ctrl-C, a signal).
	ReasonStopped Reason = "stopped"
	// ReasonEnded: the facilitator ended the session.
	ReasonEnded Reason = "ended"
)

// Draft is what a person was writing and had not yet sent (a rephrasing, a
// comment), kept in memory so that a reconnection gets it back. It is not
// part of the trace: nobody decided to say it yet.
type Draft struct {
	Proposal string // the proposal it is about
	Mode     string // which input: the interface's own name for it
	Text     string
}

// Source reads what other processes appended to the trace: store.Store
// implements it. A hub whose Appender is also a Source polls it while it has
// subscribers, so that a `revue propose`, a `revue forget` or a second
// server writing to the same file shows on every screen within PollEvery.
type Source interface {
	Since(ctx context.Context, session string, afterSeq int64) ([]review.Event, error)
}

// Versioned is a Source that tells cheaply whether anything was written
// beside this process's own appends (store.Store: SQLite's data_version).
// A hub whose Source is Versioned reads the trace only when that number
// changed since its last read: an idle room then costs one small question
// a second instead of a query of the trace.
type Versioned interface {
	Changes(ctx context.Context) (int64, error)
}

// Timings of the hub. They are variables so that a test or a benchmark may
// change them before any hub exists.
var (
	// PresenceEvery is the longest a change of presence (who looks at
	// what) waits before the screens that display it are told. Presences
	// change at every key press of everyone; told at once, two hundred
	// browsing people made every screen redraw two hundred times a
	// second. Gathered, each screen redraws for presence at most this often.
	PresenceEvery = time.Second
	// PollEvery is how often a hub reads what other processes appended.
	PollEvery = time.Second
)

// Stats counts what a hub published, for tests and load measurements.
type Stats struct {
	Revisions      uint64 // snapshots made, of the state or of the presences
	StateRevisions uint64 // snapshots with a new State
	Flushes        uint64 // gathered changes of presence told to the screens
	Signals        uint64 // signals sent to subscribers (each a possible redraw)
	Polled         uint64 // events of other processes folded in
	Reads          uint64 // reads of the trace by Poll (Source.Since)
}

// Hub serialises the actions on one session: check, make durable, fold,
// publish. Every subscriber is told of each new revision of the state
// through a one-slot channel, so that a slow client can miss intermediate
// revisions but never blocks the others, and always ends up with the
// newest; changes of presence are gathered (PresenceEvery) and told only to
// the subscribers that display the proposals concerned (Subscription.Show).
type Hub struct {
	store  Appender
	log    atomic.Pointer[log.Logger] // the server's log, for failed writes; nil: none
	source Source                     // nil: nobody else writes, or the store cannot tell
	now    func() time.Time

	mu     sync.Mutex
	state  *review.State
	online map[uint64]Presence
	// moved says that online changed since the last snapshot; until it
	// does, snapshots share the last one's sorted list.
	moved bool
	// stale says that online or the state changed since the last
	// snapshot was made: Snapshot makes a new one when asked, without
	// telling anyone. owed says that the state did (h.mu).
	stale atomic.Bool
	owed  bool
	// looked holds the proposals whose lookers changed since the screens
	// were last told; flush, armed, tells them.
	looked map[string]struct{}
	roster bool // someone's role or name changed in online, not only a focus
	// people is Participants of the last online list; newPeople says
	// that someone joined, left or changed roles since (a focus changes
	// nothing of it).
	people    []review.Actor
	newPeople bool
	flush     *time.Timer
	closing   Reason
	rev       uint64
	srev      uint64 // the Rev of the last State snapshot
	// tick counts the revisions of the state; changedAt holds, for each
	// proposal, the tick of its state's last change, so that a screen that
	// comes to show it is told at once if it changed since its last signal.
	// Its lookers are told with the next flush, as everyone's.
	tick      uint64
	changedAt map[string]uint64
	conns     uint64
	subs      map[*Subscription]struct{}
	snap      atomic.Pointer[Snapshot]
	stats     Stats

	drafts map[string]Draft  // by person key
	focus  map[string]string // each person's last proposal on screen, by key

	polled   int64 // the highest seq folded from the store
	version  int64 // Versioned.Changes at the last read of the trace
	versions bool  // version was read at least once
	pollErr  error // the last failure to read or fold another process's events
	stopPoll chan struct{}

	records   []*recording // events gathered for one write (record)
	recording bool         // a write of records is armed
}

// NewHub serves the session whose replayed state is st, appending to store.
// Nobody is connected to a hub that starts, whatever the trace says (a
// crash records no departures): the room is free until a facilitator
// arrives and leads it (review.State.Restart).
func NewHub(store Appender, st *review.State) *Hub {
	st.Restart()
	h := &Hub{
		store: store, now: time.Now, state: st, online: map[uint64]Presence{}, moved: true,
		subs: map[*Subscription]struct{}{}, looked: map[string]struct{}{}, changedAt: map[string]uint64{},
		drafts: map[string]Draft{}, focus: map[string]string{},
	}
	h.source, _ = store.(Source)
	if n := len(st.Events); n > 0 {
		h.polled = st.Events[n-1].Seq
	}
	h.mu.Lock()
	h.publishLocked(nil, true)
	h.mu.Unlock()
	return h
}

// SetClock makes the hub date its events with now instead of time.Now: a
// test of the screens' timing (exposure intervals) gives the hub and the
// screens one fake clock. Call it before any action.
func (h *Hub) SetClock(now func() time.Time) {
	h.mu.Lock()
	h.now = now
	h.mu.Unlock()
}

// Name is the session's name.
func (h *Hub) Name() string { return h.Snapshot().State.Name }

// Snapshot returns the newest revision, presences included.
func (h *Hub) Snapshot() *Snapshot {
	if h.stale.Load() {
		h.mu.Lock()
		if h.stale.Load() {
			h.snapshotLocked(false)
		}
		h.mu.Unlock()
	}
	return h.snap.Load()
}

// Stats returns the counts so far.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats
}

// Subscription tells its owner that a new revision exists. Delivery is lossy
// on purpose: C holds at most one signal, and the receiver reads the newest
// Snapshot when it wakes up.
type Subscription struct {
	C    <-chan struct{}
	c    chan struct{}
	hub  *Hub
	show atomic.Pointer[interest]
	sent uint64 // the hub's tick at the last signal; h.mu
}

// interest is which changes of presence a subscriber displays.
type interest struct {
	all bool
	ids []string
}

// Show tells the hub which proposals this screen displays (the one on
// screen, the rows of a list): a vote, a comment or a change of lookers on
// another proposal neither wakes it nor makes it redraw. With no id, the
// screen displays no proposal. Every other change of the state (a
// decision, a join, a departure, the room's move...) wakes every screen
// whatever it shows. When the screen comes to show a proposal whose state
// changed since it was last woken, it is woken at once; its lookers come
// with the next gathering (PresenceEvery). Until Show is called, a
// subscription is told of every change.
func (s *Subscription) Show(ids ...string) {
	s.show.Store(&interest{ids: slices.Clone(ids)})
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range ids {
		if h.changedAt[id] > s.sent {
			h.signalOneLocked(s)
			return
		}
	}
}

// ShowAll asks again for every change, as a new subscription.
func (s *Subscription) ShowAll() { s.show.Store(&interest{all: true}) }

// wants reports whether a change of the proposals in looked concerns s.
func (s *Subscription) wants(looked map[string]struct{}) bool {
	in := s.show.Load()
	if in.all {
		return true
	}
	for _, id := range in.ids {
		if _, ok := looked[id]; ok {
			return true
		}
	}
	return false
}

// Subscribe starts receiving signals of new revisions. While a hub has
// subscribers it reads, every PollEvery, what other processes appended.
func (h *Hub) Subscribe() *Subscription {
	c := make(chan struct{}, 1)
	s := &Subscription{C: c, c: c, hub: h}
	s.show.Store(&interest{all: true})
	h.mu.Lock()
	h.subs[s] = struct{}{}
	if len(h.subs) == 1 && h.source != nil && h.stopPoll == nil {
		h.stopPoll = make(chan struct{})
		go h.pollLoop(h.stopPoll)
	}
	h.mu.Unlock()
	return s
}

// Close stops the signals.
func (s *Subscription) Close() {
	h := s.hub
	h.mu.Lock()
	delete(h.subs, s)
	if len(h.subs) == 0 && h.stopPoll != nil {
		close(h.stopPoll)
		h.stopPoll = nil
	}
	h.mu.Unlock()
}

func (s *Subscription) signal() bool {
	select {
	case s.c <- struct{}{}:
		return true
	default:
		return false
	}
}

// snapshotLocked makes a new revision: with state, of the state too;
// otherwise it keeps the last State. h.mu is held.
func (h *Hub) snapshotLocked(state bool) *Snapshot {
	h.rev++
	h.stats.Revisions++
	last := h.snap.Load()
	var online []Presence
	if last != nil && !h.moved {
		online = last.Online
	} else {
		online = make([]Presence, 0, len(h.online))
		for _, p := range h.online {
			online = append(online, p)
		}
		slices.SortFunc(online, func(a, b Presence) int { return cmp.Compare(a.Conn, b.Conn) })
		h.moved = false
		if h.newPeople || last == nil {
			h.people, h.newPeople = slices.Clip(Participants(online)), false
		}
		// The new list's participants are the last list's unless someone
		// came, went or changed roles: the screens' turnouts find them.
		var first *Presence
		if len(online) > 0 {
			first = &online[0]
		}
		keepParticipants(onlineKey{first, len(online)}, h.people)
	}
	s := &Snapshot{Rev: h.rev, Online: online, Closing: h.closing}
	if state || last == nil || h.owed {
		h.owed = false
		h.srev = h.rev
		h.stats.StateRevisions++
		s.State = h.state.Snapshot()
	} else {
		s.State = last.State
	}
	s.StateRev = h.srev
	s.View = s.State.Room.View
	h.stale.Store(false)
	h.snap.Store(s)
	return s
}

// publishLocked makes a new revision of the state and signals the
// subscribers it concerns: all of them, or those that show one of the
// proposals in touched. Those woken read the newest snapshot, presences
// included, so when all are woken the gathered changes of presence are told
// with it. h.mu is held.
func (h *Hub) publishLocked(touched map[string]struct{}, all bool) {
	h.snapshotLocked(true)
	h.tick++
	for id := range touched {
		h.changedAt[id] = h.tick
	}
	if all {
		clear(h.looked)
		h.roster = false
		h.signalLocked(nil)
		return
	}
	if touched == nil {
		touched = map[string]struct{}{} // none: only the screens that show all
	}
	h.signalLocked(touched)
}

// signalLocked signals the subscribers that want looked, all when looked is
// nil.
func (h *Hub) signalLocked(looked map[string]struct{}) {
	for s := range h.subs {
		if looked == nil || s.wants(looked) {
			h.signalOneLocked(s)
		}
	}
}

func (h *Hub) signalOneLocked(s *Subscription) {
	// A signal already pending makes the screen read a snapshot at least
	// as new as this one: either way it is told up to now.
	s.sent = h.tick
	if s.signal() {
		h.stats.Signals++
	}
}

// scopeLocked says which screens the event of kind just folded concerns:
// all, or those that show the proposals in touched. before is the
// proposals of the last snapshot, taken before the event. A vote, a
// comment or an undone vote changes one proposal's state and nothing else a
// screen shows, unless it changed a status, a seal or a disagreement (the
// progress line, the filters) or the list; what the research records as it
// happens (exposures, panes opened) changes nothing on screen. h.mu is held.
func (h *Hub) scopeLocked(kind review.Kind, before []*review.ProposalState) (touched map[string]struct{}, all bool) {
	switch kind {
	case review.KindExposure, review.KindExposureFollowing, review.KindPaneOpened:
		return nil, false
	case review.KindVoteCast, review.KindCommentAdded, review.KindActionUndone:
	default:
		return nil, true
	}
	after := h.state.Proposals
	if len(after) != len(before) {
		return nil, true
	}
	touched = map[string]struct{}{}
	for i, p := range after {
		if b := before[i]; p != b {
			// A status, a seal or a disagreement shows beyond the
			// proposal: in the progress, the filters, the next-link keys.
			if p.ID != b.ID || p.Status != b.Status || p.Sealed != b.Sealed || p.Conflict != b.Conflict {
				return nil, true
			}
			touched[p.ID] = struct{}{}
		}
	}
	return touched, false
}

// lookedLocked notes that the lookers of ids changed and arms the flush.
// h.mu is held.
func (h *Hub) lookedLocked(ids ...string) {
	for _, id := range ids {
		if id != "" {
			h.looked[id] = struct{}{}
		}
	}
	h.moved = true
	h.stale.Store(true)
	if h.flush == nil {
		h.flush = time.AfterFunc(PresenceEvery, h.FlushPresence)
	}
}

// FlushPresence tells the screens concerned of the changes of presence
// gathered so far, at once. The hub calls it PresenceEvery after the first
// of them; tests call it to tell without waiting.
func (h *Hub) FlushPresence() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.flush != nil {
		h.flush.Stop()
		h.flush = nil
	}
	if len(h.looked) == 0 && !h.roster {
		return
	}
	if h.stale.Load() {
		h.snapshotLocked(false)
	}
	h.stats.Flushes++
	if h.roster {
		h.signalLocked(nil)
	} else {
		h.signalLocked(h.looked)
	}
	clear(h.looked)
	h.roster = false
}

// ErrForbidden wraps every refusal for lack of a role.
var ErrForbidden = errors.New("not allowed")

// Do performs one action of actor: it checks the role and the action against
// the state, appends the event durably, folds it and publishes the new
// revision, in that order, so that nobody sees as done what is not on disk.
// The returned event carries its sequence number. An exposure interval or a
// pane opened is written with others gathered for RecordEvery (record), and
// like exposure.following wakes no screen: nothing on one changes.
func (h *Hub) Do(ctx context.Context, actor review.Actor, kind review.Kind, data any) (review.Event, error) {
	if kind == review.KindExposure || kind == review.KindPaneOpened {
		return h.record(ctx, actor, kind, data)
	}
	e, err := h.do(ctx, actor, kind, data, nil)
	if errors.Is(err, errRefusedByStore) {
		// Another process sealed or reopened the link first: its event
		// is folded in now, so that this room shows the outcome the
		// trace holds, not what this hub believed.
		_, _ = h.Poll(ctx)
	}
	return e, err
}

// RecordEvery is how long the hub gathers the exposure intervals and
// panes opened that screens send before writing them in one transaction.
// A browsing room closes an interval at nearly every key press: written
// one by one, each was a transaction and a sync of its own, a fifth of
// the server's CPU. They change nothing on any screen, and the screen's
// command that sends one waits for nothing else; Do still returns only
// once it is durable. A variable, so that a test may change it before any
// hub exists.
var RecordEvery = 50 * time.Millisecond

// recording is an event gathered for the next write, and where its
// outcome goes.
type recording struct {
	e    review.Event
	done chan error
}

// record is Do for the events that change nothing on screen: checked at
// once, then written with the others gathered within RecordEvery, in one
// transaction, folded, and made visible to the next snapshot asked for.
// exposure.following is not among them: its place among the room's moves
// is what it says (review.Exposures).
func (h *Hub) record(ctx context.Context, actor review.Actor, kind review.Kind, data any) (review.Event, error) {
	h.mu.Lock()
	actor.Role = h.roleLocked(actor)
	if err := review.Authorize(actor.Role, kind); err != nil {
		h.mu.Unlock()
		return review.Event{}, fmt.Errorf("%w: %v", ErrForbidden, err)
	}
	e, err := review.NewEvent(h.state.Name, NewID(), h.now(), actor, kind, data)
	if err == nil {
		err = h.state.Check(e)
	}
	if err != nil {
		h.mu.Unlock()
		return review.Event{}, err
	}
	r := &recording{e: e, done: make(chan error, 1)}
	h.records = append(h.records, r)
	if !h.recording {
		h.recording = true
		time.AfterFunc(RecordEvery, h.writeRecords)
	}
	h.mu.Unlock()
	select {
	case err := <-r.done:
		if err != nil {
			return review.Event{}, err
		}
		return r.e, nil
	case <-ctx.Done():
		return review.Event{}, fmt.Errorf("record %s: %w (it may still be written)", kind, ctx.Err())
	}
}

// recordTimeout bounds one write of gathered events.
const recordTimeout = 30 * time.Second

// writeRecords writes the gathered events in one call of the store,
// under the hub's lock as every write, folds them and tells each caller.
func (h *Hub) writeRecords() {
	h.mu.Lock()
	defer h.mu.Unlock()
	batch := h.records
	h.records, h.recording = nil, false
	if len(batch) == 0 {
		return
	}
	events := make([]review.Event, len(batch))
	for i, r := range batch {
		events[i] = r.e
	}
	ctx, cancel := context.WithTimeout(context.Background(), recordTimeout)
	defer cancel()
	stored, err := h.store.Append(ctx, events...)
	if err != nil {
		if l := h.log.Load(); l != nil {
			l.Error("trace write failed", "session", h.state.Name, "kind", string(events[0].Kind), "events", len(events), "err", err)
		}
		for _, r := range batch {
			r.done <- fmt.Errorf("record %s: %w", r.e.Kind, err)
		}
		return
	}
	for i, r := range batch {
		r.e = stored[i]
		if err := h.state.Apply(r.e); err != nil {
			r.done <- fmt.Errorf("fold %s %s: %w", r.e.Kind, r.e.ID, err)
			continue
		}
		r.done <- nil
	}
	// Nothing on screen changed: the next snapshot asked for has them.
	h.owed = true
	h.stale.Store(true)
}

// errRefusedByStore marks a refusal that the store made against events
// this hub had not yet folded: another process's.
var errRefusedByStore = errors.New("refused by the store")

// do is Do; with, when not nil, runs under the lock once the event is
// folded, just before the revision is published, so that a change of
// presence shows in the same revision as the event that records it: every
// revision costs each connected screen a redraw.
func (h *Hub) do(ctx context.Context, actor review.Actor, kind review.Kind, data any, with func()) (review.Event, error) {
	if !kind.Live() {
		return review.Event{}, fmt.Errorf("%s is not a live action", kind)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	actor.Role = h.roleLocked(actor)
	if err := review.Authorize(actor.Role, kind); err != nil {
		return review.Event{}, fmt.Errorf("%w: %v", ErrForbidden, err)
	}
	e, err := review.NewEvent(h.state.Name, NewID(), h.now(), actor, kind, data)
	if err != nil {
		return review.Event{}, err
	}
	if err := h.state.Check(e); err != nil {
		return review.Event{}, err
	}
	stored, err := h.store.Append(ctx, e)
	if errors.Is(err, review.ErrSealed) || errors.Is(err, review.ErrNotSealed) {
		return review.Event{}, fmt.Errorf("record %s: %w (%w)", kind, err, errRefusedByStore)
	}
	if err != nil {
		if l := h.log.Load(); l != nil {
			// The facilitator reads it afterwards: a disk full, a lost
			// file. The person's screen says it too.
			l.Error("trace write failed", "session", h.state.Name, "kind", string(kind), "user", actor.Name, "err", err)
		}
		return review.Event{}, fmt.Errorf("record %s: %w", kind, err)
	}
	e = stored[0]
	before := h.snap.Load().State.Proposals
	room := h.state.Room.Proposal
	if err := h.state.Apply(e); err != nil {
		return review.Event{}, fmt.Errorf("fold %s %s: %w", kind, e.ID, err)
	}
	if r := h.state.Room; r.Proposal != room && r.Follow && r.Leader.Name != "" && r.Proposal != "" {
		h.rideLocked(r.Proposal)
	}
	if kind == review.KindConsentAnswered {
		h.consentLocked(actor.Key())
	}
	if with != nil {
		with()
	}
	touched, all := h.scopeLocked(kind, before)
	if touched == nil && !all {
		// Nothing any screen shows changed (exposure.following): the new
		// State is made when someone asks for a snapshot, and nobody is
		// woken.
		h.owed = true
		h.stale.Store(true)
		return e, nil
	}
	h.publishLocked(touched, all)
	return e, nil
}

// Role is the role a person acts with in this session: the one their
// connection was given, except that a participant who declined the consent
// text is a spectator (they may still answer it again). The hub checks it
// on every action, whatever role the screen believes it has.
func (h *Hub) Role(a review.Actor) review.Role {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.roleLocked(a)
}

func (h *Hub) roleLocked(a review.Actor) review.Role {
	if a.Role == review.Participant {
		if agreed, ok := h.state.Consent.Answers[a.Key()]; ok && !agreed {
			return review.Spectator
		}
	}
	return a.Role
}

// consentLocked gives the connections of the person the role their answer
// makes theirs, so that the others' screens show it. h.mu is held.
func (h *Hub) consentLocked(key string) {
	for c, p := range h.online {
		if p.Actor.Key() != key {
			continue
		}
		joined := p.Actor
		joined.Role = p.joined
		if r := h.roleLocked(joined); r != p.Actor.Role {
			p.Actor.Role = r
			h.online[c] = p
			h.moved, h.newPeople = true, true
		}
	}
}

// Undo takes back actor's own last action in force, if any (a seal is
// reopened, see review.State.TakeBack); it reports whether there was one.
func (h *Hub) Undo(ctx context.Context, actor review.Actor) (bool, error) {
	h.mu.Lock()
	kind, data := h.state.TakeBack(actor)
	h.mu.Unlock()
	if kind == "" {
		return false, nil
	}
	_, err := h.Do(ctx, actor, kind, data)
	return err == nil, err
}

// Join records that a person connected and returns the connection's number
// for Focus and Leave. The joining is written to the trace: who was there is
// part of the research data.
func (h *Hub) Join(ctx context.Context, actor review.Actor, terminal string) (uint64, error) {
	return h.JoinIn(ctx, actor, terminal, "")
}

// JoinIn is Join for a screen in language lang ("fr", "en"), which the
// trace records with the conditions in force for the person at joining.
func (h *Hub) JoinIn(ctx context.Context, actor review.Actor, terminal, lang string) (uint64, error) {
	var conn uint64
	h.mu.Lock()
	conds := h.state.ConditionsFor(actor)
	h.mu.Unlock()
	_, err := h.do(ctx, actor, review.KindParticipantJoin, review.JoinData{Terminal: terminal, Lang: lang, Conditions: &conds}, func() {
		h.conns++
		conn = h.conns
		inForce := actor
		inForce.Role = h.roleLocked(actor)
		h.online[conn] = Presence{Conn: conn, Actor: inForce, Since: h.now(), Terminal: terminal, joined: actor.Role}
		h.moved, h.newPeople = true, true
	})
	if err != nil {
		return 0, err
	}
	return conn, nil
}

// Leave records that a connection ended. It is called when the connection's
// program has ended, whatever the reason, and never fails the caller: the
// trace records it if it can.
//
// The departure and its record are one revision when the record succeeds;
// when it fails, the departure is published alone.
func (h *Hub) Leave(ctx context.Context, conn uint64) {
	h.mu.Lock()
	p, ok := h.online[conn]
	delete(h.online, conn)
	if ok {
		h.moved, h.newPeople = true, true
	}
	h.mu.Unlock()
	if !ok {
		return
	}
	_, err := h.Do(ctx, p.Actor, review.KindParticipantLeft, map[string]string{"terminal": p.Terminal})
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		h.publishLocked(nil, true)
	}
}

// Focus tells the others which proposal a connection is looking at. It is
// not written to the trace: it changes at every key press. It makes no
// revision of the state, and the screens that display the lookers of the
// proposal left or the one reached are told together, PresenceEvery later.
func (h *Hub) Focus(conn uint64, proposal string) { h.Look(conn, proposal, false) }

// Look is Focus for a screen that also says whether it rides: whether it
// goes wherever the room goes when a leader moves it (a follower on its
// list, no panel open). The hub then moves the connection's Focus itself
// with the room's move, in the move's revision, which wakes every screen
// anyway: two hundred followers arriving on the new link would otherwise
// each tell the hub, and the gathered change of lookers would make every
// one of them draw the same link a second time, PresenceEvery later. A
// screen that did not go along after all says where it is with Look again.
func (h *Hub) Look(conn uint64, proposal string, rides bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.online[conn]
	if !ok || p.Focus == proposal && p.rides == rides {
		return
	}
	old := p.Focus
	p.Focus, p.rides = proposal, rides
	h.online[conn] = p
	if old == proposal {
		return // only the riding changed: nothing on any screen
	}
	if proposal != "" {
		h.focus[p.Actor.Key()] = proposal
	}
	h.lookedLocked(old, proposal)
}

// rideLocked moves the riding connections to the room's new link. The
// revision that publishes the move tells every screen. h.mu is held.
func (h *Hub) rideLocked(proposal string) {
	for c, p := range h.online {
		if p.rides && p.Focus != proposal {
			p.Focus = proposal
			h.online[c] = p
			h.focus[p.Actor.Key()] = proposal
			h.moved = true
		}
	}
}

// LastFocus is the last proposal the person (review.Actor.Key) had on
// screen in this hub, on any of their connections, or "": where a
// reconnecting person comes back to when the room is not following.
func (h *Hub) LastFocus(personKey string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.focus[personKey]
}

// SaveDraft keeps what the person is writing, for their reconnection; a
// draft without text forgets the person's draft. It is kept in memory only,
// for as long as the server runs, and never written to the trace.
func (h *Hub) SaveDraft(personKey string, d Draft) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if d.Text == "" {
		delete(h.drafts, personKey)
		return
	}
	h.drafts[personKey] = d
}

// Draft returns the person's unsent draft, if any.
func (h *Hub) Draft(personKey string) (Draft, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	d, ok := h.drafts[personKey]
	return d, ok
}

// Close tells every screen of the session that the server is about to end
// them, and why (Snapshot.Closing), in a revision of its own.
func (h *Hub) Close(reason Reason) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing == reason {
		return
	}
	h.closing = reason
	h.publishLocked(nil, true)
}

// Poll folds in, at once, the events that other processes appended to the
// session since the last poll; the hub does it every PollEvery while it has
// subscribers. The events this hub wrote itself are recognised by their ID
// and skipped. It returns how many were folded in. An event that cannot be
// folded (the other process wrote what this state refuses) is skipped and
// reported, and the poll goes on with the next ones.
func (h *Hub) Poll(ctx context.Context) (int, error) {
	if h.source == nil {
		return 0, nil
	}
	h.mu.Lock()
	after, name := h.polled, h.state.Name
	// Every event up to own is in this hub's state: its own appends are
	// folded under the lock held here.
	var own int64
	if n := len(h.state.Events); n > 0 {
		own = h.state.Events[n-1].Seq
	}
	versioned, known, last := h.source.(Versioned), h.versions, h.version
	h.mu.Unlock()
	var version int64
	remember := false
	if versioned != nil {
		v, err := versioned.Changes(ctx)
		if err == nil && known && v == last {
			// Nobody else committed since the last read: what the file
			// holds up to own is this hub's, and nothing is after it.
			h.mu.Lock()
			h.polled = max(h.polled, own)
			h.mu.Unlock()
			return 0, nil
		}
		// On an error, read anyway: the read says what is wrong.
		version, remember = v, err == nil
	}
	events, err := h.source.Since(ctx, name, after)
	h.mu.Lock()
	h.stats.Reads++
	if err == nil && remember {
		h.version, h.versions = version, true
	}
	h.mu.Unlock()
	if err != nil {
		h.mu.Lock()
		h.pollErr = err
		h.mu.Unlock()
		return 0, err
	}
	if len(events) == 0 {
		return 0, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	var errs []error
	for _, e := range events {
		if e.Seq <= h.polled {
			continue // another Poll got there first
		}
		h.polled = e.Seq
		if h.state.HasEvent(e.ID) {
			continue // this hub's own
		}
		if err := h.state.Apply(e); err != nil {
			errs = append(errs, fmt.Errorf("event %d (%s, id %s) of session %q, appended by another process: %w", e.Seq, e.Kind, e.ID, name, err))
			continue
		}
		n++
	}
	h.stats.Polled += uint64(n)
	if n > 0 {
		h.publishLocked(nil, true)
	}
	err = errors.Join(errs...)
	if err != nil {
		h.pollErr = err
	}
	return n, err
}

// PollErr is the last failure to read or fold what another process
// appended, or nil.
func (h *Hub) PollErr() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.pollErr
}

// pollLoop polls until stop is closed.
func (h *Hub) pollLoop(stop <-chan struct{}) {
	t := time.NewTicker(PollEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), PollEvery*5)
			_, _ = h.Poll(ctx)
			cancel()
		}
	}
}

// NewID returns a fresh author-chosen event or proposal ID.
func NewID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
