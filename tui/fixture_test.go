package tui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// memStore is the smallest durable-enough Appender: it gives sequence
// numbers in order, as the SQLite store does, and can be told to fail.
type memStore struct {
	mu     sync.Mutex
	seq    int64
	events []review.Event
	fail   error
}

func (s *memStore) Append(_ context.Context, events ...review.Event) ([]review.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	out := make([]review.Event, len(events))
	for i, e := range events {
		s.seq++
		e.Seq = s.seq
		s.events = append(s.events, e)
		out[i] = e
	}
	return out, nil
}

// The people of the fixture.
var (
	sysActor    = review.Actor{Name: "revue", Role: review.System}
	facilitator = review.Actor{Name: "Claire", Fingerprint: "SHA256:claire", Role: review.Facilitator}
	malik       = review.Actor{Name: "Malik", Fingerprint: "SHA256:malik", Role: review.Participant}
	zoe         = review.Actor{Name: "Zoé", Role: review.Participant}
	yanis       = review.Actor{Name: "Yanis", Fingerprint: "SHA256:yanis", Role: review.Participant}
	projector   = review.Actor{Name: "Salle", Role: review.Spectator}
)

// t0 is the fixed clock of every test.
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

// fixtureEvents is a small session: two documents, three criteria, four
// proposals of every origin, one quote that the passage does not contain.
func fixtureEvents(t testing.TB, p1text string) []review.Event {
	t.Helper()
	qs1, qe1 := runeSpan(t, passage1, quote1)
	qs2, qe2 := runeSpan(t, passage1, quote2)
	if p1text != passage1 {
		qs1, qe1 = -1, -1
		if i := strings.Index(p1text, quote1); i >= 0 {
			qs1, qe1 = runeSpan(t, p1text, quote1)
		}
		qs2, qe2 = -1, -1
	}
	docs := []review.Document{
		{ID: "d1", Title: "Rapport d'activité 2019 — Jardin des Lilas", Source: "lilas-2019.pdf", SHA256: "d1", Format: "pdf",
			Passages: []review.Passage{{ID: "d1p1", Document: "d1", Text: p1text, Page: 4}}},
		{ID: "d2", Title: "Atelier vélo — compte rendu", Source: "velo.md", SHA256: "d2", Format: "md",
			Passages: []review.Passage{{ID: "d2p1", Document: "d2", Text: passage2, Section: "Transmission"}}},
	}
	crits := []review.Criterion{
		{ID: "C1", Title: "Des limites claires", Description: "On sait qui fait partie du collectif et ce qui est partagé : la ressource, son périmètre et les droits de chacun sont définis et connus de tous."},
		{ID: "C3", Title: "Décider ensemble des règles", Description: "Les personnes concernées par les règles participent à leur élaboration et peuvent les faire évoluer."},
		{ID: "C9", Title: "Ouvrir et transmettre les savoirs", Description: "Les savoir-faire, les outils et la documentation sont partagés librement et transmis aux nouvelles personnes pour que le commun dure."},
	}
	prov := &review.Provenance{
		OllamaVersion: "0.17.4", Model: "qwen3:4b", ModelDigest: "sha256:2bfd38a7d1c4", EmbedModel: "bge-m3",
		PromptVersion: "judge-v2", PromptHash: "9f2c41aa", SchemaHash: "51be07",
		Options:    map[string]any{"num_ctx": 8192, "seed": 0, "temperature": 0},
		Retrieval:  &review.Retrieval{LexicalScore: 7.412, LexicalRank: 2, EmbedScore: 0.812, EmbedRank: 1, FusedScore: 0.0325, FusedRank: 1},
		QuoteMatch: "exact", PromptTokens: 812, OutputTokens: 64,
		TotalDuration: 4_200_000_000, LoadDuration: 100_000_000, PromptDuration: 2_000_000_000, EvalDuration: 2_100_000_000,
		DoneReason: "stop", Attempts: 1,
	}
	props := []review.Proposal{
		{ID: "p1", Document: "d1", Passage: "d1p1", Criterion: "C3",
			Statement: "Les membres du jardin votent eux-mêmes les changements de règles en assemblée.",
			Quote:     quote1, QuoteStart: qs1, QuoteEnd: qe1, Confidence: 0.82,
			Origin: review.Origin{Kind: review.OriginModel, Name: "qwen3:4b", Provenance: prov}},
		{ID: "p2", Document: "d1", Passage: "d1p1", Criterion: "C9",
			Statement: "Les nouveaux membres reçoivent le règlement et sont accompagnés.",
			Quote:     quote2, QuoteStart: qs2, QuoteEnd: qe2, Confidence: 0.41,
			Origin: review.Origin{Kind: review.OriginLexical, Name: "lexical"}},
		{ID: "p3", Document: "d2", Passage: "d2p1", Criterion: "C9",
			Statement: "L'atelier documente ses réparations et partage son wiki sous licence libre.",
			Quote:     "le savoir est partagé avec tous", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.67,
			Origin: review.Origin{Kind: review.OriginModel, Name: "qwen3:4b", Provenance: prov}},
		{ID: "p4", Document: "d2", Passage: "d2p1", Criterion: "C1",
			Statement: "Les bénévoles de l'atelier sont identifiés.", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.5,
			Origin: review.Origin{Kind: review.OriginExample, Name: "exemple"}},
	}
	var evs []review.Event
	add := func(kind review.Kind, data any) {
		e := review.MustEvent("atelier-communs", "fx"+string(rune('a'+len(evs))), t0.Add(-time.Hour), sysActor, kind, data)
		e.Seq = int64(len(evs) + 1)
		evs = append(evs, e)
	}
	add(review.KindSessionCreated, review.SessionCreated{Name: "atelier-communs"})
	for _, d := range docs {
		add(review.KindDocumentAdded, d)
	}
	for _, c := range crits {
		add(review.KindCriterionAdded, c)
	}
	for _, p := range props {
		add(review.KindProposalAdded, p)
	}
	return evs
}

