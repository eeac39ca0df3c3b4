package review

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Checkpoint is a signed statement of a session's head: "session S had N
// events, the last of seq Q, id I and chain link H, at this time". It is
// Revue's form of Certificate Transparency's signed tree head (RFC 6962
// §3.5: a size, a root hash, a time, signed by the log's key) and of a git
// signed tag (a text naming an object by hash, a name, a time, with an
// SSH or GPG signature): the hash chain (store.ChainHash) plays the part of
// the Merkle tree, the session's name that of the tag's name. The store
// records one when a session's server stops and on every export, signed
// with the server's SSH host key; exports carry it and `revue verify`
// shows it. Anyone who kept one can later check a file against it
// (truncation, a recomputed chain, renumbering, a forged appended event,
// a renamed session): docs/codebook.md says what it proves and what not.
type Checkpoint struct {
	Session string    `json:"session"`
	Seq     int64     `json:"seq"`     // the head's seq
	Events  int64     `json:"events"`  // how many events the session had
	Head    string    `json:"head"`    // the head's chain link (hex SHA-256)
	HeadID  string    `json:"head_id"` // the head event's id
	At      time.Time `json:"at"`      // when it was signed
	Reason  string    `json:"reason"`  // "stop", "export", "forget" or "verify"
	// Key is the signer's public key in authorized_keys form,
	// KeyFingerprint its SHA-256 fingerprint as OpenSSH prints it (the one
	// an SSH client shows when it first meets the server), and Signature
	// the SSH signature (its wire form, base64) of Message.
	Key            string `json:"key"`
	KeyFingerprint string `json:"key_fingerprint"`
	Signature      string `json:"signature"`
}

// Message is the text a checkpoint's signature covers: one line per
// field, in this order, the texts quoted as Go quotes them, so that no
// field can spill into another.
func (c Checkpoint) Message() []byte {
	var b strings.Builder
	b.WriteString("revue checkpoint v1\n")
	fmt.Fprintf(&b, "session %s\nseq %d\nevents %d\nhead %s\nhead-id %s\nat %s\nreason %s\n",
		strconv.Quote(c.Session), c.Seq, c.Events, c.Head, strconv.Quote(c.HeadID), c.At.UTC().Format(time.RFC3339Nano), strconv.Quote(c.Reason))
	return []byte(b.String())
}

// Code is the checkpoint's receipt code (ReceiptCode).
func (c Checkpoint) Code() string { return ReceiptCode(c.Session, c.Seq, c.Head) }

// ReceiptCode is the short code a person can copy from a screen ("reçu de
// séance : 3F9A-1C2B-77D0-E4A1, 428 événements"): the first 64 bits of
// the SHA-256 of the session's name, the head's seq and its chain link,
// in four groups of four hexadecimal digits. A file whose head at that seq
// gives another code is not the file the person saw; renaming the session
// changes the code too. Forging a different trace with the same code
// takes about 2^64 hashes.
func ReceiptCode(session string, seq int64, head string) string {
	h := sha256.Sum256([]byte("revue receipt v1\x00" + session + "\x00" + strconv.FormatInt(seq, 10) + "\x00" + head))
	x := strings.ToUpper(hex.EncodeToString(h[:8]))
	return x[0:4] + "-" + x[4:8] + "-" + x[8:12] + "-" + x[12:16]
}

// ParseReceiptCode reads a code as ReceiptCode writes it, in either case,
// with or without its dashes, and an optional event count after a slash,
// comma or space ("3F9A-1C2B-77D0-E4A1/428"): count is 0 when absent.
func ParseReceiptCode(s string) (code string, count int64, err error) {
	s = strings.TrimSpace(s)
	rest := ""
	if i := strings.IndexAny(s, "/, "); i >= 0 {
		s, rest = s[:i], strings.TrimLeft(s[i+1:], " ,/")
	}
	x := strings.ToUpper(strings.ReplaceAll(s, "-", ""))
	if len(x) != 16 || strings.Trim(x, "0123456789ABCDEF") != "" {
		return "", 0, fmt.Errorf("receipt %q: a receipt code is 16 hexadecimal digits in four groups, like 3F9A-1C2B-77D0-E4A1", s)
	}
	if rest != "" {
		f := strings.Fields(rest)
		if count, err = strconv.ParseInt(f[0], 10, 64); err != nil || count < 1 {
			return "", 0, fmt.Errorf("receipt %q: %q after the code should be the number of events", s, f[0])
		}
	}
	return x[0:4] + "-" + x[4:8] + "-" + x[8:12] + "-" + x[12:16], count, nil
}
