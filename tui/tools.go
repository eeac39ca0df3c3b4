package tui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
)

// This file is the facilitator's tools for two hours and twenty people:
// the agenda and its pace, the order of work that n follows, the timer
// whose duration t asks, the turnout panel and the raised hands, the
// results, the sealing of the unanimous links, and the source of a passage.
// Like the rest of Update, nothing here does I/O.

// askKind is the question a one-line input answers (modeAsk).
type askKind int

const (
	askTimer askKind = iota + 1
	askAgenda
	askUnanimous
)

// workOrder is the order in which n takes the pending links: its index
// in review.Orders.
type workOrder int

const (
	orderList     workOrder = iota // the list's order: by criterion
	orderConflict                  // disagreements first
	orderDoubt                     // the least confident first
	orderPicked                    // the links marked with *, in the order marked
	orderCount
)

// agendaTickMsg redraws the agenda line: its time left changes by itself.
type agendaTickMsg struct{}

// agendaEvery is how often the agenda line is drawn again while nothing
// else happens: it shows minutes.
const agendaEvery = 15 * time.Second

// ask opens the one-line question of kind, with its default answer.
func (m *Model) ask(kind askKind, value string) tea.Cmd {
	m.mode, m.asking, m.formErr = modeAsk, kind, ""
	cmd := m.openInput("› ", 40)
	m.input.SetValue(value)
	m.input.CursorEnd()
	return cmd
}

// keyAsk handles the keys of a question: Enter answers it.
func (m *Model) keyAsk(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.mode, m.input, m.formErr = modeBrowse, nil, ""
		return nil
	case key.Matches(msg, k.Confirm):
		return m.answer(strings.TrimSpace(m.input.Value()))
	}
	var cmd tea.Cmd
	*m.input, cmd = m.input.Update(msg)
	return cmd
}

// answer acts on the answer to the question asked; a bad answer keeps the
// question open with one sentence.
func (m *Model) answer(v string) tea.Cmd {
	switch m.asking {
	case askTimer:
		d, ok := parseDuration(v, time.Minute)
		if !ok || d <= 0 || d > 24*time.Hour {
			m.formErr = m.t.ErrTimerValue
			return nil
		}
		p := m.currentProposal()
		m.mode, m.input, m.formErr = modeBrowse, nil, ""
		if p == nil {
			return nil
		}
		return m.doCmd(action{kind: review.KindTimerStarted, info: fmt.Sprintf(m.t.TimerStarted, m.clockLeft(d))},
			review.TimerData{Proposal: p.ID, Seconds: int(d / time.Second)})
	case askAgenda:
		now := m.opts.Now()
		m.mode, m.input, m.formErr = modeBrowse, nil, ""
		if v == "" {
			return m.setAgenda(m.t.AgendaCleared, func(a *review.AgendaData) {
				a.End, a.Start, a.Decided = time.Time{}, time.Time{}, 0
			})
		}
		end, ok := parseEnd(v, now)
		if !ok {
			m.mode, m.formErr = modeAsk, m.t.ErrAgendaValue
			m.openInput("› ", 40)
			m.input.SetValue(v)
			return nil
		}
		decided := m.snap.State.Decided()
		return tea.Batch(m.setAgenda(fmt.Sprintf(m.t.AgendaSet, end.In(m.cm.Loc).Format("15:04")), func(a *review.AgendaData) {
			a.End, a.Start, a.Decided = end, now, decided
		}), m.agendaTick())
	case askUnanimous:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			m.formErr = m.t.ErrUnanimousValue
			return nil
		}
		m.input, m.formErr = nil, ""
		m.unanMin, m.unanimous = n, m.unanimousLinks(n)
		if len(m.unanimous) == 0 {
			m.mode = modeBrowse
			m.setInfo(fmt.Sprintf(m.t.UnanimousNone, n))
			return nil
		}
		m.mode = modeConfirm
		return nil
	}
	m.mode, m.input = modeBrowse, nil
	return nil
}

