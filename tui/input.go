package tui

import (
	"slices"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// This file turns key presses into changes of the screen and into actions
// for the hub, one function per panel. None of them does I/O: an action
// becomes a command (doCmd, undoCmd, createCmd) that runs outside Update.

// key handles a key press in the mode the screen is in.
func (m *Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "ctrl+c" && m.mode != modeQuit {
		return m, m.askQuit()
	}
	switch m.mode {
	case modeQuit:
		switch {
		case key.Matches(msg, m.keys.Yes), msg.String() == "ctrl+c":
			return m, m.quitNow()
		case key.Matches(msg, m.keys.No):
			// Back to where the question interrupted, a panel included.
			m.mode, m.status = m.beforeQuit, ""
		}
		return m, nil
	case modePicker:
		return m, m.keyPicker(msg)
	case modeHelp:
		if key.Matches(msg, m.keys.Help, m.keys.Cancel) {
			m.mode = modeBrowse
		} else if key.Matches(msg, m.keys.Quit) {
			return m, m.askQuit()
		}
		return m, nil
	case modeWhy:
		if key.Matches(msg, m.keys.Why, m.keys.Cancel) {
			m.mode, m.why = modeBrowse, nil
			return m, nil
		}
		if key.Matches(msg, m.keys.Quit) {
			return m, m.askQuit()
		}
		var cmd tea.Cmd
		*m.why, cmd = m.why.Update(msg)
		return m, cmd
	case modeConsent:
		return m, m.keyConsent(msg)
	case modeVersions, modeVersionsOutcome:
		return m, m.keyVersions(msg)
	case modeParked:
		return m, m.keyParked(msg)
	case modeAsk:
		return m, m.keyAsk(msg)
	case modeConfirm:
		return m, m.keyConfirm(msg)
	case modeTurnout, modeResults, modeSource:
		return m, m.keySheet(msg)
	case modeCard:
		return m, m.keyCard(msg)
	case modeFilter:
		return m, m.keyFilter(msg)
	case modeReason, modeReasonOther:
		return m, m.keyReason(msg)
	case modeEdit:
		return m, m.keyEdit(msg)
	case modeComment:
		return m, m.keyComment(msg)
	case modeCreatePick, modeCreateStatement, modeCreateQuote:
		return m, m.keyCreate(msg)
	}
	return m.keyBrowse(msg)
}

func (m *Model) keyBrowse(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, m.askQuit()
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
		return m, m.paneOpened(paneHelp)
	case key.Matches(msg, k.Down):
		return m, m.userMove(m.cursor + 1)
	case key.Matches(msg, k.Up):
		return m, m.userMove(m.cursor - 1)
	case key.Matches(msg, k.First):
		return m, m.userMove(0)
	case key.Matches(msg, k.Last):
		return m, m.userMove(len(m.visible) - 1)
	case key.Matches(msg, k.NextPending) && m.isFacilitator() && m.workOrder() != orderList:
		return m, m.nextOrdered()
	case key.Matches(msg, k.NextPending):
		return m, m.jumpNext(m.t.NoNextPending, func(p *review.ProposalState) bool { return p.Status == review.Pending })
	case key.Matches(msg, k.NextMine):
		return m, m.jumpNext(m.t.NoNextUnvoted, func(p *review.ProposalState) bool { return !m.hasVoted(p) })
	case key.Matches(msg, k.NextConflict):
		return m, m.jumpNext(m.t.NoNextConflict, m.conflictShown)
	case key.Matches(msg, k.Follow):
		return m, m.rejoin()
	case key.Matches(msg, k.Turnout):
		return m, m.openSheet(modeTurnout)
	case key.Matches(msg, k.Results):
		return m, m.openSheet(modeResults)
	case key.Matches(msg, k.Source):
		return m, m.openSheet(modeSource)
	case key.Matches(msg, k.Card) && m.opts.Card != nil:
		m.mode, m.cardPass = modeCard, false
		return m, nil
	case key.Matches(msg, k.Hand):
		return m, m.raiseHand()
	case key.Matches(msg, k.PageDown):
		m.scrollPassage(+1)
		return m, nil
	case key.Matches(msg, k.PageUp):
		m.scrollPassage(-1)
		return m, nil
	case key.Matches(msg, k.Filter):
		m.draft, m.filterRow, m.mode = m.filter, 0, modeFilter
		return m, nil
	case key.Matches(msg, k.Why):
		if m.currentProposal() == nil {
			m.setError(m.t.ErrNoProposal)
			return m, nil
		}
		if m.conditions().HideRationale {
			// This session (or this person's arm of it) does not offer
			// the provenance: it is one of the conditions studied.
			m.setError(m.t.ErrNoWhy)
			return m, nil
		}
		m.mode = modeWhy
		m.fillWhy()
		return m, m.paneOpened(paneWhy)
	}
	if handled, cmd := m.keyFacilitator(msg); handled {
		return m, cmd
	}
	if m.isSpectatorAction(msg) {
		m.setError(m.t.ErrSpectator)
		return m, nil
	}
	if !key.Matches(msg, k.actionKeys()...) {
		return m, nil
	}
	if key.Matches(msg, k.Undo) {
		if !m.joined {
			return m, nil
		}
		m.status = ""
		return m, m.undoCmd()
	}
	p := m.currentProposal()
	if p == nil || !m.joined {
		m.setError(m.t.ErrNoProposal)
		return m, nil
	}
	m.status, m.formErr = "", ""
	if p.Sealed && key.Matches(msg, k.Accept, k.Reject, k.Edit, k.Skip) {
		// Said at once, rather than after writing a rephrasing the hub
		// would refuse.
		m.setError(m.t.ErrSealed)
		if m.isFacilitator() {
			m.setError(m.t.AlreadySealed)
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Accept):
		return m, m.vote(p, review.Accept, "", "", "")
	case key.Matches(msg, k.Skip):
		return m, m.vote(p, review.Skip, "", "", "")
	case key.Matches(msg, k.Reject):
		m.mode, m.reasonIdx = modeReason, 0
	case key.Matches(msg, k.Edit):
		m.mode = modeEdit
		return m, m.openEditor(sanitize.Text(p.Final))
	case key.Matches(msg, k.Comment):
		m.mode = modeComment
		return m, m.openInput("› ", 1000)
	case key.Matches(msg, k.Create):
		if len(m.snap.State.Criteria) == 0 {
			return m, nil
		}
		m.critIdx = max(0, slices.IndexFunc(m.snap.State.Criteria, func(c review.Criterion) bool { return c.ID == p.Criterion }))
		m.newText = ""
		m.mode = modeCreatePick
	}
	return m, nil
}

