package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/coopdescommuns/revue/review"
)

// lastOf is the last event of a kind in the store, and whether there is one.
func lastOf(h *harness, k review.Kind) (review.Event, bool) {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	for i := len(h.store.events) - 1; i >= 0; i-- {
		if h.store.events[i].Kind == k {
			return h.store.events[i], true
		}
	}
	return review.Event{}, false
}

func countOf(h *harness, k review.Kind) int {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	n := 0
	for _, e := range h.store.events {
		if e.Kind == k {
			n++
		}
	}
	return n
}

// A facilitator's move costs each follower one draw. The followers'
// presences go to the new link in the move's own revision
// (session.Hub.Look), so their screens draw the link and who else is
// there once, and the gathering of presences that follows finds nothing
// to tell them; before, each follower drew the link, then drew it again
// a second later with its lookers.
func TestMoveDrawsEachFollowerOnce(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	var followers []*harness
	for _, a := range []review.Actor{malik, zoe, yanis} {
		followers = append(followers, startHarness(t, fac.hub, fac.store, a, "fr", 80, 24))
	}
	fac.until("the room led by Claire", func() bool { return fac.hub.Snapshot().State.Room.Leader.Name == "Claire" })
	settle := func(to string) {
		t.Helper()
		for _, f := range followers {
			f.until("the follower on "+to+", the hub told", func() bool { return f.m.current == to && f.settled() && f.focusOf(f.m.opts.Actor) == to })
		}
		fac.until("the facilitator's calls done", fac.settled)
		fac.hub.FlushPresence()
		rev := fac.hub.Snapshot().Rev
		for _, f := range followers {
			f.until("the last revision on screen", func() bool { return f.m.snap.Rev >= rev })
		}
	}
	room := fac.hub.Snapshot().State.Room.Proposal
	settle(room)
	for _, f := range followers {
		f.countDraws()
	}
	fac.press("j")
	fac.until("the room moved", func() bool { return fac.hub.Snapshot().State.Room.Proposal != room })
	next := fac.hub.Snapshot().State.Room.Proposal
	for _, f := range followers {
		f.until("the follower on "+next+", the hub told", func() bool { return f.m.current == next && f.settled() })
	}
	fac.until("the facilitator's calls done", fac.settled)
	before := fac.hub.Stats()
	fac.hub.FlushPresence() // what the hub does PresenceEvery after a look
	if after := fac.hub.Stats(); after.Flushes != before.Flushes || after.Signals != before.Signals {
		t.Errorf("after the move, the gathered presences woke screens again: %+v, then %+v", before, after)
	}
	rev := fac.hub.Snapshot().Rev
	for _, f := range followers {
		f.until("the last revision on screen", func() bool { return f.m.snap.Rev >= rev })
		if f.draws != 1 {
			t.Errorf("%s drew %d frames for one move of the room, want 1", f.m.opts.Actor.Name, f.draws)
		}
		if s := f.screen(); !strings.Contains(s, "aussi ici") || !strings.Contains(s, "Claire") {
			t.Errorf("%s's screen does not show who else is on the link:\n%s", f.m.opts.Actor.Name, s)
		}
	}
	// A follower that stays behind (a comment being written) is put back
	// where it is when the hub moved it with the room: here the hub still
	// believes it rides, as when the move overtakes the screen's word.
	m := followers[0]
	m.press("c")
	m.until("Malik's calls done", m.settled)
	m.hub.Look(m.m.conn, next, true)
	fac.press("j")
	fac.until("the room moved again", func() bool { return fac.hub.Snapshot().State.Room.Proposal != next })
	m.until("Malik back on "+next+" for the others", func() bool { return m.settled() && m.m.snap.State.Room.Proposal != next && m.focusOf(malik) == next })
}

