package sanitizetest

import "testing"

func TestLeak(t *testing.T) {
	for _, tc := range []struct {
		in    string
		leaks bool
	}{
		{"Û et ›, \x1b[1;38;5;2mvert\x1b[m\n", false},
		{"a\u009b31m", true},
		{"a\x9b31m", true},
		{"\x1b]0;titre\x07", true},
		{"\x1b[2J", true},
		{"ligne\rencre", true},
		{"a\u202eb", true},
		{"\xff", true},
	} {
		if got := Leak(tc.in); (got != "") != tc.leaks {
			t.Errorf("Leak(%q) = %q", tc.in, got)
		}
	}
}
