package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// passagesDocument is a document of the given passages' texts.
func passagesDocument(texts ...string) Document {
	d := Document{ID: docSHA, SHA256: docSHA, Title: "Charte", Source: "docs/charte.md", Format: "markdown"}
	at := 0
	for i, text := range texts {
		n := len([]rune(text))
		d.Passages = append(d.Passages, Passage{ID: fmt.Sprintf("0123456789ab-p%d", i+1), Document: docSHA, Index: i + 1, Text: text, Start: at, End: at + n, Section: "Section " + fmt.Sprint(i%3)})
		at += n + 1
	}
	if texts != nil {
		d.Chars = at
	}
	return d
}

// encodeEvents is the events of a session of one document encoded with
// EncodeDocument under limit, one criterion, a proposal on the last
// passage and a vote, as init and a workshop write them.
func encodeEvents(t *testing.T, d Document, limit int) []Event {
	t.Helper()
	tr := &trace{t: t}
	tr.add("s", sys, KindSessionCreated, SessionCreated{Name: "atelier"})
	part := 0
	err := EncodeDocument(&d, limit, func(k Kind, data json.RawMessage) error {
		part++
		id := "doc-" + d.SHA256
		if part > 1 {
			id += fmt.Sprintf("-%d", part)
		}
		tr.events = append(tr.events, Event{Session: "atelier", Seq: int64(len(tr.events) + 1), At: t0, ID: id, Actor: sys, Kind: k, Data: data})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The same times whatever the number of document events, so that
	// only the sequence numbers differ.
	add := func(id string, a Actor, k Kind, data any) {
		e := tr.add(id, a, k, data)
		tr.events[len(tr.events)-1].At = e.At.Add(-time.Duration(part) * time.Second)
	}
	add("c1", sys, KindCriterionAdded, Criterion{ID: "C1", Title: "Règles", Description: "Les règles."})
	if n := len(d.Passages); n > 0 {
		add("p1", sys, KindProposalAdded, Proposal{ID: "P1", Document: d.ID, Passage: d.Passages[n-1].ID, Criterion: "C1",
			Statement: "Le passage illustre le critère.", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.5, Origin: Origin{Kind: OriginLexical, Name: "lexical"}})
		add("v1", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept})
	}
	return tr.events
}

// TestEncodeDocumentIsMarshal: a document that fits in one event is
// json.Marshal's bytes, as documents were before they could be cut.
func TestEncodeDocumentIsMarshal(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  Document
	}{
		{"no passage", passagesDocument()},
		{"empty passages slice", Document{ID: "d", Passages: []Passage{}}},
		{"one passage", passagesDocument("Bonjour.")},
		{"escapes", passagesDocument("ligne\nligne\t« guillemets » \"quoted\" \\ <b>&amp;</b>", "\u2028\u2029 \x00\x1f", "invalide \xff\xfe fin", "")},
		{"many passages", passagesDocument(strings.Split(strings.Repeat("Une phrase, œuvre déjà faite.\n", 300), "\n")...)},
	} {
		want, err := json.Marshal(tc.doc)
		if err != nil {
			t.Fatal(err)
		}
		var got [][]byte
		err = EncodeDocument(&tc.doc, DocumentEventBytes, func(k Kind, data json.RawMessage) error {
			if k != KindDocumentAdded {
				t.Errorf("%s: a %s event", tc.name, k)
			}
			got = append(got, data)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) != 1 || !bytes.Equal(got[0], want) {
			t.Errorf("%s: payloads differ from json.Marshal:\n got %q\nwant %s", tc.name, got, want)
		}
	}
}

// TestEncodeDocumentCuts checks the events of a document too big for one:
// each under the bound, in order, each document.passages payload what
// json.Marshal gives, and folded, the same document as one event gives,
// every passage found by its ID in the document's own array.
func TestEncodeDocumentCuts(t *testing.T) {
	d := passagesDocument(strings.Split(strings.Repeat("Les membres décident « ensemble » des règles.\n", 400), "\n")...)
	const limit = 4 << 10
	events := encodeEvents(t, d, limit)
	var kinds []Kind
	for _, e := range events {
		if !documentEvent(e.Kind) {
			continue
		}
		kinds = append(kinds, e.Kind)
		if len(e.Data) > limit {
			t.Errorf("%s: %d bytes, more than %d", e.ID, len(e.Data), limit)
		}
		if e.Kind == KindDocumentPassages {
			var p DocumentPassages
			if err := json.Unmarshal(e.Data, &p); err != nil {
				t.Fatal(err)
			}
			if again, _ := json.Marshal(p); !bytes.Equal(again, e.Data) {
				t.Errorf("%s: payload is not json.Marshal's", e.ID)
			}
		}
	}
	if len(kinds) < 5 || kinds[0] != KindDocumentAdded || kinds[1] != KindDocumentPassages {
		t.Fatalf("kinds %v: want a document.added then several document.passages", kinds)
	}
	whole := encodeEvents(t, d, 1<<30)
	if len(whole) != len(events)-len(kinds)+1 {
		t.Fatalf("the whole document is not one event: %d events", len(whole))
	}
	one, cut := replay(t, whole), replay(t, events)
	if !reflect.DeepEqual(one.Documents, cut.Documents) {
		t.Fatalf("the cut document folds differently")
	}
	doc := cut.Documents[0]
	for i := range doc.Passages {
		if p, ok := cut.Passage(doc.Passages[i].ID); !ok || p != &doc.Passages[i] {
			t.Fatalf("passage %s is not indexed in the document's array", doc.Passages[i].ID)
		}
	}
}

// TestCutDocumentExportsTheSame exports a session whose document is cut
// and the same session written as one event: every format that writes no
// trace gives the same bytes, json the same documents and proposals; and
// each, lean as `revue export` does it (the text read from the store), the
// bytes it gives from the whole trace.
func TestCutDocumentExportsTheSame(t *testing.T) {
	d := passagesDocument(strings.Split(strings.Repeat("Le compost est retourné chaque mois, « à la main ».\n", 300), "\n")...)
	cut, whole := encodeEvents(t, d, 3<<10), encodeEvents(t, d, 1<<30)
	for _, format := range Formats {
		for _, pseudo := range []bool{false, true} {
			a, b := export(t, cut, format, pseudo), export(t, whole, format, pseudo)
			if lean := leanExport(t, cut, format, pseudo); !bytes.Equal(lean, a) {
				t.Errorf("%s (pseudonyms %v): the lean export differs", format, pseudo)
			}
			switch format {
			case "jsonl":
				continue
			case "votes":
				// The votes' sequence numbers count the document's events.
				a, b = dropColumn(a, 1), dropColumn(b, 1)
			case "json":
				var x, y struct {
					Documents, Proposals json.RawMessage
				}
				if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
					t.Fatal("json export unreadable")
				}
				// The votes' sequence numbers count the document's events.
				seq := regexp.MustCompile(`"seq": *[0-9]+`)
				a = seq.ReplaceAll(append(x.Documents, x.Proposals...), nil)
				b = seq.ReplaceAll(append(y.Documents, y.Proposals...), nil)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s (pseudonyms %v): the cut document exports differently", format, pseudo)
			}
		}
	}
}

