// Package store keeps the durable trace of every session: an append-only
// table of review events in one SQLite file (modernc.org/sqlite, no cgo).
//
// Durability is the point of the package. The file is in WAL mode with
// synchronous=FULL, so a transaction that COMMIT has returned survives a crash
// of the process and a loss of power, and Append returns only after COMMIT.
// One writer goroutine per Store collects the calls that are waiting, writes
// them in one transaction (the events of a call inside a SAVEPOINT, so that
// one caller's bad event fails that caller alone) and then acknowledges
// each: the cost of the disk flush is shared by everyone who was waiting for
// it. Checkpoints of the WAL run beside the writer, on their own connection,
// so that their flush does not land on anyone's acknowledgement.
//
// Every error names the file; an error the user can act on says what to do.
//
// Several processes may write the same file (`revue propose` while
// `revue serve` runs): each write transaction starts with BEGIN IMMEDIATE,
// which takes SQLite's write lock, and the next sequence number of a session
// is read inside that transaction, never remembered across transactions.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/coopdescommuns/revue/review"
)

// ErrNoSession wraps the errors about a session that has no trace: a Replay
// of an unknown session, or an Append to a session whose first event is not
// its session.created.
var ErrNoSession = errors.New("no such session")

// ErrSessionExists wraps the refusal of a second session.created event for a
// session that already has one (with another id): two `revue init` of the
// same name cannot both succeed, even from two processes.
var ErrSessionExists = errors.New("session already exists")

// ErrClosed is returned by the methods of a Store after Close.
var ErrClosed = errors.New("store is closed")

// Limits on what Append accepts. They are generous; they exist so that a
// session name stays usable as a word on a command line and an id stays an
// identifier rather than a document.
const (
	maxNameBytes = 200
	maxIDBytes   = 1024
	maxKindBytes = 100
)

// Batch bounds of the writer: past them the waiting calls go into the next
// transaction, so that one transaction never grows without bound.
const (
	maxBatchCalls = 4096
	maxBatchBytes = 64 << 20
)

// busyTimeout is how long a write waits for another process's transaction
// (for example a `revue propose` committing a chunk) before giving up.
const busyTimeout = 10 * time.Second

// applicationID marks the file as a Revue store ("Revu" in ASCII), so that
// another program's SQLite database is recognised and never written to.
const applicationID = 0x52657675

// schemaVersion is PRAGMA user_version of the schema this code writes.
// Version 1 had no hash chain and no summaries; version 2's summaries
// counted a reopened decision as decided. Open migrates both (see migrate).
const schemaVersion = 3

// schema creates the events table. Its invariants hold even against another
// program writing the file: the triggers refuse UPDATE and DELETE, the unique
// constraints make (session, seq) and (session, id) keys, and the CHECK ties
// session.created to seq 1, so that a session is created exactly once and
// before anything else happens in it. pos, the rowid, is the global commit
// order, which gives Sessions its creation order. hash is the event's link
// in its session's hash chain (ChainHash); it may be NULL only in a file
// migrated from version 1 before the chain was computed, which Open does in
// the same transaction as the migration. The summary tables come from
// summarySchema.
const schema = `
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
	hash              TEXT    CHECK (hash IS NULL OR length(hash) = 64),
	UNIQUE (session, seq),
	UNIQUE (session, id),
	CHECK ((kind = 'session.created') = (seq = 1))
) STRICT;
CREATE INDEX events_created ON events (pos) WHERE seq = 1;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the trace is append-only: DELETE of events is refused'); END;
` + noUpdateTrigger

// noUpdateTrigger is apart from schema because the migration from version 1
// drops it for as long as it fills the hash column of the old rows.
const noUpdateTrigger = `
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the trace is append-only: UPDATE of events is refused'); END;
`

// Store is an open trace file. Its methods are safe for concurrent use.
type Store struct {
	path string
	db   *sql.DB   // the readers' pool
	w    *sql.Conn // the writer's own connection, used by run alone
	st   stmts     // prepared on w

	reqs    chan *request   // unbuffered: a send completes when the writer takes it
	probes  chan chan probe // Changes's questions, answered by the writer
	quit    chan struct{}
	stopped chan struct{}
	ckpt    chan struct{} // one slot: "the WAL has grown"
	ckptc   *sql.Conn     // the checkpointer's own connection
	ckptEnd chan struct{}
	waiting atomic.Int64 // calls blocked on sending to reqs, for tests
	batches atomic.Int64 // transactions committed or attempted, for tests

	// hookInsert, set by tests only, is called before each INSERT and may
	// fail it, to exercise the rollback of one call inside a group the way
	// an I/O error would.
	hookInsert atomic.Pointer[func(review.Event) error]
	// legacy lets a test write a trace as versions before seals did
	// (decisions replaced and undone): such files exist and must still
	// be read, summed and folded.
	legacy bool

	closeOnce sync.Once
	closeErr  error
}

// request is one Append call handed to the writer.
type request struct {
	ctx    context.Context
	events []review.Event // validated, At in UTC
	// stream, when set instead of events, gives the events one by one
	// inside the transaction (AppendStream).
	stream iter.Seq2[review.Event, error]
	size   int
	done   chan result // buffered: the writer never waits for the caller
}

type result struct {
	events []review.Event
	n      int // events written by a stream
	err    error
}