// parseDuration reads "3" (in unit), "2:30", "90s", "5min", "1h30".
func parseDuration(s string, unit time.Duration) (time.Duration, bool) {
	s = strings.TrimSuffix(strings.ToLower(strings.ReplaceAll(s, " ", "")), "in")
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * unit, true
	}
	if a, b, ok := strings.Cut(s, ":"); ok {
		mi, err1 := strconv.Atoi(a)
		se, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil || se < 0 || se > 59 || mi < 0 {
			return 0, false
		}
		return time.Duration(mi)*time.Minute + time.Duration(se)*time.Second, true
	}
	if a, b, ok := strings.Cut(s, "h"); ok && b != "" {
		if _, err := strconv.Atoi(b); err == nil {
			s = a + "h" + b + "m" // "1h30" is an hour and thirty minutes
		}
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}

// parseEnd reads the session's end: a time of day ("16:30", "16h30") today,
// or a length from now ("90", "1h30", "2h").
func parseEnd(s string, now time.Time) (time.Time, bool) {
	t := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	for _, sep := range []string{":", "h"} {
		if a, b, ok := strings.Cut(t, sep); ok && len(b) == 2 {
			hh, err1 := strconv.Atoi(a)
			mm, err2 := strconv.Atoi(b)
			if err1 == nil && err2 == nil && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && len(a) <= 2 && (sep == ":" || hh >= 8) {
				end := time.Date(now.Year(), now.Month(), now.Day(), hh, mm, 0, 0, now.Location())
				if !end.After(now) {
					return time.Time{}, false
				}
				return end, true
			}
		}
	}
	d, ok := parseDuration(t, time.Minute)
	if !ok || d <= 0 || d > 24*time.Hour {
		return time.Time{}, false
	}
	return now.Add(d), true
}

// agendaNow is the room's agenda in force (agenda.set), nil before any:
// it is in the trace, so that a facilitator who reconnects, or a server
// that restarts, finds it again.
func (m *Model) agendaNow() *review.AgendaData {
	if m.agendaSent != nil {
		return m.agendaSent
	}
	if m.snap == nil {
		return nil
	}
	return m.snap.State.Agenda
}

// workOrder is the order of work in force.
func (m *Model) workOrder() workOrder {
	if a := m.agendaNow(); a != nil {
		if i := slices.Index(review.Orders, a.Order); i >= 0 {
			return workOrder(i)
		}
	}
	return orderList
}

// picks are the links picked with *, in the order picked.
func (m *Model) picks() []string {
	if a := m.agendaNow(); a != nil {
		return a.Picks
	}
	return nil
}

// setAgenda records the agenda in force as change leaves it, whole
// (agenda.set), and says info once it is recorded.
func (m *Model) setAgenda(info string, change func(a *review.AgendaData)) tea.Cmd {
	a := review.AgendaData{Order: review.Orders[orderList]}
	if cur := m.agendaNow(); cur != nil {
		a = *cur
		a.Picks = slices.Clone(cur.Picks)
	}
	change(&a)
	m.agendaSent = &a
	m.agendaPending++
	return m.doCmd(action{kind: review.KindAgendaSet, info: info}, a)
}

// agendaTick schedules the next drawing of the agenda line.
func (m *Model) agendaTick() tea.Cmd {
	if a := m.agendaNow(); m.agendaTicking || !m.isFacilitator() || a == nil || a.End.IsZero() {
		return nil
	}
	m.agendaTicking = true
	return tea.Tick(agendaEvery, func(time.Time) tea.Msg { return agendaTickMsg{} })
}

// agendaText is the facilitator's agenda line: the time left, the links
// left, the pace ("à ce rythme : 28 liens sur 40") and the order of work;
// "" without an agenda.
func (m *Model) agendaText() string {
	a := m.agendaNow()
	if a == nil || a.End.IsZero() || m.snap == nil {
		return ""
	}
	st := m.snap.State
	now := m.opts.Now()
	total, decided := len(st.Proposals), st.Decided()
	left := a.End.Sub(now)
	var parts []string
	if left <= 0 {
		parts = append(parts, "⏱ "+m.t.AgendaOver)
	} else {
		parts = append(parts, "⏱ "+fmt.Sprintf(m.t.AgendaLeft, m.hoursMinutes(left)))
	}
	parts = append(parts, m.t.Count(total-decided, m.t.AgendaLink, m.t.AgendaLinks))
	done, spent := decided-a.Decided, now.Sub(a.Start)
	switch {
	case left <= 0:
	case done > 0 && spent >= time.Minute:
		at := decided + int(float64(done)*left.Minutes()/spent.Minutes())
		parts = append(parts, fmt.Sprintf(m.t.Form(min(at, total), m.t.AgendaPaceOne, m.t.AgendaPace), min(at, total), total))
	default:
		parts = append(parts, m.t.AgendaNoPace)
	}
	parts = append(parts, m.t.OrderLabel+m.t.Colon+m.orderWord(m.workOrder()))
	return strings.Join(parts, " · ")
}

