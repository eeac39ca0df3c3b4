package pane

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// Turnout is the panel of who has and has not voted on a link, among the
// participants present (review.ProposalState.Turnout): two groups of names
// in as many columns as the width allows, so that twenty to forty names
// fit an 80x24 screen; when even columns of initials would not fit, each
// group is counted, with as many names as fit. Raised hands are marked ✋.
type Turnout struct {
	C       *Common
	P       *review.ProposalState
	N       int // the link's number in the session
	Present []review.Actor
	// Of, when not nil, is P's turnout over Present, computed once for
	// every screen (session.Turnout); otherwise Render computes it.
	Of    *review.Turnout
	Hands map[string]bool // by Actor.Key
}

// Render draws the panel in exactly h lines of w cells.
func (t Turnout) Render(w, h int) []string {
	c := t.C
	var tu review.Turnout
	if t.Of != nil {
		tu = *t.Of
	} else {
		tu = t.P.Turnout(t.Present)
	}
	out := []string{theme.Fit(" "+c.St.Title.Render(fmt.Sprintf(c.T.TurnoutTitle, t.N, tu.Voted, tu.Present)), w)}
	if tu.Present == 0 {
		out = append(out, theme.Fit(" "+c.St.Faint.Render(c.T.TurnoutNone), w))
		return theme.Pad(out, w, h)
	}
	missing := map[string]bool{}
	for _, a := range tu.Missing {
		missing[a.Key()] = true
	}
	var voted, notYet []string
	for _, a := range t.Present {
		name := sanitize.Line(a.Name)
		if t.Hands[a.Key()] {
			name = "✋" + name
		}
		if missing[a.Key()] {
			notYet = append(notYet, name)
		} else {
			voted = append(voted, name)
		}
	}
	room := h - len(out)
	// Each group takes a heading line; the rest is shared in proportion.
	rowsNot := max(1, (room-2)*len(notYet)/max(len(notYet)+len(voted), 1))
	if len(voted) == 0 {
		rowsNot = room - 2
	}
	rowsVoted := max(room-2-rowsNot, 0)
	out = append(out, t.group(c.T.TurnoutNotYet, notYet, w, rowsNot, c.St.Conflict.Render)...)
	out = append(out, t.group(c.T.TurnoutVoted, voted, w, rowsVoted, c.St.Faint.Render)...)
	return theme.Pad(out, w, h)
}

// group is a heading with its count, then the names in columns within rows
// lines: full names if they fit, else initials, else as many as fit and
// the count of the others.
func (t Turnout) group(title string, names []string, w, rows int, paint func(string) string) []string {
	out := []string{theme.Fit(" "+t.C.St.Label.Render(fmt.Sprintf("%s (%d)", title, len(names))), w)}
	if len(names) == 0 || rows <= 0 {
		return out
	}
	for _, shorten := range []func(string) string{func(s string) string { return s }, initials} {
		cells := make([]string, len(names))
		widest := 0
		for i, n := range names {
			cells[i] = shorten(n)
			widest = max(widest, theme.Width(cells[i]))
		}
		colW := min(widest+2, max(w-2, 4))
		cols := max((w-2)/colW, 1)
		if (len(cells)+cols-1)/cols > rows {
			continue
		}
		return append(out, columns(cells, cols, colW, w, paint)...)
	}
	// Not even initials fit: as many full names as the lines hold, then
	// how many more.
	cols := max((w-2)/12, 1)
	keep := max(rows*cols-1, 0)
	cells := make([]string, 0, keep+1)
	for _, n := range names[:min(keep, len(names))] {
		cells = append(cells, theme.Cut(n, 10))
	}
	cells = append(cells, fmt.Sprintf("+%d", len(names)-len(cells)))
	return append(out, columns(cells, cols, 12, w, paint)...)
}

// columns lays cells out column by column, colW cells wide.
func columns(cells []string, cols, colW, w int, paint func(string) string) []string {
	rows := (len(cells) + cols - 1) / cols
	out := make([]string, rows)
	for r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for c := range cols {
			i := c*rows + r
			if i >= len(cells) {
				break
			}
			b.WriteString(paint(theme.Fit(theme.Cut(cells[i], colW-1), colW)))
		}
		out[r] = theme.Fit(b.String(), w)
	}
	return out
}

// initials shortens a name to its initials ("Anne-Marie Dupont" → "AMD"),
// a raised hand kept.
func initials(name string) string {
	hand := strings.HasPrefix(name, "✋")
	name = strings.TrimPrefix(name, "✋")
	var b strings.Builder
	if hand {
		b.WriteString("✋")
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' || r == '.' || r == '_' }) {
		for _, r := range part {
			b.WriteRune(r)
			break
		}
	}
	if b.Len() == 0 || hand && b.Len() == len("✋") {
		return theme.Cut(name, 3)
	}
	return b.String()
}

