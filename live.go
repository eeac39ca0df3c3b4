package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"github.com/charmbracelet/x/term"
	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/propose"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/simroom"
	"github.com/coopdescommuns/revue/store"
	"github.com/coopdescommuns/revue/tui"
)

func proposeFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	var cfg propose.Config
	fs.BoolVar(&cfg.Frugal, "frugal", false, a.t("sans aucun modèle : propositions lexicales (BM25), origine « lexical »", "no model at all: lexical proposals (BM25), origin \"lexical\""))
	fs.StringVar(&cfg.Model, "model", propose.DefaultModel, a.t("modèle Ollama qui juge", "Ollama judge model"))
	fs.StringVar(&cfg.EmbedModel, "embed-model", "", a.t("modèle Ollama d'embeddings pour une recherche hybride, par exemple bge-m3 (par défaut : recherche lexicale seule)", "Ollama embedding model for hybrid retrieval, e.g. bge-m3 (default: lexical retrieval only)"))
	fs.IntVar(&cfg.PerCriterion, "per-criterion", 0, fmt.Sprintf(a.t("passages jugés par critère (par défaut %d, %d avec --frugal)", "passages judged per criterion (default %d, %d with --frugal)"), propose.DefaultPerCriterion, propose.DefaultFrugalPerCriterion))
	fs.IntVar(&cfg.Parallel, "parallel", 1, a.t("appels simultanés par machine Ollama (il lui faut autant de OLLAMA_NUM_PARALLEL ; sur un processeur sans GPU, 2 ne va pas plus vite que 1)", "concurrent judge calls per Ollama host (it needs as many OLLAMA_NUM_PARALLEL; on a CPU without a GPU, 2 is no faster than 1)"))
	fs.StringArrayVar(&cfg.Hosts, "ollama", nil, a.t("adresse d'Ollama, répétable pour répartir le travail (par défaut $OLLAMA_HOST, sinon ", "Ollama address, repeatable to spread the work (default $OLLAMA_HOST, else ")+propose.DefaultHost+")")
	fs.IntVar(&cfg.NumCtx, "num-ctx", propose.DefaultNumCtx, a.t("fenêtre de contexte envoyée à Ollama (num_ctx)", "context window sent to Ollama (num_ctx)"))
	fs.Float64Var(&cfg.PowerWatts, "power", propose.DefaultPowerWatts, a.t("puissance de la machine en watts, pour estimer l'énergie", "the machine's power draw in watts, for the energy estimate"))
	dryRun := fs.Bool("dry-run", false, a.t("dire combien de paires seraient jugées, les tokens et le temps attendus sur cette machine, et s'arrêter là", "say how many pairs would be judged, the expected tokens and time on this machine, and stop there"))
	negatives := fs.Int("negatives", 0, a.t("ajouter N paires que le modèle a jugées sans lien, tirées au hasard, pour mesurer ce qu'il manque", "add N pairs the model judged unrelated, drawn at random, to measure what it misses"))
	yes := fs.Bool("yes", false, a.t("ne pas demander de confirmation, même pour un travail de plus d'une heure", "do not ask for confirmation, even for a run over an hour"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		if *negatives < 0 {
			return usagef("--negatives %d: %s", *negatives, a.t("donnez un nombre positif de paires", "give a positive number of pairs"))
		}
		cfg.Negatives = *negatives
		cfg.Lang = a.lang
		cfg.EmbedCache = filepath.Join(a.data, "embeddings")
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		_, state, err := a.load(ctx, st, name)
		if err != nil {
			return err
		}
		a.sayServed(name)
		if !cfg.Frugal {
			// The cost is said before it is paid: pairs, tokens, time on
			// this machine (from earlier runs, or one measured call).
			pl, err := propose.Estimate(ctx, state, cfg, propose.EstimateOptions{WarmUp: true})
			if err != nil {
				return err
			}
			for _, l := range pl.Lines(a.lang) {
				fmt.Fprintln(a.stdout, l)
			}
			if *dryRun {
				return nil
			}
			in, _ := a.stdin.(*os.File)
			if !propose.Confirm(pl, propose.DefaultConfirmAbove, *yes, in, a.stderr, a.lang) {
				return errors.New(a.t("Arrêté avant de commencer : rien n'a été demandé au modèle.", "Stopped before starting: nothing was asked of the model."))
			}
			cfg.Estimate = pl.Duration
		} else if *dryRun {
			fmt.Fprintln(a.stdout, a.t("Mode frugal : aucun modèle, quelques secondes de calcul lexical.", "Frugal mode: no model, a few seconds of lexical computing."))
			return nil
		}
		bar := newProgressLine(a, term.IsTerminal(os.Stderr.Fd()) && a.stderr == os.Stderr)
		// The sink outlives Ctrl-C: the answers already paid for and the run's
		// cost are still written after an interrupt.
		sink := func(events []review.Event) error {
			_, err := st.Append(context.WithoutCancel(ctx), events...)
			return err
		}
		run, err := propose.Run(ctx, state, cfg, sink, bar.update)
		bar.done()
		if run.Calls > 0 || run.Proposals > 0 || err == nil {
			printRun(a, run)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, a.t("Étape suivante : revue review %s   (ou revue serve pour accueillir les participants)\n",
			"Next: revue review %s   (or revue serve to host the participants)\n"), name)
		return nil
	}
}