// Open opens or creates the trace file at path. Its directory is created
// (0700: the trace is research data about people) and a new file is made
// 0600. The file is put in WAL mode (a property of the file, set once, after
// Open has checked that the file is its own); every connection runs with
// synchronous=FULL (modernc's default, set anyway since it is the point), a busy
// timeout, foreign keys and recursive triggers on (so that even a REPLACE
// cannot delete an event behind the triggers' back). Open creates the schema
// if needed, and refuses a file that is not a Revue store with an error that
// names it and says what to do. It runs PRAGMA quick_check, which reads the
// whole file (half a second on 200 MB), only after an unclean stop: when the
// last process to close the file did not (a -wal file is left, see
// walLeft), which is when a damaged page is possible; Verify checks the
// whole file whenever asked.
//
// A file written by a revue of schema version 1 (before the hash chain) is
// upgraded by Open, in one transaction: the hash column is added and the
// chain computed for every event already stored, in seq order, and the
// summary tables are built from the events (see migrate); a file of
// version 2 has its summary tables built again, since they counted a
// reopened decision as decided. It takes about as long as reading the
// trace once; an older revue then refuses the file as written by a newer
// one.
func Open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("open store %s: create its directory: %w", abs, err)
	}
	// Create the file ourselves so that its mode is 0600; SQLite gives its
	// -wal and -shm files the mode of the database file.
	if f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("open store %s: %w", abs, err)
	}

	unclean := walLeft(abs)
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "recursive_triggers(1)")
	// After a checkpoint, a WAL that one big append grew is cut back.
	q.Add("_pragma", "journal_size_limit(67108864)")
	dsn := (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String()

	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, openError(abs, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	ctx := context.Background()
	w, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, openError(abs, err)
	}
	s := &Store{
		path:    abs,
		db:      db,
		w:       w,
		reqs:    make(chan *request),
		probes:  make(chan chan probe),
		quit:    make(chan struct{}),
		stopped: make(chan struct{}),
		ckpt:    make(chan struct{}, 1),
		ckptEnd: make(chan struct{}),
	}
	err = s.prepare(ctx, unclean)
	if err == nil {
		err = s.prepareStmts(ctx)
	}
	if err != nil {
		s.closeStmts()
		w.Close()
		db.Close()
		return nil, err
	}
	if s.ckptc, err = db.Conn(ctx); err == nil {
		// The writer never checkpoints on its own: a checkpoint copies
		// the WAL into the file and flushes it, a pause that would land on
		// the calls waiting for their acknowledgement. checkpoint does it
		// beside the writer instead.
		_, err = w.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0")
	}
	if err != nil {
		s.closeStmts()
		if s.ckptc != nil {
			s.ckptc.Close()
		}
		w.Close()
		db.Close()
		return nil, openError(abs, err)
	}
	go s.run()
	go s.checkpoint()
	return s, nil
}

// prepare checks what the file is, before writing anything to it, then
// turns on WAL, creates the schema of a new file in one transaction (a crash
// in the middle leaves an empty file, not half a schema), and checks the
// file's integrity after an unclean stop.
func (s *Store) prepare(ctx context.Context, unclean bool) error {
	fresh, err := s.identify(ctx)
	if err != nil {
		return err
	}
	if fresh {
		// WAL is a property of the file: once set, every connection of
		// every process uses it. It cannot be changed inside a transaction.
		var mode string
		if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			return openError(s.path, err)
		}
		if _, err := s.w.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return openError(s.path, err)
		}
		// Another process may have created the schema since identify.
		if fresh, err = s.identify(ctx); err == nil && fresh {
			err = s.create(ctx)
		}
		if err == nil {
			if _, err = s.w.ExecContext(ctx, "COMMIT"); err != nil {
				err = openError(s.path, err)
			}
		}
		if err != nil {
			s.w.ExecContext(ctx, "ROLLBACK")
			return err
		}
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if err := s.extend(ctx); err != nil {
		return err
	}
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return openError(s.path, err)
	}
	if mode != "wal" {
		if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil || mode != "wal" {
			return fmt.Errorf("cannot put the store %s in WAL mode (journal mode %q, %v): check that the file is on a local disk", s.path, mode, err)
		}
	}
	if !unclean {
		return nil
	}
	quickChecks.Add(1)
	rows, err := s.w.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return openError(s.path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var res string
		if err := rows.Scan(&res); err != nil {
			return openError(s.path, err)
		}
		if res != "ok" {
			problems = append(problems, res)
		}
	}
	if err := rows.Err(); err != nil {
		return openError(s.path, err)
	}
	if len(problems) > 0 {
		if len(problems) > 3 {
			problems = append(problems[:3], "...")
		}
		return damaged(s.path, "quick_check: "+strings.Join(problems, "; "))
	}
	return nil
}

// quickChecks counts the quick_checks Open ran, for a test.
var quickChecks atomic.Int64

// walLeft reports whether path's write-ahead log is there and not empty:
// SQLite checkpoints it into the file and removes it when the last
// connection closes, so one that is left says that a process stopped
// without closing the file (a crash, a kill, a power cut), or that
// another process has it open now (a served session). Either way Open
// checks the file: it costs a read of the whole file only then.
func walLeft(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Size() > 0
}

