package room

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// Layout: a wall of at least wallWidth content cells shows the link on the
// left and its passage on the right; a narrower one stacks them. A screen
// at least roomyHeight tall gets margins above and below and spacing
// between lines; a laptop's 24 lines get none.
const (
	wallWidth   = 130
	roomyHeight = 30
)

// frame is the whole screen of a link.
func (v *View) frame(sc *scene, w, h int) []string {
	m := margin(w)
	cw := w - 2*m
	roomy := h >= roomyHeight
	top := v.header(sc, cw)
	bottom := v.footer(sc, cw)
	if roomy {
		top = append([]string{""}, top...)
		top = append(top, "")
		bottom = append(bottom, "")
	}
	bodyH := h - len(top) - len(bottom)
	var body []string
	if cw >= wallWidth {
		body = v.wall(sc, cw, bodyH, roomy)
	} else {
		body = v.column(sc, cw, bodyH, roomy)
	}
	return v.assemble(top, body, bottom, m, cw, w, h)
}

// assemble puts margins around every line and makes the screen exactly h
// lines of w cells.
func (v *View) assemble(top, body, bottom []string, m, cw, w, h int) []string {
	out := make([]string, 0, h)
	add := func(l string) { out = append(out, strings.Repeat(" ", m)+fit(l, cw)+strings.Repeat(" ", w-m-cw)) }
	for _, l := range top {
		add(l)
	}
	for i := range max(h-len(top)-len(bottom), 0) {
		l := ""
		if i < len(body) {
			l = body[i]
		}
		add(l)
	}
	for _, l := range bottom {
		add(l)
	}
	if len(out) > h {
		out = out[:h]
	}
	return out
}

// margin is the space left and right: a wall's text reads better away from
// the edges of the picture, which projectors often cut.
func margin(w int) int {
	if w < 100 {
		return 2
	}
	return w / 16
}

// header is the session, who leads, the voting mode and where the link is
// in the session, over a rule.
func (v *View) header(sc *scene, cw int) []string {
	var right []string
	if sc.blind {
		right = append(right, v.st.Conflict.Render(v.t.Blind))
	}
	if sc.leader != "" {
		right = append(right, v.st.Faint.Render(fmt.Sprintf(v.t.LedBy, sanitize.Line(sc.leader))))
	} else if sc.p != nil {
		right = append(right, v.st.Faint.Render(v.t.NoLeader))
	}
	if sc.p != nil {
		right = append(right, v.st.Faint.Render(fmt.Sprintf(v.t.LinkPosition, sc.index, sc.total)))
	}
	r := strings.Join(right, v.st.Faint.Render(" · "))
	r = cut(r, cw*2/3)
	left := v.st.App.Render(v.t.AppName) + v.st.Faint.Render(" · ") + v.st.Label.Render(cut(sc.session, max(cw-width(r)-len(v.t.AppName)-6, 1)))
	gap := max(cw-width(left)-width(r), 1)
	return []string{left + strings.Repeat(" ", gap) + r, v.st.Rule.Render(strings.Repeat("─", cw))}
}

// footer is the notice, then the session's progress, overall and per
// criterion.
func (v *View) footer(sc *scene, cw int) []string {
	notice := ""
	if sc.notice != "" {
		notice = v.st.Notice.Render(" " + cut(sc.notice, cw-2) + " ")
	}
	barW := min(30, cw/5)
	filled := 0
	if sc.total > 0 {
		filled = sc.decided * barW / sc.total
	}
	prog := v.st.Bar.Render(strings.Repeat("█", filled)) + v.st.BarEmpty.Render(strings.Repeat("░", barW-filled)) +
		"  " + v.st.Label.Render(v.t.Progress(sc.decided, sc.total))
	var parts []string
	for _, c := range sc.perCrit {
		if c.total == 0 {
			continue
		}
		parts = append(parts, c.id+" "+fmt.Sprintf("%d/%d", c.decided, c.total))
	}
	if len(parts) > 0 {
		room := cw - width(prog) - 6
		if room > 10 {
			per := cut(strings.Join(parts, " · "), room)
			prog += strings.Repeat(" ", max(cw-width(prog)-width(per), 2)) + v.st.Faint.Render(per)
		}
	}
	return []string{notice, prog}
}

