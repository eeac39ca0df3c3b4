// Package i18n holds every string of the review screen, in French and in
// English. It is a package of its own so that the panes and forms, which
// live in packages below the root model, can say things too.
package i18n

// Text holds every string the interface shows, in one language. Keeping them
// in one struct, rather than scattered literals, lets a test prove that both
// languages say everything, with the same format verbs, and lets a
// translator see every sentence of the screen in one place.
type Text struct {
	Workshop
	Tools
	Door

	// Screen frame.
	AppName       string
	TooSmall      string // %d×%d needed, %d×%d now
	Loading       string
	NoSession     string
	PickerTitle   string
	PickerEmpty   string
	PickerHint    string
	PickerOpening string
	HelpHint      string

	// List and filter.
	FilterLabel     string
	FilterAll       string
	FilterCriterion string
	FilterDocument  string
	FilterStatus    string
	FilterOrigin    string
	FilterTitle     string
	FilterHint      string
	ListTitle       string
	NoProposal      string
	NoMatch         string

	// Statuses, with words so that they read without colour.
	StatusPending   string
	StatusAccepted  string
	StatusRejected  string
	StatusRephrased string

	// Origins.
	OriginLexical string
	OriginExample string
	OriginHuman   string // %s: the person

	// Panes.
	LabelCriterion  string
	LabelStatement  string
	LabelPassage    string
	LabelPage       string // %d
	LabelConfidence string
	LabelOrigin     string
	LabelQuote      string
	QuoteNotFound   string
	LabelVersion    string // %d
	MorePassage     string
	DecimalComma    string // "," or "."
	Colon           string // " : " in French typography, ": " in English
	Quote           string // %s between the language's quotation marks
	Seconds         string // %s: a number of seconds
	Minutes         string // %d minutes, %d seconds

	// Status line.
	Progress  string // %d decided, %d total
	Online    string
	Votes     string
	NoVotes   string
	Conflict  string
	AlsoHere  string
	Saving    string
	Decided   string // %s: the verdict
	Voted     string // %s: the verdict
	Skipped   string
	Undone    string
	NoUndo    string
	Commented string
	Created   string
	Unchanged string

	// Verdicts, as a person says them.
	VerdictAccept   string
	VerdictReject   string
	VerdictRephrase string
	VerdictSkip     string

	// Roles and their marks' legend.
	RoleFacilitator string
	RoleParticipant string
	RoleSpectator   string

	// Errors, each one sentence that says what to do.
	ErrForbidden  string // %s: the role
	ErrFailed     string // %s: the cause
	ErrEmpty      string
	ErrQuote      string
	ErrJoin       string // %s: the cause
	ErrSpectator  string
	ErrNoProposal string
	ErrLeft       string

	// Rejection reasons, in the order of review.Reasons.
	ReasonTitle          string
	ReasonHint           string
	ReasonOffTopic       string
	ReasonQuoteInexact   string
	ReasonTooVague       string
	ReasonWrongCriterion string
	ReasonOther          string
	ReasonOtherPrompt    string
	ReasonOtherHint      string

	// Editors.
	EditTitle           string
	EditHint            string
	CommentTitle        string
	CommentHint         string
	CreateTitle         string
	CreateStepCriterion string
	CreateStepStatement string
	CreateStepQuote     string
	CreateHintPick      string
	CreateHintStatement string
	CreateHintQuote     string

	// Why panel.
	WhyTitle         string
	WhyHint          string
	ProvHeading      string
	HistHeading      string
	VersionsHeading  string
	CommentsHeading  string
	NoProvenance     string
	ProvModel        string
	ProvDigest       string
	ProvOllama       string
	ProvEmbed        string
	ProvPrompt       string
	ProvSchema       string
	ProvOptions      string
	ProvRetrieval    string
	ProvScore        string // %s name, %s score, %d rank
	ProvQuoteMatch   string
	ProvTerms        string
	ProvExpanded     string
	ProvKeyword      string // %s the keyword found
	ProvSynonym      string // %s the synonym found, %s the criterion's word
	ProvTokens       string
	ProvTokensFmt    string // %s read, %s written (ProvRead, ProvWritten)
	ProvRead1        string // %d: one token read (French: 0 or 1)
	ProvRead         string
	ProvWritten1     string
	ProvWritten      string
	ProvDurations    string
	ProvDurationsFmt string // %s total, %s load, %s prompt, %s eval
	ProvDoneReason   string
	ProvAttempts     string
	ProvHost         string
	HistAdded        string // %s who
	HistVote         string // %s who, %s verdict
	HistDecision     string // %s who, %s verdict
	HistComment      string // %s who
	HistUndo         string // %s who
	HistReopen       string
	HistUndone       string
	HistDwell        string // %s duration

	// Help.
	HelpTitle       string
	HelpSpectator   string
	HelpParticipant string
	HelpFacilitator string
	HelpLegend      string
	HelpClose       string

	// Key help, shown by `?` and in the hint line.
	KeyAccept  string
	KeyReject  string
	KeyEdit    string
	KeySkip    string
	KeyUndo    string
	KeyUp      string
	KeyDown    string
	KeyFirst   string
	KeyLast    string
	KeyFilter  string
	KeyWhy     string
	KeyComment string
	KeyCreate  string
	KeyHelp    string
	KeyQuit    string
	KeyScroll  string
}

