package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/pane"
)

// This file is the workshop on screen: the room following its leader, the
// facilitator's keys of a decision's lifecycle (seal, reopen, blind voting,
// reveal, park, timer), the notices of what others decided, and the ways
// of moving through the work. Like the rest of Update, nothing here does
// I/O: every change goes to the hub in a command.

// defaultTimer is the time box `t` gives the discussion of one link.
const defaultTimer = 3 * time.Minute

func (m *Model) isFacilitator() bool { return m.opts.Actor.Role == review.Facilitator }

// leading reports whether this facilitator leads the room and the room
// follows: then each of their moves takes the room along. A room nobody
// leads yet is led by the first facilitator who arrives or moves (the fold
// makes the first room.moved its leader's): the room follows its
// facilitator from the first minute, without anybody having to press F.
func (m *Model) leading() bool {
	if !m.isFacilitator() || m.snap == nil {
		return false
	}
	r := m.snap.State.Room
	return r.Follow && (r.Leader.Name == "" || r.Leader.Key() == m.opts.Actor.Key())
}

// roomLed reports whether someone leads a following room to a link.
func (m *Model) roomLed() bool {
	if m.snap == nil {
		return false
	}
	r := m.snap.State.Room
	return r.Follow && r.Leader.Name != "" && r.Proposal != ""
}

// following reports whether this screen goes where the room goes.
func (m *Model) following() bool { return !m.isFacilitator() && m.follow && m.roomLed() }

// arrive is the first placement after joining: a participant who comes
// back lands on the room's link, or, when the room browses freely, where
// they last were.
func (m *Model) arrive() tea.Cmd {
	if m.consentNeeded() {
		m.mode = modeConsent
	}
	if m.following() {
		return m.show(m.snap.State.Room.Proposal)
	}
	// A facilitator who arrives in a free room that has a link (after a
	// restart, or when its leader left) takes it from there, and leads.
	if r := m.snap.State.Room; m.leading() && r.Leader.Name == "" && r.Proposal != "" {
		return m.show(r.Proposal)
	}
	if last := m.lastFocus(); last != "" {
		return m.show(last)
	}
	return m.refresh()
}

// afterSnapshot brings the screen up to a new snapshot: the list, the
// room's link for a follower, a timer to count.
func (m *Model) afterSnapshot() tea.Cmd {
	if m.snap == nil {
		return nil
	}
	var cmd tea.Cmd
	if m.catchingUp() {
		cmd = m.show(m.snap.State.Room.Proposal)
	} else {
		cmd = m.refresh()
	}
	m.timerEnded()
	// A facilitator who reconnects finds the agenda in the trace; its
	// line counts down from the first snapshot.
	return tea.Batch(cmd, m.armTimer(), m.wall.redraw(m), m.agendaTick())
}

// catchingUp reports whether this follower's screen should go to the
// room's link now. Never while a panel is open: a rephrasing or a reason
// being written belongs to the link it was opened on, and the screen
// catches up once the panel closes.
func (m *Model) catchingUp() bool {
	return m.following() && m.current != m.snap.State.Room.Proposal && (m.mode == modeBrowse || m.mode == modeQuit)
}

// catchUp goes to the room's link if the screen fell behind while a panel
// was open.
func (m *Model) catchUp() tea.Cmd {
	if m.snap == nil || !m.catchingUp() {
		return nil
	}
	return m.show(m.snap.State.Room.Proposal)
}

// userMove is a move the person asked for: while following, it breaks
// away from the room, and the screen says so and how to come back.
func (m *Model) userMove(i int) tea.Cmd {
	if len(m.visible) == 0 {
		return nil
	}
	m.dropRoomNotice()
	i = max(0, min(i, len(m.visible)-1))
	id := m.snap.State.Proposals[m.visible[i]].ID
	broke := m.breakAway(id)
	cmd := m.move(i)
	if broke {
		m.setInfo(m.t.Alone)
	}
	return cmd
}

