package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	flag "github.com/spf13/pflag"
	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/store"
)

// verifyCommand is `revue verify`: the trace's hash chain, the file's
// integrity and its summaries, the last signed head, and, against a
// receipt or an earlier export, what was rewritten since.
var verifyCommand = command{name: "verify", args: "NAME [--receipt RECEIPT | --against OLD-EXPORT]",
	summary: [2]string{"vérifier la chaîne d'empreintes de la trace et l'intégrité du fichier ; avec un reçu ou un ancien export, dire ce qui a été réécrit",
		"check the trace's hash chain and the file's integrity; with a receipt or an earlier export, say what was rewritten"},
	example: "revue verify atelier\nrevue verify atelier --receipt 3F9A-1C2B-77D0-E4A1/428\nrevue verify atelier --against atelier-lundi.json",
	flags:   verifyFlags}

func verifyFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	receipt := fs.String("receipt", "", a.t("un reçu : le code d'un écran (3F9A-1C2B-77D0-E4A1/428) ou un fichier de reçu (JSON)", "a receipt: a code from a screen (3F9A-1C2B-77D0-E4A1/428) or a receipt file (JSON)"))
	against := fs.String("against", "", a.t("un export JSON fait plus tôt de cette session", "a JSON export of this session made earlier"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		if *receipt != "" && *against != "" {
			return usageError{a.t("--receipt ou --against, pas les deux", "--receipt or --against, not both")}
		}
		var anchor *store.Anchor
		switch {
		case *receipt != "":
			if anchor, err = a.readReceipt(name, *receipt); err != nil {
				return err
			}
		case *against != "":
			if anchor, err = a.readExport(*against); err != nil {
				return err
			}
		}
		return a.withSession(name, func(s *sessionStore) error {
			var findings []store.Finding
			if anchor != nil {
				// A renamed session is found under its new name: check the
				// anchor before refusing an unknown name.
				trusted := a.trustedKey()
				if findings, err = s.Check(ctx, name, *anchor, trusted); err != nil {
					if errors.Is(err, store.ErrNoSession) {
						_, err = s.events(ctx)
					}
					return err
				}
				if len(findings) > 0 && findings[0].Kind == store.FindRenamed && findings[0].ID != name {
					for _, f := range findings {
						fmt.Fprintln(a.stderr, sanitize.Line(a.findingText(f)))
					}
					return errSilent
				}
			}
			rep, err := s.Verify(ctx, name)
			if errors.Is(err, store.ErrNoSession) {
				_, err = s.events(ctx)
			}
			if err != nil {
				return err
			}
			problems := a.verifyProblems(rep)
			for _, f := range findings {
				problems = append(problems, a.findingText(f))
			}
			if len(problems) == 0 {
				fmt.Fprintf(a.stdout, a.t("Session %s : %s, chaîne et fichier intègres. Empreinte de tête : %s (événement %d).\n",
					"Session %s: %s, chain and file intact. Head hash: %s (event %d).\n"), name, a.eventCount(rep.Events), rep.Head, rep.HeadSeq)
				if anchor != nil {
					fmt.Fprintln(a.stdout, a.t("Le fichier contient ce que le reçu atteste, et tout ce qui a suivi a été signé.",
						"The file holds what the receipt attests, and everything after it was signed."))
				}
			}
			fmt.Fprintf(a.stdout, a.t("Reçu de la tête actuelle : %s, %s.\n", "Receipt of the current head: %s, %s.\n"),
				review.ReceiptCode(name, rep.HeadSeq, rep.Head), a.eventCount(rep.Events))
			if c := rep.Signed; c != nil {
				fmt.Fprintf(a.stdout, a.t("Dernière tête signée : événement %d (%s, %s), reçu %s, clé %s.\n", "Last signed head: event %d (%s, %s), receipt %s, key %s.\n"),
					c.Seq, a.reasonText(c.Reason), c.At.Local().Format("2006-01-02 15:04:05"), c.Code(), c.KeyFingerprint)
				if c.Seq < rep.HeadSeq {
					fmt.Fprintf(a.stdout, a.t("  %s après elle (à l'arrêt du serveur ou au prochain export).\n",
						"  %s after it (at the server's stop or the next export).\n"),
						review.FormatCount(a.lang, rep.HeadSeq-c.Seq, "événement pas encore signé", "événements pas encore signés", "event not signed yet", "events not signed yet"))
				}
			} else {
				fmt.Fprintln(a.stdout, a.t("Aucune tête signée : ni arrêt de serveur ni export n'en a encore enregistré.", "No signed head: no server stop nor export has recorded one yet."))
			}
			if len(problems) == 0 {
				return nil
			}
			for _, line := range problems {
				fmt.Fprintln(a.stderr, sanitize.Line(line))
			}
			return errSilent
		})
	}
}

