package i18n

import "fmt"

// Workshop holds the strings of the workshop (the room following the
// facilitator, sealing, blind voting, parking, timers), of the research
// instruments shown on screen (consent) and of moving through the work. It
// is embedded in Text, so that they read m.t.Alone like the others.
type Workshop struct {
	zeroIsSingular bool // French says « 0 vote », English "0 votes"

	// Following the room.
	Alone       string
	AloneShort  string
	LeadOn      string
	LeadOff     string
	Rejoined    string
	NoLeader    string
	FollowLabel string

	// The room's changes, told once to every screen; %s is who.
	NoticeLeaderLeft string
	NoticeFreed      string
	NoticeLeads      string
	NoticeBlindOn    string
	NoticeBlindOff   string
	DraftKept        string

	// Sealing and its notices. Notice* take the name of who did it.
	ErrSealed       string
	Reopened        string
	NoticeAccepted  string // %s who
	NoticeRejected  string // %s who
	NoticeRephrased string // %s who
	NoticeReopened  string // %s who
	NoticeRevealed  string // %s who
	NotSealed       string
	AlreadySealed   string
	OutcomeLabel    string
	VersionsTitle   string
	VersionOriginal string
	VersionN        string // %d the version, %s its author
	Before          string
	After           string
	OutcomePrompt   string
	VersionsHint    string
	VersionsOutHint string
	NoVersions      string
	SealedAs        string // %s the version
	BlindOn         string
	BlindOff        string
	BlindVote       string // %d: one vote (French: 0 or 1)
	BlindVotes      string // %d votes
	BlindLabel      string
	BlindVersion    string // %d: one other wording (French: 0 or 1)
	BlindVersions   string // %d other wordings
	Revealed        string
	Parked          string
	Unparked        string
	ParkedTitle     string
	NoParked        string
	ParkedHint      string
	ParkedLabel     string
	TimerStarted    string // %s the duration
	TimerStopped    string
	TimerLeft       string // %s the time left
	TimerElapsed    string
	NotFacilitator  string
	ErrNoWhy        string

	// Moving.
	NoNextPending  string
	NoNextUnvoted  string
	NoNextConflict string
	FilterConflict string
	FilterOnly     string
	OffFilter      string
	Mine           string // %d voted, %d total
	Turnout        string // %d voted, %d present
	NotYet         string
	CritProgress   string // %s criterion, %d decided, %d total
	OverviewLabel  string
	QuitConfirm    string
	UndoneOn       string // %s the link
	CreatedHere    string
	MoreText       string
	VotedAccept    string // %s who
	VotedReject    string // %s who
	VotedRephrase  string // %s who
	VotedSkip      string // %s who
	OriginModel    string

	// Consent.
	ConsentTitle    string
	ConsentHint     string
	ConsentAgreed   string
	ConsentDeclined string

	// Key help.
	KeyFollow       string
	KeyNextPending  string
	KeyNextMine     string
	KeyNextConflict string
	KeyLead         string
	KeyVersions     string
	KeyReopen       string
	KeyBlind        string
	KeyHideMine     string
	HideMineOn      string
	HideMineOff     string
	KeyReveal       string
	KeyPark         string
	KeyParked       string
	KeyTimer        string
}

