package review

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// ProposalState is a proposal with everything people did with it, derived
// from the trace. Values are replaced, never changed, once a State has been
// shared (see State.Snapshot).
type ProposalState struct {
	Proposal
	AddedBy Actor     `json:"-"`
	AddedAt time.Time `json:"-"`
	Status  Status
	// Final is the statement in force: the original while the link is
	// open (competing wordings wait in Versions), the chosen wording once
	// it is sealed accepted or rephrased, nothing once it is rejected.
	// Invariant: Status == Accepted implies Final == Statement.
	Final        string
	FinalAuthor  Actor     // whose wording Final is
	FinalVersion int       // the number of Final in Versions; 0 when open or rejected
	Outcome      string    // the facilitator's closing sentence, if any
	Sealed       bool      // a decision is in force: votes and rephrasings are refused
	Decision     *Vote     // the facilitator's decision in force, if any
	Decisions    []Vote    // every seal, including those reopened since
	Reopened     int       // how many times a seal was lifted
	Votes        []Vote    // every vote in force, in order
	Versions     []Version // the statement's wordings, the original first
	Comments     []Comment
	Conflict     bool   // people in force disagree
	Revealed     bool   // the facilitator revealed the votes of this blind link
	Parked       bool   // set aside to come back to
	Timer        *Timer // the latest timer given to its discussion; never changed in place
	History      []int  // indexes in State.Events of the events about this proposal
	undone       map[string]bool
	gen          uint64 // the State.gen it was made in; older ones may be shared with a snapshot
}

// Counts reports whether v is a vote of the room: a participant's
// opinion. A facilitator's decision is a seal, not a vote, and a
// facilitator's own skip or any vote by another role is not one either:
// the tally, the turnout, the wall, the report and the exports count these
// and only these, so that they all say the same thing.
func (v Vote) Counts() bool { return !v.Decides && v.Actor.Role == Participant }

// Current returns each participant's latest vote in force (Vote.Counts), in
// the order of those votes. Decisions are in Decisions and Decision.
func (p *ProposalState) Current() []Vote {
	var out []Vote
	for i, v := range p.Votes {
		if v.Counts() && !p.hasLaterVote(i) {
			out = append(out, v)
		}
	}
	return out
}

// hasLaterVote reports whether the author of vote i voted again after it
// (a decision is not a vote, and does not replace one).
func (p *ProposalState) hasLaterVote(i int) bool {
	k := p.Votes[i].Actor
	for _, v := range p.Votes[i+1:] {
		if !v.Decides && v.Actor.Name == k.Name && v.Actor.Fingerprint == k.Fingerprint {
			return true
		}
	}
	return false
}

// Tally counts the current votes by verdict.
func (p *ProposalState) Tally() map[Verdict]int {
	t := map[Verdict]int{}
	for _, v := range p.Current() {
		t[v.Verdict]++
	}
	return t
}

// CastBlind reports whether a vote in force on p was cast while voting was
// blind. Such votes stay hidden from participants until the facilitator
// reveals the link (votes.revealed), even once the session has gone back
// to open voting: switching blind off reveals nothing by itself, and the
// export's "revealed: false" says the same as the screens.
func (p *ProposalState) CastBlind() bool {
	for _, v := range p.Votes {
		if v.blind && v.Counts() {
			return true
		}
	}
	return false
}

// Hidden reports whether the participants' verdicts on p are hidden from a
// participant's screen, blind being whether the session votes blind now
// (the person's Conditions.Blind): before the reveal, nothing on that
// screen, nor in what its keys do, may depend on them.
func (p *ProposalState) Hidden(blind bool) bool {
	return !p.Revealed && (blind || p.CastBlind())
}

// Turnout is who took part in the vote on one link among the participants
// present: the one definition the review screen and the wall both show.
type Turnout struct {
	Voted   int     // participants present with a vote in force (a skip counts: they chose not to take a side)
	Present int     // participants present, each person once
	Missing []Actor // the participants present who have not voted, in the order given
}

// Turnout counts, among present (the participants connected, each once;
// see session.Participants), those with a vote in force on p. A
// facilitator's decision is not a vote, and a facilitator is not counted
// among the present.
func (p *ProposalState) Turnout(present []Actor) Turnout {
	voted := make(map[string]bool, len(p.Votes))
	for _, v := range p.Votes {
		if v.Counts() {
			voted[v.Actor.Key()] = true
		}
	}
	t := Turnout{Present: len(present)}
	for _, a := range present {
		if voted[a.Key()] {
			t.Voted++
		} else {
			t.Missing = append(t.Missing, a)
		}
	}
	return t
}

// Unanimous reports whether at least min participants have an opinion in
// force on p (skips left out) and all of them give the same verdict, and
// the first of those votes; a rephrasing is unanimous only when every one
// proposes the same wording. Rejections agree whatever their reasons: the
// seal takes the first one's.
func (p *ProposalState) Unanimous(min int) (Vote, bool) {
	var first Vote
	n := 0
	for _, v := range p.Current() {
		if v.Verdict == Skip {
			continue
		}
		if n == 0 {
			first = v
		} else if v.Verdict != first.Verdict || (v.Verdict == Rephrase && v.Statement != first.Statement) {
			return Vote{}, false
		}
		n++
	}
	return first, n > 0 && n >= min
}

