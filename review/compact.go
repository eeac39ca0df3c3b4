package review

import (
	"encoding/json"
	"fmt"
)

// DropDocumentPayloads replaces the data of each document.added and
// document.passages event of the trace by the document's ID alone, and returns the bytes it let go.
// Once folded, the documents live in Documents; their events' payloads are
// a second copy of every passage's text (half the memory of a served
// session of 18,000 pads) that nothing reads while a session is served.
// Only a live session calls it, before any snapshot: an export, a verify
// or a dossier reads the trace from the store, whole.
func (s *State) DropDocumentPayloads() int {
	freed := 0
	for i := range s.Events {
		freed += dropPayload(&s.Events[i])
	}
	return freed
}

// ApplyServed is Apply for a session loaded event by event from the store
// (store.Each) by a command that reads every passage's text (propose): a
// document's event keeps only its ID as soon as it is folded
// (DropDocumentPayloads), so that the loading never holds every passage's
// text twice.
func (s *State) ApplyServed(e Event) error {
	if err := s.Apply(e); err != nil {
		return err
	}
	dropPayload(&s.Events[len(s.Events)-1])
	return nil
}

// ApplyLean is ApplyServed for a session that is served: each passage
// keeps its ID, document, index, offsets, page and section, and the seq of
// the event its text is in, but not the text, which stays in the store
// and is read when a screen shows it (SetText, PassageText). The 18,000
// pads of realistic size are 149 MB of text that a served session held
// for the handful of passages its screens show at a time.
func (s *State) ApplyLean(e Event) error {
	s.lean = true
	defer func() { s.lean = false }()
	return s.ApplyServed(e)
}

// decodeDocument decodes a document.added (into a *Document) or
// document.passages (a *DocumentPassages) payload; in a lean fold, the
// passages' text is scanned but never copied out of the payload: 140 MB of
// strings that the collector would free at once.
func (s *State) decodeDocument(e Event, v any) error {
	if !s.lean {
		return e.Decode(v)
	}
	return decodeTextless(e, v)
}

// decodeTextless decodes a document event's payload as decodeDocument
// does in a lean fold: every passage's Text left empty.
func decodeTextless(e Event, v any) error {
	switch d := v.(type) {
	case *Document:
		var lean struct {
			Document
			Passages []textlessPassage `json:"passages"`
		}
		if err := e.Decode(&lean); err != nil {
			return err
		}
		*d = lean.Document
		d.Passages = passagesOf(lean.Passages)
	case *DocumentPassages:
		var lean struct {
			DocumentPassages
			Passages []textlessPassage `json:"passages"`
		}
		if err := e.Decode(&lean); err != nil {
			return err
		}
		*d = lean.DocumentPassages
		d.Passages = passagesOf(lean.Passages)
	default:
		return e.Decode(v)
	}
	return nil
}

// textlessPassage decodes a passage without its text: its Text shadows
// the Passage's under the same JSON name.
type textlessPassage struct {
	Passage
	Text skippedString `json:"text"`
}

// skippedString accepts a JSON string (or null) and keeps nothing of it.
type skippedString struct{}

func (*skippedString) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || (b[0] != '"' && string(b) != "null") {
		return fmt.Errorf("passage text %.20s is not a string", b)
	}
	return nil
}

func passagesOf(ps []textlessPassage) []Passage {
	if ps == nil {
		return nil
	}
	out := make([]Passage, len(ps))
	for i := range ps {
		out[i] = ps[i].Passage
	}
	return out
}

// leaveText empties the text of passages read from event seq, and notes
// that seq, where State.PassageText finds the text again (a lean export's
// events come without the text already).
func leaveText(ps []Passage, seq int64) {
	for i := range ps {
		ps[i].Text, ps[i].seq = "", seq
	}
}

// dropPayload replaces a document.added event's data by its document's ID,
// and a document.passages event's by its document's ID under "document",
// and returns the bytes let go.
func dropPayload(e *Event) int {
	var small []byte
	switch e.Kind {
	case KindDocumentAdded:
		small = only[struct {
			ID string `json:"id"`
		}](e.Data)
	case KindDocumentPassages:
		small = only[struct {
			Document string `json:"document"`
		}](e.Data)
	}
	if small == nil || len(small) >= len(e.Data) {
		return 0
	}
	freed := len(e.Data) - len(small)
	e.Data = small
	return freed
}

// only is data decoded into T and encoded again: the fields of T alone,
// nil when data does not decode.
func only[T any](data []byte) []byte {
	var v T
	if json.Unmarshal(data, &v) != nil {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return raw
}
