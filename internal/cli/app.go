// Package cli is Revue's command line: one file per command, named after it
// (demo.go, init.go, propose.go, serve.go, review.go, export.go, report.go,
// dossier.go, forget.go, verify.go, sessions.go), server.go for the SSH settings that
// serve, review and demo share, help.go and completion.go for the help, the
// man page and the completion scripts, localize.go for the other packages'
// messages in French, and this file for what every command shares: the app,
// the command table, the errors and their exit statuses, and the one way a
// command opens the store for a session (withSession).
//
// A new command is a file named after it that declares its command, and one
// entry in commands. Every text written here is a.t(French, English) where
// it is used (TestMessagesInBothLanguages checks it); the packages below
// write English only, and keep the French of their messages beside their
// code, in their messages.go, which localize.go applies.
//
// The command line is built on cobra (completions, suggestions, the command
// tree) with its own help, version and man page in French and English:
// charm.land/fang/v2 would style the help, but it prints its section titles
// ("USAGE", "EXAMPLES", "COMMANDS", "FLAGS") and its man page headings in
// English only, and French users come first.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

// Exit statuses of PRODUCT.md.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// errNoCommand is `revue` alone: the usage is printed, the status is 2, and
// there is nothing more to say.
var errNoCommand error = noCommand{}

type noCommand struct{}

func (noCommand) Error() string { return "revue COMMAND" }

// errSilent is a failure whose sentences the command already printed (a
// damaged session among healthy ones, a broken chain): only the exit
// status remains to be given.
var errSilent error = silentError{}

type silentError struct{}

func (silentError) Error() string { return "" }

// app is what every command shares: the global settings and the streams.
type app struct {
	data string
	lang string
	// forced is the language --lang or $REVUE_LANG asked for, "" when the
	// locale chose: only a forced language is imposed on participants,
	// who otherwise get their own locale's or the session's.
	forced string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// version and commit are the release build's (see buildVersion).
	version, commit string

	// onListen, when set, is told the SSH server's address once it
	// listens (the demo's simulated room joins it there).
	onListen func(addr string)
	// beforeShutdown, when set, runs just before the SSH server stops:
	// the demo lets its simulated room leave first.
	beforeShutdown func()
}

// command is one verb of the command line. Each command's file declares
// one, and commands lists them; run turns them into cobra commands once the
// language is known, so that every help text is in the user's language.
type command struct {
	name    string
	args    string
	summary [2]string // French, English
	long    [2]string // optional: more than the summary, French, English
	example string
	hidden  bool
	flags   func(a *app, fs *flag.FlagSet) func(ctx context.Context, args []string) error
}

// commands are the verbs in the order of a workshop, the order the help
// lists them in (demo, init, propose, serve, review, export...). A new
// command is a new file declaring its command, and one entry here.
var commands = []command{demoCommand, initCommand, proposeCommand, serveCommand, reviewCommand,
	exportCommand, reportCommand, dossierCommand, forgetCommand, verifyCommand, sessionsCommand}

// Main runs the command line as the process revue, with the release
// build's version and commit, and returns the exit status. Ctrl-C and
// SIGTERM cancel the running command's context.
func Main(args []string, version, commit string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, version: version, commit: commit}
	return a.run(ctx, args)
}

// run is Main without the process: it returns the exit status, so that
// tests can drive the whole command line.
func (a *app) run(ctx context.Context, args []string) (code int) {
	stderr := a.stderr
	a.lang = detectLang("", locales()...)
	defer func() {
		// No Go stack trace ever reaches a user: a bug becomes one sentence,
		// and the trace goes to a file they can send.
		if r := recover(); r != nil {
			path := filepath.Join(os.TempDir(), "revue-crash.txt")
			_ = os.WriteFile(path, fmt.Appendf(nil, "%v\n\n%s", r, debug.Stack()), 0o600)
			fmt.Fprintf(stderr, "revue: %s (%v); %s %s\n", a.t("erreur interne", "internal error"), r,
				a.t("détails pour un signalement dans", "details for a bug report in"), path)
			code = exitFail
		}
	}()
	lang, err := a.chooseLang(args)
	if err != nil {
		fmt.Fprintf(stderr, "revue: %v\n", err)
		return exitUsage
	}
	a.lang = lang
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	return a.fail(cmd, err)
}

