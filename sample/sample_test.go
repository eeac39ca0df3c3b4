package sample

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// criterionLine matches a criterion heading of criteria.md, "## C3 — Titre", the format the
// ordinary criteria importer reads.
var criterionLine = regexp.MustCompile(`^## (\S+) — (.+)$`)

// criterion is one parsed heading with its description, enough to check the file's shape.
type criterion struct{ id, title, description string }

// parseCriteria reads the "## ID — Title" headings and the paragraph under each.
func parseCriteria(t *testing.T, b []byte) []criterion {
	t.Helper()
	var out []criterion
	for line := range strings.Lines(string(b)) {
		line = strings.TrimRight(line, "\n")
		if m := criterionLine.FindStringSubmatch(line); m != nil {
			out = append(out, criterion{id: m[1], title: m[2]})
			continue
		}
		if strings.HasPrefix(line, "## ") {
			t.Errorf("criteria.md: heading %q does not read as \"## ID — Title\" (em dash)", line)
			continue
		}
		if len(out) > 0 && strings.TrimSpace(line) != "" {
			c := &out[len(out)-1]
			c.description = strings.TrimSpace(c.description + " " + line)
		}
	}
	return out
}

// loadDocs returns the embedded documents by file name.
func loadDocs(t *testing.T) map[string][]byte {
	t.Helper()
	names, err := fs.Glob(FS, "docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{}
	for _, n := range names {
		b, err := FS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		docs[path.Base(n)] = b
	}
	return docs
}

func loadGold(t *testing.T) []Gold {
	t.Helper()
	gold, err := LoadGold()
	if err != nil {
		t.Fatal(err)
	}
	return gold
}

// quoteProblems lists the gold links whose quote is not an exact byte substring of its
// document, exactly once, of 10 to 40 words. It is a function of its inputs so that a test can
// show it catches a document edited under a quote.
func quoteProblems(gold []Gold, docs map[string][]byte) []string {
	var probs []string
	for i, g := range gold {
		at := fmt.Sprintf("gold.csv row %d (%s, %s)", i+2, g.Document, g.Criterion)
		doc, ok := docs[g.Document]
		if !ok {
			probs = append(probs, fmt.Sprintf("%s: no document docs/%s", at, g.Document))
			continue
		}
		switch n := bytes.Count(doc, []byte(g.Quote)); n {
		case 1:
		case 0:
			probs = append(probs, fmt.Sprintf("%s: quote not found byte for byte in the document: %q", at, g.Quote))
		default:
			probs = append(probs, fmt.Sprintf("%s: quote occurs %d times, so its passage is ambiguous: %q", at, n, g.Quote))
		}
		if w := len(strings.Fields(g.Quote)); w < 10 || w > 40 {
			probs = append(probs, fmt.Sprintf("%s: quote has %d words; keep it between 10 and 40", at, w))
		}
	}
	return probs
}

func TestGoldQuotesOccurInTheirDocument(t *testing.T) {
	for _, p := range quoteProblems(loadGold(t), loadDocs(t)) {
		t.Error(p)
	}
}

// TestQuoteCheckCatchesEdits shows the check above is not vacuous: each way of editing a
// document under a quote (a changed apostrophe, a reflowed line, a deleted word) is reported.
func TestQuoteCheckCatchesEdits(t *testing.T) {
	gold := loadGold(t)
	g := gold[0]
	edits := []struct {
		name string
		edit func(string) string
	}{
		{"typographic apostrophe to straight", func(s string) string { return strings.ReplaceAll(s, "’", "'") }},
		{"straight apostrophe to typographic", func(s string) string { return strings.ReplaceAll(s, "'", "’") }},
		{"space to newline", func(s string) string { return strings.Replace(s, " ", "\n", 1) }},
		{"word removed", func(s string) string { f := strings.Fields(s); return strings.Join(f[1:], " ") }},
		{"accent removed", func(s string) string { return strings.NewReplacer("é", "e", "è", "e", "à", "a").Replace(s) }},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			// Pick a gold row the edit actually changes, and apply the edit to its quote
			// inside a copy of its document.
			for _, g = range gold {
				if e.edit(g.Quote) != g.Quote {
					break
				}
			}
			if e.edit(g.Quote) == g.Quote {
				t.Skipf("no gold quote is changed by %q", e.name)
			}
			docs := loadDocs(t)
			docs[g.Document] = bytes.Replace(docs[g.Document], []byte(g.Quote), []byte(e.edit(g.Quote)), 1)
			if probs := quoteProblems([]Gold{g}, docs); len(probs) == 0 {
				t.Errorf("editing docs/%s (%s) under the quote %q went unnoticed", g.Document, e.name, g.Quote)
			}
		})
	}
}

func TestGoldCriteriaExist(t *testing.T) {
	b, err := FS.ReadFile("criteria.md")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range parseCriteria(t, b) {
		ids[c.id] = true
	}
	for i, g := range loadGold(t) {
		if !ids[g.Criterion] {
			t.Errorf("gold.csv row %d: criterion %q is not a heading of criteria.md", i+2, g.Criterion)
		}
	}
}

func TestEveryCriterionIsLinkedFromSeveralDocuments(t *testing.T) {
	b, err := FS.ReadFile("criteria.md")
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]int{}
	docs := map[string]map[string]bool{}
	for _, g := range loadGold(t) {
		links[g.Criterion]++
		if docs[g.Criterion] == nil {
			docs[g.Criterion] = map[string]bool{}
		}
		docs[g.Criterion][g.Document] = true
	}
	for _, c := range parseCriteria(t, b) {
		if links[c.id] < 2 {
			t.Errorf("criterion %s has %d gold links; give it at least 2", c.id, links[c.id])
		}
		if len(docs[c.id]) < 2 {
			t.Errorf("criterion %s is linked from %d document(s); link it from at least 2", c.id, len(docs[c.id]))
		}
	}
}

