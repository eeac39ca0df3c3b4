package tui

import (
	"bytes"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// TestNegativeLooksLikeALink renders a participant's screens (the link,
// its "why" panel, help) in a session where the first link is a sampled
// negative and in one where it is a real link, all else equal: the bytes,
// ANSI included, must be the same. The proposer writes a negative's own
// text like a link's (propose/negatives.go); this test holds the screens
// to showing nothing else, with the confidence shown and hidden.
func TestNegativeLooksLikeALink(t *testing.T) {
	screens := func(negative bool, cond review.Conditions) [][]byte {
		evs := fixtureEvents(t, passage1)
		for i, e := range evs {
			var p review.Proposal
			if e.Kind == review.KindProposalAdded && e.Decode(&p) == nil && p.ID == "p1" {
				p.Negative = negative
				e2 := review.MustEvent(e.Session, e.ID, e.At, e.Actor, e.Kind, p)
				e2.Seq = e.Seq
				evs[i] = e2
			}
		}
		c := review.MustEvent("atelier-communs", "cond", t0.Add(-time.Hour), sysActor, review.KindConditionsSet, cond)
		c.Seq = int64(len(evs) + 1)
		evs = append(evs, c)
		hub, store := newHubWith(t, evs)
		h := startHarness(t, hub, store, malik, "fr", 100, 30)
		var out [][]byte
		out = append(out, []byte(h.m.View().Content))
		h.press("w")
		out = append(out, []byte(h.m.View().Content))
		h.press("esc", "?")
		out = append(out, []byte(h.m.View().Content))
		return out
	}
	for _, cond := range []review.Conditions{{}, {HideConfidence: true}, {Blind: true, HideOrigin: true}} {
		real, neg := screens(false, cond), screens(true, cond)
		for i := range real {
			if !bytes.Equal(real[i], neg[i]) {
				t.Errorf("conditions %+v, screen %d: a negative is shown otherwise than a link:\n%s\n---\n%s", cond, i, real[i], neg[i])
			}
		}
		if bytes.Equal(real[0], real[1]) {
			t.Errorf("conditions %+v: the why panel did not open: the comparison proves little", cond)
		}
	}
}