// newHub replays the fixture into a hub over a memStore.
func newHub(t testing.TB) (*session.Hub, *memStore) {
	return newHubWith(t, fixtureEvents(t, passage1))
}

func newHubWith(t testing.TB, evs []review.Event) (*session.Hub, *memStore) {
	t.Helper()
	st, err := review.Replay(evs)
	if err != nil {
		t.Fatal(err)
	}
	store := &memStore{seq: int64(len(evs))}
	return session.NewHub(store, st), store
}

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness drives a Model the way tea.Program does, inside the test: it runs
// commands in goroutines and feeds their messages back to Update, one at a
// time, only while the test waits for a condition. Commands that block (the
// wait for the next revision) simply stay blocked until the model quits.
type harness struct {
	t     *testing.T
	m     *Model
	hub   *session.Hub
	store *memStore
	clock *clock
	seat  *session.Seat
	msgs  chan tea.Msg
	quit  bool
	// draws counts, while counting, the frames that differed from the one
	// before, as the SSH server's screen draws them: Bubble Tea asks for
	// a view after every message.
	counting bool
	draws    int
	drawn    string
}

func newHarness(t *testing.T, actor review.Actor, lang string, w, h int) *harness {
	t.Helper()
	hub, store := newHub(t)
	return startHarness(t, hub, store, actor, lang, w, h)
}

func startHarness(t *testing.T, hub *session.Hub, store *memStore, actor review.Actor, lang string, w, h int) *harness {
	t.Helper()
	return startHarnessOpts(t, hub, store, Options{Actor: actor, Lang: lang}, w, h)
}

// startHarnessOpts is startHarness with more of the options; the hub, the
// seat, the terminal and the clock are the harness's.
func startHarnessOpts(t *testing.T, hub *session.Hub, store *memStore, o Options, w, h int) *harness {
	t.Helper()
	return startHarnessClock(t, hub, store, o, w, h, &clock{t: t0})
}

