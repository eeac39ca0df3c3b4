package tui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
)

// Exposure is research data: for each person and each proposal, every
// interval it was on their screen, and whether they were active (a key
// within idleAfter) or idle. The screen keeps the open interval and writes
// it as one exposure.recorded event when it ends: another proposal comes
// on screen, the person goes idle or comes back, a pane covers it, the
// screen closes. While the same proposal stays, a checkpoint closes the
// interval at the multiples of checkpointEvery of the clock (hh:mm:00,
// :15, :30, :45) once it is checkpointEvery-checkpointSlack old, so that a
// crash loses at most 15 s of a screen that stays put (29 s just after a
// change). Every screen cuts at the same instants: the hub gathers their
// intervals for session.RecordEvery into one write, where checkpoints at
// each screen's own times cost a transaction each. The events go to the
// hub in commands that no key waits for.
const (
	idleAfter       = 60 * time.Second
	checkpointEvery = 15 * time.Second
	// checkpointSlack is how much younger than checkpointEvery an interval
	// may be and still be cut at a tick: an interval a checkpoint opened
	// is cut at the next one even if the program took the first tick a
	// little late, so that intervals do not run to 30 s by chance.
	checkpointSlack = time.Second
)

// deriveFollowers lets the room's moves end the followers' intervals in
// the fold (rideSync). Off, every screen writes every interval itself, as
// before: the test that the two give the same intervals turns it off.
var deriveFollowers = true

// exposure is the open interval of this screen. mu guards it for Flush,
// which runs after the program has ended; inside the program only Update
// touches it.
type exposure struct {
	mu        sync.Mutex
	proposal  string // "" when nothing is open
	from      time.Time
	state     string
	following bool
	lastKey   time.Time
	// told is the open interval as the trace's fold knows it
	// (review.Exposures): while it follows the room, a move of the room
	// ends it there, and this screen writes nothing.
	told review.Following
	// tail is closed once the last exposure write asked for is done: the
	// fold reads this screen's exposure events in the order the screen
	// wrote them, so each write waits for the one before (ordered).
	tail chan struct{}
}

type (
	exposureTickMsg struct{}
	exposureMsg     struct{ err error }
)

// records reports whether this screen records exposure: a participant's or
// a facilitator's who joined. A spectator (a projector, or someone who
// declined consent) records nothing beyond joining and leaving.
func (m *Model) records() bool {
	r := m.opts.Actor.Role
	return m.joined && (r == review.Participant || r == review.Facilitator)
}

// covered reports whether a pane hides the proposal.
func (m *Model) covered() bool {
	switch m.mode {
	case modeHelp, modeWhy, modeParked, modeConsent, modePicker:
		return true
	}
	return false
}

// close ends the open interval at t for reason end, and returns it; ok is
// false when there was none (or an empty one).
func (x *exposure) close(t time.Time, end string) (review.Exposure, bool) {
	if x.proposal == "" {
		return review.Exposure{}, false
	}
	e := review.Exposure{Proposal: x.proposal, From: x.from, To: t, State: x.state, End: end, Following: x.following}
	x.proposal = ""
	if !t.After(e.From) {
		return e, false
	}
	return e, true
}

// reset forgets the open interval without writing it.
func (x *exposure) reset() {
	x.mu.Lock()
	x.proposal = ""
	x.mu.Unlock()
}

func (x *exposure) open(id string, t time.Time, state string, following bool) {
	x.proposal, x.from, x.state, x.following = id, t, state, following
}

// stateAt is active when the last key is recent.
func (x *exposure) stateAt(t time.Time) string {
	if !x.lastKey.IsZero() && t.Sub(x.lastKey) < idleAfter {
		return review.ExposureActive
	}
	return review.ExposureIdle
}

