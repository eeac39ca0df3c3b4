package session

import (
	"strings"
	"unicode"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/text/unicode/norm"
)

// plainChallenge passes a keyboard-interactive challenge on with its
// instruction and questions folded to ASCII. OpenSSH prints a challenge's
// name and instruction through its log function, which writes every byte
// outside ASCII as an octal escape whatever the locale: « déjà » reached
// people as "\302\253 d\303\251j\303\240". French without its accents
// reads better than that; the screens after login keep every accent.
func plainChallenge(c gossh.KeyboardInteractiveChallenge) gossh.KeyboardInteractiveChallenge {
	return func(name, instruction string, questions []string, echos []bool) ([]string, error) {
		plain := make([]string, len(questions))
		for i, q := range questions {
			plain[i] = asciiFold(q)
		}
		return c(asciiFold(name), asciiFold(instruction), plain, echos)
	}
}

// guillemetSpaces drops the spaces French sets inside « », which around
// ASCII quotes would read « " marie " ».
var guillemetSpaces = strings.NewReplacer("« ", "«", "«\u00a0", "«", "«\u202f", "«", " »", "»", "\u00a0»", "»", "\u202f»", "»")

// asciiFold writes s in ASCII: letters lose their accents (é → e), French
// quotation marks and apostrophes become their ASCII forms, no-break
// spaces plain spaces, and anything else outside ASCII a question mark.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(guillemetSpaces.Replace(s)) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
			// the accent of the letter before it
		case r == '«' || r == '»' || r == '“' || r == '”' || r == '„':
			b.WriteByte('"')
		case r == '’' || r == '‘' || r == '′':
			b.WriteByte('\'')
		case r == '\u00a0' || r == '\u202f' || r == '\u2009':
			b.WriteByte(' ')
		case r == '—' || r == '–' || r == '‐':
			b.WriteByte('-')
		case r == '…':
			b.WriteString("...")
		case r == 'œ':
			b.WriteString("oe")
		case r == 'Œ':
			b.WriteString("OE")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'Æ':
			b.WriteString("AE")
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
