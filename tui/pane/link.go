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
//
// What the reader may see follows the session's conditions: Blind hides
// the others' verdicts and wordings (only their number shows) until the
// facilitator reveals them; Cond hides the origin, the confidence or the
// provenance. Self is the reader's Actor.Key: their own vote always shows.
type Link struct {
	C      *Common
	P      *review.ProposalState
	WhyKey string
	Self   string
	Blind  bool
	Cond   review.Conditions
}

// Render draws the pane under head (what Head drew, which the caller may
// have kept). With height 0 it returns as many lines as it needs; compact
// is the stacked 80-column layout, which shows no votes or comments.
func (l Link) Render(head []string, w, h int, compact bool) []string {
	c, p := l.C, l.P
	out := slices.Clone(head)
	add := func(s string) { out = append(out, theme.Fit(s, w)) }
	for _, line := range strings.Split(ansi.Wrap(c.MetaFor(p, l.Cond, l.Blind), w, ""), "\n") {
		add(line)
	}
	if compact {
		return out
	}
	if p.Outcome != "" {
		lines, _ := Clip(theme.WrapText(c.T.OutcomeLabel+c.T.Colon+sanitize.Line(p.Outcome), w), 2, w)
		for _, line := range lines {
			add(c.St.Label.Render(line))
		}
	}
	if p.Conflict && !l.Blind {
		add(c.St.Conflict.Render(c.T.Conflict))
	}
	if votes := p.Current(); len(votes) > 0 {
		add("")
		add(c.St.Faint.Render(c.T.Votes))
		if l.Blind {
			add(c.St.Faint.Render(c.T.Count(len(votes), c.T.BlindVote, c.T.BlindVotes)))
		}
		for _, v := range votes {
			if !l.Blind || IsKey(v.Actor, l.Self) || v.Decides {
				add(c.VoteLine(v))
			}
		}
	}
	if pv := p.Origin.Provenance; pv != nil && pv.TotalDuration > 0 && !l.Cond.HideOrigin && !l.Cond.HideRationale {
		// What the proposal cost, in the open: frugality is one of the
		// values the screen is there to show.
		add("")
		add(c.St.Faint.Render(c.T.ProvHeading))
		cost := c.T.ProvTokens + " " + c.T.Tokens(pv.PromptTokens, pv.OutputTokens) + " · " + c.Dur(pv.TotalDuration)
		for _, line := range theme.WrapText(sanitize.Line(pv.Model)+" · "+cost+" · "+l.WhyKey, w) {
			add(c.St.Faint.Render(line))
		}
	}
	if len(p.Comments) > 0 {
		add("")
		add(c.St.Faint.Render(c.T.CommentsHeading))
		from := max(len(p.Comments)-3, 0)
		cutAny := false
		for _, cm := range p.Comments[from:] {
			// Two lines a comment at most: a long one must not push the
			// others, or the rest of the pane, away. The why pane (w) has
			// them whole.
			lines, cut := Clip(theme.WrapText(sanitize.Line(cm.Actor.Name)+c.T.Colon+sanitize.Line(cm.Text), w), 2, w)
			cutAny = cutAny || cut
			for _, line := range lines {
				add(line)
			}
		}
		if cutAny {
			add(c.St.Faint.Render(c.T.MoreText))
		}
	}
	return theme.Pad(out, w, h)
}

