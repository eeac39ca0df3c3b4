package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
	"github.com/coopdescommuns/revue/tui"
)

// reviewCommand is `revue review`: the interface in this terminal as
// facilitator, and with --listen the SSH server for the room.
var reviewCommand = command{name: "review", args: "NAME [--listen ADDR ...]",
	summary: [2]string{"l'interface dans ce terminal, en animation", "the interface in this terminal, as facilitator"},
	example: "revue review atelier --listen :2222",
	flags:   reviewFlags}

func reviewFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	var sf serverFlags
	sf.add(a, fs, "", true)
	sf.logToDataDir(a)
	sf.addTheme(a, fs)
	return func(ctx context.Context, args []string) error {
		sf.fromEnv()
		if err := sf.checkTheme(a); err != nil {
			return err
		}
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		return a.withSession(name, func(s *sessionStore) error {
			sf.names = s.Store
			return a.reviewLocal(ctx, s.Store, name, sf, true)
		})
	}
}

// reviewLocal opens the interface in this terminal as facilitator, and with
// a listen address serves the same hub over SSH.
//
// With stay, closing this screen leaves the participants connected: the
// server goes on until the last of them leaves or Ctrl+C, and then tells
// every screen that the facilitator ended the session.
func (a *app) reviewLocal(ctx context.Context, st *store.Store, name string, sf serverFlags, stay bool) error {
	tty := term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())
	if !tty && sf.listen == "" {
		return errors.New(a.t("l'interface a besoin d'un terminal ; pour un projecteur sans clavier, lancez revue serve et rejoignez-le par ssh",
			"the interface needs a terminal; for a projector without a keyboard, run revue serve and join it with ssh"))
	}
	reg := a.registry(st, name)
	hub, err := reg.Open(ctx, name)
	if err != nil {
		return err
	}
	var srv *session.Server
	var errc <-chan error
	// Without --listen, the screen says once that nobody else can join: the
	// facilitator who forgot it learns it before the room does.
	join := a.t("Personne d'autre ne peut rejoindre : relancez avec --listen :2222 pour ouvrir la salle.", "Nobody else can join: start again with --listen :2222 to open the room.")
	sf.reserve = localActor(a.lang).Name
	if sf.listen != "" {
		if srv, errc, join, err = a.startServer(sf, reg, name); err != nil {
			return err
		}
	}
	if !tty {
		// No keyboard here (a script, a service): serve until stopped.
		fmt.Fprintln(a.stderr, a.t("Pas de terminal ici : seul le serveur SSH tourne ; Ctrl+C pour l'arrêter.", "No terminal here: only the SSH server runs; Ctrl+C stops it."))
		select {
		case err = <-errc:
		case <-ctx.Done():
		}
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = errors.Join(err, srv.Shutdown(sctx))
		a.signMoved(context.Background(), st, "stop")
		return err
	}
	seat := &session.Seat{}
	opts := tui.Options{Hub: hub, Seat: seat, Actor: localActor(a.lang), Lang: a.lang, Terminal: "local", Environ: os.Environ(), Notice: join, Theme: sf.theme}
	if srv != nil {
		opts.Refused, opts.Card = srv.Refused, srv.Card()
	}
	m := tui.New(opts)
	p := tea.NewProgram(m, tea.WithContext(ctx))
	_, runErr := p.Run()
	m.Flush(context.Background())
	seat.Leave(context.Background())
	if srv != nil {
		reason := session.ReasonStopped
		if stay && runErr == nil && ctx.Err() == nil {
			a.serveTheRest(ctx, hub, errc)
			reason = session.ReasonEnded
		}
		if a.beforeShutdown != nil {
			a.beforeShutdown()
		}
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.ShutdownFor(sctx, reason); err != nil && runErr == nil {
			runErr = err
		}
	}
	a.signMoved(context.Background(), st, "stop")
	if errors.Is(runErr, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return runErr
}

// serveTheRest keeps the server for the people still connected once the
// facilitator's own screen has closed, until the last one leaves or Ctrl+C.
func (a *app) serveTheRest(ctx context.Context, hub *session.Hub, errc <-chan error) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	said := false
	for {
		n := len(hub.Snapshot().Online)
		if n == 0 {
			return
		}
		if !said {
			fmt.Fprintf(a.stderr, a.t("Votre écran est fermé ; le serveur continue pour %s. Ctrl+C termine la séance pour tout le monde.\n",
				"Your screen is closed; the server goes on for %s. Ctrl+C ends the session for everybody.\n"),
				a.count(n, "personne encore connectée", "personnes encore connectées", "person still connected", "people still connected"))
			said = true
		}
		select {
		case <-ctx.Done():
			return
		case <-errc:
			return
		case <-tick.C:
		}
	}
}

// localActor is the facilitator at this laptop's keyboard, named after
// the login, else after their role in the screen's language.
func localActor(lang string) review.Actor {
	role := "animation"
	if lang == "en" {
		role = "facilitator"
	}
	name := firstNonEmpty(os.Getenv("USER"), os.Getenv("LOGNAME"), role)
	return review.Actor{Name: name, Role: review.Facilitator}
}