// userShow is userMove to a proposal by its ID.
func (m *Model) userShow(id string) tea.Cmd {
	m.dropRoomNotice()
	broke := m.breakAway(id)
	cmd := m.show(id)
	if broke {
		m.setInfo(m.t.Alone)
	}
	return cmd
}

// dropRoomNotice clears a notice about the room at the reader's own move:
// they have read it.
func (m *Model) dropRoomNotice() {
	if m.noticeAbout == noticeRoom {
		m.status, m.noticeAbout = "", ""
	}
}

// breakAway stops following the room when the person moves on their own,
// and reports whether to tell them so (they were following a leader). A
// move before anybody leads breaks away too, silently: otherwise the
// first facilitator's arrival would take back a reader who had already
// gone elsewhere (seen with 300 clients: a move lost under the reader).
func (m *Model) breakAway(id string) bool {
	if m.isFacilitator() || id == m.current || !m.follow {
		return false
	}
	told := m.following()
	m.follow = false
	return told
}

// rejoin is `f`: follow the room again, and go where it is.
func (m *Model) rejoin() tea.Cmd {
	if m.isFacilitator() {
		return nil
	}
	m.follow = true
	if !m.roomLed() {
		m.setInfo(m.t.NoLeader)
		return nil
	}
	m.setInfo(m.t.Rejoined)
	return m.show(m.snap.State.Room.Proposal)
}

// jumpNext moves to the next link of the list, after the cursor and round
// to the start, for which want holds; it says so when there is none.
func (m *Model) jumpNext(none string, want func(*review.ProposalState) bool) tea.Cmd {
	n := len(m.visible)
	for k := 1; k < n; k++ {
		i := (m.cursor + k) % n
		if want(m.snap.State.Proposals[m.visible[i]]) {
			return m.userMove(i)
		}
	}
	m.setInfo(none)
	return nil
}

// hasVoted reports whether this person's opinion on p is in force (a
// skip counts: they chose not to take a side).
func (m *Model) hasVoted(p *review.ProposalState) bool {
	me := m.opts.Actor.Key()
	for _, v := range p.Votes {
		if pane.IsKey(v.Actor, me) {
			return true
		}
	}
	return false
}

// myVote is this person's latest vote in force on p.
func (m *Model) myVote(p *review.ProposalState) (review.Vote, bool) {
	me := m.opts.Actor.Key()
	for i := len(p.Votes) - 1; i >= 0; i-- {
		if pane.IsKey(p.Votes[i].Actor, me) {
			return p.Votes[i], true
		}
	}
	return review.Vote{}, false
}

// quitQuestion does not tell a facilitator who serves nobody that the
// participants stay connected.
func (m *Model) quitQuestion() string {
	if m.opts.Terminal == "local" && m.opts.Refused == nil {
		return m.t.QuitAlone
	}
	return m.t.QuitConfirm
}

// askQuit is `q`: a facilitator is asked first, since their screen may be
// the one that runs the server; everybody else leaves at once.
func (m *Model) askQuit() tea.Cmd {
	if m.isFacilitator() && m.joined {
		m.beforeQuit, m.mode = m.mode, modeQuit
		m.setInfo(m.quitQuestion())
		return nil
	}
	return m.quitNow()
}

// linkName names a link in a sentence: its criterion and its document.
func (m *Model) linkName(p *review.ProposalState) string {
	c, _ := m.snap.State.Criterion(p.Criterion)
	return sanitize.Line(c.ID) + " · " + sanitize.Line(c.Title) + " (" + m.cm.DocTitle(p.Document) + ")"
}

// undoTarget is the proposal that Hub.Undo will touch for actor: the one
// of their last vote or comment in force, or of their last seal (which is
// reopened).
func undoTarget(st *review.State, actor review.Actor) string {
	_, data := st.TakeBack(actor)
	switch d := data.(type) {
	case review.ReopenData:
		return d.Proposal
	case review.UndoData:
		for i := len(st.Events) - 1; i >= 0; i-- {
			if e := st.Events[i]; e.ID == d.Target {
				var ref struct {
					Proposal string `json:"proposal"`
				}
				if json.Unmarshal(e.Data, &ref) == nil {
					return ref.Proposal
				}
			}
		}
	}
	return ""
}

