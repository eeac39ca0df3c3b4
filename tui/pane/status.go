package pane

import (
	"fmt"
	"strings"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/theme"
)

// Progress is the start of the first status line: how many links are
// decided, more (the criterion's progress and the reader's), then the
// label of the people online that Online follows.
func (c *Common) Progress(decided, total int, more string) string {
	s := " " + c.St.Label.Render(fmt.Sprintf(c.T.Progress, decided, total))
	if more != "" {
		s += c.St.Faint.Render(" · ") + more
	}
	return s + c.St.Faint.Render(" · "+c.T.Online+c.T.Colon)
}

// Online lists the people connected, once each, with their role's mark, as
// far as room cells: the line is cut there anyway, and in a room of two
// hundred listing everybody at every vote was the costliest part of a
// screen. It stops only once the list is wider than room, so that the cut
// (and its ellipsis) falls where it did with the whole list.
func Online(online []session.Presence, room int) string {
	seen := map[string]bool{}
	var b strings.Builder
	n := 0
	for _, o := range online {
		if n > room {
			break
		}
		who := o.Actor.Key()
		if seen[who] {
			continue
		}
		seen[who] = true
		part := RoleMark(o.Actor.Role) + sanitize.Line(o.Actor.Name)
		if b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(part)
		n += theme.Width(part)
	}
	out := b.String()
	if out == "" {
		out = "—"
	}
	return out
}

// Lookers maps a proposal to the names of the other people looking at it.
func Lookers(online []session.Presence, self uint64) map[string][]string {
	out := map[string][]string{}
	for _, o := range online {
		if o.Focus == "" || o.Conn == self {
			continue
		}
		out[o.Focus] = append(out[o.Focus], sanitize.Line(o.Actor.Name))
	}
	return out
}

// LookersOf is the names of the other people looking at proposal id, as
// many as fill room cells and one more: one pass over the presences, without
// the map of lookers that only the list pane needs. The line they go on is
// cut at the screen's width, and two hundred people may look at the same
// proposal.
func LookersOf(online []session.Presence, self uint64, id string, room int) []string {
	var names []string
	n := 0
	for _, o := range online {
		if n > room {
			break
		}
		if o.Focus == id && o.Conn != self {
			name := sanitize.Line(o.Actor.Name)
			names = append(names, name)
			n += theme.Width(name) + 2
		}
	}
	return names
}

// VotesView is what the votes line may show a reader: Blind hides the
// others' verdicts (only their number shows, and the reader's own vote);
// Turnout is "4/6 ont voté", with, for the facilitator, who has not;
// Lookers are the others looking at the same link.
type VotesView struct {
	Blind   bool
	Self    string
	Turnout string
	Lookers []string
}

// Votes is the tally and the names on proposal p, the disagreement mark,
// the turnout and who else is looking at it.
func (c *Common) Votes(p *review.ProposalState, vv VotesView) string {
	if p == nil {
		return ""
	}
	votes := p.Current()
	var s string
	switch {
	case len(votes) == 0:
		s = c.St.Faint.Render(c.T.NoVotes)
	case vv.Blind:
		// « 2 votes, masqués… » says what it counts: no « votes » label.
		s = c.T.Count(len(votes), c.T.BlindVote, c.T.BlindVotes)
		for _, v := range votes {
			if IsKey(v.Actor, vv.Self) {
				s += c.St.Faint.Render(" — ") + sanitize.Line(v.Actor.Name) + " " + c.VerdictMark(v.Verdict)
			}
		}
	default:
		s = c.St.Faint.Render(c.T.Votes + " ")
		t := p.Tally()
		s += fmt.Sprintf("✓%d ✗%d ✎%d ↷%d", t[review.Accept], t[review.Reject], t[review.Rephrase], t[review.Skip])
		names := make([]string, 0, len(votes))
		for _, v := range votes {
			names = append(names, sanitize.Line(v.Actor.Name)+" "+c.VerdictMark(v.Verdict))
		}
		s += c.St.Faint.Render(" — ") + strings.Join(names, ", ")
	}
	if p.Conflict && !vv.Blind {
		s += " " + c.St.Conflict.Render(c.T.Conflict)
	}
	if vv.Turnout != "" {
		s += c.St.Faint.Render(" · ") + vv.Turnout
	}
	if len(vv.Lookers) > 0 {
		s += c.St.Faint.Render(" · "+c.T.AlsoHere+c.T.Colon) + strings.Join(vv.Lookers, ", ")
	}
	return s
}

// Status is the last message, an error in its colour.
func (c *Common) Status(msg string, isErr bool) string {
	if isErr {
		return c.St.Error.Render(sanitize.Line(msg))
	}
	return c.St.Info.Render(sanitize.Line(msg))
}

// Help is the help pane: what this role's keys do, the full key map (as
// the help bubble drew it), the legend of the marks and the notice of the
// screen (how to join).
type Help struct {
	C      *Common
	Role   review.Role
	Keys   string
	Notice string
}

// Overview is the progress of every criterion, decided / total, in one
// line that wraps: "C1 : 1/4 · C3 : 0/2".
func (c *Common) Overview() string {
	decided := map[string]int{}
	total := map[string]int{}
	for _, p := range c.State.Proposals {
		total[p.Criterion]++
		if p.Status != review.Pending {
			decided[p.Criterion]++
		}
	}
	var parts []string
	for _, cr := range c.State.Criteria {
		if n := total[cr.ID]; n > 0 {
			parts = append(parts, fmt.Sprintf(c.T.CritProgress, sanitize.Line(cr.ID), decided[cr.ID], n))
		}
	}
	return strings.Join(parts, " · ")
}

// Render draws the help.
func (hp Help) Render(w, h int) []string {
	c := hp.C
	out := []string{theme.Fit(" "+c.St.Title.Render(c.T.HelpTitle), w), theme.Fit("", w)}
	role := c.T.HelpParticipant
	switch hp.Role {
	case review.Facilitator:
		role = c.T.HelpFacilitator
	case review.Participant:
	default:
		role = c.T.HelpSpectator
	}
	for _, l := range theme.WrapText(role, w-2) {
		out = append(out, theme.Fit(" "+c.St.Label.Render(l), w))
	}
	if c.State != nil {
		for _, l := range theme.WrapText(c.T.OverviewLabel+c.T.Colon+c.Overview(), w-2) {
			out = append(out, theme.Fit(" "+l, w))
		}
	}
	out = append(out, theme.Fit("", w))
	for _, l := range strings.Split(hp.Keys, "\n") {
		out = append(out, theme.Fit(" "+l, w))
	}
	out = append(out, theme.Fit("", w))
	for _, l := range theme.WrapText(c.T.HelpLegend, w-2) {
		out = append(out, theme.Fit(" "+c.St.Faint.Render(l), w))
	}
	if hp.Notice != "" {
		out = append(out, theme.Fit("", w))
		for _, l := range theme.WrapText(sanitize.Line(hp.Notice), w-2) {
			out = append(out, theme.Fit(" "+c.St.Label.Render(l), w))
		}
	}
	return theme.Pad(out, w, h)
}

// IsKey reports whether a.Key() == key without building the key: screens
// look for their own vote among every vote of every link at each redraw.
func IsKey(a review.Actor, key string) bool {
	n := len(a.Name)
	return len(key) == n+1+len(a.Fingerprint) && key[:n] == a.Name && key[n] == 0 && key[n+1:] == a.Fingerprint
}
