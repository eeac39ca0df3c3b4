package pane

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// List is the column of proposals on wide screens, with who else is looking
// at each. Visible are indexes in State.Proposals, Cursor the row on screen,
// Looking the names of the others looking at each proposal.
//
// A row says what the link is about (the criterion's id and title, the
// document, the first words of the quote) and marks its status, the
// reader's own vote (Self), a disagreement (unless Hidden says that the
// link's verdicts are hidden from this reader) and whether it is parked (↺).
type List struct {
	C       *Common
	Visible []int
	Cursor  int
	Looking map[string][]string
	Self    string
	Hidden  func(*review.ProposalState) bool
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
		marks := c.StatusMark(p.Status) + l.marks(p)
		text := theme.Fit(l.about(p, w), w-theme.Width(right)-7)
		var row string
		if i == l.Cursor {
			row = c.St.Cursor.Render(mark + ansi.Strip(marks+" "+text) + right)
		} else {
			row = mark + marks + " " + text + c.St.Faint.Render(right)
		}
		out = append(out, row)
	}
	return theme.Pad(out, w, h)
}

// marks are the three marks after the status: the reader's vote, a
// disagreement, parked.
func (l List) marks(p *review.ProposalState) string {
	c := l.C
	mine := " "
	for i := len(p.Votes) - 1; i >= 0; i-- {
		if IsKey(p.Votes[i].Actor, l.Self) {
			mine = c.VerdictMark(p.Votes[i].Verdict)
			break
		}
	}
	conflict := " "
	if p.Conflict && !(l.Hidden != nil && l.Hidden(p)) {
		conflict = c.St.Conflict.Render("⚠")
	}
	parked := " "
	if p.Parked {
		parked = c.St.Faint.Render("↺")
	}
	return mine + conflict + parked
}

// about is what a link is about, in a few words: only the start of each
// part can show in a row, so no more is cleaned.
func (l List) about(p *review.ProposalState, w int) string {
	c := l.C
	cr, _ := c.State.Criterion(p.Criterion)
	s := sanitize.Line(theme.Prefix(cr.ID, w)) + " " + sanitize.Line(theme.Prefix(cr.Title, 24)) +
		c.St.Faint.Render(" · ") + theme.Prefix(c.DocTitle(p.Document), 20)
	if p.Quote != "" {
		s += c.St.Faint.Render(" · ") + c.Quoted(sanitize.Line(theme.Prefix(p.Quote, w)))
	}
	return s
}
