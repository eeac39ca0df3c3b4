package i18n

// Tools holds the strings of the facilitator's tools: the agenda and its
// pace, the order of work, the timer's question, the turnout panel and the
// raised hands, the results, the sealing of the unanimous links, the
// source of a passage. It is embedded in Text.
type Tools struct {
	// The agenda.
	AgendaAsk      string
	AgendaHint     string
	AgendaSet      string // %s the end, 16:30
	AgendaCleared  string
	ErrAgendaValue string
	AgendaLeft     string // %s the time left
	AgendaOver     string
	AgendaLink     string // %d: one link left (French: 0 or 1)
	AgendaLinks    string // %d links left
	AgendaPaceOne  string // as AgendaPace, of one link in all
	AgendaPace     string // %d decided by the end at this pace, %d in all
	AgendaNoPace   string
	Minutes        string // %d
	HoursMinutes   string // %d hours, %02d minutes
	OrderLabel     string
	OrderList      string
	OrderConflict  string
	OrderDoubt     string
	OrderPicked    string
	OrderSet       string // %s the order
	Marked         string // %d links picked
	Unmarked       string
	NoNextPicked   string

	// The timer.
	TimerAsk      string
	TimerHint     string
	ErrTimerValue string
	TimerEnded    string // %d the link

	// Turnout and hands.
	TurnoutTitle  string // %d the link, %d voted, %d present
	TurnoutVoted  string
	TurnoutNotYet string
	TurnoutNone   string
	TurnoutHint   string
	HandUp        string
	HandDown      string
	Hands         string // %d raised hands
	HandsLabel    string

	// Results.
	ResultsTitle    string
	ResultsHint     string
	ResultsNone     string
	ResultsKept     string // %d
	ResultsRejected string // %d
	ResultsPending  string // %d

	// The unanimous.
	UnanimousAsk      string
	UnanimousHint     string
	ErrUnanimousValue string
	UnanimousNone     string // %d the minimum
	UnanimousConfirm1 string // as UnanimousConfirm, of one link
	UnanimousConfirm  string // %d links, %d the minimum
	UnanimousSealed1  string // as UnanimousSealed, of one link (French: 0 or 1)
	UnanimousSealed   string // %d

	// The source.
	SourceTitle string
	SourceHint  string
	SourceAdded string // %s the date
	SourceHere  string

	// Keys.
	KeyAgenda    string
	KeyOrder     string
	KeyMark      string
	KeyTurnout   string
	KeyHand      string
	KeyResults   string
	KeyUnanimous string
	KeySource    string
}

var frenchTools = Tools{
	AgendaAsk:      "Fin de la séance : une heure (16:30) ou une durée (1h30, 90) ; vide pour l'effacer",
	AgendaHint:     "entrée valider · échap annuler",
	AgendaSet:      "Séance jusqu'à %s : le temps, les liens restants et le rythme sont en bas.",
	AgendaCleared:  "Plus d'horaire pour la séance.",
	ErrAgendaValue: "Écrivez une heure à venir (16:30) ou une durée (1h30, 90 minutes).",
	AgendaLeft:     "%s restantes",
	AgendaOver:     "temps écoulé",
	AgendaLink:     "%d lien à traiter",
	AgendaLinks:    "%d liens à traiter",
	AgendaPaceOne:  "à ce rythme : %d lien sur %d",
	AgendaPace:     "à ce rythme : %d liens sur %d",
	AgendaNoPace:   "rythme : pas encore mesuré",
	Minutes:        "%d min",
	HoursMinutes:   "%d h %02d",
	OrderLabel:     "ordre",
	OrderList:      "la liste",
	OrderConflict:  "désaccords d'abord",
	OrderDoubt:     "moins sûrs d'abord",
	OrderPicked:    "liens choisis (*)",
	OrderSet:       "n suit l'ordre : %s.",
	Marked:         "Lien choisi (%d en tout) : n les prend dans l'ordre « liens choisis » (O).",
	Unmarked:       "Lien retiré des liens choisis.",
	NoNextPicked:   "Aucun autre lien choisi en attente : * pour en choisir.",

	TimerAsk:      "Durée du minuteur : minutes (3), 2:30 ou 90s",
	TimerHint:     "entrée lancer · échap annuler",
	ErrTimerValue: "Écrivez une durée : 3 (minutes), 2:30 ou 90s.",
	TimerEnded:    "⏰ Temps écoulé (lien %d).",

	TurnoutTitle:  "Lien %d · %d/%d ont voté",
	TurnoutVoted:  "ont voté",
	TurnoutNotYet: "pas encore",
	TurnoutNone:   "Aucun·e participant·e connecté·e.",
	TurnoutHint:   "T ou échap fermer",
	HandUp:        "Main levée : l'animation le voit. h pour la baisser.",
	HandDown:      "Main baissée.",
	Hands:         "✋ %d",
	HandsLabel:    "mains levées",

	ResultsTitle:    "Ce que la salle a décidé",
	ResultsHint:     "↑/↓ défiler · = ou échap fermer",
	ResultsNone:     "Rien n'est encore décidé.",
	ResultsKept:     "retenus : %d",
	ResultsRejected: "rejetés : %d",
	ResultsPending:  "en attente : %d",

	UnanimousAsk:      "Sceller les liens unanimes : au moins combien de votes ?",
	UnanimousHint:     "entrée compter · échap annuler",
	ErrUnanimousValue: "Écrivez un nombre de votes, 1 ou plus.",
	UnanimousNone:     "Aucun lien ouvert n'est unanime avec au moins %d votes.",
	UnanimousConfirm1: "%d lien ouvert est unanime (au moins %d votes, tous du même avis) : le sceller ainsi ? o/n",
	UnanimousConfirm:  "%d liens ouverts sont unanimes (au moins %d votes, tous du même avis) : les sceller chacun ainsi ? o/n",
	UnanimousSealed1:  "%d lien scellé, comme s'il l'avait été à la main.",
	UnanimousSealed:   "%d liens scellés, chacun comme s'il l'avait été à la main.",

	SourceTitle: "Le passage dans son document",
	SourceHint:  "↑/↓ défiler · i ou échap fermer",
	SourceAdded: "importé le %s",
	SourceHere:  "▶ ce passage",

	KeyAgenda:    "horaire de la séance",
	KeyOrder:     "ordre de travail de n",
	KeyMark:      "choisir ce lien (ordre)",
	KeyTurnout:   "qui a voté",
	KeyHand:      "lever / baisser la main",
	KeyResults:   "résultats (le mur suit)",
	KeyUnanimous: "sceller les unanimes",
	KeySource:    "le passage dans son document",
}

