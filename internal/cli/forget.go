package cli

import (
	"context"
	"fmt"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// forgetCommand is `revue forget`: a person withdraws; the withdrawal is
// itself an event, and every later export leaves out what they wrote.
var forgetCommand = command{name: "forget", args: "NAME --person WHO",
	summary: [2]string{"retirer une personne : aucun export fait ensuite ne contient ce qu'elle a écrit",
		"withdraw a person: no later export holds what they wrote"},
	long: [2]string{"Le retrait est lui-même inscrit dans la trace ; QUI est le nom de la personne ou l'empreinte de sa clé (SHA256:…).",
		"The withdrawal is itself recorded in the trace; WHO is the person's name or their key's fingerprint (SHA256:...)."},
	example: "revue forget atelier --person camille",
	flags:   forgetFlags}

func forgetFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	person := fs.String("person", "", a.t("la personne à retirer : son nom ou l'empreinte de sa clé", "the person to withdraw: their name or their key's fingerprint"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		if *person == "" {
			return usageError{a.t("--person QUI est obligatoire", "--person WHO is required")}
		}
		return a.withSession(name, func(s *sessionStore) error {
			// Who took part is in the events' actors, not in the
			// documents: the session is folded without their text.
			state, err := s.leanState(ctx)
			if err != nil {
				return err
			}
			people := review.PeopleNamed(state, *person)
			fp := ""
			if len(people) == 0 {
				// WHO may be a key's fingerprint rather than a name.
				for _, e := range state.Events {
					if e.Actor.Role != review.System && e.Actor.Fingerprint != "" && e.Actor.Fingerprint == *person {
						people, fp = []review.Actor{e.Actor}, e.Actor.Fingerprint
						break
					}
				}
			}
			if len(people) == 0 {
				return fmt.Errorf(a.t("personne du nom ou de l'empreinte %q dans la session %s : vérifiez l'orthographe (revue export %s --format votes liste les personnes)",
					"nobody named %q, or with that fingerprint, in session %s: check the spelling (revue export %s --format votes lists the people)"), *person, name, name)
			}
			who := people[0].Name
			if _, err := s.Append(ctx, review.ForgetEvent(name, who, fp, time.Now())); err != nil {
				return err
			}
			// Signed at once, so that a receipt checked later never takes
			// the withdrawal for an event added behind revue's back.
			a.signHead(ctx, s.Store, name, "forget")
			fmt.Fprintf(a.stdout, a.t("%s est retiré·e de la session %s : aucun export fait désormais ne contiendra ses votes, commentaires ni textes. La trace garde l'événement du retrait.\n",
				"%s is withdrawn from session %s: no export made from now on holds their votes, comments or texts. The trace keeps the withdrawal's event.\n"), sanitize.Line(who), name)
			return nil
		})
	}
}