var frenchWorkshop = Workshop{
	zeroIsSingular: true,
	Alone:          "vous naviguez seul·e — f pour rejoindre la salle",
	AloneShort:     "seul·e · f",
	LeadOn:         "Vous menez la salle : elle suit vos déplacements.",
	LeadOff:        "Navigation libre : la salle ne suit plus personne.",
	Rejoined:       "Vous suivez à nouveau la salle.",
	NoLeader:       "Personne ne mène la salle pour l'instant : vous naviguez librement.",
	FollowLabel:    "salle",

	NoticeLeaderLeft: "%s a quitté la salle : elle est libre jusqu'à ce qu'un·e animateur·ice la mène.",
	NoticeFreed:      "%s a libéré la salle : naviguez librement.",
	NoticeLeads:      "%s mène la salle : votre écran la suit.",
	NoticeBlindOn:    "%s passe au vote à l'aveugle : les avis restent cachés jusqu'à leur révélation.",
	NoticeBlindOff:   "%s repasse au vote ouvert ; les avis donnés à l'aveugle restent cachés jusqu'à leur révélation (R).",
	DraftKept:        "Votre brouillon est gardé : il revient quand vous retournez sur son lien.",

	ErrSealed:       "Ce lien est scellé ; l'animation peut le rouvrir (o).",
	Reopened:        "Lien rouvert : les votes reprennent.",
	NoticeAccepted:  "%s a accepté ce lien.",
	NoticeRejected:  "%s a rejeté ce lien.",
	NoticeRephrased: "%s a scellé ce lien reformulé.",
	NoticeReopened:  "%s a rouvert ce lien.",
	NoticeRevealed:  "%s a révélé les votes de ce lien.",
	NotSealed:       "Ce lien n'est pas scellé : rien à rouvrir.",
	AlreadySealed:   "Ce lien est déjà scellé : o pour le rouvrir d'abord.",
	OutcomeLabel:    "conclusion",
	VersionsTitle:   "Sceller une formulation",
	VersionOriginal: "version d'origine",
	VersionN:        "version %d · %s",
	Before:          "avant",
	After:           "après",
	OutcomePrompt:   "Conclusion (facultative) : ",
	VersionsHint:    "↑/↓ choisir · tab écrire une conclusion · entrée sceller · échap annuler",
	VersionsOutHint: "entrée sceller · tab revenir au choix · échap annuler",
	NoVersions:      "Aucune autre formulation n'est proposée : e pour écrire la vôtre.",
	SealedAs:        "Lien scellé avec la %s.",
	BlindOn:         "Vote à l'aveugle : les participant·es ne voient que le nombre de votes.",
	BlindOff:        "Vote ouvert : chacun·e voit les nouveaux votes ; ceux donnés à l'aveugle restent cachés jusqu'à leur révélation (R).",
	BlindVote:       "%d vote, masqué jusqu'à la révélation",
	BlindVotes:      "%d votes, masqués jusqu'à la révélation",
	BlindLabel:      "à l'aveugle",
	BlindVersion:    "%d autre formulation proposée, masquée jusqu'à la révélation",
	BlindVersions:   "%d autres formulations proposées, masquées jusqu'à la révélation",
	Revealed:        "Votes révélés à la salle.",
	Parked:          "Lien mis de côté pour y revenir (P pour la liste).",
	Unparked:        "Lien retiré des liens mis de côté.",
	ParkedTitle:     "Liens mis de côté",
	NoParked:        "Aucun lien mis de côté.",
	ParkedHint:      "↑/↓ choisir · entrée y aller · échap fermer",
	ParkedLabel:     "mis de côté",
	TimerStarted:    "Minuteur lancé : %s.",
	TimerStopped:    "Minuteur arrêté.",
	TimerLeft:       "minuteur %s",
	TimerElapsed:    "temps écoulé",
	NotFacilitator:  "Cette touche est celle de l'animation.",
	ErrNoWhy:        "La provenance des liens n'est pas montrée dans cette séance.",

	NoNextPending:  "Aucun autre lien en attente.",
	NoNextUnvoted:  "Vous vous êtes prononcé·e sur tous les liens.",
	NoNextConflict: "Aucun autre désaccord.",
	FilterConflict: "désaccord",
	FilterOnly:     "seulement les désaccords",
	OffFilter:      "hors filtre",
	Mine:           "vous : %d/%d",
	Turnout:        "%d/%d ont voté",
	NotYet:         "pas encore",
	CritProgress:   "%s : %d/%d",
	OverviewLabel:  "Décidées par critère",
	QuitConfirm:    "Quitter ? Les participant·es restent connecté·es tant que le serveur tourne. o/n",
	UndoneOn:       "Annulé : votre dernière action, sur le lien %s (le voici).",
	CreatedHere:    "Nouveau lien enregistré, en fin de liste ; vous restez ici.",
	MoreText:       "… w : lire en entier",
	VotedAccept:    "%s a accepté",
	VotedReject:    "%s a rejeté",
	VotedRephrase:  "%s a reformulé",
	VotedSkip:      "%s a passé",
	OriginModel:    "modèle",

	ConsentTitle:    "Avant de commencer : votre consentement",
	ConsentHint:     "↑/↓ défiler · a ou entrée j'accepte · n je refuse",
	ConsentAgreed:   "Merci : votre accord est enregistré.",
	ConsentDeclined: "Vous avez refusé : vous regardez en spectateur·rice, et rien de ce que vous faites n'est enregistré au-delà de votre venue.",

	KeyFollow:       "suivre la salle",
	KeyNextPending:  "prochain en attente",
	KeyNextMine:     "prochain sans mon vote",
	KeyNextConflict: "prochain désaccord",
	KeyLead:         "mener / libérer la salle",
	KeyVersions:     "sceller une formulation",
	KeyReopen:       "rouvrir",
	KeyBlind:        "vote ouvert / aveugle",
	KeyHideMine:     "cacher les avis sur mon écran",
	HideMineOn:      "Votre écran cache les avis non révélés, comme celui des participant·es : vous pouvez le projeter. B pour les revoir.",
	HideMineOff:     "Votre écran montre à nouveau tous les avis : ne le projetez pas en vote à l'aveugle.",
	KeyReveal:       "révéler les votes",
	KeyPark:         "mettre de côté",
	KeyParked:       "liens mis de côté",
	KeyTimer:        "minuteur",
}

