package cli

import (
	"context"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
)

// reportCommand is `revue report`: a session's figures, from its trace.
var reportCommand = command{name: "report", args: "NAME [--pseudonymize]",
	summary: [2]string{"les chiffres d'une session : avancement, accord, acceptation de l'IA, temps, calcul",
		"figures of a session: progress, agreement, AI acceptance, time, compute"},
	example: "revue report atelier\nrevue report atelier --pseudonymize",
	flags:   reportFlags}

func reportFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	pseudo := fs.Bool("pseudonymize", false, a.t("nommer les personnes P1, P2… comme les exports pseudonymisés", "name people P1, P2, ... as the pseudonymised exports do"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		return a.withSession(name, func(s *sessionStore) error {
			events, err := s.events(ctx)
			if err != nil {
				return err
			}
			f, err := review.ReportTraceWith(events, review.ReportOptions{Pseudonymize: *pseudo})
			if err != nil {
				return err
			}
			return review.WriteReport(a.stdout, f, a.lang)
		})
	}
}
