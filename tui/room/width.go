package room

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// The projector's own width helpers. They measure in terminal cells with
// x/ansi, never in bytes, and work on rune offsets where a highlight (the
// evidence quote) must survive the wrapping. They are a small copy of the
// review screen's rather than an import of it: the review screen is the
// package that will call this one.

// span is one wrapped line: runes [start, end) of a text.
type span struct{ start, end int }

// wrapRunes cuts r into lines of at most limit cells, at spaces when it can
// and inside a word only when the word alone is wider than the line.
// Newlines start a new line.
func wrapRunes(r []rune, limit int) []span {
	limit = max(limit, 1)
	var out []span
	for i := 0; i <= len(r); {
		end := i
		for end < len(r) && r[end] != '\n' {
			end++
		}
		out = wrapParagraph(out, r, i, end, limit)
		i = end + 1
	}
	return out
}

func wrapParagraph(out []span, r []rune, from, to, limit int) []span {
	line, lineW, empty := span{from, from}, 0, true
	for i := from; i < to; {
		gap := i
		for i < to && r[i] == ' ' {
			i++
		}
		if i >= to {
			break
		}
		word := i
		for i < to && r[i] != ' ' {
			i++
		}
		w := ansi.StringWidth(string(r[word:i]))
		switch {
		case empty && w <= limit:
			line, lineW, empty = span{word, i}, w, false
		case !empty && lineW+(word-gap)+w <= limit:
			line.end, lineW = i, lineW+(word-gap)+w
		default:
			if !empty {
				out = append(out, line)
			}
			// A word wider than the line is cut between characters.
			start, cw := word, 0
			for j := word; j < i; j++ {
				rw := ansi.StringWidth(string(r[j]))
				if cw+rw > limit && j > start && !joins(r, j) {
					out = append(out, span{start, j})
					start, cw = j, 0
				}
				cw += rw
			}
			line, lineW, empty = span{start, i}, cw, false
		}
	}
	if empty {
		return append(out, span{from, from})
	}
	return append(out, line)
}

// joins reports whether r[i] belongs to the character the eye sees before
// it (a combining mark, a variation selector, either side of a zero-width
// joiner): a line is never cut there.
func joins(r []rune, i int) bool {
	if i <= 0 || i >= len(r) {
		return false
	}
	c := r[i]
	return unicode.In(c, unicode.Mn, unicode.Me, unicode.Mc) || c == '\u200d' || r[i-1] == '\u200d' ||
		(c >= '\ufe00' && c <= '\ufe0f') || (c >= 0x1f3fb && c <= 0x1f3ff)
}

// wrap wraps a plain, already sanitized string.
func wrap(s string, limit int) []string {
	r := []rune(s)
	spans := wrapRunes(r, limit)
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = string(r[sp.start:sp.end])
	}
	return out
}

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
	if ansi.StringWidth(last)+2 > limit {
		last = ansi.Truncate(last, limit-1, "")
	}
	lines[n-1] = last + " …"
	if ansi.StringWidth(lines[n-1]) > limit {
		lines[n-1] = ansi.Truncate(lines[n-1], limit, "…")
	}
	return lines
}

// width is the number of cells s takes, escape sequences left out.
func width(s string) int { return ansi.StringWidth(s) }

// cut shortens s to n cells at most, with an ellipsis, without padding.
func cut(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if width(s) > n {
		return ansi.Truncate(s, n, "…")
	}
	return s
}

// fit makes s exactly n cells wide: cut, or padded with spaces.
func fit(s string, n int) string {
	if n <= 0 {
		return ""
	}
	// Measured once: measuring by grapheme clusters is most of the cost
	// of a frame.
	w := width(s)
	if w > n {
		s = ansi.Truncate(s, n, "…")
		w = width(s)
	}
	if w < n {
		s += strings.Repeat(" ", n-w)
	}
	return s
}
