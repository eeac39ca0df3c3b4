package corpus

import (
	"strconv"
	"unicode"

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
// a result of split it is one passage.
type span struct {
	start, end int
	section    string
	page       int
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
// It runs in time linear in the text: boundaries are found in one pass, and
// the cut search only moves forward.
func split(text []rune, regions []span, maxRunes int) []span {
	if maxRunes < minPassageRunes {
		maxRunes = minPassageRunes
	}
	var out []span
	var bounds [levels][]int
	for _, rg := range regions {
		s, e := max(rg.start, 0), min(rg.end, len(text))
		if s >= e {
			continue
		}
		for l := range bounds {
			bounds[l] = bounds[l][:0]
		}
		if e-s > maxRunes {
			findBoundaries(text, s, e, &bounds)
		}
		var next [levels]int
		pos := s
		for pos < e {
			for pos < e && unicode.IsSpace(text[pos]) {
				pos++
			}
			if pos >= e {
				break
			}
			cut := e
			if e-pos > maxRunes {
				limit := pos + maxRunes
				cut = limit
				for l := range bounds {
					b := bounds[l]
					for next[l] < len(b) && b[next[l]] <= limit {
						next[l]++
					}
					if next[l] > 0 && b[next[l]-1] > pos {
						cut = b[next[l]-1]
						break
					}
				}
			}
			a, z := pos, cut
			for z > a && unicode.IsSpace(text[z-1]) {
				z--
			}
			if z > a {
				out = append(out, span{start: a, end: z, section: rg.section, page: rg.page})
			}
			pos = cut
		}
	}
	return out
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
// the first 12 hex digits of the hash and the 1-based index.
func makePassages(sha string, text []rune, spans []span) []review.Passage {
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
			Text:     string(text[sp.start:sp.end]),
			Start:    sp.start,
			End:      sp.end,
			Page:     sp.page,
			Section:  sp.section,
		}
	}
	return ps
}
