package session_test

import (
	"bytes"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
)

// The workshop through real SSH connections: a facilitator (by key) leads
// participants, each on their own terminal, read with an x/vt emulator.
// Nothing waits on a clock: every check waits for a screen or the store.

// workshop serves w's "jardin" with the real interface, anna's key as the
// facilitator's, and returns the server and anna's terminal on it.
func workshop(t *testing.T, w *world) (srvDial func(name string) *term, anna *term) {
	t.Helper()
	fac := newKey(t)
	cfg := tuiConfig(w)
	cfg.Facilitators = writeKeys(t, fac.AuthorizedKey())
	srv := serve(t, cfg)
	anna = dial(t, srv, clientConfig(srv, "anna", gossh.PublicKeys(fac.Signer())), termOpts{command: "jardin"})
	anna.waitText("anna", "│ 1/3")
	people := map[string]*person{}
	return func(name string) *term {
		if people[name] == nil {
			people[name] = &person{}
		}
		return dial(t, srv, clientConfig(srv, name, people[name].auth()), termOpts{command: "jardin"})
	}, anna
}

// proposalOf replays the stored trace and returns a proposal's state.
func proposalOf(t *testing.T, w *world, id string) *review.ProposalState {
	t.Helper()
	st, err := review.Replay(w.events(t, "jardin"))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := st.Proposal(id)
	if !ok {
		t.Fatalf("no proposal %s", id)
	}
	return p
}

