package cli

// This file holds the SSH server's settings and start, shared by serve,
// review and demo: --listen, --passcode, --authorized-keys, --facilitators
// and their REVUE_* variables, --theme, and the mark that tells propose a
// server is running.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
	"github.com/coopdescommuns/revue/tui"
)

// serverFlags are the SSH settings shared by serve, review and demo.
type serverFlags struct {
	listen, passcode, authorizedKeys, facilitators string
	theme                                          string // of the local screen: dark, light or "" to guess
	maxConns, maxPerAddress                        int
	// logFile is where the server's log goes: "" is stderr (serve), and
	// review and demo set it to DATA/revue.log (logToData), since their
	// terminal shows the interface.
	logFile   string
	logToData bool
	// reserve is a name only a facilitator's key may take: the local
	// facilitator's in review and demo.
	reserve string
	// names keeps who holds each name across restarts: the store, for
	// serve and review; nil in the demo, whose simulated people come back
	// under their names at every run.
	names session.NameBook

	fs  *flag.FlagSet
	env bool
}

// add declares the flags. With env, the REVUE_* variables stand in for the
// flags that are not given (serve and review; the demo ignores them, so that
// a setting meant for a workshop never opens the demo to the network).
func (s *serverFlags) add(a *app, fs *flag.FlagSet, listen string, env bool) {
	fs.StringVar(&s.listen, "listen", listen, a.t("adresse SSH d'écoute", "SSH address to listen on")+envNote(env, "REVUE_LISTEN"))
	fs.StringVar(&s.passcode, "passcode", "", a.t("demander ce code d'accès avant d'entrer ; « auto » en tire un", "ask this passcode (keyboard-interactive) before joining; \"auto\" draws one")+envNote(env, "REVUE_PASSCODE"))
	fs.StringVar(&s.authorizedKeys, "authorized-keys", "", a.t("FICHIER authorized_keys : seules ces clés peuvent entrer", "authorized_keys FILE: only these keys may join")+envNote(env, "REVUE_AUTHORIZED_KEYS"))
	fs.StringVar(&s.facilitators, "facilitators", "", a.t("FICHIER authorized_keys des clés de l'animation", "authorized_keys FILE of the facilitators' keys")+envNote(env, "REVUE_FACILITATORS"))
	fs.IntVar(&s.maxConns, "max-conns", session.DefaultMaxConns, a.t("personnes connectées à la fois, au plus (la salle)", "people connected at once, at most (the room)"))
	fs.IntVar(&s.maxPerAddress, "max-per-address", session.DefaultMaxPerAddr, a.t("sessions ouvertes à la fois depuis une même adresse, au plus (une salle derrière un seul routeur partage une adresse)",
		"sessions open at once from one address, at most (a room behind one router shares one address)"))
	s.fs, s.env = fs, env
}

// logToDataDir makes the server log to DATA/revue.log, for the commands
// whose terminal shows the interface, and says so in --help.
func (s *serverFlags) logToDataDir(a *app) {
	s.logToData = true
	if f := s.fs.Lookup("listen"); f != nil {
		f.Usage += a.t(" ; le journal du serveur va dans revue.log du dossier de données", "; the server's log goes to revue.log in the data directory")
	}
}

// openLog opens where the server logs: logfmt lines (as charm's log writes
// them, which grep and journalctl users read), to stderr or appended to a
// file. The returned function closes the file.
func (a *app) openLog(sf serverFlags) (*log.Logger, string, func(), error) {
	path := sf.logFile
	if path == "" && sf.logToData {
		path = filepath.Join(a.data, "revue.log")
	}
	w, closeLog := io.Writer(a.stderr), func() {}
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, "", nil, fmt.Errorf(a.t("journal %s : %w ; choisissez un autre fichier avec --log", "log %s: %w; choose another file with --log"), path, err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, "", nil, fmt.Errorf(a.t("journal %s : %w ; choisissez un autre fichier avec --log", "log %s: %w; choose another file with --log"), path, err)
		}
		w, closeLog = f, func() { _ = f.Close() }
	}
	logger := log.NewWithOptions(w, log.Options{ReportTimestamp: true, Prefix: "revue", Formatter: log.LogfmtFormatter, Level: log.InfoLevel})
	return logger, path, closeLog, nil
}

