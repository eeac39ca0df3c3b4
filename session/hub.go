// Package session runs live review sessions: one Hub per session, which is
// the only writer of that session's trace while it is served, and the SSH
// server through which participants join.
package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
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
	Focus    string // the proposal on screen
	Terminal string // "local" or "ssh"
}

// Snapshot is the session as one revision of it: it never changes, so any
// goroutine may read it while the hub goes on.
type Snapshot struct {
	Rev   uint64
	State *review.State
	// Online is shared by consecutive revisions as long as nobody joins,
	// leaves or looks elsewhere, so that a screen can tell that it has not
	// changed by its first element's address alone, without comparing two
	// hundred entries at every vote. Nobody may modify it.
	Online []Presence
}

// Hub serialises the actions on one session: check, make durable, fold,
// publish. Every subscriber is told of each new revision through a one-slot
// channel, so that a slow client can miss intermediate revisions but never
// blocks the others, and always ends up with the newest.
type Hub struct {
	store Appender
	now   func() time.Time

	mu     sync.Mutex
	state  *review.State
	online map[uint64]Presence
	// moved says that online changed since the last revision; until it
	// does, revisions share the last one's sorted list.
	moved bool
	rev   uint64
	conns uint64
	subs  map[*Subscription]struct{}
	snap  atomic.Pointer[Snapshot]
}

// NewHub serves the session whose replayed state is st, appending to store.
func NewHub(store Appender, st *review.State) *Hub {
	h := &Hub{store: store, now: time.Now, state: st, online: map[uint64]Presence{}, moved: true, subs: map[*Subscription]struct{}{}}
	h.publishLocked()
	return h
}

// Name is the session's name.
func (h *Hub) Name() string { return h.Snapshot().State.Name }

// Snapshot returns the newest revision.
func (h *Hub) Snapshot() *Snapshot { return h.snap.Load() }

// Subscription tells its owner that a new revision exists. Delivery is lossy
// on purpose: C holds at most one signal, and the receiver reads the newest
// Snapshot when it wakes up.
type Subscription struct {
	C   <-chan struct{}
	c   chan struct{}
	hub *Hub
}

// Subscribe starts receiving signals of new revisions.
func (h *Hub) Subscribe() *Subscription {
	c := make(chan struct{}, 1)
	s := &Subscription{C: c, c: c, hub: h}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Close stops the signals.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	delete(s.hub.subs, s)
	s.hub.mu.Unlock()
}

// publishLocked makes a new revision and signals every subscriber. h.mu is
// held.
func (h *Hub) publishLocked() {
	h.rev++
	var online []Presence
	if last := h.snap.Load(); last != nil && !h.moved {
		online = last.Online
	} else {
		online = make([]Presence, 0, len(h.online))
		for _, p := range h.online {
			online = append(online, p)
		}
		sort.Slice(online, func(i, j int) bool { return online[i].Conn < online[j].Conn })
		h.moved = false
	}
	h.snap.Store(&Snapshot{Rev: h.rev, State: h.state.Snapshot(), Online: online})
	for s := range h.subs {
		select {
		case s.c <- struct{}{}:
		default:
		}
	}
}

// ErrForbidden wraps every refusal for lack of a role.
var ErrForbidden = errors.New("not allowed")

// Do performs one action of actor: it checks the role and the action against
// the state, appends the event durably, folds it and publishes the new
// revision, in that order, so that nobody sees as done what is not on disk.
// The returned event carries its sequence number.
func (h *Hub) Do(ctx context.Context, actor review.Actor, kind review.Kind, data any) (review.Event, error) {
	return h.do(ctx, actor, kind, data, nil)
}

// do is Do; with, when not nil, runs under the lock once the event is
// folded, just before the revision is published, so that a change of
// presence shows in the same revision as the event that records it: every
// revision costs each connected screen a redraw.
func (h *Hub) do(ctx context.Context, actor review.Actor, kind review.Kind, data any, with func()) (review.Event, error) {
	if !kind.Live() {
		return review.Event{}, fmt.Errorf("%s is not a live action", kind)
	}
	if err := review.Authorize(actor.Role, kind); err != nil {
		return review.Event{}, fmt.Errorf("%w: %v", ErrForbidden, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	e, err := review.NewEvent(h.state.Name, NewID(), h.now(), actor, kind, data)
	if err != nil {
		return review.Event{}, err
	}
	if err := h.state.Check(e); err != nil {
		return review.Event{}, err
	}
	stored, err := h.store.Append(ctx, e)
	if err != nil {
		return review.Event{}, fmt.Errorf("record %s: %w", kind, err)
	}
	e = stored[0]
	if err := h.state.Apply(e); err != nil {
		return review.Event{}, fmt.Errorf("fold %s %s: %w", kind, e.ID, err)
	}
	if with != nil {
		with()
	}
	h.publishLocked()
	return e, nil
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
	var conn uint64
	_, err := h.do(ctx, actor, review.KindParticipantJoin, map[string]string{"terminal": terminal}, func() {
		h.conns++
		conn = h.conns
		h.online[conn] = Presence{Conn: conn, Actor: actor, Since: h.now(), Terminal: terminal}
		h.moved = true
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
		h.moved = true
	}
	h.mu.Unlock()
	if !ok {
		return
	}
	if _, err := h.Do(ctx, p.Actor, review.KindParticipantLeft, map[string]string{"terminal": p.Terminal}); err != nil {
		h.mu.Lock()
		h.publishLocked()
		h.mu.Unlock()
	}
}

// Focus tells the others which proposal a connection is looking at. It is
// not written to the trace: it changes at every key press.
func (h *Hub) Focus(conn uint64, proposal string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.online[conn]
	if !ok || p.Focus == proposal {
		return
	}
	p.Focus = proposal
	h.online[conn] = p
	h.moved = true
	h.publishLocked()
}

// NewID returns a fresh author-chosen event or proposal ID.
func NewID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
