package review

import (
	"cmp"
	"slices"
	"time"
)

// A room of two hundred following its facilitator used to write two
// hundred exposure.recorded events at every move of the facilitator: each
// follower's screen closed the interval the move ended. Those intervals
// are now derived from the move itself. A follower's screen tells the
// trace once, with exposure.following, that its open interval follows the
// room (which link, since when, active or idle); from then on each
// room.moved of the room's leader ends that interval and opens the next one
// on the new link, at the move's time, in the fold below, until the screen
// says otherwise: another exposure.following (not follows: it no longer
// follows in step, for a pane, a panel or its own move), or an
// exposure.recorded that ends its interval for another reason than a
// checkpoint or a change between active and idle, or its departure.
// Exposures lists the recorded and the derived intervals together, in the
// order of the trace: the research tables read it, not the events.

// ExposureFollowing is the payload of exposure.following: the interval
// open on a follower's screen, which room moves end from now on (Follows),
// or which they no longer end (not Follows: a pane, a panel, the person's
// own move).
type ExposureFollowing struct {
	Proposal string    `json:"proposal"`
	From     time.Time `json:"from"`
	State    string    `json:"state"` // ExposureActive or ExposureIdle
	Follows  bool      `json:"follows"`
}

// ExposureRow is one exposure interval of one person, as the research
// tables give it. A derived interval carries the seq and time of the
// room.moved that ended it, and as EventID that move's ID, "+", and the ID
// of the person's exposure.following: one ID per row.
type ExposureRow struct {
	Seq      int64
	EventID  string
	At       time.Time
	Actor    Actor
	Derived  bool
	Interval Exposure
	event    string // the ID of the event the row comes with
	ride     int64  // derived: the seq of the exposure.following that began the ride
}

// ride is a follower's open interval as the fold knows it. A screen may
// write about its interval before it has seen moves the trace already
// holds (a checkpoint, a pane, its own move, a few milliseconds late), and
// may miss intermediate moves altogether: seen holds the intervals the
// screen may have open, one per move since its last write (the last is the
// fold's own), and ends[i] the move that ended seen[i] and the row it
// derived. A write about seen[j] drops the rows derived after it and
// derives them again from the write (exposureFold.wrote).
type ride struct {
	seq   int64 // of the exposure.following that began it
	id    string
	actor Actor
	seen  []Following
	ends  []rideEnd
}

// rideEnd is a move that ended one of a ride's intervals, and the index in
// the rows of the interval it derived (-1: an empty one, none).
type rideEnd struct {
	move Event
	row  int
}

func (r *ride) now() Following { return r.seen[len(r.seen)-1] }

// Following is the open interval that a follower's screen and the fold
// agree on, and how each event moves it. A screen keeps its own copy by
// the same rules (Recorded, Moved), so that it writes exposure.following
// only when the two would differ.
type Following struct {
	Proposal string // "" when the interval does not follow the room
	From     time.Time
	State    string
}

// Recorded is f after its screen wrote x: a checkpoint or a change between
// active and idle continues it on the same link from x.To; any other end
// stops it.
func (f Following) Recorded(x Exposure) Following {
	if f.Proposal == "" || x.Proposal != f.Proposal {
		return Following{}
	}
	switch x.End {
	case EndCheckpoint:
		return Following{Proposal: f.Proposal, From: x.To, State: x.State}
	case EndIdle:
		return Following{Proposal: f.Proposal, From: x.To, State: ExposureIdle}
	case EndActive:
		return Following{Proposal: f.Proposal, From: x.To, State: ExposureActive}
	}
	return Following{}
}

// Moved is f after the room moved to proposal at t, and the interval the
// move ended, if it is not empty. A screen that wrote its interval after
// the move (it had not seen it yet) opens the next one from that write,
// not before it.
func (f Following) Moved(proposal string, t time.Time) (Following, Exposure, bool) {
	if f.Proposal == "" || proposal == f.Proposal {
		return f, Exposure{}, false
	}
	if !t.After(f.From) {
		return Following{Proposal: proposal, From: f.From, State: f.State}, Exposure{}, false
	}
	x := Exposure{Proposal: f.Proposal, From: f.From, To: t, State: f.State, End: EndMoved, Following: true}
	return Following{Proposal: proposal, From: t, State: f.State}, x, true
}

