// Command revue lets a group review, together and live, the links a local AI
// proposes between documents and criteria. This file parses the command line
// and wires the packages together; the work happens in them.
package main

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

	flag "github.com/spf13/pflag"
)

// Exit statuses of PRODUCT.md.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// app is what every command shares: the global settings and the streams.
type app struct {
	data   string
	lang   string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one verb of the command line.
type command struct {
	name    string
	args    string
	summary [2]string // French, English
	example string
	flags   func(a *app, fs *flag.FlagSet) func(ctx context.Context, args []string) error
}

var commands []command

func register(c command) { commands = append(commands, c) }

// run is main without the process: it returns the exit status, so that tests
// can drive the whole command line.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
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

	global := flag.NewFlagSet("revue", flag.ContinueOnError)
	global.SetInterspersed(false)
	global.SetOutput(io.Discard)
	dataFlag := global.String("data", "", "")
	langFlag := global.String("lang", "", "")
	help := global.BoolP("help", "h", false, "")
	a.lang = detectLang("", os.Getenv("LANG"), os.Getenv("LC_ALL"))
	if err := global.Parse(args); err != nil {
		fmt.Fprintf(stderr, "revue: %v\n%s", err, a.usage())
		return exitUsage
	}
	if *langFlag != "" && *langFlag != "fr" && *langFlag != "en" {
		fmt.Fprintf(stderr, "revue: --lang %q: %s\n", *langFlag, a.t("choisissez fr ou en", "use fr or en"))
		return exitUsage
	}
	a.lang = detectLang(*langFlag, os.Getenv("LANG"), os.Getenv("LC_ALL"))
	rest := global.Args()
	if *help || len(rest) == 0 || rest[0] == "help" {
		if len(rest) > 1 {
			rest = []string{rest[1], "--help"}
		} else {
			fmt.Fprint(stdout, a.usage())
			if *help || len(rest) == 1 {
				return exitOK
			}
			return exitUsage
		}
	}
	var cmd *command
	for i := range commands {
		if commands[i].name == rest[0] {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "revue: %s %q\n%s", a.t("commande inconnue", "unknown command"), rest[0], a.usage())
		return exitUsage
	}
	fs := flag.NewFlagSet("revue "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cmdData := fs.String("data", "", a.t("dossier des données (sinon $REVUE_DATA, sinon ~/.local/share/revue)", "data directory (else $REVUE_DATA, else ~/.local/share/revue)"))
	cmdLang := fs.String("lang", "", a.t("langue de l'interface : fr ou en", "interface language: fr or en"))
	cmdHelp := fs.BoolP("help", "h", false, a.t("cette aide", "this help"))
	do := cmd.flags(a, fs)
	if err := fs.Parse(rest[1:]); err != nil {
		fmt.Fprintf(stderr, "revue %s: %v\n%s", cmd.name, err, a.commandUsage(cmd, fs))
		return exitUsage
	}
	if *cmdLang != "" {
		if *cmdLang != "fr" && *cmdLang != "en" {
			fmt.Fprintf(stderr, "revue: --lang %q: %s\n", *cmdLang, a.t("choisissez fr ou en", "use fr or en"))
			return exitUsage
		}
		a.lang = *cmdLang
	}
	if *cmdHelp {
		fmt.Fprint(stdout, a.commandUsage(cmd, fs))
		return exitOK
	}
	dir, err := dataDir(firstNonEmpty(*cmdData, *dataFlag), os.Getenv("REVUE_DATA"))
	if err != nil {
		fmt.Fprintf(stderr, "revue: %v\n", err)
		return exitFail
	}
	a.data = dir
	if err := do(ctx, fs.Args()); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "revue %s: %v\n%s", cmd.name, err, a.commandUsage(cmd, fs))
			return exitUsage
		}
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "revue %s: %s\n", cmd.name, a.t("interrompu ; ce qui était enregistré est gardé", "interrupted; what was recorded is kept"))
			return exitFail
		}
		fmt.Fprintf(stderr, "revue %s: %v\n", cmd.name, err)
		return exitFail
	}
	return exitOK
}

// t picks the French or the English text.
func (a *app) t(fr, en string) string {
	if a.lang == "en" {
		return en
	}
	return fr
}

func (a *app) usage() string {
	var b strings.Builder
	b.WriteString(a.t(
		"Revue : relire ensemble, en direct, les liens qu'une IA locale propose entre des documents et des critères.\n\n",
		"Revue: review together, live, the links a local AI proposes between documents and criteria.\n\n"))
	b.WriteString(a.t("Usage : ", "Usage: ") + "revue [--data DIR] [--lang fr|en] COMMAND\n\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, a.pick(c.summary))
	}
	b.WriteString("\n" + a.t("Exemple : ", "Example: ") + "revue demo\n")
	b.WriteString(a.t("Aide d'une commande : revue COMMAND --help\n", "Help on a command: revue COMMAND --help\n"))
	return b.String()
}

func (a *app) pick(s [2]string) string {
	if a.lang == "en" {
		return s[1]
	}
	return s[0]
}

func (a *app) commandUsage(c *command, fs *flag.FlagSet) string {
	return fmt.Sprintf("%s\n\n%srevue %s %s\n\n%s\n%s\n  %s\n", a.pick(c.summary), a.t("Usage : ", "Usage: "), c.name, c.args,
		flagUsages(fs), a.t("Exemple :", "Example:"), c.example)
}

// flagUsages lists a command's flags, one a line, with the value they take
// and their default: pflag's own listing shows "[=true|false]" after every
// boolean, which reads as noise to non-developers.
func flagUsages(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", " + name
		}
		if f.Value.Type() != "bool" {
			name += " " + metavar(f.Name)
		}
		usage := f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			usage += " (" + f.DefValue + ")"
		}
		fmt.Fprintf(&b, "  %-28s %s\n", name, usage)
	})
	return b.String()
}

// metavar names what a flag takes, as the usage lines write it.
func metavar(flagName string) string {
	switch flagName {
	case "criteria", "output", "authorized-keys", "facilitators":
		return "FILE"
	case "data":
		return "DIR"
	case "lang":
		return "fr|en"
	case "model", "embed-model":
		return "MODEL"
	case "ollama":
		return "URL"
	case "listen":
		return "ADDR"
	case "passcode":
		return "CODE"
	case "session":
		return "NAME"
	case "format":
		return "FORMAT"
	}
	return "N"
}

// detectLang chooses the interface language: the flag, else French when the
// locale is French, else English.
func detectLang(flagValue string, locales ...string) string {
	if flagValue != "" {
		return flagValue
	}
	for _, l := range locales {
		if strings.HasPrefix(strings.ToLower(l), "fr") {
			return "fr"
		}
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
		return "", fmt.Errorf("no data directory: set --data DIR or REVUE_DATA (%v)", err)
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
