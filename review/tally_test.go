package review

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTallyProperty folds random traces of votes, decisions, undos,
// reopenings, joins and departures, through the live rules (Check before
// Apply), and holds the tally, the turnout and the report's figures equal
// to a direct count of the events: the latest vote.cast of each
// participant on each link that is not undone. Decisions, a facilitator's
// own votes and undone votes never count.
func TestTallyProperty(t *testing.T) {
	people := []Actor{
		bruno, chloe,
		{Name: "dara", Fingerprint: "SHA256:dara", Role: Participant},
		{Name: "eli", Role: Participant},
		anna,
		{Name: "fanny", Fingerprint: "SHA256:fanny", Role: Facilitator},
		// gil joined as a participant and later as a facilitator (one
		// person, two roles), and hugo only watches: the room counted
		// gil's participant votes while the study once left out anyone
		// who ever led, so the two disagreed on them.
		{Name: "gil", Fingerprint: "SHA256:gil", Role: Participant},
		{Name: "gil", Fingerprint: "SHA256:gil", Role: Facilitator},
		{Name: "hugo", Role: Spectator},
	}
	verdicts := []Verdict{Accept, Reject, Rephrase, Skip}
	for seed := uint64(1); seed <= 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		tr := sampleTrace(t)
		st := replay(t, tr.events)
		n := 0
		try := func(a Actor, k Kind, data any) {
			n++
			tr.t.Helper()
			before := len(tr.events)
			e := tr.add(fmt.Sprintf("e%d", n), a, k, data)
			if st.Check(e) != nil {
				tr.events = tr.events[:before] // refused live: never recorded
				return
			}
			if err := st.Apply(e); err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
		}
		for range 40 + rng.IntN(60) {
			a := people[rng.IntN(len(people))]
			pid := []string{"P1", "P2"}[rng.IntN(2)]
			switch r := rng.IntN(10); {
			case r < 5:
				v := verdicts[rng.IntN(len(verdicts))]
				d := VoteData{Proposal: pid, Verdict: v}
				switch v {
				case Reject:
					d.Reason = ReasonTooVague
				case Rephrase:
					d.Statement = fmt.Sprintf("Autre formulation %d.", rng.IntN(3))
				}
				kind := KindVoteCast
				if a.Role == Facilitator && v != Skip && rng.IntN(2) == 0 {
					kind = KindDecisionMade
				}
				try(a, kind, d)
			case r < 7:
				if k, data := st.TakeBack(a); k != "" {
					try(a, k, data)
				}
			case r < 8:
				try(a, KindDecisionReopened, ReopenData{Proposal: pid})
			case r < 9:
				try(a, KindParticipantJoin, JoinData{Terminal: "ssh"})
			default:
				try(a, KindParticipantLeft, JoinData{Terminal: "ssh"})
			}
		}
		// The direct count, from the events alone.
		undone := map[string]bool{}
		for _, e := range tr.events {
			if e.Kind == KindActionUndone {
				var u UndoData
				_ = e.Decode(&u)
				undone[u.Target] = true
			}
		}
		// A vote in force is a person's last vote.cast on the link not
		// undone, whatever role they cast it in; it counts when they
		// cast it as a participant.
		type key struct{ p, who string }
		type cast struct {
			v    Verdict
			role Role
		}
		last := map[key]cast{}
		for _, e := range tr.events {
			if e.Kind != KindVoteCast || undone[e.ID] {
				continue
			}
			var d VoteData
			_ = e.Decode(&d)
			last[key{d.Proposal, e.Actor.Key()}] = cast{d.Verdict, e.Actor.Role}
		}
		latest := map[key]Verdict{}
		for k, c := range last {
			if c.role == Participant {
				latest[k] = c.v
			}
		}
		again := replay(t, tr.events)
		total := 0
		for _, p := range []*ProposalState{mustProposal(t, st, "P1"), mustProposal(t, st, "P2")} {
			want := map[Verdict]int{}
			var present []Actor
			voted := 0
			for _, a := range people {
				if a.Role != Participant {
					continue // one line per person: gil once
				}
				v, ok := latest[key{p.ID, a.Key()}]
				if !ok {
					continue
				}
				want[v]++
				total++
			}
			for _, a := range people[:4] {
				if rng.IntN(2) == 0 {
					present = append(present, a)
					if _, ok := latest[key{p.ID, a.Key()}]; ok {
						voted++
					}
				}
			}
			for _, q := range []*ProposalState{p, mustProposal(t, again, p.ID)} {
				got := q.Tally()
				for _, v := range verdicts {
					if got[v] != want[v] {
						t.Fatalf("seed %d, %s: tally %v, direct count %v", seed, p.ID, got, want)
					}
				}
				if tu := q.Turnout(present); tu.Voted != voted || tu.Present != len(present) || len(tu.Missing) != len(present)-voted {
					t.Fatalf("seed %d, %s: turnout %+v, direct count %d/%d", seed, p.ID, tu, voted, len(present))
				}
			}
		}
		// The report: its votes, and its people's lines (a facilitator's
		// own skip is no vote; gil's participant votes are, on his line).
		f := Report(again)
		sum := 0
		for _, pf := range f.Persons {
			sum += pf.Voted
		}
		if sum != total || f.Votes != total {
			t.Fatalf("seed %d: the report counts %d votes, its people's lines %d, the events %d", seed, f.Votes, sum, total)
		}
		// The study (CSV, votes export, report) by the same rule.
		study := NewStudy(again.Events, nil)
		counted := 0
		for _, p := range again.Proposals {
			for _, v := range p.Votes {
				if study.Counts(v) {
					counted++
				}
			}
		}
		if counted != total {
			t.Fatalf("seed %d: the study counts %d votes, the events %d", seed, counted, total)
		}
	}
}