// French is the interface in French, the language of most participants.
var French = Text{
	Door:          frenchDoor,
	AppName:       "Revue",
	TooSmall:      "Agrandissez la fenêtre : il faut au moins %d×%d, elle fait %d×%d.",
	Loading:       "Connexion à la session…",
	NoSession:     "Aucune session à ouvrir : lancez «\u00a0revue serve\u00a0» avec une session.",
	PickerTitle:   "Choisissez une session",
	PickerEmpty:   "Aucune session n'est servie ici pour l'instant.",
	PickerHint:    "↑/↓ choisir · entrée ouvrir · q quitter",
	PickerOpening: "Ouverture de la session…",
	HelpHint:      "? aide",

	FilterLabel:     "filtre",
	FilterAll:       "tout",
	FilterCriterion: "critère",
	FilterDocument:  "document",
	FilterStatus:    "statut",
	FilterOrigin:    "origine",
	FilterTitle:     "Filtrer les propositions",
	FilterHint:      "↑/↓ choisir · ←/→ changer · entrée appliquer · x tout effacer · échap annuler",
	ListTitle:       "Propositions",
	NoProposal:      "Cette session n'a encore aucune proposition : lancez «\u00a0revue propose\u00a0» avant la séance.",
	NoMatch:         "Aucune proposition ne correspond au filtre : «\u00a0/\u00a0» pour le changer.",

	StatusPending:   "en attente",
	StatusAccepted:  "acceptée",
	StatusRejected:  "rejetée",
	StatusRephrased: "reformulée",

	OriginLexical: "lexical (sans modèle)",
	OriginExample: "exemple écrit à la main",
	OriginHuman:   "proposé par %s",

	LabelCriterion:  "Critère",
	LabelStatement:  "Lien",
	LabelPassage:    "Passage",
	LabelPage:       "p. %d",
	LabelConfidence: "confiance",
	LabelOrigin:     "origine",
	LabelQuote:      "Citation",
	QuoteNotFound:   "citation non retrouvée dans le passage",
	LabelVersion:    "version %d",
	MorePassage:     "pgup/pgdn : suite du passage",
	DecimalComma:    ",",
	Colon:           " : ",
	Quote:           "«\u00a0%s\u00a0»",
	Seconds:         "%s s",
	Minutes:         "%d min %d s",

	Progress:  "%d/%d décidées",
	Online:    "en ligne",
	Votes:     "votes",
	NoVotes:   "aucun vote",
	Conflict:  "⚠ désaccord",
	AlsoHere:  "aussi ici",
	Saving:    "enregistrement…",
	Decided:   "Décision enregistrée : %s.",
	Voted:     "Vote enregistré : %s.",
	Skipped:   "Passée : votre choix de ne pas vous prononcer est noté.",
	Undone:    "Votre dernière action est annulée.",
	NoUndo:    "Rien à annuler : vous n'avez pas encore agi.",
	Commented: "Commentaire enregistré.",
	Created:   "Nouveau lien enregistré.",
	Unchanged: "Formulation inchangée : rien n'est enregistré.",

	VerdictAccept:   "accepter",
	VerdictReject:   "rejeter",
	VerdictRephrase: "reformuler",
	VerdictSkip:     "passer",

	RoleFacilitator: "animation",
	RoleParticipant: "participant·e",
	RoleSpectator:   "spectateur·rice",

	ErrForbidden:  "Refusé : le rôle %s ne permet pas cette action.",
	ErrFailed:     "Action non enregistrée (%s) : réessayez, ou prévenez l'animation.",
	ErrEmpty:      "Le texte est vide : écrivez quelque chose, ou échap pour annuler.",
	ErrQuote:      "Cette citation n'est pas dans le passage : copiez-la à l'identique, ou laissez vide.",
	ErrJoin:       "Impossible de rejoindre la session (%s) : relancez la connexion.",
	ErrSpectator:  "Vous regardez en spectateur·rice : cette touche n'agit pas.",
	ErrNoProposal: "Aucune proposition à l'écran : changez le filtre.",
	ErrLeft:       "Vous avez quitté la session.",

	ReasonTitle:          "Pourquoi rejeter ce lien ?",
	ReasonHint:           "↑/↓ choisir · entrée valider · échap annuler",
	ReasonOffTopic:       "hors sujet",
	ReasonQuoteInexact:   "citation inexacte",
	ReasonTooVague:       "trop vague",
	ReasonWrongCriterion: "mauvais critère",
	ReasonOther:          "autre (texte libre)",
	ReasonOtherPrompt:    "Raison : ",
	ReasonOtherHint:      "entrée valider · échap revenir",

	EditTitle:           "Reformuler le lien",
	EditHint:            "ctrl+s ou alt+entrée enregistrer · échap annuler",
	CommentTitle:        "Commenter ce lien",
	CommentHint:         "entrée enregistrer · échap annuler",
	CreateTitle:         "Créer un lien depuis ce passage",
	CreateStepCriterion: "1. Le critère",
	CreateStepStatement: "2. Le lien, en une phrase",
	CreateStepQuote:     "3. Citation exacte du passage (facultative)",
	CreateHintPick:      "↑/↓ choisir · entrée suivant · échap annuler",
	CreateHintStatement: "ctrl+s ou alt+entrée suivant · échap revenir",
	CreateHintQuote:     "entrée créer · échap revenir",

	WhyTitle:         "Pourquoi ce lien ?",
	WhyHint:          "↑/↓ défiler · w ou échap fermer",
	ProvHeading:      "Provenance",
	HistHeading:      "Historique",
	VersionsHeading:  "Versions",
	CommentsHeading:  "Commentaires",
	NoProvenance:     "Aucun calcul machine : ce lien vient d'une personne ou d'un exemple.",
	ProvModel:        "modèle",
	ProvDigest:       "empreinte",
	ProvOllama:       "Ollama",
	ProvEmbed:        "modèle d'embeddings",
	ProvPrompt:       "prompt",
	ProvSchema:       "schéma",
	ProvOptions:      "options",
	ProvRetrieval:    "recherche",
	ProvScore:        "%s score %s rang %d",
	ProvQuoteMatch:   "citation retrouvée",
	ProvTerms:        "termes communs",
	ProvExpanded:     "mots ajoutés",
	ProvKeyword:      "%s (mot-clé)",
	ProvSynonym:      "%s (thésaurus, pour %s)",
	ProvTokens:       "jetons",
	ProvTokensFmt:    "%s, %s",
	ProvRead1:        "%d lu",
	ProvRead:         "%d lus",
	ProvWritten1:     "%d écrit",
	ProvWritten:      "%d écrits",
	ProvDurations:    "durées",
	ProvDurationsFmt: "total %s · chargement %s · lecture %s · écriture %s",
	ProvDoneReason:   "fin",
	ProvAttempts:     "essais",
	ProvHost:         "hôte",
	HistAdded:        "ajouté par %s",
	HistVote:         "%s vote : %s",
	HistDecision:     "%s décide : %s",
	HistComment:      "%s commente",
	HistUndo:         "%s annule son action",
	HistReopen:       "%s rouvre le lien",
	HistUndone:       "(annulé)",
	HistDwell:        "après %s",

	HelpTitle:       "Aide",
	HelpSpectator:   "Vous êtes spectateur·rice : vous regardez, naviguez et lisez la provenance ; aucune touche n'agit sur la session.",
	HelpParticipant: "Vos choix sont des votes ; l'animation scelle les décisions. Votre écran suit la salle : une touche de déplacement vous en détache, f vous y ramène.",
	HelpFacilitator: "Vos choix scellent les décisions du groupe ; F : la salle suit vos déplacements, ou navigue librement.",
	HelpLegend:      "✓ acceptée  ✗ rejetée  ✎ reformulée  ○ en attente  ↷ passée  ↺ mise de côté  ·  ★ animation  • participant·e  ◦ spectateur·rice  ·  ⚠ désaccord",
	HelpClose:       "? ou échap pour fermer",

	KeyAccept:  "accepter",
	KeyReject:  "rejeter",
	KeyEdit:    "reformuler",
	KeySkip:    "passer",
	KeyUndo:    "annuler mon action",
	KeyUp:      "précédente",
	KeyDown:    "suivante",
	KeyFirst:   "première",
	KeyLast:    "dernière",
	KeyFilter:  "filtrer",
	KeyWhy:     "pourquoi",
	KeyComment: "commenter",
	KeyCreate:  "créer un lien",
	KeyHelp:    "aide",
	KeyQuit:    "quitter",
	KeyScroll:  "défiler le passage",
}