// startHarnessClock is startHarnessOpts with a clock shared with others.
func startHarnessClock(t *testing.T, hub *session.Hub, store *memStore, o Options, w, h int, c *clock) *harness {
	t.Helper()
	seat := &session.Seat{}
	actor := o.Actor
	o.Hub, o.Seat, o.Terminal, o.Now = hub, seat, "ssh", c.Now
	m := New(o)
	hs := &harness{t: t, m: m, hub: hub, store: store, clock: c, seat: seat, msgs: make(chan tea.Msg, 256)}
	t.Cleanup(func() {
		m.shutdown()
		seat.Leave(context.Background())
	})
	hs.start(m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.until("joined", func() bool { return hs.m.joined && hs.m.focusSent != "" && hs.focusOf(actor) == hs.m.current })
	// The hub has the focus before the arrival's room.moved (a
	// facilitator arriving in a room nobody leads leads it): a test that
	// pressed a key now would find the screen before or after it.
	hs.current()
	return hs
}

// current waits until every hub call of this screen is done and the
// screen holds the hub's latest state. A key is read against the state on
// screen (F takes the lead or frees the room as the screen shows it), so a
// test presses it on a screen that has caught up, as a person would.
func (h *harness) current() {
	h.t.Helper()
	h.until("the screen to hold the hub's state", func() bool {
		return h.settled() && h.m.pending == 0 && h.m.snap != nil && h.m.snap.StateRev >= h.hub.Snapshot().StateRev
	})
}

// focusOf is what the hub says actor is looking at.
func (h *harness) focusOf(a review.Actor) string {
	for _, p := range h.hub.Snapshot().Online {
		if p.Actor.Key() == a.Key() {
			return p.Focus
		}
	}
	return ""
}

func (h *harness) start(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { h.msgs <- cmd() }()
}

// send gives one message to Update and starts the command it returns.
func (h *harness) send(msg tea.Msg) {
	_, cmd := h.m.Update(msg)
	if h.counting {
		if v := h.m.View().Content; v != h.drawn {
			h.draws++
			h.drawn = v
		}
	}
	h.start(cmd)
}

// countDraws starts counting the frames drawn from the one on screen now.
func (h *harness) countDraws() {
	h.counting, h.draws, h.drawn = true, 0, h.m.View().Content
}

// settled reports whether every hub call this screen made is done.
func (h *harness) settled() bool {
	select {
	case <-h.m.lastCall:
		return true
	default:
		return h.m.lastCall == nil
	}
}

func (h *harness) pump(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.start(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		h.send(msg)
	}
}

// until feeds messages to the model until cond holds, or fails the test
// after a generous deadline with the screen as it is.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case msg := <-h.msgs:
			h.pump(msg)
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, h.screen())
		}
	}
}

// press sends a key, as a terminal would: a printable key carries its text.
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

// typeText types s into whatever input has the focus.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "alt+enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModAlt}
	}
	r, _ := utf8.DecodeRuneInString(k)
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is the view without its colours.
func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

// proposal is the hub's current state of a proposal.
func (h *harness) proposal(id string) *review.ProposalState {
	h.t.Helper()
	p, ok := h.hub.Snapshot().State.Proposal(id)
	if !ok {
		h.t.Fatalf("no proposal %s", id)
	}
	return p
}

// idle waits until no action of this screen is still being recorded.
func (h *harness) idle() {
	h.t.Helper()
	h.until("the action to be recorded", func() bool { return h.m.pending == 0 })
}

var errDiskFull = errors.New("disk full")

func ansiStrip(m *Model) string { return ansi.Strip(m.View().Content) }
func stripped(s string) string  { return ansi.Strip(s) }
func displayWidth(s string) int { return ansi.StringWidth(s) }
