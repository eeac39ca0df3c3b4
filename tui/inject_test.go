package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize/sanitizetest"
	"github.com/coopdescommuns/revue/session"
)

// evil holds the terminal attacks of the CVEs in STACK.md: clipboard write
// (OSC 52), window title, hyperlink, screen clear and cursor moves, a bidi
// override (Trojan Source), C1 controls both as UTF-8 (U+009B) and as a raw
// byte, carriage return, backspace and bell.
const evil = "Début \x1b]52;c;ZXZpbA==\x07 \x1b]0;pwned\x07 \x1b]8;;https://evil.example\x1b\\clic\x1b]8;;\x1b\\ " +
	"\x1b[2J\x1b[H \u202eesrever\u202c \u009b31m rouge \x9b[1m \r écrasé \x08\x07 \x1bP+q\x1b\\ fin"

// checkClean fails if s holds anything but text, newlines and SGR.
func checkClean(t *testing.T, where, s string) {
	t.Helper()
	if leak := sanitizetest.Leak(s); leak != "" {
		t.Fatalf("%s: %s", where, leak)
	}
}

// evilEvents is the fixture with every outside string poisoned.
func evilEvents(t testing.TB) []review.Event {
	t.Helper()
	text := evil + " " + passage1 + " " + evil
	quote := "clic\x1b]8;;\x1b\\ \x1b[2J\x1b[H \u202eesrever"
	qs, qe := runeSpan(t, text, quote)
	var evs []review.Event
	add := func(kind review.Kind, data any) {
		e := review.MustEvent(evil, fmt.Sprint("e", len(evs)), t0, review.Actor{Name: evil, Role: review.System}, kind, data)
		e.Seq = int64(len(evs) + 1)
		evs = append(evs, e)
	}
	add(review.KindSessionCreated, review.SessionCreated{Name: "atelier" + evil})
	add(review.KindDocumentAdded, review.Document{ID: "d1", Title: evil, Source: evil,
		Passages: []review.Passage{{ID: "d1p1", Document: "d1", Text: text, Section: evil}}})
	add(review.KindCriterionAdded, review.Criterion{ID: "C" + evil, Title: evil, Description: evil})
	prov := &review.Provenance{Model: evil, ModelDigest: evil, PromptVersion: evil, PromptHash: evil, Host: evil,
		Options: map[string]any{evil: evil}, QuoteMatch: evil, MatchedTerms: []string{evil}, DoneReason: evil, TotalDuration: 1,
		Expansions: []review.ExpandedTerm{{Word: evil, Source: "keyword"}, {Word: evil, Source: "thesaurus", From: evil}}}
	add(review.KindProposalAdded, review.Proposal{ID: "p1", Document: "d1", Passage: "d1p1", Criterion: "C" + evil,
		Statement: evil, Quote: quote, QuoteStart: qs, QuoteEnd: qe, Confidence: 0.5,
		Origin: review.Origin{Kind: review.OriginModel, Name: evil, Provenance: prov}})
	add(review.KindProposalAdded, review.Proposal{ID: "p2", Document: "d1", Passage: "d1p1", Criterion: "C" + evil,
		Statement: evil, Quote: evil, QuoteStart: -1, QuoteEnd: -1, Confidence: 0.5,
		Origin: review.Origin{Kind: review.OriginHuman, Name: evil}})
	return evs
}