// isSpectatorAction reports a key that would act if the key map of this
// role had not disabled it.
func (m *Model) isSpectatorAction(msg tea.KeyPressMsg) bool {
	s := msg.String()
	for _, b := range m.keys.actionKeys() {
		if !b.Enabled() && slices.Contains(b.Keys(), s) {
			return true
		}
	}
	return false
}

// vote records a verdict: a facilitator's accept, reject or rephrase is the
// group's decision; everything else is an opinion. Dwell is how long this
// proposal has been on this screen, research data on how long people think.
func (m *Model) vote(p *review.ProposalState, v review.Verdict, reason, note, statement string) tea.Cmd {
	kind := review.KindVoteCast
	if m.opts.Actor.Role == review.Facilitator && v != review.Skip {
		kind = review.KindDecisionMade
	}
	// The version judged is the one shown as the statement: the original
	// while the link is open (competing wordings are shown apart).
	data := review.VoteData{Proposal: p.ID, Verdict: v, Reason: reason, Note: note, Statement: statement, DwellMS: m.dwell(), Version: max(p.FinalVersion, 1)}
	if v == review.Rephrase || (kind == review.KindDecisionMade && v != review.Accept) {
		// A rephrasing is a new wording, which the fold numbers itself
		// (a Version there would name an existing one); a seal names a
		// version only when it chooses one, and a rejection chooses none.
		data.Version = 0
	}
	return m.doCmd(action{kind: kind, verdict: v, next: v == review.Skip, proposal: p.ID}, data)
}

// scrollPassage pages through a passage longer than its pane.
func (m *Model) scrollPassage(dir int) {
	if m.pv == nil || m.passRows <= 0 {
		return
	}
	start, _, _, _ := m.pv.Window(m.scroll, m.passRows)
	step := max(m.passRows-2, 1)
	m.scroll = max(0, min(start+dir*step, max(m.pv.Lines()-m.passRows+1, 0)))
}

