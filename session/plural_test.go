package session

import (
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/internal/testtool"
	"github.com/coopdescommuns/revue/review"
)

// TestReceiptPlurals gives the receipt of a trace of 0, 1 and 2 events in
// both languages: "1 événement", "1 event".
func TestReceiptPlurals(t *testing.T) {
	want := map[string][]string{"fr": {"0 événement.", "1 événement.", "2 événements."}, "en": {"0 events.", "1 event.", "2 events."}}
	for _, lang := range []string{"fr", "en"} {
		for n := range 3 {
			st := &review.State{Name: "s", Events: make([]review.Event, n)}
			got := receiptSentence(lang, st)
			if bad := testtool.SingularMistakes(lang, n, got); len(bad) > 0 || !strings.Contains(got, want[lang][n]) {
				t.Errorf("%s, %d events: %q, want %q", lang, n, got, want[lang][n])
			}
		}
	}
}