// fail prints err as one sentence on stderr and returns the exit status.
func (a *app) fail(cmd *cobra.Command, err error) int {
	where := "revue"
	if cmd != nil && cmd.HasParent() {
		where = cmd.CommandPath()
	}
	var ue usageError
	switch {
	case errors.Is(err, errNoCommand):
		return exitUsage
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "%s: %v\n%s %s --help\n", where, err, a.t("Aide :", "Help:"), where)
		return exitUsage
	case errors.Is(err, errSilent):
		return exitFail
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(a.stderr, "%s: %s\n", where, a.t("interrompu ; ce qui était enregistré est gardé", "interrupted; what was recorded is kept"))
		return exitFail
	}
	if full, ok := a.diskFull(err); ok {
		fmt.Fprintf(a.stderr, "%s: %s\n", where, full)
		return exitFail
	}
	fmt.Fprintf(a.stderr, "%s: %s\n", where, a.localize(err))
	return exitFail
}

// chooseLang finds the interface language before the command line is
// parsed, because the help texts and the parser's own messages depend on
// it: --lang, else $REVUE_LANG, else the locale.
func (a *app) chooseLang(args []string) (string, error) {
	value, from := "", ""
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "--":
			i = len(args)
		case arg == "--lang" && i+1 < len(args):
			value, from = args[i+1], "--lang"
			i++
		case strings.HasPrefix(arg, "--lang="):
			value, from = strings.TrimPrefix(arg, "--lang="), "--lang"
		}
	}
	if from == "" {
		if env := os.Getenv("REVUE_LANG"); env != "" {
			value, from = env, "REVUE_LANG"
		}
	}
	if from != "" && value != "fr" && value != "en" {
		return "", fmt.Errorf("%s %q: %s", from, value, a.t("choisissez fr ou en", "use fr or en"))
	}
	if from != "" {
		a.forced = value
	}
	return detectLang(value, locales()...), nil
}

// rootCommand builds the command tree in a's language.
func (a *app) rootCommand() *cobra.Command {
	// The commands keep the order they were registered in, the order of a
	// workshop (demo, init, propose, serve, review, export...).
	cobra.EnableCommandSorting = false
	root := &cobra.Command{
		Use:   "revue",
		Short: a.t("relire ensemble, en direct, les liens qu'une IA locale propose entre des documents et des critères", "review together, live, the links a local AI proposes between documents and criteria"),
		Long: a.t(
			"Revue : relire ensemble, en direct, les liens qu'une IA locale propose entre des documents et des critères.",
			"Revue: review together, live, the links a local AI proposes between documents and criteria."),
		Example:       "revue demo\nrevue init atelier --criteria criteres.md rapports/\nrevue propose atelier --frugal\nrevue review atelier --listen :2222",
		Version:       a.versionText(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// revue alone prints the usage and exits 2; revue WORD, when WORD
		// is no command, is a usage error with a suggestion.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return a.unknownCommand(cmd, args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			a.help(cmd)
			return errNoCommand
		},
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("{{.Version}}")
	pf := root.PersistentFlags()
	pf.String("data", "", a.t("dossier des données (sinon $REVUE_DATA, sinon ~/.local/share/revue)", "data directory (else $REVUE_DATA, else ~/.local/share/revue)"))
	pf.String("lang", "", a.t("langue de l'interface : fr ou en (sinon $REVUE_LANG, sinon $LANG)", "interface language: fr or en (else $REVUE_LANG, else $LANG)"))
	pf.BoolP("help", "h", false, a.t("cette aide", "this help"))
	root.Flags().BoolP("version", "v", false, a.t("la version et le commit de ce programme", "this program's version and commit"))
	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) { a.help(cmd) })
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return a.flagError(cmd, err) })
	root.SetHelpCommand(&cobra.Command{
		Use:    "help [COMMAND]",
		Short:  a.t("l'aide d'une commande", "help on a command"),
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return a.unknownCommand(cmd.Root(), strings.Join(args, " "))
			}
			a.help(target)
			return nil
		},
	})
	for _, c := range commands {
		root.AddCommand(a.cobraCommand(c))
	}
	root.AddCommand(a.completionCommand(), a.manCommand())
	return root
}

