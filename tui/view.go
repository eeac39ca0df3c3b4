package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/form"
	"github.com/coopdescommuns/revue/tui/pane"
	"github.com/coopdescommuns/revue/tui/theme"
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
	if m.quiet && m.drawn != nil {
		// Nothing on screen changed since the last view (see quiet).
		return *m.drawn
	}
	v := tea.NewView(m.render())
	v.AltScreen = true
	if m.snap != nil {
		if name := m.snap.State.Name; name != m.vc.titleName || m.vc.titleOut == "" {
			m.vc.titleName, m.vc.titleOut = name, m.t.AppName+" · "+sanitize.Line(name)
		}
		v.WindowTitle = m.vc.titleOut
	}
	m.drawn = &v
	return v
}

func (m *Model) render() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return m.t.Loading
	}
	watching := m.wall.view != nil && m.mode == modeBrowse && m.snap != nil && m.fatal == ""
	if w < minWidth || h < minHeight {
		if !watching {
			return m.tooSmall()
		}
	}
	if watching {
		// The projector's wall has its own minimum size and message; a
		// status (why a key does nothing, a declined consent) takes its
		// last line.
		if st := m.snap.State; m.vc.wallState != st {
			m.vc.wallState, m.vc.wallRes, m.vc.wallStarted = st, m.wallResults(), started(st)
		}
		if m.vc.wallRes && w >= minWidth && h >= minHeight {
			return m.resultsWall(w, h)
		}
		if m.opts.Card != nil && !m.vc.wallStarted && w >= minWidth && h >= minHeight {
			// Before the first vote or decision, the wall shows how
			// to join.
			return strings.Join(m.cardPanel(w, h), "\n")
		}
		// Raised hands are counted on the wall's last line, with a status.
		last := m.status
		if n := len(hands(m.snap.State, m.snap.Online)); n > 0 {
			last = strings.TrimSuffix(fmt.Sprintf(m.t.Hands, n)+" "+m.t.HandsLabel+" · "+last, " · ")
		}
		if last == "" || h < minHeight {
			return m.wall.view.Render(m.snap, m.opts.Now(), w, h)
		}
		return m.wall.view.Render(m.snap, m.opts.Now(), w, h-1) + "\n" + m.st.Faint.Render(ansi.Truncate(" "+last, w, "…"))
	}
	if m.mode == modePicker || m.snap == nil || (m.fatal != "" && !m.joined) {
		// No session to show, or none joined: the picker's screen says
		// which, or why.
		return m.renderPicker()
	}
	// The panes read the state through m.cm; tests may set m.snap alone.
	m.cm.State = m.snap.State
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
	lines := theme.WrapText(msg, max(m.width-2, 10))
	out := make([]string, 0, m.height)
	for range max((m.height-len(lines))/2, 0) {
		out = append(out, "")
	}
	for _, l := range lines {
		out = append(out, theme.Fit(" "+l, m.width))
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
	lines := []string{theme.Fit(" "+m.st.Title.Render(m.t.AppName)+" · "+m.t.PickerTitle, w), theme.Fit("", w)}
	switch {
	case m.fatal != "":
		for _, l := range theme.WrapText(m.fatal, w-2) {
			lines = append(lines, theme.Fit(" "+m.st.Error.Render(l), w))
		}
	case !m.pickLoaded:
		lines = append(lines, theme.Fit(" "+m.t.Loading, w))
	case len(m.sessions) == 0:
		lines = append(lines, theme.Fit(" "+m.t.PickerEmpty, w))
	default:
		from := max(0, m.pickIdx-(h-5))
		for i := from; i < len(m.sessions) && i < from+h-3; i++ {
			name := m.sessions[i]
			row := theme.Fit("   "+sanitize.Line(name), w)
			if i == m.pickIdx {
				row = m.st.Cursor.Render(theme.Fit(" ▸ "+sanitize.Line(name), w))
			}
			lines = append(lines, row)
		}
	}
	for len(lines) < h-1 {
		lines = append(lines, theme.Fit("", w))
	}
	lines = lines[:h-1]
	last := m.t.PickerHint
	if m.status != "" {
		last = m.status
	}
	lines = append(lines, theme.Fit(" "+m.st.Faint.Render(last), w))
	return strings.Join(lines, "\n")
}

