package corpus

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"

	"github.com/coopdescommuns/revue/sanitize"
)

// decode turns a file's bytes into valid UTF-8. Most files are UTF-8; old
// Windows exports are often Windows-1252, which decodes any byte, so a file
// that is not valid UTF-8 is read as Windows-1252 and the caller is told, so
// that the facilitator can check the accents. A UTF-16 file is recognised by
// its byte order mark, as Notepad writes it. The byte order mark is removed.
func decode(b []byte) (text string, warning string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		d := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		if out, err := d.Bytes(b); err == nil {
			return string(out), ""
		}
	}
	if utf8.Valid(b) {
		return string(b), ""
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		// Windows-1252 decoding maps every byte, so this cannot happen; keep
		// the text readable anyway.
		return strings.ToValidUTF8(string(b), "\uFFFD"), "not UTF-8, some characters replaced"
	}
	return string(out), "not UTF-8, read as Windows-1252: check the accents"
}

// looksBinary reports whether b is probably not text at all (an image or an
// office file renamed .txt): it has NUL bytes near its start, as git judges.
// UTF-16 text has NUL bytes too, so a byte order mark excuses them.
func looksBinary(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return false
	}
	head := b[:min(len(b), 8000)]
	return bytes.IndexByte(head, 0) >= 0
}

// clean removes what must not reach a passage: terminal escape sequences
// (a pad can hold pasted terminal output), control characters other than
// newline and tab, bidirectional controls (Trojan Source), stray byte order
// marks, and carriage returns (a lone one becomes a newline, as on old Macs).
// Typographic ligatures (U+FB00 to U+FB06), which PDFs and some editors
// produce, are expanded to their letters so that "ﬁche" is found as "fiche";
// no other normalisation is done, so that quotes stay exactly as written.
// The result is valid UTF-8 if s is.
func clean(s string) string {
	if strings.IndexByte(s, 0x1b) >= 0 {
		s = ansi.Strip(s)
	}
	if isCleanASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	cleanInto(&b, s)
	return b.String()
}

// cleanInto writes clean(s) to b, for s without escape sequences (the
// caller strips them first): readTextFile cleans a file chunk by chunk
// into one builder this way, without a copy of each chunk.
func cleanInto(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			// Runs of plain ASCII, the common case, are written at once.
			j := i + 1
			for j < len(s) && (s[j] >= 0x20 && s[j] < 0x7f || s[j] == '\n' || s[j] == '\t') {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			b.WriteByte('\n')
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		case sanitize.IsBidiControl(r), r == '\uFEFF':
		case r >= '\uFB00' && r <= '\uFB06':
			b.WriteString(norm.NFKC.String(string(r)))
		default:
			b.WriteRune(r)
		}
	}
}

// isCleanASCII reports whether s is ASCII text with no control character
// other than newline and tab, the common case that needs no copy.
func isCleanASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// oneLine collapses every run of white space in s to one space and trims it,
// for titles and section names, which are shown on one line.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// firstLine returns the first non-blank line of s, on one line and at most
// max runes long, for a title taken from a document's text.
func firstLine(s string, max int) string {
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if line = oneLine(line); line != "" {
			return truncateRunes(line, max)
		}
	}
	return ""
}

// truncateRunes cuts s to at most max runes, ending with an ellipsis when cut.
func truncateRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}
