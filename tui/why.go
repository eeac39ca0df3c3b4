package tui

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/viewport"
	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// fillWhy prepares the "why" panel of the proposal on screen: where it comes
// from, with enough provenance to redo it, and everything people did with
// it. It is rebuilt when the panel opens, when the window changes and when a
// new revision arrives while it is open, never at each key press.
func (m *Model) fillWhy() {
	w, h := max(m.width-2, 10), max(m.height-1-footerH-1, 1)
	if m.why == nil {
		vp := viewport.New()
		m.why = &vp
	}
	m.why.SetWidth(w)
	m.why.SetHeight(h)
	p := m.currentProposal()
	if p == nil {
		m.why.SetContentLines(nil)
		return
	}
	m.why.SetContentLines(m.whyLines(p, w))
}

func (m *Model) whyPanel(w, h int) []string {
	out := make([]string, 0, h)
	title := m.t.WhyTitle
	if p := m.currentProposal(); p != nil {
		title += "  " + sanitize.Line(p.Criterion) + " · " + m.docTitle(p.Document)
	}
	out = append(out, fit(" "+m.st.Title.Render(cut(title, w-2)), w))
	if m.why == nil {
		m.fillWhy()
	}
	for _, l := range strings.Split(m.why.View(), "\n") {
		if len(out) == h {
			break
		}
		out = append(out, fit(" "+l, w))
	}
	return pad(out, w, h)
}

