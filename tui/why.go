package tui

import (
	"strings"

	"charm.land/bubbles/v2/viewport"

	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// fillWhy prepares the "why" panel of the proposal on screen: where it comes
// from, with enough provenance to redo it, and everything people did with
// it. It is rebuilt when the panel opens, when the window changes and when a
// new revision arrives while it is open, never at each key press.
func (m *Model) fillWhy() {
	w, h := max(m.width-2, 10), max(m.height-1-footerH-1, 1)
	if m.why == nil {
		vp := viewport.New()
		m.why = &vp
	}
	m.why.SetWidth(w)
	m.why.SetHeight(h)
	p := m.currentProposal()
	if p == nil {
		m.why.SetContentLines(nil)
		return
	}
	m.why.SetContentLines(m.cm.WhyLines(p, w, m.blindOn(p), m.opts.Actor.Key()))
}

func (m *Model) whyPanel(w, h int) []string {
	out := make([]string, 0, h)
	title := m.t.WhyTitle
	if p := m.currentProposal(); p != nil {
		title += "  " + sanitize.Line(p.Criterion) + " · " + m.cm.DocTitle(p.Document)
	}
	out = append(out, theme.Fit(" "+m.st.Title.Render(theme.Cut(title, w-2)), w))
	if m.why == nil {
		m.fillWhy()
	}
	for _, l := range strings.Split(m.why.View(), "\n") {
		if len(out) == h {
			break
		}
		out = append(out, theme.Fit(" "+l, w))
	}
	return theme.Pad(out, w, h)
}
