package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

// BenchmarkReplaySession measures what `revue serve`, `review` and `export`
// do at start with a long session: read its 100,000 events from a real
// SQLite file and fold them into the state (10,000 proposals, each with
// eight votes and a decision).
func BenchmarkReplaySession(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(b.TempDir(), "revue.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)
	doc := review.Document{ID: fmt.Sprintf("%064x", 1), SHA256: fmt.Sprintf("%064x", 1), Title: "Pad", Source: "pad.md", Format: "markdown",
		Passages: []review.Passage{{ID: "p1", Document: fmt.Sprintf("%064x", 1), Index: 1, Text: "Les règles sont votées en assemblée.", End: 36}}}
	seq, err := sessionEvents(review.SessionCreated{Name: "long"}, []review.Document{doc}, nil, []review.Criterion{{ID: "C1", Title: "Règles", Description: "d"}}, nil, t0, documentEventBytes)
	if err != nil {
		b.Fatal(err)
	}
	events := collectEvents(b, seq)
	anna := review.Actor{Name: "anna", Role: review.Facilitator}
	for len(events) < 100_000 {
		pid := fmt.Sprintf("P%d", len(events))
		events = append(events, review.MustEvent("long", pid, t0, systemActor, review.KindProposalAdded, review.Proposal{ID: pid, Document: doc.ID, Passage: "p1",
			Criterion: "C1", Statement: "Le passage illustre le critère.", Quote: "votées", QuoteStart: 16, QuoteEnd: 22, Confidence: 0.5,
			Origin: review.Origin{Kind: review.OriginLexical, Name: "lexical"}}))
		for j := range 8 {
			events = append(events, review.MustEvent("long", fmt.Sprintf("%s-v%d", pid, j), t0, review.Actor{Name: fmt.Sprint("p", j), Role: review.Participant},
				review.KindVoteCast, review.VoteData{Proposal: pid, Verdict: review.Accept, DwellMS: 4000}))
		}
		events = append(events, review.MustEvent("long", pid+"-d", t0, anna, review.KindDecisionMade, review.VoteData{Proposal: pid, Verdict: review.Accept}))
	}
	for i := 0; i < len(events); i += 5000 {
		if _, err := st.Append(ctx, events[i:min(i+5000, len(events))]...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		evs, err := st.Replay(ctx, "long")
		if err != nil {
			b.Fatal(err)
		}
		s, err := review.Replay(evs)
		if err != nil || len(s.Proposals) != 10_000 || s.Decided() != 10_000 {
			b.Fatalf("replayed %v proposals: %v", len(s.Proposals), err)
		}
	}
	b.ReportMetric(float64(len(events)), "events")
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/replay")
}