// checkPasscode refuses a passcode a guesser would find, with a sentence
// that says why and offers a drawn one; "auto" draws one.
func (a *app) checkPasscode(sf *serverFlags) error {
	if sf.passcode == "auto" {
		sf.passcode = session.NewPasscode()
		fmt.Fprintf(a.stderr, a.t("Code d'accès (à dire dans la salle) : %s\n", "Passcode (to say in the room): %s\n"), sf.passcode)
		return nil
	}
	var why string
	switch session.PasscodeWeakness(sf.passcode) {
	case "":
		return nil
	case "short":
		why = fmt.Sprintf(a.t("il fait moins de %d caractères", "it is shorter than %d characters"), session.MinPasscodeLen)
	case "common":
		why = a.t("il fait partie des codes qu'on essaie en premier", "it is one of the codes guessers try first")
	}
	return usagef(a.t("--passcode %q est trop faible : %s, et toute personne qui le devine entre et vote. Prenez-en un plus long, par exemple --passcode %s, ou --passcode auto pour en tirer un",
		"--passcode %q is too weak: %s, and anyone who guesses it joins and votes. Take a longer one, for example --passcode %s, or --passcode auto to draw one"), sf.passcode, why, session.NewPasscode())
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

// addTheme declares --theme, for the screen in this terminal: tmux and
// many projectors never answer the terminal's background query.
func (s *serverFlags) addTheme(a *app, fs *flag.FlagSet) {
	fs.StringVar(&s.theme, "theme", "", a.t("fond de l'écran : dark (sombre) ou light (clair) ; par défaut, COLORFGBG ou la réponse du terminal",
		"the screen's background: dark or light; by default COLORFGBG or the terminal's answer"))
}

// checkListen refuses an address without a port, or whose port is not a
// number, before anything is opened: Go's own error ("missing port in
// address") is English, and the advice to try the next port meant nothing.
func (s *serverFlags) checkListen(a *app) error {
	host, port, err := net.SplitHostPort(s.listen)
	if err != nil {
		return usagef(a.t("--listen %s : écrivez ADRESSE:PORT ou :PORT, par exemple --listen :2222", "--listen %s: write ADDRESS:PORT or :PORT, for example --listen :2222"), s.listen)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return usagef(a.t("--listen %s : le port « %s » n'est pas un nombre de 0 à 65535 ; par exemple --listen %s", "--listen %s: the port \"%s\" is not a number from 0 to 65535; for example --listen %s"),
			s.listen, port, net.JoinHostPort(host, "2222"))
	}
	return nil
}

// freePortAfter is the first port after the one of listen that this
// computer can listen on (tried up to 20 ports on), so that the advice of
// a refused --listen names a port that works; listen itself when none does.
func freePortAfter(listen string) string {
	host, port, _ := net.SplitHostPort(listen)
	p, err := strconv.Atoi(port)
	if err != nil {
		return listen
	}
	for next := p + 1; next <= min(p+20, 65535); next++ {
		addr := net.JoinHostPort(host, strconv.Itoa(next))
		if l, err := net.Listen("tcp", addr); err == nil {
			_ = l.Close()
			return addr
		}
	}
	return listen
}

// checkLimits refuses a size of the room or a share of one address that
// is not a whole number of at least 1: the server would otherwise take
// its default without a word.
func (s *serverFlags) checkLimits(a *app) error {
	for _, l := range []struct {
		flag   string
		n, def int
		what   string
	}{
		{"max-conns", s.maxConns, session.DefaultMaxConns, a.t("les personnes connectées à la fois", "the people connected at once")},
		{"max-per-address", s.maxPerAddress, session.DefaultMaxPerAddr, a.t("les sessions ouvertes à la fois depuis une même adresse", "the sessions open at once from one address")},
	} {
		if l.n < 1 {
			return usagef(a.t("--%s %d : donnez un nombre entier d'au moins 1 (%s ; %d par défaut)", "--%s %d: give a whole number of at least 1 (%s; %d by default)"),
				l.flag, l.n, l.what, l.def)
		}
	}
	return nil
}

func (s *serverFlags) checkTheme(a *app) error {
	if s.theme != "" && s.theme != "dark" && s.theme != "light" {
		return usagef("--theme %q: %s", s.theme, a.t("dark ou light", "dark or light"))
	}
	return nil
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
	if err := sf.checkLimits(a); err != nil {
		return nil, nil, "", err
	}
	if err := sf.checkListen(a); err != nil {
		return nil, nil, "", err
	}
	if sf.passcode != "" {
		if err := a.checkPasscode(&sf); err != nil {
			return nil, nil, "", err
		}
	}
	logger, logPath, closeLog, err := a.openLog(sf)
	if err != nil {
		return nil, nil, "", err
	}
	srv, err := session.NewServer(session.Config{
		Listen:         sf.listen,
		HostKeyPath:    filepath.Join(a.data, "ssh_host_ed25519"),
		Passcode:       sf.passcode,
		AuthorizedKeys: sf.authorizedKeys,
		Facilitators:   sf.facilitators,
		MaxConns:       sf.maxConns,
		MaxPerAddr:     sf.maxPerAddress,
		Lang:           a.forced,
		Reserved:       []string{sf.reserve},
		Names:          sf.names,
		Registry:       reg,
		NewModel:       newModel,
		Logger:         logger,
	})
	if err != nil {
		closeLog()
		return nil, nil, "", err
	}
	l, err := net.Listen("tcp", sf.listen)
	if err != nil {
		closeLog()
		next := freePortAfter(sf.listen)
		var why any = err
		if errors.Is(err, syscall.EADDRINUSE) {
			why = a.t("ce port est déjà pris par un autre programme", "this port is already taken by another program")
		}
		return nil, nil, "", fmt.Errorf(a.t("--listen %s : %v ; choisissez un autre port, par exemple --listen %s (et donnez-le aux participants)",
			"--listen %s: %v; choose another port, for example --listen %s (and give it to the participants)"), sf.listen, why, next)
	}
	if logPath != "" {
		fmt.Fprintf(a.stderr, a.t("Journal du serveur : %s\n", "Server log: %s\n"), logPath)
	}
	errc := make(chan error, 1)
	unmark := a.markServing(l.Addr().String(), joinSession)
	go func() { errc <- srv.Serve(l); unmark(); closeLog() }()
	if a.onListen != nil {
		defer a.onListen(l.Addr().String())
	}
	host, port, _ := net.SplitHostPort(l.Addr().String())
	tcp, _ := l.Addr().(*net.TCPAddr)
	hosts := []string{host}
	if tcp != nil && tcp.IP.IsUnspecified() {
		hosts = reachableAddresses()
		if len(hosts) == 0 {
			hosts = []string{a.t("ADRESSE-DE-CE-PORTABLE", "THIS-LAPTOP-ADDRESS")}
		}
	}
	var joins []string
	for _, h := range hosts {
		if strings.Contains(h, ":") {
			h = "[" + h + "]"
		}
		j := fmt.Sprintf("ssh -t -p %s %s@%s", port, a.t("VOTRE-NOM", "YOUR-NAME"), h)
		if joinSession != "" {
			j += " " + joinSession
		}
		joins = append(joins, j)
	}
	join := joins[0]
	fmt.Fprintf(a.stderr, a.t("Serveur SSH sur %s, empreinte de la clé d'hôte %s\nPour rejoindre : %s\n",
		"SSH server on %s, host key fingerprint %s\nTo join: %s\n"), l.Addr(), srv.HostKeyFingerprint(), join)
	for _, j := range joins[1:] {
		fmt.Fprintf(a.stderr, a.t("  ou, selon le réseau : %s\n", "  or, depending on the network: %s\n"), j)
	}
	srv.SetCard(session.JoinCard{Commands: joins, Fingerprint: srv.HostKeyFingerprint(), Passcode: sf.passcode})
	notice := a.t("Pour rejoindre : ", "To join: ") + join
	if tcp != nil && tcp.IP.IsLoopback() {
		only := fmt.Sprintf(a.t("seul cet ordinateur peut rejoindre ; ajoutez --listen :%s pour ouvrir la salle", "only this computer can join; add --listen :%s to open the room"), port)
		fmt.Fprintf(a.stderr, "(%s)\n", only)
		notice += " (" + only + ")"
	}
	if open := l.Addr().(*net.TCPAddr); !open.IP.IsLoopback() && sf.passcode == "" && sf.authorizedKeys == "" {
		fmt.Fprintf(a.stderr, a.t("Attention : %s n'est pas limité à cette machine, et ni --passcode ni --authorized-keys n'est donné : toute personne qui peut joindre cette adresse peut entrer et voter. Pour restreindre : --passcode CODE (un code à dire dans la salle), --authorized-keys FICHIER (seules ces clés), ou --listen 127.0.0.1:%s.\n",
			"Warning: %s is not limited to this machine, and neither --passcode nor --authorized-keys is given: anybody who can reach this address may join and vote. To restrict it: --passcode CODE (a code said in the room), --authorized-keys FILE (only these keys), or --listen 127.0.0.1:%s.\n"), l.Addr(), port)
	}
	return srv, errc, notice, nil
}

// serveGCPercent is the collector's setting while serving; session's load
// benchmark runs its server with the same.
const serveGCPercent = 200

// reachableAddresses are this machine's addresses that others may reach:
// every interface's but loopback and link-local ones, IPv4 first (a room's
// Wi-Fi, a wired network, a VPN: the facilitator knows which the room
// shares).
func reachableAddresses() []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var v4, v6 []string
	for _, addr := range addrs {
		n, ok := addr.(*net.IPNet)
		if !ok || n.IP.IsLoopback() || n.IP.IsLinkLocalUnicast() || !n.IP.IsGlobalUnicast() {
			continue
		}
		if n.IP.To4() != nil {
			v4 = append(v4, n.IP.String())
		} else {
			v6 = append(v6, n.IP.String())
		}
	}
	return append(v4, v6...)
}