func (m *Model) keyPicker(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		m.shutdown()
		return tea.Quit
	case key.Matches(msg, k.Down):
		m.pickIdx = min(m.pickIdx+1, max(len(m.sessions)-1, 0))
	case key.Matches(msg, k.Up):
		m.pickIdx = max(m.pickIdx-1, 0)
	case key.Matches(msg, k.Confirm):
		if m.pickIdx < len(m.sessions) && !m.opening {
			m.opening = true
			m.setInfo(m.t.PickerOpening)
			return m.openCmd(m.sessions[m.pickIdx])
		}
	}
	return nil
}

// filterValues lists the values a filter row cycles through, "" first.
func (m *Model) filterValues(row int) []string {
	st := m.snap.State
	out := []string{""}
	switch row {
	case 0:
		for _, c := range st.Criteria {
			out = append(out, c.ID)
		}
	case 1:
		for _, d := range st.Documents {
			out = append(out, d.ID)
		}
	case 2:
		out = append(out, string(review.Pending), string(review.Accepted), string(review.Rejected), string(review.Rephrased))
	case 3:
		out = append(out, review.OriginModel, review.OriginLexical, review.OriginHuman, review.OriginExample)
	case 4:
		out = append(out, "1")
	}
	return out
}

func (f *filter) field(row int) *string {
	switch row {
	case 0:
		return &f.criterion
	case 1:
		return &f.document
	case 2:
		return (*string)(&f.status)
	case 3:
		return &f.origin
	}
	return &f.conflict
}

const filterRows = 5

func (m *Model) keyFilter(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.mode = modeBrowse
	case key.Matches(msg, k.Confirm):
		m.filter, m.mode = m.draft, modeBrowse
		m.status = ""
		// The reader chose this filter: the link on screen may go.
		m.held = ""
		return m.refresh()
	case key.Matches(msg, k.Clear):
		m.draft = filter{}
	case key.Matches(msg, k.Down):
		m.filterRow = (m.filterRow + 1) % filterRows
	case key.Matches(msg, k.Up):
		m.filterRow = (m.filterRow + filterRows - 1) % filterRows
	case key.Matches(msg, k.Left), key.Matches(msg, k.Right):
		vals := m.filterValues(m.filterRow)
		f := m.draft.field(m.filterRow)
		i := slices.Index(vals, *f)
		step := 1
		if key.Matches(msg, k.Left) {
			step = len(vals) - 1
		}
		*f = vals[(i+step)%len(vals)]
	case key.Matches(msg, k.Quit):
		return m.askQuit()
	}
	return nil
}

func (m *Model) keyReason(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	p := m.currentProposal()
	if m.mode == modeReasonOther {
		switch {
		case key.Matches(msg, k.Cancel):
			m.mode, m.formErr = modeReason, ""
			m.input = nil
			return nil
		case key.Matches(msg, k.Confirm):
			note := strings.TrimSpace(m.input.Value())
			if note == "" {
				m.formErr = m.t.ErrEmpty
				return nil
			}
			m.mode, m.formErr = modeBrowse, ""
			m.input = nil
			if p == nil {
				return nil
			}
			return m.vote(p, review.Reject, review.ReasonOther, note, "")
		}
		var cmd tea.Cmd
		*m.input, cmd = m.input.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Cancel):
		m.mode = modeBrowse
	case key.Matches(msg, k.Down):
		m.reasonIdx = (m.reasonIdx + 1) % len(review.Reasons)
	case key.Matches(msg, k.Up):
		m.reasonIdx = (m.reasonIdx + len(review.Reasons) - 1) % len(review.Reasons)
	case key.Matches(msg, k.Confirm):
		reason := review.Reasons[m.reasonIdx]
		if reason == review.ReasonOther {
			m.mode = modeReasonOther
			return m.openInput(m.t.ReasonOtherPrompt, 300)
		}
		m.mode = modeBrowse
		if p == nil {
			return nil
		}
		return m.vote(p, review.Reject, reason, "", "")
	default:
		// A digit picks a reason directly: 1 for the first.
		if s := msg.String(); len(s) == 1 && s[0] >= '1' && int(s[0]-'1') < len(review.Reasons) {
			m.reasonIdx = int(s[0] - '1')
		}
	}
	return nil
}

