package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/charmbracelet/x/term"
	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/propose"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
	"github.com/coopdescommuns/revue/simroom"
	"github.com/coopdescommuns/revue/store"
)

// demoCommand is `revue demo`: the sample session, made once in a directory
// of its own, shown in this terminal with the SSH server beside it.
var demoCommand = command{name: "demo", args: "[--room N] [--reset] [--listen ADDR]",
	summary: [2]string{"une session d'exemple en une commande : l'interface en animation et le serveur SSH",
		"a sample session in one command: the interface as facilitator and the SSH server"},
	long: [2]string{"La session « demo » est faite une fois, à partir d'un corpus d'exemple inclus dans le programme, dans un dossier à elle (DATA/demo) : --reset l'efface et la refait, sans toucher aux sessions de vos ateliers.",
		"The session \"demo\" is made once, from a sample corpus inside the program, in a directory of its own (DATA/demo): --reset deletes it and makes it afresh, without touching the sessions of your workshops."},
	example: "revue demo   # " + "puis / then: ssh -t -p 2222 alice@127.0.0.1 demo\nrevue demo --room 3\nrevue demo --reset",
	flags:   demoFlags}

func demoFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	var sf serverFlags
	sf.add(a, fs, "127.0.0.1:2222", false)
	sf.logToDataDir(a)
	sf.addTheme(a, fs)
	reset := fs.Bool("reset", false, a.t("effacer la session d'exemple et la refaire", "delete the sample session and make it afresh"))
	room := fs.Int("room", 0, fmt.Sprintf(a.t("faire entrer N participants simulés (au plus %d), par SSH, qui lisent, votent et parfois ne sont pas d'accord", "let N simulated participants (at most %d) join over SSH, read, vote and sometimes disagree"), len(simroom.Names)))
	return func(ctx context.Context, args []string) error {
		if len(args) != 0 {
			return usageError{a.t("demo ne prend pas d'argument", "demo takes no argument")}
		}
		if err := sf.checkTheme(a); err != nil {
			return err
		}
		if sf.passcode != "" {
			// Drawn (auto) or checked now, so that the simulated room
			// types the passcode the server asks.
			if err := a.checkPasscode(&sf); err != nil {
				return err
			}
		}
		if *room < 0 || *room > len(simroom.Names) {
			return usagef("--room %d: %s %d", *room, a.t("donnez un nombre de participants, au plus", "give a number of participants, at most"), len(simroom.Names))
		}
		dir := filepath.Join(a.data, "demo")
		if *reset {
			if err := a.resetDemo(dir); err != nil {
				return err
			}
		}
		st, err := store.Open(filepath.Join(dir, "revue.db"))
		if err != nil {
			return err
		}
		defer st.Close()
		if err := a.ensureDemo(ctx, st); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, a.t("Données de la démo : %s (revue --data %s export demo ; revue demo --reset pour repartir de zéro)\n",
			"Demo data: %s (revue --data %s export demo; revue demo --reset to start afresh)\n"), dir, dir)
		if *room == 0 {
			err = a.reviewLocal(ctx, st, demoSession, sf, false)
		} else {
			err = a.demoWithRoom(ctx, st, sf, *room)
		}
		if err == nil {
			// What a workshop ends with: the dossier for the people.
			fmt.Fprintf(a.stderr, a.t("Le dossier de la démo, à lire ou imprimer : revue --data %s dossier demo -o demo.html (--format odt ou md aussi)\n",
				"The demo's dossier, to read or print: revue --data %s dossier demo -o demo.html (--format odt or md too)\n"), dir)
		}
		return err
	}
}

