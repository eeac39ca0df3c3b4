// Package pane draws the parts of the review screen: the passage, the link
// (criterion, statement, votes), the list of links, the status lines, the
// help and the provenance. Each part is a plain function or struct that
// renders lines of an exact width from what it is given; none of them holds
// state between frames or handles a message: the root model in tui/ owns
// the only switch on messages and keeps the drawn parts while their inputs
// stay the same.
package pane

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/i18n"
	"github.com/coopdescommuns/revue/tui/theme"
)

// Common is what every pane draws with, as crush's common.Common: the
// strings of the screen's language, its styles, the session as of the
// snapshot on screen and the time zone of its clock. The root model keeps
// one and points it at each new snapshot.
type Common struct {
	T     *i18n.Text
	St    *theme.Styles
	State *review.State
	Loc   *time.Location
}

// DocTitle is a document's title, or its source when it has none.
func (c *Common) DocTitle(id string) string {
	d, ok := c.State.Document(id)
	if !ok {
		return sanitize.Line(id)
	}
	if d.Title != "" {
		return sanitize.Line(d.Title)
	}
	return sanitize.Line(d.Source)
}

func (c *Common) StatusWord(s review.Status) string {
	switch s {
	case review.Accepted:
		return c.T.StatusAccepted
	case review.Rejected:
		return c.T.StatusRejected
	case review.Rephrased:
		return c.T.StatusRephrased
	}
	return c.T.StatusPending
}

// statusLook is a status's style and symbol: the list's mark and the
// label's share them.
func (c *Common) statusLook(s review.Status) (theme.Paint, string) {
	switch s {
	case review.Accepted:
		return c.St.Accepted, "✓"
	case review.Rejected:
		return c.St.Rejected, "✗"
	case review.Rephrased:
		return c.St.Rephrased, "✎"
	}
	return c.St.Pending, "○"
}

// StatusMark is a status as one symbol, for lists.
func (c *Common) StatusMark(s review.Status) string {
	style, mark := c.statusLook(s)
	return style.Render(mark)
}

// StatusLabel is a status as a mark and a word.
func (c *Common) StatusLabel(s review.Status) string {
	style, mark := c.statusLook(s)
	return style.Render(mark + " " + c.StatusWord(s))
}

func (c *Common) VerdictMark(v review.Verdict) string {
	switch v {
	case review.Accept:
		return c.St.Accepted.Render("✓")
	case review.Reject:
		return c.St.Rejected.Render("✗")
	case review.Rephrase:
		return c.St.Rephrased.Render("✎")
	}
	return c.St.Pending.Render("↷")
}

func (c *Common) VerdictWord(v review.Verdict) string {
	switch v {
	case review.Accept:
		return c.T.VerdictAccept
	case review.Reject:
		return c.T.VerdictReject
	case review.Rephrase:
		return c.T.VerdictRephrase
	}
	return c.T.VerdictSkip
}

// NameWithRole is "Name (role)", or the name alone when it already says
// the role (a facilitator who joined as « animation »), so that a notice
// never reads « animation (animation) ». The name is sanitized here.
func (c *Common) NameWithRole(a review.Actor) string {
	name, role := sanitize.Line(a.Name), c.RoleWord(a.Role)
	if strings.EqualFold(strings.TrimSpace(name), role) {
		return name
	}
	return name + " (" + role + ")"
}

func (c *Common) RoleWord(r review.Role) string {
	switch r {
	case review.Facilitator:
		return c.T.RoleFacilitator
	case review.Participant:
		return c.T.RoleParticipant
	}
	return c.T.RoleSpectator
}

func (c *Common) ReasonWord(r string) string {
	switch r {
	case review.ReasonOffTopic:
		return c.T.ReasonOffTopic
	case review.ReasonQuoteInexact:
		return c.T.ReasonQuoteInexact
	case review.ReasonTooVague:
		return c.T.ReasonTooVague
	case review.ReasonWrongCriterion:
		return c.T.ReasonWrongCriterion
	}
	return c.T.ReasonOther
}

// OriginWord names who proposed a link: the model, the frugal proposer, the
// person, or the sample.
func (c *Common) OriginWord(o review.Origin) string {
	switch o.Kind {
	case review.OriginModel:
		if o.Name != "" {
			return sanitize.Line(o.Name)
		}
		if o.Provenance != nil {
			return sanitize.Line(o.Provenance.Model)
		}
		return c.T.OriginModel
	case review.OriginLexical:
		return c.T.OriginLexical
	case review.OriginHuman:
		return fmt.Sprintf(c.T.OriginHuman, sanitize.Line(o.Name))
	case review.OriginExample:
		return c.T.OriginExample
	}
	return sanitize.Line(o.Kind)
}

func (c *Common) OriginKindWord(k string) string {
	switch k {
	case review.OriginModel:
		return c.T.OriginModel
	case review.OriginLexical:
		return c.T.OriginLexical
	case review.OriginHuman:
		return fmt.Sprintf(c.T.OriginHuman, "…")
	case review.OriginExample:
		return c.T.OriginExample
	}
	return sanitize.Line(k)
}

func (c *Common) Decimal(f float64) string { return c.decimals(f, 2) }

// decimals writes f with n decimals in the screen's language: a comma in
// French.
func (c *Common) decimals(f float64, n int) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', n, 64), ".", c.T.DecimalComma, 1)
}