// hoursMinutes writes a duration as "1 h 05" or "12 min".
func (m *Model) hoursMinutes(d time.Duration) string {
	mins := int((d + time.Minute - 1) / time.Minute)
	if mins < 60 {
		return fmt.Sprintf(m.t.Minutes, mins)
	}
	return fmt.Sprintf(m.t.HoursMinutes, mins/60, mins%60)
}

func (m *Model) orderWord(o workOrder) string {
	return [...]string{m.t.OrderList, m.t.OrderConflict, m.t.OrderDoubt, m.t.OrderPicked}[o]
}

// nextOrdered is the facilitator's n in the order of work (other than the
// list's, which is the list's n): the first pending link of that order
// that n has not passed over yet.
func (m *Model) nextOrdered() tea.Cmd {
	if len(m.visible) == 0 {
		m.setInfo(m.t.NoNextPending)
		return nil
	}
	st := m.snap.State
	if m.passed == nil {
		m.passed = map[string]bool{}
	}
	order, marks := m.workOrder(), m.picks()
	var seq []int // indexes in m.visible
	for i, pi := range m.visible {
		p := st.Proposals[pi]
		if p.Status != review.Pending && p.ID != m.current {
			continue
		}
		if order == orderPicked && !slices.Contains(marks, p.ID) && p.ID != m.current {
			continue
		}
		seq = append(seq, i)
	}
	key := func(i int) float64 {
		p := st.Proposals[m.visible[i]]
		switch order {
		case orderConflict:
			if m.conflictShown(p) {
				return 0
			}
			return 1
		case orderDoubt:
			return p.Confidence
		case orderPicked:
			if j := slices.Index(marks, p.ID); j >= 0 {
				return float64(j)
			}
			return -1
		}
		return 0
	}
	slices.SortStableFunc(seq, func(a, b int) int {
		ka, kb := key(a), key(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return a - b
	})
	// The first pending link of the order that n has not passed over
	// yet: decided links leave the order by themselves, and a link left
	// undecided comes back once the others were seen.
	cur := st.Proposals[m.visible[m.cursor]].ID
	m.passed[cur] = true
	for round := 0; round < 2; round++ {
		for _, i := range seq {
			p := st.Proposals[m.visible[i]]
			if i != m.cursor && p.Status == review.Pending && !m.passed[p.ID] {
				return m.userMove(i)
			}
		}
		clear(m.passed)
		m.passed[cur] = true
	}
	if order == orderPicked {
		m.setInfo(m.t.NoNextPicked)
	} else {
		m.setInfo(m.t.NoNextPending)
	}
	return nil
}

// toggleMark is * : the link on screen joins or leaves the hand-picked
// order of work, recorded in the agenda.
func (m *Model) toggleMark(id string) tea.Cmd {
	marks := m.picks()
	if i := slices.Index(marks, id); i >= 0 {
		return m.setAgenda(m.t.Unmarked, func(a *review.AgendaData) { a.Picks = slices.Delete(a.Picks, i, i+1) })
	}
	return m.setAgenda(fmt.Sprintf(m.t.Marked, len(marks)+1), func(a *review.AgendaData) { a.Picks = append(a.Picks, id) })
}

// roomTimer is the room's timer: the latest started, on whichever link,
// so that it stays on every screen when the facilitator moves on. nil
// when no timer was ever started.
func (m *Model) roomTimer() *review.ProposalState {
	if m.snap == nil {
		return nil
	}
	st := m.snap.State
	if m.vc.timerState == st {
		return m.vc.timerOut
	}
	var out *review.ProposalState
	for _, p := range st.Proposals {
		if p.Timer != nil && (out == nil || p.Timer.Start.After(out.Timer.Start)) {
			out = p
		}
	}
	m.vc.timerState, m.vc.timerOut = st, out
	return out
}

// timerEnded tells this screen, once, that the room's timer ran out: on
// every screen, not only the wall. A timer that ended long ago (a screen
// that joins later) is not news.
func (m *Model) timerEnded() {
	p := m.roomTimer()
	if p == nil {
		return
	}
	t := p.Timer
	now := m.opts.Now()
	ran := t.Stopped.IsZero() && !t.Running(now) || t.Reason == review.TimerElapsed
	if !ran || now.Sub(t.Ends()) > 2*time.Minute {
		return
	}
	k := p.ID + t.Start.String()
	if m.told == nil {
		m.told = map[string]bool{}
	}
	if m.told[k] {
		return
	}
	m.told[k] = true
	m.setNotice(fmt.Sprintf(m.t.TimerEnded, m.linkNumber(p.ID)), noticeRoom)
}

// linkNumber is a link's place in the session, from 1.
func (m *Model) linkNumber(id string) int {
	for i, p := range m.snap.State.Proposals {
		if p.ID == id {
			return i + 1
		}
	}
	return 0
}

// raiseHand is h: a participant raises or lowers their hand, an event of
// the trace (hand.raised, hand.lowered).
func (m *Model) raiseHand() tea.Cmd {
	if !m.joined || m.opts.Actor.Role != review.Participant || m.snap == nil {
		return nil
	}
	up := !m.snap.State.Hand(m.opts.Actor)
	if m.handSent != nil {
		up = !*m.handSent
	}
	m.handSent = &up
	if !up {
		return m.doCmd(action{kind: review.KindHandLowered, info: m.t.HandDown}, review.HandData{})
	}
	return m.doCmd(action{kind: review.KindHandRaised, info: m.t.HandUp}, review.HandData{})
}

// hands are the names of the participants online with a raised hand
// (review.State.Hands): a hand of someone who is not here is not shown.
func hands(st *review.State, online []session.Presence) []string {
	if len(st.Hands) == 0 {
		return nil
	}
	var out []string
	for _, a := range session.OnlineParticipants(online) {
		if st.Hand(a) {
			out = append(out, sanitize.Line(a.Name))
		}
	}
	return out
}

// unanimousLinks are the open links on which every participant who voted
// agrees, at least n of them (review.ProposalState.Unanimous). They are
// counted on the hub's newest state, not the screen's: the hub wakes a
// screen only for the links it displays (session.Subscription.Show), so
// the screen may not hold the latest votes on the others. Reading the
// newest snapshot is a load, not I/O.
func (m *Model) unanimousLinks(n int) []string {
	st := m.snap.State
	if m.hub != nil {
		st = m.hub.Snapshot().State
	}
	var out []string
	for _, p := range st.Proposals {
		if p.Sealed {
			continue
		}
		if _, ok := p.Unanimous(n); ok {
			out = append(out, p.ID)
		}
	}
	return out
}

// keyConfirm is the question before sealing the unanimous links: y seals
// each of them, one event each, as if sealed one by one.
func (m *Model) keyConfirm(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Yes):
		m.mode = modeBrowse
		return m.sealUnanimous()
	case key.Matches(msg, m.keys.No):
		m.mode, m.unanimous = modeBrowse, nil
	}
	return nil
}

