package cli

import (
	"context"
	"fmt"
	"time"

	flag "github.com/spf13/pflag"
)

// serveCommand is `revue serve`: the SSH server alone, for every session or
// one.
var serveCommand = command{name: "serve", args: "[--listen ADDR] [--passcode CODE|auto] [--authorized-keys FILE] [--facilitators FILE] [--session NAME] [--max-conns N] [--max-per-address N] [--log FILE]",
	summary: [2]string{"accueillir les participants par SSH", "host the participants over SSH"},
	example: "revue serve --listen :2222 --passcode tournesol --facilitators animation.pub",
	flags:   serveFlags}

func serveFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	var sf serverFlags
	sf.add(a, fs, ":2222", true)
	only := fs.String("session", "", a.t("ne servir que cette session", "serve only this session"))
	fs.StringVar(&sf.logFile, "log", "", a.t("écrire le journal du serveur dans ce FICHIER (par défaut : la sortie d'erreur)", "write the server's log to this FILE (by default: stderr)"))
	return func(ctx context.Context, args []string) error {
		sf.fromEnv()
		if len(args) != 0 {
			return usageError{a.t("serve ne prend pas d'argument ; --session NOM pour n'en servir qu'une", "serve takes no argument; --session NAME serves only one")}
		}
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		reg := a.registry(st, *only)
		sf.names = st
		if *only != "" {
			if _, err := reg.Open(ctx, *only); err != nil {
				return err
			}
		}
		srv, errc, _, err := a.startServer(sf, reg, *only)
		if err != nil {
			return err
		}
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
		}
		fmt.Fprintln(a.stderr, a.t("Arrêt : les écrans des participants sont rendus, puis le serveur s'arrête.", "Stopping: participants' screens are restored, then the server stops."))
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = srv.Shutdown(sctx)
		// Each session that moved gets its signed head: the receipt of
		// what the server recorded.
		a.signMoved(context.Background(), st, "stop")
		return err
	}
}
