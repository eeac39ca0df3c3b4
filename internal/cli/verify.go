package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/store"
)

// verifyCommand is `revue verify`: the trace's hash chain and the file's
// integrity, and the first bad event named.
var verifyCommand = command{name: "verify", args: "NAME",
	summary: [2]string{"vérifier la chaîne d'empreintes de la trace et l'intégrité du fichier ; nommer le premier événement abîmé",
		"check the trace's hash chain and the file's integrity; name the first bad event"},
	example: "revue verify atelier",
	flags:   verifyFlags}

func verifyFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		return a.withSession(name, func(s *sessionStore) error {
			rep, err := s.Verify(ctx, name)
			if errors.Is(err, store.ErrNoSession) {
				_, err = s.events(ctx)
			}
			if err != nil {
				return err
			}
			if rep.OK() {
				fmt.Fprintf(a.stdout, a.t("Session %s : %d événements, chaîne et fichier intègres. Empreinte de tête : %s (événement %d).\n",
					"Session %s: %d events, chain and file intact. Head hash: %s (event %d).\n"), name, rep.Events, rep.Head, rep.HeadSeq)
				return nil
			}
			for _, line := range a.verifyProblems(rep) {
				fmt.Fprintln(a.stderr, sanitize.Line(line))
			}
			return errSilent
		})
	}
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
	if b := rep.Break; b != nil {
		switch b.Kind {
		case store.BreakMissing:
			out = append(out, fmt.Sprintf(a.t("%d événement(s) manquent avant l'événement %d (id %s) : ils ont été supprimés. Remettez la dernière sauvegarde ; les événements avant sont sûrs.",
				"%d event(s) are missing before event %d (id %s): they were deleted. Restore your last backup; the events before are sound."), b.Missing, b.Seq, b.ID))
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