// State is a session as its events make it. Documents, passages and criteria
// are fixed after creation; proposals change through votes and decisions.
type State struct {
	Name      string
	CreatedAt time.Time
	Documents []*Document
	Criteria  []Criterion
	Proposals []*ProposalState
	Events    []Event
	Failures  []ProposeFailed
	Judged    map[string]bool // PairJudged keys already answered; replaced, never changed, once shared
	Runs      []ProposeRun

	Language   string      // "fr" or "en": the language of the session's own texts
	Conditions Conditions  // what participants see, as the facilitator last set it
	Room       Room        // who leads the room and where it is
	Agenda     *AgendaData // the agenda in force (agenda.set), nil until one is set; replaced, never changed
	Hands      []Actor     // the participants with a raised hand, in the order raised; replaced, never changed
	Consent    Consent     // the consent text and the answers; Answers is replaced, never changed
	Forgotten  []Forget    // the people who withdrew

	docs      map[string]*Document
	passages  map[string]*Passage
	criteria  map[string]int
	proposals map[string]int
	byEvent   map[string]eventRef // by author-chosen event ID
	gen       uint64              // counts Snapshot calls; see ProposalState.gen
	mapsGen   uint64              // the gen in which Judged and Consent.Answers were last copied
	propsGen  uint64              // the gen in which proposals was last copied
	// The gen at which docs and passages, and criteria, were last copied:
	// a snapshot shares these maps, so the first change after one copies
	// them (own), and readers of the snapshot never see a write.
	docsAt, criteriaAt uint64
	// present counts the open connections of each person (by Actor.Key)
	// as the joins and departures tell them, so that a leader's last
	// departure frees the room; presentAt is its copy-on-write gen.
	present   map[string]int
	presentAt uint64
	// text reads the passages folded without their text (lean): see
	// SetText. Shared by every snapshot, and goroutine-safe.
	text TextSource
	lean bool // the fold in progress is ApplyLean's
}

// eventRef is what the state remembers of each event by its ID.
type eventRef struct {
	kind     Kind
	proposal string // the proposal it touched, if any
}

// NewState returns an empty state, ready for its session.created event.
func NewState() *State {
	return &State{
		docs:      map[string]*Document{},
		passages:  map[string]*Passage{},
		criteria:  map[string]int{},
		proposals: map[string]int{},
		byEvent:   map[string]eventRef{},
		Judged:    map[string]bool{},
		Language:  "fr",
		Room:      Room{Follow: true},
		Consent:   Consent{Answers: map[string]bool{}},
	}
}

// ownMaps makes the state's maps its own before a change, when a snapshot
// may be reading them: a replay takes no snapshot and copies nothing.
func (s *State) ownMaps() {
	if s.mapsGen == s.gen {
		return
	}
	s.Judged = maps.Clone(s.Judged)
	s.Consent.Answers = maps.Clone(s.Consent.Answers)
	s.mapsGen = s.gen
}

// ConditionsFor returns the conditions in force for a person: the
// session's, with each randomly assigned factor drawn from the seed and the
// person's key. The draw is a hash, so the trace alone is enough to
// recompute anybody's arm.
func (s *State) ConditionsFor(a Actor) Conditions {
	c := s.Conditions
	if c.Random == nil {
		return c
	}
	for _, f := range c.Random.Factors {
		h := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%s", c.Random.Seed, a.Key(), f))
		hide := h[0]&1 == 1
		switch f {
		case FactorOrigin:
			c.HideOrigin = hide
		case FactorConfidence:
			c.HideConfidence = hide
		case FactorRationale:
			c.HideRationale = hide
		}
	}
	return c
}

// IsForgotten reports whether a person withdrew from the session.
func (s *State) IsForgotten(a Actor) bool {
	for _, f := range s.Forgotten {
		if f.Matches(a) {
			return true
		}
	}
	return false
}

// ConsentNeeded reports whether a person has a consent text to answer
// before taking part.
func (s *State) ConsentNeeded(a Actor) bool {
	if s.Consent.Text == "" {
		return false
	}
	_, answered := s.Consent.Answers[a.Key()]
	return !answered
}