func printRun(a *app, r review.ProposeRun) {
	mode := r.Model
	if r.Mode == "lexical" {
		mode = a.t("lexical, sans modèle", "lexical, no model")
	}
	energy := a.t("estimation", "estimate")
	if strings.HasPrefix(r.EnergySource, "rapl:") {
		energy = a.t("mesuré", "measured") + " (" + r.EnergySource + ")"
	} else if r.EnergyFormula != "" {
		energy += " : " + a.localizeText(r.EnergyFormula)
	}
	fmt.Fprintf(a.stdout, a.t(
		"Propositions (%s) : %d nouvelles ; %d paires jugées sur %d possibles, %d déjà faites, %d en échec.\nCalcul : %d appels, %d tokens envoyés (cache compris), %d écrits, %v de modèle, %s Wh (%s).\n",
		"Proposals (%s): %d new; %d pairs judged of %d possible, %d done before, %d failed.\nCompute: %d calls, %d tokens sent (cached ones included), %d written, %v of model time, %s Wh (%s).\n"),
		mode, r.Proposals, r.Pairs, r.Exhaustive, r.Skipped, r.Failed, r.Calls, r.PromptTokens, r.OutputTokens,
		time.Duration(r.ModelNanos).Round(time.Second), a.decimal(r.EnergyWh), energy)
	if r.Negatives > 0 {
		fmt.Fprintf(a.stdout, a.t("Réponses « pas de lien » ajoutées pour être jugées : %d (tirage %d).\n", "\"No link\" answers added to be judged: %d (seed %d).\n"), r.Negatives, r.NegativeSeed)
	}
}

// progressLine shows propose's progress: a bar redrawn in place on a
// terminal, a plain line every ten seconds otherwise (a log file).
type progressLine struct {
	a        *app
	tty      bool
	last     time.Time
	lastLine int
}

func newProgressLine(a *app, tty bool) *progressLine { return &progressLine{a: a, tty: tty} }

