// Package tui is Revue's review screen: the passage, the criterion and the
// proposed link side by side, the votes of the people in the room, and the
// keys to accept, reject, rephrase, comment or create links.
//
// One root Model owns the only `switch msg.(type)`; the panes are plain
// functions that render a string for a width and a height. Update does no
// I/O: every call to the session's hub runs in a tea.Cmd that reports back
// with a typed message, so that a slow disk never freezes a screen and an
// action is shown as done only once the hub has made it durable.
package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/i18n"
	"github.com/coopdescommuns/revue/tui/pane"
	"github.com/coopdescommuns/revue/tui/theme"
)

// Options are what the caller knows about the screen it opens.
type Options struct {
	Hub      *session.Hub      // the session; nil shows a session picker fed by Registry
	Registry *session.Registry // for the picker (List, Open); may be nil when Hub is set
	Seat     *session.Seat     // filled (Seat.Take) when this screen joins a hub; the caller calls Seat.Leave when the program ends
	Actor    review.Actor      // who is at this screen, with their role
	Lang     string            // "fr" or "en"
	Terminal string            // "local" or "ssh", recorded on join
	Now      func() time.Time  // nil means time.Now; tests pin it
	// Notice is shown in the status line until the first action: on the
	// facilitator's projected screen, how to join.
	Notice string
	// Card is how to join (commands, fingerprint, and for a facilitator
	// the passcode): `J` shows it, and the wall shows it until the first
	// vote or decision. nil: no card (no server).
	Card *session.JoinCard
	// Refused is the SSH server's count of refused joins, shown discreetly
	// on a facilitator's screen (the log says each one); nil when this
	// screen serves nobody (review without --listen), which its quit
	// question then does not pretend.
	Refused func() int64
	// Environ is the client's environment, when the caller has it (the SSH
	// server does). NO_COLOR there turns colours off from the first frame;
	// the program's tea.EnvMsg does the same a moment later. The server's
	// own environment is never read: over SSH it is somebody else's.
	// COLORFGBG there says the background when Theme does not.
	Environ []string
	// Theme is "dark" or "light" to choose the palette (--theme), or ""
	// to take the background from the client's COLORFGBG, else from the
	// terminal's answer to the background query. tmux and many projectors
	// never answer that query, and the dark palette on a white wall is
	// unreadable.
	Theme string
}

// Minimum size of a usable screen; below it the screen asks to be enlarged
// rather than show a broken layout.
const (
	minWidth  = 60
	minHeight = 16
)

// actionTimeout bounds one hub call: a store that hangs must not leave a
// person waiting forever with "saving…" on screen.
const actionTimeout = 30 * time.Second

type mode int

const (
	modeBrowse mode = iota
	modePicker
	modeHelp
	modeWhy
	modeFilter
	modeReason
	modeReasonOther
	modeEdit
	modeComment
	modeCreatePick
	modeCreateStatement
	modeCreateQuote
	modeQuit            // the facilitator's quit, waiting for yes or no
	modeVersions        // the facilitator's picker of the wording to seal
	modeVersionsOutcome // the same, writing the outcome sentence
	modeParked          // the list of parked links
	modeConsent         // the consent text, before anything else
	modeAsk             // a one-line question of the facilitator's tools (Model.asking)
	modeConfirm         // sealing the unanimous links, waiting for yes or no
	modeTurnout         // who has and has not voted on the link
	modeResults         // what the room decided so far
	modeSource          // the passage in its document
	modeCard            // the join card (J)
)

// filter narrows the list of proposals; an empty field lets everything
// through.
type filter struct {
	criterion string
	document  string
	status    review.Status
	origin    string
	conflict  string // "1": only the links people disagree on
}

