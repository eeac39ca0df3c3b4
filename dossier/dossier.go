// Package dossier writes what a session found as a document for people:
// per criterion the statements the group kept with their quotes and
// sources, an overview with a criteria × documents matrix, and an annex
// that says what the machine did and how to check the dossier against the
// trace. It reads a session's events and writes HTML (one self-contained
// file with a print stylesheet), Markdown or OpenDocument text; it does no
// other I/O and knows nothing of SQL or terminals.
//
// People are not named unless asked (Options.Names), and then only those
// who agreed to the session's consent text; people who withdrew never
// appear, since the dossier is built from the trace with their events left
// out (review.Withdraw), as every export is.
package dossier

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// Formats lists the dossier's formats, the default first.
var Formats = []string{"html", "md", "odt"}

// Options choose what a dossier shows and how.
type Options struct {
	Lang            string // "fr" (the default) or "en"
	IncludeRejected bool   // also list the links the group rejected, apart
	Names           bool   // name the people who consented to be named
	// Checkpoint is the trace's signed head that the command recorded for
	// this dossier, when it could sign one: the annex prints its receipt
	// code, key and signature, so that a reader can check the dossier
	// against the trace (`revue verify NAME --receipt CODE`).
	Checkpoint *review.Checkpoint
}

// Dossier is a session's results as the documents show them, in no
// language yet: the writers put it into words.
type Dossier struct {
	Lang            string
	Session         string
	Created         time.Time
	Head            string // the hash of the stored trace's last event
	Checkpoint      *review.Checkpoint
	IncludeRejected bool
	Names           bool

	Documents []*Doc
	Chapters  []Chapter
	Figures   review.Figures
	Kept      int // links accepted or rephrased
	Shares    Shares
	People    People
	Annex     Annex
}

// Doc is a document as the dossier cites it.
type Doc struct {
	ID     string
	Title  string
	Source string // the file's name, or the whole address of a pad
	Kept   []int  // kept links per criterion, in the chapters' order
}

// Chapter is one criterion with its evidence.
type Chapter struct {
	review.Criterion
	Links    []Link // kept: accepted or rephrased, in the trace's order
	Rejected []Link // only with Options.IncludeRejected
	Pending  int    // links still to be decided
}

// How says how a kept link came to be.
type How int

// The ways a link is kept.
const (
	AsProposed How = iota // the group accepted the proposer's wording
	Reworded              // the group chose another wording
	Created               // a person created the link during the session
)

// Link is one link as a chapter shows it.
type Link struct {
	ID         string
	Statement  string // the statement in force; the proposed one for a rejected link
	Proposed   string // the wording first proposed, when the group reworded it
	Quote      string
	QuoteFound bool // false: the proposer's quote is not in the passage, and is not shown as one
	Doc        *Doc
	Page       int
	Section    string
	Origin     review.Origin
	Negative   bool // the model had answered "no link"
	How        How
	Status     review.Status
	// Votes are the participants' votes in force; the facilitator's seal
	// is not one of them.
	Voters, Accept, Rephrase, Reject, Skip int
	WordingBy                              string // who wrote the kept wording, when named
	Outcome                                string
	Reason, Note                           string // a rejection's reason, and its text for "other"
	SealedAt                               time.Time
}

// Shares count the kept links by how they came to be. Negatives are the
// links the group kept where the model had answered "no link".
type Shares struct {
	AsProposed, Reworded, Created, Negatives, Examples int
}

// People count who took part; Named lists those named (Options.Names).
type People struct {
	Participants, Facilitators int
	Withdrawn                  int
	Consented                  int
	Named                      []string
}

// Model is one model the proposer used, as the runs recorded it.
type Model struct {
	Name, Digest, Ollama string
}

// Annex is what the machine did, for the transparency annex.
type Annex struct {
	Models         []Model
	Lexical        bool // the lexical proposer ran (no model)
	PromptVersions []string
	Runs, Pairs    int
	Calls          int
	Tokens         int64
	ModelTime      time.Duration
	EnergyWh       float64
	Energy         review.EnergyFigures
	Proposed       int            // links the machine proposed (model or lexical), negatives apart
	Negatives      int            // sampled "no link" answers shown to people
	Rejected       int            // machine proposals the group rejected
	Reasons        map[string]int // their reasons
	Pending        int            // links nobody decided
}