// The room follows its leader: a participant's screen moves with the
// facilitator's, breaks away on its own move and comes back with f.
func TestFollowBreakAwayRejoin(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	// The first facilitator to arrive leads a room nobody leads.
	fac.until("the room led by Claire", func() bool { return fac.hub.Snapshot().State.Room.Leader.Name == "Claire" })
	if n := countOf(fac, review.KindRoomMoved); n != 1 {
		t.Fatalf("%d room.moved on arriving, want 1", n)
	}
	fac.press("j", "j")
	fac.until("the room on p3", func() bool { return fac.hub.Snapshot().State.Room.Proposal == "p3" })
	if n := countOf(fac, review.KindRoomMoved); n != 3 {
		t.Fatalf("%d room.moved for an arrival and two moves of the leader, want 3", n)
	}
	par.until("the participant on p3", func() bool { return par.m.current == "p3" })
	if !strings.Contains(par.screen(), "◉ salle") {
		t.Fatalf("the follower's screen does not say it follows:\n%s", par.screen())
	}
	par.press("k")
	if par.m.current != "p2" || !strings.Contains(par.screen(), "vous naviguez seul·e — f pour rejoindre la salle") {
		t.Fatalf("breaking away: on %s\n%s", par.m.current, par.screen())
	}
	fac.press("j")
	fac.until("the room on p4", func() bool { return fac.hub.Snapshot().State.Room.Proposal == "p4" })
	rev := fac.hub.Snapshot().StateRev
	par.until("the move reaches the participant", func() bool { return par.m.snap.StateRev >= rev })
	if par.m.current != "p2" {
		t.Fatalf("a participant browsing alone was moved to %s", par.m.current)
	}
	par.press("f")
	if par.m.current != "p4" || !strings.Contains(par.screen(), "Vous suivez à nouveau la salle.") {
		t.Fatalf("f: on %s\n%s", par.m.current, par.screen())
	}
	// The leader frees the room: the next moves take nobody along.
	fac.current()
	fac.press("F")
	fac.idle()
	rev = fac.hub.Snapshot().StateRev
	par.until("the room freed", func() bool { return par.m.snap.StateRev >= rev })
	if !strings.Contains(par.screen(), "Claire (animation) a libéré la salle") {
		t.Fatalf("the follower is not told the room is free:\n%s", par.screen())
	}
	fac.press("k")
	fac.idle()
	if fac.hub.Snapshot().State.Room.Follow || fac.hub.Snapshot().State.Room.Proposal != "p4" {
		t.Fatalf("room after F and k: %+v", fac.hub.Snapshot().State.Room)
	}
	// The participant browses meanwhile; F again takes the room along,
	// them included, and the notice of the freed room gives way.
	par.press("g")
	fac.current()
	fac.press("F")
	fac.idle()
	rev = fac.hub.Snapshot().StateRev
	par.until("the room called back", func() bool { return par.m.snap.StateRev >= rev && par.m.current == "p3" })
	if got := par.screen(); strings.Contains(got, "libéré la salle") || !strings.Contains(got, "Claire (animation) mène la salle") || !strings.Contains(got, "◉ salle") {
		t.Fatalf("after F F, the follower's screen:\n%s", got)
	}
}

// The leader's departure frees the room and is told; the next facilitator
// to arrive leads it from where it was, and the followers go along.
func TestLeaderLeavesThenArrives(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	fac.press("j", "j")
	fac.until("the room on p3", func() bool { return fac.hub.Snapshot().State.Room.Proposal == "p3" })
	par.until("the participant on p3", func() bool { return par.m.current == "p3" })
	fac.hub.Leave(context.Background(), fac.m.conn)
	par.until("the leader's departure told", func() bool {
		return strings.Contains(par.screen(), "Claire (animation) a quitté la salle")
	})
	if r := fac.hub.Snapshot().State.Room; r.Leader.Name != "" || r.Proposal != "p3" {
		t.Fatalf("room after the leader left: %+v", r)
	}
	other := review.Actor{Name: "Inès", Fingerprint: "SHA256:ines", Role: review.Facilitator}
	ines := startHarness(t, fac.hub, fac.store, other, "fr", 80, 24)
	ines.until("Inès leads from p3", func() bool {
		r := fac.hub.Snapshot().State.Room
		return r.Leader.Name == "Inès" && r.Proposal == "p3"
	})
	ines.press("j")
	par.until("the follower goes along", func() bool { return par.m.current == "p4" })
	if got := par.screen(); !strings.Contains(got, "Inès (animation) mène la salle") {
		t.Fatalf("the new leader is not told:\n%s", got)
	}
}

