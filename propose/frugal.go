package propose

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
)

// FrugalVersion names the frugal proposer's rules (selection, quote,
// wording), recorded in its proposals' provenance. frugal/2 (issue 19)
// searches with the people's keywords and the thesaurus's synonyms,
// proposes the best passage of each document, quotes the sentence (or two)
// carrying the most weight of the words found, and says which in plain
// words. A pair's key does not change with the version (frugalKeyVersion):
// a rerun under new rules, or after keywords were added, proposes a pair
// already proposed only once.
const FrugalVersion = "frugal/2"

// frugalKeyVersion is the version in every lexical pair key, frozen at the
// first so that keys stay the same from one version to the next.
const frugalKeyVersion = "frugal/1"

// Frugal selection: a lexical proposal needs matched terms worth at least
// this many of the criterion's own words, and a score at least this share
// of the criterion's best, so that a passage sharing one common word is not
// put before the group.
const (
	frugalMinTerms = 2
	frugalMinShare = 0.35
	// frugalPerDocument is how many passages of one document a criterion
	// gets at most: the best one (see frugalSelect).
	frugalPerDocument = 1
	frugalQuoteRunes  = 280
	frugalShownTerms  = 6
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

// matchedWeight sums the weights of matched terms.
func matchedWeight(terms []string, weight map[string]float64) float64 {
	n := 0.0
	for _, t := range terms {
		n += weight[t]
	}
	return n
}

// frugalSelect chooses the lexical proposals of every criterion by the
// frugal budget's rule: in each document, the passage that best matches
// the criterion (perDoc of them), when it holds criterion terms worth at
// least frugalMinTerms of the criterion's own words (a synonym counts for
// its weight), one of them at least a word of the criterion or a keyword,
// and scores at least frugalMinShare of the criterion's best;
// at most k for a criterion in all, the best first. A group reads a
// criterion document by document: one passage each is what a person
// looking for the criterion would point at, and a criterion gets as many
// proposals as there are documents that speak of it, not a fixed number.
func frugalSelect(ix *Index, exps []*expansion, perDoc, k int) [][]Hit {
	out := make([][]Hit, len(exps))
	for i, e := range exps {
		terms, w := e.weights(ix)
		order, scores := ix.rank(terms, w)
		n := map[string]int{}
		for rank, d := range order {
			// Sorted by score: once below the share, all the rest are.
			if len(out[i]) == k || scores[d] < frugalMinShare*scores[order[0]] {
				break
			}
			if n[ix.docs[d]] >= perDoc {
				continue
			}
			matched := ix.matched(terms, d)
			if matchedWeight(matched, w) < frugalMinTerms || !e.anchored(matched) {
				continue
			}
			n[ix.docs[d]]++
			out[i] = append(out[i], Hit{Pos: int(d), ID: ix.ids[d], Score: scores[d], Rank: rank + 1, Terms: matched})
		}
	}
	return out
}

// listMarker matches the marker of a list item at the start of a line.
var listMarker = regexp.MustCompile(`^(?:[-*+•–—]|\d{1,3}[.)])\s+`)

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
		// A list's marker is not part of the quote.
		if m := listMarker.FindStringIndex(s[l:]); m != nil {
			l += m[1]
		}
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

// quoteSpan returns the sentence of text that holds the most weight of the
// criterion's terms (each distinct term counted once, by its weight times
// its idf), joined with its neighbour when that brings terms it lacks,
// cut to a window of at most frugalQuoteRunes around them when it is long,
// as a byte span.
func quoteSpan(text string, toks []token, want map[string]float64) span {
	score := func(s span) float64 {
		v, seen := 0.0, map[string]bool{}
		for _, t := range toks {
			if t.start >= s.start && t.end <= s.end && !seen[t.term] && want[t.term] > 0 {
				seen[t.term] = true
				v += want[t.term]
			}
		}
		return v
	}
	sents := sentences(text)
	best, bestScore, bestAt := span{0, 0}, -1.0, -1
	for i, s := range sents {
		v := score(s)
		// A heading or a fragment of three words is a poor piece of
		// evidence: short lines weigh less than full sentences.
		if n := len(strings.Fields(text[s.start:s.end])); n < frugalFullSentence {
			v *= float64(n) / frugalFullSentence
		}
		if v > bestScore {
			best, bestScore, bestAt = s, v, i
		}
	}
	if bestAt < 0 {
		return best
	}
	// A second sentence, before or after, when it carries terms the best
	// one lacks: the evidence often spans "D'abord… Puis…".
	v0 := score(best)
	pair, pairGain := best, 0.0
	for _, j := range []int{bestAt - 1, bestAt + 1} {
		if j < 0 || j >= len(sents) {
			continue
		}
		joined := span{min(best.start, sents[j].start), max(best.end, sents[j].end)}
		// Not across a blank line: a paragraph or a heading apart is
		// another piece of evidence.
		if strings.Contains(text[joined.start:joined.end], "\n\n") {
			continue
		}
		// Two sentences must fit the quote's length as they are: a window
		// cut out of two would start or end mid-sentence.
		if utf8.RuneCountInString(text[joined.start:joined.end]) > frugalQuoteRunes {
			continue
		}
		// The neighbour must bring a third of the best sentence's weight:
		// one weak synonym does not make a quote twice as long.
		if v := score(joined); v-v0 > pairGain && v-v0 >= v0/3 {
			pair, pairGain = joined, v-v0
		}
	}
	if pairGain > 0 {
		best = pair
	}
	if utf8.RuneCountInString(text[best.start:best.end]) > frugalQuoteRunes {
		best = window(text, best, toks, want)
	}
	return best
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

// bestQuote returns the quote span of text for plain criterion terms, each
// weighted by its idf, and the words of the text that matched, as written,
// most informative first (used for the model's sampled negatives).
func (ix *Index) bestQuote(text string, terms []string) (span, []string) {
	var toks []token
	analyze(text, func(t token) { toks = append(toks, t) })
	want := map[string]float64{}
	for _, t := range terms {
		want[t] = ix.idf(t)
	}
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
	return quoteSpan(text, toks, want), words
}

// frugalStatement says in plain words why the lexical proposer linked the
// passage to the criterion: the criterion's words it found, the keywords,
// and the synonyms with the word each stands for, as the passage writes
// them, and where (the passage's section, or its first words), so that two
// lexical proposals read differently; in the session's language.
func frugalStatement(lang string, found []foundTerm, p *review.Passage) string {
	where := truncateRunes(p.Section, 60)
	if where == "" {
		where = firstWords(lang, p.Text, frugalStatementWords)
	}
	en := lang == "en"
	q := func(w string) string { return quoted(lang, w) }
	list := func(ws []string) string {
		for i := range ws {
			ws[i] = q(ws[i])
		}
		and := " et "
		if en {
			and = " and "
		}
		if len(ws) == 1 {
			return ws[0]
		}
		return strings.Join(ws[:len(ws)-1], ", ") + and + ws[len(ws)-1]
	}
	var own, kws []string
	var fromOrder []string
	syn := map[string][]string{}
	for _, f := range found {
		switch f.source {
		case SourceCriterion:
			own = append(own, f.word)
		case SourceKeyword:
			kws = append(kws, f.word)
		default:
			if syn[f.from] == nil {
				fromOrder = append(fromOrder, f.from)
			}
			syn[f.from] = append(syn[f.from], f.word)
		}
	}
	var parts []string
	if len(own) > 0 {
		if en {
			parts = append(parts, list(own)+pl(len(own), ", a word of the criterion", ", words of the criterion"))
		} else {
			parts = append(parts, list(own)+pl(len(own), ", un mot du critère", ", des mots du critère"))
		}
	}
	if len(kws) > 0 {
		if en {
			parts = append(parts, list(kws)+pl(len(kws), ", a keyword of the criterion", ", keywords of the criterion"))
		} else {
			parts = append(parts, list(kws)+pl(len(kws), ", un mot-clé du critère", ", des mots-clés du critère"))
		}
	}
	for _, from := range fromOrder {
		ws := syn[from]
		if en {
			parts = append(parts, list(ws)+", close to "+q(from))
		} else {
			parts = append(parts, list(ws)+pl(len(ws), ", proche de ", ", proches de ")+q(from))
		}
	}
	if en {
		if where == "" {
			return "The passage speaks of " + strings.Join(parts, "; of ") + "."
		}
		return fmt.Sprintf("The passage (%s) speaks of %s.", where, strings.Join(parts, "; of "))
	}
	if where == "" {
		return "Le passage parle de " + strings.Join(parts, nbsp+"; de ") + "."
	}
	return fmt.Sprintf("Le passage (%s) parle de %s.", where, strings.Join(parts, nbsp+"; de "))
}

// pl chooses the singular or the plural ending of a statement's part.
func pl(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// frugalStatementWords is how many first words of a passage without a
// section name it in a lexical statement.
const frugalStatementWords = 6

// firstWords returns the first n words of text, with "…" when it goes on.
func firstWords(lang, text string, n int) string {
	f := strings.Fields(text)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return quoted(lang, strings.Join(f[:n], " ")+"…")
}

// nbsp is the no-break space French puts inside « » and before ; : a
// screen that wraps the statement never leaves a » or a ; alone at the
// start of a line (seen on the projector's wall).
const nbsp = "\u00a0"

// quoted puts w between the quotation marks of lang: “w”, or « w » with
// no-break spaces.
func quoted(lang, w string) string {
	if lang == "en" {
		return "“" + w + "”"
	}
	return "«" + nbsp + w + nbsp + "»"
}

// foundTerm is a criterion term found in a passage, as the passage writes
// it.
type foundTerm struct {
	queryTerm
	inQuote bool
}

// foundTerms lists the matched terms of a passage with the word the passage
// uses for each, those inside the quote first, then by weight times idf:
// the words the statement names.
func (ix *Index) foundTerms(toks []token, e *expansion, matched []string, quote span) []foundTerm {
	var out []foundTerm
	for _, term := range matched {
		i, ok := e.by[term]
		if !ok {
			continue
		}
		// The passage's own spelling of the term, not the criterion's.
		f := foundTerm{queryTerm: e.terms[i]}
		f.word = ""
		for _, t := range toks {
			if t.term != term {
				continue
			}
			in := t.start >= quote.start && t.end <= quote.end
			if f.word == "" || (in && !f.inQuote) {
				f.word, f.inQuote = t.surface, in
			}
		}
		if f.word != "" {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b foundTerm) int {
		if a.inQuote != b.inQuote {
			if a.inQuote {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.weight*ix.idf(b.term), a.weight*ix.idf(a.term))
	})
	return out
}

// frugalShownSynonyms is how many synonyms a statement names at most: the
// thesaurus is the weakest evidence, and a list of loose synonyms reads as
// noise.
const frugalShownSynonyms = 2

// shownTerms keeps the words a statement names: the criterion's own words
// and keywords, and the synonyms that stand in the quote (at most
// frugalShownSynonyms), frugalShownTerms in all.
func shownTerms(found []foundTerm) []foundTerm {
	var out []foundTerm
	syn := 0
	for _, f := range found {
		if len(out) == frugalShownTerms {
			break
		}
		if f.source == SourceThesaurus {
			if !f.inQuote || syn == frugalShownSynonyms {
				continue
			}
			syn++
		}
		out = append(out, f)
	}
	return out
}

// frugalProposal builds the lexical proposal for one hit.
func frugalProposal(ix *Index, cfg Config, c review.Criterion, e *expansion, p *review.Passage, h Hit, key string) review.Proposal {
	var toks []token
	analyze(p.Text, func(t token) { toks = append(toks, t) })
	_, w := e.weights(ix)
	want := make(map[string]float64, len(h.Terms))
	for _, t := range h.Terms {
		want[t] = w[t] * ix.idf(t)
	}
	sp := quoteSpan(p.Text, toks, want)
	found := shownTerms(ix.foundTerms(toks, e, h.Terms, sp))
	var words []string
	var expanded []review.ExpandedTerm
	for _, f := range found {
		words = append(words, f.word)
		if f.source != SourceCriterion {
			expanded = append(expanded, review.ExpandedTerm{Word: f.word, Source: f.source, From: f.from, Weight: f.weight})
		}
	}
	qs := utf8.RuneCountInString(p.Text[:sp.start])
	quote := p.Text[sp.start:sp.end]
	return review.Proposal{
		ID:         proposalID(key),
		Document:   p.Document,
		Passage:    p.ID,
		Criterion:  c.ID,
		Statement:  frugalStatement(cfg.Lang, found, p),
		Quote:      quote,
		QuoteStart: qs,
		QuoteEnd:   qs + utf8.RuneCountInString(quote),
		Confidence: frugalConfidence(h.Score),
		Origin: review.Origin{Kind: review.OriginLexical, Name: "bm25", Provenance: &review.Provenance{
			PromptVersion: FrugalVersion,
			Retrieval:     &review.Retrieval{LexicalScore: h.Score, LexicalRank: h.Rank},
			QuoteMatch:    QuoteExact,
			MatchedTerms:  words,
			Expansions:    expanded,
		}},
	}
}

// frugalKey identifies a lexical proposal as PairKey identifies a judged
// pair, so that a rerun makes the same proposal IDs and skips them.
func frugalKey(passage, criterion string) string {
	return PairKey(passage, criterion, "lexical", frugalKeyVersion, nil)
}

// proposalID derives a proposal's ID from its pair key: a rerun makes the
// same ID, which the store refuses as a duplicate rather than adding twice.
func proposalID(key string) string { return "p-" + strings.TrimPrefix(key, "j-") }