// noticeChanges tells this screen, once, what changed in the room (the
// voting mode, who leads, whether screens follow) and, on the screen of
// someone looking at a link, that somebody else decided it, reopened it or
// revealed its votes. A link's notice belongs to that link: it goes when
// the reader moves (setCursor); the room's go at the reader's own move.
func (m *Model) noticeChanges(old, nu *session.Snapshot) {
	if old == nil || nu == nil || old.State == nu.State {
		return
	}
	m.noticeRoom(old.State, nu.State)
	if m.current == "" {
		return
	}
	a, ok1 := old.State.Proposal(m.current)
	b, ok2 := nu.State.Proposal(m.current)
	if !ok1 || !ok2 || a == b || len(b.History) == 0 {
		return
	}
	// Who did it: the seal's author, else the author of the latest event
	// of that kind on the link (a revision may bring several events).
	by := func(k review.Kind) (review.Actor, bool) {
		for i := len(b.History) - 1; i >= 0; i-- {
			if e := nu.State.Events[b.History[i]]; e.Kind == k {
				return e.Actor, true
			}
		}
		return review.Actor{}, false
	}
	var f string
	var who review.Actor
	ok := false
	switch {
	case !a.Sealed && b.Sealed && b.Decision != nil:
		f = map[review.Status]string{review.Accepted: m.t.NoticeAccepted, review.Rejected: m.t.NoticeRejected, review.Rephrased: m.t.NoticeRephrased}[b.Status]
		who, ok = b.Decision.Actor, true
	case b.Reopened > a.Reopened:
		f = m.t.NoticeReopened
		who, ok = by(review.KindDecisionReopened)
	case !a.Revealed && b.Revealed:
		f = m.t.NoticeRevealed
		who, ok = by(review.KindVotesRevealed)
	}
	if f == "" || !ok || who.Key() == m.opts.Actor.Key() {
		return
	}
	m.setNotice(fmt.Sprintf(f, m.cm.NameWithRole(who)), m.current)
}

// noticeRoom tells the changes of the room between two states, each once,
// to everybody but who made them: the voting mode, a leader who leaves or
// arrives, following turned off or on. A call of the room (F turning
// following on) brings back every screen, those who browsed away too.
func (m *Model) noticeRoom(a, b *review.State) {
	me := m.opts.Actor.Key()
	r0, r1 := a.Room, b.Room
	if r1.Calls > r0.Calls && r1.Follow && !m.isFacilitator() {
		m.follow = true
	}
	say := func(f string, who review.Actor) {
		if who.Name != "" && who.Key() != me {
			m.setNotice(fmt.Sprintf(f, m.cm.NameWithRole(who)), noticeRoom)
		}
	}
	switch {
	case r0.Leader.Name != "" && r1.Leader.Name == "":
		say(m.t.NoticeLeaderLeft, r0.Leader)
	case r0.Follow && !r1.Follow && r0.Leader.Name != "":
		if !m.isFacilitator() {
			say(m.t.NoticeFreed, r1.Leader)
		}
	case r1.Follow && r1.Leader.Name != "" && (!r0.Follow || r1.Leader.Key() != r0.Leader.Key() || r1.Calls > r0.Calls):
		say(m.t.NoticeLeads, r1.Leader)
	}
	if a.Conditions.Blind != b.Conditions.Blind {
		f := m.t.NoticeBlindOff
		if b.Conditions.Blind {
			f = m.t.NoticeBlindOn
		}
		for i := len(b.Events) - 1; i >= len(a.Events); i-- {
			if e := b.Events[i]; e.Kind == review.KindConditionsSet {
				say(f, e.Actor)
				break
			}
		}
	}
}

// noticeRoom marks a notice about the room rather than one link.
const noticeRoom = "\x00room"