// Model is the review screen of one person. It implements tea.Model; use it
// through a pointer.
type Model struct {
	opts Options
	// cardPass: the facilitator asked to see the passcode on the card.
	cardPass bool
	wall     wall // the projector's view, for a spectator's screen
	t        *i18n.Text
	keys     *KeyMap // shared (keysFor): nobody may modify it
	// st is shared with every screen of the same background and colour
	// (theme.Shared): nobody may modify it.
	st *theme.Styles
	cm pane.Common // what the panes draw with: t, st and the snapshot's state
	// helpWidth is the width the key help is laid out in (see helpModel).
	helpWidth int

	dark, noColor bool
	// fixedBg says that Options.Theme or COLORFGBG chose the background:
	// the terminal's answer no longer changes it.
	fixedBg       bool
	width, height int

	ctx       context.Context
	quit      chan struct{}
	closeOnce sync.Once
	lastCall  chan struct{} // closed when the last hub call issued has run

	// The session, once joined.
	hub    *session.Hub
	sub    *session.Subscription
	conn   uint64
	joined bool
	snap   *session.Snapshot

	// The picker, when the screen starts without a hub.
	sessions   []string
	pickIdx    int
	pickLoaded bool
	opening    bool // a session is being opened: one Enter joins once

	// The list and the proposal on screen.
	filter    filter
	visible   []int // indexes in snap.State.Proposals that pass the filter
	cursor    int
	current   string
	shownAt   time.Time
	scroll    int // first passage line shown; -1 puts the quote in view
	focusSent string
	// drawn is the last view; quiet says that the message since changed
	// nothing on screen. Bubble Tea asks for a view after every message,
	// and a screen writes an exposure at nearly every move and checks its
	// interval every 15 s.
	drawn     *tea.View
	quiet     bool
	ridesSent bool   // what the hub was last told of riding (session.Hub.Look)
	roomSeen  string // the room's link when the presence was last checked
	pv        *pane.PassageView
	passRows  int    // passage lines the last render had room for, for paging
	hint      string // the key hints, drawn once per size and colours
	vc        viewCache

	// Panels.
	mode      mode
	draft     filter
	filterRow int
	reasonIdx int
	// The inputs and the why panel exist only while open: kept in every
	// idle screen they would weigh more than the rest of it (a textarea
	// allocates 240 KB, a text input holds 8 KB of styles).
	editor  *textarea.Model
	input   *textinput.Model // the comment, another reason, or a quote
	why     *viewport.Model
	critIdx int
	newText string
	formErr string

	// The workshop. follow says that this screen goes where the room's
	// leader goes (participants and spectators; a move breaks away). held
	// is the link on screen, kept in the list when a filter would drop it:
	// a filter never takes the floor from under the reader.
	follow     bool
	held       string
	beforeQuit mode     // the mode the quit question interrupted
	verIdx     int      // the version chosen in the picker
	parkIdx    int      // the row chosen in the list of parked links
	parkedIDs  []string // the parked links, as the list showed them
	consentAt  int      // the first line of the consent text shown
	ticking    bool     // a timer tick is armed
	elapsed    map[string]bool
	exp        exposure
	draftSent  session.Draft  // the last draft given to the hub
	laterDraft *session.Draft // a draft of a reconnection, waiting for its link

	// The facilitator's tools (tools.go).
	asking        askKind
	agendaTicking bool
	// agendaSent is the agenda this screen last recorded, while
	// agendaPending of its records are on their way: a second * or O
	// pressed before the first is folded builds on it, not on the
	// snapshot that does not have it yet. handSent is the same for h.
	agendaSent    *review.AgendaData
	agendaPending int
	handSent      *bool
	passed        map[string]bool // the links n passed over in the order of work
	unanimous     []string        // the links to seal, as counted when asked
	unanMin       int
	told          map[string]bool // the timers whose end this screen told
	sheet         *viewport.Model // the turnout, results or source panel's text
	sheetFor      string          // the link or state the sheet was filled for
	// screenBlind: the facilitator hid the verdicts on their own screen
	// (B), to project it, until each link is revealed.
	screenBlind bool

	// Feedback.
	pending   int
	status    string
	statusErr bool
	// noticeAbout is the link a notice of someone else's act speaks of,
	// or noticeRoom; "" for the screen's own messages.
	noticeAbout string
	fatal       string
}

