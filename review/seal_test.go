package review

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// live appends events as the hub does: authorize, check, then apply.
type live struct {
	t  *testing.T
	st *State
	n  int
}

func newLive(t *testing.T) *live {
	t.Helper()
	tr := sampleTrace(t)
	return &live{t: t, st: replay(t, tr.events), n: len(tr.events)}
}

// do tries one action and returns the refusal, if any.
func (l *live) do(a Actor, k Kind, data any) error {
	l.t.Helper()
	if err := Authorize(a.Role, k); err != nil {
		return err
	}
	l.n++
	e := MustEvent("atelier", fmt.Sprintf("e%d", l.n), t0.Add(timeStep(l.n)), a, k, data)
	e.Seq = int64(l.n)
	if err := l.st.Check(e); err != nil {
		return err
	}
	if err := l.st.Apply(e); err != nil {
		l.t.Fatalf("Apply refused what Check accepted: %v", err)
	}
	return nil
}

func (l *live) must(a Actor, k Kind, data any) {
	l.t.Helper()
	if err := l.do(a, k, data); err != nil {
		l.t.Fatalf("%s by %s: %v", k, a.Name, err)
	}
}

func (l *live) p1() *ProposalState {
	p, _ := l.st.Proposal("P1")
	return p
}

const original = "Le passage illustre le critère car les règles sont votées."

func TestSealTellsTheTruth(t *testing.T) {
	t.Run("a participant's rephrase then the facilitator's accept keeps the original", func(t *testing.T) {
		l := newLive(t)
		l.must(bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Les règles du jardin sont votées."})
		l.must(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Accept})
		p := l.p1()
		if p.Status != Accepted || p.Final != original || p.FinalVersion != 1 || p.FinalAuthor != sys || !p.Sealed {
			t.Fatalf("status %s final %q version %d author %v sealed %v", p.Status, p.Final, p.FinalVersion, p.FinalAuthor, p.Sealed)
		}
	})
	t.Run("the facilitator picks a participant's version", func(t *testing.T) {
		l := newLive(t)
		l.must(bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Les règles du jardin sont votées."})
		l.must(chloe, KindVoteCast, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "On vote les règles."})
		l.must(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Version: 2, Outcome: "La version de Bruno."})
		p := l.p1()
		if p.Status != Rephrased || p.Final != "Les règles du jardin sont votées." || p.FinalAuthor != bruno || p.FinalVersion != 2 || p.Outcome != "La version de Bruno." {
			t.Fatalf("status %s final %q author %v version %d outcome %q", p.Status, p.Final, p.FinalAuthor, p.FinalVersion, p.Outcome)
		}
		if got := p.Versions[2].Diff; !strings.Contains(got, "[-Le passage illustre") {
			t.Errorf("a version's diff is against the original: %q", got)
		}
	})
	t.Run("the facilitator's own wording", func(t *testing.T) {
		l := newLive(t)
		l.must(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Règles votées."})
		p := l.p1()
		if p.Status != Rephrased || p.Final != "Règles votées." || p.FinalAuthor != anna || p.FinalVersion != 2 {
			t.Fatalf("status %s final %q author %v", p.Status, p.Final, p.FinalAuthor)
		}
	})
	t.Run("a sealed link refuses votes, rephrasings, decisions and undos", func(t *testing.T) {
		l := newLive(t)
		l.must(bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept})
		l.must(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Accept})
		before := *l.p1()
		for _, try := range []struct {
			a    Actor
			k    Kind
			data any
		}{
			{chloe, KindVoteCast, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonTooVague}},
			{chloe, KindVoteCast, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Autre chose."}},
			{anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonOffTopic}},
			{bruno, KindActionUndone, UndoData{Target: l.st.LastUndoable(bruno)}},
		} {
			if err := l.do(try.a, try.k, try.data); !errors.Is(err, ErrSealed) {
				t.Errorf("%s by %s on a sealed link: %v, want ErrSealed", try.k, try.a.Name, err)
			}
		}
		after := l.p1()
		if after.Final != before.Final || len(after.Versions) != len(before.Versions) || len(after.Votes) != len(before.Votes) {
			t.Fatal("a refused action changed the sealed link")
		}
		l.must(chloe, KindCommentAdded, CommentData{Proposal: "P1", Text: "On en reparle ?"})
	})
	t.Run("reopen lifts the seal, and is recorded", func(t *testing.T) {
		l := newLive(t)
		l.must(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonOffTopic})
		l.must(anna, KindDecisionReopened, ReopenData{Proposal: "P1"})
		p := l.p1()
		if p.Status != Pending || p.Sealed || p.Reopened != 1 || len(p.Decisions) != 1 || p.Final != original {
			t.Fatalf("after reopen: status %s sealed %v reopened %d decisions %d", p.Status, p.Sealed, p.Reopened, len(p.Decisions))
		}
		l.must(bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept, Version: 1})
		if err := l.do(anna, KindDecisionReopened, ReopenData{Proposal: "P1"}); err == nil {
			t.Fatal("reopening an open link was accepted")
		}
	})
	t.Run("a rephrasing that is the original, or version 1, is refused", func(t *testing.T) {
		l := newLive(t)
		if err := l.do(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: original}); err == nil || !strings.Contains(err.Error(), "accept it instead") {
			t.Fatalf("got %v", err)
		}
		if err := l.do(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Version: 1}); err == nil {
			t.Fatal("version 1 as a rephrasing was accepted")
		}
		if err := l.do(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Version: 3}); err == nil {
			t.Fatal("a version that does not exist was accepted")
		}
	})
	t.Run("participants cannot lead, reveal, park, time or reopen", func(t *testing.T) {
		for _, k := range []Kind{KindDecisionReopened, KindConditionsSet, KindVotesRevealed, KindProposalParked, KindTimerStarted, KindTimerStopped, KindRoomLed, KindRoomMoved, KindConsentSet, KindPersonForgotten} {
			if Authorize(Participant, k) == nil {
				t.Errorf("a participant may %s", k)
			}
		}
		for _, k := range []Kind{KindVoteCast, KindExposure, KindPaneOpened, KindConsentAnswered, KindCommentAdded} {
			if err := Authorize(Participant, k); err != nil {
				t.Errorf("a participant may not %s: %v", k, err)
			}
		}
		if Authorize(Spectator, KindExposure) == nil || Authorize(Spectator, KindConsentAnswered) != nil {
			t.Error("a spectator records nothing but joining, leaving and answering consent")
		}
	})
}