// setNotice shows what somebody else did, about the link about (or the
// room, noticeRoom): it goes when the reader moves.
func (m *Model) setNotice(s, about string) {
	m.setInfo(s)
	m.noticeAbout = about
}

// keyFacilitator handles the facilitator's own keys; for anybody else they
// are refused with one sentence. It reports whether the key was one of
// them.
func (m *Model) keyFacilitator(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	k := m.keys
	var hit *key.Binding
	for _, b := range k.facilitatorKeys() {
		if slices.Contains(b.Keys(), msg.String()) {
			hit = b
			break
		}
	}
	if hit == nil {
		return false, nil
	}
	if !hit.Enabled() {
		if m.opts.Actor.Role == review.Participant {
			m.setError(m.t.NotFacilitator)
		} else {
			m.setError(m.t.ErrSpectator)
		}
		return true, nil
	}
	if !m.joined {
		return true, nil
	}
	st := m.snap.State
	if hit == &k.Blind {
		c := st.Conditions
		c.Blind = !c.Blind
		info := m.t.BlindOff
		if c.Blind {
			info = m.t.BlindOn
		}
		return true, m.doCmd(action{kind: review.KindConditionsSet, info: info}, c)
	}
	if hit == &k.HideMine {
		m.screenBlind = !m.screenBlind
		m.vc.invalidate()
		m.rebuild()
		if m.screenBlind {
			m.setInfo(m.t.HideMineOn)
		} else {
			m.setInfo(m.t.HideMineOff)
		}
		return true, nil
	}
	switch hit {
	case &k.Agenda:
		value := ""
		if a := m.agendaNow(); a != nil && !a.End.IsZero() {
			value = a.End.In(m.cm.Loc).Format("15:04")
		}
		return true, m.ask(askAgenda, value)
	case &k.Order:
		next := (m.workOrder() + 1) % orderCount
		clear(m.passed)
		return true, m.setAgenda(fmt.Sprintf(m.t.OrderSet, m.orderWord(next)), func(a *review.AgendaData) { a.Order = review.Orders[next] })
	case &k.Unanimous:
		return true, m.ask(askUnanimous, "2")
	}
	if hit == &k.Parked {
		m.parkedIDs = m.parkedIDs[:0]
		for _, p := range st.Proposals {
			if p.Parked {
				m.parkedIDs = append(m.parkedIDs, p.ID)
			}
		}
		m.parkIdx = 0
		m.mode = modeParked
		return true, m.paneOpened("parked")
	}
	p := m.currentProposal()
	if p == nil {
		m.setError(m.t.ErrNoProposal)
		return true, nil
	}
	m.status = ""
	switch hit {
	case &k.Lead:
		// Taking the lead turns following on; the leader's F frees the
		// room, and the next F takes it along again.
		follow := !m.leading() || m.snap.State.Room.Leader.Name == ""
		info := m.t.LeadOff
		if follow {
			info = m.t.LeadOn
		}
		return true, m.doCmd(action{kind: review.KindRoomLed, info: info}, review.RoomData{Follow: follow, Proposal: p.ID})
	case &k.Versions:
		if p.Sealed {
			m.setError(m.t.AlreadySealed)
			return true, nil
		}
		m.mode, m.verIdx, m.formErr = modeVersions, len(p.Versions)-1, ""
		return true, m.paneOpened("versions")
	case &k.Reopen:
		if !p.Sealed {
			m.setError(m.t.NotSealed)
			return true, nil
		}
		return true, m.doCmd(action{kind: review.KindDecisionReopened, info: m.t.Reopened}, review.ReopenData{Proposal: p.ID})
	case &k.Reveal:
		return true, m.doCmd(action{kind: review.KindVotesRevealed, info: m.t.Revealed}, review.ProposalRef{Proposal: p.ID})
	case &k.Park:
		info := m.t.Parked
		if p.Parked {
			info = m.t.Unparked
		}
		return true, m.doCmd(action{kind: review.KindProposalParked, info: info}, review.ParkData{Proposal: p.ID, Parked: !p.Parked})
	case &k.Timer:
		// The room has one timer, whichever link it was started on: t
		// stops it where it runs, else asks how long the next one lasts.
		if q := m.roomTimer(); q != nil && q.Timer.Stopped.IsZero() {
			return true, m.doCmd(action{kind: review.KindTimerStopped, info: m.t.TimerStopped}, review.TimerStop{Proposal: q.ID, Reason: review.TimerStoppedByHand})
		}
		return true, m.ask(askTimer, strconv.Itoa(int(defaultTimer/time.Minute)))
	case &k.Mark:
		return true, m.toggleMark(p.ID)
	}
	return true, nil
}

