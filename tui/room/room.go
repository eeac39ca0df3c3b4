// Package room is the projector's view of a live session (`ssh ... --watch`):
// made for a wall, large and calm, without key hints. It always shows the
// link the room is on (the facilitator who leads; when nobody leads, the
// first pending link): the criterion, the statement in force, the passage
// with its evidence quote, the tally and the turnout, the timer, the
// session's progress, and a short notice when the link is decided,
// reopened or revealed.
//
// Choices a reader of the wall should know:
//   - It follows State.Room.Proposal whenever a facilitator leads, also
//     while following is off for the others: the wall stays where the
//     facilitator is. With nobody leading it shows the first pending link
//     that is not parked.
//   - It is seen by everybody, so it shows what a participant may see: in
//     blind voting, how many voted and nothing of what (no verdict, mark,
//     disagreement or competing wording) until the link's votes are
//     revealed. It never shows a link's origin or confidence, so that it
//     cannot undo a condition drawn per person.
//   - A notice of the latest seal, reopening or reveal stays 90 seconds,
//     and names its link when the wall is on another.
//
// It is a plain component, not a tea.Model: the review screen's root model
// owns the program and its messages and calls View.Render from its own
// View, with the snapshot it already holds. Rendering does no I/O and reads
// no clock: the caller passes the time, so that a timer and a notice show
// the same on every screen and in tests.
package room

import (
	"fmt"
	"strings"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
)

// Options are what the caller knows about the wall.
type Options struct {
	Lang    string // "fr" or "en"; anything else is French
	Dark    bool   // the client's background, from tea.BackgroundColorMsg
	NoColor bool   // NO_COLOR in the client's environment
}

// View draws the projector's screen. Build it again (New) when the
// background or NO_COLOR becomes known: it holds the styles made for them.
type View struct {
	t  *text
	st styles
}

// New returns the view for one wall.
func New(o Options) *View {
	return &View{t: language(o.Lang), st: newStyles(o.Dark, o.NoColor)}
}

// Smallest screen the projector draws on; below it, one sentence asks for
// a larger one.
const (
	MinWidth  = 60
	MinHeight = 16
)

// noticeFor is how long the notice of a decision, a reopening or a reveal
// stays on the wall: long enough to be read from the back of the room, short
// enough not to linger into the next discussion.
const noticeFor = 90 * time.Second

// Shown returns the proposal the wall shows: the one the room is on, or,
// when nobody leads, the first pending one that is not parked; nil when the
// session has no proposal, or none pending and nobody leading. The root model may report
// it as the projector's focus.
func Shown(st *review.State) *review.ProposalState {
	if st == nil {
		return nil
	}
	if id := roomProposal(st); id != "" {
		if p, ok := st.Proposal(id); ok {
			return p
		}
	}
	// A parked link waits for the room to come back to it: the wall
	// passes over it unless nothing else is pending.
	var parked *review.ProposalState
	for _, p := range st.Proposals {
		if p.Status != review.Pending {
			continue
		}
		if !p.Parked {
			return p
		}
		if parked == nil {
			parked = p
		}
	}
	return parked
}

// NextRedraw says when the wall must be drawn again although no new
// revision came: at the next second of a running timer, or when a notice
// expires. Zero means that nothing on the wall changes with time alone.
// The root model schedules a tea.Tick with it after each render.
func NextRedraw(snap *session.Snapshot, now time.Time) time.Duration {
	if snap == nil {
		return 0
	}
	var next time.Duration
	sooner := func(d time.Duration) {
		if d > 0 && (next == 0 || d < next) {
			next = d
		}
	}
	if p := Shown(snap.State); p == nil {
	} else if tm, ok := timerOf(p); ok && tm.stopped.IsZero() {
		end := tm.start.Add(time.Duration(tm.seconds) * time.Second)
		if left := end.Sub(now); left > 0 {
			// The next whole second of the time left.
			sooner(left - left.Truncate(time.Second) + time.Millisecond)
		}
	} else if ok && tm.shows(now) {
		sooner(tm.stopped.Add(noticeFor).Sub(now))
	}
	if e, _, ok := lastLifecycle(snap.State, now); ok {
		sooner(e.At.Add(noticeFor).Sub(now))
	}
	return next
}

// Render draws the wall: exactly h lines of exactly w cells, so that the
// renderer has nothing left to clear.
func (v *View) Render(snap *session.Snapshot, now time.Time, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	if w < MinWidth || h < MinHeight {
		return v.tooSmall(w, h)
	}
	var sc *scene
	if snap != nil && snap.State != nil {
		sc = v.scene(snap, now)
	}
	var lines []string
	if sc == nil || sc.p == nil {
		lines = v.empty(sc, w, h)
	} else {
		lines = v.frame(sc, w, h)
	}
	return strings.Join(lines, "\n")
}

// scene is what the wall shows of one revision, in words already cleaned
// for the terminal.
type scene struct {
	st       *review.State
	session  string
	leader   string // the name of who leads, "" when nobody does
	blind    bool
	decided  int
	total    int
	index    int // of the proposal in the session, from 1
	people   int // participants present (session.Participants)
	voted    int // of them, those with a vote in force: the turnout, as the review screen counts it
	perCrit  []critProgress
	p        *review.ProposalState
	crit     review.Criterion
	doc      string // the document's title
	where    string // page or section
	passage  *review.Passage
	votes    []review.Vote // each participant's vote in force (review.ProposalState.Current)
	revealed bool
	sealed   bool
	timer    timer
	hasTimer bool
	notice   string
	now      time.Time
}

