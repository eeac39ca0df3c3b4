package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// base is the time of the first test event; each event adds a few
// nanoseconds so that sub-second digits must survive the round trip.
var base = time.Date(2026, 11, 29, 13, 0, 0, 123456789, time.UTC)

var sys = review.Actor{Name: "revue", Role: review.System}

// openTemp opens a store in a fresh directory on the real disk.
func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// created is the first event of a session.
func created(session, id string) review.Event {
	return review.MustEvent(session, id, base, sys, review.KindSessionCreated, review.SessionCreated{Name: session})
}

// comment is an ordinary event with a payload.
func comment(session, id, text string) review.Event {
	return review.MustEvent(session, id, base.Add(time.Duration(len(id))), review.Actor{Name: "Léa", Fingerprint: "SHA256:abc", Role: review.Participant},
		review.KindCommentAdded, review.CommentData{Proposal: "p1", Text: text})
}

func mustAppend(t testing.TB, s *Store, events ...review.Event) []review.Event {
	t.Helper()
	out, err := s.Append(context.Background(), events...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustReplay(t testing.TB, s *Store, session string) []review.Event {
	t.Helper()
	out, err := s.Replay(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ids lists the ids of events, in order.
func ids(events []review.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

// waitFor polls cond until it holds, failing the test after a deadline. It
// waits on a condition, not on a duration.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestOpenSettings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "revue")
	s, err := Open(filepath.Join(dir, "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	// Several pooled connections: every one of them must carry the settings.
	var conns []*sql.Conn
	for range 3 {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		for _, tc := range []struct{ pragma, want string }{
			{"journal_mode", "wal"},
			{"synchronous", "2"}, // FULL
			{"busy_timeout", "10000"},
			{"foreign_keys", "1"},
			{"recursive_triggers", "1"},
			{"application_id", fmt.Sprint(applicationID)},
			{"user_version", fmt.Sprint(schemaVersion)},
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, tc.pragma, got, tc.want)
			}
		}
		c.Close()
	}
	for _, tc := range []struct {
		name string
		want os.FileMode
	}{{dir, 0o700}, {s.Path(), 0o600}} {
		fi, err := os.Stat(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != tc.want {
			t.Errorf("%s: mode %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestRoundTrip checks that Replay gives back exactly what Append returned,
// field by field and byte by byte, also after the file is reopened: export
// determinism rests on it.
func TestRoundTrip(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	in := []review.Event{
		created("atelier-été", "e0"),
		comment("atelier-été", "e1", "« Les règles » — ça marche ? 🌱"),
		{Session: "atelier-été", ID: "e2", At: base.Add(time.Nanosecond), Actor: review.Actor{Name: "Zoé\u200dX", Role: review.Facilitator},
			Kind: review.KindVoteCast, Data: json.RawMessage("{ \"proposal\" : \"p1\",\n\t\"verdict\":\"accept\" , \"x\": 1.50e3, \"u\": \"\\u00e9\" }")},
		{Session: "atelier-été", ID: "e3", At: time.Time{}, Actor: review.Actor{}, Kind: review.KindParticipantLeft, Data: nil},
		{Session: "atelier-été", ID: "e4", At: time.Now(), Actor: sys, Kind: review.KindProposeRun, Data: json.RawMessage(`null`)},
		{Session: "atelier-été", ID: "e5", At: time.Date(2026, 3, 29, 2, 30, 0, 1, paris), Actor: sys, Kind: review.KindCommentAdded, Data: json.RawMessage(`"x"`)},
		{Session: "atelier-été", ID: "e6", At: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), Actor: sys, Kind: review.KindCommentAdded, Data: json.RawMessage(`[]`)},
	}
	s := openTemp(t)
	stored := mustAppend(t, s, in...)
	// Each event's hash chains to the previous one's, computed here from
	// the fields given, not from what the store says.
	hashes := make([]string, len(in))
	prev := ""
	for i, e := range in {
		hashes[i] = ChainHash(prev, int64(i+1), e.At.UTC().Format(time.RFC3339Nano), e.ID, e.Actor.Name, e.Actor.Fingerprint, string(e.Actor.Role), string(e.Kind), e.Data)
		prev = hashes[i]
	}
	for i := range in {
		want := in[i]
		want.Seq = int64(i + 1)
		want.Hash = hashes[i]
		want.At = want.At.UTC() // Append gives times back in UTC, without a monotonic reading
		if !reflect.DeepEqual(stored[i], want) {
			t.Errorf("Append returned\n%#v\nwant\n%#v", stored[i], want)
		}
		if !stored[i].At.Equal(in[i].At) {
			t.Errorf("event %s: time %v is not the instant %v", in[i].ID, stored[i].At, in[i].At)
		}
	}
	// Events built by review.NewEvent are already in UTC: they come back
	// deeply equal to what was given, apart from Seq and Hash.
	for i := range 3 {
		want := in[i]
		want.Seq = int64(i + 1)
		want.Hash = hashes[i]
		if !reflect.DeepEqual(stored[i], want) {
			t.Errorf("event %d differs from the input", i)
		}
	}
	if got := mustReplay(t, s, "atelier-été"); !reflect.DeepEqual(got, stored) {
		t.Errorf("Replay differs from Append:\n%#v\n%#v", got, stored)
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := mustReplay(t, s2, "atelier-été"); !reflect.DeepEqual(got, stored) {
		t.Errorf("Replay after reopening differs from Append")
	}
	// The export encodes the trace as JSON: the same bytes both times.
	a, _ := json.Marshal(stored)
	b, _ := json.Marshal(mustReplay(t, s2, "atelier-été"))
	if !bytes.Equal(a, b) {
		t.Errorf("JSON of the replayed trace differs:\n%s\n%s", a, b)
	}
}

func TestDedupe(t *testing.T) {
	other := comment("s", "c1", "changed text")
	other.At = base.Add(time.Hour)
	tests := []struct {
		name     string
		calls    [][]review.Event
		wantSeqs [][]int64 // seqs returned by each call
		wantIDs  []string  // the trace of s afterwards
		wantErr  string    // error of the last call
	}{{
		name:     "retry of a whole call",
		calls:    [][]review.Event{{created("s", "c0"), comment("s", "c1", "x")}, {created("s", "c0"), comment("s", "c1", "x")}},
		wantSeqs: [][]int64{{1, 2}, {1, 2}},
		wantIDs:  []string{"c0", "c1"},
	}, {
		name:     "a retry with other content gets the stored event",
		calls:    [][]review.Event{{created("s", "c0"), comment("s", "c1", "x")}, {other}},
		wantSeqs: [][]int64{{1, 2}, {2}},
		wantIDs:  []string{"c0", "c1"},
	}, {
		name:     "stored and new events in one call",
		calls:    [][]review.Event{{created("s", "c0"), comment("s", "c1", "x")}, {comment("s", "c2", "y"), comment("s", "c1", "x"), comment("s", "c3", "z")}},
		wantSeqs: [][]int64{{1, 2}, {3, 2, 4}},
		wantIDs:  []string{"c0", "c1", "c2", "c3"},
	}, {
		name:     "ids are per session",
		calls:    [][]review.Event{{created("s", "c0")}, {created("t", "c0"), comment("t", "c1", "x")}, {comment("s", "c1", "x")}},
		wantSeqs: [][]int64{{1}, {1, 2}, {2}},
		wantIDs:  []string{"c0", "c1"},
	}, {
		name:     "a retried session.created is not a second creation",
		calls:    [][]review.Event{{created("s", "c0"), comment("s", "c1", "x")}, {created("s", "c0")}},
		wantSeqs: [][]int64{{1, 2}, {1}},
		wantIDs:  []string{"c0", "c1"},
	}, {
		name:     "the same id twice in one call is refused",
		calls:    [][]review.Event{{created("s", "c0")}, {comment("s", "c1", "x"), comment("s", "c1", "x")}},
		wantSeqs: [][]int64{{1}, nil},
		wantIDs:  []string{"c0"},
		wantErr:  `share the id "c1"`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			for i, call := range tc.calls {
				got, err := s.Append(context.Background(), call...)
				if i == len(tc.calls)-1 && tc.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
						t.Fatalf("call %d: error %v, want one containing %q", i, err, tc.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
				var seqs []int64
				for _, e := range got {
					seqs = append(seqs, e.Seq)
				}
				if !reflect.DeepEqual(seqs, tc.wantSeqs[i]) {
					t.Errorf("call %d: seqs %v, want %v", i, seqs, tc.wantSeqs[i])
				}
			}
			trace := mustReplay(t, s, "s")
			if got := ids(trace); !reflect.DeepEqual(got, tc.wantIDs) {
				t.Errorf("trace %v, want %v", got, tc.wantIDs)
			}
			// What a retry returns is what is stored.
			for _, e := range trace {
				again := mustAppend(t, s, e)
				if !reflect.DeepEqual(again[0], e) {
					t.Errorf("retry of %s returned %#v, stored %#v", e.ID, again[0], e)
				}
			}
		})
	}
}

// TestAllOrNothing checks that a call with one bad event stores nothing,
// while another call committed in the same group transaction is stored.
func TestAllOrNothing(t *testing.T) {
	bad := func(f func(*review.Event)) review.Event {
		e := comment("s", "bad", "x")
		f(&e)
		return e
	}
	injected := errors.New("injected write failure")
	tests := []struct {
		name    string
		call    []review.Event
		hook    func(review.Event) error
		inGroup bool // the failure happens inside the group transaction
		wantErr string
		wantIs  error
	}{
		{name: "duplicate id in the call", call: []review.Event{comment("s", "a1", "x"), comment("s", "a1", "y")}, wantErr: `share the id "a1"`},
		{name: "control character in the session name", call: []review.Event{comment("s", "a1", "x"), bad(func(e *review.Event) { e.Session = "s\x1b[2J" })}, wantErr: "control character"},
		{name: "empty session name", call: []review.Event{comment("s", "a1", "x"), bad(func(e *review.Event) { e.Session = "" })}, wantErr: "session name is empty"},
		{name: "empty id", call: []review.Event{comment("s", "a1", "x"), bad(func(e *review.Event) { e.ID = "" })}, wantErr: "id is empty"},
		{name: "data that is not JSON", call: []review.Event{comment("s", "a1", "x"), bad(func(e *review.Event) { e.Data = json.RawMessage(`{"a":`) })}, wantErr: "not valid JSON"},
		{name: "invalid UTF-8 actor", call: []review.Event{comment("s", "a1", "x"), bad(func(e *review.Event) { e.Actor.Name = "\xff" })}, wantErr: "not valid UTF-8"},
		{name: "unknown session", call: []review.Event{comment("s", "a1", "x"), comment("nobody", "a2", "y")}, inGroup: true, wantIs: ErrNoSession},
		{name: "a lone event for an unknown session", call: []review.Event{comment("nobody", "a1", "y")}, inGroup: true, wantIs: ErrNoSession},
		{name: "write failure of a lone event", call: []review.Event{comment("s", "a1", "x")},
			hook: func(e review.Event) error {
				if e.ID == "a1" {
					return injected
				}
				return nil
			}, inGroup: true, wantIs: injected},
		{name: "second creation", call: []review.Event{comment("s", "a1", "x"), created("s", "again")}, inGroup: true, wantIs: ErrSessionExists},
		{name: "write failure on the third event", call: []review.Event{comment("s", "a1", "x"), comment("s", "a2", "x"), created("s2", "a3")},
			hook: func(e review.Event) error {
				if e.ID == "a3" {
					return injected
				}
				return nil
			}, inGroup: true, wantIs: injected},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			ctx := context.Background()
			mustAppend(t, s, created("s", "c0"))
			if tc.hook != nil {
				s.hookInsert.Store(&tc.hook)
			}
			good := []review.Event{comment("s", "g1", "x"), comment("s", "g2", "y")}
			var goodErr, badErr error
			before := s.batches.Load()
			if !tc.inGroup {
				var wg sync.WaitGroup
				wg.Go(func() { _, goodErr = s.Append(ctx, good...) })
				wg.Go(func() { _, badErr = s.Append(ctx, tc.call...) })
				wg.Wait()
			} else {
				// Hold the write lock from another connection so that the
				// writer, busy with a first call, sees both of ours waiting
				// and takes them into the same transaction.
				lock, err := s.db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer lock.Close()
				if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				wg.Go(func() {
					if _, err := s.Append(ctx, comment("s", "first", "x")); err != nil {
						t.Error(err)
					}
				})
				waitFor(t, "the writer to start a transaction", func() bool { return s.batches.Load() == before+1 })
				wg.Go(func() { _, goodErr = s.Append(ctx, good...) })
				wg.Go(func() { _, badErr = s.Append(ctx, tc.call...) })
				waitFor(t, "both calls to wait for the writer", func() bool { return s.waiting.Load() == 2 })
				if _, err := lock.ExecContext(ctx, "ROLLBACK"); err != nil {
					t.Fatal(err)
				}
				wg.Wait()
				if n := s.batches.Load() - before; n != 1 {
					t.Errorf("%d transactions, want the three calls in one", n)
				}
			}
			if goodErr != nil {
				t.Fatalf("the good call failed: %v", goodErr)
			}
			if badErr == nil {
				t.Fatal("the bad call succeeded")
			}
			if tc.wantIs != nil && !errors.Is(badErr, tc.wantIs) {
				t.Errorf("error %v, want one wrapping %v", badErr, tc.wantIs)
			}
			if !strings.Contains(badErr.Error(), tc.wantErr) || !strings.Contains(badErr.Error(), s.Path()) || !strings.Contains(badErr.Error(), "nothing of this call was stored") {
				t.Errorf("error %q should contain %q, the file name and say that nothing was stored", badErr, tc.wantErr)
			}
			trace := ids(mustReplay(t, s, "s"))
			for _, id := range trace {
				if strings.HasPrefix(id, "a") || id == "bad" || id == "again" {
					t.Errorf("event %s of the failed call is stored: %v", id, trace)
				}
			}
			got := strings.Join(trace, " ")
			if !strings.Contains(got, "g1 g2") {
				t.Errorf("the good call is not stored whole and in order: %v", trace)
			}
			// Seqs stay gapless after a rolled-back call.
			for i, e := range mustReplay(t, s, "s") {
				if e.Seq != int64(i+1) {
					t.Errorf("seq %d at position %d", e.Seq, i)
				}
			}
			if _, err := s.Replay(ctx, "s2"); !errors.Is(err, ErrNoSession) {
				t.Errorf("session s2 of the failed call exists: %v", err)
			}
		})
	}
}

// TestOrdering appends from several goroutines into several sessions and
// checks that each session is numbered 1..n, that each writer's events keep
// their order, and that the seqs Append returned are the stored ones.
func TestOrdering(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	sessions := []string{"a", "b", "c"}
	for _, n := range sessions {
		mustAppend(t, s, created(n, "created"))
	}
	const writers, calls = 6, 25
	returned := make([][]review.Event, writers)
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range calls {
				n := sessions[(g+i)%len(sessions)]
				evs := []review.Event{comment(n, fmt.Sprintf("g%d-%d-0", g, i), "x")}
				if i%4 == 0 {
					evs = append(evs, comment(n, fmt.Sprintf("g%d-%d-1", g, i), "y"))
				}
				out, err := s.Append(ctx, evs...)
				if err != nil {
					t.Error(err)
					return
				}
				returned[g] = append(returned[g], out...)
			}
		})
	}
	wg.Wait()
	stored := map[string]review.Event{}
	total := 0
	for _, n := range sessions {
		trace := mustReplay(t, s, n)
		total += len(trace)
		for i, e := range trace {
			if e.Seq != int64(i+1) {
				t.Fatalf("session %s: seq %d at position %d", n, e.Seq, i)
			}
			stored[n+"/"+e.ID] = e
		}
	}
	if want := len(sessions) + writers*(calls+(calls+3)/4); total != want {
		t.Errorf("%d events stored, want %d", total, want)
	}
	for g, evs := range returned {
		last := map[string]int64{}
		for _, e := range evs {
			if got := stored[e.Session+"/"+e.ID]; !reflect.DeepEqual(got, e) {
				t.Errorf("writer %d: Append returned %#v, stored %#v", g, e, got)
			}
			if e.Seq <= last[e.Session] {
				t.Errorf("writer %d: %s has seq %d after %d", g, e.ID, e.Seq, last[e.Session])
			}
			last[e.Session] = e.Seq
		}
	}
}

func TestSessions(t *testing.T) {
	tests := []struct {
		name  string
		calls [][]review.Event
		want  []string
	}{
		{name: "empty store", want: []string{}},
		{name: "creation order, not name order", calls: [][]review.Event{
			{created("zeta", "z")}, {created("alpha", "a"), comment("alpha", "a1", "x")}, {comment("zeta", "z1", "x")}, {created("mid", "m")},
		}, want: []string{"zeta", "alpha", "mid"}},
		{name: "several sessions created in one call", calls: [][]review.Event{
			{created("b", "b"), created("a", "a"), comment("b", "b1", "x")},
		}, want: []string{"b", "a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			for _, c := range tc.calls {
				mustAppend(t, s, c...)
			}
			got, err := s.Sessions(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Sessions = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReplayUnknownSession(t *testing.T) {
	s := openTemp(t)
	mustAppend(t, s, created("known", "c"))
	_, err := s.Replay(context.Background(), "inconnue")
	if !errors.Is(err, ErrNoSession) {
		t.Fatalf("error %v, want ErrNoSession", err)
	}
	for _, want := range []string{`"inconnue"`, s.Path()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

// TestAppendOnly checks that the triggers refuse any change to a stored
// event, also through REPLACE, which deletes the old row.
func TestAppendOnly(t *testing.T) {
	s := openTemp(t)
	stored := mustAppend(t, s, created("s", "c0"), comment("s", "c1", "x"))
	tests := []struct{ name, sql, wantErr string }{
		{"update", `UPDATE events SET data = X'7B7D' WHERE id = 'c1'`, "UPDATE of events is refused"},
		{"delete", `DELETE FROM events WHERE id = 'c1'`, "DELETE of events is refused"},
		{"delete all", `DELETE FROM events`, "DELETE of events is refused"},
		{"replace", `INSERT OR REPLACE INTO events (session, seq, id, at, actor_name, actor_fingerprint, actor_role, kind, data)
			VALUES ('s', 2, 'c1', 'x', '', '', '', 'comment.added', X'7B7D')`, "DELETE of events is refused"},
		{"duplicate seq", `INSERT INTO events (session, seq, id, at, actor_name, actor_fingerprint, actor_role, kind, data)
			VALUES ('s', 2, 'other', 'x', '', '', '', 'comment.added', X'7B7D')`, "UNIQUE constraint failed"},
		{"second creation", `INSERT INTO events (session, seq, id, at, actor_name, actor_fingerprint, actor_role, kind, data)
			VALUES ('s', 3, 'other', 'x', '', '', '', 'session.created', X'7B7D')`, "CHECK constraint failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.db.Exec(tc.sql)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
	if got := mustReplay(t, s, "s"); !reflect.DeepEqual(got, stored) {
		t.Errorf("the trace changed: %v", got)
	}
}

func TestBackup(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	mustAppend(t, s, created("s", "c0"))
	// Appends go on while the copy is made: the copy is one consistent
	// snapshot, a prefix of the trace.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.Append(ctx, comment("s", fmt.Sprintf("c%d", i+1), "x")); err != nil {
				t.Error(err)
				return
			}
		}
	})
	waitFor(t, "a few appends", func() bool {
		evs, err := s.Replay(ctx, "s")
		return err == nil && len(evs) > 20
	})
	copyPath := filepath.Join(t.TempDir(), "copies", "backup.db")
	if err := s.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	c, err := Open(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var check string
	if err := c.db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check of the copy: %q, %v", check, err)
	}
	copied := mustReplay(t, c, "s")
	live := mustReplay(t, s, "s")
	if len(copied) < 21 || len(copied) > len(live) || !reflect.DeepEqual(copied, live[:len(copied)]) {
		t.Errorf("the copy (%d events) is not a prefix of the live trace (%d events)", len(copied), len(live))
	}
	if fi, err := os.Stat(copyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("copy mode: %v, %v", fi.Mode(), err)
	}
	err = s.Backup(ctx, copyPath)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), copyPath) {
		t.Errorf("backup over an existing file: %v", err)
	}
}

// TestOpenRefuses checks the one-sentence errors for files that must not be
// used as a store.
func TestOpenRefuses(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		wantErr []string
	}{{
		name: "not a database",
		make: func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("# mes notes de réunion\n"), 500), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		wantErr: []string{"is not a Revue store or is damaged", "move it aside", "backup"},
	}, {
		name: "damaged pages",
		make: func(t *testing.T, path string) {
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			mustAppend(t, s, commented(300)...)
			s.Close() // the last connection checkpoints the WAL into the file
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := f.Stat()
			if fi.Size() < 20*4096 {
				t.Fatalf("file of %d bytes, too small to damage", fi.Size())
			}
			junk := bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 4096*8/4)
			if _, err := f.WriteAt(junk, 4096*3); err != nil {
				t.Fatal(err)
			}
			f.Close()
			// The damage of a crash: the stopped process left its log.
			if err := os.WriteFile(path+"-wal", []byte("not a complete log"), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		wantErr: []string{"is not a Revue store or is damaged", "move it aside", "backup"},
	}, {
		name: "another program's database",
		make: func(t *testing.T, path string) {
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec("CREATE TABLE recettes (nom TEXT)"); err != nil {
				t.Fatal(err)
			}
		},
		wantErr: []string{"another program", "--data"},
	}, {
		name: "newer schema",
		make: func(t *testing.T, path string) {
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
				t.Fatal(err)
			}
			s.Close()
		},
		wantErr: []string{"newer revue", "upgrade"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "revue.db")
			tc.make(t, path)
			before, _ := os.ReadFile(path)
			s, err := Open(path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			for _, want := range append(tc.wantErr, path) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if strings.Count(strings.TrimSuffix(err.Error(), "."), "\n") > 0 {
				t.Errorf("error spans several lines: %q", err)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Errorf("Open changed the refused file")
			}
		})
	}
}

// TestTwoWriters opens the same file twice, as `revue propose` and
// `revue serve` do from two processes (SQLite locks the file the same way
// between connections of one process), and appends to one session from both:
// the seqs must stay gapless and unique.
func TestTwoWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revue.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	mustAppend(t, a, created("s", "c0"))
	const per = 40
	var wg sync.WaitGroup
	acked := make(chan string, 4*per)
	for w, st := range []*Store{a, b, a, b} {
		wg.Go(func() {
			for i := range per {
				out, err := st.Append(ctx, comment("s", fmt.Sprintf("w%d-%d", w, i), "x"))
				if err != nil {
					t.Error(err)
					return
				}
				acked <- out[0].ID
			}
		})
	}
	wg.Wait()
	close(acked)
	trace := mustReplay(t, b, "s")
	if len(trace) != 1+4*per {
		t.Errorf("%d events, want %d", len(trace), 1+4*per)
	}
	have := map[string]bool{}
	for i, e := range trace {
		if e.Seq != int64(i+1) || have[e.ID] {
			t.Fatalf("position %d: seq %d id %s", i, e.Seq, e.ID)
		}
		have[e.ID] = true
	}
	for id := range acked {
		if !have[id] {
			t.Errorf("acked %s is missing", id)
		}
	}
}

// TestLargeAppend is `revue init` of La Myne's 18,000 pads, about 50 MB of
// JSON, in one call.
func TestLargeAppend(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 50 MB")
	}
	s := openTemp(t)
	evs := initEvents("myne", 18000, 2800)
	size := 0
	for _, e := range evs {
		size += len(e.Data)
	}
	if size < 50e6 {
		t.Fatalf("only %d bytes of JSON", size)
	}
	out := mustAppend(t, s, evs...)
	if len(out) != len(evs) || out[len(out)-1].Seq != int64(len(evs)) {
		t.Fatalf("%d events returned, last seq %d", len(out), out[len(out)-1].Seq)
	}
	got := mustReplay(t, s, "myne")
	if len(got) != len(evs) {
		t.Fatalf("replayed %d events, want %d", len(got), len(evs))
	}
	for i := range got {
		if !bytes.Equal(got[i].Data, evs[i].Data) || got[i].ID != evs[i].ID {
			t.Fatalf("event %d differs", i)
		}
	}
}

// initEvents builds a session.created and n document.added events of about
// size bytes of JSON each.
func initEvents(session string, n, size int) []review.Event {
	evs := []review.Event{created(session, "created")}
	text := strings.Repeat("Les communs se gouvernent ensemble. ", size/36+1)[:size]
	for i := range n {
		d := map[string]any{"id": fmt.Sprintf("sha256-%064d", i), "title": fmt.Sprintf("pad %d", i), "passages": []map[string]any{{"id": fmt.Sprintf("p%d", i), "text": text}}}
		evs = append(evs, review.MustEvent(session, fmt.Sprintf("doc-%d", i), base, sys, review.KindDocumentAdded, d))
	}
	return evs
}

func TestClosed(t *testing.T) {
	s := openTemp(t)
	mustAppend(t, s, created("s", "c0"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx := context.Background()
	if _, err := s.Append(ctx, comment("s", "c1", "x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close: %v", err)
	}
	if _, err := s.Replay(ctx, "s"); !errors.Is(err, ErrClosed) {
		t.Errorf("Replay after Close: %v", err)
	}
}

func TestCancelledAppend(t *testing.T) {
	s := openTemp(t)
	mustAppend(t, s, created("s", "c0"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Append(ctx, comment("s", "c1", "x")); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if got := ids(mustReplay(t, s, "s")); !reflect.DeepEqual(got, []string{"c0"}) {
		t.Errorf("trace %v", got)
	}
}

// Open reads the whole file (quick_check) only after an unclean stop: a
// file its last process closed opens without it, and Verify still finds
// damage in it.
func TestOpenChecksOnlyAfterUncleanStop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revue.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	evs := commented(300)
	mustAppend(t, s, evs...)
	// A copy of the file and its log while the store is open is what a
	// crash leaves.
	crashed := filepath.Join(t.TempDir(), "crashed.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(crashed+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	n := quickChecks.Load()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if quickChecks.Load() != n {
		t.Error("Open ran quick_check on a file closed cleanly")
	}
	s.Close()
	c, err := Open(crashed)
	if err != nil {
		t.Fatal(err)
	}
	if quickChecks.Load() != n+1 {
		t.Error("Open did not check a file left by a crash")
	}
	if got := mustReplay(t, c, "s"); len(got) != len(evs) {
		t.Errorf("%d events after the crash, want %d", len(got), len(evs))
	}
	c.Close()

	// Damage after a clean stop: Open does not look, Verify does.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 4096*8/4)
	if _, err := f.WriteAt(junk, 4096*3); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s, err = Open(path)
	if err != nil {
		return // the damage reached what Open reads: refused anyway
	}
	defer s.Close()
	rep, err := s.Verify(context.Background(), "s")
	if err == nil && rep.OK() {
		t.Error("Verify found nothing wrong with damaged pages")
	}
}

// commented is a session "s" with n comments of 300 bytes: enough pages
// to damage one in the middle.
func commented(n int) []review.Event {
	evs := []review.Event{created("s", "c0")}
	for i := range n {
		evs = append(evs, comment("s", fmt.Sprintf("c%d", i+1), strings.Repeat("texte ", 50)))
	}
	return evs
}

// Changes moves when another handle on the file commits, and not when this
// store appends: a served session reads the trace only when it moved.
func TestChangesSeesOnlyOtherWriters(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustAppend(t, s, created("s", "c"))
	changes := func(why string) int64 {
		t.Helper()
		v, err := s.Changes(ctx)
		if err != nil {
			t.Fatalf("%s: %v", why, err)
		}
		return v
	}
	v0 := changes("first")
	mustAppend(t, s, comment("s", "own", "écrit ici"))
	if v := changes("after an own append"); v != v0 {
		t.Errorf("an own append changed the version from %d to %d", v0, v)
	}
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	mustAppend(t, other, comment("s", "other", "écrit à côté"))
	v1 := changes("after another handle's append")
	if v1 == v0 {
		t.Errorf("another handle's append left the version at %d", v0)
	}
	if v := changes("once more"); v != v1 {
		t.Errorf("the version moved from %d to %d with nothing written", v1, v)
	}
	s.Close()
	if _, err := s.Changes(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Changes on a closed store = %v, want ErrClosed", err)
	}
}
