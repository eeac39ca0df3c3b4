package propose

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Quote match levels, from the strictest. They are recorded in each
// proposal's provenance, so that a reader knows how literally the quote
// stands in the passage.
const (
	QuoteExact      = "exact"      // the quote is a substring of the passage
	QuoteNormalized = "normalized" // equal after NFKC, case, apostrophes, dashes, spaces and hyphens
	QuoteFuzzy      = "fuzzy"      // within a few edits of a span of the passage
	QuoteNone       = "none"       // not found: never shown as a quote
)

// Fuzzy matching limits. A quote must be long enough that a near match is
// not a coincidence, and the edits may change at most one character in ten:
// enough for a model that fixed a typo or dropped a comma, not enough to
// accept a paraphrase.
const (
	fuzzyMinRunes    = 12
	fuzzyMaxEditRate = 0.10
	fuzzyMaxCells    = 25_000_000 // quote × passage runes: bounds the time of one check
)

// QuoteMatch says where a quote stands in a passage. Start and End are rune
// offsets in the passage's text, or -1 when the quote was not found.
type QuoteMatch struct {
	Start, End int
	Level      string
	Edits      int // edit distance of a fuzzy match
}

// MatchQuote finds quote in passage: exactly, then normalised, then as a
// fuzzy substring (Sellers' algorithm) with at most one edit in ten
// characters. A model's quote that is none of these is reported as
// QuoteNone with offsets -1.
func MatchQuote(passage, quote string) QuoteMatch {
	none := QuoteMatch{Start: -1, End: -1, Level: QuoteNone}
	// A model's output may hold broken UTF-8; a byte of it must not match
	// the middle of a character of the passage.
	quote = strings.ToValidUTF8(quote, "\uFFFD")
	if strings.TrimSpace(quote) == "" || passage == "" {
		return none
	}
	for _, q := range []string{quote, cleanQuote(quote)} {
		if q == "" {
			continue
		}
		if i := strings.Index(passage, q); i >= 0 {
			s := utf8.RuneCountInString(passage[:i])
			return QuoteMatch{Start: s, End: s + utf8.RuneCountInString(q), Level: QuoteExact}
		}
	}
	np := normalizeMapped(passage)
	nq := normalizeMapped(cleanQuote(quote))
	if len(nq.runes) == 0 {
		return none
	}
	if i := indexRunes(np.runes, nq.runes); i >= 0 {
		return QuoteMatch{Start: np.start[i], End: np.end[i+len(nq.runes)-1], Level: QuoteNormalized}
	}
	m := len(nq.runes)
	if m < fuzzyMinRunes || m*len(np.runes) > fuzzyMaxCells {
		return none
	}
	maxEdits := int(fuzzyMaxEditRate * float64(m))
	s, e, d := sellers(nq.runes, np.runes)
	if d > maxEdits || e <= s {
		return none
	}
	return QuoteMatch{Start: np.start[s], End: np.end[e-1], Level: QuoteFuzzy, Edits: d}
}

// cleanQuote removes what models put around a quote: spaces, quotation marks
// and ellipses at either end.
func cleanQuote(q string) string {
	for {
		old := q
		q = strings.TrimSpace(q)
		q = strings.TrimFunc(q, func(r rune) bool { return strings.ContainsRune("«»\"“”„‟'‘’", r) })
		q = strings.TrimSuffix(q, "…")
		q = strings.TrimSuffix(q, "...")
		q = strings.TrimPrefix(q, "…")
		q = strings.TrimPrefix(q, "...")
		if q == old {
			return q
		}
	}
}

// mapped is a normalised text with, for each of its runes, the span of runes
// of the original text it came from.
type mapped struct {
	runes      []rune
	start, end []int
}

func (m *mapped) add(r rune, s, e int) {
	m.runes = append(m.runes, r)
	m.start = append(m.start, s)
	m.end = append(m.end, e)
}

// normalizeMapped applies NFKC (cluster by cluster: a letter with the
// combining marks that follow it, so that each normalised rune knows where it
// came from), lower case, one apostrophe, one double quote, one dash, one
// space; then it drops hyphens with the spaces that follow them, since PDF
// extractors keep or drop a hyphen at a line break ("gouver-\nnance") and
// models write compounds either way.
func normalizeMapped(s string) mapped {
	var raw mapped
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && unicode.Is(unicode.M, rs[j]) {
			j++
		}
		if j == i+1 && rs[i] < utf8.RuneSelf {
			if r := foldRune(rs[i]); r >= 0 {
				raw.add(r, i, j)
			}
		} else {
			for _, r := range norm.NFKC.String(string(rs[i:j])) {
				if r = foldRune(r); r >= 0 {
					raw.add(r, i, j)
				}
			}
		}
		i = j
	}
	out := mapped{runes: make([]rune, 0, len(raw.runes))}
	for i := 0; i < len(raw.runes); i++ {
		r := raw.runes[i]
		switch r {
		case '-':
			for i+1 < len(raw.runes) && raw.runes[i+1] == ' ' {
				i++
			}
			continue
		case ' ':
			if len(out.runes) == 0 || out.runes[len(out.runes)-1] == ' ' {
				continue
			}
		}
		out.add(r, raw.start[i], raw.end[i])
	}
	if n := len(out.runes); n > 0 && out.runes[n-1] == ' ' {
		out.runes, out.start, out.end = out.runes[:n-1], out.start[:n-1], out.end[:n-1]
	}
	return out
}

// foldRune maps one normalised rune to its canonical form, or -1 to drop it.
func foldRune(r rune) rune {
	switch {
	case isApostrophe(r):
		return '\''
	case strings.ContainsRune("«»“”„‟\"", r):
		return '"'
	case strings.ContainsRune("-‐‑‒–—―−⁃﹣－", r):
		return '-'
	case unicode.IsSpace(r):
		return ' '
	case unicode.Is(unicode.Cf, r), unicode.IsControl(r):
		return -1 // soft hyphens, zero-width spaces: invisible, never evidence
	}
	return unicode.ToLower(r)
}

func indexRunes(s, sub []rune) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if s[i] == sub[0] && slicesEqual(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

func slicesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sellers finds the span text[start:end] with the smallest edit distance to
// pattern (Sellers 1980: edit distance where the match may begin and end
// anywhere in the text). Among equal distances the first end wins, and the
// start of each path is carried along so that no backtracking is needed.
func sellers(pattern, text []rune) (start, end, dist int) {
	m := len(pattern)
	prevD, curD := make([]int, m+1), make([]int, m+1)
	prevS, curS := make([]int, m+1), make([]int, m+1)
	for i := 0; i <= m; i++ {
		prevD[i], prevS[i] = i, 0
	}
	best, bestS, bestE := m, 0, 0
	for j := 1; j <= len(text); j++ {
		curD[0], curS[0] = 0, j
		t := text[j-1]
		for i := 1; i <= m; i++ {
			d, s := prevD[i-1], prevS[i-1]
			if pattern[i-1] != t {
				d++
			}
			if v := curD[i-1] + 1; v < d {
				d, s = v, curS[i-1]
			}
			if v := prevD[i] + 1; v < d {
				d, s = v, prevS[i]
			}
			curD[i], curS[i] = d, s
		}
		if curD[m] < best {
			best, bestS, bestE = curD[m], curS[m], j
		}
		prevD, curD = curD, prevD
		prevS, curS = curS, prevS
	}
	return bestS, bestE, best
}