// identify reports whether the file is new (no schema at all), and refuses a
// database of another program or of a newer revue.
func (s *Store) identify(ctx context.Context) (fresh bool, err error) {
	var app, version, objects int64
	if err := s.w.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return false, openError(s.path, err)
	}
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, openError(s.path, err)
	}
	if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return false, openError(s.path, err)
	}
	switch {
	case app == 0 && objects == 0:
		return true, nil
	case app != applicationID:
		return false, fmt.Errorf("%s is a SQLite database of another program, not a Revue store: give revue another data directory (--data) or move that file away", s.path)
	case version > schemaVersion:
		return false, fmt.Errorf("%s was written by a newer revue (schema %d, this one knows %d): upgrade revue before opening it", s.path, version, schemaVersion)
	}
	return false, nil
}

// create writes the schema; it runs inside prepare's transaction.
func (s *Store) create(ctx context.Context) error {
	for _, q := range []string{schema, summarySchema,
		fmt.Sprintf("PRAGMA application_id = %d", applicationID),
		fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			return openError(s.path, err)
		}
	}
	return nil
}

// openError turns an error met while opening into one sentence that names
// the file and says what to do.
func openError(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return damaged(path, err.Error())
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY:
			return fmt.Errorf("cannot open the store %s for writing (%v): check that it and its directory belong to you and are writable", path, err)
		case sqlite3.SQLITE_BUSY:
			return fmt.Errorf("the store %s stayed locked by another process for %s (%v): wait for that revue command to finish, then try again", path, busyTimeout, err)
		}
	}
	return fmt.Errorf("open store %s: %w", path, err)
}

// damaged is the error for a file that is not a database or is corrupt.
func damaged(path, detail string) error {
	return fmt.Errorf("%s is not a Revue store or is damaged (%s): move it aside with its -wal and -shm files, then put your last backup copy in its place or start afresh without it", path, detail)
}

// Path is the absolute file name of the store.
func (s *Store) Path() string { return s.path }

// Close stops the writer after the transaction in progress, refuses the
// calls still waiting with ErrClosed, and closes the file.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.quit)
		<-s.stopped
		<-s.ckptEnd
		s.closeStmts()
		err := s.w.Close()
		if e := s.ckptc.Close(); err == nil {
			err = e
		}
		if e := s.db.Close(); err == nil {
			err = e
		}
		if err != nil {
			s.closeErr = fmt.Errorf("close store %s: %w", s.path, err)
		}
	})
	return s.closeErr
}

// Append makes events durable and returns them as stored, with their Seq.
//
// The events of one call are one all-or-nothing unit: either all are stored
// (or were already), or none is and the error says which event was refused
// and why. Seq is per session, 1, 2, 3 ... in commit order; the Seq given is
// ignored. An event whose (session, id) is already stored is not written
// again but returned as stored (its original seq, at, data), so that a retry
// after a crash is harmless. At is stored as RFC 3339 text in UTC with
// nanoseconds and comes back in UTC without its monotonic reading; Data is
// stored byte for byte (nil stays nil; anything else must be valid JSON).
//
// Append returns only after COMMIT has returned. If ctx ends while the
// events are being written, Append returns the context's error, and the
// events may or may not be stored: appending them again is harmless.
func (s *Store) Append(ctx context.Context, events ...review.Event) ([]review.Event, error) {
	if len(events) == 0 {
		return []review.Event{}, nil
	}
	r := &request{ctx: ctx, events: make([]review.Event, len(events)), done: make(chan result, 1)}
	seen := make(map[[2]string]int, len(events))
	for i, e := range events {
		if err := validate(e); err != nil {
			return nil, fmt.Errorf("append to %s: event %d of %d (id %q): %w; nothing of this call was stored", s.path, i+1, len(events), e.ID, err)
		}
		k := [2]string{e.Session, e.ID}
		if j, dup := seen[k]; dup {
			return nil, fmt.Errorf("append to %s: events %d and %d of the same call share the id %q in session %q; nothing of this call was stored", s.path, j+1, i+1, e.ID, e.Session)
		}
		seen[k] = i
		e.At = e.At.UTC()
		r.events[i] = e
		r.size += len(e.Data) + len(e.ID) + 64
	}
	res, err := s.send(r)
	if err != nil {
		return nil, err
	}
	return res.events, res.err
}

// send gives r to the writer and waits for its answer, or for r's context
// to end.
func (s *Store) send(r *request) (result, error) {
	ctx := r.ctx
	if err := ctx.Err(); err != nil {
		return result{}, fmt.Errorf("append to %s: %w", s.path, err)
	}
	s.waiting.Add(1)
	select {
	case s.reqs <- r:
		s.waiting.Add(-1)
	case <-s.quit:
		s.waiting.Add(-1)
		return result{}, fmt.Errorf("append to %s: %w", s.path, ErrClosed)
	case <-ctx.Done():
		s.waiting.Add(-1)
		return result{}, fmt.Errorf("append to %s: %w", s.path, ctx.Err())
	}
	select {
	case res := <-r.done:
		return res, nil
	case <-ctx.Done():
		return result{}, fmt.Errorf("append to %s: %w (the events may have been stored; appending them again with the same ids is harmless)", s.path, ctx.Err())
	}
}

// AppendStream stores the events that events gives, in order, as one
// all-or-nothing unit as one Append call does (a failure of the store, an
// invalid event or an error given by events leaves nothing of it), and
// returns how many it stored. It is for one call whose events would not
// fit in memory together: a session created from a 200 MB document, whose
// passages are encoded into events as they are written. events runs on the
// store's writer inside the write transaction, so other appends wait for
// it to end: it must not append itself. An event already stored (the same
// session and ID) is left as it is, as with Append.
func (s *Store) AppendStream(ctx context.Context, events iter.Seq2[review.Event, error]) (int, error) {
	res, err := s.send(&request{ctx: ctx, stream: events, size: maxBatchBytes, done: make(chan result, 1)})
	if err != nil {
		return 0, err
	}
	return res.n, res.err
}