// TestLeaderLeaves: the leader's last departure frees the room; a
// restarted server's state has nobody present and no leader.
func TestLeaderLeaves(t *testing.T) {
	tr := sampleTrace(t)
	tr.add("j1", anna, KindParticipantJoin, JoinData{Terminal: "ssh"})
	tr.add("j2", anna, KindParticipantJoin, JoinData{Terminal: "local"})
	tr.add("m1", anna, KindRoomMoved, ProposalRef{Proposal: "P2"})
	tr.add("l1", anna, KindParticipantLeft, JoinData{Terminal: "ssh"})
	st := replay(t, tr.events)
	if st.Room.Leader.Name != "anna" {
		t.Fatalf("anna still has a screen open, the room lost her: %+v", st.Room)
	}
	tr.add("l2", anna, KindParticipantLeft, JoinData{Terminal: "local"})
	st = replay(t, tr.events)
	if st.Room.Leader.Name != "" || st.Room.Proposal != "P2" || !st.Room.Follow {
		t.Fatalf("after the leader left: %+v, want a free room still on P2", st.Room)
	}
	tr.add("m2", Actor{Name: "fanny", Role: Facilitator}, KindRoomMoved, ProposalRef{Proposal: "P1"})
	st = replay(t, tr.events)
	if st.Room.Leader.Name != "fanny" || st.Room.Proposal != "P1" {
		t.Fatalf("the next facilitator's move leads: %+v", st.Room)
	}
	st.Restart()
	if st.Room.Leader.Name != "" || st.Room.Proposal != "P1" {
		t.Fatalf("after a restart: %+v", st.Room)
	}
}

// TestBlindStaysHidden: votes cast blind stay hidden once voting is open
// again, until the link is revealed; votes cast in the open are not.
func TestBlindStaysHidden(t *testing.T) {
	tr := sampleTrace(t)
	tr.add("b1", anna, KindConditionsSet, Conditions{Blind: true})
	tr.add("v1", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept})
	tr.add("b2", anna, KindConditionsSet, Conditions{})
	tr.add("v2", chloe, KindVoteCast, VoteData{Proposal: "P2", Verdict: Accept})
	st := replay(t, tr.events)
	p1, p2 := mustProposal(t, st, "P1"), mustProposal(t, st, "P2")
	if !p1.Hidden(false) || p2.Hidden(false) || !p2.Hidden(true) {
		t.Fatalf("hidden: P1 %v (cast blind), P2 %v (open), P2 under blind %v", p1.Hidden(false), p2.Hidden(false), p2.Hidden(true))
	}
	// An undo refolds the link: the other vote cast blind stays so.
	tr.add("v3", chloe, KindVoteCast, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonTooVague})
	tr.add("u3", chloe, KindActionUndone, UndoData{Target: "v3"})
	st = replay(t, tr.events)
	if !mustProposal(t, st, "P1").Hidden(false) {
		t.Fatal("an undo made a vote cast blind visible")
	}
	tr.add("r1", anna, KindVotesRevealed, ProposalRef{Proposal: "P1"})
	st = replay(t, tr.events)
	if mustProposal(t, st, "P1").Hidden(false) {
		t.Fatal("revealed, and still hidden")
	}
}