// English is the interface in English.
var English = Text{
	Door:          englishDoor,
	AppName:       "Revue",
	TooSmall:      "Enlarge the window: it needs at least %d×%d, it is %d×%d.",
	Loading:       "Joining the session…",
	NoSession:     "No session to open: start “revue serve” with a session.",
	PickerTitle:   "Choose a session",
	PickerEmpty:   "No session is served here yet.",
	PickerHint:    "↑/↓ choose · enter open · q quit",
	PickerOpening: "Opening the session…",
	HelpHint:      "? help",

	FilterLabel:     "filter",
	FilterAll:       "all",
	FilterCriterion: "criterion",
	FilterDocument:  "document",
	FilterStatus:    "status",
	FilterOrigin:    "origin",
	FilterTitle:     "Filter the proposals",
	FilterHint:      "↑/↓ choose · ←/→ change · enter apply · x clear all · esc cancel",
	ListTitle:       "Proposals",
	NoProposal:      "This session has no proposal yet: run “revue propose” before the meeting.",
	NoMatch:         "No proposal matches the filter: “/” to change it.",

	StatusPending:   "pending",
	StatusAccepted:  "accepted",
	StatusRejected:  "rejected",
	StatusRephrased: "rephrased",

	OriginLexical: "lexical (no model)",
	OriginExample: "example written by hand",
	OriginHuman:   "proposed by %s",

	LabelCriterion:  "Criterion",
	LabelStatement:  "Link",
	LabelPassage:    "Passage",
	LabelPage:       "p. %d",
	LabelConfidence: "confidence",
	LabelOrigin:     "origin",
	LabelQuote:      "Quote",
	QuoteNotFound:   "quote not found in the passage",
	LabelVersion:    "version %d",
	MorePassage:     "pgup/pgdn: rest of the passage",
	DecimalComma:    ".",
	Colon:           ": ",
	Quote:           "“%s”",
	Seconds:         "%s s",
	Minutes:         "%d min %d s",

	Progress:  "%d/%d decided",
	Online:    "online",
	Votes:     "votes",
	NoVotes:   "no vote",
	Conflict:  "⚠ disagreement",
	AlsoHere:  "also here",
	Saving:    "saving…",
	Decided:   "Decision recorded: %s.",
	Voted:     "Vote recorded: %s.",
	Skipped:   "Skipped: your choice not to take a side is recorded.",
	Undone:    "Your last action is undone.",
	NoUndo:    "Nothing to undo: you have not acted yet.",
	Commented: "Comment recorded.",
	Created:   "New link recorded.",
	Unchanged: "Wording unchanged: nothing is recorded.",

	VerdictAccept:   "accept",
	VerdictReject:   "reject",
	VerdictRephrase: "rephrase",
	VerdictSkip:     "skip",

	RoleFacilitator: "facilitator",
	RoleParticipant: "participant",
	RoleSpectator:   "spectator",

	ErrForbidden:  "Refused: the %s role cannot do this.",
	ErrFailed:     "Action not recorded (%s): try again, or tell the facilitator.",
	ErrEmpty:      "The text is empty: write something, or esc to cancel.",
	ErrQuote:      "This quote is not in the passage: copy it exactly, or leave it empty.",
	ErrJoin:       "Could not join the session (%s): connect again.",
	ErrSpectator:  "You are watching as a spectator: this key does nothing.",
	ErrNoProposal: "No proposal on screen: change the filter.",
	ErrLeft:       "You have left the session.",

	ReasonTitle:          "Why reject this link?",
	ReasonHint:           "↑/↓ choose · enter confirm · esc cancel",
	ReasonOffTopic:       "off topic",
	ReasonQuoteInexact:   "quote inexact",
	ReasonTooVague:       "too vague",
	ReasonWrongCriterion: "wrong criterion",
	ReasonOther:          "other (free text)",
	ReasonOtherPrompt:    "Reason: ",
	ReasonOtherHint:      "enter confirm · esc back",

	EditTitle:           "Rephrase the link",
	EditHint:            "ctrl+s or alt+enter save · esc cancel",
	CommentTitle:        "Comment on this link",
	CommentHint:         "enter save · esc cancel",
	CreateTitle:         "Create a link from this passage",
	CreateStepCriterion: "1. The criterion",
	CreateStepStatement: "2. The link, in one sentence",
	CreateStepQuote:     "3. Exact quote from the passage (optional)",
	CreateHintPick:      "↑/↓ choose · enter next · esc cancel",
	CreateHintStatement: "ctrl+s or alt+enter next · esc back",
	CreateHintQuote:     "enter create · esc back",

	WhyTitle:         "Why this link?",
	WhyHint:          "↑/↓ scroll · w or esc close",
	ProvHeading:      "Provenance",
	HistHeading:      "History",
	VersionsHeading:  "Versions",
	CommentsHeading:  "Comments",
	NoProvenance:     "No machine computing: this link comes from a person or an example.",
	ProvModel:        "model",
	ProvDigest:       "digest",
	ProvOllama:       "Ollama",
	ProvEmbed:        "embedding model",
	ProvPrompt:       "prompt",
	ProvSchema:       "schema",
	ProvOptions:      "options",
	ProvRetrieval:    "retrieval",
	ProvScore:        "%s score %s rank %d",
	ProvQuoteMatch:   "quote match",
	ProvTerms:        "shared terms",
	ProvExpanded:     "added words",
	ProvKeyword:      "%s (keyword)",
	ProvSynonym:      "%s (thesaurus, for %s)",
	ProvTokens:       "tokens",
	ProvTokensFmt:    "%s, %s",
	ProvRead1:        "%d read",
	ProvRead:         "%d read",
	ProvWritten1:     "%d written",
	ProvWritten:      "%d written",
	ProvDurations:    "durations",
	ProvDurationsFmt: "total %s · load %s · reading %s · writing %s",
	ProvDoneReason:   "done reason",
	ProvAttempts:     "attempts",
	ProvHost:         "host",
	HistAdded:        "added by %s",
	HistVote:         "%s votes: %s",
	HistDecision:     "%s decides: %s",
	HistComment:      "%s comments",
	HistUndo:         "%s undoes their action",
	HistReopen:       "%s reopens the link",
	HistUndone:       "(undone)",
	HistDwell:        "after %s",

	HelpTitle:       "Help",
	HelpSpectator:   "You are a spectator: you watch, move and read the provenance; no key acts on the session.",
	HelpParticipant: "Your choices are votes; the facilitator seals the decisions. Your screen follows the room: a move key takes you away, f brings you back.",
	HelpFacilitator: "Your choices seal the group's decisions; F: the room follows your moves, or browses freely.",
	HelpLegend:      "✓ accepted  ✗ rejected  ✎ rephrased  ○ pending  ↷ skipped  ↺ parked  ·  ★ facilitator  • participant  ◦ spectator  ·  ⚠ disagreement",
	HelpClose:       "? or esc to close",

	KeyAccept:  "accept",
	KeyReject:  "reject",
	KeyEdit:    "rephrase",
	KeySkip:    "skip",
	KeyUndo:    "undo my action",
	KeyUp:      "previous",
	KeyDown:    "next",
	KeyFirst:   "first",
	KeyLast:    "last",
	KeyFilter:  "filter",
	KeyWhy:     "why",
	KeyComment: "comment",
	KeyCreate:  "create a link",
	KeyHelp:    "help",
	KeyQuit:    "quit",
	KeyScroll:  "scroll the passage",
}