// Results are the lines of what the room decided so far, per criterion:
// the statements kept (accepted or rephrased) with their documents, and
// the rejected links counted by reason.
func (c *Common) Results(w int) []string {
	st := c.State
	var out []string
	add := func(s string) { out = append(out, theme.Fit(" "+s, w)) }
	any := false
	for _, cr := range st.Criteria {
		var kept []*review.ProposalState
		reasons := map[string]int{}
		rejected, pending := 0, 0
		for _, p := range st.Proposals {
			if p.Criterion != cr.ID {
				continue
			}
			switch p.Status {
			case review.Accepted, review.Rephrased:
				kept = append(kept, p)
			case review.Rejected:
				rejected++
				if p.Decision != nil {
					reasons[p.Decision.Reason]++
				}
			default:
				pending++
			}
		}
		if len(kept)+rejected+pending == 0 {
			continue
		}
		any = any || len(kept)+rejected > 0
		head := sanitize.Line(cr.ID) + " · " + sanitize.Line(cr.Title)
		count := c.St.Faint.Render(" — " + strings.Join([]string{
			fmt.Sprintf(c.T.ResultsKept, len(kept)), fmt.Sprintf(c.T.ResultsRejected, rejected), fmt.Sprintf(c.T.ResultsPending, pending)}, " · "))
		add(c.St.Title.Render(theme.Cut(head, w-2-theme.Width(count))) + count)
		for _, p := range kept {
			mark := c.StatusMark(p.Status)
			text := c.Quoted(sanitize.Line(p.Final)) + c.St.Faint.Render(" ("+c.DocTitle(p.Document)+")")
			lines := theme.WrapText(text, w-5)
			for i, l := range lines {
				if i == 0 {
					add(" " + mark + " " + l)
				} else {
					add("   " + l)
				}
			}
		}
		if rejected > 0 {
			keys := make([]string, 0, len(reasons))
			for r := range reasons {
				keys = append(keys, r)
			}
			sort.Slice(keys, func(i, j int) bool {
				if reasons[keys[i]] != reasons[keys[j]] {
					return reasons[keys[i]] > reasons[keys[j]]
				}
				return keys[i] < keys[j]
			})
			var parts []string
			for _, r := range keys {
				parts = append(parts, fmt.Sprintf("%d %s", reasons[r], c.ReasonWord(r)))
			}
			add(" " + c.StatusMark(review.Rejected) + " " + theme.Cut(fmt.Sprintf(c.T.ResultsRejected, rejected)+" — "+strings.Join(parts, ", "), w-5))
		}
		add("")
	}
	if !any {
		out = append([]string{theme.Fit(" "+c.St.Faint.Render(c.T.ResultsNone), w), theme.Fit("", w)}, out...)
	}
	return out
}

// Source is the lines of a passage in its document: the document's title,
// source and date, then the passages before and after it, each with its
// page or section, this one marked and its quote highlighted.
func (c *Common) Source(p *review.ProposalState, w int) []string {
	st := c.State
	d, ok := st.Document(p.Document)
	if !ok {
		return nil
	}
	var out []string
	add := func(s string) { out = append(out, theme.Fit(" "+s, w)) }
	add(c.St.Title.Render(theme.Cut(c.DocTitle(d.ID), w-2)))
	meta := sanitize.Line(d.Source)
	if at, ok := documentAdded(st, d.ID); ok {
		meta += " · " + fmt.Sprintf(c.T.SourceAdded, at)
	}
	add(c.St.Faint.Render(theme.Cut(meta, w-2)))
	add("")
	where := -1
	for i := range d.Passages {
		if d.Passages[i].ID == p.Passage {
			where = i
		}
	}
	from, to := max(where-3, 0), min(where+4, len(d.Passages))
	if where < 0 {
		from, to = 0, min(len(d.Passages), 7)
	}
	if from > 0 {
		add(c.St.Faint.Render("…"))
	}
	for i := from; i < to; i++ {
		pa := d.Passages[i]
		label := fmt.Sprintf("§%d", pa.Index)
		switch {
		case pa.Page > 0:
			label += " · " + fmt.Sprintf(c.T.LabelPage, pa.Page)
		case pa.Section != "":
			label += " · " + sanitize.Line(pa.Section)
		}
		if i == where {
			add(c.St.Label.Render(theme.Cut(c.T.SourceHere+" · "+label, w-2)))
		} else {
			add(c.St.Faint.Render(theme.Cut(label, w-2)))
		}
		text := sanitize.Text(st.PassageText(&pa))
		for _, l := range theme.WrapText(text, w-4) {
			if i == where {
				add("  " + c.St.Statement.Render(l))
			} else {
				add("  " + l)
			}
		}
		add("")
	}
	if to < len(d.Passages) {
		add(c.St.Faint.Render("…"))
	}
	return out
}

// documentAdded is the day a document entered the session, from its
// document.added event: the trace has no other date for it.
func documentAdded(st *review.State, id string) (string, bool) {
	for _, e := range st.Events {
		if e.Kind != review.KindDocumentAdded {
			continue
		}
		var d struct {
			ID string `json:"id"`
		}
		if e.Decode(&d) == nil && d.ID == id {
			return e.At.Format("2006-01-02"), true
		}
	}
	return "", false
}
