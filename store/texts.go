package store

import (
	"container/list"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// TextCacheBytes bounds the passage text a Texts keeps decoded: 4 MiB, about
// 500 documents of the 18,000-pad session of realistic size, which is far
// more than the screens of a room show at a time (a link's passage, and the
// passages around it in the source pane). One event bigger than the bound
// is still kept, alone, while it is the last one read: the source pane reads
// seven passages of it at each frame.
const TextCacheBytes = 4 << 20

// textReadTimeout bounds one read of an event's text: a screen waits for
// it while it draws.
const textReadTimeout = 5 * time.Second

// Texts reads the passages' text of one session from the store, for a
// state folded without it (review.State.ApplyLean, SetText): the event that
// holds a passage (document.added, or a document's further passages) is
// read by its seq, one indexed SELECT, and its passages decoded and kept in
// a small cache bounded in bytes, least recently used first out. It is safe
// for concurrent use: every screen of a served session shares it.
type Texts struct {
	st      *Store
	session string
	max     int
	report  func(error) // told of each failed read; may be nil

	mu    sync.Mutex
	lru   list.List // of *textEvent, most recently used first
	bySeq map[int64]*list.Element
	size  int    // bytes of text and IDs held
	last  string // the last error reported, not repeated at each frame
}

// textEvent is one event's passages, decoded.
type textEvent struct {
	seq   int64
	texts map[string]string // passage ID → text
	size  int
}

// Texts returns the text source of session. report, if not nil, is told
// of each read that fails (the screen shows review.TextUnreadable).
func (s *Store) Texts(session string, report func(error)) *Texts {
	return &Texts{st: s, session: session, max: TextCacheBytes, report: report, bySeq: map[int64]*list.Element{}}
}

// PassageText returns the text of passage from the event seq of the
// session: from the cache, or read and decoded from the store.
func (t *Texts) PassageText(seq int64, passage string) (string, error) {
	t.mu.Lock()
	if el, ok := t.bySeq[seq]; ok {
		t.lru.MoveToFront(el)
		text, ok := el.Value.(*textEvent).texts[passage]
		t.mu.Unlock()
		if !ok {
			return "", t.fail(fmt.Errorf("passage %q is not in event %d of session %q in %s", passage, seq, t.session, t.st.path))
		}
		return text, nil
	}
	t.mu.Unlock()
	// Read without the lock: another screen's cache hit never waits for
	// a disk. Two screens missing the same event at once both read it,
	// and the second one's copy replaces the first.
	ev, err := t.read(seq)
	if err != nil {
		return "", t.fail(err)
	}
	text, ok := ev.texts[passage]
	t.keep(ev)
	if !ok {
		return "", t.fail(fmt.Errorf("passage %q is not in event %d of session %q in %s", passage, seq, t.session, t.st.path))
	}
	return text, nil
}

// fail tells report of err, unless it was the last error told (a store
// closed fails at every frame of every screen), and returns it.
func (t *Texts) fail(err error) error {
	t.mu.Lock()
	again := err.Error() == t.last
	t.last = err.Error()
	t.mu.Unlock()
	if t.report != nil && !again {
		t.report(err)
	}
	return err
}

// EventData returns the data of event seq as stored, for a lean export
// that writes the trace (review.ExportOptions.Stored); it is not cached.
func (t *Texts) EventData(seq int64) ([]byte, error) {
	if err := t.st.open(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), textReadTimeout)
	defer cancel()
	var data []byte
	err := t.st.db.QueryRowContext(ctx, "SELECT data FROM events WHERE session = ? AND seq = ?", t.session, seq).Scan(&data)
	if err != nil {
		return nil, fmt.Errorf("read event %d of session %q from %s: %w", seq, t.session, t.st.path, err)
	}
	return data, nil
}

// read decodes the passages of event seq.
func (t *Texts) read(seq int64) (*textEvent, error) {
	data, err := t.EventData(seq)
	if err != nil {
		return nil, err
	}
	var d struct {
		Passages []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"passages"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("read the text of event %d of session %q from %s: %w", seq, t.session, t.st.path, err)
	}
	ev := &textEvent{seq: seq, texts: make(map[string]string, len(d.Passages))}
	for _, p := range d.Passages {
		ev.texts[p.ID] = p.Text
		ev.size += len(p.ID) + len(p.Text) + 64 // the map's entry and the strings' headers
	}
	return ev, nil
}

// keep puts ev first in the cache and lets go of the least recently used
// events beyond the bound, ev excepted.
func (t *Texts) keep(ev *textEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, ok := t.bySeq[ev.seq]; ok {
		t.size -= el.Value.(*textEvent).size
		t.lru.Remove(el)
	}
	t.bySeq[ev.seq] = t.lru.PushFront(ev)
	t.size += ev.size
	for t.size > t.max && t.lru.Len() > 1 {
		old := t.lru.Back()
		o := old.Value.(*textEvent)
		t.lru.Remove(old)
		delete(t.bySeq, o.seq)
		t.size -= o.size
	}
}
