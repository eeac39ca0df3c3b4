package pane

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// WhyLines writes the provenance and the history as lines of width w.
// With blind, the others' votes and wordings are left out (blind voting,
// not yet revealed); self is the reader's Actor.Key, whose own stay.
func (c *Common) WhyLines(p *review.ProposalState, w int, blind bool, self string) []string {
	hidden := func(a review.Actor) bool { return blind && a.Key() != self && a.Role != review.Facilitator }
	var out []string
	heading := func(s string) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, c.St.Label.Render(s))
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
			lw = max(lw, theme.Width(r[0]))
		}
		lw = min(lw, w/3)
		for _, r := range rows {
			label := theme.Fit(theme.Cut(r[0], lw), lw)
			for i, l := range theme.WrapText(r[1], max(w-lw-4, 10)) {
				if i == 0 {
					out = append(out, "  "+c.St.Faint.Render(label)+"  "+l)
				} else {
					out = append(out, "  "+strings.Repeat(" ", lw)+"  "+l)
				}
			}
		}
		rows = rows[:0]
	}

	heading(c.T.ProvHeading)
	row(c.T.LabelOrigin, c.OriginWord(p.Origin))
	row(c.T.LabelConfidence, c.Decimal(p.Confidence))
	if pv := p.Origin.Provenance; pv != nil {
		row(c.T.ProvModel, sanitize.Line(pv.Model))
		row(c.T.ProvDigest, sanitize.Line(pv.ModelDigest))
		row(c.T.ProvOllama, sanitize.Line(pv.OllamaVersion))
		row(c.T.ProvHost, sanitize.Line(pv.Host))
		row(c.T.ProvEmbed, sanitize.Line(pv.EmbedModel))
		row(c.T.ProvPrompt, strings.Trim(sanitize.Line(pv.PromptVersion)+" · "+sanitize.Line(pv.PromptHash), " ·"))
		row(c.T.ProvSchema, sanitize.Line(pv.SchemaHash))
		row(c.T.ProvOptions, optionsText(pv.Options))
		if r := pv.Retrieval; r != nil {
			var parts []string
			parts = append(parts, fmt.Sprintf(c.T.ProvScore, "BM25", c.decimals(r.LexicalScore, 3), r.LexicalRank))
			if r.EmbedRank > 0 {
				parts = append(parts, fmt.Sprintf(c.T.ProvScore, "embeddings", c.decimals(r.EmbedScore, 3), r.EmbedRank))
			}
			if r.FusedRank > 0 {
				parts = append(parts, fmt.Sprintf(c.T.ProvScore, "RRF", c.decimals(r.FusedScore, 4), r.FusedRank))
			}
			row(c.T.ProvRetrieval, strings.Join(parts, " · "))
		}
		row(c.T.ProvQuoteMatch, sanitize.Line(pv.QuoteMatch))
		terms := make([]string, len(pv.MatchedTerms))
		for i, t := range pv.MatchedTerms {
			terms[i] = sanitize.Line(t)
		}
		row(c.T.ProvTerms, strings.Join(terms, ", "))
		// The words the frugal proposer found besides the criterion's own,
		// and where each came from: the people's keywords or the thesaurus.
		var added []string
		for _, x := range pv.Expansions {
			if x.Source == "keyword" {
				added = append(added, fmt.Sprintf(c.T.ProvKeyword, sanitize.Line(x.Word)))
			} else {
				added = append(added, fmt.Sprintf(c.T.ProvSynonym, sanitize.Line(x.Word), sanitize.Line(x.From)))
			}
		}
		row(c.T.ProvExpanded, strings.Join(added, ", "))
		if pv.PromptTokens > 0 || pv.OutputTokens > 0 {
			row(c.T.ProvTokens, c.T.Tokens(pv.PromptTokens, pv.OutputTokens))
		}
		if pv.TotalDuration > 0 {
			row(c.T.ProvDurations, fmt.Sprintf(c.T.ProvDurationsFmt, c.Dur(pv.TotalDuration), c.Dur(pv.LoadDuration),
				c.Dur(pv.PromptDuration), c.Dur(pv.EvalDuration)))
		}
		row(c.T.ProvDoneReason, sanitize.Line(pv.DoneReason))
		if pv.Attempts > 0 {
			row(c.T.ProvAttempts, strconv.Itoa(pv.Attempts))
		}
	}
	if p.QuoteStart < 0 && p.Quote != "" {
		row(c.T.LabelQuote, c.T.QuoteNotFound)
	}
	flush()
	if p.Origin.Provenance == nil {
		for _, l := range theme.WrapText(c.T.NoProvenance, w-2) {
			out = append(out, "  "+c.St.Faint.Render(l))
		}
	}

	heading(c.T.VersionsHeading)
	for _, v := range p.Versions {
		if v.N > 1 && hidden(v.Author) {
			continue
		}
		head := fmt.Sprintf("%d. ", v.N) + c.St.Faint.Render(c.Clock(v.At)+" "+sanitize.Line(v.Author.Name))
		out = append(out, "  "+head)
		for _, l := range theme.WrapText(sanitize.Line(v.Statement), w-5) {
			out = append(out, "     "+l)
		}
		if v.N > 1 {
			before, after := BeforeAfter(p.Statement, v.Statement, c.St.DiffDel.Render, c.St.DiffAdd.Render)
			for _, part := range []string{c.St.Faint.Render(c.T.Before+c.T.Colon) + before, c.St.Faint.Render(c.T.After+c.T.Colon) + after} {
				for _, l := range strings.Split(ansi.Wrap(part, w-5, ""), "\n") {
					out = append(out, "     "+l)
				}
			}
		}
	}

	heading(c.T.HistHeading)
	st := c.State
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
			line = fmt.Sprintf(c.T.HistAdded, who)
		case review.KindVoteCast, review.KindDecisionMade:
			if e.Kind == review.KindVoteCast && hidden(e.Actor) {
				continue
			}
			var d review.VoteData
			_ = e.Decode(&d)
			f := c.T.HistVote
			if e.Kind == review.KindDecisionMade {
				f = c.T.HistDecision
			}
			line = fmt.Sprintf(f, who, c.VerdictMark(d.Verdict)+" "+c.VerdictWord(d.Verdict))
			if d.Verdict == review.Reject {
				line += " · " + c.ReasonWord(d.Reason)
				if d.Note != "" {
					line += c.T.Colon + sanitize.Line(d.Note)
				}
			}
			if d.Verdict == review.Rephrase {
				stmt := d.Statement
				if stmt == "" && d.Version > 0 && d.Version <= len(p.Versions) {
					// A seal that chose a competing version names it by
					// number: its wording is that version's.
					stmt = p.Versions[d.Version-1].Statement
				}
				extra = c.Quoted(sanitize.Line(stmt))
			}
			if d.DwellMS > 0 {
				line += c.St.Faint.Render(" · " + fmt.Sprintf(c.T.HistDwell, c.Dur(d.DwellMS*int64(time.Millisecond))))
			}
		case review.KindCommentAdded:
			var cd review.CommentData
			_ = e.Decode(&cd)
			line = fmt.Sprintf(c.T.HistComment, who)
			extra = c.Quoted(sanitize.Line(cd.Text))
		case review.KindActionUndone:
			line = fmt.Sprintf(c.T.HistUndo, who)
		case review.KindDecisionReopened:
			line = fmt.Sprintf(c.T.HistReopen, who)
		default:
			continue
		}
		if undone[e.ID] {
			line += " " + c.St.Faint.Render(c.T.HistUndone)
		}
		prefix := "  " + c.St.Faint.Render(c.Clock(e.At)) + "  "
		for j, l := range theme.WrapText(ansi.Strip(line), w-12) {
			if j == 0 {
				// Keep the styles of the first line when it fits as is.
				if theme.Width(line) <= w-12 {
					l = line
				}
				out = append(out, prefix+l)
			} else {
				out = append(out, "            "+l)
			}
		}
		if extra != "" {
			for _, l := range theme.WrapText(extra, w-12) {
				out = append(out, "            "+l)
			}
		}
	}
	return out
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