var englishTools = Tools{
	AgendaAsk:      "End of the session: a time (16:30) or a length (1h30, 90); empty to clear it",
	AgendaHint:     "enter confirm · esc cancel",
	AgendaSet:      "Session until %s: the time, the links left and the pace are at the bottom.",
	AgendaCleared:  "No schedule for the session any more.",
	ErrAgendaValue: "Write a time to come (16:30) or a length (1h30, 90 minutes).",
	AgendaLeft:     "%s left",
	AgendaOver:     "time is up",
	AgendaLink:     "%d link to go",
	AgendaLinks:    "%d links to go",
	AgendaPaceOne:  "at this pace: %d link of %d",
	AgendaPace:     "at this pace: %d links of %d",
	AgendaNoPace:   "pace: not measured yet",
	Minutes:        "%d min",
	HoursMinutes:   "%d h %02d",
	OrderLabel:     "order",
	OrderList:      "the list",
	OrderConflict:  "disagreements first",
	OrderDoubt:     "least confident first",
	OrderPicked:    "picked links (*)",
	OrderSet:       "n follows the order: %s.",
	Marked:         "Link picked (%d in all): n takes them in the \"picked links\" order (O).",
	Unmarked:       "Link taken off the picked links.",
	NoNextPicked:   "No other picked link pending: * to pick some.",

	TimerAsk:      "Timer length: minutes (3), 2:30 or 90s",
	TimerHint:     "enter start · esc cancel",
	ErrTimerValue: "Write a length: 3 (minutes), 2:30 or 90s.",
	TimerEnded:    "⏰ Time is up (link %d).",

	TurnoutTitle:  "Link %d · %d/%d voted",
	TurnoutVoted:  "voted",
	TurnoutNotYet: "not yet",
	TurnoutNone:   "No participant online.",
	TurnoutHint:   "T or esc close",
	HandUp:        "Hand raised: the facilitator sees it. h to lower it.",
	HandDown:      "Hand lowered.",
	Hands:         "✋ %d",
	HandsLabel:    "hands up",

	ResultsTitle:    "What the room decided",
	ResultsHint:     "↑/↓ scroll · = or esc close",
	ResultsNone:     "Nothing is decided yet.",
	ResultsKept:     "kept: %d",
	ResultsRejected: "rejected: %d",
	ResultsPending:  "pending: %d",

	UnanimousAsk:      "Seal the unanimous links: at least how many votes?",
	UnanimousHint:     "enter count · esc cancel",
	ErrUnanimousValue: "Write a number of votes, 1 or more.",
	UnanimousNone:     "No open link is unanimous with at least %d votes.",
	UnanimousConfirm1: "%d open link is unanimous (at least %d votes, all of one opinion): seal it so? y/n",
	UnanimousConfirm:  "%d open links are unanimous (at least %d votes, all of one opinion): seal each of them so? y/n",
	UnanimousSealed1:  "%d link sealed, as if sealed by hand.",
	UnanimousSealed:   "%d links sealed, each as if sealed by hand.",

	SourceTitle: "The passage in its document",
	SourceHint:  "↑/↓ scroll · i or esc close",
	SourceAdded: "imported on %s",
	SourceHere:  "▶ this passage",

	KeyAgenda:    "session schedule",
	KeyOrder:     "order of work for n",
	KeyMark:      "pick this link (order)",
	KeyTurnout:   "who voted",
	KeyHand:      "raise / lower your hand",
	KeyResults:   "results (the wall follows)",
	KeyUnanimous: "seal the unanimous",
	KeySource:    "the passage in its document",
}

func init() {
	French.Tools = frenchTools
	English.Tools = englishTools
}
