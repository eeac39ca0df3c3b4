package session

import (
	"fmt"
	"testing"
)

func TestSharedBuildsOnceAndStaysBounded(t *testing.T) {
	type key struct {
		id string
		w  int
	}
	c := newShared(4)
	builds := 0
	get := func(id string, w int) string {
		return c.Get(key{id, w}, func() any { builds++; return fmt.Sprintf("%s@%d", id, w) }).(string)
	}
	tests := []struct {
		id     string
		w      int
		builds int // builds so far after this Get
	}{
		{"L1", 80, 1}, {"L1", 80, 1}, {"L1", 120, 2}, {"L2", 80, 3}, {"L3", 80, 4},
		{"L4", 80, 5},                               // a new generation: L1..L3 are old, still found
		{"L1", 80, 5},                               // carried into the current generation
		{"L5", 80, 6}, {"L6", 80, 7}, {"L7", 80, 8}, // another generation: L1@120 is dropped
		{"L1", 120, 9},
		{"L1", 80, 9},
	}
	for i, tc := range tests {
		if got, want := get(tc.id, tc.w), fmt.Sprintf("%s@%d", tc.id, tc.w); got != want {
			t.Fatalf("get %d = %q, want %q", i, got, want)
		}
		if builds != tc.builds {
			t.Fatalf("after get %d (%s@%d): %d builds, want %d", i, tc.id, tc.w, builds, tc.builds)
		}
		if n := len(c.cur) + len(c.old); n > 8 {
			t.Fatalf("the cache holds %d parts, more than twice its generation", n)
		}
	}
}