// A participant's rephrasing then the facilitator's accept: accepted
// means the statement as proposed, never the participant's wording.
func TestAcceptAfterRephraseKeepsStatement(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	par.press("e")
	par.m.editor.SetValue("Une autre formulation du lien.")
	par.press("ctrl+s")
	par.idle()
	rev := par.hub.Snapshot().StateRev
	fac.until("the rephrasing on the facilitator's screen", func() bool { return fac.m.snap.StateRev >= rev })
	if !strings.Contains(fac.screen(), "version 2 · Malik") {
		t.Fatalf("the competing wording is not shown:\n%s", fac.screen())
	}
	fac.press("a")
	fac.idle()
	p := fac.proposal("p1")
	if p.Status != review.Accepted || p.Final != p.Statement || p.FinalVersion != 1 || !p.Sealed {
		t.Fatalf("accepted after a rephrasing: %s %q (version %d)", p.Status, p.Final, p.FinalVersion)
	}
	// Sealed: a vote and a rephrasing are refused at once, and nothing is
	// recorded.
	rev = fac.hub.Snapshot().StateRev
	par.until("the seal on the participant's screen", func() bool { return par.m.snap.StateRev >= rev })
	if !strings.Contains(par.screen(), "Claire (animation) a accepté ce lien.") {
		t.Fatalf("no notice of the decision:\n%s", par.screen())
	}
	n := len(par.store.events)
	par.press("r")
	par.press("e")
	if par.m.mode != modeBrowse || !strings.Contains(par.screen(), "Ce lien est scellé ; l'animation peut le rouvrir (o).") {
		t.Fatalf("a sealed link let a rephrasing start:\n%s", par.screen())
	}
	if len(par.store.events) != n {
		t.Fatal("something was recorded on a sealed link")
	}
	// The hub refuses too, whatever the screen: the same sentence.
	par.m.snap = fac.hub.Snapshot()
	_, err := fac.hub.Do(context.Background(), malik, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonTooVague})
	if par.m.errSentence(err) != par.m.t.ErrSealed {
		t.Fatalf("the hub's refusal %v reads %q", err, par.m.errSentence(err))
	}
	// Reopen, then the participant may vote again.
	fac.press("o")
	fac.idle()
	if p := fac.proposal("p1"); p.Sealed || p.Status != review.Pending || p.Reopened != 1 {
		t.Fatalf("after o: %+v", p.Status)
	}
	rev = fac.hub.Snapshot().StateRev
	par.until("the reopening on the participant's screen", func() bool { return par.m.snap.StateRev >= rev })
	if !strings.Contains(par.screen(), "Claire (animation) a rouvert ce lien.") {
		t.Fatalf("no notice of the reopening:\n%s", par.screen())
	}
	par.press("a")
	par.idle()
	if e, _ := lastOf(par, review.KindVoteCast); e.Actor.Name != "Malik" {
		t.Fatal("the vote after reopening was not recorded")
	}
}

// The picker seals a participant's wording, which stays theirs.
func TestSealAParticipantsVersion(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	if _, err := fac.hub.Do(context.Background(), malik, review.KindVoteCast,
		review.VoteData{Proposal: "p1", Verdict: review.Rephrase, Statement: "Les membres du jardin votent les changements de règles."}); err != nil {
		t.Fatal(err)
	}
	rev := fac.hub.Snapshot().StateRev
	fac.until("the rephrasing", func() bool { return fac.m.snap.StateRev >= rev })
	fac.press("v")
	got := fac.screen()
	for _, want := range []string{"Sceller une formulation", "version 2 · Malik", "avant : Les membres du jardin votent eux-mêmes", "après : Les membres du jardin votent les"} {
		if !strings.Contains(got, want) {
			t.Errorf("picker lacks %q", want)
		}
	}
	if strings.Contains(got, "[-") || strings.Contains(got, "{+") {
		t.Errorf("the picker shows the trace's diff notation:\n%s", got)
	}
	if t.Failed() {
		t.Fatal(got)
	}
	fac.press("tab")
	fac.typeText("Le groupe préfère sans « eux-mêmes ».")
	fac.press("enter")
	fac.idle()
	p := fac.proposal("p1")
	if p.Status != review.Rephrased || p.FinalVersion != 2 || p.FinalAuthor.Name != "Malik" || p.Outcome != "Le groupe préfère sans « eux-mêmes »." {
		t.Fatalf("sealed %s version %d by %s, outcome %q", p.Status, p.FinalVersion, p.FinalAuthor.Name, p.Outcome)
	}
	fac.until("the picker's opening recorded", func() bool {
		e, ok := lastOf(fac, review.KindPaneOpened)
		return ok && strings.Contains(string(e.Data), `"versions"`)
	})
}