// exposureSeen brings the open interval up to what the screen shows now:
// a new proposal, a pane over it, a change of following. It returns the
// command writing the interval that ended, if any.
func (m *Model) exposureSeen() tea.Cmd {
	if !m.records() {
		return nil
	}
	now := m.opts.Now()
	want := m.current
	if m.covered() {
		want = ""
	}
	following := m.following() || m.leading()
	x := &m.exp
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.proposal == want && (want == "" || x.following == following) {
		return nil
	}
	if x.told.Proposal != "" && x.told.Proposal == x.proposal && x.following && following && m.snap != nil && want == m.snap.State.Room.Proposal {
		r := m.snap.State.Room
		// The room moved and this screen with it: the fold ends the
		// interval at the move, from the move alone, and opens the next
		// one there. One event per move, not one per follower.
		x.told, _, _ = x.told.Moved(want, r.Since)
		x.open(want, x.told.From, x.told.State, true)
		return nil
	}
	end := review.EndMoved
	if want == "" {
		end = review.EndPane
	}
	e, ok := x.close(now, end)
	if want != "" {
		if x.lastKey.IsZero() {
			// Coming in is the first act: the first interval is active.
			x.lastKey = now
		}
		x.open(want, now, x.stateAt(now), following)
	}
	if !ok {
		return nil
	}
	return m.exposureCmd(e)
}

// keyPressed notes a key: an idle interval ends and an active one begins.
func (m *Model) keyPressed() tea.Cmd {
	now := m.opts.Now()
	x := &m.exp
	x.mu.Lock()
	defer x.mu.Unlock()
	wasIdle := x.proposal != "" && x.state == review.ExposureIdle
	x.lastKey = now
	if !wasIdle || !m.records() {
		return nil
	}
	id, following := x.proposal, x.following
	e, ok := x.close(now, review.EndActive)
	x.open(id, now, review.ExposureActive, following)
	if !ok {
		return nil
	}
	return m.exposureCmd(e)
}

// exposureTick arms the next check of the open interval, at the next
// multiple of checkpointEvery of the system clock: the same instant on
// every screen.
func (m *Model) exposureTick() tea.Cmd {
	if !m.records() {
		return nil
	}
	return tea.Every(checkpointEvery, func(time.Time) tea.Msg { return exposureTickMsg{} })
}

// exposureTicked ends an active interval idleAfter after the last key (an
// idle one begins then), writes a checkpoint of an interval at least
// checkpointEvery-checkpointSlack old, and arms the next tick.
func (m *Model) exposureTicked() tea.Cmd {
	if !m.records() {
		return nil
	}
	now := m.opts.Now()
	x := &m.exp
	x.mu.Lock()
	var cmds []tea.Cmd
	if x.proposal != "" {
		id, following := x.proposal, x.following
		if x.state == review.ExposureActive && now.Sub(x.lastKey) >= idleAfter {
			at := x.lastKey.Add(idleAfter)
			if at.Before(x.from) {
				at = x.from
			}
			if e, ok := x.close(at, review.EndIdle); ok {
				cmds = append(cmds, m.exposureCmd(e))
			}
			x.open(id, at, review.ExposureIdle, following)
		}
		if now.Sub(x.from) >= checkpointEvery-checkpointSlack {
			state := x.state
			if e, ok := x.close(now, review.EndCheckpoint); ok {
				cmds = append(cmds, m.exposureCmd(e))
			}
			x.open(id, now, state, following)
		}
	}
	x.mu.Unlock()
	cmds = append(cmds, m.exposureTick())
	return tea.Batch(cmds...)
}

// exposureCmd writes one interval through the hub. It waits for this
// screen's earlier exposure writes only (ordered), not for its other calls
// (inOrder), and none of those waits for it: a slow disk must never delay a
// key. m.exp.mu is held, or the program has ended.
func (m *Model) exposureCmd(e review.Exposure) tea.Cmd {
	h, ctx, actor := m.hub, m.ctx, m.opts.Actor
	if h == nil {
		return nil
	}
	m.exp.told = m.exp.told.Recorded(e)
	return m.exp.ordered(func() error {
		cctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		_, err := h.Do(cctx, actor, review.KindExposure, e)
		return err
	})
}

