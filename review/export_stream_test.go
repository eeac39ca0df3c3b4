package review

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

// The writers as they were before streaming: the whole document built in
// memory and encoded at once. The streamed writers must give their bytes.

func exportDocWhole(st *State) exportDocumentV2 {
	d := exportDocumentV2{
		Format:      ExportFormat,
		Session:     exportSessionOf(st),
		Withdrawals: []Withdrawal{},
		Criteria:    nonNil(st.Criteria),
		Documents:   []exportDocument{},
		Proposals:   []exportProposal{},
		Failures:    nonNil(st.Failures),
		Compute:     exportComputeOf(st),
		Trace:       make([]exportEvent, 0, len(st.Events)),
	}
	for _, doc := range st.Documents {
		d.Documents = append(d.Documents, exportDocumentOf(doc))
	}
	for _, p := range st.Proposals {
		d.Proposals = append(d.Proposals, exportProposalOf(st, p, NewStudy(st.Events, st.IsForgotten)))
	}
	for _, e := range st.Events {
		d.Trace = append(d.Trace, traceEvent(e))
	}
	if n := len(st.Events); n > 0 {
		d.HeadHash = st.Events[n-1].Hash
	}
	return d
}

// annotationsWhole is the collection built whole: the reference the
// streamed writer is checked against, and the shape it documents.
func annotationsWhole(st *State) map[string]any {
	items := []any{}
	for _, p := range st.Proposals {
		for _, a := range annotationItems(st, p) {
			items = append(items, a)
		}
	}
	collection := annotationID(st, "annotations", "collection")
	return map[string]any{
		"@context": annotationContext,
		"id":       collection,
		"type":     "AnnotationCollection",
		"label":    st.Name,
		"total":    len(items),
		"first":    map[string]any{"id": annotationID(st, "annotations", "page-1"), "type": "AnnotationPage", "partOf": collection, "startIndex": 0, "items": items},
	}
}

// writeState writes a replayed session as it is, withdrawals included, as
// exportState does for Export (which leaves them out first). Every
// format is streamed: the document is written piece by piece through a
// buffer, never built whole in memory, so that exporting La Myne's 18,000
// pads costs the state and not three copies of the output (BENCHMARKS.md).
func writeState(w io.Writer, st *State, format string) error {
	meta := exportMeta{}
	if n := len(st.Events); n > 0 {
		meta.head = st.Events[n-1].Hash
	}
	return exportState(w, st, format, meta)
}

// encodeJSON writes v whole, indented as the streamed formats are: the
// reference the streamed writers are tested against.
func encodeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func referenceExport(t *testing.T, st *State, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "json":
		err = encodeJSON(&buf, exportDocWhole(st))
	case "annotations":
		err = encodeJSON(&buf, annotationsWhole(st))
	case "jsonl":
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		for _, e := range st.Events {
			if err = enc.Encode(jsonlEvent{Session: st.Name, exportEvent: traceEvent(e)}); err != nil {
				break
			}
		}
	case "csv":
		err = exportCSV(&buf, st, NewStudy(st.Events, st.IsForgotten))
	case "votes":
		bw := bufio.NewWriter(&buf)
		if err = exportVotes(bw, st, NewStudy(st.Events, st.IsForgotten)); err == nil {
			err = bw.Flush()
		}
	default:
		t.Fatalf("no reference for %s", format)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestStreamedExportIsByteIdentical checks every streamed format against
// the whole-document encoding, on the sample session, on an empty one and
// on a generated one with hundreds of documents, votes and comments.
func TestStreamedExportIsByteIdentical(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events []Event
	}{
		{"empty session", sampleTrace(t).events[:1]},
		{"sample session", busyTrace(t).events},
		{"generated session", LargeSession("gen", 300, 1200, 7)},
	} {
		st := replay(t, tc.events)
		for _, format := range []string{"json", "jsonl", "csv", "votes", "annotations"} {
			var got bytes.Buffer
			if err := writeState(&got, st, format); err != nil {
				t.Fatal(err)
			}
			want := referenceExport(t, st, format)
			if !bytes.Equal(got.Bytes(), want) {
				i := 0
				for i < min(got.Len(), len(want)) && got.Bytes()[i] == want[i] {
					i++
				}
				t.Errorf("%s, %s: streamed export differs at byte %d:\n%q\nwant\n%q", tc.name, format, i,
					got.Bytes()[max(0, i-80):min(got.Len(), i+80)], want[max(0, i-80):min(len(want), i+80)])
			}
		}
	}
}

// TestReleasingExportIsByteIdentical checks that an export which is given
// the events (Release, what `revue export` does) writes the same bytes as
// one that leaves them alone, in every format, with and without pseudonyms
// and withdrawals, and that a format writing no trace leaves no passage in
// the caller's document events: what keeps a large export's peak memory
// to one copy of the passages (BENCHMARKS.md).
func TestReleasingExportIsByteIdentical(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events func() []Event
	}{
		{"sample session", func() []Event { return busyTrace(t).events }},
		{"research session", func() []Event { return researchTrace(t).events }},
		{"generated session", func() []Event { return LargeSession("gen", 200, 1200, 7) }},
	} {
		for _, format := range Formats {
			for _, pseudo := range []bool{false, true} {
				var want, got bytes.Buffer
				if err := ExportWith(&want, tc.events(), format, ExportOptions{Pseudonymize: pseudo}); err != nil {
					t.Fatalf("%s, %s: %v", tc.name, format, err)
				}
				events := tc.events()
				if err := ExportWith(&got, events, format, ExportOptions{Pseudonymize: pseudo, Release: true}); err != nil {
					t.Fatalf("%s, %s, released: %v", tc.name, format, err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("%s, %s, pseudonymized %v: the released export differs (%d bytes, %d kept)", tc.name, format, pseudo, got.Len(), want.Len())
				}
				docs, held := 0, 0
				for _, e := range events {
					if e.Kind == KindDocumentAdded {
						docs++
						if bytes.Contains(e.Data, []byte(`"passages"`)) {
							held++
						}
					}
				}
				if docs == 0 {
					t.Fatalf("%s: no document in the trace", tc.name)
				}
				if wantHeld := map[bool]int{true: docs, false: 0}[writesTrace(format)]; held != wantHeld {
					t.Errorf("%s, %s: %d of %d document payloads still held by the caller, want %d", tc.name, format, held, docs, wantHeld)
				}
			}
		}
	}
}
