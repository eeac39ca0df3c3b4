package room_test

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/room"
)

// wall is how a root model uses the projector's view in watch mode: it
// keeps one View per background and colour setting, draws it from its own
// View with the snapshot it holds, and arms one tick at a time for the
// timer and the notices.
type wall struct {
	view          *room.View
	snap          *session.Snapshot
	width, height int
	now           func() time.Time
	tick          int // the generation of the tick in flight, so that ticks never multiply
}

type wallTick struct{ gen int }

// restyle follows tea.BackgroundColorMsg and NO_COLOR.
func (w *wall) restyle(lang string, dark, noColor bool) {
	w.view = room.New(room.Options{Lang: lang, Dark: dark, NoColor: noColor})
}

// redraw is the command to return after each new snapshot or tick.
func (w *wall) redraw() tea.Cmd {
	d := room.NextRedraw(w.snap, w.now())
	if d <= 0 {
		return nil
	}
	w.tick++
	gen := w.tick
	return tea.Tick(d, func(time.Time) tea.Msg { return wallTick{gen} })
}

func (w *wall) content() string { return w.view.Render(w.snap, w.now(), w.width, w.height) }

func Example() {
	w := &wall{now: time.Now, width: 160, height: 48}
	w.restyle("fr", true, false)
	_ = w.content() // in View: tea.NewView(w.content()), AltScreen on
	_ = w.redraw()  // in Update, after a snapshot, and on a wallTick whose gen is w.tick
}