// Quoted puts s between the quotation marks of the screen's language:
// French guillemets, each held to its word by a no-break space so that no
// line ever starts with » or ends with «; English curly quotes.
func (c *Common) Quoted(s string) string { return fmt.Sprintf(c.T.Quote, s) }

// TitleRule is a pane's title followed by a rule to the pane's edge, so
// that panes stay apart without colour too.
func (c *Common) TitleRule(title string, w int) string {
	title = theme.Cut(title, w-2)
	rest := w - theme.Width(title) - 1
	return c.St.Title.Render(title) + " " + c.St.Rule.Render(strings.Repeat("─", max(rest, 0)))
}

// DiffLine styles a word diff in the notation of review.WordDiff.
func (c *Common) DiffLine(s string) string {
	var b strings.Builder
	for s != "" {
		i := strings.IndexAny(s, "[{")
		if i < 0 || i+1 >= len(s) || (s[i+1] != '-' && s[i+1] != '+') {
			if i < 0 {
				b.WriteString(c.St.Faint.Render(s))
				break
			}
			b.WriteString(c.St.Faint.Render(s[:i+1]))
			s = s[i+1:]
			continue
		}
		b.WriteString(c.St.Faint.Render(s[:i]))
		closer, style := "-]", c.St.DiffDel
		if s[i] == '{' {
			closer, style = "+}", c.St.DiffAdd
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

// Meta is the status, confidence and origin of a proposal, in words as well
// as marks, so that it reads without colour.
func (c *Common) Meta(p *review.ProposalState) string {
	return c.MetaFor(p, review.Conditions{}, false)
}

// MetaFor is Meta as the conditions let a person see it: without the
// confidence or the origin when they are hidden, with the marks of a link
// set aside and of blind voting.
func (c *Common) MetaFor(p *review.ProposalState, cond review.Conditions, blind bool) string {
	s := c.StatusLabel(p.Status)
	if !cond.HideConfidence {
		s += c.St.Faint.Render(" · "+c.T.LabelConfidence+" ") + c.Decimal(p.Confidence)
	}
	if !cond.HideOrigin {
		s += c.St.Faint.Render(" · "+c.T.LabelOrigin+" ") + c.OriginWord(p.Origin)
	}
	if p.Parked {
		s += c.St.Faint.Render(" · ↺ " + c.T.ParkedLabel)
	}
	if blind {
		s += c.St.Faint.Render(" · " + c.T.BlindLabel)
	}
	return s
}

// VoteLine is one vote as a sentence ("✓ camille a accepté"), with the
// reason of a rejection.
func (c *Common) VoteLine(v review.Vote) string {
	f := c.T.VotedSkip
	switch v.Verdict {
	case review.Accept:
		f = c.T.VotedAccept
	case review.Reject:
		f = c.T.VotedReject
	case review.Rephrase:
		f = c.T.VotedRephrase
	}
	s := c.VerdictMark(v.Verdict) + " " + fmt.Sprintf(f, sanitize.Line(v.Actor.Name))
	if v.Decides {
		s = c.St.Label.Render("★") + s
	}
	if v.Verdict == review.Reject {
		switch {
		case v.Reason == review.ReasonOther && v.Note != "":
			// "other (free text)" names the picker's row; the text says it.
			s += c.St.Faint.Render(" · ") + sanitize.Line(v.Note)
		default:
			s += c.St.Faint.Render(" · ") + c.ReasonWord(v.Reason)
			if v.Note != "" {
				s += c.T.Colon + sanitize.Line(v.Note)
			}
		}
	}
	return s
}

// Clock shows a time in the screen's time zone (Loc, the one of the
// screen's clock).
func (c *Common) Clock(t time.Time) string {
	loc := c.Loc
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("15:04:05")
}

// Dur shows nanoseconds as seconds with one decimal, or minutes and seconds.
func (c *Common) Dur(ns int64) string {
	d := time.Duration(ns)
	if d >= time.Minute {
		s := int(d.Round(time.Second) / time.Second)
		return fmt.Sprintf(c.T.Minutes, s/60, s%60)
	}
	return fmt.Sprintf(c.T.Seconds, strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', 1, 64), ".", c.T.DecimalComma, 1))
}

// RoleMark is a role as one mark, for the lists of people.
func RoleMark(r review.Role) string {
	switch r {
	case review.Facilitator:
		return "★"
	case review.Participant:
		return "•"
	}
	return "◦"
}

// BeforeAfter writes how b rewords a twice, in plain words for people
// who are not developers: the old wording with the words it loses in del,
// the new one with the words it gains in add. It compares words itself
// rather than reading review.WordDiff's [-…-] {+…+} notation, which a
// statement could contain. Text is sanitized here.
func BeforeAfter(a, b string, del, add func(string) string) (before, after string) {
	var bs, as []string
	for _, op := range review.WordOps(sanitize.Line(a), sanitize.Line(b)) {
		switch op.Op {
		case '-':
			bs = append(bs, del(op.Text))
		case '+':
			as = append(as, add(op.Text))
		default:
			bs, as = append(bs, op.Text), append(as, op.Text)
		}
	}
	return strings.Join(bs, " "), strings.Join(as, " ")
}