// validate refuses what the store could not give back byte for byte, or
// what would make a trace that cannot be exported.
func validate(e review.Event) error {
	if err := checkText("session name", e.Session, maxNameBytes); err != nil {
		return err
	}
	if err := checkText("id", e.ID, maxIDBytes); err != nil {
		return err
	}
	if err := checkText("kind", string(e.Kind), maxKindBytes); err != nil {
		return err
	}
	for _, f := range []struct{ what, s string }{
		{"actor name", e.Actor.Name}, {"actor fingerprint", e.Actor.Fingerprint}, {"actor role", string(e.Actor.Role)},
	} {
		if !utf8.ValidString(f.s) {
			return fmt.Errorf("the %s %q is not valid UTF-8", f.what, f.s)
		}
	}
	if y := e.At.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("the time %s is outside the years 0 to 9999 that RFC 3339 can write", e.At)
	}
	if e.Data != nil && !json.Valid(e.Data) {
		return fmt.Errorf("its data (%d bytes) is not valid JSON", len(e.Data))
	}
	return nil
}

// checkText accepts a non-empty, bounded, valid UTF-8 string without control
// characters: names and ids are shown in terminals and used as keys.
func checkText(what, s string, max int) error {
	switch {
	case s == "":
		return fmt.Errorf("the %s is empty", what)
	case len(s) > max:
		return fmt.Errorf("the %s is %d bytes long, more than %d", what, len(s), max)
	case !utf8.ValidString(s):
		return fmt.Errorf("the %s %q is not valid UTF-8", what, s)
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return fmt.Errorf("the %s %q contains a control character", what, s)
		}
	}
	return nil
}

// run is the writer: it takes one waiting call, opens a transaction, takes
// every other call waiting by then, writes them and commits, then answers
// each. It is the only user of s.w.
func (s *Store) run() {
	defer close(s.stopped)
	for {
		var first *request
		select {
		case first = <-s.reqs:
		case p := <-s.probes:
			var v int64
			err := s.w.QueryRowContext(context.Background(), "PRAGMA data_version").Scan(&v)
			p <- probe{v, err}
			continue
		case <-s.quit:
			return
		}
		s.commit(first)
	}
}

// probe is the writer's answer to Changes.
type probe struct {
	version int64
	err     error
}

// Changes returns a number that differs from the one it returned before
// when another connection to the file (another process, or another Store
// on the same file) has committed since: SQLite's data_version, read on the
// writer's own connection, which this Store's own appends do not change.
// A served session asks it every second to know whether anything was
// written beside it, and reads the trace only then. It is answered between
// two transactions.
func (s *Store) Changes(ctx context.Context) (int64, error) {
	p := make(chan probe, 1)
	select {
	case s.probes <- p:
	case <-s.quit:
		return 0, fmt.Errorf("read the version of %s: %w", s.path, ErrClosed)
	case <-ctx.Done():
		return 0, fmt.Errorf("read the version of %s: %w", s.path, ctx.Err())
	}
	r := <-p
	if r.err != nil {
		return 0, fmt.Errorf("read the version of %s: %w", s.path, r.err)
	}
	return r.version, nil
}

// gather adds to batch the calls waiting right now, within the batch bounds.
func (s *Store) gather(batch []*request, size int) ([]*request, int) {
	for len(batch) < maxBatchCalls && size < maxBatchBytes {
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
			size += r.size
		default:
			return batch, size
		}
	}
	return batch, size
}

// commit writes one group transaction, starting with first.
func (s *Store) commit(first *request) {
	ctx := context.Background()
	s.batches.Add(1)
	batch, size := s.gather([]*request{first}, first.size)
	if _, err := s.st.begin.ExecContext(ctx); err != nil {
		s.failAll(batch, s.writeError(err))
		return
	}
	// Calls that arrived while BEGIN waited for the lock join this
	// transaction.
	batch, _ = s.gather(batch, size)

	tx := &txn{s: s, ctx: ctx, next: map[string]link{}}
	results := make([]result, len(batch))
	var ok []int
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i].err = fmt.Errorf("append to %s: %w", s.path, err)
			continue
		}
		var stored []review.Event
		var err error
		if r.stream != nil {
			results[i].n, err = tx.stream(r.ctx, r.stream)
		} else {
			stored, err = tx.call(r.events)
		}
		if err != nil {
			results[i].err = err
			if tx.broken != nil {
				break
			}
			continue
		}
		results[i].events = stored
		ok = append(ok, i)
	}
	if tx.broken != nil {
		s.st.rollback.ExecContext(ctx)
		for i, r := range batch {
			if results[i].err == nil {
				results[i].err = tx.broken
			}
			r.done <- result{err: results[i].err}
		}
		return
	}
	if _, err := s.st.commit.ExecContext(ctx); err != nil {
		err = s.writeError(err)
		s.st.rollback.ExecContext(ctx)
		for _, i := range ok {
			results[i] = result{err: err}
		}
	}
	// The answers go out only now that COMMIT has returned. Answering
	// before it would let a caller show as done what a crash can still
	// lose; TestKill9 fails on that order (TestKill9CatchesEarlyAck shows
	// it can see it).
	for i, r := range batch {
		r.done <- results[i]
	}
	if len(ok) > 0 {
		select {
		case s.ckpt <- struct{}{}:
		default:
		}
	}
}

