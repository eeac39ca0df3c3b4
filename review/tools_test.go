package review

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestFacilitatorToolsAreEvents: the agenda, the raised hands and the
// room's view are folded from the trace, so that a replay (a restart, a
// facilitator who reconnects) finds them; a hand goes down at its
// person's last departure and not when the room moves or a link is
// sealed; the view goes back to the link when its leader leaves.
func TestFacilitatorToolsAreEvents(t *testing.T) {
	tr := sampleTrace(t)
	tr.add("j-anna", anna, KindParticipantJoin, JoinData{Terminal: "ssh"})
	tr.add("j-bruno", bruno, KindParticipantJoin, JoinData{Terminal: "ssh"})
	tr.add("j-chloe", chloe, KindParticipantJoin, JoinData{Terminal: "ssh"})
	tr.add("move", anna, KindRoomMoved, ProposalRef{Proposal: "P1"})
	tr.add("agenda", anna, KindAgendaSet, AgendaData{End: t0.Add(2 * time.Hour), Start: t0, Decided: 0, Order: "picked", Picks: []string{"P2", "P1"}})
	tr.add("hand-b", bruno, KindHandRaised, HandData{})
	tr.add("hand-c", chloe, KindHandRaised, HandData{})
	tr.add("results", anna, KindRoomViewed, RoomView{View: ViewResults})
	tr.add("move2", anna, KindRoomMoved, ProposalRef{Proposal: "P2"})
	tr.add("seal", anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Accept, Version: 1})
	st := replay(t, tr.events)
	if a := st.Agenda; a == nil || a.Order != "picked" || !slices.Equal(a.Picks, []string{"P2", "P1"}) || !a.End.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("agenda after a replay: %+v", a)
	}
	if !st.Hand(bruno) || !st.Hand(chloe) || st.Hand(anna) {
		t.Fatalf("hands after a move and a seal: %v, want bruno's and chloé's still up", st.Hands)
	}
	if st.Room.View != ViewResults {
		t.Fatalf("view %q, want the results", st.Room.View)
	}
	// A restarted server: nobody is present, the wall is back on the
	// link, the agenda and the hands are kept (a hand shows again when
	// its person comes back).
	restarted := replay(t, tr.events)
	restarted.Restart()
	if restarted.Room.View != "" || restarted.Agenda == nil || !restarted.Hand(bruno) {
		t.Fatalf("after a restart: view %q, agenda %+v, hands %v", restarted.Room.View, restarted.Agenda, restarted.Hands)
	}
	snap := st.Snapshot()
	tr.add("lower-b", bruno, KindHandLowered, HandData{})
	tr.add("left-c", chloe, KindParticipantLeft, JoinData{Terminal: "ssh"})
	for _, e := range tr.events[len(tr.events)-2:] {
		if err := st.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	if len(st.Hands) != 0 {
		t.Fatalf("hands %v after bruno lowered his and chloé left", st.Hands)
	}
	if len(snap.Hands) != 2 {
		t.Fatalf("a snapshot taken before saw its hands change: %v", snap.Hands)
	}
	tr.add("left-anna", anna, KindParticipantLeft, JoinData{Terminal: "ssh"})
	st = replay(t, tr.events)
	if st.Room.View != "" || st.Agenda == nil {
		t.Fatalf("after the leader left: view %q, agenda %+v; want the link, the agenda kept", st.Room.View, st.Agenda)
	}
	// Refused: a participant's agenda or view, an unknown order, an end
	// before its start, a pick that is no link.
	for i, c := range []struct {
		who  Actor
		kind Kind
		data any
	}{
		{bruno, KindAgendaSet, AgendaData{Order: "list"}},
		{bruno, KindRoomViewed, RoomView{View: ViewResults}},
		{anna, KindAgendaSet, AgendaData{Order: "random"}},
		{anna, KindAgendaSet, AgendaData{Order: "list", Start: t0, End: t0.Add(-time.Minute)}},
		{anna, KindAgendaSet, AgendaData{Order: "picked", Picks: []string{"P9"}}},
		{anna, KindRoomViewed, RoomView{View: "slides"}},
	} {
		e := MustEvent("atelier", fmt.Sprintf("refused-%d", i), t0, c.who, c.kind, c.data)
		if Authorize(c.who.Role, c.kind) == nil && st.Check(e) == nil {
			t.Errorf("%s %s %+v was accepted", c.who.Name, c.kind, c.data)
		}
	}
}