// roomMove is the room's new link when e, a room.moved or room.led, moves
// the room; room is updated as State.Apply does.
func roomMove(room *Room, e Event) (string, bool) {
	switch e.Kind {
	case KindRoomMoved:
		var r ProposalRef
		if e.Decode(&r) != nil {
			return "", false
		}
		if room.Leader.Name != "" && room.Leader.Key() != e.Actor.Key() {
			return "", false
		}
		old := room.Proposal
		*room = Room{Follow: room.Follow, Leader: e.Actor, Proposal: r.Proposal, Since: e.At}
		return r.Proposal, room.Follow && r.Proposal != old
	case KindRoomLed:
		var d RoomData
		if e.Decode(&d) != nil {
			return "", false
		}
		r := Room{Follow: d.Follow, Leader: e.Actor, Proposal: room.Proposal, Since: e.At}
		if d.Proposal != "" {
			r.Proposal = d.Proposal
		}
		old := room.Proposal
		*room = r
		return r.Proposal, r.Follow && r.Proposal != old
	}
	return "", false
}

// Exposures lists every exposure interval of the trace, in its order: those
// the screens recorded, and those derived from the room's moves for the
// screens that followed it (ExposureRow.Derived). Derived intervals of one
// move come in the order their screens began to follow.
func Exposures(events []Event) []ExposureRow {
	f := exposureFold{rides: map[string]*ride{}, dropped: map[int]bool{}}
	room := Room{Follow: true}
	for _, e := range events {
		switch e.Kind {
		case KindExposure:
			var x Exposure
			if e.Decode(&x) != nil {
				continue
			}
			f.rows = append(f.rows, ExposureRow{Seq: e.Seq, EventID: e.ID, At: e.At, Actor: e.Actor, Interval: x, event: e.ID})
			f.wrote(e.Actor.Key(), x.Proposal, x.From, func(g Following) Following { return g.Recorded(x) })
		case KindExposureFollowing:
			var d ExposureFollowing
			if e.Decode(&d) != nil {
				continue
			}
			k := e.Actor.Key()
			f.wrote(k, d.Proposal, d.From, func(Following) Following { return Following{} })
			if d.Follows {
				f.rides[k] = &ride{seq: e.Seq, id: e.ID, actor: e.Actor, seen: []Following{{Proposal: d.Proposal, From: d.From, State: d.State}}}
			}
		case KindParticipantLeft:
			delete(f.rides, e.Actor.Key())
		case KindRoomMoved, KindRoomLed:
			if to, moved := roomMove(&room, e); moved {
				f.moved(e, to)
			}
		}
	}
	if len(f.dropped) == 0 {
		return f.rows
	}
	kept := f.rows[:0]
	for i, r := range f.rows {
		if !f.dropped[i] {
			kept = append(kept, r)
		}
	}
	return kept
}

// exposureFold is the state of Exposures.
type exposureFold struct {
	rows    []ExposureRow
	dropped map[int]bool // rows derived from moves a screen had not seen
	rides   map[string]*ride
}

// moved ends every ride's interval at the room's move e to proposal to.
func (f *exposureFold) moved(e Event, to string) {
	// In the order the rides began: the same in a pseudonymised trace,
	// where keys sort otherwise.
	order := make([]*ride, 0, len(f.rides))
	for _, r := range f.rides {
		order = append(order, r)
	}
	slices.SortFunc(order, func(a, b *ride) int { return cmp.Compare(a.seq, b.seq) })
	for _, r := range order {
		f.advance(r, e, to)
	}
}

// advance ends r's newest interval at the move e to proposal to.
func (f *exposureFold) advance(r *ride, e Event, to string) {
	next, x, ok := r.now().Moved(to, e.At)
	if next.Proposal == r.now().Proposal {
		return
	}
	row := -1
	if ok {
		f.rows = append(f.rows, ExposureRow{Seq: e.Seq, EventID: e.ID + "+" + r.id, At: e.At, Actor: r.actor, Derived: true, Interval: x, event: e.ID, ride: r.seq})
		row = len(f.rows) - 1
	}
	r.seen = append(r.seen, next)
	r.ends = append(r.ends, rideEnd{move: e, row: row})
}

// wrote folds a write of the screen of key about its interval (proposal,
// from): then writes the interval the screen has open after it. A write
// about an interval the screen had before moves it had not seen drops the
// rows those moves derived, and the moves end the new interval instead.
func (f *exposureFold) wrote(key, proposal string, from time.Time, then func(Following) Following) {
	r, ok := f.rides[key]
	if !ok {
		return
	}
	j := len(r.seen) - 1
	for j >= 0 && (r.seen[j].Proposal != proposal || !r.seen[j].From.Equal(from)) {
		j--
	}
	if j < 0 {
		delete(f.rides, key)
		return
	}
	later, ends := r.seen[j+1:], r.ends[j:]
	for _, end := range ends {
		if end.row >= 0 {
			f.dropped[end.row] = true
		}
	}
	g := then(r.seen[j])
	if g.Proposal == "" {
		delete(f.rides, key)
		return
	}
	r.seen, r.ends = []Following{g}, nil
	for k, end := range ends {
		f.advance(r, end.move, later[k].Proposal)
	}
}
