package store

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
)

// Anchor is what someone kept of a session to check a later copy of the
// file against it: a signed head (a receipt, or the checkpoint of an
// earlier export), a receipt code copied from a screen, or an earlier
// export's trace. The chain alone cannot show a truncation, a chain
// recomputed from a changed event on, a renumbering or a renamed session;
// something kept outside the file can.
type Anchor struct {
	Session string // the name it was kept under ("" when unknown: a code copied alone)
	Seq     int64  // the head's seq (0 when unknown)
	Head    string // the head's chain link ("" when only Code was kept)
	HeadID  string
	Code    string // a receipt code (review.ReceiptCode), when that is all that was kept
	// Signed is the signed head the anchor came with, checked first.
	Signed *review.Checkpoint
	// Trace holds an earlier export's events, those that kept their link
	// (a pseudonymised or withdrawn-from export rewrites some).
	Trace []AnchorEvent
}

// AnchorEvent is one event of an earlier export.
type AnchorEvent struct {
	Seq  int64
	ID   string
	Hash string
}

// FindingKind names one way a file differs from what was kept of it.
type FindingKind string

// The findings of Check, one kind per way of rewriting history.
const (
	// FindTruncated: the file ends before the kept head (Seq), at Other:
	// its last events were deleted.
	FindTruncated FindingKind = "truncated"
	// FindRecomputed: the event at Seq is there but its link differs from
	// the kept one while the chain holds: an event up to Seq was changed
	// and every link after it computed again.
	FindRecomputed FindingKind = "recomputed"
	// FindRenumbered: the kept event ID, seq Seq, is now at seq Other:
	// events before it were deleted (or added) and the rest renumbered.
	FindRenumbered FindingKind = "renumbered"
	// FindDeleted: the kept event ID, seq Seq, is in the file no more.
	FindDeleted FindingKind = "deleted"
	// FindUnsigned: events Seq to Other were appended after the last head
	// anybody signed or kept; Detail names the first (kind, actor), also
	// given apart in Event, Actor and Role for a reader's language, N how
	// many there are. A forged decision appended to a finished session
	// shows here.
	FindUnsigned FindingKind = "unsigned"
	// FindRenamed: the session was kept under the name Detail and is now
	// called Other... (ID holds the name it has now).
	FindRenamed FindingKind = "renamed"
	// FindSignature: a signed head (the anchor's, or one recorded in the
	// file) does not verify, or is signed by a key that is not the
	// server's; Detail says which.
	FindSignature FindingKind = "signature"
)

// Finding is one difference Check found.
type Finding struct {
	Kind   FindingKind
	Seq    int64
	Other  int64
	N      int64
	ID     string
	Detail string
	// Event, Actor and Role are FindUnsigned's first event: its kind, and
	// who wrote it.
	Event, Actor, Role string
}

// String says what the finding means, in English; the command line
// translates from the fields.
func (f Finding) String() string {
	switch f.Kind {
	case FindTruncated:
		return fmt.Sprintf("truncated: the kept head is event %d, but the trace ends at event %d: its last %d event(s) were deleted", f.Seq, f.Other, f.Seq-f.Other)
	case FindRecomputed:
		return fmt.Sprintf("recomputed chain: event %d is no longer the one kept, though the chain holds: an event up to %d was changed and the links after it computed again", f.Seq, f.Seq)
	case FindRenumbered:
		return fmt.Sprintf("renumbered: event %q, kept as number %d, is now number %d: events before it were deleted and the rest renumbered", f.ID, f.Seq, f.Other)
	case FindDeleted:
		return fmt.Sprintf("deleted: event %q, kept as number %d, is no longer in the trace (%d kept event(s) are missing)", f.ID, f.Seq, f.N)
	case FindUnsigned:
		return fmt.Sprintf("appended without a signature: %d event(s), from %d to %d, came after the last signed or kept head; the first is %s", f.N, f.Seq, f.Other, f.Detail)
	case FindRenamed:
		return fmt.Sprintf("renamed: the session kept as %q is now called %q", f.Detail, f.ID)
	case FindSignature:
		return "bad signature: " + f.Detail
	}
	return string(f.Kind)
}

