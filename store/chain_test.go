package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// rawDB opens the store's file with a plain SQLite connection, as another
// program (or someone with sqlite3 on the command line) would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// chainSession stores a session of n events, each with a distinct comment
// text "marker-NNN" that a test can find in the file.
func chainSession(t *testing.T, s *Store, name string, n int) []review.Event {
	t.Helper()
	evs := []review.Event{created(name, "c")}
	for i := 2; i <= n; i++ {
		evs = append(evs, comment(name, fmt.Sprintf("e%03d", i), fmt.Sprintf("marker-%s-%03d", name, i)))
	}
	return mustAppend(t, s, evs...)
}

func mustVerify(t *testing.T, s *Store, session string) VerifyReport {
	t.Helper()
	r, err := s.Verify(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestVerifyHealthy checks that a sound session verifies, that the head is
// the last event's hash, and that the hashes Replay gives are the chain.
func TestVerifyHealthy(t *testing.T) {
	s := openTemp(t)
	stored := chainSession(t, s, "a", 20)
	chainSession(t, s, "b", 5)
	r := mustVerify(t, s, "a")
	if !r.OK() || r.Events != 20 || r.HeadSeq != 20 || r.Head != stored[19].Hash {
		t.Fatalf("healthy session: %+v (break %v), want OK with 20 events and head %s", r, r.Break, stored[19].Hash)
	}
	seq, head, err := s.Head(context.Background(), "a")
	if err != nil || seq != 20 || head != stored[19].Hash {
		t.Fatalf("Head = %d %q %v, want 20 %q", seq, head, err, stored[19].Hash)
	}
	if got := mustReplay(t, s, "a"); !reflect.DeepEqual(got, stored) {
		t.Fatal("Replay differs from Append")
	}
	if _, err := s.Verify(context.Background(), "nobody"); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Verify of an unknown session: %v, want ErrNoSession", err)
	}
	if _, _, err := s.Head(context.Background(), "nobody"); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Head of an unknown session: %v, want ErrNoSession", err)
	}
}

