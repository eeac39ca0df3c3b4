package corpus

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
)

// DefaultMaxPassageRunes bounds a passage when Options leaves it at zero:
// about a long paragraph, small enough for a small model's context with
// room for the criterion and the instructions, large enough to hold an idea.
const DefaultMaxPassageRunes = 1200

// minPassageRunes is the smallest bound Options may set; below it a passage
// could not even hold a sentence.
const minPassageRunes = 16

// span is a range of runes of a document's extracted text. As a region it is
// a part no passage may cross (the text under one heading, one PDF page); as
// a result of split it is one passage, and bstart and bend are its offsets
// in bytes, so that its text is a substring of the document's, shared
// rather than copied.
type span struct {
	start, end   int
	bstart, bend int
	section      string
	page         int
}

// The boundary levels, from the one a cut prefers to the one it falls back
// on: a paragraph (a blank line), a sentence (., !, ?, … then white space), a
// line end (lists, PDF lines), a word (white space). Below them is the hard
// cut, for a run of more than max runes without white space.
const (
	levelParagraph = iota
	levelSentence
	levelLine
	levelWord
	levels
)

// split cuts each region of text into passages of at most max runes, never
// across a region's edge. Within a region it takes the longest piece that
// ends at a paragraph boundary, else at a sentence end, else at a line end,
// else between words, and cuts inside a word only as a last resort. White
// space at both ends of a passage is left out and a passage of white space
// only is skipped; every other rune of a region is in exactly one passage.
// It runs in time linear in the text and in memory bounded by max: the
// text stays a string, and only the next max+1 runes are decoded at a time
// to look for a cut, so that a file of hundreds of megabytes is cut without
// holding four bytes a rune of it. Regions are expected in order.
func split(text string, regions []span, maxRunes int) []span {
	if maxRunes < minPassageRunes {
		maxRunes = minPassageRunes
	}
	var out []span
	var bounds [levels][]int
	window := make([]rune, 0, maxRunes+1)
	// The cursor: rune offset r is byte offset b of text.
	r, b := 0, 0
	seek := func(to int) {
		if to < r {
			r, b = 0, 0
		}
		for r < to && b < len(text) {
			_, n := utf8.DecodeRuneInString(text[b:])
			b += n
			r++
		}
	}
	for _, rg := range regions {
		seek(max(rg.start, 0))
		e := rg.end
		for r < e && b < len(text) {
			c, n := utf8.DecodeRuneInString(text[b:])
			if unicode.IsSpace(c) {
				r, b = r+1, b+n
				continue
			}
			// Decode up to max+1 runes from here: enough to know whether
			// the rest fits, and where to cut if not.
			window = window[:0]
			for i := b; len(window) <= maxRunes && r+len(window) < e && i < len(text); {
				c, n := utf8.DecodeRuneInString(text[i:])
				window = append(window, c)
				i += n
			}
			cut, z, zn := cutWindow(window, maxRunes, &bounds)
			zb := b + zn
			if z > 0 {
				out = append(out, span{start: r, end: r + z, bstart: b, bend: zb, section: rg.section, page: rg.page})
			}
			r, b = r+z, zb
			seek(r + (cut - z))
		}
	}
	return out
}

// cutWindow finds where the passage that starts window ends: the whole
// window when it holds at most max runes, else the last boundary within it
// of the first level that has one, else max runes. It returns the cut, the
// end of what the passage keeps (the cut less the white space before it),
// and that end's offset in bytes.
func cutWindow(window []rune, maxRunes int, bounds *[levels][]int) (cut, z, zbytes int) {
	cut = len(window)
	if len(window) > maxRunes {
		for l := range bounds {
			bounds[l] = bounds[l][:0]
		}
		findBoundaries(window, 0, len(window), bounds)
		cut = maxRunes
		for l := range bounds {
			// The last boundary of the level within the bound, if any
			// lies after the start.
			bl := bounds[l]
			if len(bl) > 0 && bl[len(bl)-1] > 0 {
				cut = bl[len(bl)-1]
				break
			}
		}
	}
	z = cut
	for z > 0 && unicode.IsSpace(window[z-1]) {
		z--
	}
	for _, c := range window[:z] {
		zbytes += utf8.RuneLen(c)
	}
	return cut, z, zbytes
}

// findBoundaries records, for each level, the positions b in (s, e) where a
// passage may end (the passage is text[..b]), in increasing order. A
// boundary is the position of the white space that separates, so that the
// bound counts only what the passage keeps.
func findBoundaries(text []rune, s, e int, bounds *[levels][]int) {
	blankLine := false // the current line holds only spaces and tabs so far
	sawNewline := false
	for i := s + 1; i < e; i++ {
		r := text[i]
		if !unicode.IsSpace(r) {
			blankLine = false
			continue
		}
		if r == '\n' {
			if sawNewline && blankLine {
				bounds[levelParagraph] = append(bounds[levelParagraph], i)
			}
			bounds[levelLine] = append(bounds[levelLine], i)
			sawNewline, blankLine = true, true
		} else if r != ' ' && r != '\t' {
			blankLine = false
		}
		if !unicode.IsSpace(text[i-1]) {
			bounds[levelWord] = append(bounds[levelWord], i)
			if endsSentence(text, s, i) {
				bounds[levelSentence] = append(bounds[levelSentence], i)
			}
		}
	}
}

// endsSentence reports whether the white space at text[i] follows the end of
// a sentence: a full stop, question or exclamation mark or ellipsis, perhaps
// followed by a closing quote or bracket. French puts a space before ? and !,
// so "Vraiment ?" ends at the space after the mark, as wanted.
func endsSentence(text []rune, s, i int) bool {
	j := i - 1
	if j >= s && isCloser(text[j]) {
		j--
	}
	if j < s {
		return false
	}
	switch text[j] {
	case '.', '!', '?', '…':
		return true
	}
	return false
}

// isCloser reports closing quotes and brackets that may follow a sentence's
// final mark.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '»', '”', '’':
		return true
	}
	return false
}

// makePassages turns spans of text into the passages of the document whose
// SHA-256 is sha. A passage's ID is stable across imports of the same bytes:
// the first 12 hex digits of the hash and the 1-based index. Its text is a
// substring of text, not a copy.
func makePassages(sha string, text string, spans []span) []review.Passage {
	prefix := sha
	if len(prefix) > 12 {
		prefix = prefix[:12]
	}
	ps := make([]review.Passage, len(spans))
	for i, sp := range spans {
		ps[i] = review.Passage{
			ID:       prefix + "-p" + strconv.Itoa(i+1),
			Document: sha,
			Index:    i + 1,
			Text:     text[sp.bstart:sp.bend],
			Start:    sp.start,
			End:      sp.end,
			Page:     sp.page,
			Section:  sp.section,
		}
	}
	return ps
}