func (p *progressLine) update(pr propose.Progress) {
	if pr.Total == 0 {
		return
	}
	now := time.Now()
	if !p.tty && now.Sub(p.last) < 10*time.Second && pr.Done != pr.Total {
		return
	}
	p.last = now
	const width = 30
	filled := width * pr.Done / pr.Total
	line := fmt.Sprintf("[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat("-", width-filled), pr.Done, pr.Total)
	if pr.Failed > 0 {
		line += fmt.Sprintf(" · %d %s", pr.Failed, p.a.t("en échec", "failed"))
	}
	switch {
	case pr.Phase == propose.PhaseEmbed && pr.TextsPerSec > 0:
		line += " · " + p.a.decimal(pr.TextsPerSec) + p.a.t(" textes/s", " texts/s")
	case pr.Phase == propose.PhaseJudge && pr.OutputTokensPerSec > 0:
		line += " · " + p.a.decimal(pr.OutputTokensPerSec) + " tok/s"
	}
	if pr.Left > 0 {
		line += fmt.Sprintf(" · %s %v", p.a.t("reste", "left"), pr.Left.Round(time.Second))
	}
	if p.tty {
		fmt.Fprintf(p.a.stderr, "\r%-*s", p.lastLine, line)
		p.lastLine = len(line)
	} else {
		fmt.Fprintln(p.a.stderr, line)
	}
}

func (p *progressLine) done() {
	if p.tty && p.lastLine > 0 {
		fmt.Fprintln(p.a.stderr)
	}
}

// serverFlags are the SSH settings shared by serve, review and demo.
type serverFlags struct {
	listen, passcode, authorizedKeys, facilitators string
	theme                                          string // of the local screen: dark, light or "" to guess

	fs  *flag.FlagSet
	env bool
}

// addTheme declares --theme, for the screen in this terminal: tmux and
// many projectors never answer the terminal's background query.
func (s *serverFlags) addTheme(a *app, fs *flag.FlagSet) {
	fs.StringVar(&s.theme, "theme", "", a.t("fond de l'écran : dark (sombre) ou light (clair) ; par défaut, COLORFGBG ou la réponse du terminal",
		"the screen's background: dark or light; by default COLORFGBG or the terminal's answer"))
}

func (s *serverFlags) checkTheme(a *app) error {
	if s.theme != "" && s.theme != "dark" && s.theme != "light" {
		return usagef("--theme %q: %s", s.theme, a.t("dark ou light", "dark or light"))
	}
	return nil
}

// add declares the flags. With env, the REVUE_* variables stand in for the
// flags that are not given (serve and review; the demo ignores them, so that
// a setting meant for a workshop never opens the demo to the network).
func (s *serverFlags) add(a *app, fs *flag.FlagSet, listen string, env bool) {
	fs.StringVar(&s.listen, "listen", listen, a.t("adresse SSH d'écoute", "SSH address to listen on")+envNote(env, "REVUE_LISTEN"))
	fs.StringVar(&s.passcode, "passcode", "", a.t("demander ce code d'accès avant d'entrer", "ask this passcode (keyboard-interactive) before joining")+envNote(env, "REVUE_PASSCODE"))
	fs.StringVar(&s.authorizedKeys, "authorized-keys", "", a.t("FICHIER authorized_keys : seules ces clés peuvent entrer", "authorized_keys FILE: only these keys may join")+envNote(env, "REVUE_AUTHORIZED_KEYS"))
	fs.StringVar(&s.facilitators, "facilitators", "", a.t("FICHIER authorized_keys des clés de l'animation", "authorized_keys FILE of the facilitators' keys")+envNote(env, "REVUE_FACILITATORS"))
	s.fs, s.env = fs, env
}

func envNote(env bool, name string) string {
	if !env {
		return ""
	}
	return " [$" + name + "]"
}

// fromEnv fills the settings that no flag gave from the environment: a flag
// wins over its variable.
func (s *serverFlags) fromEnv() {
	if !s.env {
		return
	}
	for _, v := range []struct {
		flag, env string
		dst       *string
	}{
		{"listen", "REVUE_LISTEN", &s.listen},
		{"passcode", "REVUE_PASSCODE", &s.passcode},
		{"authorized-keys", "REVUE_AUTHORIZED_KEYS", &s.authorizedKeys},
		{"facilitators", "REVUE_FACILITATORS", &s.facilitators},
	} {
		if val, ok := os.LookupEnv(v.env); ok && val != "" && !s.fs.Changed(v.flag) {
			*v.dst = val
		}
	}
}

// startServer starts the SSH server of reg in the background and prints how
// to join; it returns the join command too, for the facilitator's screen.
// The caller shuts the server down.
func (a *app) startServer(sf serverFlags, reg *session.Registry, joinSession string) (*session.Server, <-chan error, string, error) {
	if os.Getenv("GOGC") == "" {
		// Every vote redraws every screen, and the slowest rounds of the
		// SSH load test fell on garbage collections: collecting half as
		// often took the p99 at 200 clients from ~150 ms to ~95 ms, for
		// about 0.2 MB more resident memory per session (BENCHMARKS.md).
		debug.SetGCPercent(serveGCPercent)
	}
	logger := log.NewWithOptions(a.stderr, log.Options{ReportTimestamp: true, Prefix: "revue"})
	logger.SetLevel(log.WarnLevel)
	srv, err := session.NewServer(session.Config{
		Listen:         sf.listen,
		HostKeyPath:    filepath.Join(a.data, "ssh_host_ed25519"),
		Passcode:       sf.passcode,
		AuthorizedKeys: sf.authorizedKeys,
		Facilitators:   sf.facilitators,
		Registry:       reg,
		NewModel:       newModel,
		Logger:         logger,
	})
	if err != nil {
		return nil, nil, "", err
	}
	l, err := net.Listen("tcp", sf.listen)
	if err != nil {
		return nil, nil, "", fmt.Errorf(a.t("--listen %s : %v ; choisissez une autre adresse, par exemple --listen 127.0.0.1:2223",
			"--listen %s: %v; choose another address, for example --listen 127.0.0.1:2223"), sf.listen, err)
	}
	errc := make(chan error, 1)
	unmark := a.markServing(l.Addr().String(), joinSession)
	go func() { errc <- srv.Serve(l); unmark() }()
	if a.onListen != nil {
		defer a.onListen(l.Addr().String())
	}
	host, port, _ := net.SplitHostPort(l.Addr().String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = a.t("ADRESSE-DE-CE-PORTABLE", "THIS-LAPTOP-ADDRESS")
		if lan := lanAddress(); lan != "" {
			host = lan
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	join := fmt.Sprintf("ssh -t -p %s %s@%s", port, a.t("VOTRE-NOM", "YOUR-NAME"), host)
	if joinSession != "" {
		join += " " + joinSession
	}
	fmt.Fprintf(a.stderr, a.t("Serveur SSH sur %s, empreinte de la clé d'hôte %s\nPour rejoindre : %s\n",
		"SSH server on %s, host key fingerprint %s\nTo join: %s\n"), l.Addr(), srv.HostKeyFingerprint(), join)
	if open := l.Addr().(*net.TCPAddr); !open.IP.IsLoopback() && sf.passcode == "" && sf.authorizedKeys == "" {
		fmt.Fprintf(a.stderr, a.t("Attention : %s n'est pas limité à cette machine, et ni --passcode ni --authorized-keys n'est donné : toute personne qui peut joindre cette adresse peut entrer et voter. Pour restreindre : --passcode CODE (un code à dire dans la salle), --authorized-keys FICHIER (seules ces clés), ou --listen 127.0.0.1:%s.\n",
			"Warning: %s is not limited to this machine, and neither --passcode nor --authorized-keys is given: anybody who can reach this address may join and vote. To restrict it: --passcode CODE (a code said in the room), --authorized-keys FILE (only these keys), or --listen 127.0.0.1:%s.\n"), l.Addr(), port)
	}
	return srv, errc, a.t("Pour rejoindre : ", "To join: ") + join, nil
}

// serveGCPercent is the collector's setting while serving; session's load
// benchmark runs its server with the same.
const serveGCPercent = 200

// lanAddress is this machine's first private IPv4 address, the one that
// people in the same room can usually reach, or "" if it has none.
func lanAddress() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, addr := range addrs {
		if n, ok := addr.(*net.IPNet); ok && n.IP.To4() != nil && n.IP.IsPrivate() {
			return n.IP.String()
		}
	}
	return ""
}

// newModel wires the SSH server to the interface.
func newModel(req session.ModelRequest) tea.Model {
	return tui.New(tui.Options{Hub: req.Hub, Registry: req.Registry, Seat: req.Seat, Actor: req.Actor, Lang: req.Lang, Terminal: "ssh", Environ: req.Environ})
}

// registry serves the sessions of st.
func (a *app) registry(st *store.Store, only string) *session.Registry {
	load := func(ctx context.Context, name string) (*review.State, error) {
		_, s, err := a.load(ctx, st, name)
		return s, err
	}
	return session.NewRegistry(st, st.Sessions, load, only)
}

func serveFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	var sf serverFlags
	sf.add(a, fs, ":2222", true)
	only := fs.String("session", "", a.t("ne servir que cette session", "serve only this session"))
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
		return srv.Shutdown(sctx)
	}
}

func reviewFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	var sf serverFlags
	sf.add(a, fs, "", true)
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
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		return a.reviewLocal(ctx, st, name, sf, true)
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
	var join string
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
		return errors.Join(err, srv.Shutdown(sctx))
	}
	seat := &session.Seat{}
	m := tui.New(tui.Options{Hub: hub, Seat: seat, Actor: localActor(), Lang: a.lang, Terminal: "local", Environ: os.Environ(), Notice: join, Theme: sf.theme})
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
			fmt.Fprintf(a.stderr, a.t("Votre écran est fermé ; le serveur continue pour les %d personne(s) encore connectée(s). Ctrl+C termine la séance pour tout le monde.\n",
				"Your screen is closed; the server goes on for the %d person(s) still connected. Ctrl+C ends the session for everybody.\n"), n)
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

// localActor is the facilitator at this laptop's keyboard.
func localActor() review.Actor {
	name := firstNonEmpty(os.Getenv("USER"), os.Getenv("LOGNAME"), "animation")
	return review.Actor{Name: name, Role: review.Facilitator}
}

func demoFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	var sf serverFlags
	sf.add(a, fs, "127.0.0.1:2222", false)
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
			return a.reviewLocal(ctx, st, demoSession, sf, false)
		}
		return a.demoWithRoom(ctx, st, sf, *room)
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
		fmt.Fprintf(a.stderr, a.t("%d participants simulés entrent dans la salle…\n", "%d simulated participants join the room…\n"), n)
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
		events, err := sessionEvents(demoSession, res.Documents, res.Criteria, time.Now())
		if err != nil {
			return err
		}
		// Another `revue demo` may have made it meanwhile: then use that one.
		if _, err := st.Append(ctx, events...); err != nil && !errors.Is(err, store.ErrSessionExists) {
			return err
		}
	}
	_, state, err := a.load(ctx, st, demoSession)
	if err != nil {
		return err
	}
	// The sample's hand-written links show what a good link looks like;
	// ExampleEvents leaves out those the session holds already.
	if examples := sample.ExampleEvents(state, demoSession, systemActor, time.Now()); len(examples) > 0 {
		fmt.Fprintf(a.stderr, a.t("Ajout de %d liens d'exemple écrits à la main…\n", "Adding %d example links written by hand…\n"), len(examples))
		if _, err := st.Append(ctx, examples...); err != nil {
			return err
		}
		if _, state, err = a.load(ctx, st, demoSession); err != nil {
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
		fmt.Fprintf(a.stderr, a.t("%d propositions faites.\n", "%d proposals made.\n"), run.Proposals)
	}
	return err
}

// decimal writes a figure with two decimals, a comma in French.
func (a *app) decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	if a.lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
