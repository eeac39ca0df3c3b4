package review

import (
	"encoding/json"
	"fmt"
	"time"
)

// Role is what a person may do in a session. The server checks it on every
// action; the interface only hides what a role cannot do.
type Role string

// Roles. System is the actor of the command line (init, propose).
const (
	Facilitator Role = "facilitator"
	Participant Role = "participant"
	Spectator   Role = "spectator"
	System      Role = "system"
)

// Actor is who did something: the name they chose, the SHA-256 fingerprint of
// the SSH key that really authenticated them (empty without a key), and their
// role.
type Actor struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Role        Role   `json:"role"`
}

// Key identifies a person across events: the same name with another key is
// another person.
func (a Actor) Key() string { return a.Name + "\x00" + a.Fingerprint }

// Kind names an event type of the trace.
type Kind string

// The kinds of event. Their data is the payload type named in each comment.
const (
	KindSessionCreated  Kind = "session.created"    // SessionCreated
	KindDocumentAdded   Kind = "document.added"     // Document
	KindCriterionAdded  Kind = "criterion.added"    // Criterion
	KindProposalAdded   Kind = "proposal.added"     // Proposal
	KindVoteCast        Kind = "vote.cast"          // VoteData, a participant's opinion
	KindDecisionMade    Kind = "decision.made"      // VoteData, a facilitator's decision
	KindCommentAdded    Kind = "comment.added"      // CommentData
	KindActionUndone    Kind = "action.undone"      // UndoData
	KindParticipantJoin Kind = "participant.joined" // JoinData
	KindParticipantLeft Kind = "participant.left"   // JoinData (terminal only)
	KindProposeRun      Kind = "propose.run"        // ProposeRun
	KindProposeFailed   Kind = "propose.failed"     // ProposeFailed
	KindPairJudged      Kind = "propose.judged"     // PairJudged

	// The workshop: sealing, voting modes, the room following its leader.
	KindDecisionReopened Kind = "decision.reopened" // ReopenData
	KindConditionsSet    Kind = "conditions.set"    // Conditions
	KindVotesRevealed    Kind = "votes.revealed"    // ProposalRef
	KindProposalParked   Kind = "proposal.parked"   // ParkData
	KindTimerStarted     Kind = "timer.started"     // TimerData
	KindTimerStopped     Kind = "timer.stopped"     // TimerStop
	KindRoomLed          Kind = "room.led"          // RoomData
	KindRoomMoved        Kind = "room.moved"        // ProposalRef
	KindRoomViewed       Kind = "room.viewed"       // RoomView
	KindAgendaSet        Kind = "agenda.set"        // AgendaData
	KindHandRaised       Kind = "hand.raised"       // HandData
	KindHandLowered      Kind = "hand.lowered"      // HandData

	// The research data: what people saw, and their consent.
	KindExposure Kind = "exposure.recorded" // Exposure
	// KindExposureFollowing: a follower's interval that the room's moves
	// end from now on (see Exposures).
	KindExposureFollowing Kind = "exposure.following" // ExposureFollowing
	KindPaneOpened        Kind = "pane.opened"        // PaneData
	KindConsentSet        Kind = "consent.set"        // ConsentText
	KindConsentAnswered   Kind = "consent.answered"   // ConsentAnswer
	KindPersonForgotten   Kind = "person.forgotten"   // Forget
)

// KindDocumentPassages carries more passages of a document already added,
// for a document too big for one event: its payload is DocumentPassages.
const KindDocumentPassages Kind = "document.passages"

