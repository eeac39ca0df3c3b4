package tui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/tui/i18n"
)

// An action is shown as done only once the hub has recorded it: while the
// command runs, the screen says it is saving and the status is unchanged.
func TestAcceptShowsDoneOnlyAfterRecord(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	h.clock.Advance(12 * time.Second)
	_, cmd := h.m.Update(keyMsg("a"))
	if cmd == nil {
		t.Fatal("a: no command")
	}
	if got := h.screen(); !strings.Contains(got, "enregistrement…") || !strings.Contains(got, "○ en attente") {
		t.Fatalf("while saving, the screen should say so and still show the proposal pending:\n%s", got)
	}
	if h.proposal("p1").Status != review.Pending {
		t.Fatal("the hub changed before the command ran")
	}
	h.pump(cmd())
	p := h.proposal("p1")
	if p.Status != review.Accepted || p.Decision == nil || p.Decision.Actor.Name != "Claire" {
		t.Fatalf("p1 = %s, decision %+v; want accepted by Claire", p.Status, p.Decision)
	}
	if p.Decision.DwellMS != 12000 {
		t.Errorf("dwell = %d ms, want 12000 (the time p1 was on screen)", p.Decision.DwellMS)
	}
	got := h.screen()
	for _, want := range []string{"✓ acceptée", "Décision enregistrée : accepter.", "1/4 décidées"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "enregistrement…") {
		t.Errorf("still saving after the answer:\n%s", got)
	}
}

// A participant's keys cast votes; a facilitator's seal decisions.
func TestVoteOrDecisionByRole(t *testing.T) {
	for _, tc := range []struct {
		actor   review.Actor
		kind    review.Kind
		status  review.Status
		decides bool
	}{
		{facilitator, review.KindDecisionMade, review.Accepted, true},
		{malik, review.KindVoteCast, review.Pending, false},
	} {
		t.Run(tc.actor.Name, func(t *testing.T) {
			h := newHarness(t, tc.actor, "fr", 80, 24)
			h.press("a")
			h.idle()
			p := h.proposal("p1")
			if p.Status != tc.status || len(p.Votes) != 1 || p.Votes[0].Decides != tc.decides {
				t.Fatalf("status %s votes %+v; want %s, decides %v", p.Status, p.Votes, tc.status, tc.decides)
			}
			last := h.store.events[len(h.store.events)-1]
			if last.Kind != tc.kind || last.Actor.Key() != tc.actor.Key() {
				t.Fatalf("last event %s by %s, want %s by %s", last.Kind, last.Actor.Name, tc.kind, tc.actor.Name)
			}
			want := map[review.Role]string{review.Facilitator: "Décision enregistrée", review.Participant: "Vote enregistré : accepter."}[tc.actor.Role]
			// A decision is a seal, not a vote: it is no name in the tally.
			if got := h.screen(); !strings.Contains(got, want) || strings.Contains(got, tc.actor.Name+" ✓") != !tc.decides {
				t.Fatalf("screen lacks %q, or shows a decision as a vote:\n%s", want, got)
			}
		})
	}
}

func TestRejectWithReason(t *testing.T) {
	for _, tc := range []struct {
		name   string
		keys   []string
		typed  string
		reason string
		note   string
	}{
		{"first reason", []string{"r", "enter"}, "", review.ReasonOffTopic, ""},
		{"moved down twice", []string{"r", "j", "down", "enter"}, "", review.ReasonTooVague, ""},
		{"digit", []string{"r", "4", "enter"}, "", review.ReasonWrongCriterion, ""},
		{"other with text", []string{"r", "k", "enter"}, "déjà traité l'an dernier", review.ReasonOther, "déjà traité l'an dernier"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, facilitator, "fr", 80, 24)
			h.press(tc.keys[:len(tc.keys)-1]...)
			if got := h.screen(); !strings.Contains(got, "Pourquoi rejeter ce lien ?") || !strings.Contains(got, "citation inexacte") {
				t.Fatalf("no reason picker:\n%s", got)
			}
			h.press(tc.keys[len(tc.keys)-1])
			if tc.typed != "" {
				if h.m.mode != modeReasonOther {
					t.Fatalf("mode %d, want the free text of another reason", h.m.mode)
				}
				h.press("enter") // empty: refused, stays open
				if !strings.Contains(h.screen(), "Le texte est vide") || h.m.pending != 0 {
					t.Fatalf("an empty reason was not refused:\n%s", h.screen())
				}
				h.typeText(tc.typed)
				h.press("enter")
			}
			h.idle()
			p := h.proposal("p1")
			if p.Status != review.Rejected || p.Decision.Reason != tc.reason || p.Decision.Note != tc.note {
				t.Fatalf("got %s %q %q, want rejected %q %q", p.Status, p.Decision.Reason, p.Decision.Note, tc.reason, tc.note)
			}
			if !strings.Contains(h.screen(), "✗ rejetée") {
				t.Fatalf("the status does not read without colour:\n%s", h.screen())
			}
		})
	}
}

