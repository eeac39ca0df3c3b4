package tui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// span is one wrapped line: runes [start, end) of a text, trailing spaces
// left out.
type span struct{ start, end int }

// wrapRunes cuts text into lines of at most width terminal cells, at spaces
// when it can and inside a word only when the word alone is wider than the
// line. It works on rune indexes rather than on strings so that a highlight
// given in rune offsets (the evidence quote) survives the wrapping; ansi.Wrap
// would lose track of it. Newlines start a new line; blank lines are kept.
func wrapRunes(r []rune, limit int) []span {
	if limit < 1 {
		limit = 1
	}
	var out []span
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

func wrapParagraph(out []span, r []rune, from, to, limit int) []span {
	line, lineW := span{from, from}, 0
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
		gapW := wordStart - gapStart
		w := runesWidth(r[wordStart:i])
		switch {
		case empty && w <= limit:
			line, lineW, empty = span{wordStart, i}, w, false
		case !empty && lineW+gapW+w <= limit:
			line.end, lineW = i, lineW+gapW+w
		default:
			if !empty {
				out = append(out, line)
			}
			// A word wider than the line is cut at cell boundaries.
			start, cw := wordStart, 0
			for j := wordStart; j < i; j++ {
				rw := runeWidth(r[j])
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

// width is ansi.StringWidth with a fast path. Measuring every line of every
// screen by grapheme clusters was a third of the cost of drawing; most of
// Revue's text is Latin script, box drawing and a few symbols, one cell
// each, between SGR sequences. Anything else (combining marks, wide or
// emoji characters, other escape sequences) goes to ansi.StringWidth.
func width(s string) int {
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
		if !narrow(r) {
			return ansi.StringWidth(s)
		}
		n++
		i += size
	}
	return n
}

// narrow reports runes that always take one cell and never join the runes
// around them: Latin letters with their accents precomposed, general
// punctuation, arrows, box drawing, geometric shapes and the few symbols
// the screen uses for marks.
func narrow(r rune) bool {
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

// runeWidth is the number of cells a rune takes. Text here has been through
// sanitize, so there are no control characters left to measure.
func runeWidth(r rune) int {
	if r < utf8.RuneSelf || narrow(r) {
		return 1
	}
	return ansi.StringWidth(string(r))
}

func runesWidth(r []rune) int {
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
	return width(string(r))
}

// wrapText wraps a plain, already sanitized string.
func wrapText(s string, limit int) []string {
	r := []rune(s)
	spans := wrapRunes(r, limit)
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = string(r[sp.start:sp.end])
	}
	return out
}

// passageView is a passage made ready for the screen: sanitized, with the
// quote's place in the sanitized text, wrapped for one width. It is rebuilt
// only when the proposal or the width changes: re-wrapping a long passage at
// every key press, for two hundred screens, would be wasted work.
type passageView struct {
	proposal string
	width    int
	runes    []rune
	qs, qe   int // quote in runes, qs == qe when there is none to highlight
	lines    []span
	quoteRow int // the first line with the quote, or 0
}

// newPassageView sanitizes the three parts of the passage (before, quote,
// after) separately, so that the quote's rune offsets, given on the raw text,
// still point at the quote after sanitize has dropped or widened characters.
func newPassageView(p *review.ProposalState, text string, limit int) *passageView {
	raw := []rune(text)
	v := &passageView{proposal: p.ID, width: limit}
	qs, qe := p.QuoteStart, p.QuoteEnd
	if qs >= 0 && qs <= qe && qe <= len(raw) && qe > qs {
		before := sanitize.Text(string(raw[:qs]))
		quote := sanitize.Text(string(raw[qs:qe]))
		after := sanitize.Text(string(raw[qe:]))
		v.runes = []rune(before + quote + after)
		v.qs = utf8.RuneCountInString(before)
		v.qe = v.qs + utf8.RuneCountInString(quote)
	} else {
		v.runes = []rune(sanitize.Text(text))
	}
	v.runes = trimRightSpace(v.runes)
	v.qe = min(v.qe, len(v.runes))
	v.qs = min(v.qs, v.qe)
	// Never cut a character that the eye sees as one (an accent written
	// as a combining mark, an emoji sequence): terminals would draw the
	// halves apart and widths would no longer add up.
	for v.qs > 0 && joins(v.runes, v.qs) {
		v.qs--
	}
	for v.qe < len(v.runes) && joins(v.runes, v.qe) {
		v.qe++
	}
	v.lines = wrapRunes(v.runes, limit)
	for i, l := range v.lines {
		if v.qe > v.qs && l.end > v.qs {
			v.quoteRow = i
			break
		}
	}
	return v
}

// joins reports whether r[i] belongs to the same visible character as the
// rune before it: a combining mark, a variation selector, an emoji skin
// tone, or either side of a zero-width joiner.
func joins(r []rune, i int) bool {
	if i <= 0 || i >= len(r) {
		return false
	}
	c := r[i]
	return unicode.In(c, unicode.Mn, unicode.Me, unicode.Mc) || c == '\u200d' || r[i-1] == '\u200d' ||
		(c >= '\ufe00' && c <= '\ufe0f') || (c >= 0x1f3fb && c <= 0x1f3ff)
}

func trimRightSpace(r []rune) []rune {
	for len(r) > 0 && unicode.IsSpace(r[len(r)-1]) {
		r = r[:len(r)-1]
	}
	return r
}

// render draws line i, the quote in its style.
func (v *passageView) render(i int, quote styleFunc) string {
	l := v.lines[i]
	if v.qe <= v.qs || l.end <= v.qs || l.start >= v.qe {
		return string(v.runes[l.start:l.end])
	}
	var b strings.Builder
	a, z := max(l.start, v.qs), min(l.end, v.qe)
	b.WriteString(string(v.runes[l.start:a]))
	b.WriteString(quote(string(v.runes[a:z])))
	b.WriteString(string(v.runes[z:l.end]))
	return b.String()
}

// styleFunc renders a piece of text in a style.
type styleFunc func(string) string

// fit makes s exactly width cells wide: cut with an ellipsis, or padded.
func fit(s string, n int) string {
	if n <= 0 {
		return ""
	}
	w := width(s)
	if w > n {
		s = truncate(s, n)
		w = width(s)
	}
	if w < n {
		s += strings.Repeat(" ", n-w)
	}
	return s
}

// cut shortens s to width cells at most, without padding.
func cut(s string, n int) string {
	if width(s) > n {
		return truncate(s, max(n, 0))
	}
	return s
}

// truncate cuts s to n cells, the last one an ellipsis. Text without escape
// sequences is cut here, rune by rune; styled text too when its only
// sequences are SGR and its characters are narrow (truncateSGR); anything
// else goes to ansi.Truncate, which walks grapheme clusters and tracks
// every kind of escape sequence.
func truncate(s string, n int) string {
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
		rw := runeWidth(r[i])
		if w+rw > n-1 && !joins(r, i) {
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
			if !narrow(r) {
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
