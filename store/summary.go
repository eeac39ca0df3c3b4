package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// summarySchema keeps, per session, the counts that `revue sessions` shows,
// so that listing sessions reads one small row per session instead of
// replaying every trace. The counts are maintained by triggers on the
// events table, in the transaction of each INSERT: they can never disagree
// with a committed trace, whichever process wrote it, and no code path of
// Append can forget them.
//
// decided is the number of proposals with a decision in force, as
// review.State.Decided counts them: a proposal is decided when the latest
// of its decision.made and decision.reopened events that no action.undone
// has taken back is a decision.made. A reopening lifts the seal, a later
// decision seals again. decisions holds, per proposal, whether it is
// decided now (sealed 0 or 1), so that each event knows whether it changes
// the count. A decision.made or decision.reopened is the latest event of
// its proposal when it is appended, so it sets sealed directly; an undo of
// either (only traces written before seals undo a decision; the fold
// refuses to undo a reopening, but the count must still agree with
// summaryFill's) recomputes it from the proposal's events, which reads its
// session's decisions but happens only in such old traces. The payloads are read with SQLite's
// JSON functions, guarded by json_valid so that a payload they cannot read
// never fails an append (it only goes uncounted).
//
// Version 2 of the schema counted a decision reopened as still in force;
// migrate drops its summary tables and triggers and builds these ones.
const summarySchema = `
CREATE TABLE summaries (
	session   TEXT    PRIMARY KEY,
	created   TEXT    NOT NULL,
	events    INTEGER NOT NULL DEFAULT 0,
	documents INTEGER NOT NULL DEFAULT 0,
	criteria  INTEGER NOT NULL DEFAULT 0,
	proposals INTEGER NOT NULL DEFAULT 0,
	decided   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE decisions (
	session  TEXT    NOT NULL,
	proposal TEXT    NOT NULL,
	sealed   INTEGER NOT NULL CHECK (sealed IN (0, 1)),
	PRIMARY KEY (session, proposal)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER events_summary AFTER INSERT ON events
BEGIN
	INSERT INTO summaries (session, created) VALUES (NEW.session, NEW.at)
		ON CONFLICT (session) DO NOTHING;
	UPDATE summaries SET
		events = events + 1,
		documents = documents + (NEW.kind = 'document.added'),
		criteria = criteria + (NEW.kind = 'criterion.added'),
		proposals = proposals + (NEW.kind = 'proposal.added')
	WHERE session = NEW.session;
END;
CREATE TRIGGER events_decision AFTER INSERT ON events
WHEN NEW.kind IN ('decision.made', 'decision.reopened') AND json_valid(CAST(NEW.data AS TEXT))
	AND json_type(CAST(NEW.data AS TEXT), '$.proposal') = 'text'
BEGIN
	UPDATE summaries SET decided = decided + (NEW.kind = 'decision.made') - coalesce((SELECT d.sealed FROM decisions d
		WHERE d.session = NEW.session AND d.proposal = json_extract(CAST(NEW.data AS TEXT), '$.proposal')), 0)
	WHERE session = NEW.session;
	INSERT INTO decisions (session, proposal, sealed)
		VALUES (NEW.session, json_extract(CAST(NEW.data AS TEXT), '$.proposal'), NEW.kind = 'decision.made')
		ON CONFLICT (session, proposal) DO UPDATE SET sealed = excluded.sealed;
END;
CREATE TRIGGER events_undo_decision AFTER INSERT ON events
WHEN NEW.kind = 'action.undone' AND json_valid(CAST(NEW.data AS TEXT))
	AND json_type(CAST(NEW.data AS TEXT), '$.target') = 'text'
	AND EXISTS (SELECT 1 FROM events t WHERE t.session = NEW.session
		AND t.id = json_extract(CAST(NEW.data AS TEXT), '$.target') AND t.kind IN ('decision.made', 'decision.reopened')
		AND json_valid(CAST(t.data AS TEXT)) AND json_type(CAST(t.data AS TEXT), '$.proposal') = 'text')
BEGIN
	-- The proposal's state is what its latest event not undone says, this
	-- undo included (it is already in the table).
	UPDATE summaries SET decided = decided - coalesce((SELECT d.sealed FROM decisions d
		WHERE d.session = NEW.session AND d.proposal = (SELECT json_extract(CAST(t.data AS TEXT), '$.proposal') FROM events t
			WHERE t.session = NEW.session AND t.id = json_extract(CAST(NEW.data AS TEXT), '$.target'))), 0)
	WHERE session = NEW.session;
	INSERT INTO decisions (session, proposal, sealed)
		SELECT NEW.session, p.proposal, coalesce((
			SELECT e.kind = 'decision.made' FROM events e
			WHERE e.session = NEW.session AND e.kind IN ('decision.made', 'decision.reopened')
				AND json_valid(CAST(e.data AS TEXT)) AND json_extract(CAST(e.data AS TEXT), '$.proposal') = p.proposal
				AND e.id NOT IN (SELECT json_extract(CAST(u.data AS TEXT), '$.target') FROM events u
					WHERE u.session = NEW.session AND u.kind = 'action.undone' AND json_valid(CAST(u.data AS TEXT)))
			ORDER BY e.seq DESC LIMIT 1), 0)
		FROM (SELECT json_extract(CAST(t.data AS TEXT), '$.proposal') AS proposal FROM events t
			WHERE t.session = NEW.session AND t.id = json_extract(CAST(NEW.data AS TEXT), '$.target')) p
		WHERE true
		ON CONFLICT (session, proposal) DO UPDATE SET sealed = excluded.sealed;
	UPDATE summaries SET decided = decided + coalesce((SELECT d.sealed FROM decisions d
		WHERE d.session = NEW.session AND d.proposal = (SELECT json_extract(CAST(t.data AS TEXT), '$.proposal') FROM events t
			WHERE t.session = NEW.session AND t.id = json_extract(CAST(NEW.data AS TEXT), '$.target'))), 0)
	WHERE session = NEW.session;
END;
`

