package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// eventTexts is a TextSource over a trace held in memory: what the store's
// Texts does, without the store.
type eventTexts struct {
	events map[int64]Event
	reads  int
	err    error
}

func (t *eventTexts) PassageText(seq int64, passage string) (string, error) {
	t.reads++
	if t.err != nil {
		return "", t.err
	}
	var d struct {
		Passages []Passage `json:"passages"`
	}
	if err := json.Unmarshal(t.events[seq].Data, &d); err != nil {
		return "", err
	}
	for _, p := range d.Passages {
		if p.ID == passage {
			return p.Text, nil
		}
	}
	return "", fmt.Errorf("no passage %s in event %d", passage, seq)
}

// randomCorpusSession is a session of several documents of several
// passages each, some cut into document.passages events (text with accents, quotes, newlines, sometimes a page or a
// section), criteria, proposals on random passages, votes and comments.
func randomCorpusSession(r *rand.Rand) []Event {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var events []Event
	add := func(id string, a Actor, k Kind, data any) {
		at = at.Add(time.Second)
		e := MustEvent("s", id, at, a, k, data)
		e.Seq = int64(len(events) + 1)
		events = append(events, e)
	}
	system := Actor{Name: "revue", Role: System}
	add("session", system, KindSessionCreated, SessionCreated{Name: "s"})
	words := []string{"assemblée", "règle", "\"quorum\"", "café", "commun", "vote\n", "l'accord", "🌱", "tour", "parole"}
	var passages []Passage
	for i := range 1 + r.IntN(6) {
		id := fmt.Sprintf("%064x", i+1)
		d := Document{ID: id, Title: fmt.Sprintf("Doc %d", i), Source: fmt.Sprintf("d%d.md", i), SHA256: id, Format: "markdown"}
		start := 0
		for k := range 1 + r.IntN(5) {
			ws := make([]string, 1+r.IntN(30))
			for j := range ws {
				ws[j] = words[r.IntN(len(words))]
			}
			text := strings.Join(ws, " ")
			n := len([]rune(text))
			p := Passage{ID: fmt.Sprintf("d%d-p%d", i, k+1), Document: id, Index: k + 1, Text: text, Start: start, End: start + n}
			switch r.IntN(3) {
			case 0:
				p.Page = 1 + r.IntN(9)
			case 1:
				p.Section = "Section " + words[r.IntN(len(words))]
			}
			start += n + 1
			d.Passages = append(d.Passages, p)
		}
		d.Chars = start
		passages = append(passages, d.Passages...)
		if r.IntN(2) == 0 {
			add("doc-"+id, system, KindDocumentAdded, d)
			continue
		}
		// Cut as init cuts a big document: document.passages events.
		part := 0
		EncodeDocument(&d, 100+r.IntN(600), func(k Kind, data json.RawMessage) error {
			part++
			at = at.Add(time.Second)
			events = append(events, Event{Session: "s", Seq: int64(len(events) + 1), At: at, ID: fmt.Sprintf("doc-%s-%d", id, part), Actor: system, Kind: k, Data: data})
			return nil
		})
	}
	add("criterion-C1", system, KindCriterionAdded, Criterion{ID: "C1", Title: "Règles", Description: "Des règles."})
	anna := Actor{Name: "anna", Role: Participant}
	for i := range r.IntN(8) {
		pa := passages[r.IntN(len(passages))]
		pid := fmt.Sprintf("p%d", i)
		add(pid, system, KindProposalAdded, Proposal{ID: pid, Document: pa.Document, Passage: pa.ID, Criterion: "C1", Statement: "Énoncé " + pid, Confidence: 0.5, Origin: Origin{Kind: OriginLexical, Name: "lexical"}})
		if r.IntN(2) == 0 {
			add(pid+"-v", anna, KindVoteCast, VoteData{Proposal: pid, Verdict: Accept})
		}
		if r.IntN(3) == 0 {
			add(pid+"-c", anna, KindCommentAdded, CommentData{Proposal: pid, Text: "d'accord"})
		}
	}
	return events
}