// cobraCommand turns a registered command into a cobra command.
func (a *app) cobraCommand(c command) *cobra.Command {
	cc := &cobra.Command{
		Use:                   strings.TrimSpace(c.name + " " + c.args),
		Short:                 a.pick(c.summary),
		Long:                  a.pick(c.long),
		Example:               c.example,
		Hidden:                c.hidden,
		Args:                  cobra.ArbitraryArgs,
		DisableFlagsInUseLine: true,
	}
	do := c.flags(a, cc.Flags())
	if strings.HasPrefix(c.args, "NAME") {
		cc.ValidArgsFunction = a.completeSessions
	}
	if cc.Flags().Lookup("session") != nil {
		_ = cc.RegisterFlagCompletionFunc("session", a.completeSessions)
	}
	cc.RunE = func(cmd *cobra.Command, args []string) error {
		dir, err := a.dataDirOf(cmd)
		if err != nil {
			return err
		}
		a.data = dir
		return do(cmd.Context(), args)
	}
	return cc
}

// dataDirOf resolves the data directory of a command about to run.
func (a *app) dataDirOf(cmd *cobra.Command) (string, error) {
	flagValue, _ := cmd.Flags().GetString("data")
	if cmd.Flags().Changed("data") && strings.TrimSpace(flagValue) == "" {
		def, _ := dataDir("", os.Getenv("REVUE_DATA"))
		return "", usagef(a.t("--data est vide : donnez un dossier, par exemple --data ~/revue, ou retirez --data pour utiliser %s",
			"--data is empty: give a directory, for example --data ~/revue, or leave --data out to use %s"), def)
	}
	dir, err := dataDir(flagValue, os.Getenv("REVUE_DATA"))
	if err != nil {
		return "", fmt.Errorf(a.t("pas de dossier des données : donnez --data DOSSIER ou REVUE_DATA (%v)", "no data directory: set --data DIR or REVUE_DATA (%v)"), err)
	}
	return dir, nil
}

// t picks the French or the English text. Every message of the command line
// goes through it (TestMessagesInBothLanguages checks each pair).
func (a *app) t(fr, en string) string {
	if a.lang == "en" {
		return en
	}
	return fr
}

func (a *app) pick(s [2]string) string {
	if a.lang == "en" {
		return s[1]
	}
	return s[0]
}