// Blind voting: a participant sees only how many voted until the reveal;
// the facilitator always sees everything.
func TestBlindThenReveal(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 160, 48)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 160, 48)
	fac.press("b")
	fac.idle()
	if !fac.hub.Snapshot().State.Conditions.Blind {
		t.Fatal("b did not turn blind voting on")
	}
	ctx := context.Background()
	if _, err := fac.hub.Do(ctx, zoe, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonTooVague}); err != nil {
		t.Fatal(err)
	}
	if _, err := fac.hub.Do(ctx, zoe, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Rephrase, Statement: "Texte de Zoé, secret."}); err != nil {
		t.Fatal(err)
	}
	rev := fac.hub.Snapshot().StateRev
	par.until("Zoé's votes", func() bool { return par.m.snap.StateRev >= rev })
	fac.until("Zoé's votes", func() bool { return fac.m.snap.StateRev >= rev })
	par.press("a")
	par.idle()
	screens := map[string]string{"browse": par.m.View().Content}
	par.press("w")
	screens["why"] = par.m.View().Content
	par.press("w")
	for where, s := range screens {
		for _, leak := range []string{"Zoé a", "Zoé ✗", "Zoé ✎", "secret", "désaccord", "trop vague"} {
			if strings.Contains(stripped(s), leak) {
				t.Errorf("the participant's %s screen shows %q before the reveal:\n%s", where, leak, stripped(s))
			}
		}
	}
	if got := par.screen(); !strings.Contains(got, "2 votes, masqués") || !strings.Contains(got, "Malik a accepté") {
		t.Errorf("the participant should see the count and their own vote:\n%s", got)
	}
	if got := fac.screen(); !strings.Contains(got, "Zoé a reformulé") || !strings.Contains(got, "Texte de Zoé") {
		t.Errorf("the facilitator sees everything:\n%s", got)
	}
	fac.press("R")
	fac.idle()
	rev = fac.hub.Snapshot().StateRev
	par.until("the reveal", func() bool { return par.m.snap.StateRev >= rev })
	if got := par.screen(); !strings.Contains(got, "Zoé a reformulé") || !strings.Contains(got, "a révélé les votes de ce lien") {
		t.Errorf("after the reveal:\n%s", got)
	}
	fac.press("b")
	fac.idle()
	if c := fac.hub.Snapshot().State.Conditions; c.Blind {
		t.Fatalf("a second b should turn blind voting off: %+v", c)
	}
}

// The conditions hide the origin and the confidence from participants,
// never from the facilitator.
func TestConditionsHideForParticipants(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	if _, err := fac.hub.Do(context.Background(), facilitator, review.KindConditionsSet,
		review.Conditions{HideOrigin: true, HideConfidence: true, HideRationale: true}); err != nil {
		t.Fatal(err)
	}
	rev := fac.hub.Snapshot().StateRev
	par.until("the conditions", func() bool { return par.m.snap.StateRev >= rev })
	fac.until("the conditions", func() bool { return fac.m.snap.StateRev >= rev })
	if got := par.screen(); strings.Contains(got, "qwen3") || strings.Contains(got, "confiance") {
		t.Errorf("the participant sees the origin or the confidence:\n%s", got)
	}
	par.press("w")
	if par.m.mode == modeWhy || !strings.Contains(par.screen(), "n'est pas montrée") {
		t.Errorf("the provenance is offered against the conditions:\n%s", par.screen())
	}
	if got := fac.screen(); !strings.Contains(got, "qwen3:4b") || !strings.Contains(got, "confiance 0,82") {
		t.Errorf("the facilitator should see everything:\n%s", got)
	}
}