func TestRoomFollowsItsLeader(t *testing.T) {
	l := newLive(t)
	bea := Actor{Name: "béa", Role: Facilitator}
	if !l.st.Room.Follow || l.st.Room.Leader.Name != "" {
		t.Fatalf("a new room follows and has no leader: %+v", l.st.Room)
	}
	l.must(anna, KindRoomMoved, ProposalRef{Proposal: "P2"})
	if l.st.Room.Proposal != "P2" || l.st.Room.Leader != anna {
		t.Fatalf("the first facilitator to move leads: %+v", l.st.Room)
	}
	l.must(bea, KindRoomMoved, ProposalRef{Proposal: "P1"})
	if l.st.Room.Proposal != "P2" {
		t.Fatal("a facilitator who does not lead moved the room")
	}
	l.must(bea, KindRoomLed, RoomData{Follow: true, Proposal: "P1"})
	if l.st.Room.Proposal != "P1" || l.st.Room.Leader != bea {
		t.Fatalf("taking the lead: %+v", l.st.Room)
	}
	l.must(bea, KindRoomLed, RoomData{Follow: false})
	if l.st.Room.Follow || l.st.Room.Proposal != "P1" {
		t.Fatalf("free browsing keeps the room's link: %+v", l.st.Room)
	}
}

func TestWorkshopEvents(t *testing.T) {
	l := newLive(t)
	l.must(anna, KindTimerStarted, TimerData{Proposal: "P1", Seconds: 180})
	if p := l.p1(); p.Timer == nil || p.Timer.Seconds != 180 || !p.Timer.Running(p.Timer.Start) {
		t.Fatalf("timer: %+v", p.Timer)
	}
	shared := l.st.Snapshot()
	l.must(anna, KindTimerStopped, TimerStop{Proposal: "P1", Reason: TimerElapsed})
	if sp, _ := shared.Proposal("P1"); !sp.Timer.Stopped.IsZero() {
		t.Fatal("stopping a timer changed a snapshot")
	}
	if err := l.do(anna, KindTimerStopped, TimerStop{Proposal: "P1", Reason: TimerElapsed}); err == nil {
		t.Fatal("a stopped timer stopped again")
	}
	l.must(anna, KindProposalParked, ParkData{Proposal: "P1", Parked: true})
	l.must(anna, KindVotesRevealed, ProposalRef{Proposal: "P1"})
	if p := l.p1(); !p.Parked || !p.Revealed {
		t.Fatalf("parked %v revealed %v", p.Parked, p.Revealed)
	}
	l.must(anna, KindConditionsSet, Conditions{Blind: true, Random: &Random{Seed: 7, Factors: []string{FactorOrigin}}})
	if err := l.do(anna, KindConditionsSet, Conditions{Random: &Random{Factors: []string{"colour"}}}); err == nil {
		t.Fatal("an unknown factor was accepted")
	}
	l.must(bruno, KindExposure, Exposure{Proposal: "P1", From: t0, To: t0.Add(3e9), State: ExposureActive, End: EndMoved})
	if err := l.do(bruno, KindExposure, Exposure{Proposal: "P1", From: t0, To: t0.Add(-1), State: ExposureActive}); err == nil {
		t.Fatal("an exposure that ends before it starts was accepted")
	}
}

