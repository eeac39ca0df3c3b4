package room

import (
	"time"

	"github.com/coopdescommuns/revue/review"
)

// What the wall reads of the workshop's domain (the room, sealing, blind
// voting, reveals, timers), in one place.

// roomProposal is the link the room is on, "" when nobody leads. The wall
// follows it even when the facilitator turned following off for the
// others: a projector always shows where the facilitator is.
func roomProposal(st *review.State) string {
	if st.Room.Leader.Name == "" {
		return ""
	}
	return st.Room.Proposal
}

// leaderName is who leads the room, "" when nobody does.
func leaderName(st *review.State) string { return st.Room.Leader.Name }

// blindVoting is the session's voting mode. The wall is seen by everybody,
// so it shows what a participant may see, never what only the facilitator
// does.
func blindVoting(st *review.State) bool { return st.Conditions.Blind }

func sealed(p *review.ProposalState) bool { return p.Sealed }

func revealed(p *review.ProposalState) bool { return p.Revealed }

// timer is a link's timer as the wall needs it.
type timer struct {
	start   time.Time
	seconds int
	stopped time.Time // zero while it runs
	ranOut  bool      // it stopped because its time was up
}

func timerOf(p *review.ProposalState) (timer, bool) {
	if p.Timer == nil {
		return timer{}, false
	}
	t := p.Timer
	return timer{start: t.Start, seconds: t.Seconds, stopped: t.Stopped, ranOut: t.Reason == review.TimerElapsed}, true
}

// shows reports whether the timer is on the wall at now: while it runs,
// once its time is up until someone stops it, and for noticeFor after it
// was recorded as run out. One stopped by hand leaves at once.
func (t timer) shows(now time.Time) bool {
	return t.stopped.IsZero() || (t.ranOut && now.Sub(t.stopped) < noticeFor)
}

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
	if d == nil || !p.Sealed {
		return decision{}, false
	}
	out := decision{verdict: d.Verdict, by: d.Actor.Name, at: d.At, reason: d.Reason, note: d.Note,
		outcome: p.Outcome, reopened: p.Reopened}
	switch p.Status {
	case review.Accepted:
		// An old trace's "rephrase" into the original wording is an
		// accept, and is told as one.
		out.verdict = review.Accept
	case review.Rephrased:
		out.verdict, out.author, out.version = review.Rephrase, p.FinalAuthor.Name, p.FinalVersion
	}
	return out, true
}

// lastLifecycle is the latest event of the session that sealed, reopened
// or revealed a link, if it is younger than noticeFor at now, with the
// proposal it touched. It looks back no further than that: the trace is
// in time order, and a wall draws at every revision.
func lastLifecycle(st *review.State, now time.Time) (review.Event, string, bool) {
	for i := len(st.Events) - 1; i >= 0; i-- {
		e := st.Events[i]
		if now.Sub(e.At) >= noticeFor {
			break
		}
		var ref review.ProposalRef // decision.made and decision.reopened name it the same way
		switch e.Kind {
		case review.KindDecisionMade, review.KindDecisionReopened, review.KindVotesRevealed:
			if e.Decode(&ref) == nil {
				return e, ref.Proposal, true
			}
		}
	}
	return review.Event{}, "", false
}