// summaryFill computes the summary tables from the events already stored,
// with the same rules as the triggers: when a file is migrated from
// schema version 1 (which had none) or 2 (whose decided count ignored
// reopenings). A proposal's state is its latest decision.made or
// decision.reopened not undone; SQLite takes the bare column kind from
// the row of max(seq).
const summaryFill = `
INSERT INTO decisions (session, proposal, sealed)
	SELECT session, proposal, kind = 'decision.made' FROM (
		SELECT d.session, json_extract(CAST(d.data AS TEXT), '$.proposal') AS proposal, d.kind, max(d.seq)
		FROM events d
		WHERE d.kind IN ('decision.made', 'decision.reopened') AND json_valid(CAST(d.data AS TEXT))
			AND json_type(CAST(d.data AS TEXT), '$.proposal') = 'text'
			AND (d.session, d.id) NOT IN (
				SELECT u.session, json_extract(CAST(u.data AS TEXT), '$.target') FROM events u
				WHERE u.kind = 'action.undone' AND json_valid(CAST(u.data AS TEXT))
					AND json_type(CAST(u.data AS TEXT), '$.target') = 'text')
		GROUP BY 1, 2);
INSERT INTO summaries (session, created, events, documents, criteria, proposals, decided)
	SELECT e.session, (SELECT c.at FROM events c WHERE c.session = e.session AND c.seq = 1),
		count(*), sum(e.kind = 'document.added'), sum(e.kind = 'criterion.added'),
		sum(e.kind = 'proposal.added'),
		(SELECT count(*) FROM decisions d WHERE d.session = e.session AND d.sealed = 1)
	FROM events e GROUP BY e.session;
`

// decidedCount counts one session's decided proposals from its events
// (?1 the session), with summaryFill's rule, for Verify to compare with
// the triggers' count.
const decidedCount = `
SELECT count(*) FROM (
	SELECT d.kind, max(d.seq)
	FROM events d
	WHERE d.session = ?1 AND d.kind IN ('decision.made', 'decision.reopened') AND json_valid(CAST(d.data AS TEXT))
		AND json_type(CAST(d.data AS TEXT), '$.proposal') = 'text'
		AND d.id NOT IN (
			SELECT json_extract(CAST(u.data AS TEXT), '$.target') FROM events u
			WHERE u.session = ?1 AND u.kind = 'action.undone' AND json_valid(CAST(u.data AS TEXT))
				AND json_type(CAST(u.data AS TEXT), '$.target') = 'text')
	GROUP BY json_extract(CAST(d.data AS TEXT), '$.proposal'))
WHERE kind = 'decision.made'`