// Replay folds events into a new state.
func Replay(events []Event) (*State, error) {
	s := NewState()
	s.Events = make([]Event, 0, len(events))
	s.byEvent = make(map[string]eventRef, len(events))
	for _, e := range events {
		if err := s.Apply(e); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Document returns a document by ID.
func (s *State) Document(id string) (*Document, bool) { d, ok := s.docs[id]; return d, ok }

// Passage returns a passage by ID.
func (s *State) Passage(id string) (*Passage, bool) { p, ok := s.passages[id]; return p, ok }

// Criterion returns a criterion by ID.
func (s *State) Criterion(id string) (Criterion, bool) {
	i, ok := s.criteria[id]
	if !ok {
		return Criterion{}, false
	}
	return s.Criteria[i], true
}

// Proposal returns a proposal by ID.
func (s *State) Proposal(id string) (*ProposalState, bool) {
	i, ok := s.proposals[id]
	if !ok {
		return nil, false
	}
	return s.Proposals[i], true
}

// HasEvent reports whether an event with this author-chosen ID is in the
// trace already.
func (s *State) HasEvent(id string) bool { _, ok := s.byEvent[id]; return ok }

// Decided counts the proposals whose status is no longer pending.
func (s *State) Decided() int {
	n := 0
	for _, p := range s.Proposals {
		if p.Status != Pending {
			n++
		}
	}
	return n
}

// Snapshot returns a copy of the state that stays the same while s goes on
// changing, for readers in other goroutines. It is cheap: proposals are
// replaced rather than changed in place, so copying the slice of pointers is
// enough, and the trace and documents are only ever appended to. Only the
// live kinds of event (Kind.Live) may be applied after a snapshot is taken.
func (s *State) Snapshot() *State {
	s.gen++
	c := *s
	c.Proposals = slices.Clone(s.Proposals)
	c.Events = slices.Clip(s.Events)
	return &c
}

// own makes *m a map of the state's own before a change: a copy, the first
// time after a snapshot (gen moved since *at), which may be reading it.
func own[K comparable, V any](m *map[K]V, at *uint64, gen uint64) {
	if *at != gen {
		*m = maps.Clone(*m)
		*at = gen
	}
}

// morePassages checks a document.passages payload against the state: the
// document is added already, and each passage names it, is new, and comes
// next (its index one more than the passage before it). It returns the
// document the passages extend. The document is changed in place when they
// are applied: the kind is not live, so no snapshot shares it yet.
func (s *State) morePassages(seq int64, d DocumentPassages) (*Document, error) {
	doc, ok := s.docs[d.Document]
	if !ok {
		return nil, fmt.Errorf("event %d: passages of document %q, which was not added", seq, d.Document)
	}
	if len(d.Passages) == 0 {
		return nil, fmt.Errorf("event %d: no passage for document %q", seq, d.Document)
	}
	last, some := 0, len(doc.Passages) > 0
	if some {
		last = doc.Passages[len(doc.Passages)-1].Index
	}
	seen := make(map[string]bool, len(d.Passages))
	for _, p := range d.Passages {
		switch {
		case p.Document != d.Document:
			return nil, fmt.Errorf("event %d: passage %q belongs to document %q, not %q", seq, p.ID, p.Document, d.Document)
		case p.ID == "":
			return nil, fmt.Errorf("event %d: a passage of document %q has no id", seq, d.Document)
		case seen[p.ID]:
			return nil, fmt.Errorf("event %d: passage %q given twice", seq, p.ID)
		case some && p.Index != last+1:
			return nil, fmt.Errorf("event %d: passage %q has index %d, where %d comes next", seq, p.ID, p.Index, last+1)
		}
		if _, ok := s.passages[p.ID]; ok {
			return nil, fmt.Errorf("event %d: passage %q added twice", seq, p.ID)
		}
		seen[p.ID] = true
		last, some = p.Index, true
	}
	return doc, nil
}

// ErrDuplicate is returned by Apply for an event whose author-chosen ID is
// already in the trace.
var ErrDuplicate = errors.New("event already recorded")

// ErrSealed is returned for any vote, rephrasing, decision or undo on a
// sealed link: only a facilitator's reopening changes it.
var ErrSealed = errors.New("this link is sealed; a facilitator can reopen it")

// ErrNotSealed is returned for the reopening of a link that is not sealed
// (another screen or process reopened it first).
var ErrNotSealed = errors.New("this link is not sealed; there is nothing to reopen")

// Check reports whether e could be applied to s, without applying it: the
// live session calls it before making an event durable, so that nothing
// invalid ever reaches the trace. It holds the workshop's rules (a sealed
// link refuses votes, rephrasings, decisions and undos) that Apply does
// not: traces recorded before those rules existed must still replay, and
// are folded as they were recorded, the latest decision in force.
func (s *State) Check(e Event) error {
	return s.apply(e, false)
}

// Apply folds one event into the state.
func (s *State) Apply(e Event) error {
	return s.apply(e, true)
}

func (s *State) apply(e Event, commit bool) error {
	if e.ID == "" {
		return fmt.Errorf("event %d (%s): no id", e.Seq, e.Kind)
	}
	if s.HasEvent(e.ID) {
		return fmt.Errorf("event %s: %w", e.ID, ErrDuplicate)
	}
	if s.Name == "" && e.Kind != KindSessionCreated {
		return fmt.Errorf("event %d (%s): the session has not been created", e.Seq, e.Kind)
	}
	var touched string
	var payload any // the decoded vote or comment, folded below without decoding again
	switch e.Kind {
	case KindSessionCreated:
		var d SessionCreated
		if err := e.Decode(&d); err != nil {
			return err
		}
		if s.Name != "" {
			return fmt.Errorf("event %d: session %q created twice", e.Seq, s.Name)
		}
		if d.Name == "" {
			return fmt.Errorf("event %d: session without a name", e.Seq)
		}
		if d.Language != "" && d.Language != "fr" && d.Language != "en" {
			return fmt.Errorf("event %d: session language %q is neither fr nor en", e.Seq, d.Language)
		}
		if commit {
			s.Name, s.CreatedAt = d.Name, e.At
			if d.Language != "" {
				s.Language = d.Language
			}
		}
	case KindDocumentAdded:
		var d Document
		if err := s.decodeDocument(e, &d); err != nil {
			return err
		}
		if _, ok := s.docs[d.ID]; ok {
			return fmt.Errorf("event %d: document %s added twice", e.Seq, d.ID)
		}
		if commit {
			if s.lean {
				leaveText(d.Passages, e.Seq)
			}
			if s.docsAt != s.gen {
				// Written together: copied together.
				s.docs, s.passages, s.docsAt = maps.Clone(s.docs), maps.Clone(s.passages), s.gen
			}
			s.Documents = append(s.Documents, &d)
			s.docs[d.ID] = &d
			for i := range d.Passages {
				s.passages[d.Passages[i].ID] = &d.Passages[i]
			}
		}
	case KindDocumentPassages:
		var d DocumentPassages
		if err := s.decodeDocument(e, &d); err != nil {
			return err
		}
		doc, err := s.morePassages(e.Seq, d)
		if err != nil {
			return err
		}
		if commit {
			if s.lean {
				leaveText(d.Passages, e.Seq)
			}
			if s.docsAt != s.gen {
				s.docs, s.passages, s.docsAt = maps.Clone(s.docs), maps.Clone(s.passages), s.gen
			}
			grown := cap(doc.Passages) < len(doc.Passages)+len(d.Passages)
			doc.Passages = append(doc.Passages, d.Passages...)
			from := len(doc.Passages) - len(d.Passages)
			if grown {
				// The passages moved: the index points at the new array,
				// so that the old one is let go.
				from = 0
			}
			for i := from; i < len(doc.Passages); i++ {
				s.passages[doc.Passages[i].ID] = &doc.Passages[i]
			}
		}
	case KindCriterionAdded:
		var c Criterion
		if err := e.Decode(&c); err != nil {
			return err
		}
		if _, ok := s.criteria[c.ID]; ok {
			return fmt.Errorf("event %d: criterion %q added twice", e.Seq, c.ID)
		}
		if commit {
			own(&s.criteria, &s.criteriaAt, s.gen)
			s.criteria[c.ID] = len(s.Criteria)
			s.Criteria = append(s.Criteria, c)
		}
	case KindProposalAdded:
		var p Proposal
		if err := e.Decode(&p); err != nil {
			return err
		}
		if err := s.checkProposal(p); err != nil {
			return fmt.Errorf("event %d: %w", e.Seq, err)
		}
		touched = p.ID
		if commit {
			ps := &ProposalState{Proposal: p, AddedBy: e.Actor, AddedAt: e.At, History: []int{len(s.Events)}, gen: s.gen}
			ps.derive(s)
			if s.propsGen != s.gen {
				// A snapshot may be reading the index: a live session
				// adds links while two hundred screens look them up.
				s.proposals = maps.Clone(s.proposals)
				s.propsGen = s.gen
			}
			s.proposals[p.ID] = len(s.Proposals)
			s.Proposals = append(s.Proposals, ps)
		}
	case KindVoteCast, KindDecisionMade:
		var v VoteData
		if err := e.Decode(&v); err != nil {
			return err
		}
		if err := checkVote(e, v); err != nil {
			return err
		}
		p, ok := s.Proposal(v.Proposal)
		if !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, v.Proposal)
		}
		if p.Sealed && !commit {
			return fmt.Errorf("event %d: proposal %q: %w", e.Seq, v.Proposal, ErrSealed)
		}
		if e.Kind == KindDecisionMade && v.Verdict == Rephrase && !commit {
			if err := checkRephraseDecision(e, p, v); err != nil {
				return err
			}
		}
		touched, payload = v.Proposal, v
	case KindCommentAdded:
		var c CommentData
		if err := e.Decode(&c); err != nil {
			return err
		}
		if c.Text == "" {
			return fmt.Errorf("event %d: empty comment", e.Seq)
		}
		if _, ok := s.Proposal(c.Proposal); !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, c.Proposal)
		}
		touched, payload = c.Proposal, c
	case KindActionUndone:
		var u UndoData
		if err := e.Decode(&u); err != nil {
			return err
		}
		ref, ok := s.byEvent[u.Target]
		pid := ref.proposal
		// Traces written before seals existed may undo a decision: they
		// are folded as they were recorded.
		if !ok || !undoable(ref.kind) && !(commit && ref.kind == KindDecisionMade) {
			return fmt.Errorf("event %d: nothing to undo for %q", e.Seq, u.Target)
		}
		p, _ := s.Proposal(pid)
		if p.undone[u.Target] {
			return fmt.Errorf("event %d: %q is already undone", e.Seq, u.Target)
		}
		if p.Sealed && !commit {
			return fmt.Errorf("event %d: undo on proposal %q: %w", e.Seq, pid, ErrSealed)
		}
		touched = pid
	case KindDecisionReopened:
		var r ReopenData
		if err := e.Decode(&r); err != nil {
			return err
		}
		p, ok := s.Proposal(r.Proposal)
		if !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, r.Proposal)
		}
		if !p.Sealed {
			return fmt.Errorf("event %d: proposal %q: %w", e.Seq, r.Proposal, ErrNotSealed)
		}
		touched, payload = r.Proposal, r
	case KindVotesRevealed, KindRoomMoved:
		var r ProposalRef
		if err := e.Decode(&r); err != nil {
			return err
		}
		if _, ok := s.Proposal(r.Proposal); !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, r.Proposal)
		}
		if e.Kind == KindVotesRevealed {
			touched, payload = r.Proposal, r
		} else if commit && (s.Room.Leader.Name == "" || s.Room.Leader.Key() == e.Actor.Key()) {
			// Another facilitator's move is recorded, but the room
			// follows its leader only.
			s.Room = Room{Follow: s.Room.Follow, Leader: e.Actor, Proposal: r.Proposal, Since: e.At, Calls: s.Room.Calls, View: s.Room.View}
		}
	case KindProposalParked:
		var d ParkData
		if err := e.Decode(&d); err != nil {
			return err
		}
		if _, ok := s.Proposal(d.Proposal); !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, d.Proposal)
		}
		touched, payload = d.Proposal, d
	case KindTimerStarted:
		var d TimerData
		if err := e.Decode(&d); err != nil {
			return err
		}
		if _, ok := s.Proposal(d.Proposal); !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, d.Proposal)
		}
		if d.Seconds <= 0 || d.Seconds > 24*3600 {
			return fmt.Errorf("event %d: a timer of %d seconds", e.Seq, d.Seconds)
		}
		touched, payload = d.Proposal, d
	case KindTimerStopped:
		var d TimerStop
		if err := e.Decode(&d); err != nil {
			return err
		}
		p, ok := s.Proposal(d.Proposal)
		if !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, d.Proposal)
		}
		if p.Timer == nil || !p.Timer.Stopped.IsZero() {
			return fmt.Errorf("event %d: proposal %q has no running timer", e.Seq, d.Proposal)
		}
		if d.Reason != TimerStoppedByHand && d.Reason != TimerElapsed {
			return fmt.Errorf("event %d: timer stop reason %q is neither %q nor %q", e.Seq, d.Reason, TimerStoppedByHand, TimerElapsed)
		}
		touched, payload = d.Proposal, d
	case KindRoomLed:
		var d RoomData
		if err := e.Decode(&d); err != nil {
			return err
		}
		if d.Proposal != "" {
			if _, ok := s.Proposal(d.Proposal); !ok {
				return fmt.Errorf("event %d: no proposal %q", e.Seq, d.Proposal)
			}
		}
		if commit {
			r := Room{Follow: d.Follow, Leader: e.Actor, Proposal: s.Room.Proposal, Since: e.At, Calls: s.Room.Calls}
			if s.Room.Leader.Key() == e.Actor.Key() {
				r.View = s.Room.View // a new leader starts from the link
			}
			if d.Follow {
				r.Calls++
			}
			if d.Proposal != "" {
				r.Proposal = d.Proposal
			}
			s.Room = r
		}
	case KindRoomViewed:
		var d RoomView
		if err := e.Decode(&d); err != nil {
			return err
		}
		if d.View != ViewLink && d.View != ViewResults {
			return fmt.Errorf("event %d: room view %q is neither %q nor %q", e.Seq, d.View, ViewLink, ViewResults)
		}
		if commit && (s.Room.Leader.Name == "" || s.Room.Leader.Key() == e.Actor.Key()) {
			// Like a move: the wall shows what its leader shows.
			s.Room.View = d.View
			if d.View == ViewLink {
				s.Room.View = ""
			}
		}
	case KindAgendaSet:
		var d AgendaData
		if err := e.Decode(&d); err != nil {
			return err
		}
		if !slices.Contains(Orders, d.Order) {
			return fmt.Errorf("event %d: order of work %q is none of %s", e.Seq, d.Order, strings.Join(Orders, ", "))
		}
		if !d.End.IsZero() && !d.End.After(d.Start) {
			return fmt.Errorf("event %d: an agenda that ends (%s) before it starts (%s)", e.Seq, d.End.Format(time.RFC3339), d.Start.Format(time.RFC3339))
		}
		for _, id := range d.Picks {
			if _, ok := s.Proposal(id); !ok {
				return fmt.Errorf("event %d: no proposal %q among the picks", e.Seq, id)
			}
		}
		if commit {
			s.Agenda = &d
		}
	case KindHandRaised, KindHandLowered:
		if commit {
			s.setHand(e.Actor, e.Kind == KindHandRaised)
		}
	case KindConditionsSet:
		var c Conditions
		if err := e.Decode(&c); err != nil {
			return err
		}
		if c.Random != nil {
			for _, f := range c.Random.Factors {
				if f != FactorOrigin && f != FactorConfidence && f != FactorRationale {
					return fmt.Errorf("event %d: unknown condition factor %q (origin, confidence or rationale)", e.Seq, f)
				}
			}
		}
		if commit {
			s.Conditions = c
		}
	case KindExposure:
		var x Exposure
		if err := e.Decode(&x); err != nil {
			return err
		}
		if _, ok := s.Proposal(x.Proposal); !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, x.Proposal)
		}
		if x.To.Before(x.From) {
			return fmt.Errorf("event %d: exposure ends before it starts", e.Seq)
		}
		if x.State != ExposureActive && x.State != ExposureIdle {
			return fmt.Errorf("event %d: exposure state %q is neither %q nor %q", e.Seq, x.State, ExposureActive, ExposureIdle)
		}
	case KindExposureFollowing:
		var d ExposureFollowing
		if err := e.Decode(&d); err != nil {
			return err
		}
		if _, ok := s.Proposal(d.Proposal); !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, d.Proposal)
		}
		if d.State != ExposureActive && d.State != ExposureIdle {
			return fmt.Errorf("event %d: exposure state %q is neither %q nor %q", e.Seq, d.State, ExposureActive, ExposureIdle)
		}
	case KindPaneOpened:
		var d PaneData
		if err := e.Decode(&d); err != nil {
			return err
		}
		if d.Pane == "" {
			return fmt.Errorf("event %d: a pane without a name", e.Seq)
		}
	case KindConsentSet:
		var d ConsentText
		if err := e.Decode(&d); err != nil {
			return err
		}
		if d.Text == "" {
			return fmt.Errorf("event %d: an empty consent text", e.Seq)
		}
		if commit {
			h := sha256.Sum256([]byte(d.Text))
			// A new text asks everybody again: answers name the text.
			s.Consent = Consent{Text: d.Text, Hash: hex.EncodeToString(h[:]), Answers: map[string]bool{}}
			s.mapsGen = s.gen
		}
	case KindConsentAnswered:
		var d ConsentAnswer
		if err := e.Decode(&d); err != nil {
			return err
		}
		if s.Consent.Text == "" {
			return fmt.Errorf("event %d: a consent answer without a consent text", e.Seq)
		}
		if d.Hash != s.Consent.Hash {
			return fmt.Errorf("event %d: the consent answered (%.12s) is not the session's (%.12s)", e.Seq, d.Hash, s.Consent.Hash)
		}
		if commit {
			s.ownMaps()
			s.Consent.Answers[e.Actor.Key()] = d.Agreed
		}
	case KindPersonForgotten:
		var d Forget
		if err := e.Decode(&d); err != nil {
			return err
		}
		if d.Name == "" {
			return fmt.Errorf("event %d: a withdrawal without a name", e.Seq)
		}
		if commit {
			s.Forgotten = append(s.Forgotten, d)
		}
	case KindParticipantJoin, KindParticipantLeft:
		if commit {
			s.countPresence(e)
		}
	case KindProposeRun:
		var r ProposeRun
		if err := e.Decode(&r); err != nil {
			return err
		}
		if commit {
			s.Runs = append(s.Runs, r)
		}
	case KindPairJudged:
		var j PairJudged
		if err := e.Decode(&j); err != nil {
			return err
		}
		if j.Key == "" {
			return fmt.Errorf("event %d: judged pair without a key", e.Seq)
		}
		if commit {
			s.ownMaps()
			s.Judged[j.Key] = true
		}
	case KindProposeFailed:
		var f ProposeFailed
		if err := e.Decode(&f); err != nil {
			return err
		}
		if commit {
			s.Failures = append(s.Failures, f)
		}
	default:
		return fmt.Errorf("event %d: unknown kind %q", e.Seq, e.Kind)
	}
	if !commit {
		return nil
	}
	s.Events = append(s.Events, e)
	s.byEvent[e.ID] = eventRef{kind: e.Kind, proposal: touched}
	if touched != "" {
		if e.Kind != KindProposalAdded {
			i := s.proposals[touched]
			ps := s.Proposals[i]
			if ps.gen != s.gen {
				// Shared with a snapshot: replace rather than change.
				c := *ps
				c.gen = s.gen
				ps = &c
			}
			ps.History = append(ps.History, len(s.Events)-1)
			if e.Kind == KindActionUndone {
				var u UndoData
				_ = e.Decode(&u)
				// A new map: the old one may be read through a snapshot.
				undone := make(map[string]bool, len(ps.undone)+1)
				maps.Copy(undone, ps.undone)
				undone[u.Target] = true
				ps.undone = undone
				ps.derive(s)
			} else {
				ps.fold(e, payload)
				if e.Kind == KindVoteCast && s.Conditions.Blind {
					ps.Votes[len(ps.Votes)-1].blind = true
				}
				ps.settle()
			}
			s.Proposals[i] = ps
		}
	}
	return nil
}