// New builds the screen. It does nothing yet: joining the session happens
// in Init, in a command, like every other call to the hub.
func New(o Options) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Terminal == "" {
		o.Terminal = "local"
	}
	m := &Model{
		opts:   o,
		t:      i18n.For(o.Lang),
		dark:   true,
		ctx:    context.Background(),
		quit:   make(chan struct{}),
		scroll: -1,
		hub:    o.Hub,
		follow: o.Actor.Role != review.Facilitator,
	}
	m.cm = pane.Common{T: m.t, Loc: o.Now().Location()}
	m.keys = keysFor(m.t, o.Actor.Role)
	m.noColor = tea.EnvMsg(o.Environ).Getenv("NO_COLOR") != ""
	m.dark, m.fixedBg = background(o.Theme, tea.EnvMsg(o.Environ).Getenv("COLORFGBG"))
	m.restyle()
	if o.Notice != "" {
		m.setInfo(sanitize.Line(o.Notice))
	}
	if m.hub != nil {
		m.snap = m.hub.Snapshot()
		m.cm.State = m.snap.State
		m.refresh()
	} else {
		m.mode = modePicker
	}
	return m
}

// Messages that commands send back to Update.
type (
	joinedMsg struct {
		hub   *session.Hub
		sub   *session.Subscription
		conn  uint64
		snap  *session.Snapshot
		draft *session.Draft // what this person was writing when they left, if anything
		err   error
	}
	snapshotMsg struct{ snap *session.Snapshot }
	leftMsg     struct{}
	sessionsMsg struct {
		names []string
		err   error
	}
	openedMsg struct {
		hub  *session.Hub
		snap *session.Snapshot
		err  error
	}
	actionMsg struct {
		act     action
		err     error
		snap    *session.Snapshot
		undone  bool   // for an undo: whether there was something to undo
		created string // for a new link: its ID
	}
)

// action is what a person asked for, kept to say what happened afterwards.
type action struct {
	kind     review.Kind
	verdict  review.Verdict
	undo     bool
	next     bool   // move to the next proposal once recorded (skip)
	proposal string // the proposal acted on (for an undo: the one it touched)
	info     string // what to say once it is recorded, when the kind does not tell
}

// Init joins the session (or lists the sessions for the picker) and asks the
// client's terminal for its background colour.
func (m *Model) Init() tea.Cmd {
	if m.hub != nil {
		return tea.Batch(tea.RequestBackgroundColor, m.joinCmd(m.hub))
	}
	if m.opts.Registry == nil {
		m.fatal = m.t.NoSession
		return tea.RequestBackgroundColor
	}
	return tea.Batch(tea.RequestBackgroundColor, m.listCmd())
}

// joinCmd subscribes before joining, so that no revision after the join can
// be missed, and takes the seat at once: if the connection drops before
// Update ever sees the join, the caller's Seat.Leave still records the
// departure.
func (m *Model) joinCmd(h *session.Hub) tea.Cmd {
	ctx, actor, terminal, seat := m.ctx, m.opts.Actor, m.opts.Terminal, m.opts.Seat
	return func() tea.Msg {
		sub := h.Subscribe()
		cctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		conn, err := h.Join(cctx, actor, terminal)
		if err != nil {
			sub.Close()
			return joinedMsg{err: err}
		}
		if seat != nil {
			seat.Take(h, conn)
		}
		msg := joinedMsg{hub: h, sub: sub, conn: conn, snap: h.Snapshot()}
		if d, ok := h.Draft(actor.Key()); ok {
			msg.draft = &d
		}
		return msg
	}
}

// waitCmd blocks until the hub has a new revision, then reports the newest
// snapshot; Update re-arms it. It also ends when the screen quits, or when
// this connection is no longer online (the caller's Seat.Leave after the
// program ended), so that no goroutine or subscription outlives the screen.
func (m *Model) waitCmd() tea.Cmd {
	h, sub, conn, quit := m.hub, m.sub, m.conn, m.quit
	return func() tea.Msg {
		select {
		case <-sub.C:
			snap := h.Snapshot()
			if !slices.ContainsFunc(snap.Online, func(p session.Presence) bool { return p.Conn == conn }) {
				sub.Close()
				return leftMsg{}
			}
			return snapshotMsg{snap}
		case <-quit:
			sub.Close()
			return nil
		}
	}
}

func (m *Model) listCmd() tea.Cmd {
	reg, ctx := m.opts.Registry, m.ctx
	return func() tea.Msg {
		cctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		names, err := reg.List(cctx)
		return sessionsMsg{names, err}
	}
}

func (m *Model) openCmd(name string) tea.Cmd {
	reg, ctx := m.opts.Registry, m.ctx
	return func() tea.Msg {
		cctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		h, err := reg.Open(cctx, name)
		if err != nil {
			return openedMsg{err: err}
		}
		return openedMsg{hub: h, snap: h.Snapshot()}
	}
}

