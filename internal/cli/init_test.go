package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

// collectEvents gathers the events of a session's creation.
func collectEvents(tb testing.TB, seq iter.Seq2[review.Event, error]) []review.Event {
	tb.Helper()
	var events []review.Event
	for e, err := range seq {
		if err != nil {
			tb.Fatal(err)
		}
		events = append(events, e)
	}
	return events
}

// writeProse writes a text file of about size bytes of French-like prose in
// paragraphs (accents, œ, « ? ! … »), the same for the same seed.
func writeProse(t testing.TB, path string, size int, seed uint64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	words := strings.Fields("la coopérative décide ensemble des règles et chacun peut en proposer la révision œuvre déjà été membres assemblée générale « conseil » bénévoles adhérents projet commun ressources partagées gouvernance mandat transparence confiance où ça être très jardin atelier quartier école énergie")
	rng := rand.New(rand.NewPCG(seed, 18))
	n := 0
	put := func(s string) { w.WriteString(s); n += len(s) }
	for n < size {
		for s := range 2 + rng.IntN(7) {
			if s > 0 {
				put(" ")
			}
			for k := range 6 + rng.IntN(18) {
				if k > 0 {
					put(" ")
				}
				word := words[rng.IntN(len(words))]
				if k == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				put(word)
			}
			put([]string{".", ".", " ?", " !", "…"}[rng.IntN(5)])
		}
		put("\n\n")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeCriteria writes a criteria file of two criteria and returns its path.
func writeCriteria(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "criteres.md")
	text := "# Critères\n\n## C1 — Participation\nLes membres participent aux décisions.\n\n## C2 — Transparence\nLes comptes sont publics.\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestInitCutsABigDocument runs `revue init` on a text too big for one
// event under a small bound: the document is written as a document.added
// and several document.passages events, each under the bound, that verify,
// fold to the document corpus reads, and export as the same document
// written as one event does; and the same with the text read again from
// its file as it is written, as init reads a large one.
func TestInitCutsABigDocument(t *testing.T) {
	for _, later := range []bool{false, true} {
		t.Run(fmt.Sprintf("read later %v", later), func(t *testing.T) {
			if later {
				// Its passages read again from the file as they are
				// written (corpus.Later), not held.
				defer func(old int64) { corpus.LargeTextBytes = old }(corpus.LargeTextBytes)
				corpus.LargeTextBytes = 1 << 10
			}
			initCutsABigDocument(t)
		})
	}
}

func initCutsABigDocument(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "enorme.txt")
	writeProse(t, path, 300<<10, 1)
	criteria := writeCriteria(t, dir)
	const bound = 16 << 10
	defer func(old int) { documentEventBytes = old }(documentEventBytes)
	documentEventBytes = bound
	if code, out, errs := revue(t, data, "init", "big", "--criteria", criteria, path); code != 0 {
		t.Fatalf("init: %d\n%s\n%s", code, out, errs)
	}
	st, err := store.Open(filepath.Join(data, "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	events, err := st.Replay(context.Background(), "big")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := corpus.ReadDocument(path, corpus.Options{MaxPassageRunes: 1200})
	if err != nil {
		t.Fatal(err)
	}
	var cut []review.Event
	for _, e := range events {
		if e.Kind == review.KindDocumentAdded || e.Kind == review.KindDocumentPassages {
			cut = append(cut, e)
			want := "doc-" + doc.SHA256
			if len(cut) > 1 {
				want += fmt.Sprintf("-%d", len(cut))
			}
			if e.ID != want || len(e.Data) > bound {
				t.Errorf("event %d: id %s, %d bytes; want id %s, at most %d bytes", e.Seq, e.ID, len(e.Data), want, bound)
			}
			if (len(cut) == 1) != (e.Kind == review.KindDocumentAdded) {
				t.Errorf("event %d is a %s", e.Seq, e.Kind)
			}
		}
	}
	if len(cut) < 10 {
		t.Fatalf("%d document events for a 300 KB text under %d bytes each", len(cut), bound)
	}
	if code, out, errs := revue(t, data, "verify", "big"); code != 0 || !strings.Contains(out, "chain and file intact") {
		t.Fatalf("verify: %d\n%s\n%s", code, out, errs)
	}

	// The same session with the document as one event, as init wrote it
	// before a document could be cut.
	whole, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var one []review.Event
	for _, e := range events {
		switch {
		case e.ID == cut[0].ID:
			e.Data = whole
		case e.Kind == review.KindDocumentPassages:
			continue
		}
		e.Seq, e.Hash = int64(len(one)+1), ""
		one = append(one, e)
	}
	a, err := review.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := a.Document(doc.ID)
	if folded, _ := json.Marshal(got); !bytes.Equal(folded, whole) {
		t.Fatal("the cut document does not fold to the document corpus reads")
	}
	for _, format := range review.Formats {
		var x, y bytes.Buffer
		if err := review.Export(&x, events, format, false); err != nil {
			t.Fatal(err)
		}
		if err := review.Export(&y, one, format, false); err != nil {
			t.Fatal(err)
		}
		switch format {
		case "jsonl":
			continue
		case "json":
			if exportDocuments(t, x.Bytes()) != exportDocuments(t, y.Bytes()) {
				t.Errorf("json: the documents differ")
			}
			continue
		}
		if !bytes.Equal(x.Bytes(), y.Bytes()) {
			t.Errorf("%s: the cut document exports differently", format)
		}
	}
	// The command line's export, which releases the payloads as it goes.
	out := filepath.Join(dir, "big.json")
	if code, _, errs := revue(t, data, "export", "big", "-o", out); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var y bytes.Buffer
	if err := review.Export(&y, one, "json", false); err != nil {
		t.Fatal(err)
	}
	if exportDocuments(t, b) != exportDocuments(t, y.Bytes()) {
		t.Errorf("revue export: the documents differ from the one-event session's")
	}
}

// exportDocuments is the documents of a JSON export.
func exportDocuments(t *testing.T, export []byte) string {
	t.Helper()
	var doc struct{ Documents json.RawMessage }
	if err := json.Unmarshal(export, &doc); err != nil {
		t.Fatal(err)
	}
	return string(doc.Documents)
}
