package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/coopdescommuns/revue/review"
)

// chainTag starts every hashed record, so that a hash of the chain can never
// be mistaken for the hash of some other Revue structure, and so that a
// future encoding can be told apart.
const chainTag = "revue event chain v1\n"

// ChainHash is the link of one event in its session's hash chain: the
// SHA-256, in lower-case hexadecimal, of chainTag followed by the previous
// event's link (empty for the session's first event) and the event's
// fields as stored. Each text field and data is written as its length in
// bytes (8 bytes, big-endian) then its bytes; seq is 8 bytes, big-endian;
// data that is NULL (no payload) is written as the length 2^64-1 with no
// bytes, so that it differs from an empty payload. at is the time as the
// store writes it (RFC 3339 with nanoseconds, UTC), which is also how an
// export writes it.
//
// A change of any byte of an event, or the removal of an event, breaks the
// chain from that event on; Verify finds the first such event. Rewriting
// every later link would hide the change from Verify, but not from anyone
// who kept the head hash (Head, written in every export).
//
// It depends on nothing of Revue, so that anyone can check a published
// trace with a few lines of any language.
func ChainHash(prev string, seq int64, at, id, actorName, actorFingerprint, actorRole, kind string, data []byte) string {
	h := sha256.New()
	var n [8]byte
	text := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		io.WriteString(h, s)
	}
	io.WriteString(h, chainTag)
	text(prev)
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	h.Write(n[:])
	for _, f := range []string{at, id, actorName, actorFingerprint, actorRole, kind} {
		text(f)
	}
	if data == nil {
		binary.BigEndian.PutUint64(n[:], ^uint64(0))
		h.Write(n[:])
	} else {
		binary.BigEndian.PutUint64(n[:], uint64(len(data)))
		h.Write(n[:])
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// migrate brings a file of an older schema version to this version, in one
// transaction. From version 1, it adds the hash column and computes the
// chain of every event already stored, and builds the summary tables from
// the events (see summarySchema); from version 2, it builds the summary
// tables again, since version 2 counted a reopened decision as decided.
// The update trigger is dropped for the time of the transaction and
// created again before COMMIT, so no other connection ever sees a trace
// that accepts UPDATE. A crash in the middle leaves the file
// at its old version, and the next Open migrates it again.
func (s *Store) migrate(ctx context.Context) error {
	var version int64
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return openError(s.path, err)
	}
	if version >= schemaVersion {
		return nil
	}
	fail := func(err error) error {
		s.w.ExecContext(ctx, "ROLLBACK")
		return fmt.Errorf("upgrade the store %s from schema %d to %d: %w; nothing was changed, and the previous revue can still open it", s.path, version, schemaVersion, err)
	}
	if _, err := s.w.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return openError(s.path, err)
	}
	// Another process may have migrated it while we waited for the lock.
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fail(err)
	}
	if version >= schemaVersion {
		_, err := s.w.ExecContext(ctx, "COMMIT")
		return err
	}
	var steps []string
	switch version {
	case 1:
		for _, q := range []string{
			"ALTER TABLE events ADD COLUMN hash TEXT CHECK (hash IS NULL OR length(hash) = 64)",
			"DROP TRIGGER events_no_update",
		} {
			if _, err := s.w.ExecContext(ctx, q); err != nil {
				return fail(err)
			}
		}
		if err := s.chainAll(ctx); err != nil {
			return fail(err)
		}
		steps = []string{noUpdateTrigger, summarySchema, summaryFill}
	case 2:
		// Version 2's decided count ignored reopenings: its summaries
		// are built again from the events.
		steps = []string{summaryDrop, summarySchema, summaryFill}
	default:
		return fail(fmt.Errorf("unknown schema version %d", version))
	}
	for _, q := range append(steps, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)) {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			return fail(err)
		}
	}
	if _, err := s.w.ExecContext(ctx, "COMMIT"); err != nil {
		return fail(err)
	}
	return nil
}

