package pane

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// List is the column of proposals on wide screens, with who else is looking
// at each. Visible are indexes in State.Proposals, Cursor the row on screen,
// Looking the names of the others looking at each proposal.
type List struct {
	C       *Common
	Visible []int
	Cursor  int
	Looking map[string][]string
}

// Render draws the list, the cursor's row in view.
func (l List) Render(w, h int) []string {
	c := l.C
	st := c.State
	out := make([]string, 0, h)
	out = append(out, c.TitleRule(c.T.ListTitle, w))
	rows := h - 1
	start := max(0, min(l.Cursor-rows/2, len(l.Visible)-rows))
	for i := start; i < len(l.Visible) && i < start+rows; i++ {
		p := st.Proposals[l.Visible[i]]
		right := ""
		if names := l.Looking[p.ID]; len(names) > 0 {
			right = " ◂" + strings.Join(names, ",")
		}
		right = theme.Cut(right, w/3)
		mark := "  "
		if i == l.Cursor {
			mark = "▸ "
		}
		// Only the start of a statement can show in a row: clean no more.
		text := sanitize.Line(theme.Prefix(p.Criterion, w)) + " " + sanitize.Line(theme.Prefix(p.Final, w))
		text = theme.Fit(text, w-theme.Width(right)-4)
		var row string
		if i == l.Cursor {
			row = c.St.Cursor.Render(mark + ansi.Strip(c.StatusMark(p.Status)) + " " + text + right)
		} else {
			row = mark + c.StatusMark(p.Status) + " " + text + c.St.Faint.Render(right)
		}
		out = append(out, row)
	}
	return theme.Pad(out, w, h)
}