func exportOf(t *testing.T, w *world) string {
	t.Helper()
	var b bytes.Buffer
	if err := review.Export(&b, w.events(t, "jardin"), "csv", false); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWorkshopFollowBreakAwayRejoin(t *testing.T) {
	w := newWorld(t, "", "jardin")
	join, anna := workshop(t, w)
	bob := join("bob")
	bob.waitText("bob", "│ 1/3")
	// Nobody had to press F: the facilitator leads from the start.
	bob.waitText("◉ room")
	anna.press("j")
	bob.waitText("│ 2/3")
	bob.press("k")
	bob.waitText("│ 1/3", "you are browsing alone — f to rejoin")
	// The leader moves on and seals L3: the seal shows in everybody's
	// progress, so once bob's screen shows it, the move has reached it too.
	anna.press("j")
	anna.waitText("│ 3/3")
	anna.press("a")
	bob.waitText("1/3 decided")
	if s := bob.screen(); !strings.Contains(s, "│ 1/3") {
		t.Fatalf("a participant browsing alone was moved:\n%s", s)
	}
	bob.press("f")
	bob.waitText("│ 3/3", "Following the room again.")
	// A reconnecting participant lands on the room's link.
	carol := join("carol")
	carol.waitText("carol", "│ 3/3", "◉ room")
}

func TestWorkshopAcceptAfterRephraseThenSealed(t *testing.T) {
	w := newWorld(t, "", "jardin")
	join, anna := workshop(t, w)
	bob := join("bob")
	bob.waitText("bob", "│ 1/3")
	bob.press("e")
	bob.waitText("Rephrase the link")
	bob.press(" Tout le jardin.\x13") // ctrl+s saves
	anna.waitText("version 2 · bob")
	anna.press("a")
	bob.waitText("anna (facilitator) accepted this link.")
	p := proposalOf(t, w, "L1")
	if p.Status != review.Accepted || p.Final != p.Statement || p.FinalVersion != 1 {
		t.Fatalf("accepted after a rephrasing: %s %q (version %d)", p.Status, p.Final, p.FinalVersion)
	}
	before, n := exportOf(t, w), len(w.events(t, "jardin"))
	// A vote and a rephrasing on the sealed link are refused, with one
	// sentence, and nothing changes.
	bob.press("r")
	bob.waitText("This link is sealed; the facilitator can reopen it (o).")
	bob.press("e")
	bob.press("s")
	if s := bob.screen(); strings.Contains(s, "Rephrase the link") {
		t.Fatalf("a sealed link opened the editor:\n%s", s)
	}
	// The help is the witness that bob's keys have been handled.
	bob.press("?")
	bob.waitText("Your choices are votes")
	bob.press("?")
	// What bob saw is recorded (exposure, following intervals, panes) when
	// his screen flushes it, maybe after n was counted: only those may follow.
	var after []review.Event
	for _, e := range w.events(t, "jardin")[n:] {
		if e.Kind != review.KindExposure && e.Kind != review.KindExposureFollowing && e.Kind != review.KindPaneOpened {
			after = append(after, e)
		}
	}
	if len(after) != 0 {
		t.Fatalf("a sealed link recorded %s", after[0].Kind)
	}
	if exportOf(t, w) != before {
		t.Fatal("the export changed after refused actions on a sealed link")
	}
	anna.press("o")
	bob.waitText("anna (facilitator) reopened this link.")
	if p := proposalOf(t, w, "L1"); p.Sealed || p.Status != review.Pending || p.Reopened != 1 {
		t.Fatalf("after reopening: %s sealed=%v", p.Status, p.Sealed)
	}
}

func TestWorkshopBlindThenReveal(t *testing.T) {
	w := newWorld(t, "", "jardin")
	join, anna := workshop(t, w)
	bob, carol := join("bob"), join("carol")
	bob.waitText("bob", "carol")
	carol.waitText("bob", "carol")
	anna.press("b")
	anna.waitText("Blind voting")
	carol.press("r")
	carol.waitText("Why reject this link?")
	carol.press("3\r") // too vague
	anna.waitText("carol ✗")
	bob.waitText("1 vote, hidden until revealed")
	bob.press("a")
	bob.waitText("2 votes, hidden until revealed", "bob ✓")
	bob.press("w")
	bob.waitText("Why this link?")
	bob.press("w")
	raw := bob.rawBytes()
	for _, leak := range []string{"carol ✗", "carol rejected", "too vague", "disagreement"} {
		if bytes.Contains(raw, []byte(leak)) {
			t.Errorf("bob's terminal received %q before the reveal", leak)
		}
	}
	anna.press("R")
	bob.waitText("carol ✗", "anna (facilitator) revealed this link's votes.")
}

func TestWorkshopFacilitatorQuitAsks(t *testing.T) {
	w := newWorld(t, "", "jardin")
	join, anna := workshop(t, w)
	bob := join("bob")
	bob.waitText("anna", "bob")
	anna.press("q")
	anna.waitText("Quit? Participants stay connected as long as the server runs. y/n")
	anna.press("n")
	anna.waitFor("the question gone", func(s string) bool { return !strings.Contains(s, "Quit?") })
	anna.press("qy")
	if status := anna.waitEnd(); status != 0 {
		t.Fatalf("exit status %d", status)
	}
	// bob's screen stays: the server goes on.
	bob.waitFor("anna gone from bob's screen", func(s string) bool { return !strings.Contains(s, "★anna") })
	bob.press("a")
	bob.waitText("Vote recorded: accept.")
}

func TestWorkshopUndoFilterCreate(t *testing.T) {
	w := newWorld(t, "", "jardin")
	join, anna := workshop(t, w)
	bob := join("bob")
	bob.waitText("bob", "│ 1/3")
	// Undo names the link it touched, and shows it.
	bob.press("a")
	bob.waitText("Vote recorded")
	bob.press("j")
	bob.waitText("│ 2/3")
	bob.press("u")
	bob.waitText("Undone: your last action, on the link C1", "│ 1/3")
	// A filter keeps the floor: anna seals the link bob reads under the
	// "pending" filter; it stays on bob's screen, marked, until he moves.
	bob.press("/")
	bob.waitText("Filter the proposals")
	bob.press("\x1b[B\x1b[B\x1b[C\r") // down, down, right (pending), enter
	bob.waitText("filter: pending")
	anna.press("a")
	bob.waitText("anna (facilitator) accepted this link.", "off the filter", "│ 1/3")
	bob.press("j")
	bob.waitText("│ 1/2")
	// + returns the cursor where it was.
	bob.press("+")
	bob.waitText("Create a link from this passage")
	bob.press("\r")
	bob.press("Un lien que l'IA a manqué.\x13")
	bob.waitText("Exact quote from the passage")
	bob.press("\r")
	bob.waitText("you stay here", "│ 1/3")
	bob.press("j")
	bob.waitText("│ 2/3")
}

// A participant whose connection drops while rephrasing finds the room's
// link and their unsent words again when they come back.
func TestWorkshopReconnectKeepsDraft(t *testing.T) {
	w := newWorld(t, "", "jardin")
	join, anna := workshop(t, w)
	anna.waitText("★ room")
	anna.press("j")
	anna.waitText("│ 2/3")
	bob := join("bob")
	bob.waitText("bob", "│ 2/3", "◉ room")
	bob.press("e")
	bob.waitText("Rephrase the link")
	bob.press(" Mot gardé")
	bob.waitText("Mot gardé")
	bob.close()
	anna.waitFor("bob gone", func(s string) bool { return !strings.Contains(s, "•bob") })
	again := join("bob")
	again.waitText("│ 2/3", "Rephrase the link", "Mot gardé")
	again.press("\x13")
	again.waitText("Vote recorded: rephrase.")
	if p := proposalOf(t, w, "L2"); len(p.Versions) != 2 || !strings.HasSuffix(p.Versions[1].Statement, "Mot gardé") {
		t.Fatalf("the kept draft was not the rephrasing recorded: %+v", p.Versions)
	}
}

// A laptop that closes its lid ends the program without its quit path:
// the link still on screen gets its last exposure interval all the same,
// ended by the departure.
func TestDroppedConnectionRecordsItsLastExposure(t *testing.T) {
	w := newWorld(t, "", "jardin")
	join, _ := workshop(t, w)
	bob := join("bob")
	bob.waitText("bob", "│ 1/3")
	bob.close()
	w.waitTrace(t, "bob's last exposure, ended by leaving", func(events []review.Event) bool {
		for _, e := range events {
			var x review.Exposure
			if e.Kind == review.KindExposure && e.Actor.Name == "bob" && e.Decode(&x) == nil && x.End == review.EndLeft {
				return true
			}
		}
		return false
	})
}