// ordered is the command that runs write once the exposure write asked
// for before it is done (chained). x.mu is held, or Update is running.
func (x *exposure) ordered(write func() error) tea.Cmd {
	return chained(&x.tail, func() tea.Msg { return exposureMsg{write()} })
}

// exposureFlushCmd closes the open interval for reason end and returns the
// command that writes it.
func (m *Model) exposureFlushCmd(end string) tea.Cmd {
	if !m.records() {
		return nil
	}
	x := &m.exp
	x.mu.Lock()
	e, ok := x.close(m.opts.Now(), end)
	x.mu.Unlock()
	if !ok {
		return nil
	}
	return m.exposureCmd(e)
}

// Flush writes the last exposure interval of a screen whose program ended
// without quitting through its own keys (the connection dropped, the
// server stopped it). Call it after the program has returned, before
// Seat.Leave; it does nothing if the interval was already written.
func (m *Model) Flush(ctx context.Context) {
	if !m.records() {
		return
	}
	x := &m.exp
	x.mu.Lock()
	e, ok := x.close(m.opts.Now(), review.EndLeft)
	x.mu.Unlock()
	if !ok {
		return
	}
	cctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	_, _ = m.hub.Do(cctx, m.opts.Actor, review.KindExposure, e)
}

// paneOpened records that this person opened a pane (why, help, the
// versions, the parked links): what people chose to look at is research
// data too.
func (m *Model) paneOpened(name string) tea.Cmd {
	cmds := []tea.Cmd{m.exposureSeen()}
	if m.records() {
		h, ctx, actor, id := m.hub, m.ctx, m.opts.Actor, m.current
		cmds = append(cmds, func() tea.Msg {
			cctx, cancel := context.WithTimeout(ctx, actionTimeout)
			defer cancel()
			_, err := h.Do(cctx, actor, review.KindPaneOpened, review.PaneData{Pane: name, Proposal: id})
			return exposureMsg{err}
		})
	}
	return tea.Batch(cmds...)
}

const (
	paneHelp = "help"
	paneWhy  = "why"
)

// rideSync tells the trace, with exposure.following, when this screen's
// open interval starts or stops following the room in step, so that the
// fold can end it at the room's next move (review.Exposures): a follower
// in the room's link, with no pane over it and no panel that would keep it
// there when the room moves. It runs after every Update and writes only
// when the fold's idea of the interval (told) would differ from the
// screen's: at a follower's arrival, a panel, a pane, a change between
// active and idle that wrote no interval.
func (m *Model) rideSync() tea.Cmd {
	if !deriveFollowers || !m.records() || m.hub == nil || m.snap == nil {
		return nil
	}
	x := &m.exp
	x.mu.Lock()
	defer x.mu.Unlock()
	var want review.Following
	if x.proposal != "" && x.following && m.following() && !m.covered() && (m.mode == modeBrowse || m.mode == modeQuit) &&
		x.proposal == m.snap.State.Room.Proposal {
		want = review.Following{Proposal: x.proposal, From: x.from, State: x.state}
	}
	if want.Proposal == x.told.Proposal && want.State == x.told.State && want.From.Equal(x.told.From) {
		return nil
	}
	d := review.ExposureFollowing{Proposal: want.Proposal, From: want.From, State: want.State, Follows: true}
	if want.Proposal == "" {
		d = review.ExposureFollowing{Proposal: x.told.Proposal, From: x.told.From, State: x.told.State}
	}
	x.told = want
	h, ctx, actor := m.hub, m.ctx, m.opts.Actor
	return x.ordered(func() error {
		cctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		_, err := h.Do(cctx, actor, review.KindExposureFollowing, d)
		return err
	})
}