// Head is the top of the pane, the criterion and the statement, which a
// vote does not change: the caller keeps it while they stay the same,
// since sanitizing and wrapping them again for every screen at every vote
// showed in profiles.
//
// The statement is the one in force: the original while the link is open,
// the chosen wording once sealed, with what it changed in plain words
// (before / after). While open, the latest competing wording shows apart,
// unless blind voting hides the others' wordings.
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
		for _, line := range theme.WrapText(title, w) {
			add(c.St.Title.Render(line))
		}
	}
	desc := theme.WrapText(sanitize.Line(crit.Description), w)
	if compact && len(desc) > 2 {
		desc = append(desc[:1], theme.Cut(desc[1]+" "+desc[2], w))
	}
	for _, line := range desc {
		add(c.St.Faint.Render(line))
	}
	if !compact {
		add("")
	}
	label := c.T.LabelStatement
	if n := p.FinalVersion; n > 1 && n <= len(p.Versions) {
		label += " · " + fmt.Sprintf(c.T.VersionN, n, sanitize.Line(p.Versions[n-1].Author.Name))
	}
	final := p.Final
	if final == "" {
		final = p.Statement // rejected: what was rejected
	}
	stmt := sanitize.Line(final)
	if compact {
		lines := theme.WrapText(label+c.T.Colon+stmt, w)
		if len(lines) > 3 {
			lines = append(lines[:2], theme.Cut(lines[2]+" "+lines[3], w))
		}
		for _, line := range lines {
			add(c.St.Statement.Render(line))
		}
		if v, others := l.competing(); v != nil {
			add(c.St.Rephrased.Render(theme.Cut(fmt.Sprintf(c.T.VersionN, v.N, sanitize.Line(v.Author.Name))+c.T.Colon+c.Quoted(sanitize.Line(v.Statement)), w)))
		} else if others > 0 {
			add(c.St.Faint.Render(theme.Cut(c.T.Count(others, c.T.BlindVersion, c.T.BlindVersions), w)))
		}
		return out
	}
	add(c.St.Faint.Render(label))
	lines, cut := Clip(theme.WrapText(stmt, w), 6, w)
	for _, line := range lines {
		add(c.St.Statement.Render(line))
	}
	if p.FinalVersion > 1 {
		before, _ := Clip(theme.WrapText(c.T.Before+c.T.Colon+sanitize.Line(p.Statement), w), 2, w)
		for _, line := range before {
			add(c.St.Faint.Render(line))
		}
	}
	if v, others := l.competing(); v != nil {
		text := fmt.Sprintf(c.T.VersionN, v.N, sanitize.Line(v.Author.Name)) + c.T.Colon + c.Quoted(sanitize.Line(v.Statement))
		more, c2 := Clip(theme.WrapText(text, w), 2, w)
		cut = cut || c2
		for _, line := range more {
			add(c.St.Rephrased.Render(line))
		}
		if others > 0 {
			add(c.St.Faint.Render(c.T.Count(others, c.T.BlindVersion, c.T.BlindVersions)))
		}
	} else if others > 0 {
		add(c.St.Faint.Render(c.T.Count(others, c.T.BlindVersion, c.T.BlindVersions)))
	}
	if cut {
		add(c.St.Faint.Render(c.T.MoreText))
	}
	add("")
	return out
}

// competing is the latest competing wording of an open link that the
// reader may see. Under blind voting that is the reader's own, and the
// count of the others is 0: how many people rephrased is a verdict too,
// and a count would tell it before the reveal.
func (l Link) competing() (*review.Version, int) {
	p := l.P
	if p.Sealed || len(p.Versions) < 2 {
		return nil, 0
	}
	if !l.Blind {
		return &p.Versions[len(p.Versions)-1], 0
	}
	var mine *review.Version
	for i := 1; i < len(p.Versions); i++ {
		if p.Versions[i].Author.Key() == l.Self {
			mine = &p.Versions[i]
		}
	}
	return mine, 0
}

// Clip keeps the first n of lines, the last one ending with an ellipsis
// when some were left out, and says whether it cut.
func Clip(lines []string, n, w int) ([]string, bool) {
	if len(lines) <= n {
		return lines, false
	}
	out := slices.Clone(lines[:n])
	last := out[n-1]
	if theme.Width(last)+2 <= w {
		out[n-1] = last + " …"
	} else {
		out[n-1] = theme.Cut(last, theme.Width(last)-1) // its last cell becomes the ellipsis
	}
	return out, true
}
