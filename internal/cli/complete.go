package cli

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/coopdescommuns/revue/store"
)

// completeSessions offers the sessions of the data directory where a
// command takes a session's NAME (its first argument, or --session): the
// shell completes `revue export at<Tab>` into `revue export atelier`. It
// never creates a store: without one there is nothing to offer.
func (a *app) completeSessions(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 && cmd.Flags().Lookup("session") == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	dir, err := a.dataDirOf(cmd)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	path := filepath.Join(dir, "revue.db")
	if _, err := os.Stat(path); err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer st.Close()
	names, err := st.Sessions(cmd.Context())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, toComplete) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