func TestRejectCancelled(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	h.press("r", "esc")
	if h.m.mode != modeBrowse || h.m.pending != 0 || h.proposal("p1").Status != review.Pending {
		t.Fatal("esc in the reason picker should record nothing")
	}
}

func TestRephrase(t *testing.T) {
	for _, save := range []string{"ctrl+s", "alt+enter"} {
		t.Run(save, func(t *testing.T) {
			h := newHarness(t, facilitator, "fr", 160, 48)
			h.press("e")
			if got := h.m.editor.Value(); got != h.proposal("p1").Final {
				t.Fatalf("editor holds %q, want the current wording", got)
			}
			h.m.editor.SetValue("")
			h.typeText("Les membres votent les règles du jardin en assemblée.")
			h.press(save)
			h.idle()
			p := h.proposal("p1")
			if p.Status != review.Rephrased || p.Final != "Les membres votent les règles du jardin en assemblée." || len(p.Versions) != 2 {
				t.Fatalf("got %s %q with %d versions", p.Status, p.Final, len(p.Versions))
			}
			got := h.screen()
			for _, want := range []string{"✎ reformulée", "Lien · version 2 · Claire", "avant : Les membres du jardin votent eux-mêmes"} {
				if !strings.Contains(got, want) {
					t.Errorf("screen lacks %q:\n%s", want, got)
				}
			}
			h.press("w")
			got = h.screen()
			for _, want := range []string{"Versions", "1. 13:00:00 revue", "2. ", "Claire décide : ✎ reformuler", "«\u00a0Les membres votent les règles du jardin en assemblée.\u00a0»",
				"après : Les membres votent les règles du jardin en assemblée."} {
				if !strings.Contains(got, want) {
					t.Errorf("why panel lacks %q:\n%s", want, got)
				}
			}
		})
	}
}

func TestRephraseCancelAndEmpty(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	h.press("e", "esc")
	if h.m.mode != modeBrowse || h.m.pending != 0 {
		t.Fatal("esc should close the editor without recording")
	}
	h.press("e")
	h.m.editor.SetValue("   ")
	h.press("ctrl+s")
	if h.m.mode != modeEdit || !strings.Contains(h.screen(), "Le texte est vide") {
		t.Fatalf("an empty wording should be refused in the editor:\n%s", h.screen())
	}
	h.press("esc", "e", "ctrl+s")
	if h.m.mode != modeBrowse || h.m.pending != 0 || !strings.Contains(h.screen(), "Formulation inchangée") {
		t.Fatalf("saving the same wording should record nothing:\n%s", h.screen())
	}
}

func TestSkipRecordsAndMovesOn(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	h.press("s")
	h.idle()
	p := h.proposal("p1")
	if len(p.Votes) != 1 || p.Votes[0].Verdict != review.Skip || p.Votes[0].Decides || p.Status != review.Pending {
		t.Fatalf("skip recorded as %+v, status %s", p.Votes, p.Status)
	}
	if h.m.current != "p2" {
		t.Fatalf("after a skip the screen shows %s, want p2", h.m.current)
	}
	h.until("focus on p2", func() bool { return h.focusOf(facilitator) == "p2" })
}

func TestUndo(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	h.press("u")
	h.idle()
	if !strings.Contains(h.screen(), "Rien à annuler") {
		t.Fatalf("undo with nothing done:\n%s", h.screen())
	}
	h.press("a")
	h.idle()
	h.press("u")
	h.idle()
	if p := h.proposal("p1"); p.Status != review.Pending || p.Decision != nil {
		t.Fatalf("after undo p1 is %s", p.Status)
	}
	// The facilitator's last act was a seal: undoing it reopens the link,
	// and the screen names the link it touched.
	if got := h.screen(); !strings.Contains(got, "Annulé : votre dernière action, sur le lien C3 · Décider") || !strings.Contains(got, "○ en attente") {
		t.Fatalf("screen after undo:\n%s", got)
	}
}