func (m *Model) keyEdit(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.mode, m.formErr = modeBrowse, ""
		m.editor = nil
		return nil
	case key.Matches(msg, k.Save):
		s := strings.TrimSpace(m.editor.Value())
		if s == "" {
			m.formErr = m.t.ErrEmpty
			return nil
		}
		m.mode, m.formErr = modeBrowse, ""
		m.editor = nil
		p := m.currentProposal()
		if p == nil {
			return nil
		}
		if s == strings.TrimSpace(sanitize.Text(p.Final)) {
			// Nothing changed: recording a "rephrasing" to the same words
			// would be false research data, and accepting is another key.
			m.setInfo(m.t.Unchanged)
			return nil
		}
		return m.vote(p, review.Rephrase, "", "", s)
	}
	var cmd tea.Cmd
	*m.editor, cmd = m.editor.Update(msg)
	return cmd
}

func (m *Model) keyComment(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.mode, m.formErr = modeBrowse, ""
		m.input = nil
		return nil
	case key.Matches(msg, k.Confirm, k.Save):
		// Ctrl+S sends, as in the rephrasing editor: people who wrote a
		// rephrasing before expect it here too.
		s := strings.TrimSpace(m.input.Value())
		if s == "" {
			m.formErr = m.t.ErrEmpty
			return nil
		}
		m.mode, m.formErr = modeBrowse, ""
		m.input = nil
		p := m.currentProposal()
		if p == nil {
			return nil
		}
		return m.doCmd(action{kind: review.KindCommentAdded}, review.CommentData{Proposal: p.ID, Text: s})
	}
	var cmd tea.Cmd
	*m.input, cmd = m.input.Update(msg)
	return cmd
}

// keyCreate walks the three steps of a new link: the criterion, the
// statement, the optional quote.
func (m *Model) keyCreate(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	p := m.currentProposal()
	if p == nil {
		m.mode = modeBrowse
		return nil
	}
	switch m.mode {
	case modeCreatePick:
		n := len(m.snap.State.Criteria)
		switch {
		case key.Matches(msg, k.Cancel):
			m.mode = modeBrowse
		case key.Matches(msg, k.Down):
			m.critIdx = (m.critIdx + 1) % n
		case key.Matches(msg, k.Up):
			m.critIdx = (m.critIdx + n - 1) % n
		case key.Matches(msg, k.Confirm):
			m.mode = modeCreateStatement
			return m.openEditor(m.newText)
		}
		return nil
	case modeCreateStatement:
		switch {
		case key.Matches(msg, k.Cancel):
			m.newText = m.editor.Value()
			m.editor = nil
			m.mode, m.formErr = modeCreatePick, ""
			return nil
		case key.Matches(msg, k.Save):
			s := strings.TrimSpace(m.editor.Value())
			if s == "" {
				m.formErr = m.t.ErrEmpty
				return nil
			}
			m.newText, m.formErr = s, ""
			m.editor = nil
			m.mode = modeCreateQuote
			return m.openInput("› ", 2000)
		}
		var cmd tea.Cmd
		*m.editor, cmd = m.editor.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Cancel):
		m.input = nil
		m.mode, m.formErr = modeCreateStatement, ""
		return m.openEditor(m.newText)
	case key.Matches(msg, k.Confirm):
		pa, ok := m.snap.State.Passage(p.Passage)
		if !ok {
			m.mode = modeBrowse
			return nil
		}
		quote := strings.TrimSpace(m.input.Value())
		qs, qe, ok := quoteOffsets(m.snap.State.PassageText(pa), quote)
		if !ok {
			m.formErr = m.t.ErrQuote
			return nil
		}
		m.input = nil
		m.mode, m.formErr = modeBrowse, ""
		crit := m.snap.State.Criteria[m.critIdx]
		return m.createCmd(review.Proposal{
			Document: pa.Document, Passage: pa.ID, Criterion: crit.ID,
			Statement: m.newText, Quote: quote, QuoteStart: qs, QuoteEnd: qe,
			Confidence: 1, Origin: review.Origin{Kind: review.OriginHuman, Name: m.opts.Actor.Name},
		})
	}
	var cmd tea.Cmd
	*m.input, cmd = m.input.Update(msg)
	return cmd
}

// quoteOffsets finds quote in text as rune offsets. An empty quote is no
// quote (-1, -1); a quote that is not an exact substring is refused, because
// a quote that is not in the passage must never be shown as one.
func quoteOffsets(text, quote string) (start, end int, ok bool) {
	if quote == "" {
		return -1, -1, true
	}
	i := strings.Index(text, quote)
	if i < 0 {
		return 0, 0, false
	}
	start = utf8.RuneCountInString(text[:i])
	return start, start + utf8.RuneCountInString(quote), true
}
