package theme

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Span is one wrapped line: runes [start, end) of a text, trailing spaces
// left out.
type Span struct{ Start, End int }

// WrapRunes cuts text into lines of at most width terminal cells, at spaces
// when it can and inside a word only when the word alone is wider than the
// line. It works on rune indexes rather than on strings so that a highlight
// given in rune offsets (the evidence quote) survives the wrapping; ansi.Wrap
// would lose track of it. Newlines start a new line; blank lines are kept.
func WrapRunes(r []rune, limit int) []Span {
	if limit < 1 {
		limit = 1
	}
	var out []Span
	i := 0
	for i <= len(r) {
		// One paragraph: up to the next newline.
		end := i
		for end < len(r) && r[end] != '\n' {
			end++
		}
		out = wrapParagraph(out, r, i, end, limit)
		i = end + 1
	}
	return out
}

func wrapParagraph(out []Span, r []rune, from, to, limit int) []Span {
	line, lineW := Span{from, from}, 0
	empty := true
	i := from
	for i < to {
		// Spaces before the next word.
		gapStart := i
		for i < to && r[i] == ' ' {
			i++
		}
		if i >= to {
			break
		}
		wordStart := i
		for i < to && r[i] != ' ' {
			i++
		}
		// French typography puts a space inside « » and before ; : ! ?
		// (often an ordinary one in text already recorded): the line is
		// not broken there, so that no sign stands alone at a line's edge
		// on a projected wall, unless the words so held together are
		// wider than the line.
		first := i
		for i < to {
			next := i
			for next < to && r[next] == ' ' {
				next++
			}
			if next >= to || (r[i-1] != '«' && !strings.ContainsRune("»;:!?", r[next])) {
				break
			}
			for i = next; i < to && r[i] != ' '; i++ {
			}
		}
		if i != first && RunesWidth(r[wordStart:i]) > limit {
			i = first
		}
		gapW := wordStart - gapStart
		w := RunesWidth(r[wordStart:i])
		switch {
		case empty && w <= limit:
			line, lineW, empty = Span{wordStart, i}, w, false
		case !empty && lineW+gapW+w <= limit:
			line.End, lineW = i, lineW+gapW+w
		default:
			if !empty {
				out = append(out, line)
			}
			// A word wider than the line is cut at cell boundaries.
			start, cw := wordStart, 0
			for j := wordStart; j < i; j++ {
				rw := RuneWidth(r[j])
				if cw+rw > limit && j > start && !Joins(r, j) {
					out = append(out, Span{start, j})
					start, cw = j, 0
				}
				cw += rw
			}
			line, lineW, empty = Span{start, i}, cw, false
		}
	}
	if empty {
		return append(out, Span{from, from})
	}
	return append(out, line)
}

// Width is ansi.StringWidth with a fast path. Measuring every line of every
// screen by grapheme clusters was a third of the cost of drawing; most of
// Revue's text is Latin script, box drawing and a few symbols, one cell
// each, between SGR sequences. Anything else (combining marks, wide or
// emoji characters, other escape sequences) goes to ansi.StringWidth.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b {
			// Skip an SGR sequence, ESC [ params m.
			j := i + 1
			if j >= len(s) || s[j] != '[' {
				return ansi.StringWidth(s)
			}
			j++
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
				j++
			}
			if j >= len(s) || s[j] != 'm' {
				return ansi.StringWidth(s)
			}
			i = j + 1
			continue
		}
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return ansi.StringWidth(s)
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !Narrow(r) {
			return ansi.StringWidth(s)
		}
		n++
		i += size
	}
	return n
}

// Narrow reports runes that always take one cell and never join the runes
// around them: Latin letters with their accents precomposed, general
// punctuation, arrows, box drawing, geometric shapes and the few symbols
// the screen uses for marks.
func Narrow(r rune) bool {
	switch {
	case r >= 0xa0 && r < 0x300 && r != 0xad:
		return true
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e:
		return true
	case r >= 0x2190 && r <= 0x21ff, r >= 0x2500 && r <= 0x25fc:
		return true
	}
	switch r {
	case '✓', '✗', '✎', '★', '⚠', '€', '×':
		return true
	}
	return false
}

