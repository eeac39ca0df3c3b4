package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
)

// exportCommand is `revue export`: a session in one of review.Formats,
// written whole or not at all.
var exportCommand = command{name: "export", args: "NAME [--format json|jsonl|csv|votes|annotations|qdpx] [--excel] [--pseudonymize] [-o FILE] [--unverified]",
	summary: [2]string{"exporter une session (JSON revue.export/v3, trace JSONL, CSV, votes, annotations W3C, projet REFI-QDA)",
		"export a session (JSON revue.export/v3, JSONL trace, CSV, votes, W3C annotations, REFI-QDA project)"},
	example: "revue export atelier --pseudonymize -o atelier.json\nrevue export atelier --format csv --excel -o atelier.csv",
	flags:   exportFlags}

func exportFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	format := fs.String("format", "json", a.t("json, jsonl, csv, votes, annotations ou qdpx", "json, jsonl, csv, votes, annotations or qdpx"))
	pseudo := fs.Bool("pseudonymize", false, a.t("remplacer les noms et empreintes de clés des personnes par P1, P2…", "replace people's names and key fingerprints by P1, P2, ..."))
	out := fs.StringP("output", "o", "", a.t("écrire dans FICHIER plutôt que sur la sortie standard", "write to FILE instead of the standard output"))
	excel := fs.Bool("excel", false, a.t("avec --format csv ou votes : UTF-8 avec BOM et « ; » entre les colonnes, ce qu'Excel en français ouvre tel quel", "with --format csv or votes: UTF-8 with a BOM and \";\" between columns, what Excel in a French locale opens as it is"))
	unverified := fs.Bool("unverified", false, a.t("exporter même une trace qui ne se vérifie pas (expertise), sans reçu", "export even a trace that does not verify (forensics), without a receipt"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		if !slices.Contains(review.Formats, *format) {
			return usagef("--format %q: %s %s", *format, a.t("choisissez parmi", "use one of"), strings.Join(review.Formats, ", "))
		}
		if *excel && *format != "csv" && *format != "votes" {
			return usagef("--excel: %s", a.t("seulement avec --format csv ou --format votes", "only with --format csv or --format votes"))
		}
		return a.withSession(name, func(s *sessionStore) error {
			if err := a.verifyBefore(ctx, s, name, a.t("Export", "Export"), *unverified); err != nil {
				return err
			}
			// Every export records a signed head, and the JSON carries it:
			// whoever keeps the file holds a receipt.
			var c *review.Checkpoint
			if !*unverified {
				c = a.signHead(ctx, s.Store, name, "export")
			}
			// The trace is read event by event, each document's passages
			// without their text, which the export reads from the store
			// as it writes it: 18,000 pads of realistic size are 140 MB
			// of text never held at once (BENCHMARKS.md).
			src := s.Texts(name, nil)
			opts := review.ExportOptions{Pseudonymize: *pseudo, Checkpoint: c, Stored: src}
			events, err := s.leanEvents(ctx)
			if err != nil {
				return err
			}
			export := func(w io.Writer) error { return review.ExportWith(w, events, *format, opts) }
			if *excel {
				plain := export
				export = func(w io.Writer) error { return excelCSV(w, plain) }
			}
			if *out == "" {
				err = export(a.stdout)
			} else {
				err = a.writeAtomically(*out, export)
			}
			if err == nil && c != nil {
				fmt.Fprintf(a.stderr, a.t("Reçu de séance : %s, %s (tête signée, clé %s).\n", "Session receipt: %s, %s (head signed, key %s).\n"),
					c.Code(), a.eventCount(c.Events), c.KeyFingerprint)
			}
			return err
		})
	}
}

// writeAtomically writes a file through a temporary one, so that an
// interrupted export never leaves half a file where a whole one was. The
// file is readable by its owner only (0600), whatever the umask: an
// export holds a study's data, and the data directory is 0700 already.
// A folder that is missing or closed is named, in the user's language,
// rather than the temporary file's name in Go's "open" error.
func (a *app) writeAtomically(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		dir := filepath.Dir(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf(a.t("%s : le dossier %s n'existe pas ; créez-le, ou choisissez un autre -o", "%s: the folder %s does not exist; create it, or choose another -o"), path, dir)
		case errors.Is(err, fs.ErrPermission):
			return fmt.Errorf(a.t("%s : pas le droit d'écrire dans le dossier %s ; choisissez un autre -o", "%s: no permission to write in the folder %s; choose another -o"), path, dir)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Chmod(f.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