// TestVerifyChangedByte changes one byte of one event's data in the
// database file itself, with the store closed, as someone with a hex
// editor would: SQLite has no checksum that notices, the chain does, and
// Verify names that event and no other.
func TestVerifyChangedByte(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revue.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	stored := chainSession(t, s, "a", 30)
	chainSession(t, s, "b", 30)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		// The last connection's close checkpoints and removes the WAL;
		// if it is still there the byte below may be in it instead.
		t.Fatalf("%s-wal is still there after Close", path)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The text may also be in a page SQLite has freed (a B-tree split
	// leaves the old copy behind): every copy is changed, and only one of
	// them is the live row.
	marker := []byte("marker-a-017")
	if bytes.Count(file, marker) == 0 {
		t.Fatalf("the marker %q is not in the file", marker)
	}
	file = bytes.ReplaceAll(file, marker, []byte("marker-a-018")) // one byte, still valid JSON
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := mustVerify(t, s, "a")
	want := Break{Kind: BreakHash, Seq: 17, ID: stored[16].ID, Stored: stored[16].Hash}
	if r.OK() || r.Break == nil || r.Break.Kind != want.Kind || r.Break.Seq != want.Seq || r.Break.ID != want.ID || r.Break.Stored != want.Stored {
		t.Fatalf("after one changed byte: %+v, break %+v, want %+v", r, r.Break, want)
	}
	if len(r.Integrity) != 0 || len(r.Triggers) != 0 {
		t.Errorf("the file itself is sound, yet: integrity %q, triggers %q", r.Integrity, r.Triggers)
	}
	if r := mustVerify(t, s, "b"); !r.OK() {
		t.Errorf("the other session is untouched, yet: %+v %v", r, r.Break)
	}
}

// TestVerifyDeleted deletes one event through a raw connection, after
// dropping the trigger that refuses it: Verify names the event after the
// gap and how many are missing, and reports the missing trigger.
func TestVerifyDeleted(t *testing.T) {
	s := openTemp(t)
	stored := chainSession(t, s, "a", 10)
	db := rawDB(t, s.Path())
	for _, q := range []string{"DROP TRIGGER events_no_delete", "DELETE FROM events WHERE session = 'a' AND seq IN (4, 5)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	r := mustVerify(t, s, "a")
	if r.Break == nil || r.Break.Kind != BreakMissing || r.Break.Seq != 6 || r.Break.ID != stored[5].ID || r.Break.Missing != 2 {
		t.Fatalf("after deleting seq 4 and 5: break %+v, want missing 2 before seq 6 (id %s)", r.Break, stored[5].ID)
	}
	if !reflect.DeepEqual(r.Triggers, []string{"events_no_delete"}) {
		t.Errorf("missing triggers %q, want events_no_delete", r.Triggers)
	}
	if r.OK() {
		t.Error("OK after a deletion")
	}
}

// TestVerifyRewritten changes an event's data and recomputes its own hash
// as a careful forger would: the next event's link no longer matches, and
// Verify names that one.
func TestVerifyRewritten(t *testing.T) {
	s := openTemp(t)
	stored := chainSession(t, s, "a", 10)
	e := stored[4]
	e.Data = []byte(`{"proposal":"p1","text":"forged"}`)
	forged := ChainHash(stored[3].Hash, e.Seq, e.At.Format(time.RFC3339Nano), e.ID, e.Actor.Name, e.Actor.Fingerprint, string(e.Actor.Role), string(e.Kind), e.Data)
	db := rawDB(t, s.Path())
	if _, err := db.Exec("DROP TRIGGER events_no_update"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE events SET data = ?, hash = ? WHERE session = 'a' AND seq = 5", []byte(e.Data), forged); err != nil {
		t.Fatal(err)
	}
	r := mustVerify(t, s, "a")
	if r.Break == nil || r.Break.Kind != BreakHash || r.Break.Seq != 6 {
		t.Fatalf("after a rewritten event 5: break %+v, want a hash mismatch at 6", r.Break)
	}
}

// v1Schema is the schema of version 1, before the hash chain, as an older
// revue wrote it.
const v1Schema = `
CREATE TABLE events (
	pos               INTEGER PRIMARY KEY,
	session           TEXT    NOT NULL CHECK (length(session) > 0),
	seq               INTEGER NOT NULL CHECK (seq > 0),
	id                TEXT    NOT NULL CHECK (length(id) > 0),
	at                TEXT    NOT NULL,
	actor_name        TEXT    NOT NULL,
	actor_fingerprint TEXT    NOT NULL,
	actor_role        TEXT    NOT NULL,
	kind              TEXT    NOT NULL CHECK (length(kind) > 0),
	data              BLOB,
	UNIQUE (session, seq),
	UNIQUE (session, id),
	CHECK ((kind = 'session.created') = (seq = 1))
) STRICT;
CREATE INDEX events_created ON events (pos) WHERE seq = 1;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the trace is append-only: UPDATE of events is refused'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the trace is append-only: DELETE of events is refused'); END;
PRAGMA user_version = 1;
`

// TestMigrateV1 opens a file written by a revue of schema version 1: Open
// adds the chain to the old events, the summaries count them, and new
// events chain on.
func TestMigrateV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revue.db")
	db := rawDB(t, path)
	if _, err := db.Exec("PRAGMA journal_mode = WAL"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(v1Schema + fmt.Sprintf("PRAGMA application_id = %d;", applicationID)); err != nil {
		t.Fatal(err)
	}
	old := []review.Event{created("old", "c"), doc("old", "d1"), crit("old", "k1"), prop("old", "p1"), prop("old", "p2"),
		decision("old", "dec1", "p1"), decision("old", "dec2", "p2"), undo("old", "u1", "dec2")}
	for i, e := range old {
		if _, err := db.Exec("INSERT INTO events (session, seq, id, at, actor_name, actor_fingerprint, actor_role, kind, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			e.Session, i+1, e.ID, e.At.Format(time.RFC3339Nano), e.Actor.Name, e.Actor.Fingerprint, string(e.Actor.Role), string(e.Kind), []byte(e.Data)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustAppend(t, s, comment("old", "new1", "after the upgrade"))
	r := mustVerify(t, s, "old")
	if !r.OK() || r.Events != 9 {
		t.Fatalf("migrated session: %+v (break %v), want OK with 9 events", r, r.Break)
	}
	for _, e := range mustReplay(t, s, "old") {
		if e.Hash == "" {
			t.Fatalf("event %d has no hash after the migration", e.Seq)
		}
	}
	sums, err := s.Summaries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{Name: "old", Created: base, Events: 9, LastSeq: 9, Documents: 1, Criteria: 1, Proposals: 2, Decided: 1}
	if len(sums) != 1 || !reflect.DeepEqual(sums[0], want) {
		t.Fatalf("summaries after the migration: %+v, want %+v", sums, want)
	}
	var version int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != schemaVersion {
		t.Fatalf("user_version %d %v, want %d", version, err, schemaVersion)
	}
}

// The helper events of the summary tests: the store does not read their
// payloads beyond the proposal and target fields, which are all the
// summaries need.
func doc(session, id string) review.Event {
	return review.MustEvent(session, id, base, sys, review.KindDocumentAdded, map[string]string{"id": id})
}
func crit(session, id string) review.Event {
	return review.MustEvent(session, id, base, sys, review.KindCriterionAdded, map[string]string{"id": id})
}
func prop(session, id string) review.Event {
	return review.MustEvent(session, id, base, sys, review.KindProposalAdded, map[string]string{"id": id})
}
func decision(session, id, proposal string) review.Event {
	return review.MustEvent(session, id, base, review.Actor{Name: "Ana", Role: review.Facilitator}, review.KindDecisionMade,
		review.VoteData{Proposal: proposal, Verdict: review.Accept})
}
func reopen(session, id, proposal string) review.Event {
	return review.MustEvent(session, id, base, review.Actor{Name: "Ana", Role: review.Facilitator}, review.KindDecisionReopened, review.ReopenData{Proposal: proposal})
}
func undo(session, id, target string) review.Event {
	return review.MustEvent(session, id, base, review.Actor{Name: "Ana", Role: review.Facilitator}, review.KindActionUndone, review.UndoData{Target: target})
}

// TestSince reads, through a second Store on the same file, what the
// first one appends, as `revue serve` polls for what `revue propose`
// writes; then what a child process appends.
func TestSince(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	b, err := Open(a.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	first := chainSession(t, a, "s", 3)
	got, err := b.Since(ctx, "s", 0)
	if err != nil || !reflect.DeepEqual(got, first) {
		t.Fatalf("Since(0) = %v %v, want the 3 events", ids(got), err)
	}
	if got, err := b.Since(ctx, "s", 3); err != nil || len(got) != 0 {
		t.Fatalf("Since(3) with nothing new = %v %v, want none", ids(got), err)
	}
	more := mustAppend(t, a, comment("s", "x1", "one"), comment("s", "x2", "two"))
	got, err = b.Since(ctx, "s", 3)
	if err != nil || !reflect.DeepEqual(got, more) {
		t.Fatalf("Since(3) = %v %v, want x1 x2", ids(got), err)
	}
	// b appends after a: the seqs and the chain go on from a's events.
	mine := mustAppend(t, b, comment("s", "y1", "from b"))
	if mine[0].Seq != 6 {
		t.Fatalf("b's append got seq %d, want 6", mine[0].Seq)
	}
	if _, err := a.Since(ctx, "nobody", 0); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Since of an unknown session: %v, want ErrNoSession", err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAppendOnce$", "-test.count=1")
	cmd.Env = append(os.Environ(), envOncePath+"="+a.Path(), envOnceN+"=4")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child appender: %v\n%s", err, out)
	}
	got, err = a.Since(ctx, "s", 6)
	if err != nil || len(got) != 4 || got[0].Seq != 7 || got[3].ID != "child-3" {
		t.Fatalf("Since(6) after the child = %v %v, want child-0..3 from seq 7", ids(got), err)
	}
	if r := mustVerify(t, a, "s"); !r.OK() {
		t.Fatalf("chain after three writers: %+v %v", r, r.Break)
	}
}

const (
	envOncePath = "REVUE_STORE_ONCE_DB"
	envOnceN    = "REVUE_STORE_ONCE_N"
)

// TestHelperAppendOnce is not a test: it is the child process of TestSince,
// which appends a few comments to session "s" and exits.
func TestHelperAppendOnce(t *testing.T) {
	path := os.Getenv(envOncePath)
	if path == "" {
		t.Skip("the child process of TestSince")
	}
	n, _ := strconv.Atoi(os.Getenv(envOnceN))
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var evs []review.Event
	for i := range n {
		evs = append(evs, comment("s", fmt.Sprintf("child-%d", i), "from the child"))
	}
	if _, err := s.Append(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
}

// TestEach reads a session row by row, stops at the callback's error and
// gives it back as is.
func TestEach(t *testing.T) {
	s := openTemp(t)
	stored := chainSession(t, s, "a", 50)
	var got []review.Event
	if err := s.Each(context.Background(), "a", func(e review.Event) error {
		got = append(got, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, stored) {
		t.Fatal("Each differs from Append")
	}
	stop := errors.New("reader gone")
	n := 0
	err := s.Each(context.Background(), "a", func(review.Event) error {
		n++
		if n == 7 {
			return stop
		}
		return nil
	})
	if err != stop || n != 7 {
		t.Fatalf("Each after the callback's error: %v after %d events, want the error itself after 7", err, n)
	}
	if err := s.Each(context.Background(), "nobody", func(review.Event) error { return nil }); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Each of an unknown session: %v, want ErrNoSession", err)
	}
}