// dropColumn removes column i of a CSV text whose fields hold no comma.
func dropColumn(csv []byte, i int) []byte {
	var out []string
	for _, line := range strings.Split(string(csv), "\n") {
		f := strings.Split(line, ",")
		if len(f) > i {
			f = append(f[:i], f[i+1:]...)
		}
		out = append(out, strings.Join(f, ","))
	}
	return []byte(strings.Join(out, "\n"))
}

// TestDocumentPassagesFold lists what the fold refuses in document.passages,
// each after a document.added of two passages (p1, p2).
func TestDocumentPassagesFold(t *testing.T) {
	p := func(n, index int) Passage {
		return Passage{ID: fmt.Sprintf("0123456789ab-p%d", n), Document: docSHA, Index: index, Text: "Texte."}
	}
	other := p(3, 3)
	other.Document = strings.Repeat("b", 64)
	for _, tc := range []struct {
		name string
		data DocumentPassages
		want string // in the error; "" accepts
	}{
		{"next passages", DocumentPassages{Document: docSHA, Passages: []Passage{p(3, 3), p(4, 4)}}, ""},
		{"unknown document", DocumentPassages{Document: strings.Repeat("c", 64), Passages: []Passage{p(3, 3)}}, "was not added"},
		{"passage of another document", DocumentPassages{Document: docSHA, Passages: []Passage{other}}, "belongs to document"},
		{"passage already in document.added", DocumentPassages{Document: docSHA, Passages: []Passage{p(2, 3)}}, "added twice"},
		{"passage twice in the event", DocumentPassages{Document: docSHA, Passages: []Passage{p(3, 3), p(3, 4)}}, "given twice"},
		{"index skipped", DocumentPassages{Document: docSHA, Passages: []Passage{p(3, 4)}}, "where 3 comes next"},
		{"index backwards", DocumentPassages{Document: docSHA, Passages: []Passage{p(3, 3), p(4, 3)}}, "where 4 comes next"},
		{"no passage", DocumentPassages{Document: docSHA}, "no passage"},
		{"passage without id", DocumentPassages{Document: docSHA, Passages: []Passage{{Document: docSHA, Index: 3}}}, "has no id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := sampleTrace(t)
			st := replay(t, tr.events)
			e := tr.add("more", sys, KindDocumentPassages, tc.data)
			checked, err := st.Check(e), st.Apply(e)
			if (checked == nil) != (err == nil) {
				t.Fatalf("Check says %v, Apply %v", checked, err)
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			case tc.want != "":
				if d, _ := st.Document(docSHA); len(d.Passages) != 2 || st.HasEvent("more") {
					t.Fatalf("a refused event changed the state")
				}
				return
			}
			d, _ := st.Document(docSHA)
			if len(d.Passages) != 4 {
				t.Fatalf("%d passages, want 4", len(d.Passages))
			}
			for i := range d.Passages {
				if q, ok := st.Passage(d.Passages[i].ID); !ok || q != &d.Passages[i] {
					t.Fatalf("passage %s not indexed", d.Passages[i].ID)
				}
			}
		})
	}
}