// newModel wires the SSH server to the interface.
func newModel(req session.ModelRequest) tea.Model {
	return tui.New(tui.Options{Hub: req.Hub, Registry: req.Registry, Seat: req.Seat, Actor: req.Actor, Lang: req.Lang, Terminal: "ssh", Environ: req.Environ, Notice: req.Notice, Card: req.Card})
}

// registry serves the sessions of st.
func (a *app) registry(st *store.Store, only string) *session.Registry {
	// A served session is read event by event and keeps no passage's text
	// (review.State.ApplyLean): the text stays in the store and is read
	// when a screen shows it, through a small cache (store.Texts). 18,000
	// pads held whole made a server of 225 MB before anyone joined.
	var reg *session.Registry
	load := func(ctx context.Context, name string) (*review.State, error) {
		state := review.NewState()
		err := st.Each(ctx, name, state.ApplyLean)
		switch {
		case errors.Is(err, store.ErrNoSession):
			return nil, a.noSession(name)
		case err != nil:
			return nil, fmt.Errorf(a.t("session %q : %w", "session %q: %w"), name, err)
		}
		state.SetText(st.Texts(name, func(err error) {
			if l := reg.Logger(); l != nil {
				l.Error("passage text unreadable", "session", name, "err", err)
			}
		}))
		return state, nil
	}
	reg = session.NewRegistry(st, st.Sessions, load, only)
	return reg
}

