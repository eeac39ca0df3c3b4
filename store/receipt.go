package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
)

// signedSchema keeps the signed heads (review.Checkpoint) of every session,
// append-only like the events, and the number of withdrawals per session
// (person.forgotten events), kept by a trigger so that `revue sessions`
// knows which sessions it must count again without the withdrawn people.
// They are created when missing, at every Open, so that a file of schema 2
// gains them without a migration; an older revue ignores them.
const signedSchema = `
CREATE TABLE IF NOT EXISTS signed_heads (
	pos     INTEGER PRIMARY KEY,
	session TEXT    NOT NULL,
	seq     INTEGER NOT NULL,
	body    TEXT    NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS signed_heads_session ON signed_heads (session, seq);
CREATE TRIGGER IF NOT EXISTS signed_heads_no_update BEFORE UPDATE ON signed_heads
BEGIN SELECT RAISE(ABORT, 'signed heads are append-only: UPDATE is refused'); END;
CREATE TRIGGER IF NOT EXISTS signed_heads_no_delete BEFORE DELETE ON signed_heads
BEGIN SELECT RAISE(ABORT, 'signed heads are append-only: DELETE is refused'); END;
`

const withdrawnSchema = `
CREATE TABLE withdrawn (
	session TEXT    PRIMARY KEY,
	n       INTEGER NOT NULL
) STRICT;
CREATE TRIGGER events_withdrawn AFTER INSERT ON events
WHEN NEW.kind = 'person.forgotten'
BEGIN
	INSERT INTO withdrawn (session, n) VALUES (NEW.session, 1)
		ON CONFLICT (session) DO UPDATE SET n = n + 1;
END;
INSERT INTO withdrawn (session, n)
	SELECT session, count(*) FROM events WHERE kind = 'person.forgotten' GROUP BY session;
`

// extend creates signedSchema and namesSchema and, once, withdrawnSchema (filled from the
// events already stored, in the transaction that creates it).
func (s *Store) extend(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, signedSchema+namesSchema); err != nil {
		return openError(s.path, err)
	}
	var n int
	if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'withdrawn'").Scan(&n); err != nil {
		return openError(s.path, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := s.w.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return openError(s.path, err)
	}
	err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'withdrawn'").Scan(&n)
	if err == nil && n == 0 {
		_, err = s.w.ExecContext(ctx, withdrawnSchema)
	}
	if err == nil {
		_, err = s.w.ExecContext(ctx, "COMMIT")
	}
	if err != nil {
		s.w.ExecContext(ctx, "ROLLBACK")
		return openError(s.path, err)
	}
	return nil
}

// LoadSigner reads the SSH private key at path (the server's host key,
// ssh_host_ed25519 in the data directory), creating an ed25519 key there
// (and its .pub) when there is none, in OpenSSH's format: the SSH server
// then uses the same key, so that the fingerprint participants' SSH
// clients show is the one that signs the receipts.
func LoadSigner(path string) (ssh.Signer, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("create the signing key %s: %w", path, err)
		}
		block, err := ssh.MarshalPrivateKey(priv, "revue")
		if err != nil {
			return nil, fmt.Errorf("create the signing key %s: %w", path, err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create the signing key %s: %w", path, err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			return LoadSigner(path) // another process made it meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("create the signing key %s: %w", path, err)
		}
		if err := errors.Join(pem.Encode(f, block), f.Sync(), f.Close()); err != nil {
			return nil, fmt.Errorf("write the signing key %s: %w", path, err)
		}
		spub, err := ssh.NewPublicKey(pub)
		if err == nil {
			err = os.WriteFile(path+".pub", ssh.MarshalAuthorizedKey(spub), 0o644)
		}
		if err != nil {
			return nil, fmt.Errorf("write the public key %s.pub: %w", path, err)
		}
		return LoadSigner(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read the signing key %s: %w", path, err)
	}
	signer, err := ssh.ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w; it must be an unencrypted OpenSSH private key (the server's host key)", path, err)
	}
	return signer, nil
}

