package room

import (
	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/tui/theme"
)

// The projector's width helpers are the review screen's (tui/theme): they
// measure in terminal cells, never in bytes, and wrap on rune offsets where
// a highlight (the evidence quote) must survive the wrapping.

// span is one wrapped line: runes [Start, End) of a text.
type span = theme.Span

func wrapRunes(r []rune, limit int) []span { return theme.WrapRunes(r, limit) }

func wrap(s string, limit int) []string { return theme.WrapText(s, limit) }

func width(s string) int { return theme.Width(s) }

func cut(s string, n int) string { return theme.Cut(s, n) }

func fit(s string, n int) string { return theme.Fit(s, n) }

// clamp wraps s and keeps at most n lines, the last one ending with an
// ellipsis when some were left out, so that a long text never pushes what
// comes after it off the wall.
func clamp(s string, limit, n int) []string {
	lines := wrap(s, limit)
	if n <= 0 {
		return nil
	}
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n]
	last := lines[n-1]
	if width(last)+2 > limit {
		last = ansi.Truncate(last, limit-1, "")
	}
	lines[n-1] = last + " …"
	if width(lines[n-1]) > limit {
		lines[n-1] = ansi.Truncate(lines[n-1], limit, "…")
	}
	return lines
}
