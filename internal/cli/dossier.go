package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/dossier"
	"github.com/coopdescommuns/revue/review"
)

var dossierCommand = command{name: "dossier", args: "NAME [-o FILE] [--format html|md|odt] [--include rejected] [--names] [--unverified]",
	summary: [2]string{"le dossier de la séance, à lire, imprimer ou publier : par critère, les énoncés retenus avec leurs citations et leurs sources",
		"the session's dossier, to read, print or publish: per criterion, the kept statements with their quotes and sources"},
	long: [2]string{"Un fichier HTML autonome (imprimable en A4), du Markdown pour un wiki ou un pad, ou un document ODT à retoucher dans LibreOffice. Personne n'y est nommé, sauf avec --names, et alors seulement les personnes qui ont consenti ; les personnes retirées n'y figurent jamais.",
		"A self-contained HTML file (printable on A4), Markdown for a wiki or a pad, or an ODT document to edit in LibreOffice. Nobody is named, except with --names, and then only the people who consented; people who withdrew never appear."},
	example: "revue dossier atelier -o atelier.html\nrevue dossier atelier --format odt -o atelier.odt\nrevue --lang en dossier atelier --format md -o atelier.md",
	flags:   dossierFlags}

func dossierFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	format := fs.String("format", "html", a.t("html, md ou odt (sinon d'après l'extension de -o)", "html, md or odt (else from -o's extension)"))
	include := fs.String("include", "", a.t("montrer aussi les liens rejetés, à part", "also show the rejected links, apart"))
	names := fs.Bool("names", false, a.t("nommer les personnes qui y ont consenti", "name the people who consented to it"))
	out := fs.StringP("output", "o", "", a.t("écrire dans FICHIER plutôt que sur la sortie standard", "write to FILE instead of the standard output"))
	unverified := fs.Bool("unverified", false, a.t("écrire même d'après une trace qui ne se vérifie pas (expertise), sans reçu", "write even from a trace that does not verify (forensics), without a receipt"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		f := *format
		if !fs.Changed("format") && *out != "" {
			switch ext := strings.ToLower(filepath.Ext(*out)); ext {
			case ".md", ".markdown":
				f = "md"
			case ".odt":
				f = "odt"
			}
		}
		if !slices.Contains(dossier.Formats, f) {
			return usagef("--format %q: %s %s", f, a.t("choisissez parmi", "use one of"), strings.Join(dossier.Formats, ", "))
		}
		if *include != "" && *include != "rejected" {
			return usagef("--include %q: %s", *include, a.t("seul « rejected » est possible", "only \"rejected\" is possible"))
		}
		if f == "odt" && *out == "" {
			return usageError{a.t("un ODT est un fichier binaire : donnez -o FICHIER.odt", "an ODT is a binary file: give -o FILE.odt")}
		}
		return a.withSession(name, func(s *sessionStore) error {
			// As an export: a broken trace is refused, and the head the
			// dossier shows is signed, so that its annex is a receipt.
			if err := a.verifyBefore(ctx, s, name, a.t("Dossier", "Dossier"), *unverified); err != nil {
				return err
			}
			var c *review.Checkpoint
			if !*unverified {
				c = a.signHead(ctx, s.Store, name, "export")
			}
			// The dossier quotes the links, with their page or section,
			// and never a passage's whole text: the trace is read without
			// it (18,000 pads of realistic size are 140 MB of it).
			events, err := s.leanEvents(ctx)
			if err != nil {
				return err
			}
			d, err := dossier.Build(events, dossier.Options{Lang: a.lang, IncludeRejected: *include == "rejected", Names: *names, Checkpoint: c})
			if err != nil {
				return fmt.Errorf(a.t("session %q : %w", "session %q: %w"), name, err)
			}
			if *names && len(d.People.Named) == 0 {
				fmt.Fprintln(a.stderr, a.t("Personne n'a consenti à être nommé : le dossier ne nomme personne.",
					"Nobody consented to be named: the dossier names nobody."))
			}
			if *out == "" {
				err = d.Write(a.stdout, f)
			} else if err = a.writeAtomically(*out, func(w io.Writer) error { return d.Write(w, f) }); err == nil {
				fmt.Fprintf(a.stdout, a.t("Dossier écrit dans %s : %s, %s.\n", "Dossier written to %s: %s, %s.\n"),
					*out, a.count(d.Kept, "lien retenu", "liens retenus", "link kept", "links kept"), a.count(len(d.Chapters), "critère", "critères", "criterion", "criteria"))
			}
			if err == nil && c != nil {
				fmt.Fprintf(a.stderr, a.t("Reçu de séance : %s, %s (tête signée, clé %s).\n", "Session receipt: %s, %s (head signed, key %s).\n"),
					c.Code(), a.eventCount(c.Events), c.KeyFingerprint)
			}
			return err
		})
	}
}
