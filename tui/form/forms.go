package form

import (
	"fmt"
	"strconv"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/pane"
)

// Filter is the panel of the list's filter: one row per field, each with
// the value it would take (Values, "" for everything), Row the one chosen.
type Filter struct {
	C      *pane.Common
	Values []string
	Row    int
	Err    string
}

// Render draws the filter panel.
func (f Filter) Render(w int) []string {
	p := &panel{c: f.C, w: w}
	t := f.C.T
	p.rule(t.FilterTitle)
	names := []string{t.FilterCriterion, t.FilterDocument, t.FilterStatus, t.FilterOrigin, t.FilterConflict}
	for r, name := range names {
		v := ""
		if r < len(f.Values) {
			v = f.Values[r]
		}
		p.choice(r == f.Row, fmt.Sprintf("%-10s ‹ %s ›", name, f.valueWord(r, v)))
	}
	p.hint(f.Err, t.FilterHint)
	return p.out
}

func (f Filter) valueWord(row int, v string) string {
	c := f.C
	if v == "" {
		return c.T.FilterAll
	}
	switch row {
	case 0:
		cr, _ := c.State.Criterion(v)
		return sanitize.Line(cr.ID) + " · " + sanitize.Line(cr.Title)
	case 1:
		return c.DocTitle(v)
	case 2:
		return c.StatusWord(review.Status(v))
	case 3:
		return c.OriginKindWord(v)
	}
	return c.T.FilterOnly
}

// Reject is the panel of a rejection's reason. Other is the free-text
// input's view once "other" is chosen, "" before.
type Reject struct {
	C        *pane.Common
	Selected int
	Other    string
	Err      string
}

// Render draws the reasons.
func (r Reject) Render(w int) []string {
	p := &panel{c: r.C, w: w}
	t := r.C.T
	p.rule(t.ReasonTitle)
	for i, reason := range review.Reasons {
		p.choice(i == r.Selected, strconv.Itoa(i+1)+" "+r.C.ReasonWord(reason))
	}
	if r.Other != "" {
		p.add(r.Other)
		p.hint(r.Err, t.ReasonOtherHint)
	} else {
		p.hint(r.Err, t.ReasonHint)
	}
	return p.out
}

// Rephrase is the panel of a new wording, Editor the editor's view.
type Rephrase struct {
	C      *pane.Common
	Editor string
	Err    string
}

// Render draws the editor.
func (r Rephrase) Render(w int) []string {
	p := &panel{c: r.C, w: w}
	p.rule(r.C.T.EditTitle)
	p.lines(r.Editor)
	p.hint(r.Err, r.C.T.EditHint)
	return p.out
}

// Comment is the panel of a comment, Input the input's view.
type Comment struct {
	C     *pane.Common
	Input string
	Err   string
}

// Render draws the comment's input.
func (c Comment) Render(w int) []string {
	p := &panel{c: c.C, w: w}
	p.rule(c.C.T.CommentTitle)
	p.add(c.Input)
	p.hint(c.Err, c.C.T.CommentHint)
	return p.out
}

// Create steps.
const (
	CreatePick = iota
	CreateStatement
	CreateQuote
)

// Create is the panel of a new link in three steps: the criterion (Crit,
// an index in State.Criteria), the statement (Editor's view), the quote
// (Input's view, with the statement written so far in Text).
type Create struct {
	C      *pane.Common
	Step   int
	Crit   int
	Editor string
	Input  string
	Text   string
	Err    string
}

// Render draws the step in progress.
func (f Create) Render(w int) []string {
	p := &panel{c: f.C, w: w}
	t, st := f.C.T, f.C.St
	p.rule(t.CreateTitle)
	crits := f.C.State.Criteria
	if f.Step == CreatePick {
		p.add(st.Label.Render(t.CreateStepCriterion))
		from := max(0, min(f.Crit-2, len(crits)-5))
		for i := from; i < len(crits) && i < from+5; i++ {
			p.choice(i == f.Crit, sanitize.Line(crits[i].ID)+" · "+sanitize.Line(crits[i].Title))
		}
		p.hint(f.Err, t.CreateHintPick)
		return p.out
	}
	c := crits[f.Crit]
	p.add(st.Faint.Render(t.LabelCriterion+" ") + sanitize.Line(c.ID) + " · " + sanitize.Line(c.Title))
	if f.Step == CreateStatement {
		p.add(st.Label.Render(t.CreateStepStatement))
		p.lines(f.Editor)
		p.hint(f.Err, t.CreateHintStatement)
		return p.out
	}
	p.add(st.Faint.Render(t.LabelStatement+t.Colon) + sanitize.Line(f.Text))
	p.add(st.Label.Render(t.CreateStepQuote))
	p.add(f.Input)
	p.hint(f.Err, t.CreateHintQuote)
	return p.out
}
