package tui

import (
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/pane"
)

// viewCache keeps the parts of the last frame with what they were drawn
// from, so that a redraw only redoes the parts whose inputs changed.
//
// Every screen redraws at every revision of the session, and in a room of
// two hundred a vote changes one or two lines of each: the progress, the
// tally, the status of the proposal on screen. Sanitizing, wrapping and
// styling the criterion and the passage again for every screen at every
// vote was most of the interface's cost per update.
//
// The keys rely on what the hub guarantees: a proposal's state is replaced,
// never changed in place, so its pointer names its content; criteria,
// documents and passages never change while a session is live (only
// review.Kind.Live events are applied); and consecutive snapshots share
// their Online slice until someone joins, leaves or moves. Anything else a
// part depends on is in its key, and gen counts the changes of styles and
// sizes, which invalidate everything.
type viewCache struct {
	gen uint64

	// The room's timer, found again only when the state changes.
	timerState *review.State
	timerOut   *review.ProposalState

	// What the wall shows instead of a link (wallResults, started), read
	// again only when the state changes.
	wallState            *review.State
	wallRes, wallStarted bool

	head    headKey
	headOut string

	prop    propKey
	propOut []string

	propHead    headOfKey
	propHeadOut []string

	pass     passKey
	passOut  []string
	passRows int

	progress    progressKey
	progressOut string

	online    onlineKey
	onlineOut string

	votes    votesKey
	votesOut string

	look    lookKey
	lookOut map[string][]string

	// The last line of the status bar, before and after fitting: the key
	// hints, most of the time.
	last    lastKey
	lastOut string

	titleName string
	titleOut  string

	// The progress of the criterion on screen and the reader's own, for
	// a state and a proposal.
	moreState *review.State
	moreCur   string
	moreOut   string

	frameLen int // the size of the last frame, to allocate the next one at once
}

type headKey struct {
	gen          uint64
	name         string
	w, cursor, n int
	filter       filter
	off          bool   // the link on screen no longer matches the filter
	right        string // the timer and the room's mark
}

type propKey struct {
	gen     uint64
	p       *review.ProposalState
	w, h    int
	compact bool
	blind   bool
	cond    review.Conditions
}

// headOfKey is what the top of the proposal pane shows: the criterion
// (which never changes while live) and the statement with its last
// rephrasing.
type headOfKey struct {
	gen       uint64
	criterion string
	final     string
	versions  int
	w         int
	compact   bool
	// A seal changes the wording shown and its label; blind voting hides
	// the competing wordings.
	sealed       bool
	finalVersion int
	blind        bool
}

type passKey struct {
	gen      uint64
	id       string
	passage  string
	document string
	quote    string
	qs, qe   int
	w, h     int
	scroll   int
	pv       *pane.PassageView
}

type progressKey struct {
	gen            uint64
	decided, total int
	online         onlineID
	w              int
	more           string
}

type onlineKey struct {
	gen    uint64
	online onlineID
	room   int
}

type votesKey struct {
	gen    uint64
	p      *review.ProposalState
	online onlineID
	self   uint64 // this screen's connection, left out of the lookers
	w      int
	blind  bool
}

type lastKey struct {
	gen uint64
	in  string
	w   int
}

type lookKey struct {
	online onlineID
	self   uint64
}

// onlineID names a list of presences by its first element and length: the
// hub shares the slice between revisions until the presences change, and
// builds a new one when they do.
type onlineID struct {
	first *session.Presence
	n     int
}

func idOf(online []session.Presence) onlineID {
	if len(online) == 0 {
		return onlineID{}
	}
	return onlineID{first: &online[0], n: len(online)}
}

// self is this screen's own connection, or 0 before it joined: lookers
// leave it out.
func (m *Model) self() uint64 {
	if m.joined {
		return m.conn
	}
	return 0
}

// invalidate drops every cached part, after the styles or the size changed.
func (c *viewCache) invalidate() { c.gen++ }
