package review

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Withdrawal is what an export says of a person's withdrawal (`revue
// forget`): when, and how many of their events were left out, by kind. It
// never names them: Person is W1, W2... in the order of the withdrawals.
type Withdrawal struct {
	Person  string       `json:"person"`
	At      time.Time    `json:"at"`
	Removed map[Kind]int `json:"removed"`
}

// ForgetEvent builds the person.forgotten event that `revue forget NAME
// --person WHO` appends: fingerprint "" withdraws every key used under the
// name. Its ID is derived from its content and time, so that a retried
// command is recorded once.
func ForgetEvent(session, name, fingerprint string, at time.Time) Event {
	id := "forget-" + strconv.FormatInt(at.UTC().UnixNano(), 36) + "-" + qdaGUID("forget", name, fingerprint)[:8]
	return MustEvent(session, id, at, Actor{Name: "revue", Role: System}, KindPersonForgotten, Forget{Name: name, Fingerprint: fingerprint})
}

// Withdraw leaves out of a trace everything of the people who withdrew:
// every event they authored (votes, decisions, comments, rephrasings,
// proposals, exposures, panes, joins, consent answers), and what rests on
// it — other people's events about a link a withdrawn person proposed, a
// decision that chose a withdrawn person's wording (the link is then open
// again), the reopening of a decision left out. Session settings a
// withdrawn facilitator made (conditions, consent text, the room, timers,
// reveals, parking, reopenings) are kept, under the withdrawal's
// placeholder W1, W2...: they are the session's, not the person's. Version
// numbers that the removal shifts are renumbered in the votes and
// decisions that name them (a vote that judged a removed wording says
// version 0); a rewritten event loses its hash, since it no longer is the
// stored one. The person.forgotten event itself stays, its name replaced
// by the placeholder. It rewrites the events it is given (the caller passes
// a copy) and returns the kept ones with what was removed.
func Withdraw(events []Event) ([]Event, []Withdrawal) {
	var forgets []Forget
	var out []Withdrawal
	for _, e := range events {
		if e.Kind != KindPersonForgotten {
			continue
		}
		var f Forget
		if e.Decode(&f) == nil && f.Name != "" {
			forgets = append(forgets, f)
			out = append(out, Withdrawal{Person: "W" + strconv.Itoa(len(out)+1), At: e.At.UTC(), Removed: map[Kind]int{}})
		}
	}
	if len(forgets) == 0 {
		return events, nil
	}
	// Their names typed in other people's texts become their placeholder.
	names := &pseudonyms{byName: map[string]string{}}
	var list []string
	for i, f := range forgets {
		if low := strings.ToLower(f.Name); names.byName[low] == "" {
			names.byName[low] = out[i].Person
			list = append(list, f.Name)
		}
	}
	names.compile(list)
	who := func(a Actor) int {
		if a.Role == System {
			return -1
		}
		for i, f := range forgets {
			if f.Matches(a) {
				return i
			}
		}
		return -1
	}
	settings := map[Kind]bool{KindConditionsSet: true, KindConsentSet: true, KindRoomLed: true, KindRoomMoved: true, KindRoomViewed: true, KindAgendaSet: true,
		KindTimerStarted: true, KindTimerStopped: true, KindVotesRevealed: true, KindProposalParked: true, KindDecisionReopened: true}
	droppedProps := map[string]int{} // proposal → the withdrawal it went with
	droppedEvents := map[string]int{}
	sealed := map[string]bool{}
	// Every proposal's votes, decisions and undos so far, as recorded and as
	// kept, to renumber the versions a withdrawn person's rephrasing shifts.
	type history struct {
		added      Event
		orig, kept []Event
		shifted    bool // a withdrawn person's wording was left out
	}
	histories := map[string]*history{}
	kept := events[:0]
	forgetN := 0
	for _, e := range events {
		var ref struct {
			Proposal string `json:"proposal"`
			Target   string `json:"target"`
		}
		_ = json.Unmarshal(e.Data, &ref)
		pid := ref.Proposal
		if e.Kind == KindProposalAdded {
			var p Proposal
			_ = e.Decode(&p)
			pid = p.ID
			histories[pid] = &history{added: e}
		}
		if e.Kind == KindActionUndone {
			if i, ok := droppedEvents[ref.Target]; ok {
				out[i].Removed[e.Kind]++
				droppedEvents[e.ID] = i
				continue
			}
		}
		drop := -1
		if i := who(e.Actor); i >= 0 {
			if settings[e.Kind] {
				e.Actor.Name, e.Actor.Fingerprint = out[i].Person, ""
				e.Hash = ""
			} else {
				drop = i
			}
		}
		if i, ok := droppedProps[pid]; ok && drop < 0 && pid != "" {
			drop = i
		}
		isVote := e.Kind == KindVoteCast || e.Kind == KindDecisionMade
		var v VoteData
		if isVote {
			_ = e.Decode(&v)
		}
		h := histories[pid]
		if h != nil && (isVote || e.Kind == KindActionUndone) {
			h.orig = append(h.orig, e)
		}
		if drop >= 0 && isVote && h != nil && v.Verdict == Rephrase {
			h.shifted = true
		}
		if drop < 0 && isVote && h != nil && h.shifted && v.Version > 0 {
			// Renumber the version this vote or decision names.
			statement, author := versionOf(h.added, h.orig[:len(h.orig)-1], v.Version)
			n := 0
			if who(author) < 0 {
				n = versionNumber(h.added, h.kept, statement)
			}
			if n == 0 && e.Kind == KindDecisionMade {
				drop = who(author) // the chosen wording was a withdrawn person's
				if drop < 0 {
					drop = 0
				}
			} else if n != v.Version {
				v.Version = n
				if raw, err := json.Marshal(v); err == nil {
					e.Data = raw
					e.Hash = ""
				}
			}
		}
		if e.Kind == KindDecisionReopened && !sealed[pid] && drop < 0 {
			drop = 0 // the decision it reopened was left out
			if i := who(e.Actor); i >= 0 {
				drop = i
			}
		}
		if drop >= 0 {
			out[drop].Removed[e.Kind]++
			droppedEvents[e.ID] = drop
			if e.Kind == KindProposalAdded {
				droppedProps[pid] = drop
			}
			continue
		}
		switch e.Kind {
		case KindDecisionMade:
			sealed[pid] = true
		case KindDecisionReopened:
			sealed[pid] = false
		case KindPersonForgotten:
			forgetN++
			if raw, err := json.Marshal(Forget{Name: "W" + strconv.Itoa(forgetN)}); err == nil {
				e.Data = raw
				e.Hash = ""
			}
		}
		if raw, ok := names.data(e); ok && e.Kind != KindPersonForgotten {
			e.Data = raw
			e.Hash = ""
		}
		if h != nil && (isVote || e.Kind == KindActionUndone) {
			h.kept = append(h.kept, e)
		}
		kept = append(kept, e)
	}
	return kept, out
}

