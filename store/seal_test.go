package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// TestOneSealAcrossWriters: two stores on one file, as two server
// processes, decide the same link at the same moment, many times over:
// exactly one seal is stored each time, the other is refused with
// review.ErrSealed; a reopening is refused on a link that is not sealed,
// and a decision that an old trace undid does not seal.
func TestOneSealAcrossWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revue.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	mustAppend(t, a, created("s", "c0"))
	fac := func(n string) review.Actor { return review.Actor{Name: n, Role: review.Facilitator} }
	decide := func(id, who, p string, v review.Verdict) review.Event {
		return review.MustEvent("s", id, base, fac(who), review.KindDecisionMade, review.VoteData{Proposal: p, Verdict: v, Reason: review.ReasonTooVague})
	}
	const rounds = 20
	for r := range rounds {
		p := fmt.Sprintf("P%d", r)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, st := range []*Store{a, b} {
			wg.Go(func() {
				_, errs[i] = st.Append(ctx, decide(fmt.Sprintf("d%d-%d", r, i), []string{"claire", "yann"}[i], p, []review.Verdict{review.Accept, review.Reject}[i]))
			})
		}
		wg.Wait()
		refused := 0
		for _, err := range errs {
			if err != nil {
				if !errors.Is(err, review.ErrSealed) {
					t.Fatalf("round %d: %v, want a refusal for a sealed link", r, err)
				}
				refused++
			}
		}
		if refused != 1 {
			t.Fatalf("round %d: %d refusals, want exactly one: %v", r, refused, errs)
		}
		// A retry of the seal that was stored comes back as stored.
		for i, err := range errs {
			if err == nil {
				if _, err := b.Append(ctx, decide(fmt.Sprintf("d%d-%d", r, i), "x", p, review.Accept)); err != nil {
					t.Fatalf("round %d: the retry of a stored seal: %v", r, err)
				}
			}
		}
	}
	seals := 0
	for _, e := range mustReplay(t, a, "s") {
		if e.Kind == review.KindDecisionMade {
			seals++
		}
	}
	if seals != rounds {
		t.Fatalf("%d seals stored for %d links", seals, rounds)
	}
	reopen := func(id string) error {
		_, err := b.Append(ctx, review.MustEvent("s", id, base, fac("yann"), review.KindDecisionReopened, review.ReopenData{Proposal: "P0"}))
		return err
	}
	if err := reopen("o1"); err != nil {
		t.Fatal(err)
	}
	if err := reopen("o2"); !errors.Is(err, review.ErrNotSealed) {
		t.Fatalf("a second reopening: %v, want ErrNotSealed", err)
	}
	mustAppend(t, a, decide("d-again", "claire", "P0", review.Accept))
	// An old trace's undone decision leaves the link open.
	mustAppend(t, a, decide("old", "claire", "Q", review.Accept),
		review.MustEvent("s", "old-u", base, fac("claire"), review.KindActionUndone, review.UndoData{Target: "old"}))
	mustAppend(t, b, decide("new", "yann", "Q", review.Accept))
}
