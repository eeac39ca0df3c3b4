package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// corpusSession is a session of docs documents of several passages each,
// random words with accents, quotes and newlines; one in three is cut into
// a document.added and a document.passages event.
func corpusSession(session string, r *rand.Rand, docs int) []review.Event {
	words := []string{"assemblée", "règle", "\"quorum\"", "café", "commun", "vote\n", "l'accord", "🌱", "tour", "parole"}
	events := []review.Event{created(session, "created")}
	for i := range docs {
		id := fmt.Sprintf("%064x", i+1)
		d := review.Document{ID: id, Title: fmt.Sprintf("Doc %d", i), Source: fmt.Sprintf("d%d.md", i), SHA256: id, Format: "markdown"}
		start := 0
		for k := range 1 + r.IntN(6) {
			ws := make([]string, 1+r.IntN(200))
			for j := range ws {
				ws[j] = words[r.IntN(len(words))]
			}
			text := session + " " + strings.Join(ws, " ")
			n := len([]rune(text))
			d.Passages = append(d.Passages, review.Passage{ID: fmt.Sprintf("d%d-p%d", i, k+1), Document: id, Index: k + 1, Text: text, Start: start, End: start + n})
			start += n
		}
		d.Chars = start
		// One document in three is cut, as init writes a big one.
		all, first := d.Passages, len(d.Passages)
		if i%3 == 1 && first > 1 {
			first = 1 + r.IntN(first-1)
		}
		d.Passages = all[:first]
		events = append(events, review.MustEvent(session, "doc-"+id, base, sys, review.KindDocumentAdded, d))
		if first < len(all) {
			events = append(events, review.MustEvent(session, "doc-"+id+"-2", base, sys, review.KindDocumentPassages, review.DocumentPassages{Document: id, Passages: all[first:]}))
		}
	}
	return events
}

// leanState folds session as a served session does, with its text source.
func leanState(t *testing.T, s *Store, session string, report func(error)) (*review.State, *Texts) {
	t.Helper()
	st := review.NewState()
	if err := s.Each(context.Background(), session, st.ApplyLean); err != nil {
		t.Fatal(err)
	}
	src := s.Texts(session, report)
	st.SetText(src)
	return st, src
}

// Every passage's text read through the store equals the full fold's, in
// each of two sessions whose seqs are the same numbers, read from many
// goroutines at once (go test -race), through a cache that stays within
// its bound.
func TestTextsReadEveryPassage(t *testing.T) {
	s := openTemp(t)
	r := rand.New(rand.NewPCG(21, 7))
	for _, name := range []string{"a", "b"} {
		mustAppend(t, s, corpusSession(name, r, 30)...)
	}
	for _, name := range []string{"a", "b"} {
		full, err := review.Replay(mustReplay(t, s, name))
		if err != nil {
			t.Fatal(err)
		}
		lean, src := leanState(t, s, name, func(err error) { t.Errorf("read failed: %v", err) })
		src.max = 8 << 10 // a few documents, so that the reads evict
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for k := range lean.Documents {
					d := lean.Documents[(k+g)%len(lean.Documents)]
					for i := range d.Passages {
						p := &d.Passages[i]
						want, _ := full.Passage(p.ID)
						if p.Text != "" {
							t.Errorf("passage %s kept its text", p.ID)
						}
						if got, err := lean.ReadPassageText(p); err != nil || got != want.Text {
							t.Errorf("session %s passage %s reads %.40q, %v; want %.40q", name, p.ID, got, err, want.Text)
						}
					}
				}
			})
		}
		wg.Wait()
		events, bytes := src.cached()
		if bytes > src.max || events < 1 {
			t.Errorf("the cache holds %d events of %d bytes, bound %d", events, bytes, src.max)
		}
	}
}

// One event bigger than the bound is kept alone while it is read, so that
// the passages around a link (the source pane) do not decode it again.
func TestTextsBigEvent(t *testing.T) {
	s := openTemp(t)
	mustAppend(t, s, corpusSession("a", rand.New(rand.NewPCG(3, 4)), 4)...)
	lean, src := leanState(t, s, "a", nil)
	src.max = 10
	for _, d := range lean.Documents {
		for i := range d.Passages {
			lean.PassageText(&d.Passages[i])
		}
		if events, _ := src.cached(); events != 1 {
			t.Errorf("the cache holds %d events past its bound, want the last one read", events)
		}
	}
}