// A comment is sent with Enter, or with Ctrl+S as a rephrasing is.
func TestComment(t *testing.T) {
	for _, send := range []string{"enter", "ctrl+s"} {
		h := newHarness(t, malik, "fr", 160, 48)
		h.press("c")
		h.typeText("À relire avec le CA")
		h.press(send)
		h.idle()
		p := h.proposal("p1")
		if len(p.Comments) != 1 || p.Comments[0].Text != "À relire avec le CA" || p.Comments[0].Actor.Name != "Malik" {
			t.Fatalf("%s: comments %+v", send, p.Comments)
		}
		if got := h.screen(); !strings.Contains(got, "Malik : À relire avec le CA") || !strings.Contains(got, "Commentaire enregistré.") {
			t.Fatalf("%s: screen lacks the comment:\n%s", send, got)
		}
	}
}

func TestCreateLink(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	h.press("+")
	if !strings.Contains(h.screen(), "Créer un lien depuis ce passage") {
		t.Fatalf("no create panel:\n%s", h.screen())
	}
	h.press("k", "enter") // from C3 up to C1
	h.typeText("Le jardin remet son règlement à chaque nouvel arrivant.")
	h.press("ctrl+s")
	h.typeText("pas dans le passage")
	h.press("enter")
	if h.m.pending != 0 || !strings.Contains(h.screen(), "Cette citation n'est pas dans le passage") {
		t.Fatalf("an invented quote was not refused:\n%s", h.screen())
	}
	h.m.input.SetValue("")
	h.typeText("reçoivent le règlement avec la clé du portail")
	h.press("enter")
	h.idle()
	st := h.hub.Snapshot().State
	if len(st.Proposals) != 5 {
		t.Fatalf("%d proposals, want 5", len(st.Proposals))
	}
	np := st.Proposals[4]
	qs, qe := runeSpan(t, passage1, "reçoivent le règlement avec la clé du portail")
	want := review.Proposal{ID: np.ID, Document: "d1", Passage: "d1p1", Criterion: "C1",
		Statement: "Le jardin remet son règlement à chaque nouvel arrivant.",
		Quote:     "reçoivent le règlement avec la clé du portail", QuoteStart: qs, QuoteEnd: qe,
		Confidence: 1, Origin: review.Origin{Kind: review.OriginHuman, Name: "Malik"}}
	if !reflect.DeepEqual(np.Proposal, want) || len(np.ID) != 24 {
		t.Fatalf("new proposal\n%+v\nwant\n%+v", np.Proposal, want)
	}
	// The cursor stays where it was: the new link waits at the end.
	if h.m.current != "p1" || h.m.cursor != 0 || !strings.Contains(h.screen(), "en fin de liste ; vous restez ici") {
		t.Fatalf("the cursor did not stay on p1:\n%s", h.screen())
	}
	h.press("j")
	if h.m.current != "p2" {
		t.Fatalf("j after + goes to %s, want p2", h.m.current)
	}
}

func TestCreateLinkWithoutQuote(t *testing.T) {
	h := newHarness(t, facilitator, "en", 80, 24)
	h.press("+", "enter")
	h.typeText("Newcomers get the rules.")
	h.press("alt+enter", "enter")
	h.idle()
	np := h.hub.Snapshot().State.Proposals[4]
	if np.Quote != "" || np.QuoteStart != -1 || np.QuoteEnd != -1 || np.Criterion != "C3" {
		t.Fatalf("got %+v", np.Proposal)
	}
}

func TestFilter(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	h.press("/")
	if !strings.Contains(h.screen(), "Filtrer les propositions") {
		t.Fatalf("no filter panel:\n%s", h.screen())
	}
	h.press("right", "right", "right") // C1, C3, C9
	h.press("enter")
	if len(h.m.visible) != 2 || !strings.Contains(h.screen(), "1/2 · filtre : C9") {
		t.Fatalf("filter C9: %d visible\n%s", len(h.m.visible), h.screen())
	}
	if h.m.current != "p2" {
		t.Fatalf("on screen %s, want p2, the first C9 proposal", h.m.current)
	}
	// Status, then cleared with x.
	h.press("/", "down", "down", "right", "enter")
	if !strings.Contains(h.screen(), "filtre : C9 · en attente") {
		t.Fatalf("two filters:\n%s", h.screen())
	}
	h.press("a")
	h.idle()
	// The accepted link no longer matches, but it keeps the floor, marked,
	// until the reader moves.
	if len(h.m.visible) != 2 || h.m.current != "p2" || !strings.Contains(h.screen(), "· hors filtre") {
		t.Fatalf("an accepted proposal should stay until the reader moves: %d visible, on %s\n%s", len(h.m.visible), h.m.current, h.screen())
	}
	h.press("j")
	if h.m.current != "p3" {
		t.Fatalf("after j, on %s, want p3", h.m.current)
	}
	h.press("/", "x", "enter")
	if len(h.m.visible) != 4 || !strings.Contains(h.screen(), "filtre : tout") {
		t.Fatalf("cleared filter:\n%s", h.screen())
	}
	h.press("/", "down", "down", "down", "left", "esc")
	if h.m.filter != (filter{}) {
		t.Fatal("esc should keep the filter as it was")
	}
	h.press("/", "down", "down", "down", "left", "enter")
	if len(h.m.visible) != 1 || h.m.current != "p4" {
		t.Fatalf("origin example: %v", h.m.visible)
	}
}