// hostKeyPath is the data directory's SSH host key, which also signs the
// heads of the sessions.
func (a *app) hostKeyPath() string { return filepath.Join(a.data, "ssh_host_ed25519") }

// trustedKey is the public key of the data directory's host key, or nil
// when there is none yet (any valid signature is then accepted, and the
// key's fingerprint shown for the reader to compare).
func (a *app) trustedKey() gossh.PublicKey {
	b, err := os.ReadFile(a.hostKeyPath() + ".pub")
	if err != nil {
		return nil
	}
	k, _, _, _, err := gossh.ParseAuthorizedKey(b)
	if err != nil {
		return nil
	}
	return k
}

// signHead signs and records a session's head; a key that cannot be read
// or made is said, and the command goes on without a signature.
func (a *app) signHead(ctx context.Context, st *store.Store, name, reason string) *review.Checkpoint {
	signer, err := store.LoadSigner(a.hostKeyPath())
	if err == nil {
		var c review.Checkpoint
		if c, err = st.SignHead(ctx, name, reason, signer, time.Now()); err == nil {
			return &c
		}
	}
	fmt.Fprintln(a.stderr, sanitize.Line(fmt.Sprintf(a.t("La tête de la session %s n'a pas pu être signée (%s) : la suite continue sans reçu.",
		"The head of session %s could not be signed (%s): going on without a receipt."), name, a.localize(err))))
	return nil
}

// signMoved signs the head of every session that moved since its last
// signed head: what a server's stop records.
func (a *app) signMoved(ctx context.Context, st *store.Store, reason string) {
	names, err := st.Sessions(ctx)
	if err != nil {
		return
	}
	for _, name := range names {
		seq, _, err := st.Head(ctx, name)
		if err != nil {
			continue
		}
		heads, err := st.SignedHeads(ctx, name)
		if err != nil || len(heads) > 0 && heads[len(heads)-1].Seq == seq {
			continue
		}
		if c := a.signHead(ctx, st, name, reason); c != nil {
			fmt.Fprintf(a.stderr, a.t("Session %s : reçu %s, %s (tête signée).\n", "Session %s: receipt %s, %s (head signed).\n"),
				sanitize.Line(name), c.Code(), a.eventCount(c.Events))
		}
	}
}

// verifyBefore checks a session's trace before export or report reads it.
// A broken one is refused, saying what failed, unless unverified (the
// forensic case), when the problems are said and the command goes on.
func (a *app) verifyBefore(ctx context.Context, s *sessionStore, name, verb string, unverified bool) error {
	rep, err := s.VerifyTrace(ctx, name)
	if errors.Is(err, store.ErrNoSession) {
		_, err = s.events(ctx)
	}
	if err != nil {
		return err
	}
	if rep.OK() {
		return nil
	}
	for _, line := range a.verifyProblems(rep) {
		fmt.Fprintln(a.stderr, sanitize.Line(line))
	}
	if unverified {
		fmt.Fprintf(a.stderr, a.t("--unverified : %s de la session %s malgré ces problèmes, sans reçu.\n", "--unverified: %s of session %s despite these problems, without a receipt.\n"), verb, name)
		return nil
	}
	return fmt.Errorf(a.t("%s refusé : la trace de la session %s ne se vérifie pas (ci-dessus) ; --unverified le fait quand même, pour une expertise",
		"%s refused: the trace of session %s does not verify (above); --unverified does it anyway, for forensics"), verb, name)
}

