package store

import (
	"context"
	"testing"
)

// TestHoldName: the first to hold a name keeps it, in this process and in
// another opening the same file; a reopened store reads every name back.
func TestHoldName(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	marie := NameHolder{Name: "marie", Salt: []byte("0123456789abcdef"), Hash: []byte("h1")}
	key := NameHolder{Name: "bob", Fingerprint: "SHA256:bob"}
	for _, h := range []NameHolder{marie, key} {
		if got, err := s.HoldName(ctx, h, base); err != nil || !got.Same(h) {
			t.Fatalf("HoldName(%+v) = %+v, %v; want it held", h, got, err)
		}
	}
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	thief := NameHolder{Name: "marie", Salt: []byte("fedcba9876543210"), Hash: []byte("h2")}
	if got, err := other.HoldName(ctx, thief, base); err != nil || !got.Same(marie) {
		t.Fatalf("a second holder of marie: %+v, %v; want the first one back", got, err)
	}
	s.Close()
	again, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	held, err := again.NameHolders(ctx)
	if err != nil || len(held) != 2 || !held[0].Same(key) || !held[1].Same(marie) {
		t.Fatalf("names read back: %+v, %v; want bob's key and marie's hash", held, err)
	}
}
