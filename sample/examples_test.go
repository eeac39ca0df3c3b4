package sample_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
)

// demoState builds the sample session as `revue demo` does: the embedded files written out,
// read by the ordinary importer, documents' sources named sample/NAME.
func demoState(t *testing.T) *review.State {
	t.Helper()
	docs, criteria, err := sample.WriteTo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	res := corpus.Import(docs, criteria, corpus.Options{})
	if len(res.Problems) > 0 {
		t.Fatalf("import the sample: %v", res.Problems)
	}
	sys := review.Actor{Name: "revue", Role: review.System}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	events := []review.Event{review.MustEvent("demo", "session", at, sys, review.KindSessionCreated, review.SessionCreated{Name: "demo"})}
	for _, d := range res.Documents {
		d.Source = filepath.Join("sample", filepath.Base(d.Source))
		events = append(events, review.MustEvent("demo", "doc-"+d.ID, at, sys, review.KindDocumentAdded, d))
	}
	for _, c := range res.Criteria {
		events = append(events, review.MustEvent("demo", "crit-"+c.ID, at, sys, review.KindCriterionAdded, c))
	}
	for i := range events {
		events[i].Seq = int64(i + 1)
	}
	st, err := review.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestExampleProposalsQuoteTheirPassage(t *testing.T) {
	examples, err := sample.LoadExamples()
	if err != nil {
		t.Fatal(err)
	}
	st := demoState(t)
	props := sample.ExampleProposals(st)
	if len(props) != len(examples) || len(props) < 9 {
		t.Fatalf("%d example proposals placed of %d examples (want all, and at least one per criterion)", len(props), len(examples))
	}
	crits := map[string]bool{}
	ids := map[string]bool{}
	for _, p := range props {
		pa, ok := st.Passage(p.Passage)
		if !ok {
			t.Fatalf("%s: passage %s is not in the session", p.ID, p.Passage)
		}
		if n := strings.Count(pa.Text, p.Quote); n != 1 {
			t.Errorf("%s: the quote occurs %d times in passage %s, want exactly once: %q", p.ID, n, pa.ID, p.Quote)
		}
		runes := []rune(pa.Text)
		if p.QuoteStart < 0 || p.QuoteEnd > len(runes) || string(runes[p.QuoteStart:p.QuoteEnd]) != p.Quote {
			t.Errorf("%s: offsets %d-%d do not frame the quote %q", p.ID, p.QuoteStart, p.QuoteEnd, p.Quote)
		}
		if p.Origin.Kind != review.OriginExample || !strings.Contains(p.Origin.Name, "by hand") {
			t.Errorf("%s: origin %+v, want kind example, named as written by hand", p.ID, p.Origin)
		}
		if s := p.Statement; !strings.HasSuffix(s, ".") || strings.Count(s, ". ") > 0 || utf8.RuneCountInString(s) > 200 {
			t.Errorf("%s: statement %q is not one sentence", p.ID, s)
		}
		if ids[p.ID] {
			t.Errorf("id %s twice", p.ID)
		}
		ids[p.ID] = true
		crits[p.Criterion] = true
	}
	if len(crits) != len(st.Criteria) {
		t.Errorf("examples cover %d criteria of %d", len(crits), len(st.Criteria))
	}

	// Added to the session, they replay, and asking again adds nothing.
	at := time.Date(2026, 12, 1, 9, 1, 0, 0, time.UTC)
	events := sample.ExampleEvents(st, "demo", review.Actor{Name: "revue", Role: review.System}, at)
	if len(events) != len(props) {
		t.Fatalf("%d events for %d proposals", len(events), len(props))
	}
	for i, e := range events {
		e.Seq = int64(len(st.Events) + 1)
		if err := st.Apply(e); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if again := sample.ExampleProposals(st); len(again) != 0 {
		t.Errorf("a session holding the examples gets %d more", len(again))
	}
}

func TestExamplesAreGoldLinks(t *testing.T) {
	b, err := sample.FS.ReadFile("examples.csv")
	if err != nil {
		t.Fatal(err)
	}
	// A quote edited by one character is no longer a gold link: refused, with its line.
	edited := strings.Replace(string(b), "boulevard Carnot\"", "boulevard Carno\"", 1)
	if edited == string(b) {
		t.Fatal("the first example no longer ends with boulevard Carnot: update this test")
	}
	err = sample.ParseExamples(strings.NewReader(edited))
	if err == nil || !strings.Contains(err.Error(), "examples.csv:2:") {
		t.Fatalf("edited quote: err = %v, want a refusal naming examples.csv:2", err)
	}
	if err := sample.ParseExamples(strings.NewReader(string(b))); err != nil {
		t.Fatal(err)
	}
}

func TestExampleCriteria(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			b := sample.ExampleCriteria(lang)
			path := filepath.Join(t.TempDir(), "criteres.md")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			cs, probs := corpus.ReadCriteria(path)
			if len(probs) > 0 {
				t.Fatalf("problems: %v", probs)
			}
			if len(cs) != 4 {
				t.Fatalf("%d criteria, want 4: %+v", len(cs), cs)
			}
			for i, c := range cs {
				if c.ID != "C"+string(rune('1'+i)) || c.Title == "" || c.Description == "" || len(c.Keywords) < 4 {
					t.Errorf("criterion %d = %+v", i, c)
				}
				// The comments explain the format: none of them may leak
				// into a description.
				if strings.Contains(c.Description, "revue") || strings.Contains(c.Description, "`") {
					t.Errorf("%s: a comment leaked into the description: %q", c.ID, c.Description)
				}
			}
			if !strings.Contains(string(b), "## ID — ") || !strings.Contains(string(b), "revue init") {
				t.Error("the comments do not explain the heading format and how to use the file")
			}
		})
	}
	if string(sample.ExampleCriteria("fr")) == string(sample.ExampleCriteria("en")) {
		t.Error("French and English example criteria are the same file")
	}
}