// checkpointPause spaces the checkpoints: each one flushes the database
// file, and under a stream of appends one every quarter second keeps the
// WAL small without competing with the writer for the disk.
const checkpointPause = 250 * time.Millisecond

// checkpoint copies committed transactions from the WAL into the database
// file (PASSIVE: it never blocks the writer nor waits for readers), after
// commits, at most once per checkpointPause. The WAL then restarts from its
// beginning, and journal_size_limit trims it.
func (s *Store) checkpoint() {
	defer close(s.ckptEnd)
	ctx := context.Background()
	for {
		select {
		case <-s.ckpt:
		case <-s.quit:
			return
		}
		// An error (another process checkpointing, a reader on an old
		// snapshot) only delays the work to the next commit's turn.
		s.ckptc.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		select {
		case <-time.After(checkpointPause):
		case <-s.quit:
			return
		}
	}
}

// failAll answers every call of batch with err.
func (s *Store) failAll(batch []*request, err error) {
	for _, r := range batch {
		r.done <- result{err: err}
	}
}

// writeError names the file in an error of the write path.
func (s *Store) writeError(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY:
			return fmt.Errorf("append to %s: another process kept the store locked for more than %s (%w); try again when it has finished", s.path, busyTimeout, err)
		case sqlite3.SQLITE_FULL:
			return fmt.Errorf("append to %s: the disk is full (%w); free some space and try again", s.path, err)
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("append to %s: %w", s.path, damaged(s.path, err.Error()))
		}
	}
	return fmt.Errorf("append to %s: %w", s.path, err)
}

// txn is the state of one group transaction.
type txn struct {
	s      *Store
	ctx    context.Context
	next   map[string]link // last event per session, as written so far in this transaction
	broken error           // set when the whole transaction must be rolled back
}

// link is the last event of a session: the next one gets seq+1 and chains
// to hash.
type link struct {
	seq  int64
	hash string
}

// callLocal reports whether err, met while writing one call, leaves the
// transaction usable: a refusal of ours, or a constraint that failed one
// statement (SQLite undoes that statement alone). Any other SQLite error
// (I/O, full disk, out of memory) may have rolled back the whole
// transaction, so the group must fail as a whole.
func callLocal(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
	}
	return true
}

// call writes the events of one Append. Several events are written inside
// a savepoint, rolled back on any error, so that the call leaves nothing
// behind and the other calls of the group go on. A call of one event needs
// no savepoint: its only write is one INSERT, which SQLite makes atomic.
func (t *txn) call(events []review.Event) ([]review.Event, error) {
	st := t.s.st
	multi := len(events) > 1
	if multi {
		if _, err := st.savepoint.ExecContext(t.ctx); err != nil {
			t.broken = t.s.writeError(err)
			return nil, t.broken
		}
	}
	local := map[string]link{}
	stored, err := t.write(events, local)
	if err != nil && !callLocal(err) {
		t.broken = t.s.writeError(err)
		return nil, t.broken
	}
	if multi {
		if err != nil {
			if _, rerr := st.rollbackTo.ExecContext(t.ctx); rerr != nil {
				t.broken = t.s.writeError(fmt.Errorf("%v, then %w", err, rerr))
				return nil, t.broken
			}
		}
		if _, rerr := st.release.ExecContext(t.ctx); rerr != nil {
			t.broken = t.s.writeError(rerr)
			return nil, t.broken
		}
	}
	if err != nil {
		return nil, err
	}
	for k, v := range local {
		t.next[k] = v
	}
	return stored, nil
}

// stream writes the events of one AppendStream inside a savepoint, as
// call does for several events, checking each as Append does before it is
// written; the events are not kept.
func (t *txn) stream(ctx context.Context, events iter.Seq2[review.Event, error]) (int, error) {
	st := t.s.st
	if _, err := st.savepoint.ExecContext(t.ctx); err != nil {
		t.broken = t.s.writeError(err)
		return 0, t.broken
	}
	local := map[string]link{}
	seen := map[[2]string]int{}
	n := 0
	var err error
	for e, gerr := range events {
		n++
		k := [2]string{e.Session, e.ID}
		j, dup := seen[k]
		switch {
		case gerr != nil:
			err = fmt.Errorf("append to %s: event %d: %w; nothing of this call was stored", t.s.path, n, gerr)
		case ctx.Err() != nil:
			err = fmt.Errorf("append to %s: %w; nothing of this call was stored", t.s.path, ctx.Err())
		case dup:
			err = fmt.Errorf("append to %s: events %d and %d of the same call share the id %q in session %q; nothing of this call was stored", t.s.path, j, n, e.ID, e.Session)
		default:
			if verr := validate(e); verr != nil {
				err = fmt.Errorf("append to %s: event %d (id %q): %w; nothing of this call was stored", t.s.path, n, e.ID, verr)
				break
			}
			seen[k] = n
			e.At = e.At.UTC()
			_, err = t.writeOne(e, local, func(err error) error {
				return fmt.Errorf("append to %s: event %d (id %q, session %q): %w; nothing of this call was stored", t.s.path, n, e.ID, e.Session, err)
			})
		}
		if err != nil {
			break
		}
	}
	if err != nil && !callLocal(err) {
		t.broken = t.s.writeError(err)
		return 0, t.broken
	}
	if err != nil {
		if _, rerr := st.rollbackTo.ExecContext(t.ctx); rerr != nil {
			t.broken = t.s.writeError(fmt.Errorf("%v, then %w", err, rerr))
			return 0, t.broken
		}
	}
	if _, rerr := st.release.ExecContext(t.ctx); rerr != nil {
		t.broken = t.s.writeError(rerr)
		return 0, t.broken
	}
	if err != nil {
		return 0, err
	}
	for k, v := range local {
		t.next[k] = v
	}
	return n, nil
}

