package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// rechain computes the whole chain of a session again, as a forger who
// changed or removed events would, so that Verify finds nothing.
func rechain(t *testing.T, db *sql.DB, session string) {
	t.Helper()
	rows, err := db.Query("SELECT pos, seq, at, id, actor_name, actor_fingerprint, actor_role, kind, data FROM events WHERE session = ? ORDER BY seq", session)
	if err != nil {
		t.Fatal(err)
	}
	type upd struct {
		pos  int64
		hash string
	}
	var ups []upd
	prev := ""
	for rows.Next() {
		var pos, seq int64
		var at, id, name, fp, role, kind string
		var data []byte
		if err := rows.Scan(&pos, &seq, &at, &id, &name, &fp, &role, &kind, &data); err != nil {
			t.Fatal(err)
		}
		prev = ChainHash(prev, seq, at, id, name, fp, role, kind, data)
		ups = append(ups, upd{pos, prev})
	}
	rows.Close()
	for _, u := range ups {
		if _, err := db.Exec("UPDATE events SET hash = ? WHERE pos = ?", u.hash, u.pos); err != nil {
			t.Fatal(err)
		}
	}
}

// tamperedCopy backs the store up, changes the copy with SQL as someone
// holding the file (and no key) would, with every protective trigger and
// the file's own signed heads out of the way, and opens it.
func tamperedCopy(t *testing.T, s *Store, queries ...string) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	for _, q := range append([]string{"DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete",
		"DROP TRIGGER signed_heads_no_delete", "DELETE FROM signed_heads"}, queries...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rechain(t, db, "atelier")
	rechain(t, db, "autre")
	db.Close()
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func anchorOf(c review.Checkpoint) Anchor {
	return Anchor{Session: c.Session, Seq: c.Seq, Head: c.Head, HeadID: c.HeadID, Signed: &c}
}

// TestReceiptNamesEachRewriting keeps a receipt of a session whose server
// stopped, then rewrites copies of the file each in one of the ways the
// chain alone cannot see; Check names each.
func TestReceiptNamesEachRewriting(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	chainSession(t, s, "atelier", 12)
	signer, err := LoadSigner(filepath.Join(t.TempDir(), "ssh_host_ed25519"))
	if err != nil {
		t.Fatal(err)
	}
	receipt, err := s.SignHead(ctx, "atelier", "stop", signer, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if receipt.Seq != 12 || receipt.Events != 12 || receipt.HeadID != "e012" || len(receipt.Code()) != 19 {
		t.Fatalf("receipt %+v", receipt)
	}
	trusted := signer.PublicKey()
	if f, err := s.Check(ctx, "atelier", anchorOf(receipt), trusted); err != nil || len(f) != 0 {
		t.Fatalf("the untouched file: %v %v", f, err)
	}
	forged := review.MustEvent("atelier", "forged", time.Now(), review.Actor{Name: "anouk", Role: review.Facilitator},
		review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept})
	tests := []struct {
		name    string
		queries []string
		append  []review.Event
		check   string
		want    FindingKind
		says    string
	}{
		{name: "truncation", queries: []string{"DELETE FROM events WHERE session = 'atelier' AND seq > 10"},
			want: FindTruncated, says: "ends at event 10"},
		{name: "recomputed chain", queries: []string{`UPDATE events SET data = CAST('{"proposal":"p1","text":"forged"}' AS BLOB) WHERE session = 'atelier' AND seq = 5`},
			want: FindRecomputed, says: "computed again"},
		{name: "renumbering", queries: []string{"DELETE FROM events WHERE session = 'atelier' AND seq = 5",
			"UPDATE events SET seq = seq - 1 WHERE session = 'atelier' AND seq > 5"},
			want: FindRenumbered, says: "is now number 11"},
		{name: "forged appended decision", append: []review.Event{forged},
			want: FindUnsigned, says: `decision.made by "anouk" (facilitator)`},
		{name: "renamed session", queries: []string{"UPDATE events SET session = 'autre' WHERE session = 'atelier'"},
			want: FindRenamed, says: `now called "autre"`},
		{name: "renamed session, checked under its new name", queries: []string{"UPDATE events SET session = 'autre' WHERE session = 'atelier'"},
			check: "autre", want: FindRenamed, says: `kept as "atelier"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tamperedCopy(t, s, tt.queries...)
			if len(tt.append) > 0 {
				mustAppend(t, c, tt.append...)
			}
			name := "atelier"
			if tt.check != "" {
				name = tt.check
			}
			// The chain alone holds: that is the point.
			if r, err := c.Verify(ctx, name); err == nil && r.Break != nil {
				t.Fatalf("the forger left a break: %v", r.Break)
			}
			f, err := c.Check(ctx, name, anchorOf(receipt), trusted)
			if err != nil {
				t.Fatal(err)
			}
			if len(f) == 0 || f[0].Kind != tt.want || !strings.Contains(f[0].String(), tt.says) {
				t.Fatalf("findings %v, want first %s saying %q", f, tt.want, tt.says)
			}
		})
	}
	// The code copied from a screen alone tells a truncation too.
	c := tamperedCopy(t, s, "DELETE FROM events WHERE session = 'atelier' AND seq > 10")
	code, count, err := review.ParseReceiptCode(strings.ToLower(receipt.Code()) + ", 12")
	if err != nil || count != 12 {
		t.Fatal(code, count, err)
	}
	if f, err := c.Check(ctx, "atelier", Anchor{Session: "atelier", Code: code, Seq: count}, nil); err != nil || len(f) != 1 || f[0].Kind != FindTruncated {
		t.Fatalf("truncation against a code: %v %v", f, err)
	}
	if f, err := s.Check(ctx, "atelier", Anchor{Session: "atelier", Code: code, Seq: count}, nil); err != nil || len(f) != 0 {
		t.Fatalf("the untouched file against its code: %v %v", f, err)
	}
}

// TestSignedHeadsKeepTheSessionHonest: after a legitimate continuation
// signed at the server's stop, an old receipt still checks; a changed
// receipt or another key's signature does not.
func TestSignedHeadsKeepTheSessionHonest(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	chainSession(t, s, "atelier", 5)
	keyPath := filepath.Join(t.TempDir(), "k")
	signer, err := LoadSigner(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	// The key is made once, in OpenSSH's format with its .pub, and reused.
	again, err := LoadSigner(keyPath)
	if err != nil || string(again.PublicKey().Marshal()) != string(signer.PublicKey().Marshal()) {
		t.Fatalf("the key changed when read again: %v", err)
	}
	if _, err := os.Stat(keyPath + ".pub"); err != nil {
		t.Fatal(err)
	}
	old, err := s.SignHead(ctx, "atelier", "export", signer, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, s, comment("atelier", "later", "more"))
	if f, _ := s.Check(ctx, "atelier", anchorOf(old), signer.PublicKey()); len(f) != 1 || f[0].Kind != FindUnsigned {
		t.Fatalf("an unsigned continuation: %v", f)
	}
	if _, err := s.SignHead(ctx, "atelier", "stop", signer, time.Now()); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Check(ctx, "atelier", anchorOf(old), signer.PublicKey()); err != nil || len(f) != 0 {
		t.Fatalf("a signed continuation: %v %v", f, err)
	}
	bad := old
	bad.Events = 4
	if f, _ := s.Check(ctx, "atelier", anchorOf(bad), signer.PublicKey()); len(f) == 0 || f[0].Kind != FindSignature {
		t.Fatalf("a changed receipt: %v", f)
	}
	other, _ := LoadSigner(filepath.Join(t.TempDir(), "other"))
	if f, _ := s.Check(ctx, "atelier", anchorOf(old), other.PublicKey()); len(f) == 0 || f[0].Kind != FindSignature {
		t.Fatalf("another key: %v", f)
	}
	if _, err := s.Check(ctx, "nobody", Anchor{}, nil); !errors.Is(err, ErrNoSession) {
		t.Fatalf("unknown session: %v", err)
	}
}

// TestVerifyComparesSummaries: a row deleted behind the triggers' back
// leaves the summary counting it, and Verify says so.
func TestVerifyComparesSummaries(t *testing.T) {
	s := openTemp(t)
	chainSession(t, s, "atelier", 6)
	c := tamperedCopy(t, s, "DELETE FROM events WHERE session = 'atelier' AND seq = 6")
	r := mustVerify(t, c, "atelier")
	if r.OK() || len(r.Summary) != 1 || r.Summary[0] != "events: summary 6, trace 5" {
		t.Fatalf("summary after a deleted last event: %+v", r)
	}
}

// TestSessionsAfterWithdrawal: a withdrawn facilitator's decision no
// longer counts in `revue sessions`, as in the exports and the report.
func TestSessionsAfterWithdrawal(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	ana := review.Actor{Name: "Ana", Fingerprint: "SHA256:ana", Role: review.Facilitator}
	d := review.Document{ID: "d1", Title: "D", Source: "d.md", SHA256: "d1", Format: "md", Chars: 4,
		Passages: []review.Passage{{ID: "d1-p1", Document: "d1", Text: "text", End: 4}}}
	mustAppend(t, s, created("a", "c"),
		review.MustEvent("a", "d", base, sys, review.KindDocumentAdded, d),
		review.MustEvent("a", "k", base, sys, review.KindCriterionAdded, review.Criterion{ID: "C1", Title: "c", Description: "c"}),
		review.MustEvent("a", "p", base, sys, review.KindProposalAdded, review.Proposal{ID: "p1", Document: "d1", Passage: "d1-p1", Criterion: "C1",
			Statement: "s", QuoteStart: -1, QuoteEnd: -1, Origin: review.Origin{Kind: review.OriginModel, Name: "m"}}),
		review.MustEvent("a", "dec", base, ana, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept}))
	sums, err := s.Summaries(ctx)
	if err != nil || sums[0].Decided != 1 {
		t.Fatalf("before: %+v %v", sums, err)
	}
	var by review.Actor
	for _, e := range mustReplay(t, s, "a") {
		if e.Kind == review.KindDecisionMade {
			by = e.Actor
		}
	}
	mustAppend(t, s, review.ForgetEvent("a", by.Name, by.Fingerprint, base.Add(time.Hour)))
	sums, err = s.Summaries(ctx)
	if err != nil || sums[0].Err != nil || sums[0].Decided != 0 || sums[0].Proposals != 1 {
		t.Fatalf("after %s withdrew: %+v %v", by.Name, sums, err)
	}
}

// TestVerifyComparesDecided: a decided count changed behind the triggers'
// back (or left wrong by a version that ignored reopenings) is named.
func TestVerifyComparesDecided(t *testing.T) {
	s := openTemp(t)
	s.legacy = true
	mustAppend(t, s, created("a", "c"), prop("a", "p1"), prop("a", "p2"), decision("a", "x1", "p1"), reopen("a", "r1", "p1"), decision("a", "x2", "p2"))
	if r := mustVerify(t, s, "a"); !r.OK() {
		t.Fatalf("a sound session: %+v", r)
	}
	c := tamperedCopy(t, s, "UPDATE summaries SET decided = 2 WHERE session = 'a'")
	if r := mustVerify(t, c, "a"); r.OK() || len(r.Summary) != 1 || r.Summary[0] != "decided: summary 2, trace 1" {
		t.Fatalf("a decided count of 2 for 1: %+v", r)
	}
}
