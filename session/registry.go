package session

import (
	"charm.land/log/v2"
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/coopdescommuns/revue/review"
)

// Registry opens the hubs of the sessions a server hosts, once each: two
// people joining the same session share one hub, its only writer.
type Registry struct {
	store Appender
	list  func(ctx context.Context) ([]string, error)
	load  func(ctx context.Context, name string) (*review.State, error)
	only  string

	mu   sync.Mutex
	hubs map[string]*Hub
	log  *log.Logger // given to every hub, for the writes that fail
}

// SetLogger gives the server's log to every hub, open or to come, so that
// a failed write of the trace is in the log the facilitator reads.
func (r *Registry) SetLogger(l *log.Logger) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = l
	for _, h := range r.hubs {
		h.log.Store(l)
	}
}

// NewRegistry serves the sessions that list names, replayed by load. With
// only set, it serves that session alone.
func NewRegistry(store Appender, list func(context.Context) ([]string, error), load func(context.Context, string) (*review.State, error), only string) *Registry {
	return &Registry{store: store, list: list, load: load, only: only, hubs: map[string]*Hub{}}
}

// List names the sessions that can be joined.
func (r *Registry) List(ctx context.Context) ([]string, error) {
	if r.only != "" {
		return []string{r.only}, nil
	}
	return r.list(ctx)
}

// Logger returns the server's log given by SetLogger, nil before.
func (r *Registry) Logger() *log.Logger {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log
}

// Open returns the hub of a session, replaying it the first time.
func (r *Registry) Open(ctx context.Context, name string) (*Hub, error) {
	if r.only != "" && name != r.only {
		return nil, fmt.Errorf("session %q is not served here; this server serves %q", name, r.only)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.hubs[name]; ok {
		return h, nil
	}
	st, err := r.load(ctx, name)
	if err != nil {
		return nil, err
	}
	// The documents are folded: their events' payloads, a second copy of
	// every passage's text, are not read again while the session is served
	// (see review.State.DropDocumentPayloads), and go back to the system.
	st.DropDocumentPayloads()
	debug.FreeOSMemory()
	h := NewHub(r.store, st)
	if r.log != nil {
		h.log.Store(r.log)
	}
	r.hubs[name] = h
	return h, nil
}

// Add registers a hub that already exists, such as the facilitator's own in
// `revue review --listen`, so that SSH participants join the same one.
func (r *Registry) Add(h *Hub) {
	r.mu.Lock()
	r.hubs[h.Name()] = h
	if r.log != nil {
		h.log.Store(r.log)
	}
	r.mu.Unlock()
}

// Close tells every open hub's screens that the server stops, and why.
func (r *Registry) Close(reason Reason) {
	r.mu.Lock()
	hubs := make([]*Hub, 0, len(r.hubs))
	for _, h := range r.hubs {
		hubs = append(hubs, h)
	}
	r.mu.Unlock()
	for _, h := range hubs {
		h.Close(reason)
	}
}

// Seat is one connection's place in a session. The interface fills it when
// the person enters a session (at once, or after the picker); the server
// empties it when the connection's program ends, whatever the reason, so
// that leaving is recorded even when a laptop just closes its lid.
type Seat struct {
	mu   sync.Mutex
	hub  *Hub
	conn uint64
}

// Take records that the connection joined hub as conn.
func (s *Seat) Take(h *Hub, conn uint64) {
	s.mu.Lock()
	s.hub, s.conn = h, conn
	s.mu.Unlock()
}

// Leave records the departure, once, and returns the hub left (nil when
// the connection never joined one, or already left), so that the server
// can give the person the session's receipt.
func (s *Seat) Leave(ctx context.Context) *Hub {
	s.mu.Lock()
	h, conn := s.hub, s.conn
	s.hub = nil
	s.mu.Unlock()
	if h != nil {
		h.Leave(ctx, conn)
	}
	return h
}
