package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// events gives the events as AppendStream takes them, err after the last
// when not nil.
func events(err error, list ...review.Event) iter.Seq2[review.Event, error] {
	return func(yield func(review.Event, error) bool) {
		for _, e := range list {
			if !yield(e, nil) {
				return
			}
		}
		if err != nil {
			yield(review.Event{}, err)
		}
	}
}

// TestAppendStream writes a session through AppendStream: its events are
// stored in order and chained as Append stores them, and a session that
// exists, an invalid event, an error of the iterator or a write failure
// midway leaves nothing of the call.
func TestAppendStream(t *testing.T) {
	ctx := context.Background()
	var many []review.Event
	for i := range 50 {
		many = append(many, comment("s", fmt.Sprintf("m%02d", i), strings.Repeat("é", i)))
	}
	s := openTemp(t)
	n, err := s.AppendStream(ctx, events(nil, append([]review.Event{created("s", "c0")}, many...)...))
	if err != nil || n != 51 {
		t.Fatalf("stored %d events: %v", n, err)
	}
	// The same events through Append give the same chain.
	other := openTemp(t)
	mustAppend(t, other, append([]review.Event{created("s", "c0")}, many...)...)
	got, want := mustReplay(t, s, "s"), mustReplay(t, other, "s")
	if len(got) != len(want) || got[50].Hash != want[50].Hash || got[50].Seq != 51 {
		t.Fatalf("stream and Append differ: %d and %d events", len(got), len(want))
	}
	if rep, err := s.Verify(ctx, "s"); err != nil || !rep.OK() {
		t.Fatalf("verify: %+v %v", rep, err)
	}

	injected := errors.New("injected")
	for _, tc := range []struct {
		name   string
		events iter.Seq2[review.Event, error]
		hook   func(review.Event) error
		want   string
		wantIs error
	}{
		{name: "the session exists", events: events(nil, created("s", "again"), comment("s", "x1", "x")), wantIs: ErrSessionExists},
		{name: "the iterator fails midway", events: events(injected, created("t", "c0"), comment("t", "x1", "x")), wantIs: injected},
		{name: "invalid data midway", events: events(nil, created("t", "c0"), comment("t", "x1", "x"), func() review.Event {
			e := comment("t", "x2", "y")
			e.Data = json.RawMessage(`{"a":`)
			return e
		}()), want: "not valid JSON"},
		{name: "the same id twice", events: events(nil, created("t", "c0"), comment("t", "x1", "x"), comment("t", "x1", "y")), want: `share the id "x1"`},
		{name: "a write failure midway", events: events(nil, created("t", "c0"), comment("t", "x1", "x"), comment("t", "x2", "y")),
			hook: func(e review.Event) error {
				if e.ID == "x2" {
					return injected
				}
				return nil
			}, wantIs: injected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.hook != nil {
				s.hookInsert.Store(&tc.hook)
				defer s.hookInsert.Store(nil)
			}
			n, err := s.AppendStream(ctx, tc.events)
			switch {
			case err == nil:
				t.Fatalf("stored %d events", n)
			case tc.wantIs != nil && !errors.Is(err, tc.wantIs), tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %v", err)
			case !strings.Contains(err.Error(), "nothing of this call was stored"):
				t.Errorf("the error does not say that nothing was stored: %v", err)
			}
			if got := mustReplay(t, s, "s"); len(got) != 51 {
				t.Errorf("session s has %d events, want 51", len(got))
			}
			if _, err := s.Replay(ctx, "t"); !errors.Is(err, ErrNoSession) {
				t.Errorf("session t: %v, want it absent", err)
			}
		})
	}
	// The store still takes appends after the failures.
	mustAppend(t, s, comment("s", "after", "z"))
}
