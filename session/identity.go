package session

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"charm.land/log/v2"
	"charm.land/ssh"
	"golang.org/x/crypto/argon2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/store"
)

// identities makes each name the server hands out belong to one person,
// so that the trace cannot mix two people:
//
//   - a key holder is the key: the name goes with the first key (or the
//     first keyless person) that took it, and the same key gets it back;
//   - a keyless person gets a personal code the first time, told at login,
//     and gets the name back by typing it; without it, or with a wrong one,
//     they enter under another name (marie-2);
//   - the names of Config.Reserved and of the facilitators' keys' comments
//     are only a facilitator key's.
//
// Names are compared without case ("Marie" is taken when "marie" is). With
// a NameBook (Config.Names: the store, for serve and review), who holds
// each name is kept in it as it is handed out and read back at start, so
// that a restart does not give a keyless person's name to the next one who
// types it: only the personal code's salted hash is kept (codeHash), never
// the code. Without one (the demo, whose simulated people come back at each
// run), the table lives in memory for the server's lifetime.
type identities struct {
	mu       sync.Mutex
	byName   map[string]*holder // fold(name) → who holds it
	reserved map[string]bool    // fold(name)
	book     NameBook           // nil: in memory only
	log      *log.Logger
}

// NameBook keeps the names the server hands out beyond its lifetime;
// store.Store is one. HoldName records a holder unless the name is held
// already, and returns who holds it now.
type NameBook interface {
	NameHolders(ctx context.Context) ([]store.NameHolder, error)
	HoldName(ctx context.Context, h store.NameHolder, now time.Time) (store.NameHolder, error)
}

// holder is who holds a name: a key's fingerprint, or the salt and hash of
// a personal code.
type holder struct {
	fp         string
	salt, hash []byte
}

// personalCodeDigits is the length of the personal code: short enough to
// note on a hand, and with the guard's limits (10 wrong codes per name and
// address, then the whole server's budget), out of reach of guessing.
const personalCodeDigits = 6

// The personal code's hash is argon2id with OWASP's smallest memory
// setting (7 MiB, 5 passes, one lane): a file that leaks does not give the
// codes back at the speed of a plain hash, and the memory stays small
// because one hash is computed at a time (hashSlot). 23 ms on a loaded
// 2-core machine (BENCHMARKS.md), once per first login and once per code
// typed.
const (
	codeTime    = 5
	codeMemory  = 7 * 1024 // KiB
	codeThreads = 1
	codeKeyLen  = 32
	codeSaltLen = 16
)

// hashSlot lets one personal code be hashed at a time, so that a crowd
// logging in at once costs time, not codeMemory each.
var hashSlot = make(chan struct{}, 1)

func codeHash(code string, salt []byte) []byte {
	hashSlot <- struct{}{}
	defer func() { <-hashSlot }()
	return argon2.IDKey([]byte(code), salt, codeTime, codeMemory, codeThreads, codeKeyLen)
}

// newIdentities starts the table from the names the book holds, if any.
func newIdentities(reserved []string, book NameBook, logger *log.Logger) (*identities, error) {
	ids := &identities{byName: map[string]*holder{}, reserved: map[string]bool{}, book: book, log: logger}
	for _, r := range reserved {
		if n := cleanName(r); n != "anonymous" {
			ids.reserved[fold(n)] = true
		}
	}
	if book != nil {
		held, err := book.NameHolders(context.Background())
		if err != nil {
			return nil, err
		}
		for _, h := range held {
			ids.byName[h.Name] = &holder{fp: h.Fingerprint, salt: h.Salt, hash: h.Hash}
		}
	}
	return ids, nil
}

func fold(name string) string { return strings.ToLower(name) }

// nameState is what a keyless person meets under a name.
type nameState int

const (
	nameFree     nameState = iota
	nameWithCode           // held by a keyless person: the code proves it
	nameTaken              // held by a key, or reserved
)

func (ids *identities) state(name string) nameState {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	return ids.stateLocked(name)
}

func (ids *identities) stateLocked(name string) nameState {
	h := ids.byName[fold(name)]
	switch {
	case h != nil && h.fp == "":
		return nameWithCode
	case h != nil, ids.reserved[fold(name)]:
		return nameTaken
	}
	return nameFree
}

// holdLocked makes name h's, in the book too when there is one. It
// reports false when the book says that someone else took it meanwhile
// (another server on the same store): the table then knows that holder,
// and the caller looks for another name. A book that cannot be written
// (a full disk) leaves the name in memory only, and says so in the log.
func (ids *identities) holdLocked(ctx context.Context, name string, h *holder) bool {
	if ids.book != nil {
		want := store.NameHolder{Name: fold(name), Fingerprint: h.fp, Salt: h.salt, Hash: h.hash}
		got, err := ids.book.HoldName(ctx, want, time.Now())
		switch {
		case err != nil:
			ids.log.Error("name kept in memory only: after a restart its holder is not recognised", "name", name, "err", err)
		case !got.Same(want):
			ids.byName[fold(name)] = &holder{fp: got.Fingerprint, salt: got.Salt, hash: got.Hash}
			return false
		}
	}
	ids.byName[fold(name)] = h
	return true
}