// inOrder makes a command that calls the hub run only after every hub call
// this screen issued before it. Bubble Tea runs commands concurrently, so
// without it "accept" then "undo" typed quickly could reach the hub as
// "undo" (nothing to undo) then "accept", and a focus sent for an earlier
// proposal could overwrite the latest one. A call whose predecessor never
// ran (its program ended first) waits no longer than actionTimeout.
func (m *Model) inOrder(f func() tea.Msg) tea.Cmd { return chained(&m.lastCall, f) }

// chained makes a command that runs f once the command chained to *tail
// before it is done, or actionTimeout later if that one never ran, and
// becomes the new tail. Update's goroutine calls it.
func chained(tail *chan struct{}, f func() tea.Msg) tea.Cmd {
	prev, done := *tail, make(chan struct{})
	*tail = done
	return func() tea.Msg {
		defer close(done)
		if prev != nil {
			t := time.NewTimer(actionTimeout)
			select {
			case <-prev:
			case <-t.C:
			}
			t.Stop()
		}
		return f()
	}
}

// focusCmd tells the others which proposal this screen shows. It is cheap,
// but it takes the hub's lock and publishes a revision, so it too runs
// outside Update.
func (m *Model) focusCmd() tea.Cmd {
	if !m.joined || m.current == m.focusSent {
		return nil
	}
	m.focusSent, m.ridesSent = m.current, m.riding()
	h, conn, id, rides, ctx, actor := m.hub, m.conn, m.current, m.ridesSent, m.ctx, m.opts.Actor
	// The leader's moves take the room along: each is a room.moved,
	// recorded like any action (who led where is part of the story).
	// In a room nobody leads, a facilitator's first screen leads it from
	// where it is, without waiting for a move.
	r := m.snap.State.Room
	lead := m.leading() && (r.Proposal != id || r.Leader.Name == "")
	// The screen displays the lookers of the proposal on screen, and on a
	// screen wide enough for the list, of its rows: the hub wakes it only
	// for changes there (session.Subscription.Show).
	sub, list := m.sub, m.width >= listWidth
	return m.inOrder(func() tea.Msg {
		h.Look(conn, id, rides)
		if sub != nil {
			if list {
				sub.ShowAll()
			} else {
				sub.Show(id)
			}
		}
		if lead {
			cctx, cancel := context.WithTimeout(ctx, actionTimeout)
			defer cancel()
			_, _ = h.Do(cctx, actor, review.KindRoomMoved, review.ProposalRef{Proposal: id})
		}
		return nil
	})
}

// riding reports whether this screen goes along when a leader moves the
// room (catchingUp, in a led room): the hub moves its presence with the
// room's move (session.Hub.Look).
func (m *Model) riding() bool {
	return !m.isFacilitator() && m.follow && (m.mode == modeBrowse || m.mode == modeQuit)
}

// lookSync tells the hub when this screen starts or stops riding, and
// corrects its presence when the hub moved it with the room but the screen
// stayed (it could not show the link): the hub then showed it on a link it
// is not on. Update calls it after every message; it costs nothing when
// nothing changed.
func (m *Model) lookSync() tea.Cmd {
	if !m.joined || m.hub == nil || m.snap == nil || m.focusSent == "" {
		return nil
	}
	rides := m.riding()
	wrong := false
	if r := m.snap.State.Room.Proposal; r != m.roomSeen {
		m.roomSeen = r
		wrong = m.presenceFocus() != m.focusSent
	}
	if rides == m.ridesSent && !wrong {
		return nil
	}
	m.ridesSent = rides
	h, conn, id := m.hub, m.conn, m.focusSent
	return m.inOrder(func() tea.Msg {
		h.Look(conn, id, rides)
		return nil
	})
}

// presenceFocus is the link the snapshot's presence of this screen shows
// it on (the snapshot's Online is sorted by connection), or its own
// focusSent when the snapshot does not have it yet.
func (m *Model) presenceFocus() string {
	on := m.snap.Online
	if i, ok := slices.BinarySearchFunc(on, m.conn, func(p session.Presence, c uint64) int { return cmp.Compare(p.Conn, c) }); ok {
		return on[i].Focus
	}
	return m.focusSent
}