func TestMove(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	for _, tc := range []struct {
		key  string
		want string
	}{{"j", "p2"}, {"down", "p3"}, {"k", "p2"}, {"G", "p4"}, {"j", "p4"}, {"g", "p1"}, {"up", "p1"}} {
		h.press(tc.key)
		if h.m.current != tc.want {
			t.Fatalf("after %s on %s, want %s", tc.key, h.m.current, tc.want)
		}
	}
	h.press("G")
	h.until("focus on p4", func() bool { return h.focusOf(malik) == "p4" })
}

func TestWhy(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 160, 48)
	h.clock.Advance(7 * time.Second)
	h.press("a")
	h.idle()
	h.press("w")
	got := h.screen()
	for _, want := range []string{
		"Pourquoi ce lien ?", "qwen3:4b", "sha256:2bfd38a7d1c4", "judge-v2 · 9f2c41aa", "num_ctx=8192 seed=0 temperature=0",
		"BM25 score 7,412 rang 2", "embeddings score 0,812 rang 1", "RRF score 0,0325 rang 1", "exact",
		"812 lus, 64 écrits", "total 4,2 s", "stop", "bge-m3",
		"Historique", "ajouté par revue", "Claire décide : ✓ accepter · après 7,0 s",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("why panel lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
	h.press("w")
	if h.m.mode != modeBrowse {
		t.Fatal("w should close the why panel")
	}
	h.press("G", "w")
	if got := h.screen(); !strings.Contains(got, "Aucun calcul machine") {
		t.Fatalf("why of an example:\n%s", got)
	}
}

func TestWhyShowsUndone(t *testing.T) {
	h := newHarness(t, facilitator, "en", 160, 48)
	h.press("a")
	h.idle()
	h.press("u")
	h.idle()
	h.press("w")
	got := h.screen()
	if !strings.Contains(got, "Claire decides: ✓ accept") || !strings.Contains(got, "Claire reopens the link") {
		t.Fatalf("history of an undone decision:\n%s", got)
	}
}

func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		actor review.Actor
		lang  string
		want  []string
		not   []string
	}{
		{facilitator, "fr", []string{"Vos choix scellent les décisions du groupe", "Décidées par critère : C1 : 0/1 · C3 : 0/1 · C9 : 0/2", "accepter", "rejeter", "créer un lien", "filtrer"}, nil},
		{malik, "en", []string{"Your choices are votes", "accept", "undo my action"}, nil},
		{projector, "fr", []string{"spectateur·rice", "aucune touche n'agit", "pourquoi", "quitter"}, []string{"accepter", "rejeter", "reformuler"}},
	} {
		t.Run(tc.actor.Name, func(t *testing.T) {
			h := newHarness(t, tc.actor, tc.lang, 80, 24)
			h.press("?")
			got := h.screen()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("help lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("help shows %q", w)
				}
			}
			if t.Failed() {
				t.Log(got)
			}
			h.press("?")
			if h.m.mode != modeBrowse {
				t.Fatal("? should close the help")
			}
		})
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			h := newHarness(t, malik, "fr", 80, 24)
			_, cmd := h.m.Update(keyMsg(k))
			if cmd == nil {
				t.Fatal("no command")
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Fatal("the command does not quit")
			}
			select {
			case <-h.m.quit:
			default:
				t.Fatal("quitting should end the wait for revisions")
			}
		})
	}
}