// demoWithRoom runs the demo with n simulated participants, who join the
// server over SSH as soon as it listens and leave when the demo stops.
// Their lines go to stderr only when no interface holds the terminal.
func (a *app) demoWithRoom(ctx context.Context, st *store.Store, sf serverFlags, n int) error {
	roomCtx, stop := context.WithCancel(ctx)
	defer stop()
	var out io.Writer
	if !(term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())) {
		out = a.stderr
	}
	roomErr := make(chan error, 1)
	started := false
	a.onListen = func(addr string) {
		started = true
		fmt.Fprintf(a.stderr, a.t("%s dans la salle…\n", "%s the room…\n"),
			a.count(n, "participant simulé entre", "participants simulés entrent", "simulated participant joins", "simulated participants join"))
		go func() {
			roomErr <- simroom.Run(roomCtx, simroom.Config{Addr: addr, Session: demoSession, People: n,
				Seed: simroom.DemoSeed, Lang: a.lang, Stdout: out, Passcode: sf.passcode})
		}()
	}
	// The simulated people leave before the server stops: shutting it
	// down first would wait for their sessions until its deadline.
	var rerr error
	a.beforeShutdown = func() {
		stop()
		if started {
			rerr = <-roomErr
			started = false
		}
	}
	err := a.reviewLocal(ctx, st, demoSession, sf, false)
	a.beforeShutdown()
	a.onListen, a.beforeShutdown = nil, nil
	if rerr != nil && !errors.Is(rerr, context.Canceled) && err == nil {
		return rerr
	}
	return err
}

// resetDemo deletes the demo's own store. The demo lives in a directory of
// its own because the trace is append-only (the store refuses DELETE): a
// reset removes a whole file, and never touches a workshop's trace.
func (a *app) resetDemo(dir string) error {
	fmt.Fprintf(a.stderr, a.t("Effacement de la session d'exemple dans %s…\n", "Deleting the sample session in %s…\n"), dir)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(filepath.Join(dir, "revue.db"+suffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

const demoSession = "demo"

// ensureDemo creates the demo session from the embedded sample, through the
// same import and proposer as a user's files, unless it exists already.
// Running it again after an interruption finishes what was left.
func (a *app) ensureDemo(ctx context.Context, st *store.Store) error {
	names, err := st.Sessions(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(names, demoSession) {
		fmt.Fprintf(a.stderr, a.t("Création de la session d'exemple %q dans %s…\n", "Creating the sample session %q in %s…\n"), demoSession, filepath.Dir(st.Path()))
		dir, err := os.MkdirTemp("", "revue-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		docs, criteria, err := sample.WriteTo(dir)
		if err != nil {
			return err
		}
		res := corpus.Import(docs, criteria, corpus.Options{})
		if len(res.Problems) > 0 {
			return fmt.Errorf(a.t("l'exemple de la démo : %v", "demo sample: %v"), a.localize(res.Problems[0]))
		}
		for i := range res.Documents {
			res.Documents[i].Source = filepath.Join("sample", filepath.Base(res.Documents[i].Source))
		}
		events, err := sessionEvents(review.SessionCreated{Name: demoSession}, res.Documents, res.Later, res.Criteria, nil, time.Now(), documentEventBytes)
		if err != nil {
			return err
		}
		// Another `revue demo` may have made it meanwhile: then use that one.
		if _, err := st.AppendStream(ctx, events); err != nil && !errors.Is(err, store.ErrSessionExists) {
			return err
		}
	}
	state, err := a.load(ctx, st, demoSession)
	if err != nil {
		return err
	}
	// The sample's hand-written links show what a good link looks like;
	// ExampleEvents leaves out those the session holds already.
	if examples := sample.ExampleEvents(state, demoSession, systemActor, time.Now()); len(examples) > 0 {
		fmt.Fprintf(a.stderr, a.t("Ajout de %s à la main…\n", "Adding %s by hand…\n"),
			a.count(len(examples), "lien d'exemple écrit", "liens d'exemple écrits", "example link written", "example links written"))
		if _, err := st.Append(ctx, examples...); err != nil {
			return err
		}
		if state, err = a.load(ctx, st, demoSession); err != nil {
			return err
		}
	}
	if len(state.Runs) > 0 {
		return nil
	}
	fmt.Fprintln(a.stderr, a.t("Propositions lexicales, sans modèle (--frugal)…", "Lexical proposals, no model (--frugal)…"))
	sink := func(events []review.Event) error { _, err := st.Append(ctx, events...); return err }
	run, err := propose.Run(ctx, state, propose.Config{Frugal: true, Lang: a.lang}, sink, nil)
	if err == nil {
		fmt.Fprintf(a.stderr, "%s.\n", a.count(run.Proposals, "proposition faite", "propositions faites", "proposal made", "proposals made"))
	}
	return err
}
