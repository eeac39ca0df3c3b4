package room

import (
	"fmt"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// BenchmarkRender draws the wall of a large room: 200 people connected,
// 150 of them voted on the link, 120 links in the session. The projector
// draws once per revision, and a room of 200 makes many.
func BenchmarkRender(b *testing.B) {
	w := fixture(b).before(time.Hour).add(claire, review.KindRoomLed, review.RoomData{Follow: true, Proposal: "p1"})
	for i := range 116 {
		w.add(sysActor, review.KindProposalAdded, review.Proposal{ID: fmt.Sprintf("x%d", i), Document: "d2", Passage: "d2p1",
			Criterion: "C9", Statement: "Un lien de plus.", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.5,
			Origin: review.Origin{Kind: review.OriginLexical}})
	}
	var online []review.Actor
	verdicts := []review.Verdict{review.Accept, review.Reject, review.Accept, review.Skip}
	for i := range 200 {
		a := review.Actor{Name: fmt.Sprintf("p%03d", i), Fingerprint: fmt.Sprint(i), Role: review.Participant}
		online = append(online, a)
		if i < 150 {
			w.vote(a, "p1", verdicts[i%len(verdicts)])
		}
	}
	snap := w.snapshot(online...)
	for _, size := range [][2]int{{80, 24}, {240, 67}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			v := New(Options{Lang: "fr", Dark: true})
			var out string
			for b.Loop() {
				out = v.Render(snap, t0, size[0], size[1])
			}
			b.ReportMetric(float64(len(out)), "bytes/frame")
		})
	}
}