// Build makes the dossier of a session from its events as stored. The
// events are not changed.
func Build(events []review.Event, opt Options) (*Dossier, error) {
	lang := opt.Lang
	if lang == "" {
		lang = "fr"
	}
	if lang != "fr" && lang != "en" {
		return nil, fmt.Errorf("language %q: use fr or en", opt.Lang)
	}
	d := &Dossier{Lang: lang, Checkpoint: opt.Checkpoint, IncludeRejected: opt.IncludeRejected, Names: opt.Names}
	if n := len(events); n > 0 {
		d.Head = events[n-1].Hash
	}
	kept, withdrawals := review.Withdraw(slices.Clone(events))
	addresses := padAddresses(kept)
	// Every person becomes P1, P2... in actors and in free text, as the
	// export's --pseudonymize does; those who consented get their name
	// back below when names are asked for.
	pseudo := review.Pseudonymize(kept)
	real := map[string]review.Actor{} // pseudonymized Key → the real actor
	for i := range pseudo {
		if pseudo[i].Actor != kept[i].Actor {
			real[pseudo[i].Actor.Key()] = kept[i].Actor
		}
	}
	st, err := review.Replay(pseudo)
	if err != nil {
		return nil, err
	}
	d.Session, d.Created = clean(st.Name), st.CreatedAt
	d.Figures = review.Report(st)
	d.People.Withdrawn = len(withdrawals)

	names := map[string]string{} // pseudonym → name, of the people named
	for key, agreed := range st.Consent.Answers {
		if !agreed {
			continue
		}
		if a, ok := real[key]; ok {
			d.People.Consented++
			if opt.Names {
				alias, _, _ := strings.Cut(key, "\x00")
				names[alias] = clean(a.Name)
			}
		}
	}
	for _, n := range names {
		d.People.Named = append(d.People.Named, n)
	}
	slices.SortFunc(d.People.Named, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) })
	say := nameRestorer(names)
	who := func(a review.Actor) string {
		if n, ok := names[a.Name]; ok {
			return n
		}
		return ""
	}

	d.People.Participants, d.People.Facilitators = countPeople(st.Events)

	byDoc := map[string]*Doc{}
	for _, doc := range st.Documents {
		src := fileName(doc.Source)
		if a, ok := addresses[doc.ID]; ok {
			src = a
		}
		dd := &Doc{ID: doc.ID, Title: clean(doc.Title), Source: clean(src), Kept: make([]int, len(st.Criteria))}
		d.Documents = append(d.Documents, dd)
		byDoc[doc.ID] = dd
	}
	chapter := map[string]int{}
	for i, c := range st.Criteria {
		chapter[c.ID] = i
		d.Chapters = append(d.Chapters, Chapter{Criterion: review.Criterion{ID: clean(c.ID), Title: clean(c.Title), Description: clean(c.Description)}})
	}
	d.Annex.Reasons = map[string]int{}
	versions := map[string]bool{}
	for _, p := range st.Proposals {
		machine := p.Origin.Kind == review.OriginModel || p.Origin.Kind == review.OriginLexical
		if pv := p.Origin.Provenance; pv != nil && pv.PromptVersion != "" && !versions[pv.PromptVersion] {
			versions[pv.PromptVersion] = true
			d.Annex.PromptVersions = append(d.Annex.PromptVersions, clean(pv.PromptVersion))
		}
		if machine {
			if p.Negative {
				d.Annex.Negatives++
			} else {
				d.Annex.Proposed++
			}
		}
		if p.Status == review.Pending {
			d.Annex.Pending++
			if i, ok := chapter[p.Criterion]; ok {
				d.Chapters[i].Pending++
			}
			continue
		}
		if p.Status == review.Rejected && machine {
			d.Annex.Rejected++
			if p.Decision != nil {
				d.Annex.Reasons[p.Decision.Reason]++
			}
		}
		kept := p.Status == review.Accepted || p.Status == review.Rephrased
		if !kept && !(opt.IncludeRejected && p.Status == review.Rejected) {
			continue
		}
		i, ok := chapter[p.Criterion]
		if !ok {
			continue
		}
		pa, _ := st.Passage(p.Passage)
		l := Link{ID: p.ID, Statement: say(p.Final), Quote: clean(p.Quote), QuoteFound: p.QuoteStart >= 0,
			Doc: byDoc[p.Document], Origin: p.Origin, Negative: p.Negative, Status: p.Status, Outcome: say(p.Outcome)}
		if pa != nil {
			l.Page, l.Section = pa.Page, clean(pa.Section)
		}
		if l.Origin.Kind == review.OriginHuman {
			l.Origin.Name = who(review.Actor{Name: l.Origin.Name})
		} else {
			l.Origin.Name = clean(l.Origin.Name)
		}
		switch {
		case p.Origin.Kind == review.OriginHuman:
			l.How = Created
		case p.Status == review.Rephrased:
			l.How = Reworded
		default:
			l.How = AsProposed
		}
		if p.Status == review.Rephrased {
			l.Proposed = say(p.Statement)
			l.WordingBy = who(p.FinalAuthor)
		}
		if dec := p.Decision; dec != nil {
			l.SealedAt = dec.At
			l.Reason, l.Note = dec.Reason, say(dec.Note)
		}
		// Current holds the participants' votes in force only (Vote.Counts):
		// no decision, no facilitator's or system's vote.
		for _, v := range p.Current() {
			l.Voters++
			switch v.Verdict {
			case review.Accept:
				l.Accept++
			case review.Rephrase:
				l.Rephrase++
			case review.Reject:
				l.Reject++
			case review.Skip:
				l.Skip++
			}
		}
		if !kept {
			l.Statement = say(p.Statement)
			d.Chapters[i].Rejected = append(d.Chapters[i].Rejected, l)
			continue
		}
		d.Kept++
		if l.Doc != nil {
			l.Doc.Kept[i]++
		}
		switch {
		case p.Origin.Kind == review.OriginExample:
			d.Shares.Examples++
		case p.Negative:
			d.Shares.Negatives++
		case l.How == Created:
			d.Shares.Created++
		case l.How == Reworded:
			d.Shares.Reworded++
		default:
			d.Shares.AsProposed++
		}
		d.Chapters[i].Links = append(d.Chapters[i].Links, l)
	}
	a := &d.Annex
	a.Runs, a.Energy = len(st.Runs), d.Figures.Energy
	a.Calls, a.Tokens, a.ModelTime, a.EnergyWh = d.Figures.Calls, d.Figures.Tokens, d.Figures.ModelTime, d.Figures.EnergyWh
	for _, r := range st.Runs {
		a.Pairs += r.Pairs
		if r.Mode == review.OriginLexical {
			a.Lexical = true
			continue
		}
		m := Model{Name: clean(r.Model), Digest: clean(r.ModelDigest), Ollama: clean(r.OllamaVersion)}
		if m.Name != "" && !slices.Contains(a.Models, m) {
			a.Models = append(a.Models, m)
		}
	}
	for _, p := range st.Proposals {
		if p.Origin.Kind == review.OriginLexical {
			a.Lexical = true
		}
	}
	return d, nil
}