// Kinds lists every kind of event, in the order the codebook presents them.
var Kinds = []Kind{
	KindSessionCreated, KindDocumentAdded, KindDocumentPassages, KindCriterionAdded, KindProposalAdded,
	KindVoteCast, KindDecisionMade, KindDecisionReopened, KindCommentAdded, KindActionUndone,
	KindParticipantJoin, KindParticipantLeft,
	KindConditionsSet, KindVotesRevealed, KindProposalParked, KindTimerStarted, KindTimerStopped,
	KindRoomLed, KindRoomMoved, KindRoomViewed, KindAgendaSet, KindHandRaised, KindHandLowered,
	KindExposure, KindExposureFollowing, KindPaneOpened, KindConsentSet, KindConsentAnswered, KindPersonForgotten,
	KindProposeRun, KindProposeFailed, KindPairJudged,
}

// Event is one entry of a session's append-only trace. ID is chosen by the
// event's author, so that a retry after a crash is a no-op; Seq is given by
// the store when the event is committed, and so is Hash, the link of the
// session's hash chain that makes a changed or deleted event visible (see
// store.ChainHash); it is empty in an event not yet stored.
type Event struct {
	Session string          `json:"session"`
	Seq     int64           `json:"seq"`
	At      time.Time       `json:"at"`
	ID      string          `json:"id"`
	Actor   Actor           `json:"actor"`
	Kind    Kind            `json:"kind"`
	Data    json.RawMessage `json:"data"`
	Hash    string          `json:"hash,omitempty"`
}

// SessionCreated is the first event of every session.
type SessionCreated struct {
	Name string `json:"name"`
	// Language is the session's language ("fr" or "en"), in which the
	// lexical proposer writes its statements whoever runs it; empty in
	// sessions made before it existed, which are French.
	Language string `json:"language,omitempty"`
}

// DocumentPassages is the payload of document.passages: the next passages
// of a document whose document.added event carried only the first ones.
// A 200 MB text is 220,000 passages: as one event, its JSON (260 MB) was
// built whole and copied twice more by SQLite; cut into events of about
// 1 MiB, it is written and read a piece at a time. Its passages follow the
// document's last ones, indexes in order, each naming the document.
type DocumentPassages struct {
	Document string    `json:"document"`
	Passages []Passage `json:"passages"`
}

// VoteData is the payload of vote.cast and decision.made.
type VoteData struct {
	Proposal  string  `json:"proposal"`
	Verdict   Verdict `json:"verdict"`
	Reason    string  `json:"reason,omitempty"`
	Note      string  `json:"note,omitempty"`
	Statement string  `json:"statement,omitempty"`
	DwellMS   int64   `json:"dwell_ms,omitempty"`
	// Version is, on a vote, the version of the statement that was on the
	// voter's screen (what they judged); on a rephrased decision, the
	// competing version the facilitator chose (0: a new wording of theirs,
	// in Statement).
	Version int `json:"version,omitempty"`
	// Outcome is the facilitator's optional sentence closing a decision.
	Outcome string `json:"outcome,omitempty"`
}

// ProposalRef names the proposal an event is about: votes.revealed and
// room.moved.
type ProposalRef struct {
	Proposal string `json:"proposal"`
}

// ReopenData is the payload of decision.reopened.
type ReopenData struct {
	Proposal string `json:"proposal"`
	Note     string `json:"note,omitempty"`
}

// ParkData is the payload of proposal.parked: the facilitator sets a link
// aside to come back to it (Parked) or takes it back (not Parked).
type ParkData struct {
	Proposal string `json:"proposal"`
	Parked   bool   `json:"parked"`
}

// TimerData is the payload of timer.started.
type TimerData struct {
	Proposal string `json:"proposal"`
	Seconds  int    `json:"seconds"`
}

// TimerStop is the payload of timer.stopped; Reason is TimerStopped or
// TimerElapsed.
type TimerStop struct {
	Proposal string `json:"proposal"`
	Reason   string `json:"reason"`
}

// Reasons a timer ends.
const (
	TimerStoppedByHand = "stopped"
	TimerElapsed       = "elapsed"
)

// RoomView is the payload of room.viewed: what the room's wall shows
// besides its link, as the leading facilitator chose it (=). It is a change
// of the room, so it is in the trace like a move: a wall that connects, or
// a server that restarts, shows what the room shows.
type RoomView struct {
	View string `json:"view"` // ViewResults or ViewLink
}

