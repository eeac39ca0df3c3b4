package session

import "testing"

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
