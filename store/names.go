package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// namesSchema keeps who holds each name the SSH server has handed out, so
// that a name stays one person's across a restart of the server: a key
// holder's fingerprint, or the salted hash of a keyless person's personal
// code (never the code). It is a table of the store beside the trace, not
// events: no export reads it, since exports are published and a hash of a
// six-digit code is easily reversed by whoever has it. Created when
// missing at every Open, like signed_heads; an older revue ignores it.
// A row is never changed: the first to hold a name keeps it.
const namesSchema = `
CREATE TABLE IF NOT EXISTS names (
	name        TEXT PRIMARY KEY,
	fingerprint TEXT NOT NULL,
	salt        BLOB,
	hash        BLOB,
	at          TEXT NOT NULL,
	CHECK ((fingerprint = '') = (hash IS NOT NULL AND salt IS NOT NULL))
) STRICT;
`

// NameHolder is who holds a name on the SSH server: a key (Fingerprint),
// or a keyless person, known by the salted hash of their personal code.
type NameHolder struct {
	Name        string // as the server compares names (lower case)
	Fingerprint string // the key's; "" for a keyless person
	Salt, Hash  []byte // the personal code's, for a keyless person
}

// Same reports whether h and o are the same person.
func (h NameHolder) Same(o NameHolder) bool {
	return h.Fingerprint == o.Fingerprint && bytes.Equal(h.Salt, o.Salt) && bytes.Equal(h.Hash, o.Hash)
}

// NameHolders lists every name held, for the SSH server to start from.
func (s *Store) NameHolders(ctx context.Context) ([]NameHolder, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT name, fingerprint, salt, hash FROM names ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("read the names held in %s: %w", s.path, err)
	}
	defer rows.Close()
	var out []NameHolder
	for rows.Next() {
		var h NameHolder
		if err := rows.Scan(&h.Name, &h.Fingerprint, &h.Salt, &h.Hash); err != nil {
			return nil, fmt.Errorf("read the names held in %s: %w", s.path, err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the names held in %s: %w", s.path, err)
	}
	return out, nil
}

// HoldName records h as the holder of its name unless someone holds it
// already (another server process on the same file may have taken it),
// and returns the holder the file has now: h, or the one who came first.
func (s *Store) HoldName(ctx context.Context, h NameHolder, now time.Time) (NameHolder, error) {
	if err := s.open(); err != nil {
		return NameHolder{}, err
	}
	var salt, hash any
	if h.Fingerprint == "" {
		salt, hash = h.Salt, h.Hash
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO names (name, fingerprint, salt, hash, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
		h.Name, h.Fingerprint, salt, hash, now.UTC().Format(time.RFC3339Nano)); err != nil {
		return NameHolder{}, fmt.Errorf("keep the name %q in %s: %w", h.Name, s.path, err)
	}
	got := NameHolder{Name: h.Name}
	err := s.db.QueryRowContext(ctx, "SELECT fingerprint, salt, hash FROM names WHERE name = ?", h.Name).Scan(&got.Fingerprint, &got.Salt, &got.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		err = errors.New("the row just written is not there")
	}
	if err != nil {
		return NameHolder{}, fmt.Errorf("keep the name %q in %s: %w", h.Name, s.path, err)
	}
	return got, nil
}