// A timer shows on every screen; the starter's screen records that it
// ran out.
func TestTimer(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	// t asks how long, 3 minutes unless told otherwise.
	fac.press("t")
	if !strings.Contains(fac.screen(), "Durée du minuteur") {
		t.Fatalf("t should ask the timer's length:\n%s", fac.screen())
	}
	fac.press("backspace", "x", "enter")
	if !strings.Contains(fac.screen(), "Écrivez une durée") {
		t.Fatalf("a bad length should be said:\n%s", fac.screen())
	}
	fac.press("backspace", "2", ":", "3", "0", "enter")
	fac.idle()
	// The timer starts at the hub's time, which is the real clock: set
	// the screens' clocks there.
	start := fac.proposal("p1").Timer.Start
	if s := fac.proposal("p1").Timer.Seconds; s != 150 {
		t.Fatalf("a timer of %d s, want 150", s)
	}
	fac.clock.t, par.clock.t = start, start
	rev := fac.hub.Snapshot().StateRev
	par.until("the timer", func() bool { return par.m.snap.StateRev >= rev })
	if !strings.Contains(fac.screen(), "minuteur 2:30") || !strings.Contains(par.screen(), "minuteur 2:30") {
		t.Fatalf("timer not shown:\n%s\n%s", fac.screen(), par.screen())
	}
	// The facilitator moves on: the room's timer stays on every screen.
	fac.press("j")
	fac.until("the room on p2", func() bool { return fac.hub.Snapshot().State.Room.Proposal == "p2" })
	rev = fac.hub.Snapshot().StateRev
	par.until("the move", func() bool { return par.m.snap.StateRev >= rev && par.m.current == "p2" })
	if !strings.Contains(fac.screen(), "minuteur 2:30") || !strings.Contains(par.screen(), "minuteur 2:30") {
		t.Fatalf("the timer went with the move:\n%s\n%s", fac.screen(), par.screen())
	}
	fac.clock.Advance(151 * time.Second)
	par.clock.Advance(151 * time.Second)
	fac.send(timerTickMsg{})
	par.send(timerTickMsg{})
	fac.until("timer.stopped on screen", func() bool { p := fac.proposal("p1"); return p.Timer != nil && !p.Timer.Stopped.IsZero() })
	e, _ := lastOf(fac, review.KindTimerStopped)
	if !strings.Contains(string(e.Data), `"elapsed"`) {
		t.Fatalf("timer stop %s, want elapsed", e.Data)
	}
	if !strings.Contains(par.screen(), "Temps écoulé (lien 1)") {
		t.Fatalf("the participant is not told that time is up:\n%s", par.screen())
	}
	fac.press("t", "enter")
	fac.idle()
	// The second t must see the running timer: wait until this screen holds
	// the snapshot that recorded it, not only until the hub acknowledged it.
	rev = fac.hub.Snapshot().StateRev
	fac.until("the timer's start on screen", func() bool { return fac.m.snap.StateRev >= rev })
	fac.press("t")
	fac.idle()
	if e, _ := lastOf(fac, review.KindTimerStopped); !strings.Contains(string(e.Data), `"stopped"`) {
		t.Fatalf("a second t should stop the timer: %s", e.Data)
	}
}

// Parking a link and going back to it from the list.
func TestParkAndList(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	h.press("j", "p")
	h.idle()
	if p := h.proposal("p2"); !p.Parked {
		t.Fatal("p did not park p2")
	}
	h.press("G", "P")
	if !strings.Contains(h.screen(), "Liens mis de côté") {
		t.Fatalf("no list of parked links:\n%s", h.screen())
	}
	h.press("enter")
	if h.m.current != "p2" {
		t.Fatalf("enter on the parked link goes to %s", h.m.current)
	}
}