// doCmd performs one action through the hub. The result, and the snapshot
// that includes it, come back together, so the screen never shows as done
// an action the hub has not made durable.
func (m *Model) doCmd(act action, data any) tea.Cmd {
	m.pending++
	h, ctx, actor := m.hub, m.ctx, m.opts.Actor
	return m.inOrder(func() tea.Msg {
		cctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		_, err := h.Do(cctx, actor, act.kind, data)
		return actionMsg{act: act, err: err, snap: h.Snapshot()}
	})
}

func (m *Model) undoCmd() tea.Cmd {
	m.pending++
	h, ctx, actor := m.hub, m.ctx, m.opts.Actor
	return m.inOrder(func() tea.Msg {
		// Which link the undo will touch, read before it: the screen
		// names it and shows it.
		target := undoTarget(h.Snapshot().State, actor)
		cctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		ok, err := h.Undo(cctx, actor)
		return actionMsg{act: action{undo: true, proposal: target}, err: err, undone: ok, snap: h.Snapshot()}
	})
}

// createCmd adds a link a person found. The proposal's ID is drawn here,
// outside Update, like the event's.
func (m *Model) createCmd(p review.Proposal) tea.Cmd {
	m.pending++
	h, ctx, actor := m.hub, m.ctx, m.opts.Actor
	return m.inOrder(func() tea.Msg {
		p.ID = session.NewID()
		cctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		_, err := h.Do(cctx, actor, review.KindProposalAdded, p)
		return actionMsg{act: action{kind: review.KindProposalAdded}, err: err, created: p.ID, snap: h.Snapshot()}
	})
}

// shutdown ends the wait for revisions. Quitting needs no other cleanup
// here: the caller's Seat.Leave records the departure.
func (m *Model) shutdown() {
	m.closeOnce.Do(func() { close(m.quit) })
}

// quitNow ends the screen: the last exposure interval is written first,
// then the command quits the program.
func (m *Model) quitNow() tea.Cmd {
	flush := m.exposureFlushCmd(review.EndLeft)
	m.shutdown()
	if flush == nil {
		return tea.Quit
	}
	return func() tea.Msg {
		flush()
		return tea.QuitMsg{}
	}
}

// Update is the one place where the screen's state changes.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case exposureMsg, exposureTickMsg:
		// The research data written or checked: nothing on screen
		// changes, and the view Bubble Tea asks for next is the last one.
		m.quiet = true
	default:
		m.quiet = false
	}
	mod, cmd := m.update(msg)
	if ride := m.rideSync(); ride != nil {
		cmd = tea.Batch(cmd, ride)
	}
	if look := m.lookSync(); look != nil {
		cmd = tea.Batch(cmd, look)
	}
	return mod, cmd
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layoutInputs()
		return m, nil
	case tea.BackgroundColorMsg:
		if !m.fixedBg {
			m.dark = msg.IsDark()
			m.restyle()
		}
		return m, nil
	case tea.EnvMsg:
		if msg.Getenv("NO_COLOR") != "" {
			m.noColor = true
			m.restyle()
		}
		return m, nil
	case joinedMsg:
		if msg.err != nil {
			m.fatal = fmt.Sprintf(m.t.ErrJoin, sanitize.Line(msg.err.Error()))
			return m, nil
		}
		m.hub, m.sub, m.conn, m.joined = msg.hub, msg.sub, msg.conn, true
		m.fatal = ""
		if m.mode == modePicker {
			m.mode = modeBrowse
		}
		m.adopt(msg.snap)
		return m, tea.Batch(m.waitCmd(), m.arrive(), m.restoreDraft(msg.draft), m.focusCmd(), m.exposureTick())
	case snapshotMsg:
		m.adopt(msg.snap)
		return m, tea.Batch(m.waitCmd(), m.afterSnapshot())
	case leftMsg:
		// The connection is no longer online (the server ended it): the
		// last exposure interval is written, then the program ends.
		cmd := m.quitNow()
		m.joined = false
		m.fatal = m.t.ErrLeft
		return m, cmd
	case timerTickMsg:
		return m, m.timerTick()
	case agendaTickMsg:
		m.agendaTicking = false
		return m, m.agendaTick()
	case wallTickMsg:
		if msg.gen != m.wall.gen {
			return m, nil // a later tick is in flight
		}
		return m, m.wall.redraw(m)
	case exposureTickMsg:
		return m, m.exposureTicked()
	case exposureMsg:
		return m, nil
	case adoptMsg:
		m.adopt(msg.snap)
		return m, m.afterSnapshot()
	case sessionsMsg:
		m.pickLoaded = true
		if msg.err != nil {
			m.fatal = fmt.Sprintf(m.t.ErrJoin, sanitize.Line(msg.err.Error()))
			return m, nil
		}
		m.sessions = msg.names
		return m, nil
	case openedMsg:
		if msg.err != nil {
			m.opening = false
			m.setError(fmt.Sprintf(m.t.ErrJoin, sanitize.Line(msg.err.Error())))
			return m, nil
		}
		m.hub, m.snap = msg.hub, msg.snap
		m.cm.State = m.snap.State
		m.refresh()
		return m, m.joinCmd(msg.hub)
	case actionMsg:
		return m, m.actionDone(msg)
	case tea.PasteMsg:
		// What people type is cleaned where it enters, like any outside
		// text: what is recorded is what everybody's screen shows.
		msg.Content = sanitize.Text(msg.Content)
		return m, tea.Batch(m.forwardToInput(msg), m.keepDraft())
	case tea.KeyPressMsg:
		if msg.Text != "" {
			msg.Text = sanitize.Line(msg.Text)
		}
		active := m.keyPressed()
		mod, cmd := m.key(msg)
		return mod, tea.Batch(active, cmd, m.catchUp(), m.exposureSeen(), m.keepDraft())
	}
	// Anything else (cursor blinks and the like) belongs to the input in use.
	return m, m.forwardToInput(msg)
}