// Write writes the dossier in one of Formats.
func (d *Dossier) Write(w io.Writer, format string) error {
	switch format {
	case "html", "":
		return d.WriteHTML(w)
	case "md":
		return d.WriteMarkdown(w)
	case "odt":
		return d.WriteODT(w)
	}
	return fmt.Errorf("unknown dossier format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// Matrix returns the documents that hold at least one kept link, in the
// session's order: the rows of the overview's matrix (a corpus of 18,000
// pads has far more documents than any page can show).
func (d *Dossier) Matrix() []*Doc {
	var rows []*Doc
	for _, doc := range d.Documents {
		for _, n := range doc.Kept {
			if n > 0 {
				rows = append(rows, doc)
				break
			}
		}
	}
	return rows
}

// countPeople counts who took part: a person who did anything beyond
// joining, leaving and answering the consent text, once, as a facilitator
// if they ever acted as one. Facilitators are counted apart: their seal is
// a decision, not a vote.
func countPeople(events []review.Event) (participants, facilitators int) {
	role := map[string]review.Role{}
	for _, e := range events {
		switch e.Kind {
		case review.KindParticipantJoin, review.KindParticipantLeft, review.KindConsentAnswered:
			continue
		}
		a := e.Actor
		if a.Role != review.Participant && a.Role != review.Facilitator {
			continue
		}
		if role[a.Key()] != review.Facilitator {
			role[a.Key()] = a.Role
		}
	}
	for _, r := range role {
		if r == review.Facilitator {
			facilitators++
		} else {
			participants++
		}
	}
	return participants, facilitators
}

// padAddresses finds the documents whose source is an address (a pad read
// from its server) rather than a file: those are cited whole, where a
// file is cited by its name only (a path names its owner's home).
func padAddresses(events []review.Event) map[string]string {
	out := map[string]string{}
	for _, e := range events {
		if e.Kind != review.KindDocumentAdded || !bytes.Contains(e.Data, []byte("://")) {
			continue
		}
		var d struct {
			ID     string `json:"id"`
			Source string `json:"source"`
		}
		if json.Unmarshal(e.Data, &d) == nil && strings.Contains(d.Source, "://") {
			out[d.ID] = d.Source
		}
	}
	return out
}

// fileName keeps the last element of a path, whatever its separators.
func fileName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// clean removes from a text from outside (documents, the machine, people)
// what could act on a terminal, since the dossier may be written to one,
// and what XML cannot hold: the sanitizer every such text passes.
func clean(s string) string { return sanitize.Text(s) }

var pseudonym = regexp.MustCompile(`\bP[0-9]+\b`)

// nameRestorer cleans a free text and gives back in it the names of the
// people who consented to be named: the pseudonyms the text was given
// stand for them.
func nameRestorer(names map[string]string) func(string) string {
	return func(s string) string {
		s = clean(s)
		if len(names) == 0 {
			return s
		}
		return pseudonym.ReplaceAllStringFunc(s, func(p string) string {
			if n, ok := names[p]; ok {
				return n
			}
			return p
		})
	}
}