// countPresence folds a join or a departure. When the leader's last
// connection ends, the room is free: nobody leads it until a facilitator
// takes it (their next move, or F), as on a fresh start. Its link and
// whether it follows stay, so that the next leader picks up from there.
func (s *State) countPresence(e Event) {
	own(&s.present, &s.presentAt, s.gen)
	if s.present == nil {
		s.present = map[string]int{}
	}
	k := e.Actor.Key()
	if e.Kind == KindParticipantJoin {
		s.present[k]++
		return
	}
	if s.present[k] > 1 {
		s.present[k]--
		return
	}
	delete(s.present, k)
	if s.Room.Leader.Name != "" && s.Room.Leader.Key() == k {
		s.Room.Leader, s.Room.Since, s.Room.View = Actor{}, e.At, ""
	}
	// A hand asks for the floor for its person: it goes down when they
	// leave, not when the room moves on or a link is sealed.
	s.setHand(e.Actor, false)
}

// setHand raises or lowers a person's hand (by Actor.Key), in a new slice:
// the old one may be read through a snapshot.
func (s *State) setHand(a Actor, up bool) {
	i := slices.IndexFunc(s.Hands, func(h Actor) bool { return h.Key() == a.Key() })
	switch {
	case up && i < 0:
		s.Hands = append(slices.Clip(s.Hands), a)
	case !up && i >= 0:
		s.Hands = slices.Delete(slices.Clone(s.Hands), i, i+1)
	}
}

