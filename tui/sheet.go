package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/pane"
	"github.com/coopdescommuns/revue/tui/theme"
)

// The sheets are the panels that take the whole body: who voted (T), the
// results (=), the passage in its document (i). They follow each new
// snapshot while open. The leading facilitator's results take the wall
// along (room.viewed).

// openSheet opens one of the sheets.
func (m *Model) openSheet(md mode) tea.Cmd {
	if md != modeResults && m.currentProposal() == nil {
		m.setError(m.t.ErrNoProposal)
		return nil
	}
	m.mode, m.sheet, m.sheetFor = md, nil, "\x00"
	m.fillSheet()
	names := map[mode]string{modeTurnout: "turnout", modeResults: "results", modeSource: "source"}
	return tea.Batch(m.paneOpened(names[md]), m.wallView(md == modeResults))
}

// wallView takes the wall to the results while the leading facilitator
// shows them, and back.
func (m *Model) wallView(results bool) tea.Cmd {
	if !m.leading() || !m.joined || m.hub == nil {
		return nil
	}
	view := review.ViewLink
	if results {
		view = review.ViewResults
	}
	if m.snap != nil && (m.snap.State.Room.View == review.ViewResults) == results {
		return nil
	}
	return m.doCmd(action{kind: review.KindRoomViewed}, review.RoomView{View: view})
}

// keySheet scrolls a sheet, or closes it with its key or Esc.
func (m *Model) keySheet(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	own := map[mode]key.Binding{modeTurnout: k.Turnout, modeResults: k.Results, modeSource: k.Source}[m.mode]
	switch {
	case key.Matches(msg, own, k.Cancel):
		was := m.mode
		m.mode, m.sheet = modeBrowse, nil
		if was == modeResults {
			return m.wallView(false)
		}
		return nil
	case key.Matches(msg, k.Quit):
		return m.askQuit()
	}
	if m.sheet == nil {
		return nil
	}
	var cmd tea.Cmd
	*m.sheet, cmd = m.sheet.Update(msg)
	return cmd
}

// fillSheet prepares the text of a scrolling sheet (results, source) for
// the window's size; the turnout panel is drawn whole at each frame.
func (m *Model) fillSheet() {
	if m.mode != modeResults && m.mode != modeSource {
		return
	}
	w, h := max(m.width-2, 10), max(m.height-1-footerH-1, 1)
	if m.sheet == nil {
		vp := viewport.New()
		m.sheet = &vp
	}
	m.sheet.SetWidth(w)
	m.sheet.SetHeight(h)
	var lines []string
	switch m.mode {
	case modeResults:
		lines = m.cm.Results(w)
	case modeSource:
		if p := m.currentProposal(); p != nil {
			lines = m.cm.Source(p, w)
		}
	}
	// Only a new text moves the view back to its top.
	key := m.current
	if m.mode == modeResults {
		key = ""
	}
	if key != m.sheetFor {
		m.sheet.SetContentLines(lines)
		m.sheet.GotoTop()
	} else {
		at := m.sheet.YOffset()
		m.sheet.SetContentLines(lines)
		m.sheet.SetYOffset(at)
	}
	m.sheetFor = key
}

// sheetPanel draws the open sheet: its title, then its text.
func (m *Model) sheetPanel(w, h int) []string {
	if m.mode == modeTurnout {
		p := m.currentProposal()
		if p == nil {
			return theme.Blank(w, h)
		}
		hands := map[string]bool{}
		for _, a := range m.snap.State.Hands {
			hands[a.Key()] = true
		}
		tu := session.Turnout(m.snap.Online, p)
		return pane.Turnout{C: &m.cm, P: p, N: m.linkNumber(p.ID), Present: session.OnlineParticipants(m.snap.Online), Of: &tu, Hands: hands}.Render(w, h)
	}
	title := m.t.ResultsTitle
	if m.mode == modeSource {
		title = m.t.SourceTitle
		if p := m.currentProposal(); p != nil {
			title += "  " + sanitize.Line(p.Criterion) + " · " + m.cm.DocTitle(p.Document)
		}
	} else {
		title += "  " + sanitize.Line(m.snap.State.Name)
	}
	out := make([]string, 0, h)
	out = append(out, theme.Fit(" "+m.st.Title.Render(theme.Cut(title, w-2)), w))
	if m.sheet == nil {
		m.fillSheet()
	}
	if m.sheet != nil {
		for _, l := range strings.Split(m.sheet.View(), "\n") {
			if len(out) == h {
				break
			}
			out = append(out, theme.Fit(" "+l, w))
		}
	}
	return theme.Pad(out, w, h)
}

// wallResults reports whether the wall shows the results rather than a
// link: the leading facilitator shows them, or nothing is left pending
// (the session's last screen).
func (m *Model) wallResults() bool {
	st := m.snap.State
	if m.snap.State.Room.View == review.ViewResults {
		return true
	}
	if len(st.Proposals) == 0 {
		return false
	}
	for _, p := range st.Proposals {
		if p.Status == review.Pending {
			return false
		}
	}
	return true
}

// resultsWall draws the results on the projector's screen.
func (m *Model) resultsWall(w, h int) string {
	lines := []string{theme.Fit(" "+m.st.Title.Render(theme.Cut(m.t.ResultsTitle+"  "+sanitize.Line(m.snap.State.Name), w-2)), w), theme.Fit("", w)}
	lines = append(lines, m.cm.Results(w)...)
	return strings.Join(theme.Pad(lines[:min(len(lines), h)], w, h), "\n")
}