// wall is the two-column body: the link on the left, its passage on the
// right.
func (v *View) wall(sc *scene, cw, h int, roomy bool) []string {
	gutter := max(6, cw/24)
	lw := (cw - gutter) * 9 / 20
	pw := cw - gutter - lw
	left := trimBlank(v.linkColumn(sc, lw, h, roomy))
	// A line of text reads best under a hundred cells, even on a wall.
	right := trimBlank(v.passage(sc, min(pw, 100), h, roomy))
	// The body sits a third of the way down the room it has rather than
	// under the header, the eye's resting place on a wall.
	off := max(0, (h-max(len(left), len(right)))/3)
	out := make([]string, h)
	for i := range h {
		var l, r string
		if j := i - off; j >= 0 && j < len(left) {
			l = left[j]
		}
		if j := i - off; j >= 0 && j < len(right) {
			r = right[j]
		}
		out[i] = fit(l, lw) + strings.Repeat(" ", gutter) + r
	}
	return out
}

// trimBlank drops the empty lines at the end of a column.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// linkColumn is the left of the wall: the criterion, the statement, the
// decision or the votes, the timer. Each part is bounded, and when the
// column is too short the parts close up, then the description and the
// statement give up lines, so that a long text never pushes the votes off
// the wall.
func (v *View) linkColumn(sc *scene, w, h int, roomy bool) []string {
	// On a tall wall the parts stand further apart, and the statement's
	// lines are spaced like the passage's.
	gap := 1
	if roomy {
		gap = min(1+max(h-36, 0)/12, 2)
	}
	tiers := [][2]int{{3, 6}, {2, 4}, {1, 3}, {0, 2}, {0, 1}}
	var out []string
	for t := 0; t < len(tiers); {
		descN, stmtN := tiers[t][0], tiers[t][1]
		parts := [][]string{
			v.criterion(sc, w, 2, descN),
			v.statement(sc, w, stmtN, roomy, gap > 1),
			v.outcomeBlock(sc, w),
			v.votesBlock(sc, w),
		}
		out = out[:0]
		for _, part := range parts {
			if len(part) == 0 {
				continue
			}
			if len(out) > 0 {
				out = append(out, make([]string, gap)...)
			}
			out = append(out, part...)
		}
		if tm := v.timerBlock(sc, w, h-len(out)-gap >= 6); len(tm) > 0 {
			out = append(out, make([]string, gap)...)
			out = append(out, tm...)
		}
		switch {
		case len(out) <= h:
			return out
		case gap > 1:
			gap = 1
		default:
			t++
		}
	}
	return out
}

// column is the stacked body of narrower screens: the link, the votes, then
// the passage in the rows that remain.
func (v *View) column(sc *scene, cw, h int, roomy bool) []string {
	descN, stmtN, titleN := 2, 4, 2
	if !roomy {
		descN, stmtN, titleN = 1, 3, 1
	}
	var votes []string
	if out := v.outcomeLine(sc, cw); out != "" {
		votes = append(votes, out)
	}
	votes = append(votes, v.votesLines(sc, cw)...)
	if tm := v.timerBlock(sc, cw, false); len(tm) > 0 {
		votes = append(votes, tm...)
	}
	for {
		top := v.criterion(sc, cw, titleN, descN)
		top = append(top, "")
		top = append(top, v.statement(sc, cw, stmtN, false, false)...)
		rest := h - len(top) - 1 - len(votes) - 1
		if rest >= 4 || (descN == 0 && stmtN <= 1) {
			out := append(top, "")
			out = append(out, v.passage(sc, cw, max(rest, 0), roomy)...)
			for len(out) < h-len(votes) {
				out = append(out, "")
			}
			out = out[:max(h-len(votes), 0)]
			return append(out, votes...)
		}
		// Too little room for the passage: give up the description
		// first, then lines of the statement.
		if descN > 0 {
			descN--
		} else {
			stmtN--
		}
	}
}