// Hand reports whether a person (Actor.Key) has a raised hand.
func (s *State) Hand(a Actor) bool {
	return slices.ContainsFunc(s.Hands, func(h Actor) bool { return h.Key() == a.Key() })
}

// Restart tells the state that nobody is connected any more, which is true
// of a server that has just started whatever the trace says: a crash
// records no departures. The room is then free, and the first facilitator
// to arrive leads it, as on a fresh start, instead of a leader who is
// gone. The live session calls it once, on the state it replayed.
func (s *State) Restart() {
	s.present, s.presentAt = nil, s.gen
	s.Room.Leader, s.Room.View = Actor{}, ""
}

func (s *State) checkProposal(p Proposal) error {
	if p.ID == "" {
		return errors.New("proposal without an id")
	}
	if _, ok := s.proposals[p.ID]; ok {
		return fmt.Errorf("proposal %q added twice", p.ID)
	}
	pa, ok := s.passages[p.Passage]
	if !ok {
		return fmt.Errorf("proposal %q: no passage %q", p.ID, p.Passage)
	}
	if p.Document != pa.Document {
		return fmt.Errorf("proposal %q: passage %q is not in document %q", p.ID, p.Passage, p.Document)
	}
	if _, ok := s.criteria[p.Criterion]; !ok {
		return fmt.Errorf("proposal %q: no criterion %q", p.ID, p.Criterion)
	}
	if p.Statement == "" {
		return fmt.Errorf("proposal %q: empty statement", p.ID)
	}
	if p.Confidence < 0 || p.Confidence > 1 {
		return fmt.Errorf("proposal %q: confidence %v is not between 0 and 1", p.ID, p.Confidence)
	}
	return nil
}

