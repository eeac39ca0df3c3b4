package pane

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// Link is the pane of the criterion and the proposed link: the statement,
// its status, confidence and origin, the votes, what it cost and the last
// comments. WhyKey is the hint to the provenance pane ("w pourquoi").
type Link struct {
	C      *Common
	P      *review.ProposalState
	WhyKey string
}

// Render draws the pane under head (what Head drew, which the caller may
// have kept). With height 0 it returns as many lines as it needs; compact
// is the stacked 80-column layout, which shows no votes or comments.
func (l Link) Render(head []string, w, h int, compact bool) []string {
	c, p := l.C, l.P
	out := slices.Clone(head)
	add := func(s string) { out = append(out, theme.Fit(s, w)) }
	for _, l := range strings.Split(ansi.Wrap(c.Meta(p), w, ""), "\n") {
		add(l)
	}
	if compact {
		return out
	}
	if p.Conflict {
		add(c.St.Conflict.Render(c.T.Conflict))
	}
	if votes := p.Current(); len(votes) > 0 {
		add("")
		add(c.St.Faint.Render(c.T.Votes))
		for _, v := range votes {
			add(c.VoteLine(v))
		}
	}
	if pv := p.Origin.Provenance; pv != nil && pv.TotalDuration > 0 {
		// What the proposal cost, in the open: frugality is one of the
		// values the screen is there to show.
		add("")
		add(c.St.Faint.Render(c.T.ProvHeading))
		cost := c.T.ProvTokens + " " + fmt.Sprintf(c.T.ProvTokensFmt, pv.PromptTokens, pv.OutputTokens) + " · " + c.Dur(pv.TotalDuration)
		for _, l := range theme.WrapText(sanitize.Line(pv.Model)+" · "+cost+" · "+l.WhyKey, w) {
			add(c.St.Faint.Render(l))
		}
	}
	if len(p.Comments) > 0 {
		add("")
		add(c.St.Faint.Render(c.T.CommentsHeading))
		from := max(len(p.Comments)-3, 0)
		for _, cm := range p.Comments[from:] {
			for _, l := range theme.WrapText(sanitize.Line(cm.Actor.Name)+c.T.Colon+sanitize.Line(cm.Text), w) {
				add(l)
			}
		}
	}
	return theme.Pad(out, w, h)
}

// Head is the top of the pane, the criterion and the statement, which a
// vote or a decision does not change: the caller keeps it while they stay
// the same, since sanitizing and wrapping them again for every screen at
// every vote showed in profiles.
func (l Link) Head(w int, compact bool) []string {
	c, p := l.C, l.P
	var out []string
	add := func(s string) { out = append(out, theme.Fit(s, w)) }
	crit, _ := c.State.Criterion(p.Criterion)
	title := sanitize.Line(crit.ID) + " · " + sanitize.Line(crit.Title)
	if compact {
		add(c.St.Title.Render(theme.Cut(c.T.LabelCriterion+" "+title, w)))
	} else {
		out = append(out, c.TitleRule(c.T.LabelCriterion, w))
		for _, l := range theme.WrapText(title, w) {
			add(c.St.Title.Render(l))
		}
	}
	desc := theme.WrapText(sanitize.Line(crit.Description), w)
	if compact && len(desc) > 2 {
		desc = append(desc[:1], theme.Cut(desc[1]+" "+desc[2], w))
	}
	for _, l := range desc {
		add(c.St.Faint.Render(l))
	}
	if !compact {
		add("")
	}
	label := c.T.LabelStatement
	if n := len(p.Versions); n > 1 {
		label += " · " + fmt.Sprintf(c.T.LabelVersion, n)
	}
	stmt := sanitize.Line(p.Final)
	if compact {
		lines := theme.WrapText(label+c.T.Colon+stmt, w)
		if len(lines) > 3 {
			lines = append(lines[:2], theme.Cut(lines[2]+" "+lines[3], w))
		}
		for _, l := range lines {
			add(c.St.Statement.Render(l))
		}
	} else {
		add(c.St.Faint.Render(label))
		for _, l := range theme.WrapText(stmt, w) {
			add(c.St.Statement.Render(l))
		}
		if n := len(p.Versions); n > 1 {
			for _, l := range theme.WrapText(sanitize.Line(p.Versions[n-1].Diff), w) {
				add(c.DiffLine(l))
			}
		}
		add("")
	}
	return out
}