// Nothing that came from a document, the AI or a person reaches the
// terminal as a control: not in the passage, the quote, the titles, the
// names, the comments, the reasons or the window title, on any panel.
func TestNoEscapeFromOutside(t *testing.T) {
	ctx := context.Background()
	bad := review.Actor{Name: evil, Role: review.Participant}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, keys := range [][]string{nil, {"w"}, {"?"}, {"j"}, {"j", "w"}, {"/", "right"}, {"+"}, {"r"}, {"e"}, {"j", "v"}, {"P"}} {
			name := fmt.Sprintf("%dx%d_%s", size[0], size[1], strings.Join(keys, ""))
			t.Run(name, func(t *testing.T) {
				hub, store := newHubWith(t, evilEvents(t))
				if _, err := hub.Join(ctx, bad, "ssh"); err != nil {
					t.Fatal(err)
				}
				for _, a := range []struct {
					kind review.Kind
					data any
				}{
					{review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonOther, Note: evil}},
					{review.KindVoteCast, review.VoteData{Proposal: "p2", Verdict: review.Rephrase, Statement: evil + " bis"}},
					{review.KindCommentAdded, review.CommentData{Proposal: "p1", Text: evil}},
					{review.KindCommentAdded, review.CommentData{Proposal: "p2", Text: evil}},
				} {
					if _, err := hub.Do(ctx, bad, a.kind, a.data); err != nil {
						t.Fatal(err)
					}
				}
				// The workshop's panels show the same texts again: the
				// versions picker (v) and the parked links (P).
				if _, err := hub.Do(ctx, facilitator, review.KindProposalParked, review.ParkData{Proposal: "p2", Parked: true}); err != nil {
					t.Fatal(err)
				}
				if _, err := hub.Do(ctx, facilitator, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonOther, Note: evil, Outcome: evil}); err != nil {
					t.Fatal(err)
				}
				h := startHarness(t, hub, store, facilitator, "fr", size[0], size[1])
				h.press(keys...)
				v := h.m.View()
				checkClean(t, "view", v.Content)
				checkClean(t, "window title", v.WindowTitle)
				for _, l := range strings.Split(h.screen(), "\n") {
					if w := displayWidth(l); w != size[0] {
						t.Fatalf("a line is %d wide, not %d: %q", w, size[0], l)
					}
				}
				// Without colour too.
				h.send(tea.EnvMsg{"NO_COLOR=1"})
				checkClean(t, "view without colour", h.m.View().Content)
			})
		}
	}
}

// Typed or pasted text is cleaned where it enters (the escape sequence
// goes, the bidi override becomes U+FFFD, which the input itself drops), so
// that what is recorded is what everybody's screen shows.
func TestPastedEscapesShownClean(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	h.press("c")
	h.send(tea.PasteMsg{Content: "ok \x1b]52;c;ZXZpbA==\x07 \u202e"})
	checkClean(t, "comment input", h.m.View().Content)
	h.press("enter")
	h.idle()
	if c := h.proposal("p1").Comments; len(c) != 1 || c[0].Text != "ok" {
		t.Fatalf("comments %+v", c)
	}
	h.press("w")
	checkClean(t, "why with the comment", h.m.View().Content)
}

// FuzzView renders screens of arbitrary outside text: whatever the bytes,
// the screen holds no control and every line has the window's width.
func FuzzView(f *testing.F) {
	for _, s := range []string{evil, passage1, "", "\n\n\n", "a\tb", "日本語のテキスト", "👩‍👩‍👧 é\u0301", strings.Repeat("x", 500)} {
		f.Add(s, s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, passage, statement string, qlen uint8) {
		renderArbitrary(t, passage, statement, qlen, func(w, h int, v string) {
			checkClean(t, "view", v)
			for _, l := range strings.Split(stripped(v), "\n") {
				if lw := displayWidth(l); lw != w {
					t.Fatalf("%dx%d: a line is %d wide: %q", w, h, lw, l)
				}
			}
		})
	})
}

// renderArbitrary renders a one-proposal session made of arbitrary text at
// several sizes.
func renderArbitrary(t *testing.T, passage, statement string, qlen uint8, check func(w, h int, view string)) {
	r := []rune(passage)
	qs, qe, quote := -1, -1, "q"
	if n := int(qlen); n > 0 && n <= len(r) {
		qs, qe = 0, n
		quote = string(r[:n])
	}
	var evs []review.Event
	add := func(kind review.Kind, data any) {
		e := review.MustEvent("s", fmt.Sprint("e", len(evs)), t0, sysActor, kind, data)
		e.Seq = int64(len(evs) + 1)
		evs = append(evs, e)
	}
	add(review.KindSessionCreated, review.SessionCreated{Name: "s"})
	add(review.KindDocumentAdded, review.Document{ID: "d", Title: statement, Passages: []review.Passage{{ID: "p", Document: "d", Text: passage}}})
	add(review.KindCriterionAdded, review.Criterion{ID: "C", Title: statement, Description: passage})
	add(review.KindProposalAdded, review.Proposal{ID: "x", Document: "d", Passage: "p", Criterion: "C",
		Statement: "s" + statement, Quote: quote, QuoteStart: qs, QuoteEnd: qe, Confidence: 0.5,
		Origin: review.Origin{Kind: review.OriginHuman, Name: statement}})
	st, err := review.Replay(evs)
	if err != nil {
		t.Skip(err)
	}
	for _, size := range [][2]int{{60, 16}, {80, 24}, {120, 30}, {160, 40}} {
		m := New(Options{Actor: malik, Now: (&clock{t: t0}).Now})
		m.snap = &session.Snapshot{State: st}
		m.mode = modeBrowse
		m.refresh()
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		check(size[0], size[1], m.View().Content)
	}
}