// A lean fold is the full fold without the passages' text, and every
// passage's text read through its source is the full fold's: the property
// over random sessions of several documents.
func TestApplyLeanIsTheFullFold(t *testing.T) {
	for seed := range uint64(200) {
		events := randomCorpusSession(rand.New(rand.NewPCG(seed, 21)))
		full, err := Replay(events)
		if err != nil {
			t.Fatal(err)
		}
		full.DropDocumentPayloads()
		lean := NewState()
		for _, e := range events {
			if err := lean.ApplyLean(e); err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
		}
		src := &eventTexts{events: map[int64]Event{}}
		for _, e := range events {
			src.events[e.Seq] = e
		}
		lean.SetText(src)
		for _, d := range lean.Documents {
			for i := range d.Passages {
				p := &d.Passages[i]
				if p.Text != "" {
					t.Fatalf("seed %d: passage %s kept its text in a lean fold", seed, p.ID)
				}
				want, _ := full.Passage(p.ID)
				if got := lean.PassageText(p); got != want.Text {
					t.Fatalf("seed %d: passage %s reads %q, the full fold has %q", seed, p.ID, got, want.Text)
				}
				if pp, _ := lean.Passage(p.ID); pp != p {
					t.Fatalf("seed %d: the index of passage %s is not the document's passage", seed, p.ID)
				}
				// What is left once the text is back is the full fold.
				p.Text, p.seq = want.Text, 0
			}
		}
		lean.text = nil
		if !reflect.DeepEqual(full, lean) {
			t.Fatalf("seed %d: the lean fold differs from the full one beyond the passages' text", seed)
		}
	}
}

// A state folded whole reads its passages' text without any source, and a
// snapshot shares the source of the state it was taken from.
func TestPassageTextSources(t *testing.T) {
	events := randomCorpusSession(rand.New(rand.NewPCG(1, 2)))
	full, err := Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	pa := &full.Documents[0].Passages[0]
	if got := full.PassageText(pa); got != pa.Text || got == "" {
		t.Errorf("a full fold reads %q, want %q", got, pa.Text)
	}
	lean := NewState()
	for _, e := range events {
		if err := lean.ApplyLean(e); err != nil {
			t.Fatal(err)
		}
	}
	lp := &lean.Documents[0].Passages[0]
	if _, err := lean.ReadPassageText(lp); !errors.Is(err, ErrNoTextSource) {
		t.Errorf("a lean fold without a source reads with %v, want ErrNoTextSource", err)
	}
	if got := lean.PassageText(lp); got != TextUnreadable {
		t.Errorf("a screen reads %q without a source, want the sentence", got)
	}
	src := &eventTexts{events: map[int64]Event{}, err: errors.New("disk I/O error")}
	for _, e := range events {
		src.events[e.Seq] = e
	}
	lean.SetText(src)
	snap := lean.Snapshot()
	if got := snap.PassageText(lp); got != TextUnreadable {
		t.Errorf("a failed read shows %q, want the sentence", got)
	}
	if _, err := snap.ReadPassageText(lp); err == nil || !strings.Contains(err.Error(), "disk I/O") {
		t.Errorf("an export reads with %v, want the disk's error", err)
	}
	src.err = nil
	if got := snap.PassageText(lp); got != pa.Text {
		t.Errorf("the snapshot reads %q through its state's source, want %q", got, pa.Text)
	}
}

// A lean fold refuses what the full fold refuses in a passage's text (a
// number where a string belongs), and takes a null as the full fold does.
func TestApplyLeanChecksTheText(t *testing.T) {
	for _, tc := range []struct {
		text string
		ok   bool
	}{{`12`, false}, {`{"a":1}`, false}, {`null`, true}, {`"ok \" \u00e9"`, true}} {
		at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		created := MustEvent("s", "c", at, Actor{Name: "revue", Role: System}, KindSessionCreated, SessionCreated{Name: "s"})
		created.Seq = 1
		doc := Event{Session: "s", Seq: 2, ID: "d", At: at, Actor: Actor{Name: "revue", Role: System}, Kind: KindDocumentAdded,
			Data: []byte(`{"id":"d","title":"T","source":"t.md","sha256":"d","format":"markdown","chars":2,"passages":[{"id":"p","document":"d","index":1,"text":` + tc.text + `,"start":0,"end":2}]}`)}
		full, lean := NewState(), NewState()
		for _, e := range []Event{created, doc} {
			errFull, errLean := full.Apply(e), lean.ApplyLean(e)
			if (errFull == nil) != (errLean == nil) {
				t.Errorf("text %s: the full fold says %v, the lean one %v", tc.text, errFull, errLean)
			}
			if e.Seq == 2 && (errLean == nil) != tc.ok {
				t.Errorf("text %s: lean fold error %v, want ok=%v", tc.text, errLean, tc.ok)
			}
		}
	}
}