func checkVote(e Event, v VoteData) error {
	switch v.Verdict {
	case Accept, Skip:
	case Reject:
		if !slices.Contains(Reasons, v.Reason) {
			return fmt.Errorf("event %d: rejection reason %q is not one of %v", e.Seq, v.Reason, Reasons)
		}
		if v.Reason == ReasonOther && v.Note == "" {
			return fmt.Errorf("event %d: a rejection for another reason needs its text", e.Seq)
		}
	case Rephrase:
		if v.Statement == "" && !(e.Kind == KindDecisionMade && v.Version > 0) {
			return fmt.Errorf("event %d: a rephrasing needs its new statement, or a decision the version it chooses", e.Seq)
		}
	default:
		return fmt.Errorf("event %d: unknown verdict %q", e.Seq, v.Verdict)
	}
	if e.Kind == KindDecisionMade && v.Verdict == Skip {
		return fmt.Errorf("event %d: skipping decides nothing", e.Seq)
	}
	return nil
}

// checkRephraseDecision checks that a facilitator's rephrased seal names a
// wording other than the original: the statement as proposed is an accept,
// and recording it as a rephrasing would tell researchers a false story.
func checkRephraseDecision(e Event, p *ProposalState, v VoteData) error {
	if v.Version > 0 {
		if v.Version == 1 || v.Version > len(p.Versions) {
			return fmt.Errorf("event %d: proposal %q has no competing version %d (versions 2 to %d)", e.Seq, v.Proposal, v.Version, len(p.Versions))
		}
		return nil
	}
	if v.Statement == p.Statement {
		return fmt.Errorf("event %d: proposal %q: this wording is the statement as proposed; accept it instead", e.Seq, v.Proposal)
	}
	return nil
}

