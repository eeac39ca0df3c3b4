package tui

import (
	"context"
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/coopdescommuns/revue/review"
)

// TestGolden pins whole screens, ANSI-stripped, at the smallest supported
// laptop size, a wide screen and a projector, in both languages. The scene
// is a live one: two participants online, one looking at the same link,
// a disagreement and a comment. Regenerate with `go test ./tui -update`
// and read the diff before committing it.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w, h int
		what string
		keys []string
	}{
		{"fr", 80, 24, "", nil},
		{"en", 80, 24, "", nil},
		{"fr", 160, 48, "", nil},
		{"en", 160, 48, "", nil},
		{"fr", 240, 67, "", nil},
		{"fr", 80, 24, "quote-not-found", []string{"j", "j"}},
		{"fr", 80, 24, "reject", []string{"r"}},
		{"en", 160, 48, "help", []string{"?"}},
	} {
		name := fmt.Sprintf("%s_%dx%d", tc.lang, tc.w, tc.h)
		if tc.what != "" {
			name += "_" + tc.what
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, facilitator, tc.lang, tc.w, tc.h)
			scene(t, h)
			h.press(tc.keys...)
			golden.RequireEqual(t, h.screen())
		})
	}
}

// scene brings Malik and Zoé into the session: Malik accepts p1 and
// comments, Zoé rejects it as too vague and keeps looking at it.
func scene(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	if _, err := h.hub.Join(ctx, malik, "ssh"); err != nil {
		t.Fatal(err)
	}
	zc, err := h.hub.Join(ctx, zoe, "ssh")
	if err != nil {
		t.Fatal(err)
	}
	h.hub.Focus(zc, "p1")
	for _, a := range []struct {
		who  review.Actor
		kind review.Kind
		data any
	}{
		{malik, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Accept, DwellMS: 9000}},
		{zoe, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonTooVague}},
		{malik, review.KindCommentAdded, review.CommentData{Proposal: "p1", Text: "C'est le cœur du critère."}},
	} {
		if _, err := h.hub.Do(ctx, a.who, a.kind, a.data); err != nil {
			t.Fatal(err)
		}
	}
	rev := h.hub.Snapshot().Rev
	h.until("the scene on screen", func() bool { return h.m.snap.Rev == rev })
}
