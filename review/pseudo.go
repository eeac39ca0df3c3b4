package review

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pseudonymize replaces what names a person in a trace, so that a data set
// can be published:
//   - people's names and key fingerprints, in actors and wherever the trace
//     names a person (a person's proposal's origin, a withdrawal), by stable
//     pseudonyms P1, P2, ... in order of first appearance in the whole
//     trace as stored, people who withdrew included (see Export);
//   - file paths by the file's name (/home/anna/pads/x.md → x.md: a home
//     directory names its owner);
//   - participants' names typed inside free text (comments, notes,
//     statements, outcomes), as whole words, case-insensitive, accents
//     respected (Chloé matches chloé, not Chloe).
//
// It cannot catch a nickname, a misspelt name, a name nobody joined under,
// or tell a name that is also a common word from the word (docs/codebook.md
// says so). The system's own actor (init, propose) keeps its name: it is no
// person. Passages and quotes are the documents' own text and are kept.
func Pseudonymize(events []Event) []Event {
	return pseudonymizeInPlace(slices.Clone(events), true, nil, events)
}

// pseudonymizeInPlace is Pseudonymize rewriting the events it is given,
// so that the original payloads of a large trace can be collected as it
// goes. A rewritten event loses its hash: it is no longer the stored one
// (the export's head hash still names the stored trace).
//
// With paths false, document events are left alone: Export replaces their
// paths as it writes them instead, since rewriting every document.added
// payload of a large corpus would hold its text twice in memory.
//
// Names in keep (the placeholders W1, W2... of withdrawals) are no
// person's and are left as they are. The pseudonyms are numbered from
// numbering, the whole trace as stored: a person keeps their number
// whoever withdraws after them, and a withdrawn person's number is
// retired, never given to someone else.
func pseudonymizeInPlace(events []Event, paths bool, keep map[string]bool, numbering []Event) []Event {
	p := newPseudonyms(numbering, keep)
	p.paths = paths
	for i := range events {
		e := &events[i]
		if a := p.actor(e.Actor); a != e.Actor {
			e.Actor = a
			e.Hash = ""
		}
		if raw, ok := p.data(*e); ok {
			e.Data = raw
			e.Hash = ""
		}
	}
	return events
}

// pseudonyms maps people to P1, P2... and finds their names in text.
type pseudonyms struct {
	byKey  map[string]string // Actor.Key → pseudonym
	byName map[string]string // lower-cased name → pseudonym of its first holder
	byFP   map[string]string // fingerprint → pseudonym
	names  *regexp.Regexp    // every known name, longest first
	paths  bool              // also replace file paths by file names
}

func newPseudonyms(events []Event, keep map[string]bool) *pseudonyms {
	p := &pseudonyms{byKey: map[string]string{}, byName: map[string]string{}, byFP: map[string]string{}, paths: true}
	var names []string
	for _, e := range events {
		a := e.Actor
		if a.Role == System || a.Name == "" || keep[a.Name] {
			continue
		}
		k := a.Key()
		if _, ok := p.byKey[k]; ok {
			continue
		}
		alias := "P" + strconv.Itoa(len(p.byKey)+1)
		p.byKey[k] = alias
		if a.Fingerprint != "" {
			p.byFP[a.Fingerprint] = alias
		}
		low := strings.ToLower(a.Name)
		if _, ok := p.byName[low]; !ok {
			p.byName[low] = alias
			names = append(names, a.Name)
		}
	}
	p.compile(names)
	return p
}

// compile builds the expression that finds the names in text.
func (p *pseudonyms) compile(names []string) {
	if len(names) > 0 {
		// Longest first, so that "Anne Marie" is replaced before "Anne".
		slices.SortStableFunc(names, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = regexp.QuoteMeta(n)
		}
		p.names = regexp.MustCompile(`(?i)` + strings.Join(quoted, "|"))
	}
}

func (p *pseudonyms) actor(a Actor) Actor {
	if a.Role == System {
		return a
	}
	alias, ok := p.byKey[a.Key()]
	if !ok {
		return a
	}
	a.Name = alias
	if a.Fingerprint != "" {
		a.Fingerprint = alias
	}
	return a
}

// Text replaces every known name standing as a whole word in s.
func (p *pseudonyms) text(s string) string {
	if p.names == nil || s == "" {
		return s
	}
	locs := p.names.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		before, _ := utf8.DecodeLastRuneInString(s[:l[0]])
		after, _ := utf8.DecodeRuneInString(s[l[1]:])
		if wordRune(before) || wordRune(after) {
			continue // part of a longer word: "Annabelle" is not "Anna"
		}
		b.WriteString(s[last:l[0]])
		b.WriteString(p.byName[strings.ToLower(s[l[0]:l[1]])])
		last = l[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

func wordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r))
}

// fileName keeps the last element of a path, whatever its separators.
func fileName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// data rewrites the payload of the kinds that carry names, paths or free
// text; ok is false when the payload is unchanged.
func (p *pseudonyms) data(e Event) (json.RawMessage, bool) {
	var v any
	changed := false
	set := func(dst *string, s string) {
		if *dst != s {
			*dst, changed = s, true
		}
	}
	text := func(dst *string) { set(dst, p.text(*dst)) }
	switch e.Kind {
	case KindDocumentAdded:
		var d Document
		if !p.paths || e.Decode(&d) != nil {
			return nil, false
		}
		set(&d.Source, fileName(d.Source))
		v = &d
	case KindProposalAdded:
		var d Proposal
		if e.Decode(&d) != nil {
			return nil, false
		}
		if d.Origin.Kind == OriginHuman {
			set(&d.Origin.Name, p.actor(e.Actor).Name)
		}
		text(&d.Statement)
		v = &d
	case KindVoteCast, KindDecisionMade:
		var d VoteData
		if e.Decode(&d) != nil {
			return nil, false
		}
		text(&d.Note)
		text(&d.Statement)
		text(&d.Outcome)
		v = &d
	case KindDecisionReopened:
		var d ReopenData
		if e.Decode(&d) != nil {
			return nil, false
		}
		text(&d.Note)
		v = &d
	case KindPersonForgotten:
		var d Forget
		if e.Decode(&d) != nil {
			return nil, false
		}
		if alias, ok := p.byName[strings.ToLower(d.Name)]; ok {
			set(&d.Name, alias)
		} else {
			text(&d.Name)
		}
		if alias, ok := p.byFP[d.Fingerprint]; ok {
			set(&d.Fingerprint, alias)
		} else if d.Fingerprint != "" {
			set(&d.Fingerprint, "withdrawn")
		}
		v = &d
	case KindCommentAdded:
		var d CommentData
		if e.Decode(&d) != nil {
			return nil, false
		}
		text(&d.Text)
		v = &d
	default:
		return nil, false
	}
	if !changed {
		return nil, false // untouched payloads keep their bytes, and their hash
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	return raw, true
}

// PseudonymMap returns the pseudonym of each person of a trace as stored,
// by Actor.Key: the map every pseudonymised export and report of the
// session uses. No export holds it; the file's holder can rebuild it, and
// a test joins the plain and the pseudonymised exports through it.
func PseudonymMap(events []Event) map[string]string {
	return newPseudonyms(events, nil).byKey
}