// keyVersions is the picker of the wording to seal: every version, the
// original first, each with its author and what it changes; an optional
// outcome sentence; Enter seals.
func (m *Model) keyVersions(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	p := m.currentProposal()
	if p == nil {
		m.mode, m.input = modeBrowse, nil
		return nil
	}
	n := len(p.Versions)
	if m.mode == modeVersionsOutcome {
		switch {
		case key.Matches(msg, k.Cancel):
			m.mode, m.input, m.formErr = modeBrowse, nil, ""
			return nil
		case key.Matches(msg, k.Tab):
			m.mode = modeVersions
			return nil
		case key.Matches(msg, k.Confirm):
			return m.sealVersion(p)
		}
		var cmd tea.Cmd
		*m.input, cmd = m.input.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Cancel):
		m.mode, m.input, m.formErr = modeBrowse, nil, ""
	case key.Matches(msg, k.Down):
		m.verIdx = (m.verIdx + 1) % max(n, 1)
	case key.Matches(msg, k.Up):
		m.verIdx = (m.verIdx + max(n, 1) - 1) % max(n, 1)
	case key.Matches(msg, k.Tab):
		m.mode = modeVersionsOutcome
		if m.input == nil {
			return m.openInput(m.t.OutcomePrompt, 500)
		}
		return m.input.Focus()
	case key.Matches(msg, k.Confirm):
		return m.sealVersion(p)
	}
	return nil
}

// sealVersion seals p with the version chosen in the picker: the original
// is an accept (the statement as proposed), any other a rephrasing that
// names its version, so that whose wording it is stays in the trace.
func (m *Model) sealVersion(p *review.ProposalState) tea.Cmd {
	outcome := ""
	if m.input != nil {
		outcome = sanitize.Line(m.input.Value())
	}
	i := max(0, min(m.verIdx, len(p.Versions)-1))
	m.mode, m.input, m.formErr = modeBrowse, nil, ""
	data := review.VoteData{Proposal: p.ID, Verdict: review.Accept, Outcome: outcome, Version: 1, DwellMS: m.dwell()}
	if i > 0 {
		data.Verdict, data.Version = review.Rephrase, i+1
	}
	label := m.t.VersionOriginal
	if i > 0 {
		label = fmt.Sprintf(m.t.VersionN, i+1, sanitize.Line(p.Versions[i].Author.Name))
	}
	return m.doCmd(action{kind: review.KindDecisionMade, verdict: data.Verdict, proposal: p.ID, info: fmt.Sprintf(m.t.SealedAs, label)}, data)
}

// keyParked is the list of parked links: Enter goes to one.
func (m *Model) keyParked(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	n := len(m.parkedIDs)
	switch {
	case key.Matches(msg, k.Cancel, k.Parked):
		m.mode = modeBrowse
	case key.Matches(msg, k.Down) && n > 0:
		m.parkIdx = (m.parkIdx + 1) % n
	case key.Matches(msg, k.Up) && n > 0:
		m.parkIdx = (m.parkIdx + n - 1) % n
	case key.Matches(msg, k.Confirm):
		m.mode = modeBrowse
		if m.parkIdx < n {
			return m.userShow(m.parkedIDs[m.parkIdx])
		}
	case key.Matches(msg, k.Quit):
		return m.askQuit()
	}
	return nil
}