// For returns the strings for a language code; French unless English is
// asked for, because most participants speak French.
func For(lang string) *Text {
	if lang == "en" {
		return &English
	}
	return &French
}

// Door is what the facilitator's screen says of the SSH server (issue 14).
type Door struct {
	Refused1  string // %d: one join refused since the start (French: 0 or 1)
	Refused   string // %d joins refused since the start
	QuitAlone string // the quit question when this screen serves nobody
	KeyCard   string
	CardTitle string
	CardSteps string // what a person does, in one line
	CardFP    string // %s the fingerprint
	CardCode  string // %s the passcode
	CardMask  string // the passcode not shown yet
	CardHere  string // %d people, then their names
	CardHint  string
}

var frenchDoor = Door{
	Refused1:  "%d connexion refusée — voir le journal",
	Refused:   "%d connexions refusées — voir le journal",
	QuitAlone: "Quitter ? o/n",
	KeyCard:   "comment rejoindre",
	CardTitle: "Pour rejoindre",
	CardSteps: "Tapez l'une de ces commandes, votre prénom à la place de VOTRE-NOM :",
	CardFP:    "Empreinte du serveur (la même que celle que ssh montre) : %s",
	CardCode:  "Code d'accès : %s",
	CardMask:  "Code d'accès : •••••• (J pour l'afficher)",
	CardHere:  "Arrivé·es (%d) : ",
	CardHint:  "J ou Échap : fermer",
}

var englishDoor = Door{
	Refused1:  "%d connection refused — see the log",
	Refused:   "%d connections refused — see the log",
	QuitAlone: "Quit? y/n",
	KeyCard:   "how to join",
	CardTitle: "To join",
	CardSteps: "Type one of these commands, with your first name instead of YOUR-NAME:",
	CardFP:    "Server fingerprint (the same ssh shows): %s",
	CardCode:  "Passcode: %s",
	CardMask:  "Passcode: •••••• (J shows it)",
	CardHere:  "Here (%d): ",
	CardHint:  "J or Esc: close",
}