// adopt takes a snapshot if it is newer than the one on screen: an action's
// answer and the subscription's signal may arrive in either order.
func (m *Model) adopt(s *session.Snapshot) {
	if s == nil || (m.snap != nil && s.Rev <= m.snap.Rev) {
		return
	}
	m.noticeChanges(m.snap, s)
	m.snap = s
	m.cm.State = s.State
	if m.mode == modeWhy {
		m.fillWhy()
	}
	if m.mode == modeResults || m.mode == modeSource {
		m.fillSheet()
	}
}

func (m *Model) actionDone(msg actionMsg) tea.Cmd {
	m.pending = max(m.pending-1, 0)
	switch msg.act.kind {
	case review.KindAgendaSet:
		if m.agendaPending--; m.agendaPending <= 0 {
			m.agendaPending, m.agendaSent = 0, nil
		}
	case review.KindHandRaised, review.KindHandLowered:
		m.handSent = nil
	}
	m.adopt(msg.snap)
	if msg.err != nil {
		m.setError(m.errSentence(msg.err))
		return m.afterSnapshot()
	}
	switch {
	case msg.act.undo && !msg.undone:
		m.setInfo(m.t.NoUndo)
	case msg.act.undo && msg.act.proposal != "":
		// Say which link the undo touched, and show it: undoing blind,
		// somewhere else, is how decisions went astray.
		if p, ok := m.snap.State.Proposal(msg.act.proposal); ok {
			m.setInfo(fmt.Sprintf(m.t.UndoneOn, m.linkName(p)))
			return tea.Batch(m.afterSnapshot(), m.userShow(msg.act.proposal))
		}
		m.setInfo(m.t.Undone)
	case msg.act.undo:
		m.setInfo(m.t.Undone)
	case msg.created != "":
		// The cursor stays where it was: the new link waits at the end of
		// the list, and the next decisions go where the person was.
		m.setInfo(m.t.CreatedHere)
	case msg.act.info != "":
		m.setInfo(msg.act.info)
	case msg.act.kind == review.KindRoomViewed:
		// The wall follows; the screen itself says nothing.
	case msg.act.kind == review.KindCommentAdded:
		m.setInfo(m.t.Commented)
	case msg.act.verdict == review.Skip:
		m.setInfo(m.t.Skipped)
	case msg.act.kind == review.KindDecisionMade:
		m.setInfo(fmt.Sprintf(m.t.Decided, m.cm.VerdictWord(msg.act.verdict)))
	default:
		m.setInfo(fmt.Sprintf(m.t.Voted, m.cm.VerdictWord(msg.act.verdict)))
	}
	cmd := m.afterSnapshot()
	if msg.act.next && m.current == msg.act.proposal && !m.following() {
		// Only if the person is still on it: they may have moved on
		// while it was being recorded.
		cmd = tea.Batch(cmd, m.userMove(m.cursor+1))
	}
	return cmd
}

