package room

import "fmt"

// text is every word the projector shows, in one language. The table is
// the package's own, so that the projector depends on nothing of the
// review screen's strings and can be read alone; the words follow the
// review screen's (« animation », « lien », « énoncé »).
type text struct {
	AppName string
	Colon   string // ": " in English, " : " in French, where a colon is typeset
	Quote   string // quotation marks around %s, bound to their words

	Criterion     string
	Statement     string
	StatementKept string
	StatementOff  string
	Passage       string
	Page          string // "page %d"
	QuoteMissing  string
	OtherWordings func(n int) string

	Votes        string
	Blind        string
	BlindHidden  string
	Revealed     string
	Turnout      func(votes, people int) string
	Passing      func(n int) string
	Disagreement string
	NoVotes      string

	Decision  string
	Accepted  string
	Rejected  string
	Rephrased string
	WordingBy string // "wording by %s (version %d)"
	DecidedBy string // "by %s at %s"
	// The notices: who did what to which link, the link being ThisLink
	// or ThatLink.
	VerbAccepted string // "%s accepted %s"
	VerbRejected string
	VerbReworded string
	VerbReopened string
	VerbRevealed string
	ThisLink     string
	ThatLink     string // "link %d (%s)": its place in the session and its criterion
	Reopened     func(n int) string

	AcceptWord, RejectWord, RephraseWord string

	ReasonOffTopic, ReasonQuoteInexact, ReasonTooVague, ReasonWrongCriterion, ReasonOther string

	Timer        string
	TimeUp       string
	LedBy        string // "led by %s"
	NoLeader     string
	Progress     func(decided, total int) string
	NoProposal   string
	AllDecided   string
	TooSmall     string // "%d×%d: at least %d×%d"
	LinkPosition string // "link %d of %d"
}

func language(lang string) *text {
	if lang == "en" {
		return &english
	}
	return &french
}

// plural picks a word form. French counts 0 and 1 as singular, English
// only 1.
func plural(n int, one, many string, zeroIsOne bool) string {
	if n == 1 || (zeroIsOne && n == 0) {
		return one
	}
	return many
}

var french = text{
	AppName: "Revue",
	Colon:   "\u00a0: ",
	Quote:   "«\u00a0%s\u00a0»",

	Criterion:     "Critère",
	Statement:     "Énoncé proposé",
	StatementKept: "Énoncé retenu",
	StatementOff:  "Énoncé écarté",
	Passage:       "Passage",
	Page:          "page %d",
	QuoteMissing:  "citation introuvable dans le passage",
	OtherWordings: func(n int) string {
		return fmt.Sprintf("%d autre%s formulation%s proposée%s", n, plural(n, "", "s", true), plural(n, "", "s", true), plural(n, "", "s", true))
	},

	Votes:       "Votes",
	Blind:       "vote à l'aveugle",
	BlindHidden: "Les avis restent cachés jusqu'à ce que l'animation les dévoile.",
	Revealed:    "votes dévoilés",
	// The turnout is review.ProposalState.Turnout: participants present
	// who voted, over participants present; the review screen counts the
	// same.
	Turnout: func(votes, people int) string {
		if people == 0 {
			return "Aucun·e participant·e connecté·e."
		}
		return fmt.Sprintf("%d sur %d participant·e%s %s voté · %d %%", votes, people, plural(people, "", "s", true),
			plural(votes, "a", "ont", true), votes*100/people)
	},
	Passing:      func(n int) string { return fmt.Sprintf("%d passe%s", n, plural(n, "", "nt", true)) },
	Disagreement: "désaccord",
	NoVotes:      "Pas encore de vote.",

	Decision:     "Décision",
	Accepted:     "Accepté",
	Rejected:     "Rejeté",
	Rephrased:    "Reformulé",
	WordingBy:    "formulation de %s (version %d)",
	DecidedBy:    "par %s à %s",
	VerbAccepted: "%s a accepté %s",
	VerbRejected: "%s a rejeté %s",
	VerbReworded: "%s a retenu une reformulation pour %s",
	VerbReopened: "%s a rouvert %s",
	VerbRevealed: "%s a dévoilé les votes sur %s",
	ThisLink:     "ce lien",
	ThatLink:     "le lien %d (%s)",
	Reopened:     func(n int) string { return fmt.Sprintf("rouvert %d fois", n) },

	AcceptWord: "accepter", RejectWord: "rejeter", RephraseWord: "reformuler",

	ReasonOffTopic: "hors sujet", ReasonQuoteInexact: "citation inexacte", ReasonTooVague: "trop vague",
	ReasonWrongCriterion: "mauvais critère", ReasonOther: "autre raison",

	Timer:    "Minuteur",
	TimeUp:   "Temps écoulé",
	LedBy:    "animé par %s",
	NoLeader: "premier lien en attente",
	Progress: func(d, t int) string {
		return fmt.Sprintf("%d / %d lien%s décidé%s", d, t, plural(t, "", "s", true), plural(t, "", "s", true))
	},
	NoProposal:   "Aucune proposition dans cette session pour l'instant.",
	AllDecided:   "Tous les liens sont décidés.",
	TooSmall:     "Écran de %d×%d : il faut au moins %d×%d.",
	LinkPosition: "lien %d sur %d",
}

