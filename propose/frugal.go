package propose

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
)

// FrugalVersion names the frugal proposer's rules (selection, quote,
// wording); it is part of its proposals' keys and provenance.
// The wording of the statements changed without a new version (issue 11:
// they name the passage's section or first words, in the session's
// language), because a new version would give the same pairs new keys and
// a rerun would propose them twice.
const FrugalVersion = "frugal/1"

// Frugal selection: a lexical proposal needs at least this many distinct
// criterion terms, and a score at least this share of the criterion's best,
// so that a passage sharing one common word is not put before the group.
const (
	frugalMinTerms   = 2
	frugalMinShare   = 0.35
	frugalQuoteRunes = 280
	frugalShownTerms = 6
	// frugalFullSentence is the number of words from which a line counts
	// as a full sentence when choosing the quote.
	frugalFullSentence = 8
	// confidenceScale maps a BM25 score to 0..1 by s/(s+scale): half
	// confidence for a passage scoring like one rare shared term and a
	// couple of common ones.
	confidenceScale = 8.0
)

// frugalConfidence turns a BM25 score into a confidence between 0 and 1,
// monotone (a better score never gets a lower confidence), rounded to two
// decimals so that the trace stays readable.
func frugalConfidence(score float64) float64 {
	if score <= 0 || math.IsNaN(score) {
		return 0
	}
	return math.Round(100*score/(score+confidenceScale)) / 100
}

// frugalPick keeps the hits worth proposing without a judge.
func frugalPick(hits []Hit, k int) []Hit {
	var out []Hit
	for _, h := range hits {
		if len(out) == k {
			break
		}
		if len(h.Terms) < frugalMinTerms || h.Score < frugalMinShare*hits[0].Score {
			continue
		}
		out = append(out, h)
	}
	return out
}

// span is a part of a text, in bytes.
type span struct{ start, end int }

// sentences splits text at sentence ends and line breaks (pads often list
// one idea a line), trimming spaces.
func sentences(text string) []span {
	var out []span
	start := 0
	emit := func(end int) {
		s := text[start:end]
		l := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
		r := len(strings.TrimRightFunc(s, unicode.IsSpace))
		if r > l {
			out = append(out, span{start + l, start + r})
		}
	}
	for i, r := range text {
		switch r {
		case '\n':
			emit(i)
			start = i + 1
		case '.', '!', '?', '…', ';':
			next := i + utf8.RuneLen(r)
			if next >= len(text) || text[next] == ' ' || text[next] == '\n' {
				emit(next)
				start = next
			}
		}
	}
	emit(len(text))
	return out
}