// header is the top line: the session, where we are in the list and the
// filter in force, and the way to the help.
func (m *Model) header(w int) string {
	p := m.currentProposal()
	k := headKey{gen: m.vc.gen, name: m.snap.State.Name, w: w, cursor: m.cursor, n: len(m.visible), filter: m.filter,
		off: p != nil && !m.filter.match(p, m.conflictShown), right: m.headRight(p)}
	if k != m.vc.head || m.vc.headOut == "" {
		m.vc.head, m.vc.headOut = k, m.drawHeader(k)
	}
	return m.vc.headOut
}

func (m *Model) drawHeader(k headKey) string {
	w := k.w
	left := " " + m.st.Title.Render(m.t.AppName) + m.st.Faint.Render(" · ") + sanitize.Line(m.snap.State.Name)
	pos := m.listPosition()
	if k.off {
		pos += m.st.Conflict.Render(" · " + m.t.OffFilter)
	}
	right := k.right + m.st.Faint.Render(m.t.HelpHint) + " "
	room := w - theme.Width(right)
	if theme.Width(left+" │ "+pos) > room {
		// The session's name gives way first: the window title has it,
		// and where the reader stands in the list matters more.
		left = " " + m.st.Title.Render(m.t.AppName)
	}
	line := theme.Cut(left+m.st.Faint.Render(" │ ")+pos, room)
	return theme.Fit(line+strings.Repeat(" ", max(room-theme.Width(line), 0))+right, w)
}

