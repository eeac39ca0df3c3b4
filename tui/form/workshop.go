package form

import (
	"fmt"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/pane"
	"github.com/coopdescommuns/revue/tui/theme"
)

// Versions is the facilitator's picker of the wording to seal: every
// version of the statement, the original first, with its author, and for
// the one chosen what it changes, in plain words: "avant" with the words
// it removes, "après" with the words it adds (never the [-…-] {+…+}
// notation of the trace, which is for researchers). Outcome is the
// outcome input's view; Writing says that it has the keys.
type Versions struct {
	C        *pane.Common
	P        *review.ProposalState
	Selected int
	Outcome  string
	Writing  bool
	Err      string
}

// Render draws the picker.
func (v Versions) Render(w int) []string {
	p := &panel{c: v.C, w: w}
	t, st := v.C.T, v.C.St
	p.rule(t.VersionsTitle)
	vs := v.P.Versions
	if len(vs) < 2 {
		p.add(st.Faint.Render(t.NoVersions))
	}
	from := max(0, min(v.Selected-1, len(vs)-3))
	for i := from; i < len(vs) && i < from+3; i++ {
		label := t.VersionOriginal + " · " + sanitize.Line(vs[i].Author.Name)
		if i > 0 {
			label = fmt.Sprintf(t.VersionN, vs[i].N, sanitize.Line(vs[i].Author.Name))
		}
		// The chosen wording stays marked while the outcome is written:
		// the facilitator must see what Enter will seal.
		p.choice(i == v.Selected, label)
	}
	if i := v.Selected; i >= 0 && i < len(vs) {
		if i == 0 {
			for _, l := range clip(theme.WrapText(sanitize.Line(vs[0].Statement), w-4), 2, w-4) {
				p.add("  " + st.Statement.Render(l))
			}
		} else {
			before, after := pane.BeforeAfter(v.P.Statement, vs[i].Statement, st.DiffDel.Render, st.DiffAdd.Render)
			p.add("  " + st.Faint.Render(t.Before+t.Colon) + theme.Cut(before, w-6-theme.Width(t.Before+t.Colon)))
			p.add("  " + st.Faint.Render(t.After+t.Colon) + theme.Cut(after, w-6-theme.Width(t.After+t.Colon)))
		}
	}
	if v.Outcome != "" {
		p.add(v.Outcome)
	}
	if v.Writing {
		p.hint(v.Err, t.VersionsOutHint)
	} else {
		p.hint(v.Err, t.VersionsHint)
	}
	return p.out
}

// clip is pane.Clip without the report.
func clip(lines []string, n, w int) []string {
	out, _ := pane.Clip(lines, n, w)
	return out
}

// Parked is the list of the links set aside, to go back to one.
type Parked struct {
	C        *pane.Common
	IDs      []string
	Selected int
}

// Render draws the list.
func (f Parked) Render(w int) []string {
	p := &panel{c: f.C, w: w}
	t := f.C.T
	p.rule(t.ParkedTitle)
	if len(f.IDs) == 0 {
		p.add(f.C.St.Faint.Render(t.NoParked))
	}
	from := max(0, min(f.Selected-2, len(f.IDs)-5))
	for i := from; i < len(f.IDs) && i < from+5; i++ {
		pr, ok := f.C.State.Proposal(f.IDs[i])
		if !ok {
			continue
		}
		cr, _ := f.C.State.Criterion(pr.Criterion)
		p.choice(i == f.Selected, "↺ "+sanitize.Line(cr.ID)+" · "+sanitize.Line(cr.Title)+" · "+f.C.DocTitle(pr.Document))
	}
	p.hint("", t.ParkedHint)
	return p.out
}

// Consent is the consent text, shown before anything else to a person who
// has not answered it, from line From on, in h lines.
type Consent struct {
	C    *pane.Common
	Text string
	From int
}

// Render draws the text and how to answer; it returns the first line
// actually shown (the text may be shorter than From asks).
func (f Consent) Render(w, h int) ([]string, int) {
	c := f.C
	out := []string{theme.Fit(" "+c.St.Title.Render(c.T.ConsentTitle), w), theme.Fit("", w)}
	lines := theme.WrapText(sanitize.Text(f.Text), w-2)
	room := max(h-len(out)-2, 1)
	from := max(0, min(f.From, len(lines)-room))
	for i := from; i < len(lines) && i < from+room; i++ {
		out = append(out, theme.Fit(" "+lines[i], w))
	}
	out = theme.Pad(out, w, h-1)
	hint := c.T.ConsentHint
	if from+room < len(lines) {
		hint = "… " + hint
	}
	return append(out, theme.Fit(" "+c.St.Label.Render(hint), w)), from
}

// Ask is a one-line question of the facilitator's tools (the timer's
// length, the session's end, the least number of votes of a unanimous
// link), or, without Input, a yes-or-no question.
type Ask struct {
	C     *pane.Common
	Title string
	Input string
	Hint  string
	Err   string
}

// Render draws the question.
func (a Ask) Render(w int) []string {
	p := &panel{c: a.C, w: w}
	p.rule(a.Title)
	if a.Input != "" {
		p.add(a.Input)
	}
	p.hint(a.Err, a.Hint)
	return p.out
}
