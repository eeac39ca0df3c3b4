package main

// This file holds the commands that keep a session honest after the
// workshop: forget (a person withdraws), verify (the trace's hash chain and
// the file), and init's example criteria.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/store"
)

func forgetFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	person := fs.String("person", "", a.t("la personne à retirer : son nom ou l'empreinte de sa clé", "the person to withdraw: their name or their key's fingerprint"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		if *person == "" {
			return usageError{a.t("--person QUI est obligatoire", "--person WHO is required")}
		}
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		_, state, err := a.load(ctx, st, name)
		if err != nil {
			return err
		}
		people := review.PeopleNamed(state, *person)
		fp := ""
		if len(people) == 0 {
			// WHO may be a key's fingerprint rather than a name.
			for _, e := range state.Events {
				if e.Actor.Role != review.System && e.Actor.Fingerprint != "" && e.Actor.Fingerprint == *person {
					people, fp = []review.Actor{e.Actor}, e.Actor.Fingerprint
					break
				}
			}
		}
		if len(people) == 0 {
			return fmt.Errorf(a.t("personne du nom ou de l'empreinte %q dans la session %s : vérifiez l'orthographe (revue export %s --format votes liste les personnes)",
				"nobody named %q, or with that fingerprint, in session %s: check the spelling (revue export %s --format votes lists the people)"), *person, name, name)
		}
		who := people[0].Name
		if _, err := st.Append(ctx, review.ForgetEvent(name, who, fp, time.Now())); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, a.t("%s est retiré·e de la session %s : aucun export fait désormais ne contiendra ses votes, commentaires ni textes. La trace garde l'événement du retrait.\n",
			"%s is withdrawn from session %s: no export made from now on holds their votes, comments or texts. The trace keeps the withdrawal's event.\n"), sanitize.Line(who), name)
		return nil
	}
}

func verifyFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		rep, err := st.Verify(ctx, name)
		if errors.Is(err, store.ErrNoSession) {
			_, err = a.events(ctx, st, name)
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

// writeExampleCriteria is `init --example-criteria [FILE|-]`: the FILE may
// follow the flag as its value (--example-criteria=FILE) or as the one
// argument. It never overwrites a file.
func (a *app) writeExampleCriteria(value string, args []string) error {
	path := value
	switch {
	case len(args) == 1 && value == "-":
		path = args[0]
	case len(args) > 0:
		return usageError{a.t("--example-criteria prend un seul FICHIER, ou « - » pour la sortie standard", "--example-criteria takes one FILE, or \"-\" for the standard output")}
	}
	text := sample.ExampleCriteria(a.lang)
	if path == "-" {
		_, err := a.stdout.Write(text)
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if os.IsExist(err) {
		return fmt.Errorf(a.t("%s existe déjà : choisissez un autre nom, rien n'a été écrit", "%s already exists: choose another name; nothing was written"), path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, a.t("Critères d'exemple écrits dans %s. Modifiez-les, puis : revue init NOM --criteria %s DOCUMENTS...\n",
		"Example criteria written to %s. Edit them, then: revue init NAME --criteria %s DOCUMENTS...\n"), path, path)
	return nil
}