// TestEncodeDocumentProperty: any document, cut under any bound, folds to
// the document itself, and its events, joined, hold its passages once.
func TestEncodeDocumentProperty(t *testing.T) {
	words := strings.Fields("la coopérative décide ensemble « des règles » et chacun peut en proposer la révision œuvre déjà \"été\" <b> & \n")
	for seed := uint64(1); seed <= 100; seed++ {
		rng := rand.New(rand.NewPCG(seed, 18))
		var texts []string
		for range rng.IntN(60) {
			var b strings.Builder
			for range 1 + rng.IntN(80) {
				b.WriteString(words[rng.IntN(len(words))] + " ")
			}
			texts = append(texts, b.String())
		}
		d := passagesDocument(texts...)
		limit := 200 + rng.IntN(4000)
		st := replay(t, encodeEvents(t, d, limit))
		got, ok := st.Document(d.ID)
		if !ok {
			t.Fatalf("seed %d: no document", seed)
		}
		if !reflect.DeepEqual(*got, d) && !(len(d.Passages) == 0 && len(got.Passages) == 0) {
			t.Fatalf("seed %d (bound %d): the document folds differently", seed, limit)
		}
	}
}

// FuzzEncodeDocument checks the cut on any passages' text and any bound:
// under a bound the document fits in, one payload, json.Marshal's bytes;
// under any, the events fold to the document.
func FuzzEncodeDocument(f *testing.F) {
	f.Add("Bonjour.", "ligne\n« été »", "<&>", 10)
	f.Fuzz(func(t *testing.T, a, b, c string, limit int) {
		d := passagesDocument(a+"x", b+"y", c+"z")
		want, err := json.Marshal(d)
		if err != nil {
			t.Skip()
		}
		var parts [][]byte
		collect := func(k Kind, data json.RawMessage) error { parts = append(parts, data); return nil }
		if err := EncodeDocument(&d, len(want), collect); err != nil || len(parts) != 1 || !bytes.Equal(parts[0], want) {
			t.Fatalf("payloads %q differ from json.Marshal %q (%v)", parts, want, err)
		}
		var back Document // the text as JSON keeps it (invalid UTF-8 replaced)
		if err := json.Unmarshal(want, &back); err != nil {
			t.Fatal(err)
		}
		st := replay(t, encodeEvents(t, d, limit%(len(want)+1)))
		if got, _ := st.Document(d.ID); got == nil || !reflect.DeepEqual(got.Passages, back.Passages) {
			t.Fatalf("bound %d: the document folds differently", limit)
		}
	})
}

// TestServedCutDocument loads a cut document as a served session does
// (ApplyServed): the same document as Replay folds, and no event keeps
// its passages.
func TestServedCutDocument(t *testing.T) {
	d := passagesDocument(strings.Split(strings.Repeat("Le compost est retourné chaque mois.\n", 200), "\n")...)
	events := encodeEvents(t, d, 2<<10)
	st := NewState()
	for _, e := range events {
		if err := st.ApplyServed(e); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(st.Documents, replay(t, events).Documents) {
		t.Fatal("served and replayed documents differ")
	}
	for _, e := range st.Events {
		if documentEvent(e.Kind) && bytes.Contains(e.Data, []byte("passages")) {
			t.Errorf("%s (%s) keeps its passages: %.80s", e.ID, e.Kind, e.Data)
		}
	}
}
