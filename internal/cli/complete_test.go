package cli

import (
	"strings"
	"testing"
)

// TestCompleteSessions asks the completion of a session's name as the
// shells do (cobra's hidden __complete command): the data directory's
// sessions are offered, filtered by what is typed, and nothing is offered
// (nor any store created) where there is none.
func TestCompleteSessions(t *testing.T) {
	data := t.TempDir()
	if code, out, _ := revue(t, data, "__complete", "export", ""); code != 0 || strings.Contains(out, "atelier") {
		t.Fatalf("before any session: %d %q", code, out)
	}
	docs, criteria := sampleFiles(t)
	for _, name := range []string{"atelier", "assemblee", "bilan"} {
		if code, _, errs := revue(t, data, append([]string{"init", name, "--criteria", criteria}, docs...)...); code != 0 {
			t.Fatal(errs)
		}
	}
	for _, tt := range []struct {
		args []string
		want []string
		not  string
	}{
		{[]string{"export", "a"}, []string{"atelier", "assemblee"}, "bilan"},
		{[]string{"report", ""}, []string{"atelier", "assemblee", "bilan"}, ""},
		{[]string{"serve", "--session", "bi"}, []string{"bilan"}, "atelier"},
		{[]string{"export", "atelier", ""}, nil, "bilan"},
	} {
		code, out, errs := revue(t, data, append([]string{"__complete"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("__complete %q: %d %s", tt.args, code, errs)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w+"\n") {
				t.Errorf("__complete %q: %q lacks %s", tt.args, out, w)
			}
		}
		if tt.not != "" && strings.Contains(out, tt.not) {
			t.Errorf("__complete %q: %q offers %s", tt.args, out, tt.not)
		}
	}
}