// The views of the room (RoomView.View).
const (
	ViewLink    = "link"    // the room's link
	ViewResults = "results" // what the room decided so far
)

// AgendaData is the payload of agenda.set: the session's time box and
// order of work as a facilitator last set them (A, O, *). Each change
// records the whole agenda, so that the last one is the agenda in force,
// and a facilitator who reconnects, or a restarted server, gets it back.
type AgendaData struct {
	// End is when the session should end, Start when that end was set
	// and Decided how many links were decided then, from which the pace
	// is measured; all zero when no end is set.
	End     time.Time `json:"ends_at,omitzero"`
	Start   time.Time `json:"set_at,omitzero"`
	Decided int       `json:"decided_before,omitempty"`
	Order   string    `json:"order"`           // one of Orders: what n takes next
	Picks   []string  `json:"picks,omitempty"` // the links marked with *, in the order marked
}

// Orders are the orders of work (AgendaData.Order): the list's (by
// criterion), disagreements first, the least confident first, the links
// picked with *.
var Orders = []string{"list", "conflict", "doubt", "picked"}

// HandData is the payload of hand.raised and hand.lowered: a participant
// asks for the floor (h) or gives the request up. Its author is the
// person; it has no field.
type HandData struct{}

// RoomData is the payload of room.led: a facilitator takes the lead of the
// room, and says whether participants' screens follow theirs.
type RoomData struct {
	Follow   bool   `json:"follow"`
	Proposal string `json:"proposal,omitempty"`
}

// Exposure states and the reasons an exposure interval ends.
const (
	ExposureActive = "active"
	ExposureIdle   = "idle"

	EndMoved      = "moved"      // another proposal came on screen
	EndIdle       = "idle"       // no key for a while: an idle interval begins
	EndActive     = "active"     // a key after an idle interval: an active one begins
	EndLeft       = "left"       // the screen closed
	EndCheckpoint = "checkpoint" // written while the proposal stays, so a crash loses little
	EndPane       = "pane"       // a pane (help, why) covered the proposal
)