// dwell is how long the proposal has been on this screen, in milliseconds.
func (m *Model) dwell() int64 { return max(m.opts.Now().Sub(m.shownAt).Milliseconds(), 0) }

// Timer ticks. A running timer on the link on screen redraws once a
// second; the screen of the facilitator who started it records that it
// ran out, once.
type timerTickMsg struct{}

// adoptMsg brings the snapshot after a call that no action waits for.
type adoptMsg struct{ snap *session.Snapshot }

func (m *Model) armTimer() tea.Cmd {
	p := m.roomTimer()
	if m.ticking || p == nil || !p.Timer.Stopped.IsZero() {
		return nil
	}
	m.ticking = true
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return timerTickMsg{} })
}

func (m *Model) timerTick() tea.Cmd {
	m.ticking = false
	p := m.roomTimer()
	if p == nil || !p.Timer.Stopped.IsZero() {
		return nil
	}
	now := m.opts.Now()
	if !p.Timer.Running(now) {
		m.timerEnded()
		if m.joined && p.Timer.By.Key() == m.opts.Actor.Key() {
			key := p.ID + p.Timer.Start.String()
			if m.elapsed == nil {
				m.elapsed = map[string]bool{}
			}
			if !m.elapsed[key] {
				m.elapsed[key] = true
				h, ctx, actor, id := m.hub, m.ctx, m.opts.Actor, p.ID
				return func() tea.Msg {
					cctx, cancel := context.WithTimeout(ctx, actionTimeout)
					defer cancel()
					_, _ = h.Do(cctx, actor, review.KindTimerStopped, review.TimerStop{Proposal: id, Reason: review.TimerElapsed})
					return adoptMsg{h.Snapshot()}
				}
			}
		}
		return nil
	}
	return m.armTimer()
}

// timerText is the room's timer (roomTimer), for the header: the time
// left, or that it is up; "" without a timer running.
func (m *Model) timerText(p *review.ProposalState) string {
	if p == nil || p.Timer == nil || !p.Timer.Stopped.IsZero() {
		return ""
	}
	left := p.Timer.Ends().Sub(m.opts.Now())
	if left <= 0 {
		return m.t.TimerElapsed
	}
	return fmt.Sprintf(m.t.TimerLeft, m.clockLeft(left))
}

// clockLeft writes a duration as minutes and seconds, 2:05.
func (m *Model) clockLeft(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// consentNeeded reports whether this screen must show the consent text
// before anything else: a participant who has not answered it.
func (m *Model) consentNeeded() bool {
	return m.snap != nil && m.opts.Actor.Role == review.Participant && m.snap.State.ConsentNeeded(m.opts.Actor)
}

// keyConsent reads the consent text (scrolling) and records the answer.
// A decline makes this screen a spectator's: it keeps watching, and its
// keys no longer act.
func (m *Model) keyConsent(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Down), key.Matches(msg, k.PageDown):
		m.consentAt++
	case key.Matches(msg, k.Up), key.Matches(msg, k.PageUp):
		m.consentAt = max(m.consentAt-1, 0)
	case msg.String() == "a", key.Matches(msg, k.Confirm):
		return m.answerConsent(true)
	case msg.String() == "n":
		return m.answerConsent(false)
	case key.Matches(msg, k.Quit):
		return m.quitNow()
	}
	return nil
}

func (m *Model) answerConsent(agreed bool) tea.Cmd {
	m.mode = modeBrowse
	info := m.t.ConsentAgreed
	if !agreed {
		info = m.t.ConsentDeclined
	}
	cmd := m.doCmd(action{kind: review.KindConsentAnswered, info: info}, review.ConsentAnswer{Agreed: agreed, Hash: m.snap.State.Consent.Hash})
	if !agreed {
		// From now on this screen only watches, and records nothing of
		// what it shows: the hub refuses its actions anyway; hiding the
		// keys spares the refusals.
		m.exp.reset()
		m.opts.Actor.Role = review.Spectator
		m.keys = keysFor(m.t, review.Spectator)
		m.hint = ""
		m.wall.restyle(m)
		m.vc.invalidate()
	}
	return cmd
}

