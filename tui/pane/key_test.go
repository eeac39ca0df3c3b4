package pane

import (
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// IsKey agrees with comparing Key() for names and fingerprints that could
// be confused once joined.
func TestIsKey(t *testing.T) {
	actors := []review.Actor{{Name: "ana"}, {Name: "ana", Fingerprint: "SHA256:x"}, {Name: "an", Fingerprint: "a"}, {Name: "ana\x00"}, {Name: ""}, {Name: "", Fingerprint: "ana"}}
	for _, a := range actors {
		for _, b := range actors {
			if got, want := IsKey(a, b.Key()), a.Key() == b.Key(); got != want {
				t.Errorf("IsKey(%q, key of %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}