// criterion is the headline: the criterion's id and title, underlined, and
// its description.
func (v *View) criterion(sc *scene, w, titleN, descN int) []string {
	title := sanitize.Line(sc.crit.ID) + " · " + sanitize.Line(sc.crit.Title)
	var out []string
	lines := clamp(title, w, titleN)
	widest := 0
	for _, l := range lines {
		out = append(out, v.st.Title.Render(l))
		widest = max(widest, width(l))
	}
	out = append(out, v.st.Title.Render(strings.Repeat("━", widest)))
	if descN > 0 {
		for _, l := range clamp(sanitize.Line(sc.crit.Description), w, descN) {
			out = append(out, v.st.Faint.Render(l))
		}
	}
	return out
}

// statement is the statement in force, under a label saying whether it is
// proposed, kept or set aside, with whose wording it is.
func (v *View) statement(sc *scene, w, n int, roomy, spaced bool) []string {
	p := sc.p
	label := v.t.Statement
	// While open, the statement in force is the one proposed: competing
	// wordings are votes, not yet the link's.
	stmt := p.Statement
	d, decided := decisionOf(p)
	if decided {
		stmt = p.Final
		switch d.verdict {
		case review.Reject:
			label = v.t.StatementOff
			if stmt == "" {
				stmt = p.Statement
			}
		default:
			label = v.t.StatementKept
		}
	}
	if stmt == "" {
		stmt = p.Statement
	}
	out := []string{v.st.Faint.Render(strings.ToUpper(label))}
	if roomy {
		out = append(out, "")
	}
	bar := v.st.Title.Render("┃") + " "
	style := v.st.Statement
	if decided && d.verdict == review.Reject {
		style = v.st.Faint
	}
	for i, l := range clamp(sanitize.Line(stmt), w-2, n) {
		if spaced && i > 0 {
			out = append(out, v.st.Title.Render("┃"))
		}
		out = append(out, bar+style.Render(l))
	}
	switch {
	case decided && d.verdict == review.Rephrase && d.author != "":
		out = append(out, v.st.Faint.Render(cut("  "+fmt.Sprintf(v.t.WordingBy, sanitize.Line(d.author), d.version), w)))
	case !decided && !sc.hidden() && len(p.Versions) > 1:
		out = append(out, v.st.Faint.Render(cut("  "+v.t.OtherWordings(len(p.Versions)-1), w)))
	}
	return out
}

// outcomeBlock is a sealed link's decision, for the wall's left column.
func (v *View) outcomeBlock(sc *scene, w int) []string {
	d, ok := decisionOf(sc.p)
	if !ok || !sc.sealed {
		return nil
	}
	out := []string{v.st.Faint.Render(strings.ToUpper(v.t.Decision))}
	out = append(out, v.st.Label.Render(cut(v.outcomeWords(d), w)))
	if d.outcome != "" {
		for _, l := range clamp(fmt.Sprintf(v.t.Quote, sanitize.Line(d.outcome)), w, 2) {
			out = append(out, v.st.Body.Render(l))
		}
	}
	by := fmt.Sprintf(v.t.DecidedBy, sanitize.Line(d.by), clock(d.at, sc.now))
	if d.reopened > 0 {
		by += " · " + v.t.Reopened(d.reopened)
	}
	out = append(out, v.st.Faint.Render(cut(by, w)))
	return out
}

