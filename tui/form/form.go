// Package form draws the panels in which a person writes an action: the
// reason of a rejection, a rephrasing, a comment, a new link, a filter, and
// the workshop's pickers. Each is a plain struct whose Render draws it at a
// width under the panes, so that the passage stays in view while one
// writes; the root model in tui/ handles their keys and holds their inputs.
package form

import (
	"strings"

	"github.com/coopdescommuns/revue/tui/pane"
	"github.com/coopdescommuns/revue/tui/theme"
)

// panel accumulates the lines of a form, each fitted to the width with a
// margin of one cell.
type panel struct {
	c   *pane.Common
	w   int
	out []string
}

func (p *panel) add(s string) { p.out = append(p.out, theme.Fit(" "+s, p.w)) }

func (p *panel) rule(title string) {
	t := "── " + title + " "
	p.out = append(p.out, theme.Fit(" "+p.c.St.Rule.Render(t+strings.Repeat("─", max(p.w-2-theme.Width(t), 0))), p.w))
}

func (p *panel) choice(sel bool, s string) {
	if sel {
		p.add(p.c.St.Cursor.Render("▸ " + s))
	} else {
		p.add("  " + s)
	}
}

// hint ends a form with its error, if any, and its keys.
func (p *panel) hint(err, s string) {
	if err != "" {
		p.add(p.c.St.Error.Render(err))
	}
	p.add(p.c.St.Faint.Render(s))
}

func (p *panel) lines(view string) {
	for _, l := range strings.Split(view, "\n") {
		p.add(l)
	}
}
