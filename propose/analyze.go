package propose

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// token is one indexable word of a text: its term (stemmed, accents folded)
// and where it stands in the original text, in bytes, so that the frugal
// proposer can point at the words it matched.
type token struct {
	term       string
	surface    string // the word as written, lower case, elision removed
	start, end int    // byte offsets in the analysed text
}

// elisions are the French words that lose their vowel before another word
// ("l'assemblée", "qu'il", "jusqu'au"): they carry no meaning of their own,
// and without removing them "l'assemblée" and "assemblée" would be two terms.
var elisions = map[string]bool{
	"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true, "presqu": true, "quelqu": true,
}

// stopWords are frequent words that say nothing about a criterion. The list
// is Snowball's French list plus common function words it lacks (it keeps
// "plus", "tout", "être"...), and a few English ones for mixed corpora.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
	a à afin ainsi alors après au aussi autre autres aux avant avec avoir bien
	c ça car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez comme comment
	d dans de depuis des dès donc dont du elle elles en encore entre est et été être etc eux
	faire fait font hors ici il ils j je jusqu l la le les leur leurs lors lorsque lui m ma mais me même
	mes moi moins mon n ne ni non nos notre nous on ont ou où par parce pas peu peut peuvent plus pour
	pourquoi puis qu quand que quel quelle quelles quels qui quoi s sa sans se selon ses si sinon soi son
	sont sous sur t ta te tes toi ton tous tout toute toutes très tu un une vers via voici voilà vos votre vous y
	the and of to in is are for on with that this by be as it or an at from was were not
	`) {
		m[w] = true
	}
	return m
}()

// isStopWord reports whether a lower-case word is a stop word, in either
// list.
func isStopWord(w string) bool { return stopWords[w] || french.IsStopWord(w) }

// stemCache remembers stems: a corpus repeats the same few thousand words,
// and the Snowball stemmer is the slowest step of indexing.
var stemCache sync.Map

// stem returns the French Snowball stem of a lower-case word with its accents
// folded afterwards, so that pads typed without accents ("regles") meet
// reports typed with them ("règles").
func stem(w string) string {
	if s, ok := stemCache.Load(w); ok {
		return s.(string)
	}
	s := foldAccents(french.Stem(w, true))
	stemCache.Store(w, s)
	return s
}

// foldAccents removes French diacritics and splits the ligatures.
func foldAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 'à', 'â', 'ä', 'á':
			b.WriteByte('a')
		case 'é', 'è', 'ê', 'ë':
			b.WriteByte('e')
		case 'î', 'ï', 'í':
			b.WriteByte('i')
		case 'ô', 'ö', 'ó':
			b.WriteByte('o')
		case 'ù', 'û', 'ü', 'ú':
			b.WriteByte('u')
		case 'ç':
			b.WriteByte('c')
		case 'ÿ':
			b.WriteByte('y')
		case 'œ':
			b.WriteString("oe")
		case 'æ':
			b.WriteString("ae")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isApostrophe reports the apostrophes French text uses: the typewriter one,
// the typographic one, the modifier letter and the prime that OCR produces.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '‘', '`', '´', '′':
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// analyze calls fn for each indexable word of text, in order. Words are runs
// of letters and digits; an apostrophe inside a word ends an elided article
// ("d'autogestion" gives "autogestion"); hyphens split compound words; stop
// words and one-letter words are left out.
func analyze(text string, fn func(token)) {
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		// A word, possibly with inner apostrophes: "aujourd'hui", "qu'elle".
		start := i
		j := i
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if isWordRune(r) {
				j += n
				continue
			}
			if isApostrophe(r) && j+n < len(text) {
				if r2, _ := utf8.DecodeRuneInString(text[j+n:]); isWordRune(r2) {
					j += n
					continue
				}
			}
			break
		}
		emitWord(text, start, j, fn)
		i = j
	}
}

// emitWord removes leading elisions from the word text[start:end] and emits
// what is left.
func emitWord(text string, start, end int, fn func(token)) {
	for {
		k := start
		found := false
		for k < end {
			r, n := utf8.DecodeRuneInString(text[k:end])
			if isApostrophe(r) {
				prefix := strings.ToLower(text[start:k])
				if elisions[prefix] {
					start = k + n
					found = true
				} else {
					// "aujourd'hui": not an elision, one word without its apostrophe.
					found = false
				}
				break
			}
			k += n
		}
		if !found {
			break
		}
	}
	w := text[start:end]
	lw := strings.ToLower(w)
	if !isASCII(lw) {
		lw = strings.ToLower(norm.NFKC.String(lw))
	}
	lw = strings.Map(func(r rune) rune {
		if isApostrophe(r) {
			return -1
		}
		return r
	}, lw)
	if utf8.RuneCountInString(lw) < 2 || isStopWord(lw) {
		return
	}
	fn(token{term: stem(lw), surface: lw, start: start, end: end})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Terms returns the index terms of a text, in order, duplicates kept: what
// BM25 and the fake embedder see of it.
func Terms(text string) []string {
	var out []string
	analyze(text, func(t token) { out = append(out, t.term) })
	return out
}