// bestQuote returns the sentence of text that holds the most informative
// criterion terms (by the sum of their idf), cut to a window of at most
// frugalQuoteRunes around them when it is long, as a byte span; and the
// words of the text that matched, as written, most informative first.
func (ix *Index) bestQuote(text string, terms []string) (span, []string) {
	want := map[string]float64{}
	for _, t := range terms {
		want[t] = ix.idf(t)
	}
	var toks []token
	analyze(text, func(t token) { toks = append(toks, t) })
	surface := map[string]string{}
	for _, t := range toks {
		if _, ok := want[t.term]; ok && surface[t.term] == "" {
			surface[t.term] = t.surface
		}
	}
	var words []string
	for _, t := range terms {
		if s := surface[t]; s != "" && len(words) < frugalShownTerms {
			words = append(words, s)
		}
	}
	best, bestScore := span{0, 0}, -1.0
	for _, s := range sentences(text) {
		score := 0.0
		seen := map[string]bool{}
		for _, t := range toks {
			if t.start >= s.start && t.end <= s.end && !seen[t.term] {
				seen[t.term] = true
				score += want[t.term]
			}
		}
		// A heading or a fragment of three words is a poor piece of
		// evidence: short lines weigh less than full sentences.
		if n := len(strings.Fields(text[s.start:s.end])); n < frugalFullSentence {
			score *= float64(n) / frugalFullSentence
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	if utf8.RuneCountInString(text[best.start:best.end]) > frugalQuoteRunes {
		best = window(text, best, toks, want)
	}
	return best, words
}

// window finds, inside a long sentence, the stretch of at most
// frugalQuoteRunes that starts and ends on word boundaries and holds the
// most weight of matched terms.
func window(text string, s span, toks []token, want map[string]float64) span {
	var in []token
	for _, t := range toks {
		if t.start >= s.start && t.end <= s.end {
			in = append(in, t)
		}
	}
	best, bestW := span{s.start, s.start}, -1.0
	// Word starts of the sentence are candidate window starts.
	starts := []int{s.start}
	for i, r := range text[s.start:s.end] {
		if i > 0 && unicode.IsSpace(r) {
			starts = append(starts, s.start+i+utf8.RuneLen(r))
		}
	}
	for _, a := range starts {
		end := a
		n := 0
		for i, r := range text[a:s.end] {
			if n == frugalQuoteRunes {
				break
			}
			n++
			if unicode.IsSpace(r) {
				end = a + i
			}
			if a+i+utf8.RuneLen(r) == s.end {
				end = s.end
			}
		}
		if end <= a {
			continue
		}
		w, seen := 0.0, map[string]bool{}
		for _, t := range in {
			if t.start >= a && t.end <= end && !seen[t.term] {
				seen[t.term] = true
				w += want[t.term]
			}
		}
		if w > bestW {
			best, bestW = span{a, end}, w
		}
	}
	if best.end <= best.start {
		return s
	}
	return best
}

// frugalStatement says honestly what the lexical proposer saw: the
// criterion's words it found, as written in the passage, and where (the
// passage's section, or its first words), so that two lexical proposals
// read differently; in the session's language.
func frugalStatement(lang string, words []string, p *review.Passage) string {
	where := truncateRunes(p.Section, 60)
	if where == "" {
		where = firstWords(p.Text, frugalStatementWords)
	}
	list := strings.Join(words, ", ")
	if lang == "en" {
		if where == "" {
			return "Words of the criterion in this passage: " + list + "."
		}
		return fmt.Sprintf("Words of the criterion in this passage (%s): %s.", where, list)
	}
	if where == "" {
		return "Mots du critère dans ce passage : " + list + "."
	}
	return fmt.Sprintf("Mots du critère dans ce passage (%s) : %s.", where, list)
}

// frugalStatementWords is how many first words of a passage without a
// section name it in a lexical statement.
const frugalStatementWords = 6

// firstWords returns the first n words of text, with "…" when it goes on.
func firstWords(text string, n int) string {
	f := strings.Fields(text)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return "« " + strings.Join(f[:n], " ") + "… »"
}

// frugalProposal builds the lexical proposal for one hit.
func frugalProposal(ix *Index, cfg Config, c review.Criterion, p *review.Passage, h Hit, key string) review.Proposal {
	sp, words := ix.bestQuote(p.Text, h.Terms)
	qs := utf8.RuneCountInString(p.Text[:sp.start])
	quote := p.Text[sp.start:sp.end]
	return review.Proposal{
		ID:         proposalID(key),
		Document:   p.Document,
		Passage:    p.ID,
		Criterion:  c.ID,
		Statement:  frugalStatement(cfg.Lang, words, p),
		Quote:      quote,
		QuoteStart: qs,
		QuoteEnd:   qs + utf8.RuneCountInString(quote),
		Confidence: frugalConfidence(h.Score),
		Origin: review.Origin{Kind: review.OriginLexical, Name: "bm25", Provenance: &review.Provenance{
			PromptVersion: FrugalVersion,
			Retrieval:     &review.Retrieval{LexicalScore: h.Score, LexicalRank: h.Rank},
			QuoteMatch:    QuoteExact,
			MatchedTerms:  words,
		}},
	}
}

// frugalKey identifies a lexical proposal as PairKey identifies a judged
// pair, so that a rerun makes the same proposal IDs and skips them.
func frugalKey(passage, criterion string) string {
	return PairKey(passage, criterion, "lexical", FrugalVersion, nil)
}

// proposalID derives a proposal's ID from its pair key: a rerun makes the
// same ID, which the store refuses as a duplicate rather than adding twice.
func proposalID(key string) string { return "p-" + strings.TrimPrefix(key, "j-") }
