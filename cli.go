package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"
)

// version and commit are set by the release build:
// -ldflags "-X main.version=1.2.3 -X main.commit=abc…" (.goreleaser.yaml).
// Without them the build information Go records stands in.
var version, commit string

// buildVersion returns the module version and the VCS commit of this binary.
func buildVersion() (v, c string) {
	v, c = version, commit
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v, c
	}
	if v == "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	if c == "" {
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				c = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if c != "" && modified {
			c += "+dirty"
		}
	}
	return v, c
}

// versionText is what --version prints.
func (a *app) versionText() string {
	v, c := buildVersion()
	if v == "" {
		v = a.t("(version de développement)", "(development build)")
	}
	if c == "" {
		c = a.t("inconnu (compilé sans l'information de Git)", "unknown (built without Git information)")
	}
	return fmt.Sprintf("revue %s\ncommit %s\n%s %s/%s\n", v, c, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// Styles of the help: the titles stand out on a terminal; colorprofile
// removes the colours when the output is a file or a pipe.
var (
	titleStyle = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#8B5CF6"))
	nameStyle  = lipgloss.NewStyle().Bold(true)
)

// help writes the help of cmd on its standard output.
func (a *app) help(cmd *cobra.Command) {
	w := colorprofile.NewWriter(cmd.OutOrStdout(), os.Environ())
	title := func(s string) string { return titleStyle.Render(s) }
	if !cmd.HasParent() {
		fmt.Fprintf(w, "%s\n\n%s revue [--data DIR] [--lang fr|en] COMMAND\n\n", cmd.Long, title(a.t("Usage :", "Usage:")))
		fmt.Fprintln(w, title(a.t("Commandes :", "Commands:")))
		for _, c := range cmd.Commands() {
			if !c.Hidden {
				fmt.Fprintf(w, "  %s %s\n", nameStyle.Render(fmt.Sprintf("%-11s", c.Name())), c.Short)
			}
		}
		fmt.Fprintf(w, "\n%s\n%s", title(a.t("Options :", "Options:")), flagUsages(cmd.Flags()))
		a.helpEnvironment(w, title)
		fmt.Fprintf(w, "\n%s\n%s\n", title(a.t("Exemples :", "Examples:")), indent(cmd.Example))
		fmt.Fprintf(w, "\n%s\n", a.t("Aide d'une commande : revue COMMAND --help ; complétion : revue completion bash|zsh|fish|powershell ; page de manuel : revue man",
			"Help on a command: revue COMMAND --help; completion: revue completion bash|zsh|fish|powershell; man page: revue man"))
		return
	}
	fmt.Fprintf(w, "%s\n", cmd.Short)
	if cmd.Long != "" {
		fmt.Fprintf(w, "\n%s\n", cmd.Long)
	}
	fmt.Fprintf(w, "\n%s %s\n", title(a.t("Usage :", "Usage:")), cmd.CommandPath()+strings.TrimPrefix(cmd.Use, cmd.Name()))
	if local := flagUsages(cmd.LocalNonPersistentFlags()); local != "" {
		fmt.Fprintf(w, "\n%s\n%s", title(a.t("Options :", "Options:")), local)
	}
	fmt.Fprintf(w, "\n%s\n%s", title(a.t("Options communes :", "Common options:")), flagUsages(cmd.InheritedFlags()))
	if cmd.Example != "" {
		fmt.Fprintf(w, "\n%s\n%s\n", title(a.t("Exemple :", "Example:")), indent(cmd.Example))
	}
}

func (a *app) helpEnvironment(w io.Writer, title func(string) string) {
	fmt.Fprintf(w, "\n%s\n", title(a.t("Environnement :", "Environment:")))
	for _, e := range a.environment() {
		fmt.Fprintf(w, "  %-22s %s\n", e[0], e[1])
	}
}

// environment lists the variables revue reads, with what they stand for.
func (a *app) environment() [][2]string {
	return [][2]string{
		{"REVUE_DATA", a.t("le dossier des données, comme --data", "the data directory, as --data")},
		{"REVUE_LANG", a.t("la langue, comme --lang", "the language, as --lang")},
		{"REVUE_LISTEN", a.t("--listen de serve et review", "--listen of serve and review")},
		{"REVUE_PASSCODE", a.t("--passcode de serve et review", "--passcode of serve and review")},
		{"REVUE_AUTHORIZED_KEYS", a.t("--authorized-keys de serve et review", "--authorized-keys of serve and review")},
		{"REVUE_FACILITATORS", a.t("--facilitators de serve et review", "--facilitators of serve and review")},
		{"OLLAMA_HOST", a.t("l'adresse d'Ollama, comme pour ses propres outils", "Ollama's address, as for its own tools")},
		{"LANG, LC_ALL", a.t("français si elles commencent par fr", "French when they start with fr")},
	}
}

func indent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// flagUsages lists flags, one a line, with the value they take and their
// default: pflag's own listing shows "[=true|false]" after every boolean,
// which reads as noise to non-developers.
func flagUsages(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		if f.Hidden {
			return
		}
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", " + name
		}
		switch {
		case f.Value.Type() == "bool":
		case f.NoOptDefVal != "":
			name += " [" + metavar(f.Name) + "]"
		default:
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

// unknownCommand is the usage error of `revue WORD` when WORD is no command,
// with the commands it resembles.
func (a *app) unknownCommand(root *cobra.Command, word string) error {
	msg := fmt.Sprintf(a.t("commande inconnue %q", "unknown command %q"), word)
	if s := root.SuggestionsFor(word); len(s) > 0 {
		msg += fmt.Sprintf(a.t(" ; vouliez-vous dire %s ?", "; did you mean %s?"), strings.Join(s, a.t(" ou ", " or ")))
	} else {
		msg += a.t(" ; revue --help liste les commandes", "; revue --help lists the commands")
	}
	return usageError{msg}
}

// flagError translates pflag's English errors, by their type, and suggests
// the flag that was probably meant.
func (a *app) flagError(cmd *cobra.Command, err error) error {
	var notExist *flag.NotExistError
	var needs *flag.ValueRequiredError
	var invalid *flag.InvalidValueError
	var syntax *flag.InvalidSyntaxError
	switch {
	case errors.As(err, &notExist):
		name := notExist.GetSpecifiedName()
		if short := notExist.GetSpecifiedShortnames(); short != "" {
			return usagef(a.t("option inconnue -%s (dans -%s)", "unknown flag -%s (in -%s)"), name, short)
		}
		msg := fmt.Sprintf(a.t("option inconnue --%s", "unknown flag: --%s"), name)
		if s := suggestFlag(cmd.Flags(), name); s != "" {
			msg += fmt.Sprintf(a.t(" ; vouliez-vous dire --%s ?", "; did you mean --%s?"), s)
		}
		return usageError{msg}
	case errors.As(err, &needs):
		f := needs.GetFlag()
		return usagef(a.t("l'option --%s attend une valeur (%s)", "flag --%s needs a value (%s)"), f.Name, metavar(f.Name))
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return usagef(a.t("--%s %q : valeur invalide, il faut %s", "--%s %q: invalid value, %s expected"), f.Name, invalid.GetValue(), a.valueKind(f))
	case errors.As(err, &syntax):
		return usagef(a.t("option mal écrite %q : écrivez --nom ou --nom=valeur", "badly written flag %q: write --name or --name=value"), syntax.GetSpecifiedFlag())
	}
	return usageError{err.Error()}
}

// valueKind says in words what a flag's value must be.
func (a *app) valueKind(f *flag.Flag) string {
	switch f.Value.Type() {
	case "int", "int64", "uint", "int32":
		return a.t("un nombre entier", "a whole number")
	case "float64", "float32":
		return a.t("un nombre", "a number")
	case "bool":
		return a.t("true ou false", "true or false")
	case "duration":
		return a.t("une durée comme 90s ou 5m", "a duration such as 90s or 5m")
	}
	return a.t("une valeur", "a value")
}

// suggestFlag is the flag of fs nearest to name, or "" when none is close.
func suggestFlag(fs *flag.FlagSet, name string) string {
	best, bestD := "", 3
	fs.VisitAll(func(f *flag.Flag) {
		if f.Hidden {
			return
		}
		d := levenshtein(name, f.Name)
		if strings.HasPrefix(f.Name, name) && len(name) >= 3 {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	})
	return best
}

// levenshtein is the edit distance between two short words.
func levenshtein(s, t string) int {
	a, b := []rune(strings.ToLower(s)), []rune(strings.ToLower(t))
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

var shells = []string{"bash", "zsh", "fish", "powershell"}

// completionCommand writes a completion script; cobra's own command has
// English texts only.
func (a *app) completionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: a.t("le script de complétion d'un shell", "a shell's completion script"),
		Long: a.t(
			"Écrit sur la sortie standard le script qui complète les commandes et les options de revue.\n"+
				"  bash :        revue completion bash > ~/.local/share/bash-completion/completions/revue\n"+
				"  zsh :         revue completion zsh > \"${fpath[1]}/_revue\"\n"+
				"  fish :        revue completion fish > ~/.config/fish/completions/revue.fish\n"+
				"  PowerShell :  revue completion powershell | Out-String | Invoke-Expression\n"+
				"Le paquet .deb les installe déjà.",
			"Writes on the standard output the script that completes revue's commands and flags.\n"+
				"  bash:        revue completion bash > ~/.local/share/bash-completion/completions/revue\n"+
				"  zsh:         revue completion zsh > \"${fpath[1]}/_revue\"\n"+
				"  fish:        revue completion fish > ~/.config/fish/completions/revue.fish\n"+
				"  PowerShell:  revue completion powershell | Out-String | Invoke-Expression\n"+
				"The .deb package installs them already."),
		Example:               "revue completion bash > ~/.local/share/bash-completion/completions/revue",
		ValidArgs:             shells,
		DisableFlagsInUseLine: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || !slices.Contains(shells, args[0]) {
				return usageError{a.t("il faut un shell : bash, zsh, fish ou powershell", "one shell is needed: bash, zsh, fish or powershell")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			}
			return root.GenPowerShellCompletionWithDesc(out)
		},
	}
}

// manCommand writes the man page, in roff, in the user's language: the
// release writes it once in each language into the .deb.
func (a *app) manCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "man",
		Short:  a.t("la page de manuel (roff) sur la sortie standard", "the man page (roff) on the standard output"),
		Hidden: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 {
				return usageError{a.t("man ne prend pas d'argument", "man takes no argument")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := io.WriteString(cmd.OutOrStdout(), a.manPage(cmd.Root()))
			return err
		},
	}
}

// manPage renders the whole command tree as a section 1 man page.
func (a *app) manPage(root *cobra.Command) string {
	doc := roff.NewDocument()
	doc.Heading(1, "revue", a.t("Manuel de revue", "revue manual"), manDate())
	doc.Section(a.t("Nom", "Name"))
	doc.Text("revue - " + root.Short)
	doc.Section(a.t("Synopsis", "Synopsis"))
	doc.TextBold("revue")
	doc.Text(" [--data DIR] [--lang fr|en] COMMAND [--help]")
	doc.Section(a.t("Description", "Description"))
	doc.Text(root.Long)
	doc.Section(a.t("Commandes", "Commands"))
	for _, c := range root.Commands() {
		if c.Hidden {
			continue
		}
		doc.TaggedParagraph(-1)
		doc.TextBold("revue " + c.Use)
		doc.Text("\n" + c.Short)
		if c.Long != "" {
			doc.Text("\n" + c.Long)
		}
		c.LocalNonPersistentFlags().VisitAll(func(f *flag.Flag) {
			if f.Hidden {
				return
			}
			doc.Indent(-1)
			doc.TaggedParagraph(-1)
			doc.TextBold("--" + f.Name)
			doc.Text("\n" + f.Usage)
			doc.IndentEnd()
		})
		if c.Example != "" {
			doc.Text("\n" + a.t("Exemple : ", "Example: ") + strings.ReplaceAll(c.Example, "\n", " ; "))
		}
	}
	doc.Section(a.t("Options communes", "Common options"))
	root.Flags().VisitAll(func(f *flag.Flag) {
		doc.TaggedParagraph(-1)
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", " + name
		}
		doc.TextBold(name)
		doc.Text("\n" + f.Usage)
	})
	doc.Section(a.t("Environnement", "Environment"))
	for _, e := range a.environment() {
		doc.TaggedParagraph(-1)
		doc.TextBold(e[0])
		doc.Text("\n" + e[1])
	}
	doc.Section(a.t("Code de retour", "Exit status"))
	doc.Text(a.t("0 en cas de succès, 1 en cas d'échec, 2 pour une erreur d'utilisation.", "0 on success, 1 on failure, 2 on a usage error."))
	doc.Section(a.t("Fichiers", "Files"))
	doc.Text(a.t("~/.local/share/revue/revue.db : la trace de chaque session (SQLite) ; ssh_host_ed25519 : la clé d'hôte du serveur SSH.",
		"~/.local/share/revue/revue.db: the trace of every session (SQLite); ssh_host_ed25519: the SSH server's host key."))
	return doc.String()
}

// manDate is the date on the man page: SOURCE_DATE_EPOCH when the build
// sets it (reproducible packages), else the commit's time, else today.
func manDate() time.Time {
	if s, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return time.Unix(s, 0).UTC()
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.time" {
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
					return t
				}
			}
		}
	}
	return time.Now().UTC()
}
