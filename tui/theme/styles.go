// Package theme is the looks of Revue's screen: the styles for a dark or a
// light background, with or without colour, and the width-exact text
// helpers (measure, wrap, fit, cut) every pane draws with.
package theme

import (
	"image/color"
	"strings"
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are the looks of one screen. They depend on the client's
// background (asked with tea.RequestBackgroundColor, never read from the
// server's environment) and on NO_COLOR from the client's environment. With
// NO_COLOR they keep only bold, faint and reverse: every status also has a
// word and a mark, so nothing is said by colour alone.
type Styles struct {
	NoColor bool
	Help    help.Styles

	Title     Paint // app name, pane titles
	Rule      Paint // the lines around panes
	Faint     Paint // secondary information
	Label     Paint
	Statement Paint
	Quote     Paint // the evidence quote inside the passage
	Missing   Paint // a quote that was not found
	Cursor    Paint // the current row of the list
	Accepted  Paint
	Rejected  Paint
	Rephrased Paint
	Pending   Paint
	Conflict  Paint
	Error     Paint
	Info      Paint
	Key       Paint
	DiffDel   Paint
	DiffAdd   Paint
}

// shared holds the styles of each background and colour choice, made once.
var shared [2][2]struct {
	once sync.Once
	st   Styles
}

// Shared is New(dark, noColor), built once for every screen that asks:
// the styles are about 5 KB, and a room of 300 screens has only four
// choices of them. The result is shared: nobody may modify it.
func Shared(dark, noColor bool) *Styles {
	e := &shared[b2i(dark)][b2i(noColor)]
	e.once.Do(func() { e.st = New(dark, noColor) })
	return &e.st
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// New builds the styles for a dark or light background, in colour or
// not. The palette follows Charm's: a violet accent, calm greens and reds.
func New(dark, noColor bool) Styles {
	var s lipStyles
	s.noColor = noColor
	base := lipgloss.NewStyle()
	if noColor {
		s.Title = base.Bold(true)
		s.Rule = base
		s.Faint = base.Faint(true)
		s.Label = base.Bold(true)
		s.Statement = base.Bold(true)
		s.Quote = base.Bold(true).Reverse(true)
		s.Missing = base.Faint(true)
		s.Cursor = base.Reverse(true)
		s.Accepted, s.Rejected, s.Rephrased, s.Pending = base.Bold(true), base.Bold(true), base.Bold(true), base
		s.Conflict = base.Bold(true)
		s.Error = base.Bold(true)
		s.Info = base
		s.Key = base.Bold(true)
		s.DiffDel = base.Faint(true)
		s.DiffAdd = base.Bold(true)
		s.Help = help.Styles{
			Ellipsis: base, ShortKey: base.Bold(true), ShortDesc: base, ShortSeparator: base,
			FullKey: base.Bold(true), FullDesc: base, FullSeparator: base,
		}
		return s.paints()
	}
	ld := lipgloss.LightDark(dark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	accent := c("#5A3FC0", "#9B85FF")
	s.Title = base.Bold(true).Foreground(accent)
	s.Rule = base.Foreground(c("#C8C8D0", "#45454F"))
	s.Faint = base.Foreground(c("#6E6E78", "#8C8C96"))
	s.Label = base.Bold(true).Foreground(c("#3D3D46", "#D8D8E0"))
	s.Statement = base.Bold(true).Foreground(c("#1E1E28", "#F2F2F8"))
	s.Quote = base.Foreground(c("#2E2600", "#FFF4C2")).Background(c("#FFE98A", "#5A4A00"))
	s.Missing = base.Italic(true).Foreground(c("#8A5A00", "#E0B050"))
	s.Cursor = base.Background(c("#E6E0FF", "#2E2850")).Foreground(c("#1E1E28", "#F2F2F8"))
	s.Accepted = base.Bold(true).Foreground(c("#1E7B34", "#5FD47A"))
	s.Rejected = base.Bold(true).Foreground(c("#B3261E", "#FF6B61"))
	s.Rephrased = base.Bold(true).Foreground(c("#1558B0", "#6FA8FF"))
	s.Pending = base.Foreground(c("#7A7A84", "#9A9AA4"))
	s.Conflict = base.Bold(true).Foreground(c("#A05A00", "#FFB347"))
	s.Error = base.Bold(true).Foreground(c("#B3261E", "#FF6B61"))
	s.Info = base.Foreground(c("#1E7B34", "#5FD47A"))
	s.Key = base.Bold(true).Foreground(accent)
	// No underline or strike-through: lipgloss draws them rune by rune,
	// which multiplies the bytes sent to every client.
	s.DiffDel = base.Foreground(c("#B3261E", "#FF6B61"))
	s.DiffAdd = base.Bold(true).Foreground(c("#1E7B34", "#5FD47A"))
	// The key hints in the palette's own colours: Bubbles' defaults are
	// about 2:1 against a white wall (#B2B2B2 on white), unreadable from
	// the back of a room. Every part holds 4.5:1 at least (TestHintContrast).
	s.Help = help.Styles{
		Ellipsis: s.Faint, ShortKey: s.Key, ShortDesc: s.Faint, ShortSeparator: s.Faint,
		FullKey: s.Key, FullDesc: s.Faint, FullSeparator: s.Faint,
	}
	return s.paints()
}

// lipStyles are the styles as Lip Gloss builds them.
type lipStyles struct {
	noColor bool
	Help    help.Styles

	Title, Rule, Faint, Label, Statement, Quote, Missing, Cursor       lipgloss.Style
	Accepted, Rejected, Rephrased, Pending, Conflict, Error, Info, Key lipgloss.Style
	DiffDel, DiffAdd                                                   lipgloss.Style
}

func (l lipStyles) paints() Styles {
	return Styles{
		NoColor: l.noColor, Help: l.Help,
		Title: newPaint(l.Title), Rule: newPaint(l.Rule), Faint: newPaint(l.Faint), Label: newPaint(l.Label),
		Statement: newPaint(l.Statement), Quote: newPaint(l.Quote), Missing: newPaint(l.Missing),
		Cursor: newPaint(l.Cursor), Accepted: newPaint(l.Accepted), Rejected: newPaint(l.Rejected),
		Rephrased: newPaint(l.Rephrased), Pending: newPaint(l.Pending), Conflict: newPaint(l.Conflict),
		Error: newPaint(l.Error), Info: newPaint(l.Info), Key: newPaint(l.Key),
		DiffDel: newPaint(l.DiffDel), DiffAdd: newPaint(l.DiffAdd),
	}
}

// Paint is a style reduced to the escape sequence that opens it. Lip
// Gloss's Render measures and splits its input on every call, which made
// up half the cost of a screen; the screen only ever styles single lines,
// so the sequence is computed once and wrapped around the text.
type Paint struct{ open string }

const resetSGR = "\x1b[m"

func newPaint(st lipgloss.Style) Paint {
	out := st.Render("x")
	i := strings.Index(out, "x")
	if i <= 0 {
		return Paint{}
	}
	return Paint{open: out[:i]}
}

// Render styles one line of text.
func (p Paint) Render(s string) string {
	if p.open == "" || s == "" {
		return s
	}
	return p.open + s + resetSGR
}
