package sample

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
)

// Example is one link written by hand for the demo: a gold link with the rationale a careful
// reader would give, so that a stranger sees, beside the lexical proposer's links, what a good
// link with a statement and a quote looks like.
type Example struct {
	Gold
	// Statement is the rationale, one sentence in French.
	Statement string
}

// ExampleOrigin is the origin of every example proposal: kind "example", and a name that says,
// wherever an origin shows (the why pane, an export), that a person wrote it by hand for the
// demo and no model computed it.
var ExampleOrigin = review.Origin{Kind: review.OriginExample, Name: "written by hand for the demo (sample/examples.csv)"}

// examplesHeader is the exact header examples.csv must start with.
var examplesHeader = []string{"document", "criterion", "quote", "statement"}

// LoadExamples reads the embedded examples.csv. Each example's document, criterion and quote
// are those of a gold link (the strength comes from there), so that the demo's examples can
// never drift from the links retrieval is measured against.
func LoadExamples() ([]Example, error) {
	b, err := FS.ReadFile("examples.csv")
	if err != nil {
		return nil, fmt.Errorf("sample: open embedded examples.csv: %w", err)
	}
	gold, err := LoadGold()
	if err != nil {
		return nil, err
	}
	return parseExamples(strings.NewReader(string(b)), "examples.csv", gold)
}

// parseExamples reads examples in CSV from r and joins them to their gold links; name is only
// used in error messages, which give the line at fault.
func parseExamples(r io.Reader, name string, gold []Gold) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(examplesHeader)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w; expected the header %q", name, err, strings.Join(examplesHeader, ","))
	}
	for i, h := range examplesHeader {
		if header[i] != h {
			return nil, fmt.Errorf("%s:1: header is %q; expected %q", name, strings.Join(header, ","), strings.Join(examplesHeader, ","))
		}
	}
	var out []Example
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		ex := Example{Gold: Gold{Document: rec[0], Criterion: rec[1], Quote: rec[2]}, Statement: strings.TrimSpace(rec[3])}
		if ex.Statement == "" {
			return nil, fmt.Errorf("%s:%d: the statement is empty; write the rationale in one sentence", name, line)
		}
		found := false
		for _, g := range gold {
			if g.Document == ex.Document && g.Criterion == ex.Criterion && g.Quote == ex.Quote {
				ex.Strength, found = g.Strength, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%s:%d: no gold link of %s for %s has this quote; copy the quote from gold.csv exactly", name, line, ex.Document, ex.Criterion)
		}
		out = append(out, ex)
	}
}

// ExampleProposals returns the examples as proposals of st, a session made from this sample
// (as `revue demo` makes it): each is placed in the passage of its document that contains its
// quote exactly, with the quote's rune offsets. A document is recognised by the base name of
// its source ("sample/jardin.md" is jardin.md). Examples whose document, passage or criterion
// st lacks are left out, and so are those st already holds (same id), so that calling it again
// on a session that has them adds nothing. The ids are stable: a hash of document, criterion
// and quote.
//
// ExampleEvents makes the events that add them.
func ExampleProposals(st *review.State) []review.Proposal {
	examples, err := LoadExamples()
	if err != nil {
		// The embedded file is checked by the tests: this cannot happen in a
		// built binary.
		panic(err)
	}
	var out []review.Proposal
	for _, ex := range examples {
		p, ok := placeExample(st, ex)
		if !ok {
			continue
		}
		if _, exists := st.Proposal(p.ID); exists {
			continue
		}
		out = append(out, p)
	}
	return out
}

// ExampleEvents wraps ExampleProposals in the events that add them to the session named
// name, by actor at time at (the demo's system actor, when it creates the session). Each event
// id derives from its proposal's id, so that appending them twice is refused by the store's
// duplicate check rather than recorded twice.
func ExampleEvents(st *review.State, name string, actor review.Actor, at time.Time) []review.Event {
	var out []review.Event
	for _, p := range ExampleProposals(st) {
		out = append(out, review.MustEvent(name, "e-"+p.ID+"-proposal", at, actor, review.KindProposalAdded, p))
	}
	return out
}

// placeExample finds the passage of ex in st.
func placeExample(st *review.State, ex Example) (review.Proposal, bool) {
	if _, ok := st.Criterion(ex.Criterion); !ok {
		return review.Proposal{}, false
	}
	for _, d := range st.Documents {
		if path.Base(strings.ReplaceAll(d.Source, "\\", "/")) != ex.Document {
			continue
		}
		for _, pa := range d.Passages {
			i := strings.Index(pa.Text, ex.Quote)
			if i < 0 {
				continue
			}
			start := utf8.RuneCountInString(pa.Text[:i])
			conf := 0.9
			if ex.Strength == Partial {
				conf = 0.6
			}
			return review.Proposal{
				ID: exampleID(ex), Document: d.ID, Passage: pa.ID, Criterion: ex.Criterion,
				Statement: ex.Statement, Quote: ex.Quote, QuoteStart: start, QuoteEnd: start + utf8.RuneCountInString(ex.Quote),
				Confidence: conf, Origin: ExampleOrigin,
			}, true
		}
	}
	return review.Proposal{}, false
}

// exampleID is "x-" and the first 12 hex digits of the SHA-256 of document, criterion and quote.
func exampleID(ex Example) string {
	h := sha256.Sum256([]byte(ex.Document + "\x00" + ex.Criterion + "\x00" + ex.Quote))
	return "x-" + hex.EncodeToString(h[:6])
}

// ExampleCriteria returns a commented criteria file in Markdown to start from, in French for
// "fr" and in English otherwise: four criteria of the sample, and comments (everything before
// the first "##", which the criteria reader ignores) that explain the format.
// `revue init --example-criteria` writes it.
func ExampleCriteria(lang string) []byte {
	name := "example-criteria/en.md"
	if lang == "fr" {
		name = "example-criteria/fr.md"
	}
	b, err := FS.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("sample: embedded %s is missing: %v", name, err)) // checked by the tests
	}
	return b
}
