package session_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
)

// TestTwoMariesAreTwoPeople: two people without a key who both call
// themselves marie are two people in the trace; the first comes back with
// her personal code and is herself again, a third "marie" without the
// code is not, and a wrong code is not either.
func TestTwoMariesAreTwoPeople(t *testing.T) {
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	first, second, third, guesser := &person{}, &person{}, &person{}, &person{}

	m1 := dial(t, srv, clientConfig(srv, "marie", first.auth()), termOpts{env: map[string]string{"LANG": "fr_FR.UTF-8"}})
	m1.waitText("probe user=marie role=participant", "notice: Votre code personnel : ")
	if first.code == "" || !strings.Contains(first.told(), "Your personal code: "+first.code) {
		t.Fatalf("the first marie was not told her code at login: %q", first.told())
	}
	m1.press("a")
	m1.waitText("done=1")

	m2 := dial(t, srv, clientConfig(srv, "marie", second.auth()), termOpts{})
	s := m2.waitText("probe user=marie-2 role=participant", `notice: The name "marie" belongs to someone else here: you are "marie-2".`)
	if second.code == "" || second.code == first.code {
		t.Errorf("the second marie's code %q (the first's %q)", second.code, first.code)
	}
	if !strings.Contains(second.told(), "The name \"marie\" is taken") {
		t.Errorf("the second marie was not asked for the code or told she is marie-2: %q\n%s", second.told(), s)
	}
	m2.press("a")
	m2.waitText("done=1", "L1 pending votes=2")
	m1.close()
	m2.close()
	waitLeft(t, w, "jardin", 2)

	// The first marie comes back with her code: herself, nothing to tell.
	back := dial(t, srv, clientConfig(srv, "marie", first.auth()), termOpts{})
	s = back.waitText("probe user=marie role=participant")
	if strings.Contains(s, "notice:") {
		t.Errorf("the returning marie was told something:\n%s", s)
	}
	// Somebody else without the code is not marie.
	tm := dial(t, srv, clientConfig(srv, "Marie", third.auth()), termOpts{})
	tm.waitText("probe user=Marie-3 role=participant")
	// Nor with a wrong one.
	guesser.code = "000000"
	if guesser.code == first.code {
		guesser.code = "000001"
	}
	g := dial(t, srv, clientConfig(srv, "marie", guesser.auth()), termOpts{})
	g.waitText("probe user=marie-4 role=participant", "online=3")

	people := map[string]bool{}
	votes := 0
	for _, e := range w.events(t, "jardin") {
		if e.Kind == review.KindParticipantJoin {
			people[e.Actor.Key()] = true
		}
		if e.Kind == review.KindVoteCast {
			votes++
		}
	}
	if len(people) != 4 || votes != 2 {
		t.Errorf("the trace holds %d people and %d votes, want 4 (marie, marie-2, Marie-3, marie-4) and 2", len(people), votes)
	}
}

// TestNamesOfKeysAndFacilitators: a key holder keeps their name by their
// key; another key, or a person without a key, under that name gets
// another, and that key gets the same one back when it asks the name
// again; a facilitator's name is theirs alone, even before they come.
func TestNamesOfKeysAndFacilitators(t *testing.T) {
	w := newWorld(t, "", "jardin")
	fac, ana, other := newKey(t), newKey(t), newKey(t)
	cfg := probeConfig(w)
	cfg.Facilitators = writeKeys(t, fac.AuthorizedKey()+" camille@portable")
	cfg.Reserved = []string{"animation"}
	srv := serve(t, cfg)

	for _, c := range []struct {
		user string
		auth gossh.AuthMethod
		want string
	}{
		{"camille", (&person{}).auth(), "user=camille-2 role=participant"},
		{"animation", gossh.PublicKeys(other.Signer()), "user=animation-2 role=participant"},
		{"camille", gossh.PublicKeys(fac.Signer()), "user=camille role=facilitator"},
		{"ana", gossh.PublicKeys(ana.Signer()), "user=ana role=participant"},
		{"ana", gossh.PublicKeys(ana.Signer()), "user=ana role=participant"},
		{"ANA", gossh.PublicKeys(other.Signer()), "user=ANA-2 role=participant"},
		{"ana", (&person{}).auth(), "user=ana-3 role=participant"},
		// A key that got a variant gets it back, not a new one.
		{"ANA", gossh.PublicKeys(other.Signer()), "user=ANA-2 role=participant"},
		{"animation", gossh.PublicKeys(other.Signer()), "user=animation-2 role=participant"},
	} {
		tm := dial(t, srv, clientConfig(srv, c.user, c.auth), termOpts{})
		tm.waitText(c.want)
		tm.close()
	}
}