// n, m and d jump to the next pending link, the next one without my vote,
// the next disagreement.
func TestJumps(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	ctx := context.Background()
	for _, v := range []struct {
		who review.Actor
		p   string
		v   review.Verdict
	}{{zoe, "p3", review.Accept}, {yanis, "p3", review.Reject}, {facilitator, "p1", review.Reject}, {malik, "p2", review.Accept}} {
		kind := review.KindVoteCast
		if _, err := h.hub.Do(ctx, v.who, kind, review.VoteData{Proposal: v.p, Verdict: v.v, Reason: review.ReasonTooVague}); err != nil {
			t.Fatal(err)
		}
	}
	rev := h.hub.Snapshot().StateRev
	h.until("the votes", func() bool { return h.m.snap.StateRev >= rev })
	h.press("d")
	if h.m.current != "p3" {
		t.Fatalf("d goes to %s, want p3", h.m.current)
	}
	h.press("m")
	if h.m.current != "p4" {
		t.Fatalf("m goes to %s, want p4 (p1 next round, p2 voted)", h.m.current)
	}
	h.press("m")
	if h.m.current != "p1" {
		t.Fatalf("m goes to %s, want p1", h.m.current)
	}
	h.press("d")
	if h.m.current != "p3" {
		t.Fatalf("d goes to %s", h.m.current)
	}
	h.press("d")
	if !strings.Contains(h.screen(), "Aucun autre désaccord.") {
		t.Fatalf("d without another disagreement:\n%s", h.screen())
	}
}

// The facilitator's q asks; n keeps the screen; a participant's q leaves.
func TestQuitAsksTheFacilitator(t *testing.T) {
	h := newHarness(t, facilitator, "fr", 80, 24)
	h.press("q")
	if h.quit || h.m.mode != modeQuit || !strings.Contains(h.screen(), "Quitter ? Les participant·es restent connecté·es") {
		t.Fatalf("q did not ask:\n%s", h.screen())
	}
	h.press("n")
	if h.m.mode != modeBrowse {
		t.Fatal("n should keep the screen")
	}
	// ctrl+c asks too, and n goes back to the panel it interrupted.
	h.press("e", "ctrl+c")
	if h.m.mode != modeQuit {
		t.Fatal("ctrl+c did not ask the facilitator")
	}
	h.press("n")
	if h.m.mode != modeEdit || h.m.editor == nil {
		t.Fatalf("n after ctrl+c in the editor: mode %d", h.m.mode)
	}
	h.press("esc", "q", "y")
	h.until("quit", func() bool { return h.quit })

	p := newHarness(t, malik, "fr", 80, 24)
	p.press("q")
	p.until("quit", func() bool { return p.quit })
}

// Exposure: every interval a proposal was on screen, active or idle, is
// written when it ends, with a checkpoint while it stays; the last one
// when the screen quits.
func TestExposureIntervals(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	h.clock.Advance(5 * time.Second)
	h.press("j")
	h.until("the first interval", func() bool { return countOf(h, review.KindExposure) == 1 })
	x := exposures(t, h)
	if x[0].Proposal != "p1" || x[0].From != t0 || x[0].To != t0.Add(5*time.Second) || x[0].State != review.ExposureActive || x[0].End != review.EndMoved {
		t.Fatalf("first interval %+v", x[0])
	}
	// 16 s later a checkpoint, still active.
	h.clock.Advance(16 * time.Second)
	h.send(exposureTickMsg{})
	h.until("a checkpoint", func() bool { return countOf(h, review.KindExposure) == 2 })
	// A minute without a key: the active interval ends 60 s after the
	// last key, an idle one begins.
	h.clock.Advance(60 * time.Second)
	h.send(exposureTickMsg{})
	h.until("idle", func() bool { return countOf(h, review.KindExposure) >= 3 })
	// A key after idling: the idle interval ends (an active one begins,
	// here at once covered by the why pane, and not written: it is empty).
	h.clock.Advance(10 * time.Second)
	h.press("w")
	h.until("the pane", func() bool { _, ok := lastOf(h, review.KindPaneOpened); return ok })
	h.clock.Advance(4 * time.Second)
	h.press("w")
	h.clock.Advance(3 * time.Second)
	h.press("w", "w")
	h.clock.Advance(3 * time.Second)
	h.press("q")
	h.until("quit", func() bool { return h.quit })
	// The writes run in commands of their own; wait for all of them.
	h.until("every interval written", func() bool { return countOf(h, review.KindExposure) >= 7 })
	x = exposures(t, h)
	var ends []string
	for _, e := range x {
		ends = append(ends, e.End+":"+e.State)
		if e.To.Before(e.From) {
			t.Errorf("interval %+v ends before it starts", e)
		}
	}
	want := "moved:active checkpoint:active idle:active checkpoint:idle active:idle pane:active left:active"
	if got := strings.Join(ends, " "); got != want {
		t.Fatalf("intervals %s\nwant      %s", got, want)
	}
	if last := x[len(x)-1]; last.Proposal != "p2" || last.To != t0.Add(101*time.Second) {
		t.Fatalf("last interval %+v", last)
	}
}