// locales are the variables that set the language of messages, in the
// order POSIX gives them: LC_ALL overrides LC_MESSAGES, which overrides
// LANG.
func locales() []string {
	return []string{os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG")}
}

// detectLang chooses the interface language: the flag, else the first
// locale set (see locales) decides, French when it starts with fr,
// English otherwise (LC_ALL=C over LANG=fr_FR.UTF-8 is English, as for
// every POSIX program).
func detectLang(flagValue string, locales ...string) string {
	if flagValue != "" {
		return flagValue
	}
	for _, l := range locales {
		if l == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(l), "fr") {
			return "fr"
		}
		return "en"
	}
	return "en"
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// dataDir resolves the data directory: the flag, $REVUE_DATA, then the XDG
// data directory.
func dataDir(flagValue, env string) (string, error) {
	if d := firstNonEmpty(flagValue, env); d != "" {
		return d, nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "revue"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "revue"), nil
}

var sessionName = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$`)

// checkName refuses session names that would be awkward in an ssh command
// or a file name.
func (a *app) checkName(name string) error {
	if !sessionName.MatchString(name) {
		return usagef(a.t("nom de session %q invalide : lettres, chiffres, « . », « _ » ou « - », 64 au plus",
			"invalid session name %q: letters, digits, '.', '_' or '-', 64 at most"), name)
	}
	return nil
}

func oneName(a *app, args []string) (string, error) {
	if len(args) != 1 {
		return "", usageError{a.t("il faut un nom de session, et un seul", "one session name is needed")}
	}
	return args[0], a.checkName(args[0])
}

// systemActor is the author of what the command line records.
var systemActor = review.Actor{Name: "revue", Role: review.System}

// openStore opens the data directory's database, for the commands that
// work on every session (init, serve, sessions).
func (a *app) openStore() (*store.Store, error) {
	return store.Open(filepath.Join(a.data, "revue.db"))
}

// sessionStore is the store opened for one session by withSession.
type sessionStore struct {
	*store.Store
	name string
	a    *app
}

// withSession opens the data directory's store for the session name, runs
// do with it and closes the store: the one way the commands that work on
// one session (propose, review, export, report, forget, verify) reach it.
func (a *app) withSession(name string, do func(s *sessionStore) error) error {
	st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	return do(&sessionStore{Store: st, name: name, a: a})
}

// servedState replays the session event by event, as `revue serve` does:
// each document's text is kept once, decoded, and its event keeps only the
// document's ID (review.State.ApplyServed). It is for the commands that
// read the documents but never write the trace's payloads again (propose):
// the 18,000 pads of realistic size are then 140 MB held once, not twice.
func (s *sessionStore) servedState(ctx context.Context) (*review.State, error) {
	state := review.NewState()
	err := s.Each(ctx, s.name, state.ApplyServed)
	if errors.Is(err, store.ErrNoSession) {
		return nil, s.a.noSession(s.name)
	}
	return state, err
}

// leanState replays the session as `revue serve` does: no passage's text
// is held, each is read from the store when asked (review.State.ApplyLean,
// store.Texts). It is for `propose --frugal`, which reads every passage
// once to index it and quotes a few, and for `forget`, which reads none.
func (s *sessionStore) leanState(ctx context.Context) (*review.State, error) {
	state := review.NewState()
	err := s.Each(ctx, s.name, state.ApplyLean)
	if errors.Is(err, store.ErrNoSession) {
		return nil, s.a.noSession(s.name)
	}
	state.SetText(s.Texts(s.name, nil))
	return state, err
}

// leanEvents reads the session's trace event by event, each document's
// passages without their text (review.WithoutPassageText): for an export,
// which reads the text from the store as it writes it, and for the report
// and the dossier, which show none.
func (s *sessionStore) leanEvents(ctx context.Context) ([]review.Event, error) {
	var events []review.Event
	err := s.Each(ctx, s.name, func(e review.Event) error {
		e, err := review.WithoutPassageText(e)
		events = append(events, e)
		return err
	})
	if errors.Is(err, store.ErrNoSession) {
		return nil, s.a.noSession(s.name)
	}
	return events, err
}

// events reads the session's trace, naming the session that does not exist.
func (s *sessionStore) events(ctx context.Context) ([]review.Event, error) {
	return s.a.events(ctx, s.Store, s.name)
}

// events reads a session's trace, naming the session that does not exist.
func (a *app) events(ctx context.Context, st *store.Store, name string) ([]review.Event, error) {
	events, err := st.Replay(ctx, name)
	if errors.Is(err, store.ErrNoSession) {
		return nil, a.noSession(name)
	}
	return events, err
}

// noSession says that the data directory holds no session name.
func (a *app) noSession(name string) error {
	return fmt.Errorf(a.t("pas de session %q dans %s ; `revue sessions` les liste", "no session %q in %s; `revue sessions` lists them"), name, a.data)
}

// load replays a session into its state.
func (a *app) load(ctx context.Context, st *store.Store, name string) (*review.State, error) {
	events, err := a.events(ctx, st, name)
	if err != nil {
		return nil, err
	}
	state, err := review.Replay(events)
	if err != nil {
		return nil, fmt.Errorf(a.t("session %q : %w", "session %q: %w"), name, err)
	}
	return state, nil
}
