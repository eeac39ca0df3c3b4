package pane

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// Passage is the pane of the passage: where it comes from and its text,
// the quote highlighted and in view. View is the passage made ready for the
// last width (nil: made here); Scroll is the first line shown, -1 to put
// the quote in view.
type Passage struct {
	C      *Common
	P      *review.ProposalState
	View   *PassageView
	Scroll int
}

// Render returns the lines, the passage view it used or made (for the next
// frame and for paging) and how many passage lines it had room for.
func (pp Passage) Render(w, h int) ([]string, *PassageView, int) {
	c, p := pp.C, pp.P
	st := c.State
	out := make([]string, 0, h)
	pa, ok := st.Passage(p.Passage)
	head := c.DocTitle(p.Document)
	if ok {
		switch {
		case pa.Page > 0:
			head += " · " + fmt.Sprintf(c.T.LabelPage, pa.Page)
		case pa.Section != "":
			head += " · " + sanitize.Line(pa.Section)
		}
	}
	out = append(out, c.TitleRule(c.T.LabelPassage+" · "+head, w))
	var tail []string
	if p.Quote != "" && (p.QuoteStart < 0 || p.QuoteEnd <= p.QuoteStart) {
		tail = append(tail, theme.Fit("", w), theme.Fit(c.St.Missing.Render(theme.Cut(c.T.LabelQuote+" ("+c.T.QuoteNotFound+")"+strings.TrimRight(c.T.Colon, " "), w)), w))
		q := theme.WrapText(c.Quoted(sanitize.Line(p.Quote)), w)
		if len(q) > 3 {
			q = append(q[:2], theme.Cut(q[2]+" "+q[3], w))
		}
		for _, l := range q {
			tail = append(tail, theme.Fit(c.St.Missing.Render(l), w))
		}
	}
	rows := h - 1 - len(tail)
	if rows < 2 {
		tail, rows = nil, h-1
	}
	if !ok {
		return theme.Pad(append(out, tail...), w, h), pp.View, 0
	}
	v := pp.View
	if v == nil || v.proposal != p.ID || v.width != w {
		v = NewPassageView(p, st.PassageText(pa), w)
	}
	start, n, top, bottom := v.Window(pp.Scroll, rows)
	if top {
		out = append(out, theme.Fit(c.St.Faint.Render("…"), w))
	}
	for i := start; i < start+n; i++ {
		out = append(out, theme.Fit(v.Render(i, c.St.Quote.Render), w))
	}
	if bottom {
		out = append(out, theme.Fit(c.St.Faint.Render("… "+c.T.MorePassage), w))
	}
	out = theme.Pad(out, w, h-len(tail))
	return append(out, tail...), v, rows
}

// Window is which wrapped lines fit in rows: the first, how many, and
// whether markers above and below say that there is more. Scroll is the
// first line asked for, -1 for the quote's place.
func (v *PassageView) Window(scroll, rows int) (start, n int, top, bottom bool) {
	total := len(v.lines)
	if total <= rows {
		return 0, total, false, false
	}
	start = scroll
	if start < 0 {
		start = max(v.quoteRow-rows/4, 0)
	}
	start = max(0, min(start, total-(rows-1)))
	n = rows
	if start > 0 {
		top = true
		n--
	}
	if start+n < total {
		bottom = true
		n--
	}
	return start, n, top, bottom
}

// PassageView is a passage made ready for the screen: sanitized, with the
// quote's place in the sanitized text, wrapped for one width. It is rebuilt
// only when the proposal or the width changes: re-wrapping a long passage at
// every key press, for two hundred screens, would be wasted work.
type PassageView struct {
	proposal string
	width    int
	runes    []rune
	qs, qe   int // quote in runes, qs == qe when there is none to highlight
	lines    []theme.Span
	quoteRow int // the first line with the quote, or 0
}

// NewPassageView sanitizes the three parts of the passage (before, quote,
// after) separately, so that the quote's rune offsets, given on the raw text,
// still point at the quote after sanitize has dropped or widened characters.
func NewPassageView(p *review.ProposalState, text string, limit int) *PassageView {
	raw := []rune(text)
	v := &PassageView{proposal: p.ID, width: limit}
	qs, qe := p.QuoteStart, p.QuoteEnd
	if qs >= 0 && qs <= qe && qe <= len(raw) && qe > qs {
		before := sanitize.Text(string(raw[:qs]))
		quote := sanitize.Text(string(raw[qs:qe]))
		after := sanitize.Text(string(raw[qe:]))
		v.runes = []rune(before + quote + after)
		v.qs = utf8.RuneCountInString(before)
		v.qe = v.qs + utf8.RuneCountInString(quote)
	} else {
		v.runes = []rune(sanitize.Text(text))
	}
	v.runes = trimRightSpace(v.runes)
	v.qe = min(v.qe, len(v.runes))
	v.qs = min(v.qs, v.qe)
	// Never cut a character that the eye sees as one (an accent written
	// as a combining mark, an emoji sequence): terminals would draw the
	// halves apart and widths would no longer add up.
	for v.qs > 0 && theme.Joins(v.runes, v.qs) {
		v.qs--
	}
	for v.qe < len(v.runes) && theme.Joins(v.runes, v.qe) {
		v.qe++
	}
	v.lines = theme.WrapRunes(v.runes, limit)
	for i, l := range v.lines {
		if v.qe > v.qs && l.End > v.qs {
			v.quoteRow = i
			break
		}
	}
	return v
}

func trimRightSpace(r []rune) []rune {
	for len(r) > 0 && unicode.IsSpace(r[len(r)-1]) {
		r = r[:len(r)-1]
	}
	return r
}

// Render draws line i, the quote in its style.
func (v *PassageView) Render(i int, quote func(string) string) string {
	l := v.lines[i]
	if v.qe <= v.qs || l.End <= v.qs || l.Start >= v.qe {
		return string(v.runes[l.Start:l.End])
	}
	var b strings.Builder
	a, z := max(l.Start, v.qs), min(l.End, v.qe)
	b.WriteString(string(v.runes[l.Start:a]))
	b.WriteString(quote(string(v.runes[a:z])))
	b.WriteString(string(v.runes[z:l.End]))
	return b.String()
}

// styleFunc renders a piece of text in a style.
type styleFunc func(string) string

// Lines is how many lines the wrapped passage has.
func (v *PassageView) Lines() int { return len(v.lines) }