// write stores events, or finds them stored, numbering the new ones from
// the sessions' current last seq read inside this write transaction.
func (t *txn) write(events []review.Event, local map[string]link) ([]review.Event, error) {
	out := make([]review.Event, len(events))
	for i, e := range events {
		stored, err := t.writeOne(e, local, func(err error) error {
			return fmt.Errorf("append to %s: event %d of %d (id %q, session %q): %w; nothing of this call was stored", t.s.path, i+1, len(events), e.ID, e.Session, err)
		})
		if err != nil {
			return nil, err
		}
		out[i] = stored
	}
	return out, nil
}

// writeOne stores one event, or finds it stored; fail wraps its errors.
func (t *txn) writeOne(e review.Event, local map[string]link, fail func(error) error) (review.Event, error) {
	st := t.s.st
	created := e.Kind == review.KindSessionCreated
	seal := e.Kind == review.KindDecisionMade || e.Kind == review.KindDecisionReopened
	if created || seal {
		// Looked up first: a retried creation must come back as
		// stored, not trip the one-creation-per-session rule.
		old, found, err := lookup(t.ctx, st.lookup, e.Session, e.ID)
		if err != nil {
			return review.Event{}, fail(err)
		}
		if found {
			return old, nil
		}
	}
	if seal && !t.s.legacy {
		if err := t.checkSeal(e); err != nil {
			return review.Event{}, fail(err)
		}
	}
	prev, ok := local[e.Session]
	if !ok {
		prev, ok = t.next[e.Session]
	}
	if !ok {
		var hash sql.NullString
		err := st.last.QueryRowContext(t.ctx, e.Session).Scan(&prev.seq, &hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return review.Event{}, fail(err)
		}
		prev.hash = hash.String
	}
	seq := prev.seq + 1
	switch {
	case seq == 1 && !created:
		// An empty session cannot hold this id already.
		return review.Event{}, fail(fmt.Errorf("%w %q: a session's first event must be its %s", ErrNoSession, e.Session, review.KindSessionCreated))
	case seq > 1 && created:
		return review.Event{}, fail(fmt.Errorf("%w: %q already has %d events", ErrSessionExists, e.Session, seq-1))
	}
	if hook := t.s.hookInsert.Load(); hook != nil {
		if err := (*hook)(e); err != nil {
			return review.Event{}, fail(err)
		}
	}
	e.Seq = seq
	at := e.At.Format(time.RFC3339Nano)
	e.Hash = ChainHash(prev.hash, e.Seq, at, e.ID, e.Actor.Name, e.Actor.Fingerprint, string(e.Actor.Role), string(e.Kind), e.Data)
	res, err := st.insert.ExecContext(t.ctx, e.Session, e.Seq, e.ID, at,
		e.Actor.Name, e.Actor.Fingerprint, string(e.Actor.Role), string(e.Kind), blob(e.Data), e.Hash)
	if err != nil {
		return review.Event{}, fail(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return review.Event{}, fail(err)
	}
	if n == 0 {
		// (session, id) is stored already: a retry.
		old, found, err := lookup(t.ctx, st.lookup, e.Session, e.ID)
		if err == nil && !found {
			err = fmt.Errorf("the insert was skipped but no event %q is stored", e.ID)
		}
		if err != nil {
			return review.Event{}, fail(err)
		}
		return old, nil
	}
	local[e.Session] = link{seq: seq, hash: e.Hash}
	return e, nil
}

// checkSeal refuses a second seal on a sealed link, and the reopening of
// a link that is not sealed. The hub checks the same rule against its own
// state, but two server processes on one file each see only their state:
// two facilitators deciding the same link within a second both passed it,
// and both decisions were stored. Checked here, inside the write
// transaction that BEGIN IMMEDIATE makes exclusive across processes, the
// second is refused (review.ErrSealed) and every process folds the same
// single seal. A decision undone by a trace older than seals does not
// seal.
func (t *txn) checkSeal(e review.Event) error {
	var ref review.ProposalRef
	if err := json.Unmarshal(e.Data, &ref); err != nil || ref.Proposal == "" {
		return nil // the fold refuses it with its own words
	}
	st := t.s.st
	var kind, id string
	err := st.lastSeal.QueryRowContext(t.ctx, e.Session, ref.Proposal).Scan(&kind, &id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	sealed := kind == string(review.KindDecisionMade)
	if sealed {
		var one int
		err := st.undone.QueryRowContext(t.ctx, e.Session, id).Scan(&one)
		switch {
		case err == nil:
			sealed = false
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
	}
	switch {
	case e.Kind == review.KindDecisionMade && sealed:
		return fmt.Errorf("proposal %q was sealed meanwhile (event %s): %w", ref.Proposal, id, review.ErrSealed)
	case e.Kind == review.KindDecisionReopened && !sealed:
		return fmt.Errorf("proposal %q was reopened meanwhile: %w", ref.Proposal, review.ErrNotSealed)
	}
	return nil
}

// stmts are the writer's prepared statements: preparing is most of the cost
// of a small statement with modernc, so each is prepared once, on s.w.
type stmts struct {
	begin, commit, rollback        *sql.Stmt
	savepoint, rollbackTo, release *sql.Stmt
	insert, lookup, last           *sql.Stmt
	lastSeal, undone               *sql.Stmt
}

func (s *Store) prepareStmts(ctx context.Context) error {
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&s.st.begin, "BEGIN IMMEDIATE"},
		{&s.st.commit, "COMMIT"},
		{&s.st.rollback, "ROLLBACK"},
		{&s.st.savepoint, "SAVEPOINT append_call"},
		{&s.st.rollbackTo, "ROLLBACK TO append_call"},
		{&s.st.release, "RELEASE append_call"},
		// The conflict target is (session, id) alone: a clash on (session,
		// seq) would be a bug and must fail, not be skipped.
		{&s.st.insert, `INSERT INTO events (session, seq, id, at, actor_name, actor_fingerprint, actor_role, kind, data, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session, id) DO NOTHING`},
		{&s.st.lookup, "SELECT " + columns + " FROM events WHERE session = ? AND id = ?"},
		{&s.st.last, "SELECT seq, hash FROM events WHERE session = ? ORDER BY seq DESC LIMIT 1"},
		// A link's latest seal or reopening, read backwards from the end
		// of its session: decisions are few and recent ones come first.
		{&s.st.lastSeal, `SELECT kind, id FROM events WHERE session = ? AND kind IN ('decision.made', 'decision.reopened')
			AND json_extract(CAST(data AS TEXT), '$.proposal') = ? ORDER BY seq DESC LIMIT 1`},
		{&s.st.undone, `SELECT 1 FROM events WHERE session = ? AND kind = 'action.undone'
			AND json_extract(CAST(data AS TEXT), '$.target') = ? LIMIT 1`},
	} {
		st, err := s.w.PrepareContext(ctx, p.q)
		if err != nil {
			return openError(s.path, err)
		}
		*p.st = st
	}
	return nil
}

func (s *Store) closeStmts() {
	for _, st := range []*sql.Stmt{s.st.begin, s.st.commit, s.st.rollback, s.st.savepoint, s.st.rollbackTo, s.st.release, s.st.insert, s.st.lookup, s.st.last, s.st.lastSeal, s.st.undone} {
		if st != nil {
			st.Close()
		}
	}
}

// blob gives nil data as SQL NULL, so that it comes back nil.
func blob(d json.RawMessage) any {
	if d == nil {
		return nil
	}
	return []byte(d)
}

const columns = "session, seq, at, id, actor_name, actor_fingerprint, actor_role, kind, data, hash"

// lookup returns the stored event (session, id), if any.
func lookup(ctx context.Context, q *sql.Stmt, session, id string) (review.Event, bool, error) {
	var (
		e    review.Event
		at   string
		role string
		kind string
		data []byte
		hash sql.NullString
	)
	err := q.QueryRowContext(ctx, session, id).Scan(&e.Session, &e.Seq, &at, &e.ID, &e.Actor.Name, &e.Actor.Fingerprint, &role, &kind, &data, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return review.Event{}, false, nil
	}
	if err != nil {
		return review.Event{}, false, err
	}
	if err := fill(&e, at, role, kind, data); err != nil {
		return review.Event{}, false, err
	}
	e.Hash = hash.String
	return e, true, nil
}

// fill completes an event read from a row.
func fill(e *review.Event, at, role, kind string, data []byte) error {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return fmt.Errorf("event %d of session %q (id %q) has a bad time %q: %w", e.Seq, e.Session, e.ID, at, err)
	}
	e.At = t.UTC()
	e.Actor.Role = review.Role(role)
	e.Kind = review.Kind(kind)
	if data != nil {
		e.Data = json.RawMessage(data)
	}
	return nil
}

