package room

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// The people of the workshop.
var (
	sysActor = review.Actor{Name: "revue", Role: review.System}
	claire   = review.Actor{Name: "Claire", Fingerprint: "SHA256:claire", Role: review.Facilitator}
	malik    = review.Actor{Name: "Malik", Fingerprint: "SHA256:malik", Role: review.Participant}
	zoe      = review.Actor{Name: "Zoé", Role: review.Participant}
	salle    = review.Actor{Name: "Salle", Role: review.Spectator}
)

// t0 is the fixed clock of every test: the workshop's events happen before
// it, the wall is drawn at it.
var t0 = time.Date(2026, 11, 29, 14, 0, 0, 0, time.UTC)

const (
	passage1 = "Cette année, les règles du jardin ont été revues en assemblée. Chaque membre pouvait proposer une modification au tableau d'affichage pendant un mois, puis l'assemblée de juin a voté les changements à la majorité des deux tiers. Les nouveaux arrivants reçoivent le règlement avec la clé du portail, et une marraine leur explique le fonctionnement des parcelles collectives. Les outils sont rangés dans l'abri commun ; un cahier permet de noter qui les emprunte."
	quote1   = "l'assemblée de juin a voté les changements à la majorité des deux tiers"
	quote2   = "Les nouveaux arrivants reçoivent le règlement avec la clé du portail"
	passage2 = "Les bénévoles de l'atelier tiennent un wiki où chaque réparation est documentée avec des photos. Les nouveaux bénévoles sont accompagnés pendant leurs trois premières permanences. Le wiki est sous licence libre et d'autres ateliers l'ont repris."
)

// runeSpan returns the rune offsets of quote in text, as the proposer does.
func runeSpan(t testing.TB, text, quote string) (int, int) {
	t.Helper()
	i := strings.Index(text, quote)
	if i < 0 {
		t.Fatalf("fixture: %q not in passage", quote)
	}
	s := utf8.RuneCountInString(text[:i])
	return s, s + utf8.RuneCountInString(quote)
}

// workshop builds a session's trace one event at a time, each five
// seconds after the one before, ending before t0.
type workshop struct {
	t   testing.TB
	evs []review.Event
	at  time.Time
}

// fixture is a small session: two documents, three criteria, four
// proposals, one of them with a quote its passage does not contain.
func fixture(t testing.TB) *workshop {
	return fixtureWith(t, fixtureTexts{})
}

// fixtureTexts replaces parts of the fixture, to try long or hostile text.
type fixtureTexts struct {
	session, docTitle, critTitle, critDesc, statement, passage, quote string
}

func fixtureWith(t testing.TB, x fixtureTexts) *workshop {
	t.Helper()
	or := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	text1 := or(x.passage, passage1)
	q1 := or(x.quote, quote1)
	qs1, qe1 := -1, -1
	if strings.Contains(text1, q1) {
		qs1, qe1 = runeSpan(t, text1, q1)
	}
	qs2, qe2 := -1, -1
	if strings.Contains(text1, quote2) {
		qs2, qe2 = runeSpan(t, text1, quote2)
	}
	w := &workshop{t: t, at: t0.Add(-2 * time.Hour)}
	name := or(x.session, "atelier-communs")
	w.add(sysActor, review.KindSessionCreated, review.SessionCreated{Name: name})
	for _, d := range []review.Document{
		{ID: "d1", Title: or(x.docTitle, "Rapport d'activité 2019 — Jardin des Lilas"), Source: "lilas-2019.pdf", SHA256: "d1", Format: "pdf",
			Passages: []review.Passage{{ID: "d1p1", Document: "d1", Text: text1, Page: 4}}},
		{ID: "d2", Title: "Atelier vélo — compte rendu", Source: "velo.md", SHA256: "d2", Format: "md",
			Passages: []review.Passage{{ID: "d2p1", Document: "d2", Text: passage2, Section: "Transmission"}}},
	} {
		w.add(sysActor, review.KindDocumentAdded, d)
	}
	for _, c := range []review.Criterion{
		{ID: "C1", Title: "Des limites claires", Description: "On sait qui fait partie du collectif et ce qui est partagé : la ressource, son périmètre et les droits de chacun sont définis et connus de tous."},
		{ID: "C3", Title: or(x.critTitle, "Décider ensemble des règles"), Description: or(x.critDesc, "Les personnes concernées par les règles participent à leur élaboration et peuvent les faire évoluer.")},
		{ID: "C9", Title: "Ouvrir et transmettre les savoirs", Description: "Les savoir-faire, les outils et la documentation sont partagés librement et transmis aux nouvelles personnes pour que le commun dure."},
	} {
		w.add(sysActor, review.KindCriterionAdded, c)
	}
	for _, p := range []review.Proposal{
		{ID: "p1", Document: "d1", Passage: "d1p1", Criterion: "C3",
			Statement: or(x.statement, "Les membres du jardin votent eux-mêmes les changements de règles en assemblée."),
			Quote:     q1, QuoteStart: qs1, QuoteEnd: qe1, Confidence: 0.82,
			Origin: review.Origin{Kind: review.OriginModel, Name: "qwen3:4b"}},
		{ID: "p2", Document: "d1", Passage: "d1p1", Criterion: "C9",
			Statement: "Les nouveaux membres reçoivent le règlement et sont accompagnés.",
			Quote:     quote2, QuoteStart: qs2, QuoteEnd: qe2, Confidence: 0.41,
			Origin: review.Origin{Kind: review.OriginLexical, Name: "lexical"}},
		{ID: "p3", Document: "d2", Passage: "d2p1", Criterion: "C9",
			Statement: "L'atelier documente ses réparations et partage son wiki sous licence libre.",
			Quote:     "le savoir est partagé avec tous", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.67,
			Origin: review.Origin{Kind: review.OriginModel, Name: "qwen3:4b"}},
		{ID: "p4", Document: "d2", Passage: "d2p1", Criterion: "C1",
			Statement: "Les bénévoles de l'atelier sont identifiés.", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.5,
			Origin: review.Origin{Kind: review.OriginExample, Name: "exemple"}},
	} {
		w.add(sysActor, review.KindProposalAdded, p)
	}
	w.at = t0.Add(-10 * time.Minute)
	return w
}