type critProgress struct {
	id             string
	decided, total int
}

func (v *View) scene(snap *session.Snapshot, now time.Time) *scene {
	st := snap.State
	sc := &scene{st: st, session: sanitize.Line(st.Name), total: len(st.Proposals), decided: st.Decided(), now: now}
	sc.leader = leaderName(st)
	sc.blind = blindVoting(st)
	present := session.OnlineParticipants(snap.Online)
	sc.people = len(present)
	byCrit := map[string]int{}
	for _, c := range st.Criteria {
		byCrit[c.ID] = len(sc.perCrit)
		sc.perCrit = append(sc.perCrit, critProgress{id: sanitize.Line(c.ID)})
	}
	for _, p := range st.Proposals {
		if i, ok := byCrit[p.Criterion]; ok {
			sc.perCrit[i].total++
			if p.Status != review.Pending {
				sc.perCrit[i].decided++
			}
		}
	}
	p := Shown(st)
	if e, id, ok := lastLifecycle(st, now); ok {
		sc.notice = v.noticeText(st, e, id, p)
	}
	if p == nil {
		return sc
	}
	sc.p = p
	for i, q := range st.Proposals {
		if q == p {
			sc.index = i + 1
		}
	}
	sc.crit, _ = st.Criterion(p.Criterion)
	if d, ok := st.Document(p.Document); ok {
		sc.doc = sanitize.Line(d.Title)
		if sc.doc == "" {
			sc.doc = sanitize.Line(d.Source)
		}
	}
	if pa, ok := st.Passage(p.Passage); ok {
		shown := *pa
		shown.Text = st.PassageText(pa) // a served session reads it from the store
		sc.passage = &shown
		switch {
		case pa.Page > 0:
			sc.where = fmt.Sprintf(v.t.Page, pa.Page)
		case pa.Section != "":
			sc.where = sanitize.Line(pa.Section)
		}
	}
	sc.votes = p.Current()
	sc.voted = session.Turnout(snap.Online, p).Voted
	sc.sealed = sealed(p)
	sc.revealed = revealed(p)
	sc.timer, sc.hasTimer = timerOf(p)
	return sc
}

// hidden reports whether people's verdicts must not show: blind voting,
// before the facilitator reveals this link's votes.
func (sc *scene) hidden() bool { return sc.p.Hidden(sc.blind) }

func (sc *scene) tally() map[review.Verdict]int {
	t := map[review.Verdict]int{}
	for _, v := range sc.votes {
		t[v.Verdict]++
	}
	return t
}

// conflict reports a disagreement among the opinions in force.
func (sc *scene) conflict() bool {
	var first review.Verdict
	for _, v := range sc.votes {
		if v.Verdict == review.Skip {
			continue
		}
		if first == "" {
			first = v.Verdict
		} else if v.Verdict != first {
			return true
		}
	}
	return false
}

// noticeText says who sealed, reopened or revealed which link: this one,
// or the one it names when the wall has moved on (a decision made while
// nobody leads takes the wall to the next pending link).
func (v *View) noticeText(st *review.State, e review.Event, id string, shown *review.ProposalState) string {
	what := v.t.ThisLink
	if shown == nil || shown.ID != id {
		for i, q := range st.Proposals {
			if q.ID == id {
				what = fmt.Sprintf(v.t.ThatLink, i+1, sanitize.Line(q.Criterion))
			}
		}
	}
	who := sanitize.Line(e.Actor.Name)
	switch e.Kind {
	case review.KindDecisionReopened:
		return fmt.Sprintf(v.t.VerbReopened, who, what)
	case review.KindVotesRevealed:
		return fmt.Sprintf(v.t.VerbRevealed, who, what)
	}
	var d review.VoteData
	_ = e.Decode(&d)
	if p, ok := st.Proposal(id); ok && p.Decision != nil && p.Decision.EventID == e.ID && p.Status == review.Accepted {
		// An old trace's rephrasing into the original wording is an
		// accept, and is told as one.
		d.Verdict = review.Accept
	}
	switch d.Verdict {
	case review.Accept:
		return fmt.Sprintf(v.t.VerbAccepted, who, what)
	case review.Reject:
		return fmt.Sprintf(v.t.VerbRejected, who, what)
	}
	return fmt.Sprintf(v.t.VerbReworded, who, what)
}

func (v *View) reasonWord(r string) string {
	switch r {
	case review.ReasonOffTopic:
		return v.t.ReasonOffTopic
	case review.ReasonQuoteInexact:
		return v.t.ReasonQuoteInexact
	case review.ReasonTooVague:
		return v.t.ReasonTooVague
	case review.ReasonWrongCriterion:
		return v.t.ReasonWrongCriterion
	}
	return v.t.ReasonOther
}

// clock is a time of day as the room reads it.
func clock(t, now time.Time) string { return t.In(now.Location()).Format("15:04") }
