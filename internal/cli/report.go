package cli

import (
	"context"
	"io"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/dossier"
	"github.com/coopdescommuns/revue/review"
)

// reportCommand is `revue report`: a session's figures, from its trace.
var reportCommand = command{name: "report", args: "NAME [--pseudonymize] [--html] [-o FILE] [--unverified]",
	summary: [2]string{"les chiffres d'une session : avancement, accord, acceptation de l'IA, temps, calcul",
		"figures of a session: progress, agreement, AI acceptance, time, compute"},
	example: "revue report atelier\nrevue report atelier --pseudonymize\nrevue report atelier --html -o atelier-chiffres.html",
	flags:   reportFlags}

func reportFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	page := fs.Bool("html", false, a.t("une page HTML autonome avec les figures dessinées (SVG, sans script)", "a self-contained HTML page with the figures drawn (SVG, no script)"))
	out := fs.StringP("output", "o", "", a.t("écrire dans FICHIER plutôt que sur la sortie standard", "write to FILE instead of the standard output"))
	pseudo := fs.Bool("pseudonymize", false, a.t("nommer les personnes P1, P2… comme les exports pseudonymisés", "name people P1, P2, ... as the pseudonymised exports do"))
	unverified := fs.Bool("unverified", false, a.t("calculer même sur une trace qui ne se vérifie pas (expertise)", "compute even on a trace that does not verify (forensics)"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		return a.withSession(name, func(s *sessionStore) error {
			if err := a.verifyBefore(ctx, s, name, a.t("Rapport", "Report"), *unverified); err != nil {
				return err
			}
			// The report counts links and votes and never shows a
			// passage's text: the trace is read without it.
			events, err := s.leanEvents(ctx)
			if err != nil {
				return err
			}
			f, err := review.ReportTraceWith(events, review.ReportOptions{Pseudonymize: *pseudo})
			if err != nil {
				return err
			}
			write := func(w io.Writer) error { return review.WriteReport(w, f, a.lang) }
			if *page {
				write = func(w io.Writer) error { return dossier.WriteReportHTML(w, f, a.lang) }
			}
			if *out == "" {
				return write(a.stdout)
			}
			return a.writeAtomically(*out, write)
		})
	}
}
