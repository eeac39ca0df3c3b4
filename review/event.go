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
	KindSessionCreated  Kind = "session.created" // SessionCreated
	KindDocumentAdded   Kind = "document.added"  // Document
	KindCriterionAdded  Kind = "criterion.added" // Criterion
	KindProposalAdded   Kind = "proposal.added"  // Proposal
	KindVoteCast        Kind = "vote.cast"       // VoteData, a participant's opinion
	KindDecisionMade    Kind = "decision.made"   // VoteData, a facilitator's decision
	KindCommentAdded    Kind = "comment.added"   // CommentData
	KindActionUndone    Kind = "action.undone"   // UndoData
	KindParticipantJoin Kind = "participant.joined"
	KindParticipantLeft Kind = "participant.left"
	KindProposeRun      Kind = "propose.run"    // ProposeRun
	KindProposeFailed   Kind = "propose.failed" // ProposeFailed
	KindPairJudged      Kind = "propose.judged" // PairJudged
)

// Event is one entry of a session's append-only trace. ID is chosen by the
// event's author, so that a retry after a crash is a no-op; Seq is given by
// the store when the event is committed.
type Event struct {
	Session string          `json:"session"`
	Seq     int64           `json:"seq"`
	At      time.Time       `json:"at"`
	ID      string          `json:"id"`
	Actor   Actor           `json:"actor"`
	Kind    Kind            `json:"kind"`
	Data    json.RawMessage `json:"data"`
}

// SessionCreated is the first event of every session.
type SessionCreated struct {
	Name string `json:"name"`
}

// VoteData is the payload of vote.cast and decision.made.
type VoteData struct {
	Proposal  string  `json:"proposal"`
	Verdict   Verdict `json:"verdict"`
	Reason    string  `json:"reason,omitempty"`
	Note      string  `json:"note,omitempty"`
	Statement string  `json:"statement,omitempty"`
	DwellMS   int64   `json:"dwell_ms,omitempty"`
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
}

// ProposeFailed records a pair the judge could not answer, so that a failure
// is visible in the trace rather than silently missing.
type ProposeFailed struct {
	Passage   string `json:"passage"`
	Criterion string `json:"criterion"`
	Model     string `json:"model,omitempty"`
	Reason    string `json:"reason"`
	Attempts  int    `json:"attempts"`
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
// live session share them between snapshots without copying.
func (k Kind) Live() bool {
	switch k {
	case KindProposalAdded, KindVoteCast, KindDecisionMade, KindCommentAdded,
		KindActionUndone, KindParticipantJoin, KindParticipantLeft:
		return true
	}
	return false
}
