package cli

import "testing"

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 critère"}, {"fr", 1, "1 critère"}, {"fr", 2, "2 critères"},
		{"en", 0, "0 criteria"}, {"en", 1, "1 criterion"}, {"en", 2, "2 criteria"},
	} {
		a := &app{lang: tt.lang}
		if got := a.count(tt.n, "critère", "critères", "criterion", "criteria"); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