// outcomeLine is the decision on one line, for stacked screens.
func (v *View) outcomeLine(sc *scene, w int) string {
	d, ok := decisionOf(sc.p)
	if !ok || !sc.sealed {
		return ""
	}
	s := v.outcomeWords(d)
	if d.outcome != "" {
		s += v.st.Faint.Render(" · ") + fmt.Sprintf(v.t.Quote, sanitize.Line(d.outcome))
	}
	return cut(s+v.st.Faint.Render(" · "+fmt.Sprintf(v.t.DecidedBy, sanitize.Line(d.by), clock(d.at, sc.now))), w)
}

// outcomeWords is the decision as a mark and a word, with a rejection's
// reason.
func (v *View) outcomeWords(d decision) string {
	switch d.verdict {
	case review.Accept:
		return v.st.Accepted.Render("✓ " + v.t.Accepted)
	case review.Reject:
		s := v.st.Rejected.Render("✗ "+v.t.Rejected) + v.st.Faint.Render(" · ") + v.reasonWord(d.reason)
		if d.note != "" {
			s += v.t.Colon + sanitize.Line(d.note)
		}
		return s
	}
	return v.st.Rephrased.Render("✎ " + v.t.Rephrased)
}

// votesBlock is the tally with a bar per verdict and the turnout, for the
// wall. In blind voting, before the reveal, it holds the count alone: not
// a verdict, not a mark, not even whether people disagree.
func (v *View) votesBlock(sc *scene, w int) []string {
	label := strings.ToUpper(v.t.Votes)
	if sc.blind || sc.p.CastBlind() {
		label += " · " + strings.ToUpper(v.t.Blind)
		if sc.revealed {
			label += " · " + strings.ToUpper(v.t.Revealed)
		}
	}
	out := []string{v.st.Faint.Render(cut(label, w))}
	people := max(sc.people, sc.voted)
	if sc.hidden() {
		out = append(out, v.st.Label.Render(cut(v.t.Turnout(sc.voted, sc.people), w)))
		out = append(out, v.turnoutBar(sc.voted, people, w))
		for _, l := range clamp(v.t.BlindHidden, w, 2) {
			out = append(out, v.st.Faint.Render(l))
		}
		return out
	}
	if len(sc.votes) == 0 {
		out = append(out, v.st.Faint.Render(cut(v.t.NoVotes, w)))
		out = append(out, v.st.Label.Render(cut(v.t.Turnout(0, sc.people), w)))
		return out
	}
	t := sc.tally()
	rows := []struct {
		mark, word string
		n          int
		style      func(...string) string
	}{
		{"✓", v.t.AcceptWord, t[review.Accept], v.st.Accepted.Render},
		{"✗", v.t.RejectWord, t[review.Reject], v.st.Rejected.Render},
		{"✎", v.t.RephraseWord, t[review.Rephrase], v.st.Rephrased.Render},
	}
	wordW := 0
	for _, r := range rows {
		wordW = max(wordW, width(r.word))
	}
	barMax := max(w-wordW-10, 4)
	for _, r := range rows {
		n := 0
		if people > 0 {
			n = r.n * barMax / people
		}
		if r.n > 0 {
			n = max(n, 1)
		}
		line := r.style(r.mark) + " " + fit(r.word, wordW) + "  " + fmt.Sprintf("%3d", r.n) + "  " + r.style(strings.Repeat("█", n))
		out = append(out, cut(line, w))
	}
	turn := v.t.Turnout(sc.voted, sc.people)
	if s := t[review.Skip]; s > 0 {
		turn += " · " + v.t.Passing(s)
	}
	out = append(out, "", v.st.Label.Render(cut(turn, w)))
	if sc.conflict() {
		out = append(out, v.st.Conflict.Render(cut("⚠ "+v.t.Disagreement, w)))
	}
	return out
}

