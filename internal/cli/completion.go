package cli

// This file holds `revue completion` and `revue man`: the completion
// scripts and the man page, generated from the command tree.

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"
)

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
			page := a.manPage(cmd.Root())
			out := cmd.OutOrStdout()
			if f, ok := out.(*os.File); ok && term.IsTerminal(f.Fd()) {
				return a.showMan(page, f)
			}
			_, err := io.WriteString(out, page)
			return err
		},
	}
}

// showMan shows the man page on a terminal, where its roff would be
// unreadable: through `man -l -` when man is installed, else it says how
// to read it, and where the .deb puts it.
func (a *app) showMan(page string, tty *os.File) error {
	manPath, err := exec.LookPath("man")
	if err != nil {
		fmt.Fprintln(a.stderr, a.t("revue man écrit la page de manuel en roff, illisible telle quelle sur un terminal : lisez-la avec « revue man | man -l - » (installez man : paquet man-db), ou installez le paquet .deb et tapez « man revue ».",
			"revue man writes the man page in roff, unreadable as it is on a terminal: read it with \"revue man | man -l -\" (install man: package man-db), or install the .deb package and type \"man revue\"."))
		return nil
	}
	cmd := exec.Command(manPath, "-l", "-")
	cmd.Stdin = strings.NewReader(page)
	cmd.Stdout, cmd.Stderr = tty, a.stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf(a.t("man -l - n'a pas pu afficher la page (%v) : essayez « revue man > revue.1 » puis « man -l revue.1 »",
			"man -l - could not show the page (%v): try \"revue man > revue.1\" then \"man -l revue.1\""), err)
	}
	return nil
}

// manPage renders the whole command tree as a section 1 man page.
func (a *app) manPage(root *cobra.Command) string {
	doc := roff.NewDocument()
	doc.Heading(1, "revue", a.t("Manuel de revue", "revue manual"), manDate())
	doc.Section(a.t("Nom", "Name"))
	doc.Text("revue - " + root.Short)
	doc.Section(a.t("Synopsis", "Synopsis"))
	doc.TextBold("revue")
	doc.Text(a.placeholders(" [--data DIR] [--lang fr|en] COMMAND [--help]"))
	doc.Section(a.t("Description", "Description"))
	doc.Text(root.Long)
	doc.Section(a.t("Commandes", "Commands"))
	for _, c := range root.Commands() {
		if c.Hidden {
			continue
		}
		doc.TaggedParagraph(-1)
		doc.TextBold(a.placeholders("revue " + c.Use))
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