// add appends one event, five seconds after the last.
func (w *workshop) add(who review.Actor, kind review.Kind, data any) *workshop {
	w.t.Helper()
	w.at = w.at.Add(5 * time.Second)
	e := review.MustEvent("s", fmt.Sprintf("e%03d", len(w.evs)+1), w.at, who, kind, data)
	e.Seq = int64(len(w.evs) + 1)
	w.evs = append(w.evs, e)
	return w
}

// before sets the time of the next event: d before t0.
func (w *workshop) before(d time.Duration) *workshop {
	w.at = t0.Add(-d - 5*time.Second)
	return w
}

func (w *workshop) vote(who review.Actor, p string, v review.Verdict, more ...string) *workshop {
	d := review.VoteData{Proposal: p, Verdict: v}
	switch v {
	case review.Reject:
		d.Reason = review.ReasonTooVague
	case review.Rephrase:
		d.Statement = more[0]
	}
	return w.add(who, review.KindVoteCast, d)
}

// people are the participants of the room beyond Malik and Zoé.
func people(n int) []review.Actor {
	names := []string{"Awa", "Bruno", "Chloé", "Diego", "Élise", "Farid", "Gaëlle", "Hugo", "Inès", "Jules", "Kenza", "Léo", "Maya", "Nour", "Oscar", "Paula"}
	out := make([]review.Actor, n)
	for i := range out {
		out[i] = review.Actor{Name: names[i], Fingerprint: "SHA256:" + names[i], Role: review.Participant}
	}
	return out
}

// snapshot replays the trace and puts people online: Claire, Malik, Zoé,
// the others given, and the projector itself, which is not counted.
func (w *workshop) snapshot(others ...review.Actor) *session.Snapshot {
	w.t.Helper()
	for i, e := range w.evs {
		// The wall is drawn at t0: a trace that runs past it, or back in
		// time, would test a room that cannot be.
		if e.At.After(t0) || (i > 0 && e.At.Before(w.evs[i-1].At)) {
			w.t.Fatalf("fixture: event %d (%s) at %v is out of order", i, e.Kind, e.At)
		}
	}
	st, err := review.Replay(w.evs)
	if err != nil {
		w.t.Fatal(err)
	}
	online := []session.Presence{{Conn: 1, Actor: claire}, {Conn: 2, Actor: malik}, {Conn: 3, Actor: zoe}, {Conn: 4, Actor: salle}}
	for i, a := range others {
		online = append(online, session.Presence{Conn: uint64(5 + i), Actor: a})
	}
	// Claire on a second laptop: still one person.
	online = append(online, session.Presence{Conn: 99, Actor: claire})
	return &session.Snapshot{Rev: uint64(len(w.evs)), State: st, Online: online}
}

// render draws the wall and checks its shape: exactly h lines of exactly
// w cells, whatever the text.
func render(t testing.TB, snap *session.Snapshot, o Options, w, h int) string {
	t.Helper()
	out := New(o).Render(snap, t0, w, h)
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: %d lines, want %d:\n%s", w, h, len(lines), h, ansi.Strip(out))
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Fatalf("%dx%d: line %d is %d cells wide, want %d: %q", w, h, i, n, w, ansi.Strip(l))
		}
	}
	return out
}
