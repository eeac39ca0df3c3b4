package session

import "sync"

// This file is the smallest version of the drafts kept for reconnection,
// written by the interface's helper while the session helper's own (in
// hub.go, with the same names) was not yet in main: when that lands,
// delete this file.

// Draft is what a person was writing (a rephrasing, a comment) when their
// connection dropped, kept so that they find it again when they come back.
type Draft struct {
	Proposal string // the proposal it is about
	Mode     string // which input: the interface's own name for it
	Text     string
}

// drafts holds each hub's drafts by person key, in memory only.
var drafts sync.Map // *Hub → *draftBook

type draftBook struct {
	mu sync.Mutex
	by map[string]Draft
}

func (h *Hub) draftBook() *draftBook {
	b, _ := drafts.LoadOrStore(h, &draftBook{by: map[string]Draft{}})
	return b.(*draftBook)
}

// SaveDraft keeps what the person is writing, for their reconnection; a
// draft without text forgets the person's draft. It is kept in memory
// only, for as long as the server runs, and never written to the trace.
func (h *Hub) SaveDraft(personKey string, d Draft) {
	b := h.draftBook()
	b.mu.Lock()
	defer b.mu.Unlock()
	if d.Text == "" {
		delete(b.by, personKey)
		return
	}
	b.by[personKey] = d
}

// Draft returns the person's unsent draft, if any.
func (h *Hub) Draft(personKey string) (Draft, bool) {
	b := h.draftBook()
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.by[personKey]
	return d, ok
}
