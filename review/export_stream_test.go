package review

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
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
		ed, _ := exportDocumentOf(st, doc)
		d.Documents = append(d.Documents, ed)
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

// storedTrace is a StoredTrace over events held in memory: what the
// store's Texts does for `revue export`.
type storedTrace struct {
	eventTexts
	reads int // EventData calls
}

func (t *storedTrace) EventData(seq int64) ([]byte, error) {
	t.reads++
	if t.err != nil {
		return nil, t.err
	}
	return t.events[seq].Data, nil
}

// leanExport exports events as `revue export` does: given without their
// passages' text, which it reads from a storedTrace of them.
func leanExport(t *testing.T, events []Event, format string, pseudo bool) []byte {
	t.Helper()
	src := &storedTrace{eventTexts: eventTexts{events: map[int64]Event{}}}
	var lean []Event
	for _, e := range events {
		src.events[e.Seq] = e
		le, err := WithoutPassageText(e)
		if err != nil {
			t.Fatal(err)
		}
		lean = append(lean, le)
	}
	var out bytes.Buffer
	if err := ExportWith(&out, lean, format, ExportOptions{Pseudonymize: pseudo, Stored: src}); err != nil {
		t.Fatalf("%s, lean: %v", format, err)
	}
	return out.Bytes()
}

// TestLeanExportIsByteIdentical checks that an export given the events
// without their passages' text (what `revue export` reads from the store)
// and reading the text from the store as it writes it gives the same bytes
// as one given the whole trace, in every format, with and without pseudonyms
// and withdrawals: what keeps a large export's memory to its metadata
// (BENCHMARKS.md). A failed read fails the export, which writes no
// placeholder.
func TestLeanExportIsByteIdentical(t *testing.T) {
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
				src := &storedTrace{eventTexts: eventTexts{events: map[int64]Event{}}}
				var lean []Event
				for _, e := range tc.events() {
					src.events[e.Seq] = e
					le, err := WithoutPassageText(e)
					if err != nil {
						t.Fatal(err)
					}
					var d Document
					if documentEvent(e.Kind) && (le.Decode(&d) != nil || slices.ContainsFunc(d.Passages, func(p Passage) bool { return p.Text != "" })) {
						t.Fatalf("%s: event %d keeps its passages' text: %s", tc.name, e.Seq, le.Data)
					}
					lean = append(lean, le)
				}
				if err := ExportWith(&got, lean, format, ExportOptions{Pseudonymize: pseudo, Stored: src}); err != nil {
					t.Fatalf("%s, %s, lean: %v", tc.name, format, err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					i := 0
					for i < min(got.Len(), want.Len()) && got.Bytes()[i] == want.Bytes()[i] {
						i++
					}
					t.Errorf("%s, %s, pseudonymized %v: the lean export differs at byte %d:\n%q\nwant\n%q", tc.name, format, pseudo, i,
						got.Bytes()[max(0, i-80):min(got.Len(), i+80)], want.Bytes()[max(0, i-80):min(want.Len(), i+80)])
				}
				// Every format reads the passages of the links, and a
				// read that fails fails the export.
				if src.reads+src.eventTexts.reads == 0 {
					t.Errorf("%s, %s: nothing read from the store", tc.name, format)
				}
				src.err = errors.New("disk I/O error")
				if err := ExportWith(io.Discard, lean, format, ExportOptions{Pseudonymize: pseudo, Stored: src}); err == nil || !strings.Contains(err.Error(), "disk I/O") {
					t.Errorf("%s, %s: a failed read exports with %v", tc.name, format, err)
				}
			}
		}
	}
}