// A spectator's action keys do nothing but say so; and if a screen sent an
// action anyway, the hub refuses it and the screen says why in one sentence.
func TestSpectatorRefused(t *testing.T) {
	h := newHarness(t, projector, "fr", 80, 24)
	before := len(h.store.events)
	for _, k := range []string{"a", "r", "e", "s", "u", "c", "+"} {
		_, cmd := h.m.Update(keyMsg(k))
		if cmd != nil || h.m.mode != modeBrowse {
			t.Fatalf("%s: a spectator's key started something", k)
		}
		if !strings.Contains(h.screen(), "spectateur·rice : cette touche n'agit pas") {
			t.Fatalf("%s: no explanation:\n%s", k, h.screen())
		}
	}
	if len(h.store.events) != before {
		t.Fatal("a spectator's key reached the trace")
	}
	// The same screen with the keys of a participant: the hub refuses.
	h.m.keys = keysFor(h.m.t, review.Participant)
	h.press("a")
	h.idle()
	if len(h.store.events) != before || h.proposal("p1").Status != review.Pending {
		t.Fatal("the hub let a spectator vote")
	}
	if got := h.screen(); !strings.Contains(got, "Refusé : le rôle spectateur·rice ne permet pas cette action.") {
		t.Fatalf("no refusal sentence:\n%s", got)
	}
	if _, err := h.hub.Do(context.Background(), projector, review.KindCommentAdded, review.CommentData{Proposal: "p1", Text: "x"}); !errors.Is(err, session.ErrForbidden) {
		t.Fatalf("hub.Do as a spectator: %v, want ErrForbidden", err)
	}
}

// A store that fails leaves the proposal as it was, with one sentence.
func TestStoreFailure(t *testing.T) {
	h := newHarness(t, facilitator, "en", 80, 24)
	h.store.mu.Lock()
	h.store.fail = errDiskFull
	h.store.mu.Unlock()
	h.press("a")
	h.idle()
	got := h.screen()
	if !strings.Contains(got, "Action not recorded (record decision.made: disk full)") || !strings.Contains(got, "○ pending") {
		t.Fatalf("screen after a failed record:\n%s", got)
	}
}

// What another person does appears on this screen without a key press.
func TestOtherClientRerenders(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	conn, err := h.hub.Join(context.Background(), zoe, "ssh")
	if err != nil {
		t.Fatal(err)
	}
	h.until("Zoé online", func() bool { return strings.Contains(h.screen(), "•Zoé") })
	h.hub.Focus(conn, "p1")
	h.until("Zoé looking at p1", func() bool { return strings.Contains(h.screen(), "aussi ici : Zoé") })
	if _, err := h.hub.Do(context.Background(), zoe, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonTooVague}); err != nil {
		t.Fatal(err)
	}
	h.until("Zoé's vote", func() bool { return strings.Contains(h.screen(), "Zoé ✗") })
	if _, err := h.hub.Do(context.Background(), malik, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Accept}); err != nil {
		t.Fatal(err)
	}
	h.until("disagreement", func() bool { return strings.Contains(h.screen(), "⚠ désaccord") })
	if got := h.screen(); !strings.Contains(got, "✓1 ✗1") {
		t.Fatalf("tally:\n%s", got)
	}
	h.hub.Leave(context.Background(), conn)
	h.until("Zoé gone", func() bool { return !strings.Contains(h.screen(), "•Zoé") })
}

// When the caller's Seat.Leave runs (the connection ended), the wait for
// revisions ends too and nothing of this screen stays subscribed.
func TestSeatLeaveEndsTheScreen(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	h.seat.Leave(context.Background())
	h.until("the screen to quit", func() bool { return h.quit })
	if online := h.hub.Snapshot().Online; len(online) != 0 {
		t.Fatalf("still online: %+v", online)
	}
}

func TestPicker(t *testing.T) {
	evs := fixtureEvents(t, passage1)
	store := &memStore{seq: int64(len(evs))}
	reg := session.NewRegistry(store,
		func(context.Context) ([]string, error) { return []string{"ancienne", "atelier-communs"}, nil },
		func(_ context.Context, name string) (*review.State, error) {
			if name != "atelier-communs" {
				return nil, fmt.Errorf("session %q: not found", name)
			}
			return review.Replay(evs)
		}, "")
	c := &clock{t: t0}
	seat := &session.Seat{}
	m := New(Options{Registry: reg, Seat: seat, Actor: malik, Lang: "fr", Terminal: "ssh", Now: c.Now})
	h := &harness{t: t, m: m, clock: c, seat: seat, msgs: make(chan tea.Msg, 64)}
	t.Cleanup(func() { m.shutdown(); seat.Leave(context.Background()) })
	h.start(m.Init())
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.until("the list", func() bool { return strings.Contains(h.screen(), "atelier-communs") })
	h.press("enter")
	h.until("the error", func() bool { return strings.Contains(h.screen(), `session "ancienne": not found`) })
	h.press("j", "enter", "enter") // a second Enter must not join twice
	h.until("joined", func() bool { return m.joined })
	hub, _ := reg.Open(context.Background(), "atelier-communs")
	if online := hub.Snapshot().Online; len(online) != 1 || online[0].Actor.Name != "Malik" {
		t.Fatalf("online %+v", online)
	}
	if !strings.Contains(h.screen(), "Décider ensemble des règles") {
		t.Fatalf("no review screen after the picker:\n%s", h.screen())
	}
	seat.Leave(context.Background())
	if len(hub.Snapshot().Online) != 0 {
		t.Fatal("Seat.Leave did not leave the hub the picker joined")
	}
}