var englishWorkshop = Workshop{
	Alone:       "you are browsing alone — f to rejoin",
	AloneShort:  "alone · f",
	LeadOn:      "You lead the room: it follows your moves.",
	LeadOff:     "Free browsing: the room follows nobody.",
	Rejoined:    "Following the room again.",
	NoLeader:    "Nobody leads the room yet: you are browsing freely.",
	FollowLabel: "room",

	NoticeLeaderLeft: "%s left the room: it is free until a facilitator leads it.",
	NoticeFreed:      "%s freed the room: browse freely.",
	NoticeLeads:      "%s leads the room: your screen follows.",
	NoticeBlindOn:    "%s switched to blind voting: opinions stay hidden until revealed.",
	NoticeBlindOff:   "%s switched back to open voting; opinions given blind stay hidden until revealed (R).",
	DraftKept:        "Your draft is kept: it comes back when you return to its link.",

	ErrSealed:       "This link is sealed; the facilitator can reopen it (o).",
	Reopened:        "Link reopened: voting resumes.",
	NoticeAccepted:  "%s accepted this link.",
	NoticeRejected:  "%s rejected this link.",
	NoticeRephrased: "%s sealed this link as rephrased.",
	NoticeReopened:  "%s reopened this link.",
	NoticeRevealed:  "%s revealed this link's votes.",
	NotSealed:       "This link is not sealed: nothing to reopen.",
	AlreadySealed:   "This link is already sealed: o to reopen it first.",
	OutcomeLabel:    "outcome",
	VersionsTitle:   "Seal a wording",
	VersionOriginal: "original",
	VersionN:        "version %d · %s",
	Before:          "before",
	After:           "after",
	OutcomePrompt:   "Outcome (optional): ",
	VersionsHint:    "↑/↓ choose · tab write an outcome · enter seal · esc cancel",
	VersionsOutHint: "enter seal · tab back to the choice · esc cancel",
	NoVersions:      "No other wording is proposed: e to write yours.",
	SealedAs:        "Link sealed with the %s.",
	BlindOn:         "Blind voting: participants see only how many voted.",
	BlindOff:        "Open voting: everybody sees new votes; those given blind stay hidden until revealed (R).",
	BlindVote:       "%d vote, hidden until revealed",
	BlindVotes:      "%d votes, hidden until revealed",
	BlindLabel:      "blind",
	BlindVersion:    "%d other wording proposed, hidden until revealed",
	BlindVersions:   "%d other wordings proposed, hidden until revealed",
	Revealed:        "Votes revealed to the room.",
	Parked:          "Link parked to come back to (P for the list).",
	Unparked:        "Link taken off the parked list.",
	ParkedTitle:     "Parked links",
	NoParked:        "No parked link.",
	ParkedHint:      "↑/↓ choose · enter go there · esc close",
	ParkedLabel:     "parked",
	TimerStarted:    "Timer started: %s.",
	TimerStopped:    "Timer stopped.",
	TimerLeft:       "timer %s",
	TimerElapsed:    "time is up",
	NotFacilitator:  "This key is the facilitator's.",
	ErrNoWhy:        "The links' provenance is not shown in this session.",

	NoNextPending:  "No other pending link.",
	NoNextUnvoted:  "You have given your opinion on every link.",
	NoNextConflict: "No other disagreement.",
	FilterConflict: "disagreement",
	FilterOnly:     "only disagreements",
	OffFilter:      "off the filter",
	Mine:           "you: %d/%d",
	Turnout:        "%d/%d voted",
	NotYet:         "not yet",
	CritProgress:   "%s: %d/%d",
	OverviewLabel:  "Decided by criterion",
	QuitConfirm:    "Quit? Participants stay connected as long as the server runs. y/n",
	UndoneOn:       "Undone: your last action, on the link %s (here it is).",
	CreatedHere:    "New link recorded, at the end of the list; you stay here.",
	MoreText:       "… w: read it all",
	VotedAccept:    "%s accepted",
	VotedReject:    "%s rejected",
	VotedRephrase:  "%s rephrased",
	VotedSkip:      "%s skipped",
	OriginModel:    "model",

	ConsentTitle:    "Before we start: your consent",
	ConsentHint:     "↑/↓ scroll · a or enter I agree · n I decline",
	ConsentAgreed:   "Thank you: your agreement is recorded.",
	ConsentDeclined: "You declined: you watch as a spectator, and nothing you do is recorded beyond your coming and going.",

	KeyFollow:       "follow the room",
	KeyNextPending:  "next pending",
	KeyNextMine:     "next without my vote",
	KeyNextConflict: "next disagreement",
	KeyLead:         "lead / free the room",
	KeyVersions:     "seal a wording",
	KeyReopen:       "reopen",
	KeyBlind:        "open / blind voting",
	KeyHideMine:     "hide opinions on my screen",
	HideMineOn:      "Your screen hides unrevealed opinions, as participants' do: you may project it. B to see them again.",
	HideMineOff:     "Your screen shows every opinion again: do not project it during blind voting.",
	KeyReveal:       "reveal the votes",
	KeyPark:         "park",
	KeyParked:       "parked links",
	KeyTimer:        "timer",
}

func init() {
	French.Workshop = frenchWorkshop
	English.Workshop = englishWorkshop
}

// Count writes n with the singular or the plural format: French takes the
// singular for 0 and 1, English for 1 only, which the language's texts
// tell by their own singular.
func (w Workshop) Count(n int, one, many string) string {
	return fmt.Sprintf(w.Form(n, one, many), n)
}

// Form picks the singular or the plural format for the count n, for a
// format that takes more than the count (Count when it takes only n).
func (w Workshop) Form(n int, one, many string) string {
	if n == 1 || (n == 0 && w.zeroIsSingular) {
		return one
	}
	return many
}

// Tokens says a link's tokens read and written, each agreeing with its
// count.
func (t *Text) Tokens(read, written int) string {
	return fmt.Sprintf(t.ProvTokensFmt, t.Count(read, t.ProvRead1, t.ProvRead), t.Count(written, t.ProvWritten1, t.ProvWritten))
}