// votesLines is the tally and the turnout in one or two lines, for stacked
// screens; blind before the reveal, the count alone.
func (v *View) votesLines(sc *scene, w int) []string {
	turn := v.st.Label.Render(v.t.Turnout(sc.voted, sc.people))
	if sc.hidden() {
		return []string{cut(v.st.Conflict.Render(v.t.Blind)+v.st.Faint.Render(" · ")+turn, w), v.st.Faint.Render(cut(v.t.BlindHidden, w))}
	}
	t := sc.tally()
	tally := v.st.Accepted.Render("✓") + fmt.Sprintf(" %d %s   ", t[review.Accept], v.t.AcceptWord) +
		v.st.Rejected.Render("✗") + fmt.Sprintf(" %d %s   ", t[review.Reject], v.t.RejectWord) +
		v.st.Rephrased.Render("✎") + fmt.Sprintf(" %d %s", t[review.Rephrase], v.t.RephraseWord)
	if s := t[review.Skip]; s > 0 {
		tally += v.st.Faint.Render("   " + v.t.Passing(s))
	}
	if sc.conflict() {
		turn += "   " + v.st.Conflict.Render("⚠ "+v.t.Disagreement)
	}
	return []string{cut(tally, w), cut(turn, w)}
}

// turnoutBar shows how many of the people connected have voted.
func (v *View) turnoutBar(cast, people, w int) string {
	n := min(w, 40)
	filled := 0
	if people > 0 {
		filled = cast * n / people
	}
	return v.st.Bar.Render(strings.Repeat("█", filled)) + v.st.BarEmpty.Render(strings.Repeat("░", n-filled))
}

// passage is the document, the page or section, and the passage's text
// with the evidence quote highlighted and in view. With room to spare the
// lines are spaced, as a wall's type should be. A quote the passage does
// not contain is shown apart and marked: it must never look like a real
// quote.
func (v *View) passage(sc *scene, w, h int, roomy bool) []string {
	if h <= 0 {
		return nil
	}
	head := strings.ToUpper(v.t.Passage) + " · " + sc.doc
	if sc.where != "" {
		head += " · " + sc.where
	}
	out := []string{v.st.Faint.Render(cut(head, w))}
	if roomy {
		out = append(out, "")
	}
	p := sc.p
	var tail []string
	if p.Quote != "" && (p.QuoteStart < 0 || p.QuoteEnd <= p.QuoteStart) {
		tail = append(tail, "")
		for _, l := range clamp(fmt.Sprintf(v.t.Quote, sanitize.Line(p.Quote))+" — "+v.t.QuoteMissing, w, 2) {
			tail = append(tail, v.st.Missing.Render(l))
		}
	}
	rows := h - len(out) - len(tail)
	if rows < 2 {
		tail, rows = nil, h-len(out)
	}
	if sc.passage == nil || rows <= 0 {
		return append(out, tail...)
	}
	pv := newPassageView(p, sc.passage.Text, w)
	n := len(pv.lines)
	spaced := roomy && 2*n-1 <= rows
	if spaced {
		for i := range n {
			if i > 0 {
				out = append(out, "")
			}
			out = append(out, pv.render(i, v.st.Body.Render, v.st.Quote.Render))
		}
		return append(out, tail...)
	}
	start, count, above, below := window(n, pv.quoteRow, rows)
	if above {
		out = append(out, v.st.Faint.Render("…"))
	}
	for i := start; i < start+count; i++ {
		out = append(out, pv.render(i, v.st.Body.Render, v.st.Quote.Render))
	}
	if below {
		out = append(out, v.st.Faint.Render("…"))
	}
	return append(out, tail...)
}

// window is which of n wrapped lines fit in rows, the quote's first line
// a quarter of the way down: the first, how many, and whether marks above
// and below say that there is more.
func window(n, quoteRow, rows int) (start, count int, above, below bool) {
	if n <= rows {
		return 0, n, false, false
	}
	if rows < 3 {
		// No room for the marks: the quote's lines alone.
		return max(0, min(quoteRow, n-rows)), rows, false, false
	}
	start = max(0, min(quoteRow-rows/4, n-(rows-1)))
	count = rows
	if start > 0 {
		above = true
		count--
	}
	if start+count < n {
		below = true
		count--
	}
	return start, count, above, below
}