func TestNoSession(t *testing.T) {
	m := New(Options{Actor: malik, Lang: "en"})
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := ansiStrip(m); !strings.Contains(got, "No session to open") {
		t.Fatalf("got:\n%s", got)
	}
}

func TestTooSmall(t *testing.T) {
	for _, tc := range []struct {
		w, h int
		lang string
		want string
	}{
		{59, 24, "fr", "Agrandissez la fenêtre : il faut au moins 60×16, elle fait 59×24."},
		{80, 15, "en", "Enlarge the window: it needs at least 60×16, it is 80×15."},
	} {
		h := newHarness(t, malik, tc.lang, tc.w, tc.h)
		got := strings.Join(strings.Fields(h.screen()), " ")
		if !strings.Contains(got, tc.want) {
			t.Errorf("%dx%d: %q", tc.w, tc.h, got)
		}
		if n := strings.Count(h.m.View().Content, "\n") + 1; n > tc.h {
			t.Errorf("%dx%d: %d lines", tc.w, tc.h, n)
		}
	}
}

// Every line of every screen fits the window, at every size from the
// minimum to a projector, in every panel.
func TestEverythingFits(t *testing.T) {
	sizes := [][2]int{{60, 16}, {80, 24}, {99, 30}, {100, 30}, {149, 40}, {160, 48}, {240, 67}}
	panels := map[string][]string{
		"browse": nil, "help": {"?"}, "why": {"w"}, "filter": {"/"}, "reason": {"r"},
		"edit": {"e"}, "comment": {"c"}, "create": {"+"}, "quote-missing": {"j", "j"},
	}
	for _, sz := range sizes {
		for name, keys := range panels {
			h := newHarness(t, facilitator, "fr", sz[0], sz[1])
			h.press(keys...)
			lines := strings.Split(h.screen(), "\n")
			if len(lines) != sz[1] {
				t.Errorf("%dx%d %s: %d lines", sz[0], sz[1], name, len(lines))
			}
			for i, l := range lines {
				if w := displayWidth(l); w != sz[0] {
					t.Errorf("%dx%d %s: line %d is %d wide: %q", sz[0], sz[1], name, i, w, l)
					break
				}
			}
		}
	}
}

func TestQuoteNotFoundShownApart(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	h.press("j", "j")
	got := h.screen()
	if !strings.Contains(got, "citation non retrouvée dans le passage") || !strings.Contains(got, "«\u00a0le savoir est partagé avec tous\u00a0»") {
		t.Fatalf("missing quote not marked:\n%s", got)
	}
}

// The quote is highlighted exactly, also when sanitize changed the text
// around it (a tab before it becomes spaces, an escape sequence vanishes).
func TestQuoteHighlight(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"plain", passage1},
		{"tab and escape before", "\tIntro \x1b[31mrouge\x1b[0m.\r\n" + passage1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hub, store := newHubWith(t, fixtureEvents(t, tc.text))
			h := startHarness(t, hub, store, malik, "fr", 160, 48)
			h.m.noColor = true
			h.m.restyle()
			content := h.m.View().Content
			// Bold reverse video marks the quote without colour: collect it.
			re := regexp.MustCompile(`\x1b\[1;7m([^\x1b]*)\x1b\[m`)
			var parts []string
			for _, m := range re.FindAllStringSubmatch(content, -1) {
				parts = append(parts, m[1])
			}
			got := strings.Join(parts, " ")
			if got != quote1 {
				t.Fatalf("highlighted %q, want %q", got, quote1)
			}
		})
	}
}

