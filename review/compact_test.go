package review

import (
	"encoding/json"
	"testing"
)

// A served session lets go of its documents' payloads: the documents stay
// folded, whole, and each document.added still names its document.
func TestDropDocumentPayloads(t *testing.T) {
	events := LargeSession("s", 20, 2800, 5)
	st, err := Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, d := range st.Documents {
		for _, p := range d.Passages {
			texts[p.ID] = p.Text
		}
	}
	if freed := st.DropDocumentPayloads(); freed < 20*2000 {
		t.Errorf("%d bytes let go for 20 pads of 2,800 bytes", freed)
	}
	n := 0
	for i, e := range st.Events {
		if e.Kind != KindDocumentAdded {
			if string(e.Data) != string(events[i].Data) {
				t.Errorf("event %d (%s) changed", i, e.Kind)
			}
			continue
		}
		var d struct{ ID string }
		if err := json.Unmarshal(e.Data, &d); err != nil || d.ID == "" || len(e.Data) > 100 {
			t.Errorf("document.added %d keeps %q", i, e.Data)
		}
		n++
	}
	if n != 20 {
		t.Errorf("%d document.added events, want 20", n)
	}
	for _, d := range st.Documents {
		for _, p := range d.Passages {
			if p.Text == "" || p.Text != texts[p.ID] {
				t.Errorf("passage %s lost its text", p.ID)
			}
		}
	}
}

// A session folded event by event for serving has the same documents and
// proposals as a replay, and its document events hold only their IDs.
func TestApplyServed(t *testing.T) {
	events := LargeSession("s", 20, 2800, 5)
	want, err := Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	got := NewState()
	for _, e := range events {
		if err := got.ApplyServed(e); err != nil {
			t.Fatal(err)
		}
	}
	if len(got.Documents) != len(want.Documents) || len(got.Proposals) != len(want.Proposals) {
		t.Fatalf("%d documents and %d proposals served, %d and %d replayed", len(got.Documents), len(got.Proposals), len(want.Documents), len(want.Proposals))
	}
	for i, d := range got.Documents {
		if len(d.Passages) != len(want.Documents[i].Passages) || d.Passages[0].Text != want.Documents[i].Passages[0].Text {
			t.Errorf("document %s differs", d.ID)
		}
	}
	if st := got.DropDocumentPayloads(); st != 0 {
		t.Errorf("%d bytes still to let go after serving", st)
	}
}