func exposures(t *testing.T, h *harness) []review.Exposure {
	t.Helper()
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	var out []review.Exposure
	for _, e := range h.store.events {
		if e.Kind == review.KindExposure {
			var x review.Exposure
			if err := e.Decode(&x); err != nil {
				t.Fatal(err)
			}
			out = append(out, x)
		}
	}
	// Intervals are written by commands that do not wait for each other:
	// their order in the trace is not their order in time.
	slices.SortFunc(out, func(a, b review.Exposure) int { return a.From.Compare(b.From) })
	return out
}

// A consent text comes first; declining makes the screen a spectator's.
func TestConsentDecline(t *testing.T) {
	evs := fixtureEvents(t, passage1)
	e := review.MustEvent("atelier-communs", "consent", t0.Add(-time.Minute), sysActor, review.KindConsentSet, review.ConsentText{Text: "# Étude\n\nVos votes servent à une recherche sur l'usage de l'IA."})
	e.Seq = int64(len(evs) + 1)
	hub, store := newHubWith(t, append(evs, e))
	h := startHarness(t, hub, store, malik, "fr", 80, 24)
	if h.m.mode != modeConsent || !strings.Contains(h.screen(), "Vos votes servent à une recherche") {
		t.Fatalf("no consent first:\n%s", h.screen())
	}
	h.press("a")
	h.idle()
	agreed := hub.Snapshot().State.Consent.Answers[malik.Key()]
	if !agreed {
		t.Fatal("a did not record the agreement")
	}
	h2 := startHarness(t, hub, store, zoe, "fr", 80, 24)
	h2.press("n")
	h2.idle()
	if ok, answered := hub.Snapshot().State.Consent.Answers[zoe.Key()]; ok || !answered {
		t.Fatal("n did not record the decline")
	}
	if h2.m.opts.Actor.Role != review.Spectator || !strings.Contains(h2.screen(), "Vous avez refusé") {
		t.Fatalf("after a decline:\n%s", h2.screen())
	}
	n := len(store.events)
	h2.press("a")
	if len(store.events) != n {
		t.Fatal("a declined person's key acted")
	}
}

// --theme and COLORFGBG decide the palette; the terminal's answer no
// longer changes it then.
func TestThemeChoice(t *testing.T) {
	for _, tc := range []struct {
		theme, colorfgbg string
		dark             bool
	}{{"light", "", false}, {"dark", "0;15", true}, {"", "0;15", false}, {"", "15;default;0", true}, {"", "", true}} {
		hub, _ := newHub(t)
		m := New(Options{Hub: hub, Actor: malik, Theme: tc.theme, Environ: []string{"COLORFGBG=" + tc.colorfgbg}})
		t.Cleanup(m.shutdown)
		if m.dark != tc.dark {
			t.Errorf("theme %q COLORFGBG %q: dark %v, want %v", tc.theme, tc.colorfgbg, m.dark, tc.dark)
		}
		m.Update(tea.BackgroundColorMsg{Color: lightGrey{}})
		if fixed := tc.theme != "" || tc.colorfgbg != ""; fixed && m.dark != tc.dark {
			t.Errorf("theme %q COLORFGBG %q: the terminal's answer changed a fixed choice", tc.theme, tc.colorfgbg)
		}
	}
}