func TestPassageScroll(t *testing.T) {
	long := strings.Repeat("Une phrase de remplissage pour allonger le passage. ", 40) + passage1
	hub, store := newHubWith(t, fixtureEvents(t, long))
	h := startHarness(t, hub, store, malik, "fr", 80, 24)
	if got := h.screen(); !strings.Contains(got, "l'assemblée de juin") || !strings.Contains(got, "…") {
		t.Fatalf("the quote should be in view of a long passage:\n%s", got)
	}
	h.press("pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup")
	if got := h.screen(); strings.Contains(got, "l'assemblée de juin") || !strings.Contains(got, "pgup/pgdn") {
		t.Fatalf("after paging up:\n%s", got)
	}
	if h.m.scroll != 0 {
		t.Fatalf("scroll %d, want the top", h.m.scroll)
	}
}

func TestNoColorAndBackground(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	dark := h.m.View().Content
	h.send(tea.BackgroundColorMsg{Color: lightGrey{}})
	light := h.m.View().Content
	if dark == light {
		t.Fatal("a light background should change the colours")
	}
	if ansiStrip(h.m) != stripped(dark) {
		t.Fatal("the background should change colours only")
	}
	h.send(tea.EnvMsg{"TERM=xterm-256color", "NO_COLOR=1"})
	plain := h.m.View().Content
	if regexp.MustCompile(`\x1b\[[0-9;:]*[34]8[;:]`).MatchString(plain) {
		t.Fatalf("NO_COLOR: colour codes remain: %q", plain)
	}
	if !strings.Contains(stripped(plain), "○ en attente") {
		t.Fatal("the status should read in words without colour")
	}
}

// lightGrey is a light terminal background.
type lightGrey struct{}

func (lightGrey) RGBA() (r, g, b, a uint32) { return 0xeeee, 0xeeee, 0xeeee, 0xffff }

