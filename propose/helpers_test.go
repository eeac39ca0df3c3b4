package propose

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/propose/ollamafake"
	"github.com/coopdescommuns/revue/review"
)

const (
	testModel  = "qwen3:4b"
	testDigest = "sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
	testEmbed  = "bge-m3:latest"
)

// newFake starts a fake Ollama with the judge and embedding models pulled.
func newFake(t testing.TB) *ollamafake.Server {
	t.Helper()
	f := ollamafake.New(ollamafake.Model{Name: testModel, Digest: testDigest},
		ollamafake.Model{Name: testEmbed, Digest: "sha256:e1e2e3"})
	t.Cleanup(f.Close)
	return f
}

// testConfig points a config at fake servers, with a fixed clock and
// pauses that are recorded instead of slept.
type pauses struct {
	mu sync.Mutex
	d  []time.Duration
}

func (p *pauses) sleep(ctx context.Context, d time.Duration) error {
	p.mu.Lock()
	p.d = append(p.d, d)
	p.mu.Unlock()
	return ctx.Err()
}

func (p *pauses) all() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Duration(nil), p.d...)
}

func testConfig(p *pauses, urls ...string) Config {
	clock := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	return Config{
		Hosts:       urls,
		CallTimeout: 20 * time.Second,
		now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			clock = clock.Add(time.Second)
			return clock
		},
		sleep:       p.sleep,
		backoffBase: time.Second,
	}
}

// doc is a test document: a title and its passages' texts.
type doc struct {
	id, title string
	passages  []string
}

// newState builds a session with documents and criteria, through events as
// `revue init` would.
func newState(t testing.TB, docs []doc, criteria []review.Criterion) *review.State {
	t.Helper()
	return newStateLang(t, docs, criteria, "")
}

// newStateLang is newState for a session created in a language.
func newStateLang(t testing.TB, docs []doc, criteria []review.Criterion, lang string) *review.State {
	t.Helper()
	st, err := review.Replay(sessionEvents(docs, criteria, lang))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// sessionEvents is the trace newStateLang folds.
func sessionEvents(docs []doc, criteria []review.Criterion, lang string) []review.Event {
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	sys := review.Actor{Name: "revue init", Role: review.System}
	evs := []review.Event{review.MustEvent("s", "e-created", at, sys, review.KindSessionCreated, review.SessionCreated{Name: "s", Language: lang})}
	for _, d := range docs {
		rd := review.Document{ID: d.id, Title: d.title, Source: d.id + ".md", SHA256: d.id, Format: "md"}
		off := 0
		for i, text := range d.passages {
			n := len([]rune(text))
			rd.Passages = append(rd.Passages, review.Passage{ID: fmt.Sprintf("%s-%d", d.id, i), Document: d.id,
				Index: i, Text: text, Start: off, End: off + n, Section: fmt.Sprintf("§%d", i+1)})
			off += n + 2
		}
		evs = append(evs, review.MustEvent("s", "e-doc-"+d.id, at, sys, review.KindDocumentAdded, rd))
	}
	for _, c := range criteria {
		evs = append(evs, review.MustEvent("s", "e-crit-"+c.ID, at, sys, review.KindCriterionAdded, c))
	}
	for i := range evs {
		evs[i].Seq = int64(i + 1)
	}
	return evs
}

// trace is a sink that keeps events and applies them to a state, as the
// store and a replay would.
type trace struct {
	mu     sync.Mutex
	st     *review.State
	events []review.Event
	calls  int
	most   int // the largest batch handed over
	fail   func(n int) error
}

func (tr *trace) sink(evs []review.Event) error {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.calls++
	tr.most = max(tr.most, len(evs))
	if tr.fail != nil {
		if err := tr.fail(tr.calls); err != nil {
			return err
		}
	}
	for _, e := range evs {
		if err := tr.st.Apply(e); err != nil {
			return err
		}
		tr.events = append(tr.events, e)
	}
	return nil
}

func (tr *trace) kinds() map[review.Kind]int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	m := map[review.Kind]int{}
	for _, e := range tr.events {
		m[e.Kind]++
	}
	return m
}

func (tr *trace) judged(t testing.TB) []review.PairJudged {
	t.Helper()
	var out []review.PairJudged
	for _, e := range tr.events {
		if e.Kind == review.KindPairJudged {
			var j review.PairJudged
			if err := e.Decode(&j); err != nil {
				t.Fatal(err)
			}
			out = append(out, j)
		}
	}
	return out
}

// promptParts reads back the criterion id and the passage from a judge
// prompt, as a model would see them.
func promptParts(user string) (criterion, passage string) {
	_, rest, _ := strings.Cut(user, passageMarkOpen+"\n")
	passage, rest, _ = strings.Cut(rest, "\n"+passageMarkClose+"\n\nCritère ")
	criterion, _, _ = strings.Cut(rest, " ")
	return criterion, passage
}

// keywordJudge is a fake model: a passage is relevant to a criterion when
// it contains the criterion's keyword, and the quote is the sentence that
// holds it, copied exactly.
func keywordJudge(keywords map[string]string) func(ollamafake.Call) string {
	return func(c ollamafake.Call) string {
		crit, passage := promptParts(c.User)
		kw := keywords[crit]
		if kw == "" || !strings.Contains(passage, kw) {
			return answerJSON(Answer{Relevant: false, Confidence: 0.1})
		}
		quote := passage
		for _, s := range strings.SplitAfter(passage, ". ") {
			if strings.Contains(s, kw) {
				quote = strings.TrimSpace(s)
				break
			}
		}
		return answerJSON(Answer{Quote: quote, Statement: "Le passage parle de " + kw + ".", Relevant: true, Confidence: 0.8})
	}
}

func answerJSON(a Answer) string {
	b, err := json.Marshal(a)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// corpus is a small French corpus for the run tests.
var (
	testDocs = []doc{
		{id: "jardin", title: "Jardin partagé", passages: []string{
			"Les règles d'arrosage ont été votées en assemblée. Chaque adhérent a pu donner son avis avant le vote.",
			"La cabane à outils est ouverte le samedi. Les clés sont chez la présidente.",
			"Un conflit entre voisins a été réglé par une médiation rapide. Personne n'a quitté le jardin.",
		}},
		{id: "repair", title: "Repair café", passages: []string{
			"Les bénévoles transmettent leurs savoirs aux nouveaux venus. La documentation des réparations est publiée en ligne.",
			"La mairie reconnaît l'association et lui prête une salle. Les règles de la salle sont fixées par l'association.",
			"Le café est offert. Les gâteaux sont faits maison.",
		}},
	}
	testCriteria = []review.Criterion{
		{ID: "C3", Title: "Décider ensemble des règles", Description: "Les personnes concernées par les règles participent à leur élaboration, par un vote ou un avis."},
		{ID: "C6", Title: "Régler les conflits simplement", Description: "Des moyens rapides, comme la médiation, traitent les conflits entre membres."},
		{ID: "C9", Title: "Transmettre les savoirs", Description: "Les savoirs et la documentation sont partagés et transmis aux nouveaux."},
	}
	testKeywords = map[string]string{"C3": "vote", "C6": "médiation", "C9": "transmettent"}
)

func isKind[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}
