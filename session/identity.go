package session

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"unicode/utf8"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// identities makes each name the server hands out belong to one person for
// the server's lifetime, so that the trace cannot mix two people:
//
//   - a key holder is the key: the name goes with the first key (or the
//     first keyless person) that took it, and the same key gets it back;
//   - a keyless person gets a personal code the first time, told at login,
//     and gets the name back by typing it; without it, or with a wrong one,
//     they enter under another name (marie-2);
//   - the names of Config.Reserved and of the facilitators' keys' comments
//     are only a facilitator key's.
//
// Names are compared without case ("Marie" is taken when "marie" is). The
// table lives in memory: after a restart the first to come back under a
// name takes it again (docs/codebook.md says so).
type identities struct {
	mu       sync.Mutex
	byName   map[string]*holder // fold(name) → who holds it
	reserved map[string]bool    // fold(name)
}

// holder is who holds a name: a key's fingerprint, or the hash of a
// personal code.
type holder struct {
	fp   string
	code [32]byte
}

// personalCodeDigits is the length of the personal code: short enough to
// note on a hand, and with the guard's limits (10 wrong codes per name and
// address, then the whole server's budget), out of reach of guessing.
const personalCodeDigits = 6

func newIdentities(reserved []string) *identities {
	ids := &identities{byName: map[string]*holder{}, reserved: map[string]bool{}}
	for _, r := range reserved {
		if n := cleanName(r); n != "anonymous" {
			ids.reserved[fold(n)] = true
		}
	}
	return ids
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

// claimKeyless gives name, or when it is held the first free variant, to a
// new keyless person, with a new personal code.
func (ids *identities) claimKeyless(name string) (got, code string) {
	code = newPersonalCode()
	ids.mu.Lock()
	defer ids.mu.Unlock()
	got = ids.freeLocked(name)
	ids.byName[fold(got)] = &holder{code: sha256.Sum256([]byte(code))}
	return got, code
}

// checkCode reports whether code is the personal code of name.
func (ids *identities) checkCode(name, code string) bool {
	got := sha256.Sum256([]byte(strings.TrimSpace(code)))
	ids.mu.Lock()
	h := ids.byName[fold(name)]
	ids.mu.Unlock()
	return h != nil && h.fp == "" && subtle.ConstantTimeCompare(got[:], h.code[:]) == 1
}

// claimKey gives name to the key fp, or the first free variant when
// another person holds it (or it is reserved and the key is not a
// facilitator's).
func (ids *identities) claimKey(name, fp string, facilitator bool) string {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	h := ids.byName[fold(name)]
	switch {
	case h != nil && h.fp == fp:
		return name
	case h == nil && (facilitator || !ids.reserved[fold(name)]):
		ids.byName[fold(name)] = &holder{fp: fp}
		return name
	}
	got := ids.freeLocked(name)
	ids.byName[fold(got)] = &holder{fp: fp}
	return got
}

// freeLocked is name if nobody holds it, else name-2, name-3… (shortened
// to fit maxNameRunes).
func (ids *identities) freeLocked(name string) string {
	if ids.stateLocked(name) == nameFree {
		return name
	}
	for i := 2; ; i++ {
		suffix := fmt.Sprintf("-%d", i)
		base := name
		if n := maxNameRunes - utf8.RuneCountInString(suffix); utf8.RuneCountInString(base) > n {
			base = string([]rune(base)[:n])
		}
		if c := base + suffix; ids.stateLocked(c) == nameFree {
			return c
		}
	}
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
	got, code := a.ids.claimKeyless(asked)
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