// lastFocus is where this person last was in the session, when the hub
// remembers it (session.Hub.LastFocus), else "".
func (m *Model) lastFocus() string {
	if f, ok := any(m.hub).(interface{ LastFocus(string) string }); ok && m.hub != nil {
		return f.LastFocus(m.opts.Actor.Key())
	}
	return ""
}

// conditions are what this person may see of each proposal: the session's
// conditions for their arm; the facilitator sees everything.
func (m *Model) conditions() review.Conditions {
	if m.isFacilitator() || m.snap == nil {
		return review.Conditions{}
	}
	return m.snap.State.ConditionsFor(m.opts.Actor)
}

// blindOn reports whether the others' verdicts and wordings on p are
// hidden from this screen: voted blind and not yet revealed
// (review.ProposalState.Hidden). The facilitator sees everything, unless
// they hid the verdicts on their own screen (B) to project it.
func (m *Model) blindOn(p *review.ProposalState) bool {
	if p == nil || m.snap == nil {
		return false
	}
	if m.isFacilitator() {
		return m.screenBlind && p.Hidden(m.snap.State.Conditions.Blind)
	}
	return p.Hidden(m.conditions().Blind)
}

// conflictShown reports whether this screen may know that people disagree
// on p: never while p's verdicts are hidden from it. The disagreement
// filter and the d key use it, so that where they lead tells nothing that
// the screen does not show.
func (m *Model) conflictShown(p *review.ProposalState) bool {
	return p.Conflict && !m.blindOn(p)
}

// Draft modes: which input a kept draft goes back into.
const (
	draftRephrase = "rephrase"
	draftComment  = "comment"
)

// keepDraft gives the hub what this person is writing, when it changed,
// so that a dropped connection does not lose it: the hub keeps it in
// memory for their reconnection. Sending or cancelling clears it.
func (m *Model) keepDraft() tea.Cmd {
	if !m.joined || m.hub == nil || m.opts.Actor.Role == review.Spectator {
		return nil
	}
	var d session.Draft
	switch {
	case m.mode == modeEdit && m.editor != nil:
		d = session.Draft{Proposal: m.current, Mode: draftRephrase, Text: m.editor.Value()}
	case m.mode == modeComment && m.input != nil:
		d = session.Draft{Proposal: m.current, Mode: draftComment, Text: m.input.Value()}
	}
	if d == m.draftSent {
		return nil
	}
	m.draftSent = d
	h, who := m.hub, m.opts.Actor.Key()
	// In order: Bubble Tea runs commands concurrently, and an older text
	// saved after a newer one would be the draft a reconnection gets.
	return m.inOrder(func() tea.Msg {
		h.SaveDraft(who, d)
		return nil
	})
}

// restoreDraft opens again, on its link, what the person was writing when
// their connection dropped.
func (m *Model) restoreDraft(d *session.Draft) tea.Cmd {
	if d == nil || d.Text == "" || m.mode != modeBrowse || m.opts.Actor.Role == review.Spectator {
		return nil
	}
	p, ok := m.snap.State.Proposal(d.Proposal)
	if !ok || p.Sealed && d.Mode == draftRephrase {
		return nil
	}
	if m.following() && d.Proposal != m.current {
		// The room has moved on: the reconnected screen goes with it, and
		// the draft waits for its link (setCursor brings it back there).
		m.laterDraft = d
		m.setInfo(m.t.DraftKept)
		return nil
	}
	m.laterDraft = nil
	cmd := m.show(d.Proposal)
	m.draftSent = *d
	switch d.Mode {
	case draftRephrase:
		m.mode = modeEdit
		return tea.Batch(cmd, m.openEditor(d.Text))
	case draftComment:
		m.mode = modeComment
		c := m.openInput("› ", 1000)
		m.input.SetValue(d.Text)
		return tea.Batch(cmd, c)
	}
	return cmd
}
