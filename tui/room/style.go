package room

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles are the projector's looks. A wall is read from across a room, in
// daylight as often as not, so the palette keeps high contrast on both
// backgrounds and every colour also has a word or a mark: with NO_COLOR the
// screen says the same with bold, faint and reverse only.
type styles struct {
	App, Title, Rule, Faint, Label, Statement, Body, Quote, Missing lipgloss.Style
	Accepted, Rejected, Rephrased, Conflict, Notice, Timer, TimeUp  lipgloss.Style
	Bar, BarEmpty                                                   lipgloss.Style
}

func newStyles(dark, noColor bool) styles {
	base := lipgloss.NewStyle()
	var s styles
	if noColor {
		s.App, s.Title, s.Label, s.Statement = base.Bold(true), base.Bold(true), base.Bold(true), base.Bold(true)
		s.Rule, s.Body, s.Faint, s.Missing = base, base, base.Faint(true), base.Faint(true)
		s.Quote = base.Bold(true).Reverse(true)
		s.Accepted, s.Rejected, s.Rephrased, s.Conflict = base.Bold(true), base.Bold(true), base.Bold(true), base.Bold(true)
		s.Notice = base.Reverse(true)
		s.Timer, s.TimeUp = base.Bold(true), base.Bold(true).Reverse(true)
		s.Bar, s.BarEmpty = base, base.Faint(true)
		return s
	}
	ld := lipgloss.LightDark(dark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	accent := c("#4B2FB0", "#A592FF")
	s.App = base.Bold(true).Foreground(accent)
	s.Title = base.Bold(true).Foreground(accent)
	s.Rule = base.Foreground(c("#BDBDC8", "#4A4A56"))
	s.Faint = base.Foreground(c("#5C5C66", "#9A9AA6"))
	s.Label = base.Bold(true).Foreground(c("#33333C", "#DCDCE4"))
	s.Statement = base.Bold(true).Foreground(c("#111118", "#F6F6FA"))
	s.Body = base.Foreground(c("#24242C", "#E2E2EA"))
	s.Quote = base.Bold(true).Foreground(c("#1F1A00", "#FFF6CC")).Background(c("#FFE58A", "#5E4D00"))
	s.Missing = base.Italic(true).Foreground(c("#7A4F00", "#E6B85C"))
	s.Accepted = base.Bold(true).Foreground(c("#17692C", "#6BDC86"))
	s.Rejected = base.Bold(true).Foreground(c("#A3221B", "#FF7A70"))
	s.Rephrased = base.Bold(true).Foreground(c("#124C9C", "#7DB2FF"))
	s.Conflict = base.Bold(true).Foreground(c("#8F4F00", "#FFBA5C"))
	s.Notice = base.Bold(true).Foreground(c("#FFFFFF", "#111118")).Background(accent)
	s.Timer = base.Bold(true).Foreground(accent)
	s.TimeUp = base.Bold(true).Foreground(c("#A3221B", "#FF7A70"))
	s.Bar = base.Foreground(accent)
	s.BarEmpty = base.Foreground(c("#D6D6DE", "#3A3A44"))
	return s
}