// errSentence turns an error of the hub into one sentence for the status
// line. A refusal for the role says so plainly; anything else says that the
// action was not recorded, with the cause cleaned for the terminal.
func (m *Model) errSentence(err error) string {
	if errors.Is(err, review.ErrSealed) {
		return m.t.ErrSealed
	}
	if errors.Is(err, session.ErrForbidden) {
		return fmt.Sprintf(m.t.ErrForbidden, m.cm.RoleWord(m.opts.Actor.Role))
	}
	return fmt.Sprintf(m.t.ErrFailed, sanitize.Line(err.Error()))
}

func (m *Model) setError(s string) { m.status, m.statusErr, m.noticeAbout = s, true, "" }
func (m *Model) setInfo(s string)  { m.status, m.statusErr, m.noticeAbout = s, false, "" }

// refresh recomputes the filtered list after the snapshot or the filter
// changed, keeps the same proposal on screen when it is still listed, and
// reports the focus when the proposal on screen changed.
func (m *Model) refresh() tea.Cmd {
	if m.snap == nil {
		return nil
	}
	m.rebuild()
	idx := m.indexOf(m.current)
	if idx < 0 {
		idx = min(m.cursor, len(m.visible)-1)
	}
	return m.setCursor(idx)
}

// rebuild recomputes the list: the proposals the filter lets through, and
// the one held on screen even if it no longer does.
func (m *Model) rebuild() {
	st := m.snap.State
	m.visible = m.visible[:0]
	for i, p := range st.Proposals {
		if m.filter.match(p, m.conflictShown) || (m.held != "" && p.ID == m.held) {
			m.visible = append(m.visible, i)
		}
	}
}

// indexOf is the row of proposal id in the list, or -1.
func (m *Model) indexOf(id string) int {
	if id == "" {
		return -1
	}
	for i, pi := range m.visible {
		if m.snap.State.Proposals[pi].ID == id {
			return i
		}
	}
	return -1
}

// show puts proposal id on screen, in the list even if the filter would
// leave it out.
func (m *Model) show(id string) tea.Cmd {
	if _, ok := m.snap.State.Proposal(id); !ok {
		return nil
	}
	m.held = id
	m.rebuild()
	return m.setCursor(m.indexOf(id))
}

// setCursor puts the proposal at index i of the list on screen.
func (m *Model) setCursor(i int) tea.Cmd {
	if len(m.visible) == 0 {
		m.cursor, m.current = 0, ""
		m.pv = nil
		return nil
	}
	i = max(0, min(i, len(m.visible)-1))
	m.cursor = i
	id := m.snap.State.Proposals[m.visible[i]].ID
	m.held = id
	if id != m.current || m.shownAt.IsZero() {
		if m.noticeAbout != "" && m.noticeAbout != noticeRoom && m.noticeAbout != id {
			// What others did on the link left is no news of this one.
			m.status, m.noticeAbout = "", ""
		}
		m.current = id
		m.shownAt = m.opts.Now()
		m.scroll = -1
		m.pv = nil
	}
	if d := m.laterDraft; d != nil && d.Proposal == id && m.mode == modeBrowse && m.joined {
		return tea.Batch(m.focusCmd(), m.exposureSeen(), m.restoreDraft(d))
	}
	return tea.Batch(m.focusCmd(), m.exposureSeen())
}

func (m *Model) move(i int) tea.Cmd {
	m.status = ""
	return m.setCursor(i)
}

// match reports whether p passes the filter; conflict says whether the
// reader may know that people disagree on p (Model.conflictShown).
func (f filter) match(p *review.ProposalState, conflict func(*review.ProposalState) bool) bool {
	return (f.criterion == "" || p.Criterion == f.criterion) &&
		(f.document == "" || p.Document == f.document) &&
		(f.status == "" || p.Status == f.status) &&
		(f.origin == "" || p.Origin.Kind == f.origin) &&
		(f.conflict == "" || conflict(p))
}

