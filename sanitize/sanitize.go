// Package sanitize makes untrusted text safe to print on a terminal.
//
// Text from documents, from the AI and from participants reaches everybody's
// terminal. A single escape sequence in it could move the cursor, change the
// window title, write the clipboard (OSC 52), open a hyperlink or reorder what
// is shown (bidi overrides, CVE-2021-42574). ansi.Strip alone removes complete
// escape sequences but keeps carriage returns, backspaces, BEL, NUL, C1
// controls written as UTF-8 and bidi controls, so Text walks every rune after
// it and replaces what could still act on a terminal.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Replacement is shown in place of a control character, so that a reader can
// see that something was removed rather than have text silently change.
const Replacement = '\uFFFD'

// Text returns s with every terminal control removed or made visible. Newlines
// are kept, tabs become spaces (their width depends on the terminal), carriage
// returns are dropped (Windows line ends are common in documents), other C0
// and C1 controls, DEL and bidirectional controls become U+FFFD, and other
// invisible format characters are dropped, except the zero-width joiner that
// emoji sequences need. The result is valid UTF-8.
func Text(s string) string {
	if isPlain(s) {
		return s
	}
	s = strings.ToValidUTF8(s, string(Replacement))
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteString("    ")
		case r == '\r':
			// Dropped: "\r\n" is an ordinary line end, and a lone carriage
			// return would let text overwrite what precedes it on the line.
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
			b.WriteRune(Replacement)
		case IsBidiControl(r):
			b.WriteRune(Replacement)
		case r == '\u200d':
			b.WriteRune(r)
		case unicode.Is(unicode.Cf, r):
			// Zero-width spaces, soft hyphens and the like: invisible, and
			// able to hide what a quote really says.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Line is Text for places that must stay on one line, such as names, titles
// and list rows: newlines become spaces.
func Line(s string) string {
	s = Text(s)
	if strings.IndexByte(s, '\n') >= 0 {
		s = strings.ReplaceAll(s, "\n", " ")
	}
	return s
}

// isPlain reports whether s is printable ASCII with newlines only, the common
// case, which needs no copy.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || (c < 0x20 && c != '\n') || c == 0x7f {
			return false
		}
	}
	return true
}

// IsBidiControl reports the explicit directional formatting characters of
// Unicode (embeddings, overrides, isolates and marks) that Trojan Source
// uses. The import removes them too; this is the one list of them.
func IsBidiControl(r rune) bool {
	switch {
	case r >= '\u202a' && r <= '\u202e':
		return true
	case r >= '\u2066' && r <= '\u2069':
		return true
	case r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	}
	return false
}