func TestConditionsForIsADeterministicDraw(t *testing.T) {
	st := NewState()
	st.Conditions = Conditions{Blind: true, Random: &Random{Seed: 42, Factors: []string{FactorOrigin, FactorConfidence}}}
	hidden := 0
	for i := range 400 {
		a := Actor{Name: fmt.Sprintf("p%d", i)}
		c := st.ConditionsFor(a)
		if c != st.ConditionsFor(a) {
			t.Fatal("two draws for one person differ")
		}
		if !c.Blind {
			t.Fatal("a drawn arm lost the session's own condition")
		}
		if c.HideOrigin {
			hidden++
		}
	}
	if hidden < 160 || hidden > 240 {
		t.Fatalf("origin hidden for %d of 400 people; want about half", hidden)
	}
}

func TestConsentAnswersNameTheirText(t *testing.T) {
	l := newLive(t)
	l.must(sys, KindConsentSet, ConsentText{Text: "Vos votes sont étudiés."})
	if !l.st.ConsentNeeded(bruno) {
		t.Fatal("bruno has not answered")
	}
	if err := l.do(bruno, KindConsentAnswered, ConsentAnswer{Agreed: true, Hash: "bad"}); err == nil {
		t.Fatal("an answer to another text was accepted")
	}
	shared := l.st.Snapshot()
	l.must(bruno, KindConsentAnswered, ConsentAnswer{Agreed: false, Hash: l.st.Consent.Hash})
	if l.st.ConsentNeeded(bruno) || l.st.Consent.Answers[bruno.Key()] {
		t.Fatal("bruno declined")
	}
	if !shared.ConsentNeeded(bruno) {
		t.Fatal("an answer changed a snapshot taken before it")
	}
	l.must(sys, KindPersonForgotten, Forget{Name: "bruno"})
	if !l.st.IsForgotten(bruno) || l.st.IsForgotten(chloe) {
		t.Fatal("forgetting bruno")
	}
}

func TestJudgedIsNotChangedUnderASnapshot(t *testing.T) {
	l := newLive(t)
	shared := l.st.Snapshot()
	l.must(sys, KindPairJudged, PairJudged{Key: "k1", Passage: "0123456789ab-p1", Criterion: "C1"})
	if shared.Judged["k1"] || !l.st.Judged["k1"] {
		t.Fatal("a judged pair leaked into an earlier snapshot, or was lost")
	}
}

// TestSealInvariants folds random workshops through Authorize and Check,
// as the hub does, and checks after every step that the status and the
// final wording agree and that nothing but a reopen changed a sealed link;
// then that replaying what was accepted gives the same proposals.
func TestSealInvariants(t *testing.T) {
	people := []Actor{anna, bruno, chloe, {Name: "béa", Role: Facilitator}, {Name: "dan", Role: Spectator}}
	wordings := []string{original, "Les règles sont votées.", "On vote.", "Les règles du jardin sont votées en assemblée."}
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 1))
		l := newLive(t)
		for range 60 {
			a := people[r.IntN(len(people))]
			pid := []string{"P1", "P2"}[r.IntN(2)]
			before := *mustProposal(t, l.st, pid)
			var k Kind
			var data any
			switch r.IntN(9) {
			case 0, 1:
				k, data = KindVoteCast, VoteData{Proposal: pid, Verdict: []Verdict{Accept, Reject, Skip}[r.IntN(3)], Reason: ReasonTooVague, Version: 1}
			case 2:
				k, data = KindVoteCast, VoteData{Proposal: pid, Verdict: Rephrase, Statement: wordings[r.IntN(len(wordings))]}
			case 3:
				k, data = KindDecisionMade, VoteData{Proposal: pid, Verdict: []Verdict{Accept, Reject}[r.IntN(2)], Reason: ReasonOffTopic}
			case 4:
				k, data = KindDecisionMade, VoteData{Proposal: pid, Verdict: Rephrase, Version: r.IntN(4) + 1}
			case 5:
				k, data = KindDecisionMade, VoteData{Proposal: pid, Verdict: Rephrase, Statement: wordings[r.IntN(len(wordings))]}
			case 6:
				k, data = KindDecisionReopened, ReopenData{Proposal: pid}
			case 7:
				k, data = KindActionUndone, UndoData{Target: l.st.LastUndoable(a)}
			case 8:
				k, data = []Kind{KindVotesRevealed, KindRoomMoved}[r.IntN(2)], ProposalRef{Proposal: pid}
			}
			err := l.do(a, k, data)
			for _, p := range l.st.Proposals {
				checkFinal(t, seed, p)
			}
			after := mustProposal(t, l.st, pid)
			if err == nil && before.Sealed && k != KindDecisionReopened {
				if after.Status != before.Status || after.Final != before.Final || after.FinalAuthor != before.FinalAuthor || after.Decision != before.Decision {
					t.Fatalf("seed %d: %s changed sealed %s from %s %q to %s %q", seed, k, pid, before.Status, before.Final, after.Status, after.Final)
				}
			}
		}
		again := replay(t, l.st.Events)
		for i, p := range l.st.Proposals {
			q := again.Proposals[i]
			if p.Status != q.Status || p.Final != q.Final || p.FinalAuthor != q.FinalAuthor || len(p.Versions) != len(q.Versions) || p.Sealed != q.Sealed {
				t.Fatalf("seed %d: replay differs on %s: %s %q vs %s %q", seed, p.ID, p.Status, p.Final, q.Status, q.Final)
			}
		}
	}
}

