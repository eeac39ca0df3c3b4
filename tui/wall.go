package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/tui/room"
)

// wall is the projector's view (tui/room) on a spectator's screen: the
// room's link in large, calm type, with no action hints. A spectator is
// somebody watching (--watch) or somebody who declined consent; neither
// acts, so the wall is all they need.
type wall struct {
	view *room.View // nil on the screens of people who act
	gen  int        // the generation of the tick in flight, so ticks never multiply
}

// wallTickMsg redraws the wall for its timer and notices.
type wallTickMsg struct{ gen int }

// restyle builds the wall for the screen's background and colours, or
// drops it when the screen is not a spectator's.
func (w *wall) restyle(m *Model) {
	if m.opts.Actor.Role != review.Spectator {
		w.view = nil
		return
	}
	w.view = room.New(room.Options{Lang: m.opts.Lang, Dark: m.dark, NoColor: m.noColor})
}

// redraw arms one tick for the wall's next change of its own (a timer's
// second, a notice fading), after each snapshot and each tick.
func (w *wall) redraw(m *Model) tea.Cmd {
	if w.view == nil || m.snap == nil {
		return nil
	}
	d := room.NextRedraw(m.snap, m.opts.Now())
	if d <= 0 {
		return nil
	}
	w.gen++
	gen := w.gen
	return tea.Tick(d, func(time.Time) tea.Msg { return wallTickMsg{gen} })
}