// readReceipt reads --receipt: a receipt file (a signed head as JSON, or an
// export holding one), or a code copied from a screen.
func (a *app) readReceipt(name, r string) (*store.Anchor, error) {
	if _, err := os.Stat(r); err == nil {
		return a.readExport(r)
	}
	code, count, err := review.ParseReceiptCode(r)
	if err != nil {
		return nil, usagef("--receipt %q : %s", r, a.t("ni un fichier ni un code de reçu comme 3F9A-1C2B-77D0-E4A1/428", "neither a file nor a receipt code like 3F9A-1C2B-77D0-E4A1/428"))
	}
	return &store.Anchor{Session: name, Code: code, Seq: count}, nil
}

// readExport reads an earlier JSON export, or a signed head alone, as an
// anchor.
func (a *app) readExport(path string) (*store.Anchor, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Format  string `json:"format"`
		Session struct {
			Name string `json:"name"`
		} `json:"session"`
		HeadHash   string             `json:"head_hash"`
		Checkpoint *review.Checkpoint `json:"checkpoint"`
		Trace      []struct {
			Seq  int64  `json:"seq"`
			ID   string `json:"id"`
			Hash string `json:"hash"`
		} `json:"trace"`
		// A signed head alone.
		Head   string `json:"head"`
		HeadID string `json:"head_id"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf(a.t("%s : ni un export JSON de revue ni un reçu (%v)", "%s: neither a revue JSON export nor a receipt (%v)"), path, err)
	}
	if doc.Format == "" && doc.Head != "" {
		var c review.Checkpoint
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &store.Anchor{Session: c.Session, Seq: c.Seq, Head: c.Head, HeadID: c.HeadID, Signed: &c}, nil
	}
	if doc.Format == "" {
		return nil, fmt.Errorf(a.t("%s : ni un export JSON de revue ni un reçu", "%s: neither a revue JSON export nor a receipt"), path)
	}
	an := &store.Anchor{Session: doc.Session.Name, Head: doc.HeadHash}
	for _, e := range doc.Trace {
		if e.Hash == "" {
			continue // rewritten by the export (pseudonyms, withdrawal)
		}
		an.Trace = append(an.Trace, store.AnchorEvent{Seq: e.Seq, ID: e.ID, Hash: e.Hash})
		if e.Hash == doc.HeadHash {
			an.Seq, an.HeadID = e.Seq, e.ID
		}
	}
	if c := doc.Checkpoint; c != nil {
		an.Signed, an.Seq, an.Head, an.HeadID = c, c.Seq, c.Head, c.HeadID
	}
	return an, nil
}

func (a *app) reasonText(r string) string {
	switch r {
	case "stop":
		return a.t("arrêt du serveur", "server stop")
	case "export":
		return "export"
	case "forget":
		return a.t("retrait", "withdrawal")
	}
	return r
}

// findingText says a finding of Check in the user's language.
func (a *app) findingText(f store.Finding) string {
	switch f.Kind {
	case store.FindTruncated:
		return fmt.Sprintf(a.t("Tronquée : le reçu atteste l'événement %d, mais la trace s'arrête à l'événement %d : %s.",
			"Truncated: the receipt attests event %d, but the trace ends at event %d: %s."), f.Seq, f.Other,
			review.FormatCount(a.lang, f.Seq-f.Other, "événement de la fin a été supprimé", "événements de la fin ont été supprimés", "event at its end was deleted", "events at its end were deleted"))
	case store.FindRecomputed:
		return fmt.Sprintf(a.t("Chaîne recalculée : l'événement %d n'est plus celui du reçu, bien que la chaîne tienne : un événement jusqu'au %d a été modifié et les empreintes suivantes recalculées.",
			"Recomputed chain: event %d is no longer the one of the receipt, though the chain holds: an event up to %d was changed and the links after it computed again."), f.Seq, f.Seq)
	case store.FindRenumbered:
		return fmt.Sprintf(a.t("Renumérotée : l'événement %s, numéro %d dans le reçu, porte maintenant le numéro %d : des événements avant lui ont été supprimés et la suite renumérotée.",
			"Renumbered: event %s, number %d in the receipt, is now number %d: events before it were deleted and the rest renumbered."), f.ID, f.Seq, f.Other)
	case store.FindDeleted:
		return fmt.Sprintf(a.t("Supprimé : l'événement %s (numéro %d) n'est plus dans la trace (%s).",
			"Deleted: event %s (number %d) is no longer in the trace (%s)."), f.ID, f.Seq,
			review.FormatCount(a.lang, f.N, "événement attesté manque", "événements attestés manquent", "attested event is missing", "attested events are missing"))
	case store.FindUnsigned:
		first := f.Detail
		if f.Event != "" {
			first = fmt.Sprintf(a.t("%s de « %s » (%s)", "%s by \"%s\" (%s)"), f.Event, f.Actor, a.roleWord(f.Role))
		}
		return fmt.Sprintf(a.t("Ajout non signé : %s, du %d au %d, après la dernière tête signée ou attestée ; le premier est %s. Si aucune commande revue n'a tourné depuis, cet ajout s'est fait dans son dos.",
			"Unsigned addition: %s, from %d to %d, after the last signed or attested head; the first is %s. If no revue command ran since, the addition was made behind its back."),
			review.FormatCount(a.lang, f.N, "événement", "événements", "event", "events"), f.Seq, f.Other, first)
	case store.FindRenamed:
		return fmt.Sprintf(a.t("Renommée : la session attestée sous le nom %s s'appelle maintenant %s.", "Renamed: the session attested as %s is now called %s."), f.Detail, f.ID)
	case store.FindSignature:
		return a.t("Signature invalide : ", "Bad signature: ") + f.Detail
	}
	return f.String()
}

// verifyProblems says each problem Verify found, and what to do.
func (a *app) verifyProblems(rep store.VerifyReport) []string {
	var out []string
	if len(rep.Integrity) > 0 {
		out = append(out, fmt.Sprintf(a.t("Le fichier est endommagé (%s) : mettez-le de côté avec ses fichiers -wal et -shm et remettez votre dernière sauvegarde.",
			"The file is damaged (%s): move it aside with its -wal and -shm files and put your last backup in its place."), strings.Join(rep.Integrity, "; ")))
	}
	if len(rep.Triggers) > 0 {
		out = append(out, fmt.Sprintf(a.t("Les protections d'ajout seul (%s) ont été retirées du fichier : un autre programme a pu le modifier.",
			"The append-only protections (%s) were removed from the file: another program may have changed it."), strings.Join(rep.Triggers, ", ")))
	}
	if len(rep.Summary) > 0 {
		out = append(out, fmt.Sprintf(a.t("Les compteurs de la session ne correspondent plus à sa trace (%s) : des événements ont été ajoutés ou supprimés hors de revue.",
			"The session's counts no longer match its trace (%s): events were added or deleted outside revue."), strings.Join(rep.Summary, "; ")))
	}
	if b := rep.Break; b != nil {
		switch b.Kind {
		case store.BreakMissing:
			out = append(out, fmt.Sprintf(a.t("%s avant l'événement %d (id %s) : la trace a été amputée. Remettez la dernière sauvegarde ; les événements avant sont sûrs.",
				"%s before event %d (id %s): the trace was cut. Restore your last backup; the events before are sound."),
				review.FormatCount(a.lang, b.Missing, "événement manque", "événements manquent", "event is missing", "events are missing"), b.Seq, b.ID))
		case store.BreakNoHash:
			out = append(out, fmt.Sprintf(a.t("L'événement %d (id %s) n'a pas d'empreinte : il a été écrit hors de revue.",
				"Event %d (id %s) has no hash: it was written outside revue."), b.Seq, b.ID))
		default:
			out = append(out, fmt.Sprintf(a.t("L'événement %d (id %s) ne correspond pas à son empreinte : lui ou le précédent a été modifié hors de revue. Remettez la dernière sauvegarde ; les événements avant %d sont sûrs.",
				"Event %d (id %s) does not match its hash: it or the one before it was changed outside revue. Restore your last backup; the events before %d are sound."), b.Seq, b.ID, b.Seq))
		}
	}
	return out
}

// roleWord is a role of the trace in the reader's language.
func (a *app) roleWord(role string) string {
	switch review.Role(role) {
	case review.Facilitator:
		return a.t("animation", "facilitator")
	case review.Participant:
		return a.t("participant·e", "participant")
	case review.Spectator:
		return a.t("spectateur·rice", "spectator")
	case review.System:
		return a.t("système", "system")
	}
	return role
}
