package review

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// writtenNames lists every name the formats write for the research
// session (JSON keys of the export, of jsonl and of the annotations, the
// CSV and votes columns, the qdpx elements and attributes) and every
// property the JSON Schema declares. The keys of two maps are data, not
// fields: withdrawals[].removed (event kinds) and provenance.options (the
// model's options, Ollama's names).
func writtenNames(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	var walk func(parent string, v any, schema bool)
	walk = func(parent string, v any, schema bool) {
		switch v := v.(type) {
		case map[string]any:
			if schema {
				if p, ok := v["properties"].(map[string]any); ok {
					for k := range p {
						names[k] = true
					}
				}
			}
			for k, x := range v {
				if !schema {
					if parent == "removed" || parent == "options" {
						continue
					}
					names[k] = true
				}
				walk(k, x, schema)
			}
		case []any:
			for _, x := range v {
				walk(parent, x, schema)
			}
		}
	}
	b, err := os.ReadFile("../schema/revue.export.v3.json")
	if err != nil {
		t.Fatal(err)
	}
	var s any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	walk("", s, true)
	events := researchTrace(t).events
	for _, format := range []string{"json", "annotations"} {
		for _, pseudo := range []bool{false, true} {
			var v any
			if err := json.Unmarshal(export(t, events, format, pseudo), &v); err != nil {
				t.Fatal(err)
			}
			walk("", v, false)
		}
	}
	for _, line := range bytes.Split(export(t, events, "jsonl", false), []byte("\n")) {
		var v any
		if json.Unmarshal(line, &v) == nil {
			walk("", v, false)
		}
	}
	for _, h := range append(slices.Clone(CSVHeader), VotesHeader...) {
		names[h] = true
	}
	q := export(t, events, "qdpx", false)
	z, err := zip.NewReader(bytes.NewReader(q), int64(len(q)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, ".qde") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				names[se.Name.Local] = true
				for _, a := range se.Attr {
					names[a.Name.Local] = true
				}
			}
		}
	}
	return names
}

// TestCodebookNamesEveryField keeps docs/codebook.md's field index equal to
// what the formats write, in both halves: a field a format writes that the
// index does not describe fails, and so does an entry no format writes.
func TestCodebookNamesEveryField(t *testing.T) {
	b, err := os.ReadFile("../docs/codebook.md")
	if err != nil {
		t.Fatal(err)
	}
	written := writtenNames(t)
	entry := regexp.MustCompile("(?m)^- `([^`]+)` — \\S")
	for _, half := range []struct{ lang, heading string }{{"fr", "### Index des champs"}, {"en", "### Field index"}} {
		_, rest, ok := strings.Cut(string(b), half.heading)
		if !ok {
			t.Fatalf("no %q in the codebook", half.heading)
		}
		if i := strings.Index(rest, "\n## "); i >= 0 {
			rest = rest[:i]
		}
		indexed := map[string]bool{}
		for _, m := range entry.FindAllStringSubmatch(rest, -1) {
			indexed[m[1]] = true
			if !written[m[1]] {
				t.Errorf("%s: the index describes `%s`, which no format writes", half.lang, m[1])
			}
		}
		for n := range written {
			if !indexed[n] {
				t.Errorf("%s: `%s` is written but not in the field index", half.lang, n)
			}
		}
	}
}

// TestArmRecipeAsWritten recomputes the codebook's worked example of the
// random draw with ConditionsFor: seed 42, bruno without a key, origin
// shown, confidence hidden.
func TestArmRecipeAsWritten(t *testing.T) {
	st := &State{Conditions: Conditions{Random: &Random{Seed: 42, Factors: []string{FactorOrigin, FactorConfidence}}}}
	c := st.ConditionsFor(Actor{Name: "bruno"})
	if c.HideOrigin || !c.HideConfidence {
		t.Fatalf("seed 42, bruno: %+v; the codebook says origin shown, confidence hidden", c)
	}
}

// TestVoteCountRecipeAsWritten applies the codebook's recipe for counting
// votes in the votes table (row = vote, role = participant, in_force =
// true) and finds the report's count, while in_force alone, which is true
// on the facilitator's seals too, finds more.
func TestVoteCountRecipeAsWritten(t *testing.T) {
	b, err := os.ReadFile("../docs/codebook.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(b)), " ")
	for _, recipe := range []string{
		"gardez les lignes `row` = `vote`, `role` = `participant` et `in_force` = `true`",
		"keep the rows `row` = `vote`, `role` = `participant` and `in_force` = `true`",
	} {
		if !strings.Contains(text, recipe) {
			t.Errorf("the codebook does not say %q", recipe)
		}
	}
	tr := researchTrace(t)
	tr.add("fac-vote", rAnna, KindVoteCast, VoteData{Proposal: "P3", Verdict: Accept})
	recipe, inForce, facilitator := 0, 0, 0
	for _, r := range csvRows(t, export(t, tr.events, "votes", false)) {
		if r["in_force"] != "true" {
			continue
		}
		inForce++
		if r["role"] == "facilitator" {
			facilitator++
		}
		if r["row"] == "vote" && r["role"] == "participant" {
			recipe++
		}
	}
	f, err := ReportTrace(tr.events)
	if err != nil {
		t.Fatal(err)
	}
	if recipe == 0 || recipe != f.Votes {
		t.Errorf("the recipe counts %d votes, the report %d", recipe, f.Votes)
	}
	if facilitator == 0 || inForce <= recipe {
		t.Errorf("in_force alone counts %d rows (%d of the facilitator), the recipe %d: the trace does not show why the recipe filters", inForce, facilitator, recipe)
	}
}