// Sign signs a checkpoint with signer, filling its key fields.
func Sign(c review.Checkpoint, signer ssh.Signer) (review.Checkpoint, error) {
	pub := signer.PublicKey()
	c.Key = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	c.KeyFingerprint = ssh.FingerprintSHA256(pub)
	c.Signature = ""
	sig, err := signer.Sign(rand.Reader, c.Message())
	if err != nil {
		return c, fmt.Errorf("sign the head of session %q: %w", c.Session, err)
	}
	c.Signature = base64.StdEncoding.EncodeToString(ssh.Marshal(sig))
	return c, nil
}

// CheckSignature verifies a checkpoint's signature with the key it names,
// and, when trusted is not nil, that this key is trusted (the data
// directory's host key).
func CheckSignature(c review.Checkpoint, trusted ssh.PublicKey) error {
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(c.Key))
	if err != nil {
		return fmt.Errorf("the signed head of seq %d names no readable key (%v)", c.Seq, err)
	}
	raw, err := base64.StdEncoding.DecodeString(c.Signature)
	var sig ssh.Signature
	if err == nil {
		err = ssh.Unmarshal(raw, &sig)
	}
	if err != nil {
		return fmt.Errorf("the signed head of seq %d has no readable signature (%v)", c.Seq, err)
	}
	if err := pub.Verify(c.Message(), &sig); err != nil {
		return fmt.Errorf("the signature of the head of seq %d does not hold: one of its fields was changed after signing", c.Seq)
	}
	if trusted != nil && ssh.FingerprintSHA256(pub) != ssh.FingerprintSHA256(trusted) {
		return fmt.Errorf("the head of seq %d is signed by %s, not by this server's key %s", c.Seq, ssh.FingerprintSHA256(pub), ssh.FingerprintSHA256(trusted))
	}
	return nil
}

// SignHead signs the session's current head and records it, for reason
// ("stop", "export", "forget", "verify"). It returns what it recorded.
func (s *Store) SignHead(ctx context.Context, session, reason string, signer ssh.Signer, now time.Time) (review.Checkpoint, error) {
	c := review.Checkpoint{Session: session, Reason: reason, At: now.UTC()}
	if err := s.open(); err != nil {
		return c, err
	}
	var hash sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT seq, hash, id, (SELECT count(*) FROM events c WHERE c.session = e.session)
		FROM events e WHERE session = ? ORDER BY seq DESC LIMIT 1`, session).Scan(&c.Seq, &hash, &c.HeadID, &c.Events)
	if errors.Is(err, sql.ErrNoRows) {
		return c, s.noSession("sign the head of", session)
	}
	if err != nil {
		return c, fmt.Errorf("sign the head of session %q in %s: %w", session, s.path, err)
	}
	c.Head = hash.String
	if c, err = Sign(c, signer); err != nil {
		return c, err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return c, err
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO signed_heads (session, seq, body) VALUES (?, ?, ?)", session, c.Seq, string(body)); err != nil {
		return c, fmt.Errorf("record the signed head of session %q in %s: %w", session, s.path, err)
	}
	return c, nil
}

// SignedHeads returns the signed heads recorded for a session, oldest
// first. A row that does not decode comes back with only its Seq and
// Session, so that a check names it rather than skipping it.
func (s *Store) SignedHeads(ctx context.Context, session string) ([]review.Checkpoint, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT seq, body FROM signed_heads WHERE session = ? ORDER BY pos", session)
	if err != nil {
		return nil, fmt.Errorf("signed heads of session %q in %s: %w", session, s.path, err)
	}
	defer rows.Close()
	var out []review.Checkpoint
	for rows.Next() {
		var seq int64
		var body string
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, fmt.Errorf("signed heads of session %q in %s: %w", session, s.path, err)
		}
		var c review.Checkpoint
		if json.Unmarshal([]byte(body), &c) != nil {
			c = review.Checkpoint{Session: session, Seq: seq}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