// Replay returns the events of a session in seq order, read from one
// consistent snapshot of the file. A session without any event is an error
// wrapping ErrNoSession.
//
// It reads through the driver's own rows rather than database/sql's Scan,
// which would copy every payload a second time: replay is what `revue
// serve` and `revue export` wait for at start, on traces of 100,000 events.
func (s *Store) Replay(ctx context.Context, session string) ([]review.Event, error) {
	events := []review.Event{}
	err := s.scan(ctx, session, 0, func(e review.Event) error {
		events = append(events, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replay session %q from %s: %w", session, s.path, err)
	}
	if len(events) == 0 {
		return nil, s.noSession("replay", session)
	}
	return events, nil
}

// Since returns the events of a session committed with a seq greater than
// afterSeq, in seq order, and an empty slice when there are none. It is how
// a running server sees what another process appended to the same file (a
// `revue propose`, a `revue forget`, a second server): it remembers the last
// seq it folded and asks again every second. The query is a range of the
// (session, seq) index, so an idle poll costs one index probe. A session
// that has no event at all is an error wrapping ErrNoSession, so that a
// poller notices a session that is not there rather than waiting forever.
func (s *Store) Since(ctx context.Context, session string, afterSeq int64) ([]review.Event, error) {
	events := []review.Event{}
	err := s.scan(ctx, session, afterSeq, func(e review.Event) error {
		events = append(events, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read session %q after event %d from %s: %w", session, afterSeq, s.path, err)
	}
	if len(events) == 0 && afterSeq <= 0 {
		return nil, s.noSession("read", session)
	}
	return events, nil
}

// Each calls fn with the events of a session in seq order, one row at a
// time, from one consistent snapshot, without holding the whole trace in
// memory: it is for streaming an export of a session of any size. An error
// of fn stops the reading and is returned as is, so that the caller can
// tell its own (a closed pipe) from the store's. fn may keep the event: its
// Data is its own copy. A session without any event is an error wrapping
// ErrNoSession.
func (s *Store) Each(ctx context.Context, session string, fn func(review.Event) error) error {
	n := 0
	var fnErr error
	err := s.scan(ctx, session, 0, func(e review.Event) error {
		n++
		if err := fn(e); err != nil {
			fnErr = err
			return err
		}
		return nil
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("read session %q from %s: %w", session, s.path, err)
	}
	if n == 0 {
		return s.noSession("read", session)
	}
	return nil
}

// noSession is the error for a session that has no event.
func (s *Store) noSession(verb, session string) error {
	return fmt.Errorf("%s from %s: %w %q (see `revue sessions` for the list)", verb, s.path, ErrNoSession, session)
}

// scan calls fn with each event of session whose seq is greater than after,
// in seq order, read from one snapshot through the driver's own rows.
func (s *Store) scan(ctx context.Context, session string, after int64, fn func(review.Event) error) error {
	if err := s.open(); err != nil {
		return err
	}
	return s.rawRows(ctx, eventColumns+" AND seq > ? ORDER BY seq", []any{session, after}, func(row []driver.Value) error {
		e, err := decodeRow(session, row)
		if err != nil {
			return err
		}
		return fn(e)
	})
}

// eventColumns selects a session's events in the order decodeRow and
// the chain read them; the caller adds the rest of the WHERE and ORDER BY.
const eventColumns = "SELECT seq, at, id, actor_name, actor_fingerprint, actor_role, kind, data, hash FROM events WHERE session = ?"

// errStopRows ends rawRows early without an error.
var errStopRows = errors.New("stop reading rows")

// rawRows runs query on one connection through the driver's own rows and
// calls fn with each row, whose slice is reused (no database/sql Scan and
// its copies on a replay of every event). fn returning errStopRows stops
// the reading without an error.
func (s *Store) rawRows(ctx context.Context, query string, args []any, fn func([]driver.Value) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("the SQLite driver %T cannot run queries directly", dc)
		}
		named := make([]driver.NamedValue, len(args))
		for i, a := range args {
			named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
		}
		rows, err := q.QueryContext(ctx, query, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		row := make([]driver.Value, len(rows.Columns()))
		for {
			if err := rows.Next(row); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			if err := fn(row); errors.Is(err, errStopRows) {
				return nil
			} else if err != nil {
				return err
			}
		}
	})
}

// decodeRow makes an event of a row of scan's query.
func decodeRow(session string, row []driver.Value) (review.Event, error) {
	e := review.Event{Session: session}
	var at, role, kind string
	var data []byte
	var okSeq, okAt, okID, okName, okFP, okRole, okKind, okData, okHash bool
	e.Seq, okSeq = row[0].(int64)
	at, okAt = row[1].(string)
	e.ID, okID = row[2].(string)
	e.Actor.Name, okName = row[3].(string)
	e.Actor.Fingerprint, okFP = row[4].(string)
	role, okRole = row[5].(string)
	kind, okKind = row[6].(string)
	data, okData = row[7].([]byte)
	okData = okData || row[7] == nil
	e.Hash, okHash = row[8].(string)
	okHash = okHash || row[8] == nil
	if !(okSeq && okAt && okID && okName && okFP && okRole && okKind && okData && okHash) {
		return review.Event{}, fmt.Errorf("event %v has columns of unexpected types %T %T %T %T %T %T %T %T %T", row[0], row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8])
	}
	if err := fill(&e, at, role, kind, data); err != nil {
		return review.Event{}, err
	}
	return e, nil
}

// Sessions lists the names of the sessions, in the order they were created.
func (s *Store) Sessions(ctx context.Context) ([]string, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT session FROM events WHERE seq = 1 ORDER BY pos")
	if err != nil {
		return nil, fmt.Errorf("list sessions of %s: %w", s.path, err)
	}
	defer rows.Close()
	names := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list sessions of %s: %w", s.path, err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions of %s: %w", s.path, err)
	}
	return names, nil
}

// Backup writes a consistent copy of the live store to path with VACUUM
// INTO, which reads one snapshot while appends go on; copying the file with
// cp could catch it between a write and its WAL. path must not exist. The
// copy is made 0600 and flushed to disk before Backup returns.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.open(); err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("back up %s to %s: %w", s.path, path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return fmt.Errorf("back up %s to %s: create its directory: %w", s.path, abs, err)
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("back up %s: %s already exists; choose a new file name or move the old copy away", s.path, abs)
		}
		return fmt.Errorf("back up %s to %s: %w", s.path, abs, err)
	}
	f.Close()
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("back up %s to %s: %w", s.path, abs, err)
	}
	if err := syncFile(abs); err != nil {
		return fmt.Errorf("back up %s to %s: %w", s.path, abs, err)
	}
	if err := syncFile(filepath.Dir(abs)); err != nil {
		return fmt.Errorf("back up %s to %s: %w", s.path, abs, err)
	}
	return nil
}

// syncFile flushes a file or directory to disk.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// open reports ErrClosed after Close.
func (s *Store) open() error {
	select {
	case <-s.quit:
		return fmt.Errorf("store %s: %w", s.path, ErrClosed)
	default:
		return nil
	}
}