// Exposure is one interval during which a proposal was on a person's
// screen: the denominator of every rate a researcher computes.
type Exposure struct {
	Proposal  string    `json:"proposal"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	State     string    `json:"state"` // ExposureActive or ExposureIdle
	End       string    `json:"end"`   // why the interval ended: End...
	Following bool      `json:"following"`
}

// PaneData is the payload of pane.opened.
type PaneData struct {
	Pane     string `json:"pane"` // "why", "help", "versions", "consent", "parked"
	Proposal string `json:"proposal,omitempty"`
}

// ConsentText is the payload of consent.set: the text a person reads and
// agrees to, or declines, on first joining.
type ConsentText struct {
	Text string `json:"text"`
}

// ConsentAnswer is the payload of consent.answered. Hash is the SHA-256 of
// the consent text answered, so that an answer always names what was read.
type ConsentAnswer struct {
	Agreed bool   `json:"agreed"`
	Hash   string `json:"hash"`
}

// Forget is the payload of person.forgotten: a person withdrew, and every
// export from then on leaves out what they wrote. An empty Fingerprint
// forgets every key that used the name.
type Forget struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

// Matches reports whether the withdrawal concerns this actor.
func (f Forget) Matches(a Actor) bool {
	return a.Name == f.Name && (f.Fingerprint == "" || f.Fingerprint == a.Fingerprint)
}

// JoinData is the payload of participant.joined and participant.left.
// Conditions are those in force for this person at joining: with the
// session's conditions.set events they let a researcher know what every
// person could see at every moment.
type JoinData struct {
	Terminal   string      `json:"terminal"`
	Lang       string      `json:"lang,omitempty"`
	Conditions *Conditions `json:"conditions,omitempty"`
}

// CommentData is the payload of comment.added.
type CommentData struct {
	Proposal string `json:"proposal"`
	Text     string `json:"text"`
}

// UndoData is the payload of action.undone: the event whose effect ends.
type UndoData struct {
	Target string `json:"target"`
}

// ProposeRun sums the computing one `revue propose` run spent, so that the
// associations can see what their proposals cost.
type ProposeRun struct {
	Mode          string    `json:"mode"` // "model" or "lexical"
	Model         string    `json:"model,omitempty"`
	ModelDigest   string    `json:"model_digest,omitempty"`
	EmbedModel    string    `json:"embed_model,omitempty"`
	OllamaVersion string    `json:"ollama_version,omitempty"`
	Hosts         []string  `json:"hosts,omitempty"`
	Started       time.Time `json:"started"`
	Finished      time.Time `json:"finished"`
	Criteria      int       `json:"criteria"`
	Passages      int       `json:"passages"`
	Pairs         int       `json:"pairs"`      // (criterion, passage) pairs judged
	Exhaustive    int       `json:"exhaustive"` // criteria × passages, without retrieval
	Calls         int       `json:"calls"`
	Skipped       int       `json:"skipped"` // pairs already answered earlier
	Failed        int       `json:"failed"`
	Proposals     int       `json:"proposals"`
	PromptTokens  int64     `json:"prompt_tokens"`
	OutputTokens  int64     `json:"output_tokens"`
	EmbedTokens   int64     `json:"embed_tokens,omitempty"`
	ModelNanos    int64     `json:"model_ns"`
	PowerWatts    float64   `json:"power_watts,omitempty"`
	EnergyWh      float64   `json:"energy_wh"`
	// EnergySource is "rapl:" and the counters read (Linux powercap) when
	// the energy was measured, or "estimate" with EnergyFormula when it was
	// computed from PowerWatts and the wall time. Empty in older traces:
	// an estimate.
	EnergySource  string `json:"energy_source,omitempty"`
	EnergyFormula string `json:"energy_formula,omitempty"`
	// Speeds, as Ollama reports them, so that the next run's estimate can
	// use them: prompt and output tokens per second of model time, and the
	// summed prompt and generation durations. Ollama 0.17's prompt count
	// includes the tokens its cache reused, so the prompt speed is an
	// effective one.
	PromptChars        int64   `json:"prompt_chars,omitempty"` // characters sent, for the tokens per character of this model
	PromptNanos        int64   `json:"prompt_eval_ns,omitempty"`
	EvalNanos          int64   `json:"eval_ns,omitempty"`
	PromptTokensPerSec float64 `json:"prompt_tokens_per_s,omitempty"`
	OutputTokensPerSec float64 `json:"output_tokens_per_s,omitempty"`
	EmbedTexts         int     `json:"embed_texts,omitempty"`
	EmbedTextsPerSec   float64 `json:"embed_texts_per_s,omitempty"`
	Parallel           int     `json:"parallel,omitempty"`
	// EstimateNanos is the duration the run's plan predicted, when it had
	// one, so that estimates can be checked against the real run.
	EstimateNanos int64 `json:"estimate_ns,omitempty"`
	// Negatives is how many "no link" answers were added as proposals
	// marked negative (issue 8), drawn with NegativeSeed.
	Negatives    int   `json:"negatives,omitempty"`
	NegativeSeed int64 `json:"negative_seed,omitempty"`
	// NegativesPlain counts the negatives whose statement is the plain
	// sentence of the fallback, the model's own wording being unusable:
	// those a participant could tell apart (issue 16). The negatives'
	// confidence is always drawn from the real proposals' (NegativeConfidence).
	NegativesPlain     int    `json:"negatives_plain,omitempty"`
	NegativeConfidence string `json:"negative_confidence,omitempty"`
	// Knowledge names the sources of terms a frugal run used ("keyword",
	// "thesaurus"), and Expansions the words each criterion was searched
	// with besides its own (issue 19).
	Knowledge  []string             `json:"knowledge,omitempty"`
	Expansions []CriterionExpansion `json:"expansions,omitempty"`
}

// ProposeFailed records a pair the judge could not answer, so that a failure
// is visible in the trace rather than silently missing.
type ProposeFailed struct {
	Passage   string `json:"passage"`
	Criterion string `json:"criterion"`
	Model     string `json:"model,omitempty"`
	Reason    string `json:"reason"`
	Attempts  int    `json:"attempts"`
	// Answer is the model's raw answer when one arrived but could not be
	// used (cut by num_predict, a number out of range...), kept so that
	// what the model did can be checked.
	Answer string `json:"answer,omitempty"`
}

// PairJudged records one answer of the judge, whether or not it found a
// link, so that a pair already answered is never asked again and so that
// what the model was asked, and what it said, can be checked. Key identifies
// the question: passage, criterion, model digest, prompt version, options.
type PairJudged struct {
	Key        string      `json:"key"`
	Passage    string      `json:"passage"`
	Criterion  string      `json:"criterion"`
	Relevant   bool        `json:"relevant"`
	Proposal   string      `json:"proposal,omitempty"` // the proposal it made, if relevant
	Provenance *Provenance `json:"provenance,omitempty"`
	// Answer is the judge's raw answer, kept so that an answer that made no
	// proposal (a quote not found in the passage) can still be checked.
	Answer string `json:"answer,omitempty"`
}

// NewEvent builds an event with its payload encoded. The store gives it its
// sequence number.
func NewEvent(session, id string, at time.Time, actor Actor, kind Kind, data any) (Event, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s event %s: %w", kind, id, err)
	}
	return Event{Session: session, At: at.UTC(), ID: id, Actor: actor, Kind: kind, Data: raw}, nil
}

// MustEvent is NewEvent for payloads that always encode (the package's own
// types); it panics otherwise, which would be a programming error.
func MustEvent(session, id string, at time.Time, actor Actor, kind Kind, data any) Event {
	e, err := NewEvent(session, id, at, actor, kind, data)
	if err != nil {
		panic(err)
	}
	return e
}

// Decode reads an event's payload into v.
func (e Event) Decode(v any) error {
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("event %d (%s, id %s): bad data: %w", e.Seq, e.Kind, e.ID, err)
	}
	return nil
}

// Live reports whether an event kind may be appended by a live session.
// Documents and criteria are fixed once a session is created, which lets a
// live session share them between snapshots without copying; the command
// line's kinds (propose.*, person.forgotten) come from another process.
func (k Kind) Live() bool {
	switch k {
	case KindProposalAdded, KindVoteCast, KindDecisionMade, KindCommentAdded,
		KindActionUndone, KindParticipantJoin, KindParticipantLeft,
		KindDecisionReopened, KindConditionsSet, KindVotesRevealed, KindProposalParked,
		KindTimerStarted, KindTimerStopped, KindRoomLed, KindRoomMoved,
		KindRoomViewed, KindAgendaSet, KindHandRaised, KindHandLowered,
		KindExposure, KindExposureFollowing, KindPaneOpened, KindConsentSet, KindConsentAnswered:
		return true
	}
	return false
}

// CriterionExpansion lists the words a frugal run searched for a criterion
// besides its own: the people's keywords and the thesaurus's synonyms, so
// that a researcher sees why a link was proposed.
type CriterionExpansion struct {
	Criterion string         `json:"criterion"`
	Terms     []ExpandedTerm `json:"terms,omitempty"`
}

// ExpandedTerm is one word searched for a criterion besides its own words.
// In a proposal's provenance, Word is the word as the passage writes it.
type ExpandedTerm struct {
	Word   string  `json:"word"`
	Source string  `json:"source"`         // "keyword" or "thesaurus"
	From   string  `json:"from,omitempty"` // the criterion's word or the keyword it came from
	Weight float64 `json:"weight"`
}
