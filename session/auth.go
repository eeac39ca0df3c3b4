package session

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/log/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// maxPasscodeTries is how many passcodes one connection may try. OpenSSH
// asks three times by default, so a person who mistypes twice still gets in,
// while a script has to open a new connection (and meet the connection cap
// and the handshake timeout) every three guesses.
const maxPasscodeTries = 3

// keySet is a set of public keys read from an authorized_keys file, indexed
// by their SHA-256 fingerprint.
type keySet map[string]bool

// has reports whether key is in the set. A nil key is never in it.
func (k keySet) has(key ssh.PublicKey) bool {
	return key != nil && k[gossh.FingerprintSHA256(key)]
}

// readKeySet reads an authorized_keys file. Options before a key (such as
// from="...") are accepted but not enforced: Revue gives no shell, so there
// is nothing for command= or no-pty to restrict.
func readKeySet(path string) (keySet, error) {
	set, _, err := readKeys(path)
	return set, err
}

// readKeys is readKeySet that also returns the keys' comments (usually
// "name@host"), whose names the server reserves to facilitators.
func readKeys(path string) (keySet, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read key list %s: %w; give a file in authorized_keys format (one \"ssh-ed25519 AAAA... name\" a line)", path, err)
	}
	set := keySet{}
	var comments []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: line %d: not a public key (%v); copy the line from the person's ~/.ssh/id_ed25519.pub", path, n, err)
		}
		set[gossh.FingerprintSHA256(key)] = true
		if comment != "" {
			who, _, _ := strings.Cut(comment, "@")
			comments = append(comments, comment, who)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("read key list %s: %w", path, err)
	}
	return set, comments, nil
}

// access decides who may log in. It follows the rule of CVE-2024-45337: the
// public key callback of x/crypto/ssh is also called for keys a client only
// offers and cannot sign with, so publicKey answers "may this key try?" and
// remembers nothing, and passcodeConfig hands a key on only through the
// step x/crypto/ssh runs after verifying its signature. Who someone is, and
// their role, is decided after login from the key that really authenticated
// (Session.PublicKey), in identify.
type access struct {
	passcode     []byte // SHA-256 of the passcode, or nil
	authorized   keySet // nil: any key may try
	facilitators keySet
	guard        *guard // slows and refuses wrong passcodes
	ids          *identities
	log          *log.Logger
}

// publicKey answers whether key may attempt public key authentication,
// when there is no passcode:
//
//   - open (no list): any key; the fingerprint is then part of the
//     person's identity.
//   - with a list (--authorized-keys): the listed keys and the
//     facilitators'.
func (a *access) publicKey(_ ssh.Context, key ssh.PublicKey) bool {
	if a.authorized == nil {
		return true
	}
	return a.authorized.has(key) || a.facilitators.has(key)
}

// keyboardInteractive lets people without a key in, in open mode, with no
// question but their personal code when their name is taken (see
// keylessIdentity).
func (a *access) keyboardInteractive(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	return a.keylessIdentity(ctx, ctx.User(), ctx.RemoteAddr(), plainChallenge(challenge))
}

// permissionsPublicKey is the permissions extension through which
// charm.land/ssh carries the key that authenticated a connection to
// Session.PublicKey. passcodeConfig sets it itself, since it does without
// the package's own key callback; TestPasscode fails if the name changes.
const permissionsPublicKey = "gliderlabs/ssh.PublicKey"

// passcodeConfig is the authentication of a server with a passcode: the
// passcode is always required. A person without a key types it
// (keyboard-interactive). A person with a key first proves they own it,
// which x/crypto/ssh answers with "partial success", then types the
// passcode; only then is the key theirs in the session, so that a
// facilitator keeps their role. The "next step" callback is made for each
// key, and x/crypto/ssh installs it only once that key's signature is
// verified: a key that was only offered never reaches the session. With an
// --authorized-keys list as well, only the listed keys (and the
// facilitators') may take the first step, and a person without a key
// cannot log in.
func (a *access) passcodeConfig(ctx ssh.Context) *gossh.ServerConfig {
	denied := errors.New("permission denied")
	cfg := &gossh.ServerConfig{}
	cfg.PublicKeyCallback = func(_ gossh.ConnMetadata, key gossh.PublicKey) (*gossh.Permissions, error) {
		if a.authorized != nil && !a.authorized.has(key) && !a.facilitators.has(key) {
			return nil, denied
		}
		ext := base64.StdEncoding.EncodeToString(key.Marshal())
		return nil, &gossh.PartialSuccessError{Next: gossh.ServerAuthCallbacks{
			KeyboardInteractiveCallback: func(conn gossh.ConnMetadata, challenge gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
				if !a.askPasscode(ctx, conn, plainChallenge(challenge)) {
					return nil, denied
				}
				return &gossh.Permissions{Extensions: map[string]string{permissionsPublicKey: ext}}, nil
			},
		}}
	}
	if a.authorized == nil {
		cfg.KeyboardInteractiveCallback = func(conn gossh.ConnMetadata, challenge gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
			challenge = plainChallenge(challenge)
			if !a.askPasscode(ctx, conn, challenge) || !a.keylessIdentity(ctx, conn.User(), conn.RemoteAddr(), challenge) {
				return nil, denied
			}
			return &gossh.Permissions{}, nil
		}
	}
	return cfg
}

