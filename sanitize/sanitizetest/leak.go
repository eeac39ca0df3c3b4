// Package sanitizetest tells tests whether a screen lets through anything a
// terminal could take as a command. Both the review screen (tui) and the
// projector's wall (tui/room) draw untrusted text, and both check their
// output with the same rules here, so that a rule added for one is
// enforced for the other.
package sanitizetest

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// sgr is the only escape sequence a screen may contain: colours and
// attributes.
var sgr = regexp.MustCompile(`^\x1b\[[0-9;:]*m`)

// Leak describes the first thing in s that is not plain text or an SGR
// sequence: bytes that are not UTF-8 (a raw 0x9b is CSI to a terminal in
// 8-bit mode), another escape sequence, a C0 control but the newline, DEL,
// a C1 control (U+009B among them), or a bidi control that would reorder
// what the reader sees. It returns "" when s is clean. It looks at runes,
// not bytes: 0x9b is also the last byte of « Û ».
func Leak(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for i, r := range s {
		switch {
		case r == 0x1b:
			if !sgr.MatchString(s[i:]) {
				return fmt.Sprintf("escape sequence at byte %d: %q", i, s[i:min(i+24, len(s))])
			}
		case r == '\n':
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
			return fmt.Sprintf("control U+%04X at byte %d: %q", r, i, s[max(i-20, 0):min(i+20, len(s))])
		case IsBidi(r):
			return fmt.Sprintf("bidi control U+%04X at byte %d", r, i)
		}
	}
	return ""
}

// IsBidi reports the bidi embedding, override and isolate controls and the
// directional marks.
func IsBidi(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c'
}
