package review

import "encoding/json"

// DropDocumentPayloads replaces the data of each document.added event of
// the trace by the document's ID alone, and returns the bytes it let go.
// Once folded, the documents live in Documents; their events' payloads are
// a second copy of every passage's text (half the memory of a served
// session of 18,000 pads) that nothing reads while a session is served.
// Only a live session calls it, before any snapshot: an export, a verify
// or a dossier reads the trace from the store, whole.
func (s *State) DropDocumentPayloads() int {
	freed := 0
	for i, e := range s.Events {
		if e.Kind != KindDocumentAdded {
			continue
		}
		var d struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(e.Data, &d) != nil {
			continue
		}
		small, err := json.Marshal(d)
		if err != nil || len(small) >= len(e.Data) {
			continue
		}
		freed += len(e.Data) - len(small)
		s.Events[i].Data = small
	}
	return freed
}