// A read that fails (here the store closed) shows the sentence in both
// languages on a screen, gives an export the error, and is reported once,
// not at every frame.
func TestTextsReadError(t *testing.T) {
	s := openTemp(t)
	mustAppend(t, s, corpusSession("a", rand.New(rand.NewPCG(5, 6)), 3)...)
	var reported []error
	lean, _ := leanState(t, s, "a", func(err error) { reported = append(reported, err) })
	first := &lean.Documents[0].Passages[0]
	want := lean.PassageText(first)
	if want == review.TextUnreadable || !strings.HasPrefix(want, "a ") {
		t.Fatalf("passage read as %q before the close", want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := lean.PassageText(first); got != want {
		t.Errorf("a cached passage reads %q after the close, want %q", got, want)
	}
	p := &lean.Documents[2].Passages[0]
	for range 3 {
		if got := lean.PassageText(p); got != review.TextUnreadable {
			t.Errorf("a screen reads %q from a closed store, want the sentence", got)
		}
	}
	if _, err := lean.ReadPassageText(p); !errors.Is(err, ErrClosed) {
		t.Errorf("an export reads with %v, want ErrClosed", err)
	}
	if len(reported) != 1 {
		t.Errorf("%d reports of the same failure, want 1: %v", len(reported), reported)
	}
}

// A passage the event does not hold (a trace changed behind the server's
// back) is an error that names it, not an empty passage.
func TestTextsMissingPassage(t *testing.T) {
	s := openTemp(t)
	mustAppend(t, s, corpusSession("a", rand.New(rand.NewPCG(5, 6)), 2)...)
	src := s.Texts("a", nil)
	if _, err := src.PassageText(2, "nowhere"); err == nil || !strings.Contains(err.Error(), `"nowhere"`) {
		t.Errorf("a missing passage reads with %v", err)
	}
	if _, err := src.PassageText(99, "d0-p1"); err == nil || !strings.Contains(err.Error(), "event 99") {
		t.Errorf("a missing event reads with %v", err)
	}
}

// cached reports the events and bytes the cache holds.
func (t *Texts) cached() (events, bytes int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lru.Len(), t.size
}

// BenchmarkTextsHit is what a screen pays to read a passage's text that the
// cache holds, from 2 goroutines at once as screens do: the lock, the map
// lookups, the move to the front.
func BenchmarkTextsHit(b *testing.B) {
	s := openTemp(b)
	mustAppend(b, s, corpusSession("a", rand.New(rand.NewPCG(1, 1)), 20)...)
	src := s.Texts("a", nil)
	if _, err := src.PassageText(5, "d3-p1"); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := src.PassageText(5, "d3-p1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTextsMiss is a read of an event the cache does not hold: the
// SELECT and the decoding of a document of 7,800 bytes (the 18,000-pad
// session's size).
func BenchmarkTextsMiss(b *testing.B) {
	s := openTemp(b)
	text := strings.Repeat("la coopérative décide ensemble des règles. ", 180)
	d := review.Document{ID: "d", Title: "Pad", Source: "pad.md", SHA256: strings.Repeat("0", 64), Format: "markdown"}
	for k := range 8 {
		d.Passages = append(d.Passages, review.Passage{ID: fmt.Sprintf("d-p%d", k), Document: "d", Index: k, Text: text[k*975 : (k+1)*975]})
	}
	mustAppend(b, s, created("a", "created"), review.MustEvent("a", "doc-d", base, sys, review.KindDocumentAdded, d))
	src := s.Texts("a", nil)
	src.max = 0 // nothing kept but the last event: evicted at every read of another
	for b.Loop() {
		src.keep(&textEvent{seq: 99}) // push event 2 out
		if _, err := src.PassageText(2, "d-p3"); err != nil {
			b.Fatal(err)
		}
	}
}