func TestGoldShape(t *testing.T) {
	gold := loadGold(t)
	if n := len(gold); n < 30 || n > 45 {
		t.Errorf("gold.csv has %d links; the set is meant to hold 30 to 45", n)
	}
	seen := map[Gold]bool{}
	for i, g := range gold {
		if seen[g] {
			t.Errorf("gold.csv row %d repeats an earlier row", i+2)
		}
		seen[g] = true
	}
}

func TestCriteriaFile(t *testing.T) {
	b, err := FS.ReadFile("criteria.md")
	if err != nil {
		t.Fatal(err)
	}
	crit := parseCriteria(t, b)
	if len(crit) != 9 {
		t.Errorf("criteria.md has %d criteria; expected 9", len(crit))
	}
	seen := map[string]bool{}
	for i, c := range crit {
		if want := fmt.Sprintf("C%d", i+1); c.id != want {
			t.Errorf("criterion %d has id %q; expected %q", i+1, c.id, want)
		}
		if seen[c.id] {
			t.Errorf("criteria.md: id %s is used twice", c.id)
		}
		seen[c.id] = true
		if strings.TrimSpace(c.title) == "" {
			t.Errorf("criteria.md: %s has an empty title", c.id)
		}
		if c.description == "" {
			t.Errorf("criteria.md: %s has no description paragraph", c.id)
		}
	}
}

func TestDocuments(t *testing.T) {
	docs := loadDocs(t)
	if n := len(docs); n < 6 || n > 7 {
		t.Errorf("docs/ holds %d documents; expected 6 or 7", n)
	}
	for name, b := range docs {
		t.Run(name, func(t *testing.T) {
			if !utf8.Valid(b) {
				t.Fatalf("docs/%s is not valid UTF-8", name)
			}
			if !bytes.HasPrefix(b, []byte("# ")) {
				t.Errorf("docs/%s does not start with a \"# \" title", name)
			}
			if !bytes.Contains(b, []byte("\n## ")) {
				t.Errorf("docs/%s has no \"## \" section", name)
			}
			if w := len(strings.Fields(string(b))); w < 500 || w > 1100 {
				t.Errorf("docs/%s has %d words; keep it between 500 and 1100", name, w)
			}
			if bytes.ContainsRune(b, '\r') {
				t.Errorf("docs/%s has carriage returns; quotes are byte substrings, keep LF line ends", name)
			}
		})
	}
}

func TestWriteTo(t *testing.T) {
	dir := t.TempDir()
	// Write twice: the demo may run again in the same data directory.
	for range 2 {
		docs, criteria, err := WriteTo(dir)
		if err != nil {
			t.Fatal(err)
		}
		embedded := loadDocs(t)
		if len(docs) != len(embedded) {
			t.Fatalf("WriteTo returned %d documents; %d are embedded", len(docs), len(embedded))
		}
		for _, p := range docs {
			if filepath.Dir(p) != filepath.Join(dir, "docs") {
				t.Errorf("document %s was written outside %s/docs", p, dir)
			}
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, embedded[filepath.Base(p)]) {
				t.Errorf("%s differs from the embedded document", p)
			}
		}
		want, _ := FS.ReadFile("criteria.md")
		got, err := os.ReadFile(criteria)
		if err != nil {
			t.Fatal(err)
		}
		if criteria != filepath.Join(dir, "criteria.md") || !bytes.Equal(got, want) {
			t.Errorf("criteria written to %s do not match the embedded criteria.md", criteria)
		}
	}
}

func TestWriteToUnwritableDir(t *testing.T) {
	// A regular file where the directory should be makes MkdirAll fail, whatever the user.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := WriteTo(blocker)
	if err == nil || !strings.Contains(err.Error(), blocker) {
		t.Errorf("WriteTo(%s) = %v; want an error naming the path", blocker, err)
	}
}

func TestParseGold(t *testing.T) {
	const header = "document,criterion,quote,strength\n"
	tests := []struct {
		name, in string
		want     []Gold
		errHas   string
	}{
		{"header only", header, nil, ""},
		{"one row", header + `a.md,C1,"un, deux",strong` + "\n", []Gold{{"a.md", "C1", "un, deux", "strong"}}, ""},
		{"quote with newline", header + "a.md,C2,\"un\ndeux\",partial\n", []Gold{{"a.md", "C2", "un\ndeux", "partial"}}, ""},
		{"empty file", "", nil, "empty file"},
		{"columns swapped", "document,quote,criterion,strength\n", nil, "header"},
		{"bad strength", header + "a.md,C1,q,Strong\n", nil, "gold.csv:2: strength"},
		{"empty quote", header + "a.md,C1,,strong\n", nil, "gold.csv:2:"},
		{"missing field", header + "a.md,C1,q\n", nil, "wrong number of fields"},
		{"error names its line", header + "a.md,C1,q,strong\na.md,C1,q,weak\n", nil, "gold.csv:3:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseGold(strings.NewReader(tt.in), "gold.csv")
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("err = %v; want one containing %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

// FuzzParseGold checks that no input panics the parser and that whatever it accepts is a
// well-formed link.
func FuzzParseGold(f *testing.F) {
	b, err := FS.ReadFile("gold.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("document,criterion,quote,strength\n")
	f.Fuzz(func(t *testing.T, in string) {
		gold, err := parseGold(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			return
		}
		for _, g := range gold {
			if g.Document == "" || g.Criterion == "" || g.Quote == "" || (g.Strength != Strong && g.Strength != Partial) {
				t.Errorf("accepted a malformed link %+v", g)
			}
		}
	})
}
