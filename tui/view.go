package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// Layout thresholds: below wideWidth the panes stack; from listWidth a list
// of proposals gets its own column.
const (
	wideWidth = 100
	listWidth = 150
	footerH   = 3
	paneSep   = " │ "
)

// View draws the whole screen. Every line is exactly the window's width, so
// that the renderer never has leftovers to clear and golden files are exact.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	if m.snap != nil {
		if name := m.snap.State.Name; name != m.vc.titleName || m.vc.titleOut == "" {
			m.vc.titleName, m.vc.titleOut = name, m.t.AppName+" · "+sanitize.Line(name)
		}
		v.WindowTitle = m.vc.titleOut
	}
	return v
}

func (m *Model) render() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return m.t.Loading
	}
	if w < minWidth || h < minHeight {
		return m.tooSmall()
	}
	if m.mode == modePicker || m.snap == nil || (m.fatal != "" && !m.joined) {
		// No session to show, or none joined: the picker's screen says
		// which, or why.
		return m.renderPicker()
	}
	// One allocation for the frame, of the last frame's size: every screen
	// draws one at every revision.
	var b strings.Builder
	b.Grow(m.vc.frameLen)
	b.WriteString(m.header(w))
	b.WriteByte('\n')
	if p := m.currentProposal(); m.mode == modeBrowse && p != nil && w < wideWidth {
		m.stackedTo(&b, p, w, h-1-footerH)
	} else {
		for _, l := range m.body(w, h-1-footerH) {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	for i, l := range m.footer(w) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	m.vc.frameLen = b.Len()
	return b.String()
}

func (m *Model) tooSmall() string {
	msg := fmt.Sprintf(m.t.TooSmall, minWidth, minHeight, m.width, m.height)
	lines := wrapText(msg, max(m.width-2, 10))
	out := make([]string, 0, m.height)
	for range max((m.height-len(lines))/2, 0) {
		out = append(out, "")
	}
	for _, l := range lines {
		out = append(out, fit(" "+l, m.width))
	}
	if len(out) > m.height {
		out = out[:m.height]
	}
	return strings.Join(out, "\n")
}

// renderPicker is the screen without a session: the list to choose from,
// or why there is none.
func (m *Model) renderPicker() string {
	w, h := m.width, m.height
	lines := []string{fit(" "+m.st.Title.Render(m.t.AppName)+" · "+m.t.PickerTitle, w), fit("", w)}
	switch {
	case m.fatal != "":
		for _, l := range wrapText(m.fatal, w-2) {
			lines = append(lines, fit(" "+m.st.Error.Render(l), w))
		}
	case !m.pickLoaded:
		lines = append(lines, fit(" "+m.t.Loading, w))
	case len(m.sessions) == 0:
		lines = append(lines, fit(" "+m.t.PickerEmpty, w))
	default:
		from := max(0, m.pickIdx-(h-5))
		for i := from; i < len(m.sessions) && i < from+h-3; i++ {
			name := m.sessions[i]
			row := fit("   "+sanitize.Line(name), w)
			if i == m.pickIdx {
				row = m.st.Cursor.Render(fit(" ▸ "+sanitize.Line(name), w))
			}
			lines = append(lines, row)
		}
	}
	for len(lines) < h-1 {
		lines = append(lines, fit("", w))
	}
	lines = lines[:h-1]
	last := m.t.PickerHint
	if m.status != "" {
		last = m.status
	}
	lines = append(lines, fit(" "+m.st.Faint.Render(last), w))
	return strings.Join(lines, "\n")
}

// header is the top line: the session, where we are in the list and the
// filter in force, and the way to the help.
func (m *Model) header(w int) string {
	k := headKey{gen: m.vc.gen, name: m.snap.State.Name, w: w, cursor: m.cursor, n: len(m.visible), filter: m.filter}
	if k != m.vc.head || m.vc.headOut == "" {
		m.vc.head, m.vc.headOut = k, m.drawHeader(w)
	}
	return m.vc.headOut
}

func (m *Model) drawHeader(w int) string {
	left := " " + m.st.Title.Render(m.t.AppName) + m.st.Faint.Render(" · ") + sanitize.Line(m.snap.State.Name)
	pos := m.listPosition()
	right := m.st.Faint.Render(m.t.HelpHint) + " "
	room := w - width(right)
	line := cut(left+m.st.Faint.Render(" │ ")+pos, room)
	return fit(line+strings.Repeat(" ", max(room-width(line), 0))+right, w)
}

// listPosition is the compact form of the list: "3/12 · filtre : tout".
func (m *Model) listPosition() string {
	n := len(m.visible)
	i := 0
	if n > 0 {
		i = m.cursor + 1
	}
	return fmt.Sprintf("%d/%d", i, n) + m.st.Faint.Render(" · "+m.t.FilterLabel+m.t.Colon) + m.filterText(m.filter)
}

func (m *Model) filterText(f filter) string {
	var parts []string
	if f.criterion != "" {
		parts = append(parts, sanitize.Line(f.criterion))
	}
	if f.document != "" {
		parts = append(parts, m.docTitle(f.document))
	}
	if f.status != "" {
		parts = append(parts, m.statusWord(f.status))
	}
	if f.origin != "" {
		parts = append(parts, m.originKindWord(f.origin))
	}
	if len(parts) == 0 {
		return m.t.FilterAll
	}
	return strings.Join(parts, " · ")
}

func (m *Model) body(w, h int) []string {
	switch m.mode {
	case modeHelp:
		return m.helpPanel(w, h)
	case modeWhy:
		return m.whyPanel(w, h)
	case modeBrowse:
		return m.panes(w, h)
	}
	form := m.form(w)
	if len(form) > h-4 {
		form = form[:h-4]
	}
	return append(m.panes(w, h-len(form)), form...)
}

// panes draws the proposal, its passage and, on wide screens, the list.
func (m *Model) panes(w, h int) []string {
	p := m.currentProposal()
	if p == nil {
		msg := m.t.NoProposal
		if len(m.snap.State.Proposals) > 0 {
			msg = m.t.NoMatch
		}
		out := blank(w, h)
		for i, l := range wrapText(msg, w-2) {
			if 1+i < h {
				out[1+i] = fit(" "+l, w)
			}
		}
		return out
	}
	if w < wideWidth {
		return m.stacked(p, w, h)
	}
	listW := 0
	if w >= listWidth {
		listW = max(34, min(w/4, 64))
	}
	// One space of margin on the left, one on the right, a separator
	// between columns.
	rest := w - 2 - listW - width(paneSep)
	if listW > 0 {
		rest -= width(paneSep)
	}
	passW := rest * 11 / 20
	propW := rest - passW
	var cols [][]string
	if listW > 0 {
		cols = append(cols, m.listPane(listW, h))
	}
	cols = append(cols, m.passagePane(p, passW, h), m.proposalPane(p, propW, h, false))
	sep := m.st.Rule.Render(paneSep)
	out := make([]string, h)
	for i := range h {
		var b strings.Builder
		b.WriteString(" ")
		for c, col := range cols {
			if c > 0 {
				b.WriteString(sep)
			}
			b.WriteString(col[i])
		}
		out[i] = fit(b.String(), w)
	}
	return out
}

// stacked is the 80-column layout: the proposal on top, its passage below.
func (m *Model) stacked(p *review.ProposalState, w, h int) []string {
	top, pass := m.stackedParts(p, w, h)
	out := make([]string, 0, h)
	for _, l := range top {
		out = append(out, " "+l+" ")
	}
	for _, l := range pass {
		out = append(out, " "+l+" ")
	}
	return out
}

// stackedTo writes the stacked layout into the frame, each line followed by
// a newline, with its margins but without making a string of each line.
func (m *Model) stackedTo(b *strings.Builder, p *review.ProposalState, w, h int) {
	top, pass := m.stackedParts(p, w, h)
	for _, part := range [2][]string{top, pass} {
		for _, l := range part {
			b.WriteByte(' ')
			b.WriteString(l)
			b.WriteString(" \n")
		}
	}
}

func (m *Model) stackedParts(p *review.ProposalState, w, h int) (top, pass []string) {
	inner := w - 2
	top = m.proposalPane(p, inner, 0, true)
	if len(top) > h/2 {
		top = top[:h/2]
	}
	return top, m.passagePane(p, inner, h-len(top))
}

// proposalPane shows the criterion and the proposed link. With height 0 it
// returns as many lines as it needs (compact, for the stacked layout).
func (m *Model) proposalPane(p *review.ProposalState, w, h int, compact bool) []string {
	k := propKey{gen: m.vc.gen, p: p, w: w, h: h, compact: compact}
	if k != m.vc.prop || m.vc.propOut == nil {
		m.vc.prop, m.vc.propOut = k, m.drawProposal(p, w, h, compact)
	}
	return m.vc.propOut
}

func (m *Model) drawProposal(p *review.ProposalState, w, h int, compact bool) []string {
	out := slices.Clone(m.proposalHead(p, w, compact))
	add := func(s string) { out = append(out, fit(s, w)) }
	for _, l := range strings.Split(ansi.Wrap(m.meta(p), w, ""), "\n") {
		add(l)
	}
	if compact {
		return out
	}
	if p.Conflict {
		add(m.st.Conflict.Render(m.t.Conflict))
	}
	if votes := p.Current(); len(votes) > 0 {
		add("")
		add(m.st.Faint.Render(m.t.Votes))
		for _, v := range votes {
			add(m.voteLine(v))
		}
	}
	if pv := p.Origin.Provenance; pv != nil && pv.TotalDuration > 0 {
		// What the proposal cost, in the open: frugality is one of the
		// values the screen is there to show.
		add("")
		add(m.st.Faint.Render(m.t.ProvHeading))
		cost := m.t.ProvTokens + " " + fmt.Sprintf(m.t.ProvTokensFmt, pv.PromptTokens, pv.OutputTokens) + " · " + m.dur(pv.TotalDuration)
		for _, l := range wrapText(sanitize.Line(pv.Model)+" · "+cost+" · "+m.keys.Why.Help().Key+"\u00a0"+m.keys.Why.Help().Desc, w) {
			add(m.st.Faint.Render(l))
		}
	}
	if len(p.Comments) > 0 {
		add("")
		add(m.st.Faint.Render(m.t.CommentsHeading))
		from := max(len(p.Comments)-3, 0)
		for _, c := range p.Comments[from:] {
			for _, l := range wrapText(sanitize.Line(c.Actor.Name)+m.t.Colon+sanitize.Line(c.Text), w) {
				add(l)
			}
		}
	}
	return pad(out, w, h)
}

// proposalHead is the top of the proposal pane, the criterion and the
// statement, which a vote or a decision does not change. It is kept while
// they stay the same: sanitizing and wrapping them again for every screen at
// every vote showed in profiles.
func (m *Model) proposalHead(p *review.ProposalState, w int, compact bool) []string {
	k := headOfKey{gen: m.vc.gen, criterion: p.Criterion, final: p.Final, versions: len(p.Versions), w: w, compact: compact}
	if n := len(p.Versions); n > 0 {
		k.diff = p.Versions[n-1].Diff
	}
	if k == m.vc.propHead && m.vc.propHeadOut != nil {
		return m.vc.propHeadOut
	}
	var out []string
	add := func(s string) { out = append(out, fit(s, w)) }
	crit, _ := m.snap.State.Criterion(p.Criterion)
	title := sanitize.Line(crit.ID) + " · " + sanitize.Line(crit.Title)
	if compact {
		add(m.st.Title.Render(cut(m.t.LabelCriterion+" "+title, w)))
	} else {
		out = append(out, m.titleRule(m.t.LabelCriterion, w))
		for _, l := range wrapText(title, w) {
			add(m.st.Title.Render(l))
		}
	}
	desc := wrapText(sanitize.Line(crit.Description), w)
	if compact && len(desc) > 2 {
		desc = append(desc[:1], cut(desc[1]+" "+desc[2], w))
	}
	for _, l := range desc {
		add(m.st.Faint.Render(l))
	}
	if !compact {
		add("")
	}
	label := m.t.LabelStatement
	if n := len(p.Versions); n > 1 {
		label += " · " + fmt.Sprintf(m.t.LabelVersion, n)
	}
	stmt := sanitize.Line(p.Final)
	if compact {
		lines := wrapText(label+m.t.Colon+stmt, w)
		if len(lines) > 3 {
			lines = append(lines[:2], cut(lines[2]+" "+lines[3], w))
		}
		for _, l := range lines {
			add(m.st.Statement.Render(l))
		}
	} else {
		add(m.st.Faint.Render(label))
		for _, l := range wrapText(stmt, w) {
			add(m.st.Statement.Render(l))
		}
		if n := len(p.Versions); n > 1 {
			for _, l := range wrapText(sanitize.Line(p.Versions[n-1].Diff), w) {
				add(m.diffLine(l))
			}
		}
		add("")
	}
	m.vc.propHead, m.vc.propHeadOut = k, out
	return out
}

// meta is the status, confidence and origin of a proposal, in words as well
// as marks, so that it reads without colour.
func (m *Model) meta(p *review.ProposalState) string {
	return m.statusLabel(p.Status) + m.st.Faint.Render(" · "+m.t.LabelConfidence+" ") + m.decimal(p.Confidence) +
		m.st.Faint.Render(" · "+m.t.LabelOrigin+" ") + m.originWord(p.Origin)
}

func (m *Model) voteLine(v review.Vote) string {
	s := m.verdictMark(v.Verdict) + " " + sanitize.Line(v.Actor.Name) + " " + m.st.Faint.Render(m.verdictWord(v.Verdict))
	if v.Decides {
		s = m.st.Label.Render("★") + s
	}
	if v.Verdict == review.Reject {
		s += m.st.Faint.Render(" · ") + m.reasonWord(v.Reason)
		if v.Note != "" {
			s += m.t.Colon + sanitize.Line(v.Note)
		}
	}
	return s
}

// diffLine styles a word diff in the notation of review.WordDiff.
func (m *Model) diffLine(s string) string {
	var b strings.Builder
	for s != "" {
		i := strings.IndexAny(s, "[{")
		if i < 0 || i+1 >= len(s) || (s[i+1] != '-' && s[i+1] != '+') {
			if i < 0 {
				b.WriteString(m.st.Faint.Render(s))
				break
			}
			b.WriteString(m.st.Faint.Render(s[:i+1]))
			s = s[i+1:]
			continue
		}
		b.WriteString(m.st.Faint.Render(s[:i]))
		closer, style := "-]", m.st.DiffDel
		if s[i] == '{' {
			closer, style = "+}", m.st.DiffAdd
		}
		j := strings.Index(s[i+2:], closer)
		if j < 0 {
			b.WriteString(style.Render(s[i:]))
			break
		}
		b.WriteString(style.Render(s[i : i+2+j+2]))
		s = s[i+2+j+2:]
	}
	return b.String()
}

// passagePane shows where the passage comes from and its text, the quote
// highlighted and in view. A quote that the passage does not contain is
// shown apart, marked as not found: it must never look like a real quote.
func (m *Model) passagePane(p *review.ProposalState, w, h int) []string {
	k := passKey{gen: m.vc.gen, id: p.ID, passage: p.Passage, document: p.Document, quote: p.Quote, qs: p.QuoteStart, qe: p.QuoteEnd, w: w, h: h, scroll: m.scroll, pv: m.pv}
	if k == m.vc.pass && m.vc.passOut != nil {
		m.passRows = m.vc.passRows
		return m.vc.passOut
	}
	out := m.drawPassage(p, w, h)
	// The key holds the passage view the drawing used or made, so that
	// a view dropped since (another proposal in between) draws again.
	k.pv = m.pv
	m.vc.pass, m.vc.passOut, m.vc.passRows = k, out, m.passRows
	return out
}

func (m *Model) drawPassage(p *review.ProposalState, w, h int) []string {
	st := m.snap.State
	out := make([]string, 0, h)
	pa, ok := st.Passage(p.Passage)
	head := m.docTitle(p.Document)
	if ok {
		switch {
		case pa.Page > 0:
			head += " · " + fmt.Sprintf(m.t.LabelPage, pa.Page)
		case pa.Section != "":
			head += " · " + sanitize.Line(pa.Section)
		}
	}
	out = append(out, m.titleRule(m.t.LabelPassage+" · "+head, w))
	var tail []string
	if p.Quote != "" && (p.QuoteStart < 0 || p.QuoteEnd <= p.QuoteStart) {
		tail = append(tail, fit("", w), fit(m.st.Missing.Render(cut(m.t.LabelQuote+" ("+m.t.QuoteNotFound+")"+strings.TrimRight(m.t.Colon, " "), w)), w))
		q := wrapText("« "+sanitize.Line(p.Quote)+" »", w)
		if len(q) > 3 {
			q = append(q[:2], cut(q[2]+" "+q[3], w))
		}
		for _, l := range q {
			tail = append(tail, fit(m.st.Missing.Render(l), w))
		}
	}
	rows := h - 1 - len(tail)
	if rows < 2 {
		tail, rows = nil, h-1
	}
	if !ok {
		return pad(append(out, tail...), w, h)
	}
	if m.pv == nil || m.pv.proposal != p.ID || m.pv.width != w {
		m.pv = newPassageView(p, pa.Text, w)
	}
	m.passRows = rows
	start, n, top, bottom := m.passageWindow(rows)
	if top {
		out = append(out, fit(m.st.Faint.Render("…"), w))
	}
	for i := start; i < start+n; i++ {
		out = append(out, fit(m.pv.render(i, m.st.Quote.Render), w))
	}
	if bottom {
		out = append(out, fit(m.st.Faint.Render("… "+m.t.MorePassage), w))
	}
	out = pad(out, w, h-len(tail))
	return append(out, tail...)
}

// passageWindow is which wrapped lines fit in rows: the first, how many, and
// whether markers above and below say that there is more.
func (m *Model) passageWindow(rows int) (start, n int, top, bottom bool) {
	total := len(m.pv.lines)
	if total <= rows {
		return 0, total, false, false
	}
	start = m.scroll
	if start < 0 {
		start = max(m.pv.quoteRow-rows/4, 0)
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

// listPane is the column of proposals on wide screens, with who else is
// looking at each.
func (m *Model) listPane(w, h int) []string {
	st := m.snap.State
	out := make([]string, 0, h)
	out = append(out, m.titleRule(m.t.ListTitle, w))
	rows := h - 1
	start := max(0, min(m.cursor-rows/2, len(m.visible)-rows))
	looking := m.lookers()
	for i := start; i < len(m.visible) && i < start+rows; i++ {
		p := st.Proposals[m.visible[i]]
		right := ""
		if names := looking[p.ID]; len(names) > 0 {
			right = " ◂" + strings.Join(names, ",")
		}
		right = cut(right, w/3)
		mark := "  "
		if i == m.cursor {
			mark = "▸ "
		}
		// Only the start of a statement can show in a row: clean no more.
		text := sanitize.Line(prefix(p.Criterion, w)) + " " + sanitize.Line(prefix(p.Final, w))
		text = fit(text, w-width(right)-4)
		var row string
		if i == m.cursor {
			row = m.st.Cursor.Render(mark + ansi.Strip(m.statusMark(p.Status)) + " " + text + right)
		} else {
			row = mark + m.statusMark(p.Status) + " " + text + m.st.Faint.Render(right)
		}
		out = append(out, row)
	}
	return pad(out, w, h)
}

// lookers maps a proposal to the names of the other people looking at it.
// It is kept until the presences change.
func (m *Model) lookers() map[string][]string {
	k := lookKey{online: idOf(m.snap.Online), self: m.self()}
	if k == m.vc.look && m.vc.lookOut != nil {
		return m.vc.lookOut
	}
	out := map[string][]string{}
	for _, o := range m.snap.Online {
		if o.Focus == "" || o.Conn == k.self {
			continue
		}
		out[o.Focus] = append(out[o.Focus], sanitize.Line(o.Actor.Name))
	}
	m.vc.look, m.vc.lookOut = k, out
	return out
}

// lookersOf is the names of the other people looking at proposal id, as
// many as fill room cells and one more: one pass over the presences, without
// the map of lookers that only the list pane needs. The line they go on is
// cut at the screen's width, and two hundred people may look at the same
// proposal.
func (m *Model) lookersOf(id string, room int) []string {
	self := m.self()
	var names []string
	n := 0
	for _, o := range m.snap.Online {
		if n > room {
			break
		}
		if o.Focus == id && o.Conn != self {
			name := sanitize.Line(o.Actor.Name)
			names = append(names, name)
			n += width(name) + 2
		}
	}
	return names
}

// footer is the status: progress and who is here, the votes on this
// proposal, then the last message or the key hints.
func (m *Model) footer(w int) []string {
	st := m.snap.State
	pk := progressKey{gen: m.vc.gen, decided: st.Decided(), total: len(st.Proposals), online: idOf(m.snap.Online), w: w}
	if pk != m.vc.progress || m.vc.progressOut == "" {
		a := " " + m.st.Label.Render(fmt.Sprintf(m.t.Progress, pk.decided, pk.total)) +
			m.st.Faint.Render(" · "+m.t.Online+m.t.Colon)
		a += m.onlineText(w - width(a))
		m.vc.progress, m.vc.progressOut = pk, fit(a, w)
	}
	vk := votesKey{gen: m.vc.gen, p: m.currentProposal(), online: idOf(m.snap.Online), self: m.self(), w: w}
	if vk != m.vc.votes || m.vc.votesOut == "" {
		m.vc.votes, m.vc.votesOut = vk, fit(" "+m.votesText(), w)
	}
	var c string
	switch {
	case m.pending > 0:
		c = " " + m.st.Faint.Render(m.t.Saving)
		if m.status != "" {
			c += " " + m.statusText()
		}
	case m.status != "":
		c = " " + m.statusText()
	case m.mode == modeWhy:
		c = " " + m.st.Faint.Render(m.t.WhyHint)
	case m.mode == modeHelp:
		c = " " + m.st.Faint.Render(m.t.HelpClose)
	case m.mode != modeBrowse:
		// A panel is open and shows its own keys.
	default:
		if m.hint == "" {
			// Kept until the size or the colours change: the help bubble
			// measures every binding each time it draws.
			m.hint = m.help.ShortHelpView(m.keys.ShortHelp())
		}
		c = " " + m.hint
	}
	if lk := (lastKey{gen: m.vc.gen, in: c, w: w}); lk != m.vc.last || m.vc.lastOut == "" {
		m.vc.last, m.vc.lastOut = lk, fit(c, w)
	}
	return []string{m.vc.progressOut, m.vc.votesOut, m.vc.lastOut}
}

func (m *Model) statusText() string {
	if m.statusErr {
		return m.st.Error.Render(sanitize.Line(m.status))
	}
	return m.st.Info.Render(sanitize.Line(m.status))
}

// onlineText lists the people connected, once each, with their role's mark,
// as far as room cells: the line is cut there anyway, and in a room of two
// hundred listing everybody at every vote was the costliest part of a
// screen. It stops only once the list is wider than room, so that the cut
// (and its ellipsis) falls where it did with the whole list. It is kept
// until the presences change.
func (m *Model) onlineText(room int) string {
	k := onlineKey{gen: m.vc.gen, online: idOf(m.snap.Online), room: room}
	if k == m.vc.online && m.vc.onlineOut != "" {
		return m.vc.onlineOut
	}
	seen := map[string]bool{}
	var b strings.Builder
	n := 0
	for _, o := range m.snap.Online {
		if n > room {
			break
		}
		who := o.Actor.Key()
		if seen[who] {
			continue
		}
		seen[who] = true
		part := roleMark(o.Actor.Role) + sanitize.Line(o.Actor.Name)
		if b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(part)
		n += width(part)
	}
	out := b.String()
	if out == "" {
		out = "—"
	}
	m.vc.online, m.vc.onlineOut = k, out
	return out
}

func roleMark(r review.Role) string {
	switch r {
	case review.Facilitator:
		return "★"
	case review.Participant:
		return "•"
	}
	return "◦"
}

// votesText is the tally and the names on the proposal on screen, the
// disagreement mark, and who else is looking at it.
func (m *Model) votesText() string {
	p := m.currentProposal()
	if p == nil {
		return ""
	}
	votes := p.Current()
	var s string
	if len(votes) == 0 {
		s = m.st.Faint.Render(m.t.NoVotes)
	} else {
		s = m.st.Faint.Render(m.t.Votes + " ")
		t := p.Tally()
		s += fmt.Sprintf("✓%d ✗%d ✎%d ↷%d", t[review.Accept], t[review.Reject], t[review.Rephrase], t[review.Skip])
		names := make([]string, 0, len(votes))
		for _, v := range votes {
			names = append(names, sanitize.Line(v.Actor.Name)+" "+m.verdictMark(v.Verdict))
		}
		s += m.st.Faint.Render(" — ") + strings.Join(names, ", ")
	}
	if p.Conflict {
		s += " " + m.st.Conflict.Render(m.t.Conflict)
	}
	if names := m.lookersOf(p.ID, m.width); len(names) > 0 {
		s += m.st.Faint.Render(" · "+m.t.AlsoHere+m.t.Colon) + strings.Join(names, ", ")
	}
	return s
}

func (m *Model) helpPanel(w, h int) []string {
	out := []string{fit(" "+m.st.Title.Render(m.t.HelpTitle), w), fit("", w)}
	role := m.t.HelpParticipant
	switch m.opts.Actor.Role {
	case review.Facilitator:
		role = m.t.HelpFacilitator
	case review.Participant:
	default:
		role = m.t.HelpSpectator
	}
	for _, l := range wrapText(role, w-2) {
		out = append(out, fit(" "+m.st.Label.Render(l), w))
	}
	out = append(out, fit("", w))
	for _, l := range strings.Split(m.help.FullHelpView(m.keys.FullHelp()), "\n") {
		out = append(out, fit(" "+l, w))
	}
	out = append(out, fit("", w))
	for _, l := range wrapText(m.t.HelpLegend, w-2) {
		out = append(out, fit(" "+m.st.Faint.Render(l), w))
	}
	if m.opts.Notice != "" {
		out = append(out, fit("", w))
		for _, l := range wrapText(sanitize.Line(m.opts.Notice), w-2) {
			out = append(out, fit(" "+m.st.Label.Render(l), w))
		}
	}
	return pad(out, w, h)
}

// form is the panel of the action being written, under the panes, so that
// the passage stays in view while one rephrases or picks a quote.
func (m *Model) form(w int) []string {
	var out []string
	add := func(s string) { out = append(out, fit(" "+s, w)) }
	rule := func(title string) {
		t := "── " + title + " "
		out = append(out, fit(" "+m.st.Rule.Render(t+strings.Repeat("─", max(w-2-width(t), 0))), w))
	}
	choice := func(sel bool, s string) {
		if sel {
			add(m.st.Cursor.Render("▸ " + s))
		} else {
			add("  " + s)
		}
	}
	hint := func(s string) {
		if m.formErr != "" {
			add(m.st.Error.Render(m.formErr))
		}
		add(m.st.Faint.Render(s))
	}
	switch m.mode {
	case modeFilter:
		rule(m.t.FilterTitle)
		names := []string{m.t.FilterCriterion, m.t.FilterDocument, m.t.FilterStatus, m.t.FilterOrigin}
		for r, name := range names {
			v := *m.draft.field(r)
			choice(r == m.filterRow, fmt.Sprintf("%-10s ‹ %s ›", name, m.filterValueWord(r, v)))
		}
		hint(m.t.FilterHint)
	case modeReason, modeReasonOther:
		rule(m.t.ReasonTitle)
		for i, r := range review.Reasons {
			choice(i == m.reasonIdx, strconv.Itoa(i+1)+" "+m.reasonWord(r))
		}
		if m.mode == modeReasonOther {
			add(m.input.View())
			hint(m.t.ReasonOtherHint)
		} else {
			hint(m.t.ReasonHint)
		}
	case modeEdit:
		rule(m.t.EditTitle)
		for _, l := range strings.Split(m.editor.View(), "\n") {
			add(l)
		}
		hint(m.t.EditHint)
	case modeComment:
		rule(m.t.CommentTitle)
		add(m.input.View())
		hint(m.t.CommentHint)
	case modeCreatePick:
		rule(m.t.CreateTitle)
		add(m.st.Label.Render(m.t.CreateStepCriterion))
		crits := m.snap.State.Criteria
		from := max(0, min(m.critIdx-2, len(crits)-5))
		for i := from; i < len(crits) && i < from+5; i++ {
			choice(i == m.critIdx, sanitize.Line(crits[i].ID)+" · "+sanitize.Line(crits[i].Title))
		}
		hint(m.t.CreateHintPick)
	case modeCreateStatement, modeCreateQuote:
		rule(m.t.CreateTitle)
		c := m.snap.State.Criteria[m.critIdx]
		add(m.st.Faint.Render(m.t.LabelCriterion+" ") + sanitize.Line(c.ID) + " · " + sanitize.Line(c.Title))
		if m.mode == modeCreateStatement {
			add(m.st.Label.Render(m.t.CreateStepStatement))
			for _, l := range strings.Split(m.editor.View(), "\n") {
				add(l)
			}
			hint(m.t.CreateHintStatement)
		} else {
			add(m.st.Faint.Render(m.t.LabelStatement+m.t.Colon) + sanitize.Line(m.newText))
			add(m.st.Label.Render(m.t.CreateStepQuote))
			add(m.input.View())
			hint(m.t.CreateHintQuote)
		}
	}
	return out
}

func (m *Model) filterValueWord(row int, v string) string {
	if v == "" {
		return m.t.FilterAll
	}
	switch row {
	case 0:
		c, _ := m.snap.State.Criterion(v)
		return sanitize.Line(c.ID) + " · " + sanitize.Line(c.Title)
	case 1:
		return m.docTitle(v)
	case 2:
		return m.statusWord(review.Status(v))
	}
	return m.originKindWord(v)
}

// docTitle is a document's title, or its source when it has none.
func (m *Model) docTitle(id string) string {
	d, ok := m.snap.State.Document(id)
	if !ok {
		return sanitize.Line(id)
	}
	if d.Title != "" {
		return sanitize.Line(d.Title)
	}
	return sanitize.Line(d.Source)
}

func (m *Model) statusWord(s review.Status) string {
	switch s {
	case review.Accepted:
		return m.t.StatusAccepted
	case review.Rejected:
		return m.t.StatusRejected
	case review.Rephrased:
		return m.t.StatusRephrased
	}
	return m.t.StatusPending
}

// statusMark is a status as one symbol, for lists.
func (m *Model) statusMark(s review.Status) string {
	switch s {
	case review.Accepted:
		return m.st.Accepted.Render("✓")
	case review.Rejected:
		return m.st.Rejected.Render("✗")
	case review.Rephrased:
		return m.st.Rephrased.Render("✎")
	}
	return m.st.Pending.Render("○")
}

// statusLabel is a status as a mark and a word.
func (m *Model) statusLabel(s review.Status) string {
	style := m.st.Pending
	switch s {
	case review.Accepted:
		style = m.st.Accepted
	case review.Rejected:
		style = m.st.Rejected
	case review.Rephrased:
		style = m.st.Rephrased
	}
	return style.Render(ansi.Strip(m.statusMark(s)) + " " + m.statusWord(s))
}

func (m *Model) verdictMark(v review.Verdict) string {
	switch v {
	case review.Accept:
		return m.st.Accepted.Render("✓")
	case review.Reject:
		return m.st.Rejected.Render("✗")
	case review.Rephrase:
		return m.st.Rephrased.Render("✎")
	}
	return m.st.Pending.Render("↷")
}

// originWord names who proposed a link: the model, the frugal proposer, the
// person, or the sample.
func (m *Model) originWord(o review.Origin) string {
	switch o.Kind {
	case review.OriginModel:
		if o.Name != "" {
			return sanitize.Line(o.Name)
		}
		if o.Provenance != nil {
			return sanitize.Line(o.Provenance.Model)
		}
		return review.OriginModel
	case review.OriginLexical:
		return m.t.OriginLexical
	case review.OriginHuman:
		return fmt.Sprintf(m.t.OriginHuman, sanitize.Line(o.Name))
	case review.OriginExample:
		return m.t.OriginExample
	}
	return sanitize.Line(o.Kind)
}

func (m *Model) originKindWord(k string) string {
	switch k {
	case review.OriginLexical:
		return m.t.OriginLexical
	case review.OriginHuman:
		return fmt.Sprintf(m.t.OriginHuman, "…")
	case review.OriginExample:
		return m.t.OriginExample
	}
	return sanitize.Line(k)
}

func (m *Model) decimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 2, 64), ".", m.t.DecimalComma, 1)
}

// prefix is the start of s, at most n runes, for text that will be cut to
// n cells anyway.
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// titleRule is a pane's title followed by a rule to the pane's edge, so
// that panes stay apart without colour too.
func (m *Model) titleRule(title string, w int) string {
	title = cut(title, w-2)
	rest := w - width(title) - 1
	return m.st.Title.Render(title) + " " + m.st.Rule.Render(strings.Repeat("─", max(rest, 0)))
}

// pad makes lines exactly h lines of width w; with h 0 it only fits widths.
func pad(lines []string, w, h int) []string {
	if h <= 0 {
		return lines
	}
	if len(lines) > h {
		return lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return lines
}

func blank(w, h int) []string { return pad(nil, w, h) }