// currentProposal is the proposal on screen, or nil.
func (m *Model) currentProposal() *review.ProposalState {
	if m.snap == nil || m.current == "" {
		return nil
	}
	p, _ := m.snap.State.Proposal(m.current)
	return p
}

// forwardToInput gives a message to the text input in use, if any.
func (m *Model) forwardToInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.editor != nil:
		*m.editor, cmd = m.editor.Update(msg)
	case m.input != nil:
		*m.input, cmd = m.input.Update(msg)
	}
	return cmd
}

// background decides the palette from the --theme choice, else from
// COLORFGBG ("fg;bg" or "fg;default;bg", as rxvt and many terminals set
// it: a background of 7 or 9 to 15 is light), and says whether that choice
// is fixed. Without either, the screen starts dark and follows the
// terminal's answer to the background query.
func background(choice, colorfgbg string) (dark, fixed bool) {
	switch choice {
	case "dark":
		return true, true
	case "light":
		return false, true
	}
	if colorfgbg == "" {
		return true, false
	}
	parts := strings.Split(colorfgbg, ";")
	bg, err := strconv.Atoi(strings.TrimSpace(parts[len(parts)-1]))
	if err != nil || bg < 0 || bg > 255 {
		return true, false
	}
	return !(bg == 7 || (bg >= 9 && bg <= 15)), true
}

// restyle rebuilds the styles after the background or NO_COLOR became
// known.
func (m *Model) restyle() {
	m.wall.restyle(m)
	m.st = theme.Shared(m.dark, m.noColor)
	m.cm.St = m.st
	m.hint = ""
	m.vc.invalidate()
	if m.editor != nil {
		m.editor.SetStyles(m.editorStyles())
	}
	if m.input != nil {
		m.input.SetStyles(m.inputStyles())
	}
}

// editorStyles and inputStyles follow the background, without colour under
// NO_COLOR, and with a static cursor: a blinking one sends a message twice a
// second, for every one of two hundred screens, for nothing.
func (m *Model) editorStyles() textarea.Styles {
	s := textarea.DefaultStyles(m.dark)
	if m.noColor {
		s = textarea.Styles{}
	}
	s.Cursor.Blink = false
	return s
}

func (m *Model) inputStyles() textinput.Styles {
	s := textinput.DefaultStyles(m.dark)
	if m.noColor {
		s = textinput.Styles{}
	}
	s.Cursor.Blink = false
	return s
}

// openEditor makes the multi-line editor for a rephrasing or a new link.
// It is dropped when the panel closes.
func (m *Model) openEditor(value string) tea.Cmd {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.CharLimit = 2000
	ta.SetStyles(m.editorStyles())
	ta.SetWidth(max(m.width-4, 10))
	ta.SetHeight(3)
	ta.SetValue(value)
	m.editor = &ta
	return m.editor.Focus()
}

// openInput makes the one-line input of a comment, another reason or a
// quote. It is dropped when the panel closes.
func (m *Model) openInput(prompt string, limit int) tea.Cmd {
	in := textinput.New()
	in.Prompt = prompt
	in.CharLimit = limit
	in.SetStyles(m.inputStyles())
	in.SetWidth(max(m.width-8, 10))
	m.input = &in
	return m.input.Focus()
}

// layoutInputs sizes what depends on the window.
func (m *Model) layoutInputs() {
	if m.editor != nil {
		m.editor.SetWidth(max(m.width-4, 10))
	}
	if m.input != nil {
		m.input.SetWidth(max(m.width-8, 10))
	}
	m.helpWidth = max(m.width-2, 10)
	m.hint = ""
	m.vc.invalidate()
	if m.mode == modeWhy {
		m.fillWhy()
	}
	if m.mode == modeResults || m.mode == modeSource {
		m.fillSheet()
	}
}

// helpModel is the key help in the screen's styles and width. It is made
// when the help is drawn rather than kept: a help.Model carries its own
// copy of the styles (4.6 KB), which a room of 300 would keep 300 times
// for a line drawn once per change of keys or size.
func (m *Model) helpModel() help.Model {
	h := help.New()
	h.Styles = m.st.Help
	h.SetWidth(m.helpWidth)
	return h
}
