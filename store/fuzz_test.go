package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// FuzzRoundTrip appends one event made of arbitrary strings, bytes and
// times: Append must either refuse it with an error or store it so that
// Replay gives back exactly what Append returned. The seed corpus is in
// testdata/fuzz/FuzzRoundTrip; `go test -fuzz FuzzRoundTrip ./store` explores.
func FuzzRoundTrip(f *testing.F) {
	f.Add("atelier", "e1", "Léa", "SHA256:abc", "participant", "comment.added", []byte(`{"text":"bonjour"}`), int64(1700000000123456789), "Europe/Paris")
	f.Add("été 2026 🌱", "e\u202e2", "Zoé\x00", "", "", "vote.cast", []byte(" [1, 2.50e3,\n\"\\u00e9\"] "), int64(-62135596800000000), "")
	f.Add("s", "x", "\u200d", "SHA256:", "spectator", "k", []byte(nil), int64(0), "UTC")
	f.Add("s\x1b[2J", "e", "a", "", "", "k", []byte(`{}`), int64(1), "")
	f.Add("s", "e", "\xff", "", "", "k", []byte(`{"a":`), int64(1), "")
	s, err := Open(filepath.Join(f.TempDir(), "revue.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	n := 0
	f.Fuzz(func(t *testing.T, session, id, name, fp, role, kind string, data []byte, unixNano int64, zone string) {
		n++
		loc, err := time.LoadLocation(zone)
		if err != nil {
			loc = time.UTC
		}
		e := review.Event{
			Session: session,
			ID:      fmt.Sprintf("%s#%d", id, n), // a fresh id, so that dedupe never answers
			At:      time.Unix(0, unixNano).In(loc),
			Actor:   review.Actor{Name: name, Fingerprint: fp, Role: review.Role(role)},
			Kind:    review.Kind(kind),
			Data:    json.RawMessage(data),
		}
		if e.Kind == review.KindSessionCreated {
			e.Kind = "x." + e.Kind
		}
		if validate(e) != nil {
			if _, err := s.Append(ctx, e); err == nil {
				t.Fatalf("Append accepted an event validate refuses: %#v", e)
			}
			return
		}
		if _, err := s.Append(ctx, created(session, "created")); err != nil {
			t.Fatal(err)
		}
		out, err := s.Append(ctx, e)
		if err != nil {
			t.Fatalf("Append refused a valid event %#v: %v", e, err)
		}
		trace, err := s.Replay(ctx, session)
		if err != nil {
			t.Fatal(err)
		}
		got := trace[len(trace)-1]
		if !reflect.DeepEqual(got, out[0]) {
			t.Fatalf("Replay gave\n%#v\nAppend returned\n%#v", got, out[0])
		}
		if !got.At.Equal(e.At) || string(got.Data) != string(e.Data) || (got.Data == nil) != (e.Data == nil) {
			t.Fatalf("stored %#v, given %#v", got, e)
		}
	})
}
