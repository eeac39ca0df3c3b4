package store

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

func mustSummaries(t *testing.T, s *Store) []Summary {
	t.Helper()
	sums, err := s.Summaries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// TestSummaries checks the counts of the summary tables after each append,
// including decisions taken back, as review.State.Decided counts them: a
// proposal is decided while one of its decisions is in force.
func TestSummaries(t *testing.T) {
	s := openTemp(t)
	if got := mustSummaries(t, s); len(got) != 0 {
		t.Fatalf("empty store: %+v", got)
	}
	mustAppend(t, s, created("b", "c"), doc("b", "d1"), doc("b", "d2"), crit("b", "k1"),
		prop("b", "p1"), prop("b", "p2"), prop("b", "p3"))
	mustAppend(t, s, created("a", "c"))
	steps := []struct {
		name    string
		events  []review.Event
		decided int
	}{
		{"a decision", []review.Event{decision("b", "x1", "p1")}, 1},
		{"a second decision of the same proposal", []review.Event{decision("b", "x2", "p1")}, 1},
		{"one of the two taken back", []review.Event{undo("b", "u1", "x1")}, 1},
		{"the other taken back", []review.Event{undo("b", "u2", "x2")}, 0},
		{"an undo of something else", []review.Event{undo("b", "u3", "d1")}, 0},
		{"decisions of two proposals", []review.Event{decision("b", "x3", "p2"), decision("b", "x4", "p3")}, 2},
		{"a second undo of the same decision", []review.Event{undo("b", "u4", "x1")}, 2},
		{"a retry of a stored decision", []review.Event{decision("b", "x3", "p2")}, 2},
		{"a payload that is not an object", []review.Event{{Session: "b", ID: "odd", At: base, Actor: sys, Kind: review.KindDecisionMade, Data: []byte(`[1]`)}}, 2},
	}
	events := int64(7)
	for _, st := range steps {
		stored := mustAppend(t, s, st.events...)
		for _, e := range stored {
			if e.Seq > events {
				events = e.Seq
			}
		}
		got := mustSummaries(t, s)
		want := []Summary{
			{Name: "b", Created: base, Events: events, LastSeq: events, Documents: 2, Criteria: 1, Proposals: 3, Decided: st.decided},
			{Name: "a", Created: base, Events: 1, LastSeq: 1},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after %s:\n%+v\nwant\n%+v", st.name, got, want)
		}
	}
}

// TestSummariesDamaged damages two sessions' summaries behind the store's
// back: each is named with its own error, and the sound ones are listed.
func TestSummariesDamaged(t *testing.T) {
	s := openTemp(t)
	for _, n := range []string{"s1", "bad-time", "s2", "no-row", "s3"} {
		chainSession(t, s, n, 4)
	}
	db := rawDB(t, s.Path())
	for _, q := range []string{
		"UPDATE summaries SET created = 'yesterday' WHERE session = 'bad-time'",
		"DELETE FROM summaries WHERE session = 'no-row'",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	got := mustSummaries(t, s)
	var names []string
	for _, m := range got {
		names = append(names, m.Name)
		switch m.Name {
		case "bad-time":
			if m.Err == nil || !strings.Contains(m.Err.Error(), `"yesterday"`) {
				t.Errorf("bad-time: %v, want an error naming the bad time", m.Err)
			}
		case "no-row":
			if m.Err == nil || !strings.Contains(m.Err.Error(), "no summary") {
				t.Errorf("no-row: %v, want an error saying it has no summary", m.Err)
			}
		default:
			if m.Err != nil || m.Events != 4 || !m.Created.Equal(base) {
				t.Errorf("%s: %+v, want 4 events and no error", m.Name, m)
			}
		}
	}
	if want := []string{"s1", "bad-time", "s2", "no-row", "s3"}; !reflect.DeepEqual(names, want) {
		t.Errorf("listed %q, want %q", names, want)
	}
}