// claimKeyless gives name, or when it is held the first free variant, to a
// new keyless person, with a new personal code.
func (ids *identities) claimKeyless(ctx context.Context, name string) (got, code string) {
	code = newPersonalCode()
	salt := make([]byte, codeSaltLen)
	rand.Read(salt)
	h := &holder{salt: salt, hash: codeHash(code, salt)}
	ids.mu.Lock()
	defer ids.mu.Unlock()
	for {
		if got = ids.freeLocked(name); ids.holdLocked(ctx, got, h) {
			return got, code
		}
	}
}

// checkCode reports whether code is the personal code of name.
func (ids *identities) checkCode(name, code string) bool {
	ids.mu.Lock()
	h := ids.byName[fold(name)]
	ids.mu.Unlock()
	if h == nil || h.fp != "" {
		return false
	}
	got := codeHash(strings.TrimSpace(code), h.salt)
	return subtle.ConstantTimeCompare(got, h.hash) == 1
}

// claimKey gives name to the key fp, or when another person holds it (or
// it is reserved and the key is not a facilitator's) the first variant
// that is the key's already or free: bob's key, "marie-2" because a
// keyless marie held "marie", is marie-2 again when he comes back as
// "marie", before and after a restart, rather than a new marie-3 to whom
// his votes no longer belong.
func (ids *identities) claimKey(ctx context.Context, name, fp string, facilitator bool) string {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	for i := 1; ; i++ {
		c := variant(name, i)
		h := ids.byName[fold(c)]
		switch {
		case h != nil && h.fp == fp:
			return c
		case h == nil && !ids.reserved[fold(c)] || h == nil && i == 1 && facilitator:
			if ids.holdLocked(ctx, c, &holder{fp: fp}) {
				return c
			}
		}
	}
}

// freeLocked is the first variant of name that nobody holds: name, else
// name-2, name-3…
func (ids *identities) freeLocked(name string) string {
	for i := 1; ; i++ {
		if c := variant(name, i); ids.stateLocked(c) == nameFree {
			return c
		}
	}
}

// variant is name for i = 1, else name-i, name shortened so that it fits
// maxNameRunes.
func variant(name string, i int) string {
	if i < 2 {
		return name
	}
	suffix := fmt.Sprintf("-%d", i)
	base := name
	if n := maxNameRunes - utf8.RuneCountInString(suffix); utf8.RuneCountInString(base) > n {
		base = string([]rune(base)[:n])
	}
	return base + suffix
}

// newPersonalCode draws a code of personalCodeDigits digits.
func newPersonalCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return fmt.Sprintf("%0*d", personalCodeDigits, n.Int64())
}

// identity is what login decided of a keyless person, kept in the
// connection's context for the session: the name they got, the personal
// code when it is new, and the name they asked for when it was held.
type identity struct {
	name, code, asked string
}

type identityKey struct{}

// keylessIdentity decides, during keyboard-interactive login, under which
// name a person without a key enters: the name asked when it is free (a
// new personal code is told), or when they type its personal code;
// otherwise another name with a new code. Wrong codes go through the guard
// like wrong passcodes: slowed, then not asked. It reports false only when
// the client hung up.
func (a *access) keylessIdentity(ctx ssh.Context, user string, remote net.Addr, challenge gossh.KeyboardInteractiveChallenge) bool {
	asked := cleanName(user)
	ip := hostOf(remote)
	if a.ids.state(asked) == nameWithCode {
		v := a.guard.check(ip, user)
		if v.wait > 0 && !v.refused && !a.guard.sleep(ctx, v.wait) {
			return false
		}
		if !v.refused {
			answers, err := challenge("Revue",
				fmt.Sprintf("Le nom « %s » est déjà pris. Si c'est vous, tapez votre code personnel ; sinon appuyez sur Entrée pour entrer sous un autre nom.\nThe name \"%s\" is taken. If it is yours, type your personal code; otherwise press Enter to join under another name.\n", asked, asked),
				[]string{"Code personnel (personal code): "}, []bool{true})
			if err != nil || len(answers) != 1 {
				return false
			}
			switch code := strings.TrimSpace(answers[0]); {
			case code == "":
				a.guard.succeed(ip, user) // no guess was made
			case a.ids.checkCode(asked, code):
				a.guard.succeed(ip, user)
				ctx.SetValue(identityKey{}, identity{name: asked})
				return true
			default:
				a.guard.fail(ip, user)
				a.log.Warn("personal code wrong", "remote", ip, "user", asked)
			}
		}
	}
	got, code := a.ids.claimKeyless(ctx, asked)
	id := identity{name: got, code: code}
	text := fmt.Sprintf("Votre code personnel : %s. Gardez-le pour revenir sous le nom « %s ».\nYour personal code: %s. Keep it to come back as \"%s\".\n", code, got, code, got)
	if got != asked {
		id.asked = asked
		text = fmt.Sprintf("Le nom « %s » est pris : vous entrez sous le nom « %s ».\nThe name \"%s\" is taken: you join as \"%s\".\n", asked, got, asked, got) + text
	}
	ctx.SetValue(identityKey{}, id)
	_, err := challenge("Revue", text, nil, nil)
	return err == nil
}

// identityNotice is the sentence that tells a person their new personal
// code, or the name they got, in their language; "" when there is nothing
// to tell.
func identityNotice(lang, name string, id identity) string {
	var parts []string
	if id.asked != "" {
		parts = append(parts, fmt.Sprintf(msg(lang, msgRenamed), id.asked, name))
	}
	if id.code != "" {
		parts = append(parts, fmt.Sprintf(msg(lang, msgCode), id.code, name))
	}
	return strings.Join(parts, " ")
}
