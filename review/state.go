package review

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// ProposalState is a proposal with everything people did with it, derived
// from the trace. Values are replaced, never changed, once a State has been
// shared (see State.Snapshot).
type ProposalState struct {
	Proposal
	AddedBy  Actor     `json:"-"`
	AddedAt  time.Time `json:"-"`
	Status   Status
	Final    string    // the statement as decided, or the latest wording
	Decision *Vote     // the facilitator's decision in force, if any
	Votes    []Vote    // every vote in force, in order
	Versions []Version // the statement's wordings, the original first
	Comments []Comment
	Conflict bool  // people in force disagree
	History  []int // indexes in State.Events of the events about this proposal
	undone   map[string]bool
	gen      uint64 // the State.gen it was made in; older ones may be shared with a snapshot
}

// Current returns each person's latest vote in force, in the order of those
// votes.
func (p *ProposalState) Current() []Vote {
	var out []Vote
	for i, v := range p.Votes {
		if !p.hasLaterVote(i) {
			out = append(out, v)
		}
	}
	return out
}

// hasLaterVote reports whether the author of vote i voted again after it.
func (p *ProposalState) hasLaterVote(i int) bool {
	k := p.Votes[i].Actor
	for _, v := range p.Votes[i+1:] {
		if v.Actor.Name == k.Name && v.Actor.Fingerprint == k.Fingerprint {
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
	Judged    map[string]bool // PairJudged keys already answered
	Runs      []ProposeRun

	docs      map[string]*Document
	passages  map[string]*Passage
	criteria  map[string]int
	proposals map[string]int
	byEvent   map[string]eventRef // by author-chosen event ID
	gen       uint64              // counts Snapshot calls; see ProposalState.gen
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
	}
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

// ErrDuplicate is returned by Apply for an event whose author-chosen ID is
// already in the trace.
var ErrDuplicate = errors.New("event already recorded")

// Check reports whether e could be applied to s, without applying it: the
// live session calls it before making an event durable, so that nothing
// invalid ever reaches the trace.
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
		if commit {
			s.Name, s.CreatedAt = d.Name, e.At
		}
	case KindDocumentAdded:
		var d Document
		if err := e.Decode(&d); err != nil {
			return err
		}
		if _, ok := s.docs[d.ID]; ok {
			return fmt.Errorf("event %d: document %s added twice", e.Seq, d.ID)
		}
		if commit {
			s.Documents = append(s.Documents, &d)
			s.docs[d.ID] = &d
			for i := range d.Passages {
				s.passages[d.Passages[i].ID] = &d.Passages[i]
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
		if _, ok := s.Proposal(v.Proposal); !ok {
			return fmt.Errorf("event %d: no proposal %q", e.Seq, v.Proposal)
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
		if !ok || !undoable(ref.kind) {
			return fmt.Errorf("event %d: nothing to undo for %q", e.Seq, u.Target)
		}
		p, _ := s.Proposal(pid)
		if p.undone[u.Target] {
			return fmt.Errorf("event %d: %q is already undone", e.Seq, u.Target)
		}
		touched = pid
	case KindParticipantJoin, KindParticipantLeft:
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
				ps.settle()
			}
			s.Proposals[i] = ps
		}
	}
	return nil
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
		if v.Statement == "" {
			return fmt.Errorf("event %d: a rephrasing needs its new statement", e.Seq)
		}
	default:
		return fmt.Errorf("event %d: unknown verdict %q", e.Seq, v.Verdict)
	}
	if e.Kind == KindDecisionMade && v.Verdict == Skip {
		return fmt.Errorf("event %d: skipping decides nothing", e.Seq)
	}
	return nil
}

func undoable(k Kind) bool {
	return k == KindVoteCast || k == KindDecisionMade || k == KindCommentAdded
}

// derive recomputes what a proposal's events make of it, leaving out the
// undone ones. A proposal has few events, so recomputing after an undo is
// simpler and safer than undoing step by step; other events are folded in
// one at a time.
func (p *ProposalState) derive(s *State) {
	p.Votes, p.Comments, p.Decision = nil, nil, nil
	p.Versions = []Version{{N: 1, Statement: p.Statement, Author: p.AddedBy, At: p.AddedAt}}
	for _, i := range p.History[1:] {
		if e := s.Events[i]; !p.undone[e.ID] {
			p.fold(e, nil)
		}
	}
	p.settle()
}

// fold adds one vote, decision or comment to the proposal. Its slices may
// share their arrays with an earlier snapshot's copy of the proposal;
// appending is still safe, because history is linear: that copy reads only
// up to its own length and is never appended to again.
func (p *ProposalState) fold(e Event, payload any) {
	switch e.Kind {
	case KindVoteCast, KindDecisionMade:
		d, ok := payload.(VoteData)
		if !ok {
			_ = e.Decode(&d)
		}
		v := Vote{EventID: e.ID, Seq: e.Seq, At: e.At, Actor: e.Actor, Verdict: d.Verdict,
			Reason: d.Reason, Note: d.Note, Statement: d.Statement, DwellMS: d.DwellMS,
			Decides: e.Kind == KindDecisionMade}
		p.Votes = append(p.Votes, v)
		if v.Decides {
			p.Decision = &v
		}
		if last := p.Versions[len(p.Versions)-1]; v.Verdict == Rephrase && d.Statement != last.Statement {
			p.Versions = append(p.Versions, Version{N: len(p.Versions) + 1, Statement: d.Statement,
				Author: e.Actor, At: e.At, EventID: e.ID, Diff: WordDiff(last.Statement, d.Statement)})
		}
	case KindCommentAdded:
		c, ok := payload.(CommentData)
		if !ok {
			_ = e.Decode(&c)
		}
		p.Comments = append(p.Comments, Comment{EventID: e.ID, Seq: e.Seq, At: e.At, Actor: e.Actor, Text: c.Text})
	}
}

// settle derives the status, the final wording and the conflict mark from
// the votes in force.
func (p *ProposalState) settle() {
	p.Status, p.Final = Pending, p.Versions[len(p.Versions)-1].Statement
	if d := p.Decision; d != nil {
		switch d.Verdict {
		case Accept:
			p.Status = Accepted
		case Reject:
			p.Status = Rejected
		case Rephrase:
			p.Status, p.Final = Rephrased, d.Statement
		}
	}
	// Each person's latest vote, found from the end without allocating:
	// settle runs at every event of a replay.
	var first Verdict
	p.Conflict = false
	for i := len(p.Votes) - 1; i >= 0 && !p.Conflict; i-- {
		v := p.Votes[i]
		if v.Verdict == Skip || p.hasLaterVote(i) {
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

// Authorize reports whether a role may append an event of this kind. The
// live session calls it on every action: a hidden key is not a refusal.
func Authorize(r Role, k Kind) error {
	switch r {
	case Facilitator, System:
		return nil
	case Participant:
		if k == KindDecisionMade {
			return fmt.Errorf("a participant cannot decide; the facilitator seals decisions")
		}
		if k.Live() {
			return nil
		}
	case Spectator:
		if k == KindParticipantJoin || k == KindParticipantLeft {
			return nil
		}
		return fmt.Errorf("a spectator only watches")
	}
	return fmt.Errorf("role %q may not %s", r, k)
}
