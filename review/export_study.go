package review

import (
	"strings"
	"unicode/utf8"
)

// Standing is where a vote or a decision stands in the trace: what a
// researcher must know before counting it.
type Standing string

// The standings. A vote is in force until its author votes again on the
// same link (superseded) or takes it back (undone); a decision is in force
// until it is reopened or replaced (superseded). A withdrawn person's votes
// are withdrawn: no export holds them, but Study says so of a state that
// still does (Report on a live session).
const (
	InForce    Standing = "in_force"
	Superseded Standing = "superseded"
	Undone     Standing = "undone"
	Withdrawn  Standing = "withdrawn"
)

// Study is what every encoder reads of a session beyond its state: each
// vote's and decision's standing, each person's conditions at each of their
// events, whether each vote was cast blind. It is computed once, from the
// trace as the real people made it (before any pseudonym), so that the
// plain and the pseudonymised exports cannot tell two stories: an arm drawn
// from a person's key is never drawn again from their pseudonym.
type Study struct {
	standing map[string]Standing  // vote.cast and decision.made, by event ID
	conds    map[int64]Conditions // by seq: the author's conditions when the event happened
	blind    map[int64]bool       // by seq of vote.cast: its verdict hidden from the others when cast
	role     map[string]Role      // by Actor.Key: facilitator if they ever led as one
	// derived holds the conditions of each derived exposure interval's
	// person at the move that ended it, by the move's seq and the ride's.
	derived map[[2]int64]Conditions
}

// NewStudy reads a trace (withdrawals already left out, pseudonyms not yet
// given) once, in order.
func NewStudy(events []Event, forgotten func(Actor) bool) *Study {
	s := &Study{standing: map[string]Standing{}, conds: map[int64]Conditions{}, blind: map[int64]bool{}, role: map[string]Role{}, derived: map[[2]int64]Conditions{}}
	undone := map[string]bool{}
	for _, e := range events {
		if e.Kind == KindActionUndone {
			var u UndoData
			if e.Decode(&u) == nil {
				undone[u.Target] = true
			}
		}
	}
	cond := &State{}
	lastVote := map[[2]string]string{} // person key, proposal → vote.cast in force
	lastDecision := map[string]string{}
	revealed := map[string]bool{}
	moves := map[int64]Conditions{} // the session's conditions at each move of the room
	for _, e := range events {
		if e.Actor.Role == Facilitator {
			s.role[e.Actor.Key()] = Facilitator
		}
		switch e.Kind {
		case KindConditionsSet:
			var c Conditions
			if e.Decode(&c) == nil {
				cond.Conditions = c
			}
		case KindVotesRevealed:
			var r ProposalRef
			if e.Decode(&r) == nil {
				revealed[r.Proposal] = true
			}
		case KindDecisionReopened:
			var r ReopenData
			if e.Decode(&r) == nil {
				delete(lastDecision, r.Proposal)
			}
		case KindVoteCast, KindDecisionMade:
			var v VoteData
			if e.Decode(&v) != nil {
				continue
			}
			c := cond.ConditionsFor(e.Actor)
			s.conds[e.Seq] = c
			if e.Kind == KindVoteCast {
				s.blind[e.Seq] = c.Blind && e.Actor.Role == Participant && !revealed[v.Proposal]
			}
			switch {
			case forgotten != nil && forgotten(e.Actor):
				s.standing[e.ID] = Withdrawn
				continue
			case undone[e.ID]:
				s.standing[e.ID] = Undone
				continue
			}
			if e.Kind == KindVoteCast {
				k := [2]string{e.Actor.Key(), v.Proposal}
				if prev, ok := lastVote[k]; ok {
					s.standing[prev] = Superseded
				}
				lastVote[k] = e.ID
			} else {
				if prev, ok := lastDecision[v.Proposal]; ok {
					s.standing[prev] = Superseded
				}
				lastDecision[v.Proposal] = e.ID
			}
			s.standing[e.ID] = InForce
		case KindExposure, KindParticipantJoin, KindPaneOpened:
			s.conds[e.Seq] = cond.ConditionsFor(e.Actor)
		case KindRoomMoved, KindRoomLed:
			moves[e.Seq] = cond.Conditions
		}
	}
	for _, r := range Exposures(events) {
		if r.Derived {
			at := &State{Conditions: moves[r.Seq]}
			s.derived[[2]int64{r.Seq, r.ride}] = at.ConditionsFor(r.Actor)
		}
	}
	// A decision reopened since is no longer in force.
	inForce := map[string]bool{}
	for _, id := range lastDecision {
		inForce[id] = true
	}
	for _, e := range events {
		if e.Kind == KindDecisionMade && s.standing[e.ID] == InForce && !inForce[e.ID] {
			s.standing[e.ID] = Superseded
		}
	}
	return s
}

// Standing returns the standing of a vote or decision by its event ID.
func (s *Study) Standing(eventID string) Standing { return s.standing[eventID] }

// ConditionsAt returns the conditions its author had when the event of
// this seq happened (votes, decisions, exposures, joins, panes).
func (s *Study) ConditionsAt(seq int64) Conditions { return s.conds[seq] }

// ExposureConditions returns the conditions its person had during an
// exposure interval: at its event, or, for a derived one, at the move
// that ended it.
func (s *Study) ExposureConditions(r ExposureRow) Conditions {
	if r.Derived {
		return s.derived[[2]int64{r.Seq, r.ride}]
	}
	return s.conds[r.Seq]
}

// Blind reports whether the vote of this seq was cast while the others'
// verdicts, and so its own, were hidden: blind voting in force for its
// author, the link's votes not revealed yet, and its author no
// facilitator (who sees every vote).
func (s *Study) Blind(seq int64) bool { return s.blind[seq] }

// Facilitator reports whether a person acted as a facilitator in the
// session: their figures stand on their own line, never pooled with the
// participants'.
func (s *Study) Facilitator(a Actor) bool {
	return a.Role == Facilitator || s.role[a.Key()] == Facilitator
}

// Counts reports a vote in the participants' figures, by the room's one
// rule (Vote.Counts): a vote.cast in force, cast as a participant. A
// decision is the facilitator's seal and never counts as a vote; a person
// who joined as a participant and later led keeps the votes they cast as
// a participant, as the room's tally and turnout showed them.
func (s *Study) Counts(v Vote) bool {
	return v.Counts() && s.standing[v.EventID] == InForce
}

// EditDistance is how far a rewording is from the AI's statement, in
// characters (Unicode code points) and in words (runs separated by white
// space): the Levenshtein distance, each insertion, deletion or
// substitution costing one.
type EditDistance struct {
	Chars int `json:"edit_chars"`
	Words int `json:"edit_words"`
}

// EditDistanceOf measures how far b rewords a.
func EditDistanceOf(a, b string) EditDistance {
	ra, rb := make([]string, 0, utf8.RuneCountInString(a)), make([]string, 0, utf8.RuneCountInString(b))
	for _, r := range a {
		ra = append(ra, string(r))
	}
	for _, r := range b {
		rb = append(rb, string(r))
	}
	return EditDistance{Chars: editOps(ra, rb), Words: editOps(strings.Fields(a), strings.Fields(b))}
}

func editOps(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