// askPasscode asks for the passcode, at most maxPasscodeTries times per
// connection, whatever the number of keyboard-interactive rounds the client
// starts. Before each question the guard may make the connection wait
// (after repeated failures of this user name from this address, or of this
// address), or refuse it: the person is then told why and for how long, in
// both languages since the language of the session is not known yet, and
// is not asked. Each wrong passcode is logged with the address and the
// user name.
func (a *access) askPasscode(ctx ssh.Context, conn gossh.ConnMetadata, challenge gossh.KeyboardInteractiveChallenge) bool {
	ip, user := hostOf(conn.RemoteAddr()), conn.User()
	name := sanitize.Line(user) // the log may be read in a terminal
	for {
		ctx.Lock()
		tries, _ := ctx.Value(passcodeTriesKey{}).(int)
		if tries >= maxPasscodeTries {
			ctx.Unlock()
			return false
		}
		ctx.SetValue(passcodeTriesKey{}, tries+1)
		ctx.Unlock()
		v := a.guard.check(ip, user)
		if v.refused {
			mins := int(v.until.Sub(a.guard.now()).Minutes()) + 1
			text := fmt.Sprintf("Trop de codes faux depuis votre adresse : réessayez dans %d min. / Too many wrong passcodes from your address: try again in %d min.\n", mins, mins)
			switch {
			case v.busy:
				a.log.Warn("authentication refused: too many wrong passcodes on the whole server", "remote", ip, "user", name, "method", "passcode")
				text = "Le serveur reçoit trop de codes faux en ce moment : réessayez dans une minute. / The server is receiving too many wrong passcodes right now: try again in a minute.\n"
			case v.first:
				a.log.Warn("authentication refused: too many wrong passcodes", "remote", ip, "user", name, "method", "passcode", "until", v.until.Format(time.RFC3339))
			}
			_, _ = challenge("Revue", text, nil, nil)
			return false
		}
		if v.wait > 0 && !a.guard.sleep(ctx, v.wait) {
			return false
		}
		// After a wrong passcode the same question comes again: the
		// person reads why, or would think it a glitch and type the same.
		instruction := ""
		if tries > 0 {
			instruction = "Code d'accès faux : réessayez. / Wrong passcode: try again.\n"
		}
		answers, err := challenge("Revue", instruction, []string{"Passcode (code d'accès): "}, []bool{false})
		if err != nil || len(answers) != 1 {
			return false
		}
		got := sha256.Sum256([]byte(answers[0]))
		// Both sides are hashed first, so that the comparison takes the same
		// time whatever the length of the guess.
		if subtle.ConstantTimeCompare(got[:], a.passcode) == 1 {
			a.guard.succeed(ip, user)
			return true
		}
		a.guard.fail(ip, user)
		a.log.Warn("authentication failed: wrong passcode", "remote", ip, "user", name, "method", "passcode", "try", tries+1)
	}
}

// passcodeTriesKey counts passcode attempts in a connection's context.
type passcodeTriesKey struct{}

// maxNameRunes bounds the user name shown on everybody's screen.
const maxNameRunes = 32

// identify resolves who a session's person is, after authentication: the
// name they got (see identities: a keyless person's was decided at login,
// a key holder's is decided here, by the key), the fingerprint of the key
// that really authenticated the connection (nil for a passcode or open
// login, whatever keys were offered before), and their role. Asking to
// watch always wins, so that a facilitator can put a read-only screen on
// the projector. The identity says what to tell the person: a new personal
// code, or the name they asked for when they got another.
func (a *access) identify(ctx ssh.Context, user string, key ssh.PublicKey, watch bool) (review.Actor, identity) {
	act := review.Actor{Name: cleanName(user), Role: review.Participant}
	id, _ := ctx.Value(identityKey{}).(identity)
	switch {
	case key != nil:
		act.Fingerprint = gossh.FingerprintSHA256(key)
		id = identity{name: a.ids.claimKey(ctx, act.Name, act.Fingerprint, a.facilitators.has(key))}
		if id.name != act.Name {
			id.asked = act.Name
		}
	case id.name == "":
		// Keyless without keyboard-interactive: cannot happen with the
		// methods the server offers; the name is still made the person's.
		id.name, id.code = a.ids.claimKeyless(ctx, act.Name)
	}
	act.Name = id.name
	switch {
	case watch:
		act.Role = review.Spectator
	case a.facilitators.has(key):
		act.Role = review.Facilitator
	}
	return act, id
}

// cleanName makes a user name safe to print on everybody's terminal and
// short enough for a status line.
func cleanName(user string) string {
	name := strings.TrimSpace(sanitize.Line(user))
	if utf8.RuneCountInString(name) > maxNameRunes {
		name = string([]rune(name)[:maxNameRunes])
	}
	if name == "" {
		name = "anonymous"
	}
	return name
}
