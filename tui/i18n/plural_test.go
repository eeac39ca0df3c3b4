package i18n

import (
	"fmt"
	"testing"

	"github.com/coopdescommuns/revue/internal/testtool"
)

// TestPlurals writes the counted sentences of the screens with counts of
// 0, 1 and 2 in both languages: a noun after a count agrees with it
// ("1 lien à traiter", "1 link sealed").
func TestPlurals(t *testing.T) {
	for lang, x := range map[string]*Text{"fr": &French, "en": &English} {
		for n := range 3 {
			for _, s := range []string{
				x.Count(n, x.AgendaLink, x.AgendaLinks),
				fmt.Sprintf(x.Form(n, x.AgendaPaceOne, x.AgendaPace), n, 4),
				fmt.Sprintf(x.Form(n, x.UnanimousConfirm1, x.UnanimousConfirm), n, 2),
				x.Count(n, x.UnanimousSealed1, x.UnanimousSealed),
				x.Count(n, x.BlindVote, x.BlindVotes),
				x.Count(n, x.BlindVersion, x.BlindVersions),
				x.Count(n, x.Refused1, x.Refused),
				x.Tokens(n, n),
			} {
				if bad := testtool.SingularMistakes(lang, n, s); len(bad) > 0 {
					t.Errorf("%s, %d: %q", lang, n, s)
				}
			}
		}
	}
}
