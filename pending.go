package main

// This file holds the commands and flags of PRODUCT.md whose backing
// functions other parts of Revue are still building. Each is registered with
// its full help, checks its arguments, and says plainly that it is not
// available yet; the wiring replaces the notYet calls.

import (
	"context"
	"fmt"
	"os"
	"slices"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
)

// notYet is the error of a feature that is announced and not built yet.
func (a *app) notYet(what string) error {
	return fmt.Errorf(a.t("%s : pas encore disponible dans cette version de revue", "%s: not available yet in this version of revue"), what)
}

// plannedFormats are the export formats of PRODUCT.md that review.Export
// does not write yet.
var plannedFormats = []string{"votes", "qdpx"}

// exportFormats lists every format export accepts or announces.
func exportFormats() []string {
	out := slices.Clone(review.Formats)
	for _, f := range plannedFormats {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

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
		if _, _, err := a.load(ctx, st, name); err != nil {
			return err
		}
		return a.notYet("revue forget")
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
		if _, _, err := a.load(ctx, st, name); err != nil {
			return err
		}
		return a.notYet("revue verify")
	}
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