// passageView is a passage cleaned for the terminal, with the quote's place
// in the cleaned text, wrapped for one width.
type passageView struct {
	runes    []rune
	qs, qe   int
	lines    []span
	quoteRow int
}

// newPassageView cleans the parts before, in and after the quote apart, so
// that the quote's rune offsets, given on the raw text, still point at the
// quote after sanitize has dropped or replaced characters.
func newPassageView(p *review.ProposalState, text string, limit int) *passageView {
	raw := []rune(text)
	pv := &passageView{}
	qs, qe := p.QuoteStart, p.QuoteEnd
	if qs >= 0 && qs < qe && qe <= len(raw) {
		before := sanitize.Text(string(raw[:qs]))
		quote := sanitize.Text(string(raw[qs:qe]))
		pv.runes = []rune(before + quote + sanitize.Text(string(raw[qe:])))
		pv.qs = utf8.RuneCountInString(before)
		pv.qe = pv.qs + utf8.RuneCountInString(quote)
	} else {
		pv.runes = []rune(sanitize.Text(text))
	}
	for len(pv.runes) > 0 && (pv.runes[len(pv.runes)-1] == ' ' || pv.runes[len(pv.runes)-1] == '\n') {
		pv.runes = pv.runes[:len(pv.runes)-1]
	}
	pv.qe = min(pv.qe, len(pv.runes))
	pv.qs = min(pv.qs, pv.qe)
	for pv.qs > 0 && theme.Joins(pv.runes, pv.qs) {
		pv.qs--
	}
	for pv.qe < len(pv.runes) && theme.Joins(pv.runes, pv.qe) {
		pv.qe++
	}
	pv.lines = wrapRunes(pv.runes, limit)
	for i, l := range pv.lines {
		if pv.qe > pv.qs && l.End > pv.qs {
			pv.quoteRow = i
			break
		}
	}
	return pv
}

// render draws line i, the quote in its style.
func (pv *passageView) render(i int, body, quote func(...string) string) string {
	l := pv.lines[i]
	if pv.qe <= pv.qs || l.End <= pv.qs || l.Start >= pv.qe {
		return body(string(pv.runes[l.Start:l.End]))
	}
	a, z := max(l.Start, pv.qs), min(l.End, pv.qe)
	var b strings.Builder
	if a > l.Start {
		b.WriteString(body(string(pv.runes[l.Start:a])))
	}
	b.WriteString(quote(string(pv.runes[a:z])))
	if z < l.End {
		b.WriteString(body(string(pv.runes[z:l.End])))
	}
	return b.String()
}

// empty is the wall without a link to show: no proposal yet, or every one
// decided and nobody leading.
func (v *View) empty(sc *scene, w, h int) []string {
	m := margin(w)
	cw := w - 2*m
	msg := v.t.NoProposal
	var top, bottom []string
	if sc != nil {
		top = v.header(sc, cw)
		bottom = v.footer(sc, cw)
		if sc.total > 0 {
			msg = v.t.AllDecided
		}
	}
	body := make([]string, max((h-len(top)-len(bottom))/2-1, 0))
	for _, l := range clamp(msg, cw, 3) {
		body = append(body, v.st.Title.Render(l))
	}
	return v.assemble(top, body, bottom, m, cw, w, h)
}

func (v *View) tooSmall(w, h int) string {
	lines := clamp(fmt.Sprintf(v.t.TooSmall, w, h, MinWidth, MinHeight), max(w-2, 1), h)
	out := make([]string, 0, h)
	for range max((h-len(lines))/2, 0) {
		out = append(out, strings.Repeat(" ", w))
	}
	for _, l := range lines {
		out = append(out, fit(" "+l, w))
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", w))
	}
	return strings.Join(out[:h], "\n")
}
