package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/store"
)

// sessionsCommand is `revue sessions`: every session with its counts, from
// the store's summaries (none is replayed).
var sessionsCommand = command{name: "sessions", args: "",
	summary: [2]string{"lister les sessions", "list sessions"},
	example: "revue --data ~/revue sessions",
	flags:   sessionsFlags}

func sessionsFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	return func(ctx context.Context, args []string) error {
		if len(args) != 0 {
			return usageError{a.t("sessions ne prend pas d'argument", "sessions takes no argument")}
		}
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		// The store's own counts, kept at each append: listing a hundred
		// large sessions replays none of them.
		sums, err := st.Summaries(ctx)
		if err != nil {
			return err
		}
		if len(sums) == 0 {
			fmt.Fprintln(a.stdout, a.t("Aucune session. Pour commencer : revue demo, ou revue init NOM --criteria FICHIER DOCUMENTS...",
				"No session. To start: revue demo, or revue init NAME --criteria FILE DOCUMENTS..."))
			return nil
		}
		w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, a.t("SESSION\tCRÉÉE\tDOCUMENTS\tCRITÈRES\tPROPOSITIONS\tDÉCIDÉES", "SESSION\tCREATED\tDOCUMENTS\tCRITERIA\tPROPOSALS\tDECIDED"))
		var damaged []store.Summary
		for _, s := range sums {
			if s.Err != nil {
				damaged = append(damaged, s)
				continue
			}
			fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\n", sanitize.Line(s.Name), s.Created.Local().Format("2006-01-02 15:04"), s.Documents, s.Criteria, s.Proposals, s.Decided)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		for _, s := range damaged {
			fmt.Fprintf(a.stderr, a.t("session %s : illisible (%s) ; lancez revue verify %s, puis remettez la dernière sauvegarde si le fichier est endommagé\n",
				"session %s: unreadable (%s); run revue verify %s, then restore your last backup if the file is damaged\n"),
				sanitize.Line(s.Name), sanitize.Line(a.localize(s.Err)), sanitize.Line(s.Name))
		}
		if len(damaged) > 0 {
			return errSilent
		}
		return nil
	}
}