// foldProposal is a proposal's state after some of its votes, decisions and
// undos, as State.derive makes it.
func foldProposal(added Event, events []Event) *ProposalState {
	var p Proposal
	_ = added.Decode(&p)
	ps := &ProposalState{Proposal: p, AddedBy: added.Actor, AddedAt: added.At}
	ps.Versions = []Version{{N: 1, Statement: p.Statement, Author: added.Actor, At: added.At}}
	undone := map[string]bool{}
	for _, e := range events {
		if e.Kind == KindActionUndone {
			var u UndoData
			_ = e.Decode(&u)
			undone[u.Target] = true
		}
	}
	for _, e := range events {
		if e.Kind != KindActionUndone && !undone[e.ID] {
			ps.fold(e, nil)
		}
	}
	return ps
}

func versionOf(added Event, events []Event, n int) (string, Actor) {
	ps := foldProposal(added, events)
	if n < 1 || n > len(ps.Versions) {
		return "", Actor{}
	}
	return ps.Versions[n-1].Statement, ps.Versions[n-1].Author
}

func versionNumber(added Event, events []Event, statement string) int {
	if statement == "" {
		return 0
	}
	return foldProposal(added, events).version(statement)
}

// PeopleNamed returns the distinct people (name and key) who acted under a
// name in the session, in order of first appearance, so that `revue
// forget` can refuse a name nobody used and show which keys it withdraws.
func PeopleNamed(st *State, name string) []Actor {
	var out []Actor
	seen := map[string]bool{}
	for _, e := range st.Events {
		a := e.Actor
		if a.Role == System || a.Name != name || seen[a.Key()] {
			continue
		}
		seen[a.Key()] = true
		a.Role = ""
		out = append(out, a)
	}
	return out
}