// RuneWidth is the number of cells a rune takes. Text here has been through
// sanitize, so there are no control characters left to measure.
func RuneWidth(r rune) int {
	if r < utf8.RuneSelf || Narrow(r) {
		return 1
	}
	return ansi.StringWidth(string(r))
}

func RunesWidth(r []rune) int {
	ascii := true
	for _, c := range r {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return len(r)
	}
	return Width(string(r))
}

// WrapText wraps a plain, already sanitized string.
func WrapText(s string, limit int) []string {
	r := []rune(s)
	spans := WrapRunes(r, limit)
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = string(r[sp.Start:sp.End])
	}
	return out
}

// Fit makes s exactly width cells wide: cut with an ellipsis, or padded.
func Fit(s string, n int) string {
	if n <= 0 {
		return ""
	}
	w := Width(s)
	if w > n {
		s = Truncate(s, n)
		w = Width(s)
	}
	if w < n {
		s += strings.Repeat(" ", n-w)
	}
	return s
}

// Cut shortens s to width cells at most, without padding.
func Cut(s string, n int) string {
	if Width(s) > n {
		return Truncate(s, max(n, 0))
	}
	return s
}

// Truncate cuts s to n cells, the last one an ellipsis. Text without escape
// sequences is cut here, rune by rune; styled text too when its only
// sequences are SGR and its characters are narrow (truncateSGR); anything
// else goes to ansi.Truncate, which walks grapheme clusters and tracks
// every kind of escape sequence.
func Truncate(s string, n int) string {
	if strings.IndexByte(s, 0x1b) >= 0 {
		if out, ok := truncateSGR(s, n); ok {
			return out
		}
		return ansi.Truncate(s, n, "…")
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	w := 0
	for i := range r {
		rw := RuneWidth(r[i])
		if w+rw > n-1 && !Joins(r, i) {
			return string(r[:i]) + "…"
		}
		w += rw
	}
	return s
}

// truncateSGR is ansi.Truncate(s, n, "…") for text whose escape sequences
// are all SGR and whose characters are all narrow, in the same single pass
// as width: the lines of the status bar are styled, and cutting them by
// grapheme clusters at every redraw of every screen showed in profiles. Like
// ansi.Truncate it keeps the sequences that follow the cut, so that a style
// opened before it is closed. It reports false, having done nothing, for
// any other text.
func truncateSGR(s string, n int) (string, bool) {
	if n <= 0 {
		return "", false
	}
	var b strings.Builder
	cells, limit := 0, n-1 // the ellipsis takes the last cell
	cut := false
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b {
			j := i + 1
			if j >= len(s) || s[j] != '[' {
				return "", false
			}
			j++
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
				j++
			}
			if j >= len(s) || s[j] != 'm' {
				return "", false
			}
			b.WriteString(s[i : j+1])
			i = j + 1
			continue
		}
		size := 1
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return "", false
			}
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if !Narrow(r) {
				return "", false
			}
		}
		if !cut && cells >= limit {
			cut = true
			b.WriteString("…")
		}
		if !cut {
			b.WriteString(s[i : i+size])
		}
		cells++
		i += size
	}
	if cells <= n {
		return s, true
	}
	return b.String(), true
}

// Pad makes lines exactly h lines of width w; with h 0 it only fits widths.
func Pad(lines []string, w, h int) []string {
	if h <= 0 {
		return lines
	}
	if len(lines) > h {
		return lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return lines
}

// Blank is h empty lines of width w.
func Blank(w, h int) []string { return Pad(nil, w, h) }

// Prefix is the start of s, at most n runes, for text that will be cut to
// n cells anyway.
func Prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// Joins reports whether r[i] belongs to the same visible character as the
// rune before it: a combining mark, a variation selector, an emoji skin
// tone, or either side of a zero-width joiner.
func Joins(r []rune, i int) bool {
	if i <= 0 || i >= len(r) {
		return false
	}
	c := r[i]
	return unicode.In(c, unicode.Mn, unicode.Me, unicode.Mc) || c == '\u200d' || r[i-1] == '\u200d' ||
		(c >= '\ufe00' && c <= '\ufe0f') || (c >= 0x1f3fb && c <= 0x1f3ff)
}