// undoable says which events their author may take back. A decision is not
// among them: a seal is lifted by reopening it, which the trace tells as
// such.
func undoable(k Kind) bool {
	return k == KindVoteCast || k == KindCommentAdded
}

// derive recomputes what a proposal's events make of it, leaving out the
// undone ones. A proposal has few events, so recomputing after an undo is
// simpler and safer than undoing step by step; other events are folded in
// one at a time.
func (p *ProposalState) derive(s *State) {
	// Whether a vote was cast blind depends on the conditions when it was
	// cast, which only the first fold knew: kept across the refold.
	var blind map[string]bool
	for _, v := range p.Votes {
		if v.blind {
			if blind == nil {
				blind = map[string]bool{}
			}
			blind[v.EventID] = true
		}
	}
	p.Votes, p.Comments, p.Decision, p.Decisions = nil, nil, nil, nil
	p.Reopened, p.Revealed, p.Parked, p.Timer = 0, false, false, nil
	p.Versions = []Version{{N: 1, Statement: p.Statement, Author: p.AddedBy, At: p.AddedAt}}
	for _, i := range p.History[1:] {
		if e := s.Events[i]; !p.undone[e.ID] {
			p.fold(e, nil)
			if n := len(p.Votes); n > 0 && blind[p.Votes[n-1].EventID] {
				p.Votes[n-1].blind = true
			}
		}
	}
	p.settle()
}

// fold adds one event about the proposal. Its slices may share their
// arrays with an earlier snapshot's copy of the proposal; appending is
// still safe, because history is linear: that copy reads only up to its own
// length and is never appended to again. Pointers (Decision, Timer) are
// replaced, never written through.
func (p *ProposalState) fold(e Event, payload any) {
	switch e.Kind {
	case KindVoteCast, KindDecisionMade:
		d, ok := payload.(VoteData)
		if !ok {
			_ = e.Decode(&d)
		}
		v := Vote{EventID: e.ID, Seq: e.Seq, At: e.At, Actor: e.Actor, Verdict: d.Verdict,
			Reason: d.Reason, Note: d.Note, Statement: d.Statement, DwellMS: d.DwellMS,
			Decides: e.Kind == KindDecisionMade, Version: d.Version, Outcome: d.Outcome}
		// On a vote, Version is the version on the voter's screen, so a
		// rephrasing vote always brings its wording; on a decision, a
		// Version chooses an existing one.
		if v.Verdict == Rephrase && (e.Kind == KindVoteCast || d.Version == 0) && p.version(d.Statement) == 0 {
			// A new wording competes with the others; its diff is against
			// the original, which is what every competing version rewords.
			p.Versions = append(p.Versions, Version{N: len(p.Versions) + 1, Statement: d.Statement,
				Author: e.Actor, At: e.At, EventID: e.ID, Diff: WordDiff(p.Statement, d.Statement)})
		}
		if v.Verdict == Rephrase && (e.Kind == KindVoteCast || v.Version == 0) {
			v.Version = p.version(d.Statement)
		}
		if v.Verdict == Rephrase && v.Statement == "" && v.Version > 0 && v.Version <= len(p.Versions) {
			v.Statement = p.Versions[v.Version-1].Statement
		}
		p.Votes = append(p.Votes, v)
		if v.Decides {
			p.Decision = &v
			p.Decisions = append(p.Decisions, v)
			// A sealed link is no longer set aside: it was come back to.
			p.Parked = false
		}
	case KindDecisionReopened:
		p.Decision = nil
		p.Reopened++
	case KindCommentAdded:
		c, ok := payload.(CommentData)
		if !ok {
			_ = e.Decode(&c)
		}
		p.Comments = append(p.Comments, Comment{EventID: e.ID, Seq: e.Seq, At: e.At, Actor: e.Actor, Text: c.Text})
	case KindVotesRevealed:
		p.Revealed = true
	case KindProposalParked:
		d, ok := payload.(ParkData)
		if !ok {
			_ = e.Decode(&d)
		}
		p.Parked = d.Parked
	case KindTimerStarted:
		d, ok := payload.(TimerData)
		if !ok {
			_ = e.Decode(&d)
		}
		p.Timer = &Timer{Start: e.At, Seconds: d.Seconds, By: e.Actor}
	case KindTimerStopped:
		d, ok := payload.(TimerStop)
		if !ok {
			_ = e.Decode(&d)
		}
		if p.Timer != nil {
			t := *p.Timer
			t.Stopped, t.Reason = e.At, d.Reason
			p.Timer = &t
		}
	}
}