// servingMark says that a process serves sessions of the data directory,
// so that `revue propose` can tell the facilitator that a running server
// will show the new proposals (it reads the store about every second). The
// mark is a file, DATA/serving/PID.json, removed when the server stops; a
// mark left by a process that died is recognised and ignored.
type servingMark struct {
	PID     int    `json:"pid"`
	Addr    string `json:"addr"`
	Session string `json:"session,omitempty"` // "" serves every session
}

// markServing writes this process's mark and returns what removes it.
func (a *app) markServing(addr, only string) func() {
	dir := filepath.Join(a.data, "serving")
	path := filepath.Join(dir, strconv.Itoa(os.Getpid())+".json")
	b, _ := json.Marshal(servingMark{PID: os.Getpid(), Addr: addr, Session: only})
	if os.MkdirAll(dir, 0o700) != nil || os.WriteFile(path, b, 0o600) != nil {
		return func() {} // a hint only: serving goes on without it
	}
	return func() { _ = os.Remove(path) }
}

// servers returns the live marks of processes that serve this session.
func (a *app) servers(session string) []servingMark {
	paths, _ := filepath.Glob(filepath.Join(a.data, "serving", "*.json"))
	var out []servingMark
	for _, p := range paths {
		b, err := os.ReadFile(p)
		var m servingMark
		if err != nil || json.Unmarshal(b, &m) != nil || (m.Session != "" && m.Session != session) || !alive(m.PID) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// alive reports whether a process runs. Windows has no signal 0: there a
// process that can be opened counts as running.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return runtime.GOOS == "windows" || p.Signal(syscall.Signal(0)) == nil
}

// sayServed tells the person running propose that a server will show its
// proposals to the room as they come.
func (a *app) sayServed(session string) {
	for _, m := range a.servers(session) {
		fmt.Fprintf(a.stdout, a.t("Un serveur sert cette session (processus %d, %s) : les écrans de la salle montreront les nouvelles propositions dans les 2 secondes.\n",
			"A server is serving this session (process %d, %s): the room's screens will show the new proposals within 2 seconds.\n"), m.PID, m.Addr)
	}
}