// TestGoldenParticipant pins the participant's screen at 80x24, in both
// languages, on dark and light backgrounds, with its colours: the palette
// is what a light projector shows.
func TestGoldenParticipant(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		for _, theme := range []string{"dark", "light"} {
			t.Run(fmt.Sprintf("%s_%s", lang, theme), func(t *testing.T) {
				hub, store := newHub(t)
				h := startHarnessOpts(t, hub, store, Options{Actor: malik, Lang: lang, Theme: theme}, 80, 24)
				scene(t, h)
				golden.RequireEqual(t, h.m.View().Content)
			})
		}
	}
}

// A follower writing a rephrasing stays on its link when the room moves,
// so that the words go where they were written; the screen catches up
// once the panel closes.
func TestFollowWaitsForAnOpenPanel(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	// The facilitator leads from arriving: F now would free the room.
	if r := fac.hub.Snapshot().State.Room; !r.Follow || r.Leader.Key() != facilitator.Key() {
		t.Fatalf("the arriving facilitator does not lead the room: %+v", r)
	}
	par.current()
	if !par.m.following() {
		t.Fatalf("the participant does not follow the room:\n%s", par.screen())
	}
	par.press("e")
	fac.press("j")
	fac.until("the room on p2", func() bool { return fac.hub.Snapshot().State.Room.Proposal == "p2" })
	rev := fac.hub.Snapshot().StateRev
	par.until("the move", func() bool { return par.m.snap.StateRev >= rev })
	if par.m.current != "p1" || par.m.mode != modeEdit {
		t.Fatalf("the room's move took the editor away: on %s, mode %d", par.m.current, par.m.mode)
	}
	par.m.editor.SetValue("Une reformulation écrite sur p1.")
	par.press("ctrl+s")
	par.idle()
	if p := par.proposal("p1"); len(p.Versions) != 2 {
		t.Fatalf("the rephrasing did not go to p1: %d versions", len(p.Versions))
	}
	if par.m.current != "p2" {
		t.Fatalf("once the panel closed the screen should catch up with the room: on %s", par.m.current)
	}
}

// B hides the unrevealed opinions on the facilitator's own screen, so
// that it can be projected during blind voting; a reveal shows them.
func TestFacilitatorHidesOwnScreen(t *testing.T) {
	fac := newHarness(t, facilitator, "fr", 80, 24)
	par := startHarness(t, fac.hub, fac.store, malik, "fr", 80, 24)
	fac.press("b")
	fac.idle()
	par.until("blind voting told", func() bool { return strings.Contains(par.screen(), "passe au vote à l'aveugle") })
	par.press("a")
	par.idle()
	fac.until("Malik's vote", func() bool { return strings.Contains(fac.screen(), "Malik ✓") })
	fac.press("B")
	if s := fac.screen(); strings.Contains(s, "Malik ✓") || !strings.Contains(s, "1 vote, masqué") {
		t.Fatalf("B should hide the opinions on the facilitator's screen:\n%s", s)
	}
	fac.press("R")
	fac.idle()
	fac.until("revealed", func() bool { return strings.Contains(fac.screen(), "Malik ✓") })
}

// An exposure written or checked changes nothing on screen, so the view
// Bubble Tea asks for after it is the last one, not drawn again: a
// browsing room writes one at nearly every move, and every screen checks
// its interval every 15 s. The status is changed behind the interface's
// back here, so that a new drawing would show it.
func TestExposureDrawsNothing(t *testing.T) {
	h := newHarness(t, malik, "fr", 80, 24)
	before := h.m.View().Content
	h.m.status = "UN STATUT QUE SEUL UN NOUVEAU DESSIN MONTRERAIT"
	for _, msg := range []tea.Msg{exposureTickMsg{}, exposureMsg{}} {
		h.send(msg)
		if got := h.m.View().Content; got != before {
			t.Fatalf("after %T the screen was drawn again:\n%s", msg, stripped(got))
		}
	}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !strings.Contains(h.screen(), "UN STATUT") {
		t.Fatalf("any other message draws the screen again:\n%s", h.screen())
	}
}