// version returns the number of the version with this wording, or 0.
func (p *ProposalState) version(statement string) int {
	for _, v := range p.Versions {
		if v.Statement == statement {
			return v.N
		}
	}
	return 0
}

// settle derives the status, the final wording and the conflict mark from
// the votes in force.
func (p *ProposalState) settle() {
	p.Status, p.Final, p.FinalAuthor, p.FinalVersion = Pending, p.Statement, p.AddedBy, 0
	p.Sealed, p.Outcome = false, ""
	if d := p.Decision; d != nil {
		p.Sealed, p.Outcome = true, d.Outcome
		switch d.Verdict {
		case Accept:
			p.Status, p.FinalVersion = Accepted, 1
		case Reject:
			p.Status, p.Final, p.FinalAuthor = Rejected, "", Actor{}
		case Rephrase:
			n := d.Version
			if n < 1 || n > len(p.Versions) {
				n = max(p.version(d.Statement), 1)
			}
			if n == 1 {
				// Only an old trace can "rephrase" into the original
				// wording: that is an accept, and is told as one.
				p.Status, p.FinalVersion = Accepted, 1
				break
			}
			v := p.Versions[n-1]
			p.Status, p.Final, p.FinalAuthor, p.FinalVersion = Rephrased, v.Statement, v.Author, v.N
		}
	}
	// Each person's latest vote, found from the end without allocating:
	// settle runs at every event of a replay.
	var first Verdict
	p.Conflict = false
	for i := len(p.Votes) - 1; i >= 0 && !p.Conflict; i-- {
		v := p.Votes[i]
		if !v.Counts() || v.Verdict == Skip || p.hasLaterVote(i) {
			continue
		}
		if first == "" {
			first = v.Verdict
		} else if v.Verdict != first {
			p.Conflict = true
		}
	}
}

// LastUndoable returns the ID of the actor's latest action in force that can
// still be undone, or "" if there is none. Undo takes back one's own last
// action only: nobody can undo someone else's.
func (s *State) LastUndoable(a Actor) string {
	for i := len(s.Events) - 1; i >= 0; i-- {
		e := s.Events[i]
		if e.Actor.Key() != a.Key() || !undoable(e.Kind) {
			continue
		}
		p, ok := s.Proposal(s.byEvent[e.ID].proposal)
		if !ok || p.undone[e.ID] {
			continue
		}
		return e.ID
	}
	return ""
}

// TakeBack returns the event that takes back the actor's last action: the
// undoing of their last vote or comment in force, or, when their last act
// was a seal still in force, its reopening — a seal is never undone, so
// that the trace says it was lifted. Kind is "" when there is nothing to
// take back.
func (s *State) TakeBack(a Actor) (Kind, any) {
	target := s.LastUndoable(a)
	for i := len(s.Events) - 1; i >= 0; i-- {
		e := s.Events[i]
		if e.ID == target {
			break
		}
		if e.Kind != KindDecisionMade || e.Actor.Key() != a.Key() {
			continue
		}
		if p, ok := s.Proposal(s.byEvent[e.ID].proposal); ok && p.Decision != nil && p.Decision.EventID == e.ID {
			return KindDecisionReopened, ReopenData{Proposal: p.ID}
		}
	}
	if target == "" {
		return "", nil
	}
	return KindActionUndone, UndoData{Target: target}
}

// Authorize reports whether a role may append an event of this kind. The
// live session calls it on every action: a hidden key is not a refusal.
func Authorize(r Role, k Kind) error {
	switch r {
	case Facilitator, System:
		return nil
	case Participant:
		switch k {
		case KindDecisionMade, KindDecisionReopened:
			return fmt.Errorf("a participant cannot decide; the facilitator seals decisions")
		case KindConditionsSet, KindVotesRevealed, KindProposalParked, KindTimerStarted,
			KindTimerStopped, KindRoomLed, KindRoomMoved, KindRoomViewed, KindAgendaSet, KindConsentSet:
			return fmt.Errorf("only a facilitator may %s", k)
		}
		if k.Live() {
			return nil
		}
	case Spectator:
		if k == KindParticipantJoin || k == KindParticipantLeft || k == KindConsentAnswered {
			return nil
		}
		return fmt.Errorf("a spectator only watches")
	}
	return fmt.Errorf("role %q may not %s", r, k)
}