// TestKeylessNameSurvivesRestart: marie, without a key, gets her personal
// code and votes; the server stops and another starts on the same store.
// Someone else typing "marie" is asked for the code and, without it or
// with a wrong one, enters under another name; marie with her code is
// marie again, the same person of the trace. The store keeps a salted hash
// of her code, never the code, and no event holds either.
func TestKeylessNameSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.db")
	w := worldAt(t, path, "", "jardin")
	cfg := probeConfig(w)
	cfg.Names = w.store
	srv, served := start(t, cfg)
	marie := &person{}
	m := dial(t, srv, clientConfig(srv, "marie", marie.auth()), termOpts{})
	m.waitText("probe user=marie role=participant", "notice: Your personal code: ")
	m.press("a")
	m.waitText("done=1", "L1 pending votes=1")
	m.close()
	waitLeft(t, w, "jardin", 1)
	if err := <-shutdown(srv); err != nil {
		t.Fatal(err)
	}
	<-served
	if err := w.store.Close(); err != nil {
		t.Fatal(err)
	}

	w = worldAt(t, path, "")
	cfg = probeConfig(w)
	cfg.Names = w.store
	srv = serve(t, cfg)
	stranger := &person{}
	s := dial(t, srv, clientConfig(srv, "Marie", stranger.auth()), termOpts{})
	s.waitText("probe user=Marie-2 role=participant")
	if !strings.Contains(stranger.told(), `The name "Marie" is taken. If it is yours, type your personal code`) {
		t.Errorf("after the restart, someone typing marie's name was not asked for her code: %q", stranger.told())
	}
	guesser := &person{code: "000000"}
	if marie.code == guesser.code {
		guesser.code = "000001"
	}
	g := dial(t, srv, clientConfig(srv, "marie", guesser.auth()), termOpts{})
	g.waitText("probe user=marie-3 role=participant")
	back := dial(t, srv, clientConfig(srv, "marie", marie.auth()), termOpts{})
	if out := back.waitText("probe user=marie role=participant", "L1 pending votes=1"); strings.Contains(out, "notice:") {
		t.Errorf("marie, back with her code, was told something:\n%s", out)
	}

	var joins []review.Actor
	for _, e := range w.events(t, "jardin") {
		if e.Kind == review.KindParticipantJoin && strings.EqualFold(e.Actor.Name, "marie") {
			joins = append(joins, e.Actor)
		}
		if strings.Contains(string(e.Data), marie.code) {
			t.Errorf("event %d (%s) holds marie's code: %s", e.Seq, e.Kind, e.Data)
		}
	}
	if len(joins) != 2 || joins[0].Key() != joins[1].Key() {
		t.Errorf("marie's joins before and after the restart: %+v, want the same person twice", joins)
	}
	held, err := w.store.NameHolders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range held {
		if h.Name == "marie" && (len(h.Salt) != 16 || len(h.Hash) != 32 || strings.Contains(string(h.Hash), marie.code)) {
			t.Errorf("marie's name is kept as %+v, want a 16-byte salt and a 32-byte hash", h)
		}
	}
	if len(held) != 3 {
		t.Errorf("%d names held, want marie, marie-2 and marie-3: %+v", len(held), held)
	}
}