// headRight is what the header shows on its right before the help: the
// timer of the link on screen, and where this screen stands with the
// room (following it, browsing alone, leading it).
func (m *Model) headRight(p *review.ProposalState) string {
	var parts []string
	if t := m.timerText(m.roomTimer()); t != "" {
		parts = append(parts, m.st.Conflict.Render(t))
	}
	switch {
	case m.leading():
		parts = append(parts, m.st.Label.Render("★ "+m.t.FollowLabel))
	case m.following():
		parts = append(parts, m.st.Label.Render("◉ "+m.t.FollowLabel))
	case !m.isFacilitator() && m.roomLed() && m.opts.Actor.Role != "":
		parts = append(parts, m.st.Conflict.Render(m.t.AloneShort))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, m.st.Faint.Render(" · ")) + m.st.Faint.Render(" · ")
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
		parts = append(parts, m.cm.DocTitle(f.document))
	}
	if f.status != "" {
		parts = append(parts, m.cm.StatusWord(f.status))
	}
	if f.origin != "" {
		parts = append(parts, m.cm.OriginKindWord(f.origin))
	}
	if f.conflict != "" {
		parts = append(parts, m.t.FilterConflict)
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
	case modeTurnout, modeResults, modeSource:
		return m.sheetPanel(w, h)
	case modeCard:
		return m.cardPanel(w, h)
	case modeBrowse, modeQuit:
		return m.panes(w, h)
	case modeConsent:
		out, from := form.Consent{C: &m.cm, Text: m.snap.State.Consent.Text, From: m.consentAt}.Render(w, h)
		m.consentAt = from
		return out
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
		out := theme.Blank(w, h)
		for i, l := range theme.WrapText(msg, w-2) {
			if 1+i < h {
				out[1+i] = theme.Fit(" "+l, w)
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
	rest := w - 2 - listW - theme.Width(paneSep)
	if listW > 0 {
		rest -= theme.Width(paneSep)
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
		out[i] = theme.Fit(b.String(), w)
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
	k := propKey{gen: m.vc.gen, p: p, w: w, h: h, compact: compact, blind: m.blindOn(p), cond: m.conditions()}
	if k != m.vc.prop || m.vc.propOut == nil {
		m.vc.prop, m.vc.propOut = k, m.link(p).Render(m.proposalHead(p, w, compact), w, h, compact)
	}
	return m.vc.propOut
}

// proposalHead is the top of the proposal pane, the criterion and the
// statement, which a vote or a decision does not change. It is kept while
// they stay the same: sanitizing and wrapping them again for every screen at
// every vote showed in profiles.
func (m *Model) proposalHead(p *review.ProposalState, w int, compact bool) []string {
	k := headOfKey{gen: m.vc.gen, criterion: p.Criterion, final: p.Final, versions: len(p.Versions), w: w, compact: compact,
		blind: m.blindOn(p)}
	// A seal changes the head only when there are competing wordings (it
	// hides them) or when it chose one of them (its label and "before").
	if len(p.Versions) > 1 {
		k.sealed, k.finalVersion = p.Sealed, p.FinalVersion
	}
	if k == m.vc.propHead && m.vc.propHeadOut != nil {
		return m.vc.propHeadOut
	}
	out := m.link(p).Head(w, compact)
	m.vc.propHead, m.vc.propHeadOut = k, out
	return out
}

// link is the link pane of proposal p.
func (m *Model) link(p *review.ProposalState) pane.Link {
	return pane.Link{C: &m.cm, P: p, WhyKey: m.keys.Why.Help().Key + "\u00a0" + m.keys.Why.Help().Desc,
		Self: m.opts.Actor.Key(), Blind: m.blindOn(p), Cond: m.conditions()}
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
	out, pv, rows := pane.Passage{C: &m.cm, P: p, View: m.pv, Scroll: m.scroll}.Render(w, h)
	m.pv = pv
	if rows > 0 {
		m.passRows = rows
	}
	// The key holds the passage view the drawing used or made, so that
	// a view dropped since (another proposal in between) draws again.
	k.pv = m.pv
	m.vc.pass, m.vc.passOut, m.vc.passRows = k, out, m.passRows
	return out
}

// listPane is the column of proposals on wide screens, with who else is
// looking at each.
func (m *Model) listPane(w, h int) []string {
	return pane.List{C: &m.cm, Visible: m.visible, Cursor: m.cursor, Looking: m.lookers(), Self: m.opts.Actor.Key(), Hidden: m.blindOn}.Render(w, h)
}

// lookers maps a proposal to the names of the other people looking at it.
// It is kept until the presences change.
func (m *Model) lookers() map[string][]string {
	k := lookKey{online: idOf(m.snap.Online), self: m.self()}
	if k == m.vc.look && m.vc.lookOut != nil {
		return m.vc.lookOut
	}
	out := pane.Lookers(m.snap.Online, k.self)
	m.vc.look, m.vc.lookOut = k, out
	return out
}

// footer is the status: progress and who is here, the votes on this
// proposal, then the last message or the key hints.
func (m *Model) footer(w int) []string {
	st := m.snap.State
	pk := progressKey{gen: m.vc.gen, decided: st.Decided(), total: len(st.Proposals), online: idOf(m.snap.Online), w: w, more: m.progressMore()}
	if pk != m.vc.progress || m.vc.progressOut == "" {
		a := m.cm.Progress(pk.decided, pk.total, pk.more)
		a += m.onlineText(w - theme.Width(a))
		m.vc.progress, m.vc.progressOut = pk, theme.Fit(a, w)
	}
	cur := m.currentProposal()
	vk := votesKey{gen: m.vc.gen, p: cur, online: idOf(m.snap.Online), self: m.self(), w: w, blind: m.blindOn(cur)}
	if vk != m.vc.votes || m.vc.votesOut == "" {
		m.vc.votes, m.vc.votesOut = vk, theme.Fit(" "+m.votesText(), w)
	}
	var c string
	switch {
	case m.mode == modeQuit:
		c = " " + m.st.Conflict.Render(m.quitQuestion())
	case m.pending > 0:
		c = " " + m.st.Faint.Render(m.t.Saving)
		if m.status != "" {
			c += " " + m.cm.Status(m.status, m.statusErr)
		}
	case m.status != "":
		c = " " + m.cm.Status(m.status, m.statusErr)
	case m.mode == modeWhy:
		c = " " + m.st.Faint.Render(m.t.WhyHint)
	case m.mode == modeHelp:
		c = " " + m.st.Faint.Render(m.t.HelpClose)
	case m.mode == modeTurnout:
		c = " " + m.st.Faint.Render(m.t.TurnoutHint)
	case m.mode == modeResults:
		c = " " + m.st.Faint.Render(m.t.ResultsHint)
	case m.mode == modeSource:
		c = " " + m.st.Faint.Render(m.t.SourceHint)
	case m.mode != modeBrowse:
		// A panel is open and shows its own keys.
	default:
		if m.hint == "" {
			// Kept until the size or the colours change: the help bubble
			// measures every binding each time it draws.
			m.hint = m.helpModel().ShortHelpView(m.keys.ShortHelp())
		}
		c = " " + m.hint
		if n := m.refused(); n > 0 {
			c = " " + m.st.Faint.Render(m.t.Count(int(n), m.t.Refused1, m.t.Refused)) + " ·" + c
		}
	}
	if lk := (lastKey{gen: m.vc.gen, in: c, w: w}); lk != m.vc.last || m.vc.lastOut == "" {
		m.vc.last, m.vc.lastOut = lk, theme.Fit(c, w)
	}
	return []string{m.vc.progressOut, m.vc.votesOut, m.vc.lastOut}
}

// refused is the count of refused joins a facilitator sees, 0 for others.
func (m *Model) refused() int64 {
	if m.opts.Refused == nil || !m.isFacilitator() {
		return 0
	}
	return m.opts.Refused()
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
	out := pane.Online(m.snap.Online, room)
	m.vc.online, m.vc.onlineOut = k, out
	return out
}

func (m *Model) helpPanel(w, h int) []string {
	// Two rows of columns: one row of six would not fit 80 columns, and
	// the help bubble drops the columns that do not fit.
	groups := m.keys.FullHelp()
	keys := m.helpModel().FullHelpView(groups[:3])
	if more := m.helpModel().FullHelpView(groups[3:]); more != "" {
		keys += "\n\n" + more
	}
	return pane.Help{C: &m.cm, Role: m.opts.Actor.Role, Keys: keys, Notice: m.opts.Notice}.Render(w, h)
}

// form is the panel of the action being written, under the panes, so that
// the passage stays in view while one rephrases or picks a quote.
func (m *Model) form(w int) []string {
	c := &m.cm
	switch m.mode {
	case modeFilter:
		return form.Filter{C: c, Values: []string{m.draft.criterion, m.draft.document, string(m.draft.status), m.draft.origin, m.draft.conflict}, Row: m.filterRow, Err: m.formErr}.Render(w)
	case modeReason, modeReasonOther:
		other := ""
		if m.mode == modeReasonOther && m.input != nil {
			other = m.input.View()
		}
		return form.Reject{C: c, Selected: m.reasonIdx, Other: other, Err: m.formErr}.Render(w)
	case modeEdit:
		return form.Rephrase{C: c, Editor: m.editor.View(), Err: m.formErr}.Render(w)
	case modeComment:
		return form.Comment{C: c, Input: m.input.View(), Err: m.formErr}.Render(w)
	case modeCreatePick:
		return form.Create{C: c, Step: form.CreatePick, Crit: m.critIdx, Err: m.formErr}.Render(w)
	case modeCreateStatement:
		return form.Create{C: c, Step: form.CreateStatement, Crit: m.critIdx, Editor: m.editor.View(), Err: m.formErr}.Render(w)
	case modeVersions, modeVersionsOutcome:
		p := m.currentProposal()
		if p == nil {
			return nil
		}
		outcome := ""
		if m.input != nil {
			outcome = m.input.View()
		}
		return form.Versions{C: c, P: p, Selected: m.verIdx, Outcome: outcome, Writing: m.mode == modeVersionsOutcome, Err: m.formErr}.Render(w)
	case modeParked:
		return form.Parked{C: c, IDs: m.parkedIDs, Selected: m.parkIdx}.Render(w)
	case modeAsk:
		title, hint := m.t.TimerAsk, m.t.TimerHint
		switch m.asking {
		case askAgenda:
			title, hint = m.t.AgendaAsk, m.t.AgendaHint
		case askUnanimous:
			title, hint = m.t.UnanimousAsk, m.t.UnanimousHint
		}
		in := ""
		if m.input != nil {
			in = m.input.View()
		}
		return form.Ask{C: c, Title: title, Input: in, Hint: hint, Err: m.formErr}.Render(w)
	case modeConfirm:
		return form.Ask{C: c, Title: m.t.KeyUnanimous, Hint: fmt.Sprintf(m.t.Form(len(m.unanimous), m.t.UnanimousConfirm1, m.t.UnanimousConfirm), len(m.unanimous), m.unanMin)}.Render(w)
	case modeCreateQuote:
		return form.Create{C: c, Step: form.CreateQuote, Crit: m.critIdx, Input: m.input.View(), Text: m.newText, Err: m.formErr}.Render(w)
	}
	return nil
}

// votesText is the tally and the names on the proposal on screen, the
// disagreement mark, the turnout, and who else is looking at it.
func (m *Model) votesText() string {
	p := m.currentProposal()
	if p == nil {
		return ""
	}
	return m.cm.Votes(p, pane.VotesView{Blind: m.blindOn(p), Self: m.opts.Actor.Key(), Turnout: m.turnout(p),
		Lookers: pane.LookersOf(m.snap.Online, m.self(), p.ID, m.width)})
}

// turnout is how many of the participants online have voted on p ("4/6
// ont voté", review.ProposalState.Turnout, as the wall counts them), and,
// for the facilitator, who has not yet: "" when no participant is online.
func (m *Model) turnout(p *review.ProposalState) string {
	t := session.Turnout(m.snap.Online, p)
	if t.Present == 0 {
		return ""
	}
	s := fmt.Sprintf(m.t.Turnout, t.Voted, t.Present)
	if m.isFacilitator() && len(t.Missing) > 0 {
		var missing []string
		for _, a := range t.Missing[:min(len(t.Missing), 8)] {
			missing = append(missing, sanitize.Line(a.Name))
		}
		if len(t.Missing) > 8 {
			missing = append(missing, "…")
		}
		s += m.st.Faint.Render(" · "+m.t.NotYet+m.t.Colon) + strings.Join(missing, ", ")
	}
	return s
}

// withAgenda puts the facilitator's agenda line (agendaText) and the
// raised hands before the progress of the criterion.
func (m *Model) withAgenda(s string) string {
	if !m.isFacilitator() {
		return s
	}
	if hs := hands(m.snap.State, m.snap.Online); len(hs) > 0 {
		s = m.st.Conflict.Render(fmt.Sprintf(m.t.Hands, len(hs))+" "+strings.Join(hs, ", ")) + " · " + s
	}
	if a := m.agendaText(); a != "" {
		s = m.st.Label.Render(a) + " · " + s
	}
	return s
}

// progressMore is the progress of the criterion on screen and the
// reader's own ("C3 : 1/4 · vous : 5/12").
func (m *Model) progressMore() string {
	p := m.currentProposal()
	if p == nil {
		return ""
	}
	if m.vc.moreState == m.snap.State && m.vc.moreCur == p.ID {
		return m.withAgenda(m.vc.moreOut)
	}
	decided, total, mine := 0, 0, 0
	for _, q := range m.snap.State.Proposals {
		if q.Criterion == p.Criterion {
			total++
			if q.Status != review.Pending {
				decided++
			}
		}
		if m.opts.Actor.Role == review.Participant && m.hasVoted(q) {
			mine++
		}
	}
	s := fmt.Sprintf(m.t.CritProgress, sanitize.Line(p.Criterion), decided, total)
	if m.opts.Actor.Role == review.Participant {
		s += " · " + fmt.Sprintf(m.t.Mine, mine, len(m.snap.State.Proposals))
	}
	m.vc.moreState, m.vc.moreCur, m.vc.moreOut = m.snap.State, p.ID, s
	return m.withAgenda(s)
}