// summaryDrop removes version 2's summary tables and triggers, before
// summarySchema and summaryFill build them again.
const summaryDrop = `
DROP TRIGGER IF EXISTS events_summary;
DROP TRIGGER IF EXISTS events_decision;
DROP TRIGGER IF EXISTS events_undo_decision;
DROP TABLE IF EXISTS summaries;
DROP TABLE IF EXISTS decisions;
`

// Summary is what `revue sessions` shows of one session, read from the
// store's summary tables without replaying its trace.
type Summary struct {
	Name    string
	Created time.Time
	// Events is the number of events; LastSeq the seq of the last one
	// (equal to Events in a sound trace).
	Events, LastSeq int64
	Documents       int
	Criteria        int
	Proposals       int
	// Decided counts the proposals with a decision in force, as
	// review.State.Decided does.
	Decided int
	// Err is set when this session could not be summarised (a damaged row,
	// a summary that disagrees with the trace); the other fields but Name
	// are then unreliable. One damaged session does not hide the others:
	// the caller lists the sound ones and names this one, with `revue
	// verify NAME` as what to do.
	Err error
}

// Summaries lists every session, in the order they were created, with its
// counts from the summary tables. The list costs one index probe and one
// summary row per session, whatever the length of the traces. An error of
// one session is in its Summary's Err; the error returned is for a list
// that could not be read at all.
func (s *Store) Summaries(ctx context.Context) ([]Summary, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	// The session's own row of seq 1 gives the order and the name even
	// when its summary row is missing; the last seq is the far end of the
	// (session, seq) index.
	rows, err := s.db.QueryContext(ctx, `
		SELECT e.session, m.created, m.events, m.documents, m.criteria, m.proposals, m.decided,
			(SELECT max(l.seq) FROM events l WHERE l.session = e.session), coalesce(w.n, 0)
		FROM events e LEFT JOIN summaries m ON m.session = e.session LEFT JOIN withdrawn w ON w.session = e.session
		WHERE e.seq = 1 ORDER BY e.pos`)
	if err != nil {
		return nil, fmt.Errorf("list sessions of %s: %w", s.path, err)
	}
	defer rows.Close()
	out := []Summary{}
	var withdrawn []int // indexes in out of the sessions someone withdrew from
	for rows.Next() {
		var (
			m                                     Summary
			created                               sql.NullString
			events, docs, crit, props, dec, lastS sql.NullInt64
			forgotten                             int64
		)
		if err := rows.Scan(&m.Name, &created, &events, &docs, &crit, &props, &dec, &lastS, &forgotten); err != nil {
			return nil, fmt.Errorf("list sessions of %s: %w", s.path, err)
		}
		m.Events, m.LastSeq = events.Int64, lastS.Int64
		m.Documents, m.Criteria, m.Proposals, m.Decided = int(docs.Int64), int(crit.Int64), int(props.Int64), int(dec.Int64)
		switch {
		case !created.Valid:
			m.Err = fmt.Errorf("session %q of %s has no summary row", m.Name, s.path)
		case m.Events != m.LastSeq:
			m.Err = fmt.Errorf("session %q of %s: its summary counts %d events but its last event is number %d", m.Name, s.path, m.Events, m.LastSeq)
		default:
			t, err := time.Parse(time.RFC3339Nano, created.String)
			if err != nil {
				m.Err = fmt.Errorf("session %q of %s has a bad creation time %q: %w", m.Name, s.path, created.String, err)
			}
			m.Created = t.UTC()
		}
		if forgotten > 0 && m.Err == nil {
			withdrawn = append(withdrawn, len(out))
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions of %s: %w", s.path, err)
	}
	rows.Close()
	// A withdrawal leaves out of every export the person's proposals and
	// decisions: the counts of such a session are those of its trace
	// without them (review.Withdraw), as `revue report` and the exports
	// give them. Withdrawals are rare; only these sessions are replayed.
	for _, i := range withdrawn {
		events, err := s.Replay(ctx, out[i].Name)
		if err == nil {
			kept, _ := review.Withdraw(events)
			var st *review.State
			if st, err = review.Replay(kept); err == nil {
				out[i].Documents, out[i].Criteria, out[i].Proposals, out[i].Decided = len(st.Documents), len(st.Criteria), len(st.Proposals), st.Decided()
			}
		}
		if err != nil {
			out[i].Err = err
		}
	}
	return out, nil
}