var english = text{
	AppName: "Revue",
	Colon:   ": ",
	Quote:   "“%s”",

	Criterion:     "Criterion",
	Statement:     "Proposed statement",
	StatementKept: "Statement kept",
	StatementOff:  "Statement set aside",
	Passage:       "Passage",
	Page:          "page %d",
	QuoteMissing:  "quote not found in the passage",
	OtherWordings: func(n int) string {
		return fmt.Sprintf("%d other wording%s proposed", n, plural(n, "", "s", false))
	},

	Votes:       "Votes",
	Blind:       "blind voting",
	BlindHidden: "Opinions stay hidden until the facilitator reveals them.",
	Revealed:    "votes revealed",
	Turnout: func(votes, people int) string {
		if people == 0 {
			return "No participant online."
		}
		return fmt.Sprintf("%d of %d participant%s voted · %d%%", votes, people, plural(people, "", "s", false), votes*100/people)
	},
	Passing:      func(n int) string { return fmt.Sprintf("%d pass", n) },
	Disagreement: "disagreement",
	NoVotes:      "No votes yet.",

	Decision:     "Decision",
	Accepted:     "Accepted",
	Rejected:     "Rejected",
	Rephrased:    "Rephrased",
	WordingBy:    "wording by %s (version %d)",
	DecidedBy:    "by %s at %s",
	VerbAccepted: "%s accepted %s",
	VerbRejected: "%s rejected %s",
	VerbReworded: "%s kept a new wording for %s",
	VerbReopened: "%s reopened %s",
	VerbRevealed: "%s revealed the votes on %s",
	ThisLink:     "this link",
	ThatLink:     "link %d (%s)",
	Reopened:     func(n int) string { return fmt.Sprintf("reopened %d time%s", n, plural(n, "", "s", false)) },

	AcceptWord: "accept", RejectWord: "reject", RephraseWord: "rephrase",

	ReasonOffTopic: "off topic", ReasonQuoteInexact: "quote inexact", ReasonTooVague: "too vague",
	ReasonWrongCriterion: "wrong criterion", ReasonOther: "other reason",

	Timer:        "Timer",
	TimeUp:       "Time is up",
	LedBy:        "led by %s",
	NoLeader:     "first pending link",
	Progress:     func(d, t int) string { return fmt.Sprintf("%d / %d link%s decided", d, t, plural(t, "", "s", false)) },
	NoProposal:   "No proposal in this session yet.",
	AllDecided:   "Every link is decided.",
	TooSmall:     "Screen of %d×%d: it needs at least %d×%d.",
	LinkPosition: "link %d of %d",
}