// whyLines writes the provenance and the history as lines of width w.
func (m *Model) whyLines(p *review.ProposalState, w int) []string {
	var out []string
	heading := func(s string) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, m.st.Label.Render(s))
	}
	var rows [][2]string
	row := func(k, v string) {
		if v != "" {
			rows = append(rows, [2]string{k, v})
		}
	}
	flush := func() {
		lw := 0
		for _, r := range rows {
			lw = max(lw, width(r[0]))
		}
		lw = min(lw, w/3)
		for _, r := range rows {
			label := fit(cut(r[0], lw), lw)
			for i, l := range wrapText(r[1], max(w-lw-4, 10)) {
				if i == 0 {
					out = append(out, "  "+m.st.Faint.Render(label)+"  "+l)
				} else {
					out = append(out, "  "+strings.Repeat(" ", lw)+"  "+l)
				}
			}
		}
		rows = rows[:0]
	}

	heading(m.t.ProvHeading)
	row(m.t.LabelOrigin, m.originWord(p.Origin))
	row(m.t.LabelConfidence, m.decimal(p.Confidence))
	if pv := p.Origin.Provenance; pv != nil {
		row(m.t.ProvModel, sanitize.Line(pv.Model))
		row(m.t.ProvDigest, sanitize.Line(pv.ModelDigest))
		row(m.t.ProvOllama, sanitize.Line(pv.OllamaVersion))
		row(m.t.ProvHost, sanitize.Line(pv.Host))
		row(m.t.ProvEmbed, sanitize.Line(pv.EmbedModel))
		row(m.t.ProvPrompt, strings.Trim(sanitize.Line(pv.PromptVersion)+" · "+sanitize.Line(pv.PromptHash), " ·"))
		row(m.t.ProvSchema, sanitize.Line(pv.SchemaHash))
		row(m.t.ProvOptions, optionsText(pv.Options))
		if r := pv.Retrieval; r != nil {
			var parts []string
			parts = append(parts, fmt.Sprintf(m.t.ProvScore, "lexical", r.LexicalScore, r.LexicalRank))
			if r.EmbedRank > 0 {
				parts = append(parts, fmt.Sprintf(m.t.ProvScore, "embedding", r.EmbedScore, r.EmbedRank))
			}
			if r.FusedRank > 0 {
				parts = append(parts, fmt.Sprintf(m.t.ProvScore, "RRF", r.FusedScore, r.FusedRank))
			}
			row(m.t.ProvRetrieval, strings.Join(parts, " · "))
		}
		row(m.t.ProvQuoteMatch, sanitize.Line(pv.QuoteMatch))
		terms := make([]string, len(pv.MatchedTerms))
		for i, t := range pv.MatchedTerms {
			terms[i] = sanitize.Line(t)
		}
		row(m.t.ProvTerms, strings.Join(terms, ", "))
		if pv.PromptTokens > 0 || pv.OutputTokens > 0 {
			row(m.t.ProvTokens, fmt.Sprintf(m.t.ProvTokensFmt, pv.PromptTokens, pv.OutputTokens))
		}
		if pv.TotalDuration > 0 {
			row(m.t.ProvDurations, fmt.Sprintf(m.t.ProvDurationsFmt, m.dur(pv.TotalDuration), m.dur(pv.LoadDuration),
				m.dur(pv.PromptDuration), m.dur(pv.EvalDuration)))
		}
		row(m.t.ProvDoneReason, sanitize.Line(pv.DoneReason))
		if pv.Attempts > 0 {
			row(m.t.ProvAttempts, strconv.Itoa(pv.Attempts))
		}
	}
	if p.QuoteStart < 0 && p.Quote != "" {
		row(m.t.LabelQuote, m.t.QuoteNotFound)
	}
	flush()
	if p.Origin.Provenance == nil {
		for _, l := range wrapText(m.t.NoProvenance, w-2) {
			out = append(out, "  "+m.st.Faint.Render(l))
		}
	}

	heading(m.t.VersionsHeading)
	for _, v := range p.Versions {
		head := fmt.Sprintf("%d. ", v.N) + m.st.Faint.Render(m.clock(v.At)+" "+sanitize.Line(v.Author.Name))
		out = append(out, "  "+head)
		for _, l := range wrapText(sanitize.Line(v.Statement), w-5) {
			out = append(out, "     "+l)
		}
		if v.Diff != "" {
			for _, l := range wrapText(sanitize.Line(v.Diff), w-5) {
				out = append(out, "     "+m.diffLine(l))
			}
		}
	}

	heading(m.t.HistHeading)
	st := m.snap.State
	undone := map[string]bool{}
	for _, i := range p.History {
		if e := st.Events[i]; e.Kind == review.KindActionUndone {
			var u review.UndoData
			if e.Decode(&u) == nil {
				undone[u.Target] = true
			}
		}
	}
	for _, i := range p.History {
		e := st.Events[i]
		who := sanitize.Line(e.Actor.Name)
		var line, extra string
		switch e.Kind {
		case review.KindProposalAdded:
			line = fmt.Sprintf(m.t.HistAdded, who)
		case review.KindVoteCast, review.KindDecisionMade:
			var d review.VoteData
			_ = e.Decode(&d)
			f := m.t.HistVote
			if e.Kind == review.KindDecisionMade {
				f = m.t.HistDecision
			}
			line = fmt.Sprintf(f, who, m.verdictMark(d.Verdict)+" "+m.verdictWord(d.Verdict))
			if d.Verdict == review.Reject {
				line += " · " + m.reasonWord(d.Reason)
				if d.Note != "" {
					line += m.t.Colon + sanitize.Line(d.Note)
				}
			}
			if d.Verdict == review.Rephrase {
				extra = "« " + sanitize.Line(d.Statement) + " »"
			}
			if d.DwellMS > 0 {
				line += m.st.Faint.Render(" · " + fmt.Sprintf(m.t.HistDwell, m.dur(d.DwellMS*int64(time.Millisecond))))
			}
		case review.KindCommentAdded:
			var c review.CommentData
			_ = e.Decode(&c)
			line = fmt.Sprintf(m.t.HistComment, who)
			extra = "« " + sanitize.Line(c.Text) + " »"
		case review.KindActionUndone:
			line = fmt.Sprintf(m.t.HistUndo, who)
		case review.KindDecisionReopened:
			line = fmt.Sprintf(m.t.HistReopen, who)
		default:
			continue
		}
		if undone[e.ID] {
			line += " " + m.st.Faint.Render(m.t.HistUndone)
		}
		prefix := "  " + m.st.Faint.Render(m.clock(e.At)) + "  "
		for j, l := range wrapText(ansi.Strip(line), w-12) {
			if j == 0 {
				// Keep the styles of the first line when it fits as is.
				if width(line) <= w-12 {
					l = line
				}
				out = append(out, prefix+l)
			} else {
				out = append(out, "            "+l)
			}
		}
		if extra != "" {
			for _, l := range wrapText(extra, w-12) {
				out = append(out, "            "+l)
			}
		}
	}
	return out
}

// clock shows a time in the screen's time zone (the one of Options.Now).
func (m *Model) clock(t time.Time) string {
	return t.In(m.opts.Now().Location()).Format("15:04:05")
}

// dur shows nanoseconds as seconds with one decimal, or minutes and seconds.
func (m *Model) dur(ns int64) string {
	d := time.Duration(ns)
	if d >= time.Minute {
		s := int(d.Round(time.Second) / time.Second)
		return fmt.Sprintf(m.t.Minutes, s/60, s%60)
	}
	return fmt.Sprintf(m.t.Seconds, strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', 1, 64), ".", m.t.DecimalComma, 1))
}

// optionsText writes a model's options in a stable order.
func optionsText(o map[string]any) string {
	keys := slices.Sorted(maps.Keys(o))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, sanitize.Line(k)+"="+sanitize.Line(fmt.Sprint(o[k])))
	}
	return strings.Join(parts, " ")
}
