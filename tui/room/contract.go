package room

import (
	"time"

	"github.com/coopdescommuns/revue/review"
)

// What the wall reads of the workshop's domain (the room, sealing, blind
// voting, reveals, timers), in one place.

// roomProposal is the link the room is on, "" when nobody leads.
func roomProposal(st *review.State) string { return "" }

// leaderName is who leads the room, "" when nobody does.
func leaderName(st *review.State) string { return "" }

func blindVoting(st *review.State) bool { return false }

func sealed(p *review.ProposalState) bool { return p.Status != review.Pending }

func revealed(p *review.ProposalState) bool { return false }

// timer is a link's timer as the wall needs it.
type timer struct {
	start   time.Time
	seconds int
	stopped bool
}

func timerOf(p *review.ProposalState) (timer, bool) { return timer{}, false }

// decision is the seal in force: its verdict, who sealed and when, the
// wording kept and whose it is, the reason of a rejection and the outcome
// sentence.
type decision struct {
	verdict  review.Verdict
	by       string
	at       time.Time
	author   string
	version  int
	reason   string
	note     string
	outcome  string
	reopened int
}

func decisionOf(p *review.ProposalState) (decision, bool) {
	d := p.Decision
	if d == nil || p.Status == review.Pending {
		return decision{}, false
	}
	out := decision{verdict: d.Verdict, by: d.Actor.Name, at: d.At, reason: d.Reason, note: d.Note}
	if d.Verdict == review.Rephrase {
		out.author, out.version = d.Actor.Name, len(p.Versions)
	}
	return out, true
}

// lastLifecycle is the latest event of the session that decided, reopened
// or revealed a link, if it is younger than noticeFor at now, with the
// proposal it touched. It looks back no further than that: the trace is
// in time order, and a wall redraws at every revision.
func lastLifecycle(st *review.State, now time.Time) (review.Event, string, bool) {
	for i := len(st.Events) - 1; i >= 0; i-- {
		e := st.Events[i]
		if now.Sub(e.At) >= noticeFor {
			break
		}
		switch e.Kind {
		case review.KindDecisionMade:
			var d review.VoteData
			if e.Decode(&d) == nil {
				if p, ok := st.Proposal(d.Proposal); ok && sealed(p) {
					return e, d.Proposal, true
				}
			}
			return review.Event{}, "", false
		}
	}
	return review.Event{}, "", false
}

func lifecycleNotice(t *text, e review.Event, who string) string { return "" }