// chainAll computes the hash of every event in seq order per session; it
// runs inside migrate's transaction.
func (s *Store) chainAll(ctx context.Context) error {
	rows, err := s.w.QueryContext(ctx, "SELECT pos, session, seq, at, id, actor_name, actor_fingerprint, actor_role, kind, data FROM events ORDER BY session, seq")
	if err != nil {
		return err
	}
	type update struct {
		pos  int64
		hash string
	}
	var (
		updates []update
		session string
		prev    string
	)
	for rows.Next() {
		var (
			pos, seq                         int64
			sess, at, id, name, fp, role, kd string
			data                             []byte
		)
		if err := rows.Scan(&pos, &sess, &seq, &at, &id, &name, &fp, &role, &kd, &data); err != nil {
			rows.Close()
			return err
		}
		if sess != session {
			session, prev = sess, ""
		}
		prev = ChainHash(prev, seq, at, id, name, fp, role, kd, data)
		updates = append(updates, update{pos, prev})
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	rows.Close()
	st, err := s.w.PrepareContext(ctx, "UPDATE events SET hash = ? WHERE pos = ?")
	if err != nil {
		return err
	}
	defer st.Close()
	for _, u := range updates {
		if _, err := st.ExecContext(ctx, u.hash, u.pos); err != nil {
			return err
		}
	}
	return nil
}

// BreakKind says how a session's chain is broken.
type BreakKind string

// The ways a chain breaks.
const (
	// BreakHash: the event's stored link is not the hash of its fields and
	// of the previous link: the event (or the one before it) was changed.
	BreakHash BreakKind = "hash"
	// BreakMissing: there is no event of this seq although a later one
	// exists: an event was deleted.
	BreakMissing BreakKind = "missing"
	// BreakNoHash: the event has no link at all: it was written behind the
	// store's back.
	BreakNoHash BreakKind = "no-hash"
)

// Break is the first place where a session's chain does not hold.
type Break struct {
	Kind BreakKind
	// Seq and ID name the first event that does not match: for
	// BreakMissing, the event that follows the gap (the missing ones are
	// Missing, from Seq-Missing to Seq-1).
	Seq     int64
	ID      string
	Missing int64
	// Stored and Want are the stored and the recomputed link (BreakHash).
	Stored, Want string
}

// String says what is wrong, in English; a command line translates from
// the fields.
func (b Break) String() string {
	switch b.Kind {
	case BreakMissing:
		return fmt.Sprintf("%d event(s) before event %d (id %q) are missing: seq %d to %d were deleted", b.Missing, b.Seq, b.ID, b.Seq-b.Missing, b.Seq-1)
	case BreakNoHash:
		return fmt.Sprintf("event %d (id %q) has no hash: it was written behind revue's back", b.Seq, b.ID)
	default:
		return fmt.Sprintf("event %d (id %q) does not match its hash: it or the event before it was changed", b.Seq, b.ID)
	}
}

// VerifyReport is what Verify found. The session is sound when OK says so.
type VerifyReport struct {
	Session string
	// Events is the number of events read; HeadSeq and Head are the last
	// event's seq and stored link.
	Events  int64
	HeadSeq int64
	Head    string
	// Integrity lists what PRAGMA integrity_check found wrong with the
	// file (at most ten lines); empty when the file is sound.
	Integrity []string
	// Triggers lists the append-only triggers that are missing from the
	// file: without them another program can change events silently.
	Triggers []string
	// Break is the first event that does not match, nil when the chain
	// holds from the first event to the head.
	Break *Break
	// Summary lists the counts of the summary tables (what `revue
	// sessions` shows) that disagree with the chain's events, as "events:
	// summary 12, trace 11": a row deleted or added behind the triggers'
	// back.
	Summary []string
	// Signed is the last signed head the file records for the session,
	// nil when there is none.
	Signed *review.Checkpoint
}

// OK reports whether the file and the session's chain are sound.
func (r VerifyReport) OK() bool {
	return len(r.Integrity) == 0 && len(r.Triggers) == 0 && r.Break == nil && len(r.Summary) == 0
}

// Verify checks the integrity of the whole file (PRAGMA integrity_check,
// which reads every page) and the hash chain of one session from its first
// event to its head, and names the first event that does not match: a
// changed byte, a deleted event (a gap in seq), an event without a link. A
// deleted last event leaves no gap; comparing Head with the head hash of an
// export taken earlier shows it. A problem found is in the report, not in
// the error, which is for a check that could not run (and wraps
// ErrNoSession for an unknown session).
func (s *Store) Verify(ctx context.Context, session string) (VerifyReport, error) {
	return s.verify(ctx, session, true)
}

// VerifyTrace is Verify without the integrity check of the whole file:
// what `revue export` and `revue report` check before they read a session,
// at the cost of reading that session's events once.
func (s *Store) VerifyTrace(ctx context.Context, session string) (VerifyReport, error) {
	return s.verify(ctx, session, false)
}

func (s *Store) verify(ctx context.Context, session string, integrity bool) (VerifyReport, error) {
	r := VerifyReport{Session: session}
	if err := s.open(); err != nil {
		return r, err
	}
	fail := func(err error) (VerifyReport, error) {
		return r, fmt.Errorf("verify session %q of %s: %w", session, s.path, err)
	}
	if integrity {
		rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check(10)")
		if err != nil {
			return fail(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return fail(err)
			}
			if line != "ok" {
				r.Integrity = append(r.Integrity, line)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fail(err)
		}
	}
	for _, name := range []string{"events_no_update", "events_no_delete"} {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = ?", name).Scan(&n); err != nil {
			return fail(err)
		}
		if n == 0 {
			r.Triggers = append(r.Triggers, name)
		}
	}
	err := s.chain(ctx, session, func(l chainRow) bool {
		seq, id, stored, want := l.seq, l.id, l.stored, l.want
		r.Events++
		if r.Break == nil {
			switch {
			case seq != r.HeadSeq+1:
				r.Break = &Break{Kind: BreakMissing, Seq: seq, ID: id, Missing: seq - r.HeadSeq - 1}
			case stored == "":
				r.Break = &Break{Kind: BreakNoHash, Seq: seq, ID: id}
			case stored != want:
				r.Break = &Break{Kind: BreakHash, Seq: seq, ID: id, Stored: stored, Want: want}
			}
		}
		r.HeadSeq, r.Head = seq, stored
		return true
	})
	if err != nil {
		return fail(err)
	}
	if r.Events == 0 {
		return r, s.noSession("verify", session)
	}
	if r.Summary, err = s.compareSummary(ctx, session); err != nil {
		return fail(err)
	}
	heads, err := s.SignedHeads(ctx, session)
	if err != nil {
		return fail(err)
	}
	if len(heads) > 0 {
		r.Signed = &heads[len(heads)-1]
	}
	return r, nil
}

// compareSummary counts the session's events by kind, and its decided
// proposals with summaryFill's rule, and compares them with its summary
// row.
func (s *Store) compareSummary(ctx context.Context, session string) ([]string, error) {
	var trace, sum [5]int64
	err := s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(kind = 'document.added'), 0), coalesce(sum(kind = 'criterion.added'), 0),
		coalesce(sum(kind = 'proposal.added'), 0) FROM events WHERE session = ?`, session).Scan(&trace[0], &trace[1], &trace[2], &trace[3])
	if err != nil {
		return nil, err
	}
	if err := s.db.QueryRowContext(ctx, decidedCount, session).Scan(&trace[4]); err != nil {
		return nil, err
	}
	err = s.db.QueryRowContext(ctx, "SELECT events, documents, criteria, proposals, decided FROM summaries WHERE session = ?", session).Scan(&sum[0], &sum[1], &sum[2], &sum[3], &sum[4])
	if errors.Is(err, sql.ErrNoRows) {
		return []string{"the session has no summary row"}, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for i, what := range []string{"events", "documents", "criteria", "proposals", "decided"} {
		if trace[i] != sum[i] {
			out = append(out, fmt.Sprintf("%s: summary %d, trace %d", what, sum[i], trace[i]))
		}
	}
	return out, nil
}

// chainRow is one event as the chain reads it: its seq, id, stored link (""
// for NULL), the link recomputed from its fields and the previous event's
// stored link, and what a finding names it by (kind, actor).
type chainRow struct {
	seq                    int64
	id, stored, want, kind string
	actor, role            string
}

// chain calls fn with each event of session in seq order. It stops when fn
// returns false. It reads the raw columns, not events, so that a row a
// decoder would refuse (a bad time) is still checked.
func (s *Store) chain(ctx context.Context, session string, fn func(chainRow) bool) error {
	str := func(v driver.Value) string {
		switch v := v.(type) {
		case string:
			return v
		case []byte:
			return string(v)
		}
		return ""
	}
	prev := ""
	return s.rawRows(ctx, eventColumns+" ORDER BY seq", []any{session}, func(row []driver.Value) error {
		seq, _ := row[0].(int64)
		var data []byte
		switch v := row[7].(type) {
		case []byte:
			data = v
		case string:
			data = []byte(v)
		}
		id, stored := str(row[2]), str(row[8])
		want := ChainHash(prev, seq, str(row[1]), id, str(row[3]), str(row[4]), str(row[5]), str(row[6]), data)
		if !fn(chainRow{seq: seq, id: id, stored: stored, want: want, kind: str(row[6]), actor: str(row[3]), role: str(row[5])}) {
			return errStopRows
		}
		prev = stored
		return nil
	})
}

// Head returns the seq and the stored link of a session's last event: the
// value an export writes, so that a published data set can be checked
// against the file it came from (Verify that file, then compare). A session
// without any event is an error wrapping ErrNoSession.
func (s *Store) Head(ctx context.Context, session string) (seq int64, hash string, err error) {
	if err := s.open(); err != nil {
		return 0, "", err
	}
	var h sql.NullString
	err = s.db.QueryRowContext(ctx, "SELECT seq, hash FROM events WHERE session = ? ORDER BY seq DESC LIMIT 1", session).Scan(&seq, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", s.noSession("head", session)
	}
	if err != nil {
		return 0, "", fmt.Errorf("head of session %q in %s: %w", session, s.path, err)
	}
	return seq, h.String, nil
}
