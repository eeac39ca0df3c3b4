package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

func mustSummaries(t *testing.T, s *Store) []Summary {
	t.Helper()
	sums, err := s.Summaries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// TestSummaries checks the counts of the summary tables after each append,
// including decisions taken back and reopened, as review.State.Decided
// counts them: a proposal is decided while its latest decision or
// reopening in force is a decision.
func TestSummaries(t *testing.T) {
	s := openTemp(t)
	s.legacy = true // decisions replaced and undone, as before seals
	if got := mustSummaries(t, s); len(got) != 0 {
		t.Fatalf("empty store: %+v", got)
	}
	mustAppend(t, s, created("b", "c"), doc("b", "d1"), doc("b", "d2"), crit("b", "k1"),
		prop("b", "p1"), prop("b", "p2"), prop("b", "p3"))
	mustAppend(t, s, created("a", "c"))
	steps := []struct {
		name    string
		events  []review.Event
		decided int
	}{
		{"a decision", []review.Event{decision("b", "x1", "p1")}, 1},
		{"a second decision of the same proposal", []review.Event{decision("b", "x2", "p1")}, 1},
		{"one of the two taken back", []review.Event{undo("b", "u1", "x1")}, 1},
		{"the other taken back", []review.Event{undo("b", "u2", "x2")}, 0},
		{"an undo of something else", []review.Event{undo("b", "u3", "d1")}, 0},
		{"decisions of two proposals", []review.Event{decision("b", "x3", "p2"), decision("b", "x4", "p3")}, 2},
		{"a second undo of the same decision", []review.Event{undo("b", "u4", "x1")}, 2},
		{"a retry of a stored decision", []review.Event{decision("b", "x3", "p2")}, 2},
		{"a payload that is not an object", []review.Event{{Session: "b", ID: "odd", At: base, Actor: sys, Kind: review.KindDecisionMade, Data: []byte(`[1]`)}}, 2},
		{"a decision reopened", []review.Event{reopen("b", "r1", "p2")}, 1},
		{"sealed again after its reopening", []review.Event{decision("b", "x5", "p2")}, 2},
		{"reopened again", []review.Event{reopen("b", "r2", "p2")}, 1},
		{"an old trace's undo of the decision before the reopening", []review.Event{undo("b", "u5", "x3")}, 1},
		{"an old trace's undo of the decision after it", []review.Event{decision("b", "x6", "p2"), undo("b", "u6", "x6")}, 1},
		{"the last seal reopened", []review.Event{reopen("b", "r3", "p3")}, 0},
		{"an undo of that reopening, which the fold refuses but the count follows", []review.Event{undo("b", "u7", "r3")}, 1},
	}
	events := int64(7)
	for _, st := range steps {
		stored := mustAppend(t, s, st.events...)
		for _, e := range stored {
			if e.Seq > events {
				events = e.Seq
			}
		}
		got := mustSummaries(t, s)
		want := []Summary{
			{Name: "b", Created: base, Events: events, LastSeq: events, Documents: 2, Criteria: 1, Proposals: 3, Decided: st.decided},
			{Name: "a", Created: base, Events: 1, LastSeq: 1},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after %s:\n%+v\nwant\n%+v", st.name, got, want)
		}
		// Verify counts the decided again from the events: the triggers
		// and summaryFill's rule agree at every step.
		if r := mustVerify(t, s, "b"); len(r.Summary) > 0 {
			t.Fatalf("after %s, verify: %q", st.name, r.Summary)
		}
	}
}

// TestSummariesDamaged damages two sessions' summaries behind the store's
// back: each is named with its own error, and the sound ones are listed.
func TestSummariesDamaged(t *testing.T) {
	s := openTemp(t)
	for _, n := range []string{"s1", "bad-time", "s2", "no-row", "s3"} {
		chainSession(t, s, n, 4)
	}
	db := rawDB(t, s.Path())
	for _, q := range []string{
		"UPDATE summaries SET created = 'yesterday' WHERE session = 'bad-time'",
		"DELETE FROM summaries WHERE session = 'no-row'",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	got := mustSummaries(t, s)
	var names []string
	for _, m := range got {
		names = append(names, m.Name)
		switch m.Name {
		case "bad-time":
			if m.Err == nil || !strings.Contains(m.Err.Error(), `"yesterday"`) {
				t.Errorf("bad-time: %v, want an error naming the bad time", m.Err)
			}
		case "no-row":
			if m.Err == nil || !strings.Contains(m.Err.Error(), "no summary") {
				t.Errorf("no-row: %v, want an error saying it has no summary", m.Err)
			}
		default:
			if m.Err != nil || m.Events != 4 || !m.Created.Equal(base) {
				t.Errorf("%s: %+v, want 4 events and no error", m.Name, m)
			}
		}
	}
	if want := []string{"s1", "bad-time", "s2", "no-row", "s3"}; !reflect.DeepEqual(names, want) {
		t.Errorf("listed %q, want %q", names, want)
	}
}

// TestSummariesMatchState drives a valid session (checked by review.State
// before each append) through random decisions, rejections, rewordings,
// votes, reopenings and undos, and checks after each step that the summary counts what
// the fold of the whole trace counts: the triggers and review.State.Decided
// must never disagree.
func TestSummariesMatchState(t *testing.T) {
	s := openTemp(t)
	s.legacy = true // Apply folds old traces' replaced and undone decisions too
	const name = "croisé"
	doc := review.Document{ID: "d1", Title: "Compte rendu", Source: "cr.md", SHA256: "d1", Format: "md"}
	for i := range 4 {
		text := fmt.Sprintf("Passage %d : les habitants votent les règles du jardin.", i+1)
		doc.Passages = append(doc.Passages, review.Passage{ID: fmt.Sprintf("p%d", i+1), Document: "d1", Index: i, Text: text, Start: i * 100, End: i*100 + len(text)})
	}
	doc.Chars = 400
	at := base
	n := 0
	ev := func(actor review.Actor, kind review.Kind, data any) review.Event {
		n++
		at = at.Add(time.Second)
		return review.MustEvent(name, fmt.Sprintf("e%d", n), at, actor, kind, data)
	}
	events := []review.Event{
		ev(sys, review.KindSessionCreated, review.SessionCreated{Name: name}),
		ev(sys, review.KindDocumentAdded, doc),
		ev(sys, review.KindCriterionAdded, review.Criterion{ID: "C1", Title: "Règles choisies ensemble"}),
	}
	for i, p := range doc.Passages {
		events = append(events, ev(sys, review.KindProposalAdded, review.Proposal{
			ID: fmt.Sprintf("L%d", i+1), Document: "d1", Passage: p.ID, Criterion: "C1",
			Statement: "Les règles sont choisies ensemble.", Quote: "votent les règles", QuoteStart: -1, QuoteEnd: -1,
			Confidence: 0.8, Origin: review.Origin{Kind: review.OriginExample, Name: "test"},
		}))
	}
	st, err := review.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, s, events...)
	fac := review.Actor{Name: "Ana", Role: review.Facilitator}
	part := review.Actor{Name: "Léo", Role: review.Participant}
	r := rand.New(rand.NewPCG(7, 9))
	var undoable []string // ids of votes and decisions, maybe undone already
	undos, reopens, seen := 0, 0, map[int]bool{}
	for step := range 300 {
		var e review.Event
		prop := fmt.Sprintf("L%d", 1+r.IntN(4))
		switch k := r.IntN(10); {
		case k < 4:
			verdicts := []review.VoteData{
				{Proposal: prop, Verdict: review.Accept},
				{Proposal: prop, Verdict: review.Reject, Reason: review.Reasons[0]},
				{Proposal: prop, Verdict: review.Rephrase, Statement: fmt.Sprintf("Reformulé %d.", step)},
			}
			e = ev(fac, review.KindDecisionMade, verdicts[r.IntN(len(verdicts))])
		case k < 6:
			e = ev(part, review.KindVoteCast, review.VoteData{Proposal: prop, Verdict: review.Accept})
		case k < 7:
			e = ev(fac, review.KindDecisionReopened, review.ReopenData{Proposal: prop})
		default:
			if len(undoable) == 0 {
				continue
			}
			e = ev(fac, review.KindActionUndone, review.UndoData{Target: undoable[r.IntN(len(undoable))]})
		}
		if err := st.Apply(e); err != nil {
			continue // not a valid step (an undo of what is undone): never stored
		}
		switch e.Kind {
		case review.KindActionUndone:
			undos++
		case review.KindDecisionReopened:
			reopens++
		default:
			undoable = append(undoable, e.ID)
		}
		seen[st.Decided()] = true
		mustAppend(t, s, e)
		got := mustSummaries(t, s)
		if len(got) != 1 || got[0].Err != nil || got[0].Decided != st.Decided() || got[0].Proposals != len(st.Proposals) ||
			got[0].Documents != len(st.Documents) || got[0].Criteria != len(st.Criteria) || got[0].Events != int64(len(st.Events)) {
			t.Fatalf("step %d (%s): summary %+v, state: %d decided, %d proposals, %d events", step, e.Kind, got, st.Decided(), len(st.Proposals), len(st.Events))
		}
	}
	// The walk must have gone up and down, or it tested little.
	if undos < 20 || reopens < 10 || len(seen) < 4 {
		t.Fatalf("only %d undos, %d reopenings and decided counts %v: the walk is too tame", undos, reopens, seen)
	}
}

// v2SummarySchema is the summary tables and triggers of schema version 2,
// as an older revue wrote them: its decided count ignored reopenings.
const v2SummarySchema = `
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
	live     INTEGER NOT NULL,
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
WHEN NEW.kind = 'decision.made' AND json_valid(CAST(NEW.data AS TEXT))
	AND json_type(CAST(NEW.data AS TEXT), '$.proposal') = 'text'
BEGIN
	INSERT INTO decisions (session, proposal, live)
		VALUES (NEW.session, json_extract(CAST(NEW.data AS TEXT), '$.proposal'), 1)
		ON CONFLICT (session, proposal) DO UPDATE SET live = live + 1;
	UPDATE summaries SET decided = decided + 1
	WHERE session = NEW.session AND (SELECT live FROM decisions
		WHERE session = NEW.session AND proposal = json_extract(CAST(NEW.data AS TEXT), '$.proposal')) = 1;
END;
PRAGMA user_version = 2;
`

// TestMigrateV2 opens a file written by a revue of schema version 2, whose
// summary counted a reopened decision as decided: Open builds the
// summaries again, `revue sessions` then gives the count the fold gives
// (TestSummariesMatchState holds the triggers to the fold), the chain is
// untouched, and new events are counted by the new triggers.
func TestMigrateV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revue.db")
	db := rawDB(t, path)
	if _, err := db.Exec("PRAGMA journal_mode = WAL"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(schema + v2SummarySchema + fmt.Sprintf("PRAGMA application_id = %d;", applicationID)); err != nil {
		t.Fatal(err)
	}
	// p1 sealed, reopened, sealed again; p2 sealed then reopened; p3
	// sealed. The fold counts 2 decided; version 2 counted 3.
	old := []review.Event{created("old", "c"), doc("old", "d1"), crit("old", "k1"),
		prop("old", "p1"), prop("old", "p2"), prop("old", "p3"),
		decision("old", "x1", "p1"), reopen("old", "r1", "p1"), decision("old", "x2", "p1"),
		decision("old", "x3", "p2"), reopen("old", "r2", "p2"), decision("old", "x4", "p3")}
	prev := ""
	for i, e := range old {
		at := e.At.Format(time.RFC3339Nano)
		prev = ChainHash(prev, int64(i+1), at, e.ID, e.Actor.Name, e.Actor.Fingerprint, string(e.Actor.Role), string(e.Kind), e.Data)
		if _, err := db.Exec("INSERT INTO events (session, seq, id, at, actor_name, actor_fingerprint, actor_role, kind, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			e.Session, i+1, e.ID, at, e.Actor.Name, e.Actor.Fingerprint, string(e.Actor.Role), string(e.Kind), []byte(e.Data), prev); err != nil {
			t.Fatal(err)
		}
	}
	var before int
	if err := db.QueryRow("SELECT decided FROM summaries WHERE session = 'old'").Scan(&before); err != nil || before != 3 {
		t.Fatalf("version 2's own count: %d %v, want its wrong 3", before, err)
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := Summary{Name: "old", Created: base, Events: 12, LastSeq: 12, Documents: 1, Criteria: 1, Proposals: 3, Decided: 2}
	if got := mustSummaries(t, s); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Fatalf("summaries after the migration: %+v, want %+v", got, want)
	}
	if r := mustVerify(t, s, "old"); !r.OK() || r.Events != 12 {
		t.Fatalf("migrated session: %+v (break %v), want OK with 12 events", r, r.Break)
	}
	mustAppend(t, s, reopen("old", "r3", "p3"))
	want.Events, want.LastSeq, want.Decided = 13, 13, 1
	if got := mustSummaries(t, s); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Fatalf("summaries after a reopening appended to the migrated file: %+v, want %+v", got, want)
	}
	var version int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != schemaVersion {
		t.Fatalf("user_version %d %v, want %d", version, err, schemaVersion)
	}
}