func mustProposal(t *testing.T, st *State, id string) *ProposalState {
	t.Helper()
	p, ok := st.Proposal(id)
	if !ok {
		t.Fatalf("no %s", id)
	}
	return p
}

func checkFinal(t *testing.T, seed uint64, p *ProposalState) {
	t.Helper()
	ok := true
	switch p.Status {
	case Accepted:
		ok = p.Final == p.Statement && p.FinalVersion == 1 && p.Sealed
	case Rephrased:
		ok = p.FinalVersion > 1 && p.Final == p.Versions[p.FinalVersion-1].Statement && p.Final != p.Statement && p.Sealed &&
			p.FinalAuthor == p.Versions[p.FinalVersion-1].Author
	case Rejected:
		ok = p.Final == "" && p.Sealed
	case Pending:
		ok = p.Final == p.Statement && !p.Sealed && p.Decision == nil
	}
	if !ok {
		t.Fatalf("seed %d: %s is %s with final %q (version %d, sealed %v)", seed, p.ID, p.Status, p.Final, p.FinalVersion, p.Sealed)
	}
}

func timeStep(n int) time.Duration { return time.Duration(n) * time.Second }

func TestWordOps(t *testing.T) {
	tests := []struct {
		a, b string
		want string
	}{
		{"les règles sont votées", "les règles sont décidées ensemble", "=les|=règles|=sont|-votées|+décidées ensemble"},
		{"a b", "a b", "=a|=b"},
		{"", "tout neuf", "+tout neuf"},
		{"tout part", "", "-tout part"},
	}
	for _, tt := range tests {
		var parts []string
		for _, op := range WordOps(tt.a, tt.b) {
			parts = append(parts, string(op.Op)+op.Text)
		}
		if got := strings.Join(parts, "|"); got != tt.want {
			t.Errorf("WordOps(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestTakeBackReopensASealAndUndoesAVote(t *testing.T) {
	l := newLive(t)
	if k, _ := l.st.TakeBack(anna); k != "" {
		t.Fatalf("nothing done, yet %s", k)
	}
	l.must(anna, KindVoteCast, VoteData{Proposal: "P2", Verdict: Accept})
	l.must(anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Accept})
	k, data := l.st.TakeBack(anna)
	if k != KindDecisionReopened || data.(ReopenData).Proposal != "P1" {
		t.Fatalf("after a seal: %s %+v", k, data)
	}
	l.must(anna, k, data)
	k, data = l.st.TakeBack(anna)
	if k != KindActionUndone {
		t.Fatalf("after the reopening: %s %+v, want the vote's undoing", k, data)
	}
}

func TestARephrasingVoteWithTheVersionOnScreenBringsItsWording(t *testing.T) {
	l := newLive(t)
	l.must(bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Règles votées.", Version: 1})
	p := l.p1()
	if len(p.Versions) != 2 || p.Versions[1].Statement != "Règles votées." || p.Votes[0].Version != 2 {
		t.Fatalf("versions %+v, vote version %d", p.Versions, p.Votes[0].Version)
	}
}