// Check compares session name with what was kept of it, and with the
// signed heads the file itself records, and returns every difference
// found (none: the file holds what was kept, and whatever came after was
// signed). trusted is the server's public key, or nil to accept any valid
// signature. A session that does not exist is an error wrapping
// ErrNoSession, unless another session holds the kept head: it was
// renamed, and that is a finding.
func (s *Store) Check(ctx context.Context, name string, a Anchor, trusted ssh.PublicKey) ([]Finding, error) {
	var out []Finding
	if a.Signed != nil {
		if err := CheckSignature(*a.Signed, trusted); err != nil {
			out = append(out, Finding{Kind: FindSignature, Seq: a.Signed.Seq, Detail: err.Error()})
		}
	}
	rows, err := s.links(ctx, name)
	if errors.Is(err, ErrNoSession) {
		// The session may live on under another name.
		names, lerr := s.Sessions(ctx)
		if lerr != nil {
			return nil, lerr
		}
		for _, other := range names {
			orows, oerr := s.links(ctx, other)
			if oerr != nil {
				continue
			}
			if at := find(orows, a); at >= 0 {
				kept := a.Session
				if kept == "" {
					kept = name
				}
				return append(out, Finding{Kind: FindRenamed, Detail: kept, ID: other}), nil
			}
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if a.Session != "" && a.Session != name {
		out = append(out, Finding{Kind: FindRenamed, Detail: a.Session, ID: name})
	}
	last := int64(0)
	if len(rows) > 0 {
		last = rows[len(rows)-1].seq
	}
	byID := make(map[string]int, len(rows))
	bySeq := make(map[int64]int, len(rows))
	for i, r := range rows {
		byID[r.id] = i
		bySeq[r.seq] = i
	}
	// The kept head.
	covered := int64(0)
	switch {
	case a.HeadID != "":
		i, found := byID[a.HeadID]
		switch {
		case found && rows[i].seq != a.Seq:
			out = append(out, Finding{Kind: FindRenumbered, Seq: a.Seq, Other: rows[i].seq, ID: a.HeadID})
		case found && a.Head != "" && rows[i].stored != a.Head:
			out = append(out, Finding{Kind: FindRecomputed, Seq: a.Seq, ID: a.HeadID})
		case !found && last < a.Seq:
			out = append(out, Finding{Kind: FindTruncated, Seq: a.Seq, Other: last})
		case !found:
			out = append(out, Finding{Kind: FindDeleted, Seq: a.Seq, ID: a.HeadID, N: 1})
		default:
			covered = a.Seq
		}
	case a.Code != "" || a.Head != "":
		at := find(rows, a)
		switch {
		case at >= 0:
			covered = rows[at].seq
		case a.Seq > 0 && last < a.Seq:
			out = append(out, Finding{Kind: FindTruncated, Seq: a.Seq, Other: last})
		default:
			out = append(out, Finding{Kind: FindRecomputed, Seq: a.Seq})
		}
	}
	// An earlier export's events, first difference of each kind.
	seen := map[FindingKind]bool{}
	var deleted int64
	for _, k := range a.Trace {
		i, found := byID[k.ID]
		var f Finding
		switch {
		case !found && k.Seq > last:
			f = Finding{Kind: FindTruncated, Seq: a.Trace[len(a.Trace)-1].Seq, Other: last}
		case !found:
			deleted++
			f = Finding{Kind: FindDeleted, Seq: k.Seq, ID: k.ID}
		case rows[i].seq != k.Seq:
			f = Finding{Kind: FindRenumbered, Seq: k.Seq, Other: rows[i].seq, ID: k.ID}
		case k.Hash != "" && rows[i].stored != k.Hash:
			f = Finding{Kind: FindRecomputed, Seq: k.Seq, ID: k.ID}
		default:
			covered = max(covered, k.Seq)
			continue
		}
		if !seen[f.Kind] && !hasKind(out, f.Kind) {
			seen[f.Kind] = true
			out = append(out, f)
		}
	}
	for i := range out {
		if out[i].Kind == FindDeleted && deleted > 0 {
			out[i].N = deleted
		}
	}
	// The signed heads the file records: each must still hold, and the
	// last one that does covers the events up to it.
	heads, err := s.SignedHeads(ctx, name)
	if err != nil {
		return nil, err
	}
	for _, h := range heads {
		if err := CheckSignature(h, trusted); err != nil {
			out = append(out, Finding{Kind: FindSignature, Seq: h.Seq, Detail: err.Error()})
			continue
		}
		i, ok := bySeq[h.Seq]
		switch {
		case !ok && h.Seq > last:
			if !hasKind(out, FindTruncated) {
				out = append(out, Finding{Kind: FindTruncated, Seq: h.Seq, Other: last})
			}
		case !ok || rows[i].id != h.HeadID:
			if j, moved := byID[h.HeadID]; moved && !hasKind(out, FindRenumbered) {
				out = append(out, Finding{Kind: FindRenumbered, Seq: h.Seq, Other: rows[j].seq, ID: h.HeadID})
			} else if !moved && !hasKind(out, FindDeleted) {
				out = append(out, Finding{Kind: FindDeleted, Seq: h.Seq, ID: h.HeadID, N: 1})
			}
		case rows[i].stored != h.Head:
			if !hasKind(out, FindRecomputed) {
				out = append(out, Finding{Kind: FindRecomputed, Seq: h.Seq, ID: h.HeadID})
			}
		default:
			covered = max(covered, h.Seq)
		}
	}
	// What came after the last head anybody signed or kept. With nothing
	// kept, a file's unsigned tail is what a running session appends, not
	// a finding: Verify shows the last signed head instead.
	anchored := a.Signed != nil || a.HeadID != "" || a.Code != "" || a.Head != "" || len(a.Trace) > 0
	if anchored && covered > 0 && covered < last {
		i := bySeq[covered+1]
		if _, ok := bySeq[covered+1]; !ok {
			i = len(rows) - 1
		}
		r := rows[i]
		out = append(out, Finding{Kind: FindUnsigned, Seq: r.seq, Other: last, N: last - covered,
			Detail: fmt.Sprintf("%s by %q (%s)", r.kind, r.actor, r.role), Event: r.kind, Actor: r.actor, Role: r.role})
	}
	return out, nil
}

func hasKind(fs []Finding, k FindingKind) bool {
	for _, f := range fs {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// find returns the index of the row that matches the anchor's head, by
// link or by receipt code, or -1.
func find(rows []chainRow, a Anchor) int {
	for i, r := range rows {
		if a.Seq > 0 && r.seq != a.Seq {
			continue
		}
		if a.Head != "" && r.stored == a.Head {
			return i
		}
		if a.Code != "" && a.Session != "" && review.ReceiptCode(a.Session, r.seq, r.stored) == a.Code {
			return i
		}
	}
	return -1
}

// links reads a session's chain whole.
func (s *Store) links(ctx context.Context, session string) ([]chainRow, error) {
	var rows []chainRow
	if err := s.open(); err != nil {
		return nil, err
	}
	err := s.chain(ctx, session, func(r chainRow) bool {
		rows = append(rows, r)
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("check session %q of %s: %w", session, s.path, err)
	}
	if len(rows) == 0 {
		return nil, s.noSession("check", session)
	}
	return rows, nil
}
