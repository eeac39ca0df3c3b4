package cli

// This file holds the help in the user's language: --version, the help of
// the root and of each command, the environment, and the parser's errors
// translated, with the command or flag that was probably meant.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
)

// buildVersion returns the module version and the VCS commit of this binary:
// those the release build set (-X main.version, main.commit), else the
// build information Go records.
func buildVersion(version, commit string) (v, c string) {
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
	v, c := buildVersion(a.version, a.commit)
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
		fmt.Fprintf(w, "%s\n\n%s %s\n\n", cmd.Long, title(a.t("Usage :", "Usage:")), a.placeholders("revue [--data DIR] [--lang fr|en] COMMAND"))
		fmt.Fprintln(w, title(a.t("Commandes :", "Commands:")))
		for _, c := range cmd.Commands() {
			if !c.Hidden {
				fmt.Fprintf(w, "  %s %s\n", nameStyle.Render(fmt.Sprintf("%-11s", c.Name())), c.Short)
			}
		}
		fmt.Fprintf(w, "\n%s\n%s", title(a.t("Options :", "Options:")), a.flagUsages(cmd.Flags()))
		a.helpEnvironment(w, title)
		fmt.Fprintf(w, "\n%s\n%s\n", title(a.t("Exemples :", "Examples:")), indent(cmd.Example))
		fmt.Fprintf(w, "\n%s\n", a.t("Aide d'une commande : revue COMMANDE --help ; complétion : revue completion bash|zsh|fish|powershell ; page de manuel : revue man",
			"Help on a command: revue COMMAND --help; completion: revue completion bash|zsh|fish|powershell; man page: revue man"))
		return
	}
	fmt.Fprintf(w, "%s\n", cmd.Short)
	if cmd.Long != "" {
		fmt.Fprintf(w, "\n%s\n", cmd.Long)
	}
	fmt.Fprintf(w, "\n%s %s\n", title(a.t("Usage :", "Usage:")), a.placeholders(cmd.CommandPath()+strings.TrimPrefix(cmd.Use, cmd.Name())))
	if local := a.flagUsages(cmd.LocalNonPersistentFlags()); local != "" {
		fmt.Fprintf(w, "\n%s\n%s", title(a.t("Options :", "Options:")), local)
	}
	fmt.Fprintf(w, "\n%s\n%s", title(a.t("Options communes :", "Common options:")), a.flagUsages(cmd.InheritedFlags()))
	if cmd.Example != "" {
		fmt.Fprintf(w, "\n%s\n%s\n", title(a.t("Exemple :", "Example:")), indent(cmd.Example))
	}
}

func (a *app) helpEnvironment(w io.Writer, title func(string) string) {
	fmt.Fprintf(w, "\n%s\n", title(a.t("Environnement :", "Environment:")))
	for _, e := range a.environment() {
		fmt.Fprintf(w, "  %-26s %s\n", e[0], e[1])
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
		{"LC_ALL, LC_MESSAGES, LANG", a.t("la première définie décide : français si elle commence par fr", "the first one set decides: French when it starts with fr")},
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
func (a *app) flagUsages(fs *flag.FlagSet) string {
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
			name += " [" + a.placeholders(metavar(f.Name)) + "]"
		default:
			name += " " + a.placeholders(metavar(f.Name))
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
	case "criteria", "output", "authorized-keys", "facilitators", "example-criteria", "consent", "keywords", "log":
		return "FILE"
	case "data":
		return "DIR"
	case "lang":
		return "fr|en"
	case "theme":
		return "dark|light"
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
	case "person":
		return "WHO"
	case "receipt":
		return "RECEIPT"
	case "against":
		return "OLD-EXPORT"
	case "include":
		return "rejected"
	}
	return "N"
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

// levenshtein is the edit distance between two short words, ignoring
// case: the one review measures rewordings with.
func levenshtein(s, t string) int {
	return review.EditDistanceOf(strings.ToLower(s), strings.ToLower(t)).Chars
}