// Both languages have every string, with the same format verbs in each.
func TestLanguagesComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[-0-9.]*[a-z]`)
	fr, en := reflect.ValueOf(i18n.French), reflect.ValueOf(i18n.English)
	// The workshop's strings are an embedded struct: check its fields too.
	fields := func(v reflect.Value) []reflect.Value {
		var out []reflect.Value
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.Struct {
				for j := range f.NumField() {
					out = append(out, f.Field(j))
				}
			} else {
				out = append(out, f)
			}
		}
		return out
	}
	names := func(t reflect.Type) []string {
		var out []string
		for i := range t.NumField() {
			if f := t.Field(i); f.Type.Kind() == reflect.Struct {
				for j := range f.Type.NumField() {
					out = append(out, f.Type.Field(j).Name)
				}
			} else {
				out = append(out, f.Name)
			}
		}
		return out
	}
	fv, ev, nm := fields(fr), fields(en), names(fr.Type())
	for i := range fv {
		name := nm[i]
		f, e := fv[i].String(), ev[i].String()
		if strings.TrimSpace(f) == "" || strings.TrimSpace(e) == "" {
			t.Errorf("%s: empty in %s", name, map[bool]string{true: "French", false: "English"}[f == ""])
		}
		if a, b := verbs.FindAllString(f, -1), verbs.FindAllString(e, -1); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: verbs %v in French, %v in English", name, a, b)
		}
	}
	if i18n.For("en") != &i18n.English || i18n.For("fr") != &i18n.French || i18n.For("") != &i18n.French {
		t.Error("language: French unless English is asked for")
	}
}

func TestKeyHelpInBothLanguages(t *testing.T) {
	for _, lang := range []*i18n.Text{&i18n.French, &i18n.English} {
		k := newKeyMap(lang, review.Facilitator)
		for _, col := range k.FullHelp() {
			for _, b := range col {
				if b.Help().Key == "" || b.Help().Desc == "" {
					t.Errorf("binding %v without help", b.Keys())
				}
			}
		}
	}
}

// A session that cannot be joined says so, and why, instead of showing a
// screen whose keys would all fail.
func TestJoinFailure(t *testing.T) {
	hub, store := newHub(t)
	store.fail = errDiskFull
	c := &clock{t: t0}
	seat := &session.Seat{}
	m := New(Options{Hub: hub, Seat: seat, Actor: malik, Lang: "fr", Now: c.Now})
	h := &harness{t: t, m: m, hub: hub, store: store, clock: c, seat: seat, msgs: make(chan tea.Msg, 64)}
	t.Cleanup(m.shutdown)
	h.start(m.Init())
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.until("the error", func() bool { return m.fatal != "" })
	got := h.screen()
	if !strings.Contains(got, "Impossible de rejoindre la session (record participant.joined: disk full)") {
		t.Fatalf("screen:\n%s", got)
	}
	if len(hub.Snapshot().Online) != 0 {
		t.Fatal("a failed join left a presence")
	}
	seat.Leave(context.Background()) // nothing taken, nothing to leave
	_, cmd := m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q should quit the error screen")
	}
}

// Bubble Tea runs commands concurrently; this screen's hub calls still
// reach the hub in the order of the keys.
func TestActionsKeepTheirOrder(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	_, accept := h.m.Update(keyMsg("a"))
	_, undo := h.m.Update(keyMsg("u"))
	results := make(chan tea.Msg, 2)
	go func() { results <- undo() }() // started first on purpose
	go func() { results <- accept() }()
	h.pump(<-results)
	h.pump(<-results)
	evs := h.store.events
	if n := len(evs); evs[n-2].Kind != review.KindDecisionMade || evs[n-1].Kind != review.KindDecisionReopened {
		t.Fatalf("last events %s, %s; want the decision, then its reopening", evs[n-2].Kind, evs[n-1].Kind)
	}
	if p := h.proposal("p1"); p.Status != review.Pending {
		t.Fatalf("p1 is %s after accept then undo", p.Status)
	}
}

func TestNoColorFromOptions(t *testing.T) {
	hub, _ := newHub(t)
	m := New(Options{Hub: hub, Actor: projector, Environ: []string{"LANG=fr_FR.UTF-8", "NO_COLOR=1"}})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !m.noColor || strings.Contains(m.View().Content, "38;2;") {
		t.Fatal("NO_COLOR in Options.Environ was not honoured on the first frame")
	}
	if m2 := New(Options{Hub: hub, Actor: projector, Environ: []string{"NO_COLOR="}}); m2.noColor {
		t.Fatal("an empty NO_COLOR must not turn colours off")
	}
}

// TestNoticeShowsHowToJoin checks that the facilitator's screen tells the
// room how to join, in the status line at first and in the help after.
func TestNoticeShowsHowToJoin(t *testing.T) {
	hub, _ := newHub(t)
	const join = "To join: ssh -t -p 2222 YOUR-NAME@192.168.1.20 atelier"
	m := New(Options{Hub: hub, Actor: facilitator, Lang: "en", Now: func() time.Time { return t0 }, Notice: join + "\x1b]0;x\x07"})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if got := ansiStrip(m); !strings.Contains(got, join) {
		t.Fatalf("the first screen does not show how to join:\n%s", got)
	}
	if strings.Contains(m.View().Content, "\x1b]0") {
		t.Fatal("the notice reached the screen unsanitized")
	}
	m.Update(keyMsg("?"))
	if got := ansiStrip(m); !strings.Contains(got, join) {
		t.Fatalf("the help does not show how to join:\n%s", got)
	}
}

// TestRefusedJoinsOnTheFacilitatorsScreen: the facilitator sees, discreetly,
// how many joins the server refused; a participant does not; a screen that
// serves nobody does not say that participants stay connected.
func TestRefusedJoinsOnTheFacilitatorsScreen(t *testing.T) {
	hub, _ := newHub(t)
	var n int64
	count := func() int64 { return n }
	m := New(Options{Hub: hub, Actor: facilitator, Lang: "fr", Terminal: "local", Now: func() time.Time { return t0 }, Refused: count})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	if got := ansiStrip(m); strings.Contains(got, "refusée") {
		t.Fatalf("a count of 0 is shown:\n%s", got)
	}
	n = 2
	m.Update(keyMsg("j"))
	if got := ansiStrip(m); !strings.Contains(got, "2 connexions refusées — voir le journal") {
		t.Fatalf("the facilitator's screen does not show the refused joins:\n%s", got)
	}
	p := New(Options{Hub: hub, Actor: review.Actor{Name: "zoé", Role: review.Participant}, Lang: "fr", Terminal: "ssh", Now: func() time.Time { return t0 }, Refused: count})
	p.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	if got := ansiStrip(p); strings.Contains(got, "refusée") {
		t.Fatalf("a participant sees the refused joins:\n%s", got)
	}
	alone := New(Options{Hub: hub, Actor: facilitator, Lang: "fr", Terminal: "local", Now: func() time.Time { return t0 }})
	if got := alone.quitQuestion(); got != "Quitter ? o/n" {
		t.Fatalf("the quit question of a screen that serves nobody: %q", got)
	}
	if got := m.quitQuestion(); !strings.Contains(got, "restent connecté") {
		t.Fatalf("the quit question of a screen that serves the room: %q", got)
	}
}
