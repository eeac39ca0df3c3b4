package store

import (
	"context"
	"fmt"

	"github.com/coopdescommuns/revue/review"
)

// Since returns the events of a session committed with a seq greater than
// afterSeq, in seq order, and an empty slice when there are none. It is how
// a running server sees what another process appended to the same file (a
// `revue propose`, a `revue forget`, a second server): the hub remembers the
// last seq it folded and asks again every second. The query is a range of
// the (session, seq) unique index, so an idle poll is one index probe.
//
// This is the minimal version the live session needs; the store's owner
// has a streaming one (scan) that replaces it.
func (s *Store) Since(ctx context.Context, session string, afterSeq int64) ([]review.Event, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx,
		"SELECT seq, at, id, actor_name, actor_fingerprint, actor_role, kind, data FROM events WHERE session = ? AND seq > ? ORDER BY seq",
		session, afterSeq)
	if err != nil {
		return nil, fmt.Errorf("read session %q after event %d from %s: %w", session, afterSeq, s.path, err)
	}
	defer rows.Close()
	events := []review.Event{}
	for rows.Next() {
		e := review.Event{Session: session}
		var at, role, kind string
		var data []byte
		if err := rows.Scan(&e.Seq, &at, &e.ID, &e.Actor.Name, &e.Actor.Fingerprint, &role, &kind, &data); err != nil {
			return nil, fmt.Errorf("read session %q after event %d from %s: %w", session, afterSeq, s.path, err)
		}
		if err := fill(&e, at, role, kind, data); err != nil {
			return nil, fmt.Errorf("read session %q from %s: %w", session, s.path, err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read session %q after event %d from %s: %w", session, afterSeq, s.path, err)
	}
	return events, nil
}
