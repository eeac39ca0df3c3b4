// Package review is Revue's domain: documents cut into passages, criteria,
// proposals that link a passage to a criterion, and the trace of everything
// people do with them. A session's State is a fold of its events; nothing is
// edited in place. The package does no I/O and knows nothing of terminals,
// SSH or SQL, so that the same rules hold in the live session, in replay and
// in export.
package review

import "time"

// Document is one imported file. Its ID is the SHA-256 of its bytes, so that
// importing the same file twice is harmless.
type Document struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Source   string    `json:"source"`
	SHA256   string    `json:"sha256"`
	Format   string    `json:"format"`
	Chars    int       `json:"chars"`
	Passages []Passage `json:"passages"`
}

// Passage is a bounded span of a document's text. Start and End are offsets
// in runes (Unicode code points) into the document's extracted text, so that
// a researcher can find the passage again in any language.
type Passage struct {
	ID       string `json:"id"`
	Document string `json:"document"`
	Index    int    `json:"index"`
	Text     string `json:"text"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Page     int    `json:"page,omitempty"`
	Section  string `json:"section,omitempty"`
	// seq is the event whose data holds Text, when a lean fold
	// (State.ApplyLean) left the text in the store: State.PassageText
	// reads it from there. 0 when Text is held.
	seq int64
}

// Criterion is one good property of a commons, in one sentence.
type Criterion struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Keywords are words and phrases that the people say signal the
	// criterion ("avertissement", "rappel à l'ordre"): the frugal proposer
	// searches for them as for the criterion's own words.
	Keywords []string `json:"keywords,omitempty"`
}

// Origin kinds say who proposed a link.
const (
	OriginModel   = "model"   // a language model served by Ollama
	OriginLexical = "lexical" // the frugal proposer, no model at all
	OriginHuman   = "human"   // a person, during a session
	OriginExample = "example" // written by hand for the sample corpus
)

// Origin says who or what proposed a link, with enough provenance to redo it.
type Origin struct {
	Kind       string      `json:"kind"`
	Name       string      `json:"name"`
	Provenance *Provenance `json:"provenance,omitempty"`
}

// Provenance is everything needed to redo a proposal and to question it.
// Durations are in nanoseconds, as Ollama reports them.
type Provenance struct {
	OllamaVersion string         `json:"ollama_version,omitempty"`
	Host          string         `json:"host,omitempty"`
	Model         string         `json:"model,omitempty"`
	ModelDigest   string         `json:"model_digest,omitempty"`
	EmbedModel    string         `json:"embed_model,omitempty"`
	PromptVersion string         `json:"prompt_version,omitempty"`
	PromptHash    string         `json:"prompt_hash,omitempty"`
	SchemaHash    string         `json:"schema_hash,omitempty"`
	Options       map[string]any `json:"options,omitempty"`
	Retrieval     *Retrieval     `json:"retrieval,omitempty"`
	QuoteMatch    string         `json:"quote_match,omitempty"`
	MatchedTerms  []string       `json:"matched_terms,omitempty"`
	// Expansions are the matched words that are not the criterion's own
	// (keywords, synonyms), with where each came from.
	Expansions     []ExpandedTerm `json:"expansions,omitempty"`
	PromptTokens   int            `json:"prompt_tokens,omitempty"`
	OutputTokens   int            `json:"output_tokens,omitempty"`
	TotalDuration  int64          `json:"total_duration_ns,omitempty"`
	LoadDuration   int64          `json:"load_duration_ns,omitempty"`
	PromptDuration int64          `json:"prompt_eval_duration_ns,omitempty"`
	EvalDuration   int64          `json:"eval_duration_ns,omitempty"`
	DoneReason     string         `json:"done_reason,omitempty"`
	Attempts       int            `json:"attempts,omitempty"`
}

// Retrieval records how a passage came to be judged for a criterion.
type Retrieval struct {
	LexicalScore float64 `json:"lexical_score"`
	LexicalRank  int     `json:"lexical_rank"`
	EmbedScore   float64 `json:"embed_score,omitempty"`
	EmbedRank    int     `json:"embed_rank,omitempty"`
	FusedScore   float64 `json:"fused_score,omitempty"`
	FusedRank    int     `json:"fused_rank,omitempty"`
}

// Proposal is a link: this passage illustrates this criterion, because of the
// statement, as the quote shows. QuoteStart and QuoteEnd are rune offsets of
// the quote in the passage's text, or -1 when the quote was not found there:
// an invented quote must never be shown as one.
type Proposal struct {
	ID         string  `json:"id"`
	Document   string  `json:"document"`
	Passage    string  `json:"passage"`
	Criterion  string  `json:"criterion"`
	Statement  string  `json:"statement"`
	Quote      string  `json:"quote"`
	QuoteStart int     `json:"quote_start"`
	QuoteEnd   int     `json:"quote_end"`
	Confidence float64 `json:"confidence"`
	Origin     Origin  `json:"origin"`
	// Negative marks a pair the model answered "no link" to, sampled so
	// that people judge the AI's silences too. It is shown exactly like
	// any other proposal: only the data says so.
	Negative bool `json:"negative,omitempty"`
}

// Status is the outcome of a proposal.
type Status string

// The statuses of PRODUCT.md's export.
const (
	Pending   Status = "pending"
	Accepted  Status = "accepted"
	Rejected  Status = "rejected"
	Rephrased Status = "rephrased"
)

// Verdict is what one person says of a proposal.
type Verdict string

// Verdicts. Skip is recorded because what people pass over is research data
// too, but it never decides anything.
const (
	Accept   Verdict = "accept"
	Reject   Verdict = "reject"
	Rephrase Verdict = "rephrase"
	Skip     Verdict = "skip"
)

// Reasons for a rejection, a fixed list so that researchers can count them;
// ReasonOther comes with free text.
const (
	ReasonOffTopic       = "off_topic"
	ReasonQuoteInexact   = "quote_inexact"
	ReasonTooVague       = "too_vague"
	ReasonWrongCriterion = "wrong_criterion"
	ReasonOther          = "other"
)

// Reasons lists the rejection reasons in the order a picker shows them.
var Reasons = []string{ReasonOffTopic, ReasonQuoteInexact, ReasonTooVague, ReasonWrongCriterion, ReasonOther}

// Vote is one person's opinion on a proposal. A facilitator's vote is also
// the decision (Decides). DwellMS is how long the proposal was on the
// author's screen before they acted: how long people think is research data.
type Vote struct {
	EventID   string    `json:"event_id"`
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Actor     Actor     `json:"actor"`
	Verdict   Verdict   `json:"verdict"`
	Reason    string    `json:"reason,omitempty"`
	Note      string    `json:"note,omitempty"`
	Statement string    `json:"statement,omitempty"`
	DwellMS   int64     `json:"dwell_ms,omitempty"`
	Decides   bool      `json:"decides"`
	Version   int       `json:"version,omitempty"` // see VoteData.Version
	Outcome   string    `json:"outcome,omitempty"`
	blind     bool      // cast while voting was blind (see ProposalState.CastBlind)
}

// Version is one wording of a proposal's statement. Version 1 is the
// original; later ones come from rephrasing, each with its author and its
// word diff against the one before.
type Version struct {
	N         int       `json:"n"`
	Statement string    `json:"statement"`
	Author    Actor     `json:"author"`
	At        time.Time `json:"at"`
	EventID   string    `json:"event_id,omitempty"`
	Diff      string    `json:"diff,omitempty"`
}

// Comment is a remark on a proposal.
type Comment struct {
	EventID string    `json:"event_id"`
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Actor   Actor     `json:"actor"`
	Text    string    `json:"text"`
}

// Timer is a time box the facilitator gave the discussion of one link.
type Timer struct {
	Start   time.Time `json:"start"`
	Seconds int       `json:"seconds"`
	By      Actor     `json:"by"`
	Stopped time.Time `json:"stopped,omitzero"` // zero while it runs
	Reason  string    `json:"reason,omitempty"`
}

// Ends is when the timer runs out.
func (t *Timer) Ends() time.Time { return t.Start.Add(time.Duration(t.Seconds) * time.Second) }

// Running reports whether the timer still counts at now.
func (t *Timer) Running(now time.Time) bool {
	return t != nil && t.Stopped.IsZero() && now.Before(t.Ends())
}

// Conditions are what participants see of each proposal, chosen by the
// facilitator for the session: they are experimental conditions, recorded
// in the trace whenever they change and, per person, when they join. The
// zero value shows everything and votes in the open.
type Conditions struct {
	Blind          bool    `json:"blind"`           // others' verdicts hidden until revealed
	HideOrigin     bool    `json:"hide_origin"`     // model, lexical or person not shown
	HideConfidence bool    `json:"hide_confidence"` // the model's confidence not shown
	HideRationale  bool    `json:"hide_rationale"`  // the provenance pane (why) not offered
	Random         *Random `json:"random,omitempty"`
}

// Random assigns conditions per person for A/B designs: each factor is
// hidden for about half of the people, drawn from the seed and the person,
// so that the trace alone is enough to recompute everybody's arm.
type Random struct {
	Seed    int64    `json:"seed"`
	Factors []string `json:"factors"` // among FactorOrigin, FactorConfidence, FactorRationale
}

// Factors that Random may assign.
const (
	FactorOrigin     = "origin"
	FactorConfidence = "confidence"
	FactorRationale  = "rationale"
)

// Room is where the room is: the facilitator who leads, the proposal on
// their screen, and whether the others' screens follow it.
type Room struct {
	Follow   bool      `json:"follow"`
	Leader   Actor     `json:"leader"`
	Proposal string    `json:"proposal,omitempty"`
	Since    time.Time `json:"since,omitzero"`
	// Calls counts the room.led events that turned following on: each
	// calls every screen back to the room, those who browsed away too.
	Calls int `json:"-"`
	// View is what the wall shows besides the link (room.viewed):
	// ViewResults, or "" for the link. It goes back to the link when
	// the leader leaves or another takes the room.
	View string `json:"view,omitempty"`
}

// Consent is the session's consent text and everybody's answer to it, by
// Actor.Key.
type Consent struct {
	Text    string
	Hash    string
	Answers map[string]bool
}
