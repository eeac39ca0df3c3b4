package session

import (
	"testing"

	"github.com/coopdescommuns/revue/review"
)

func TestPasscodeWeakness(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{"1", "short"}, {"tomat", "short"}, {"été", "short"},
		{"123456", "common"}, {"Azerty", "common"}, {"atelier", "common"},
		{"tournesol", ""}, {"bakolimu", ""}, {"jardin-2026", ""},
	} {
		if got := PasscodeWeakness(c.code); got != c.want {
			t.Errorf("PasscodeWeakness(%q) = %q, want %q", c.code, got, c.want)
		}
	}
	seen := map[string]bool{}
	for range 50 {
		p := NewPasscode()
		if len(p) != 8 || PasscodeWeakness(p) != "" {
			t.Fatalf("NewPasscode() = %q", p)
		}
		seen[p] = true
	}
	if len(seen) < 45 {
		t.Errorf("50 passcodes drawn, only %d different", len(seen))
	}
}

// TestCardPasscodeIsTheFacilitators: the join card reaches every screen,
// its passcode only a facilitator's.
func TestCardPasscodeIsTheFacilitators(t *testing.T) {
	s := &Server{}
	if s.Card() != nil {
		t.Fatal("a card before SetCard")
	}
	s.SetCard(JoinCard{Commands: []string{"ssh -t -p 2222 YOUR-NAME@192.0.2.1"}, Fingerprint: "SHA256:x", Passcode: "bakolimu"})
	for role, want := range map[review.Role]string{review.Facilitator: "bakolimu", review.Participant: "", review.Spectator: ""} {
		if c := s.cardFor(role); c == nil || c.Passcode != want || c.Fingerprint != "SHA256:x" {
			t.Errorf("%s's card: %+v, want the passcode %q", role, c, want)
		}
	}
}
