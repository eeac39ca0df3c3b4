package cli

import (
	"strings"
	"testing"
)

// TestForcedLanguageReachesParticipants: --lang and $REVUE_LANG force the
// participants' language over their ssh's locale (PRODUCT.md, Language),
// while without them a participant's locale wins. The server used to be
// given no language at all, so a forced language reached only the
// facilitator's own terminal.
func TestForcedLanguageReachesParticipants(t *testing.T) {
	data := smallSession(t)
	// serveInBackground reads serve's English lines: the forced language
	// is English, the participant's locale French.
	const en, fr = "This session has no proposal yet", "aucune proposition"
	for _, c := range []struct {
		name, env, flag, want, not string
	}{
		{"--lang en over a French locale", "", "en", en, fr},
		{"REVUE_LANG=en over a French locale", "en", "", en, fr},
		{"the locale wins when nothing forces", "", "", fr, en},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("REVUE_LANG", c.env)
			// The facilitator's own locale is English: only a forced
			// language may reach the participants.
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANG", "en_US.UTF-8")
			args := []string{"--data", data}
			if c.flag != "" {
				args = append(args, "--lang", c.flag)
			}
			addr := serveInBackground(t, append(args, "serve", "--session", "m", "--listen", "127.0.0.1:0")...)
			screen := dialShellLang(t, addr, "lea", "fr_FR.UTF-8", c.want)
			if strings.Contains(screen.String(), c.not) {
				t.Errorf("the screen holds %q:\n%q", c.not, screen.String())
			}
		})
	}
}