// sealUnanimous seals the links counted when the facilitator was asked,
// each with the verdict its votes agree on, checked again at the hub: a
// link that changed since (a new vote, another's seal) is left open.
func (m *Model) sealUnanimous() tea.Cmd {
	ids, n, t := m.unanimous, m.unanMin, m.t
	m.unanimous = nil
	m.pending++
	h, ctx, actor := m.hub, m.ctx, m.opts.Actor
	return m.inOrder(func() tea.Msg {
		sealed := 0
		var failed error
		for _, id := range ids {
			p, ok := h.Snapshot().State.Proposal(id)
			if !ok || p.Sealed {
				continue
			}
			v, ok := p.Unanimous(n)
			if !ok {
				continue
			}
			data := review.VoteData{Proposal: id, Verdict: v.Verdict, Reason: v.Reason, Note: v.Note, Version: 1}
			switch v.Verdict {
			case review.Reject:
				data.Version = 0
			case review.Rephrase:
				data.Version = v.Version
			}
			cctx, cancel := context.WithTimeout(ctx, actionTimeout)
			_, err := h.Do(cctx, actor, review.KindDecisionMade, data)
			cancel()
			if err != nil {
				failed = err
				continue
			}
			sealed++
		}
		return actionMsg{act: action{kind: review.KindDecisionMade, info: t.Count(sealed, t.UnanimousSealed1, t.UnanimousSealed)}, err: failed, snap: h.Snapshot()}
	})
}
