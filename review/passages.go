package review

import "encoding/json"

// DocumentEventBytes bounds the JSON of one document event as init writes
// it: a document whose passages take more is cut into a document.added
// event and document.passages events of at most this size each. 1 MiB
// keeps every document up to about 800 KB of text (a 300-page report, any
// pad) one document.added event, byte for byte as before the cut existed,
// while a 200 MB text is 260 events of which only one is held at a time,
// by init that encodes it and by SQLite that copies it twice; a reader
// looking for one passage decodes at most 1 MiB.
const DocumentEventBytes = 1 << 20

// EncodeDocument encodes d as the payloads of its events, in order, each
// given to emit as soon as it is full: document.added with the document
// and its first passages, then, for a document whose JSON exceeds limit
// bytes, document.passages events of at most limit bytes with the next ones
// (each holds one passage at least, whatever its size). A document that
// fits is one payload, json.Marshal(d) byte for byte; each document.passages
// payload is json.Marshal(DocumentPassages) byte for byte. The passages
// are encoded one by one into a buffer of the event's size, never into the
// whole document's JSON: a 200 MB text's is 260 MB. emit owns each payload
// it is given.
func EncodeDocument(d *Document, limit int, emit func(Kind, json.RawMessage) error) error {
	if len(d.Passages) == 0 {
		raw, err := json.Marshal(d)
		if err != nil {
			return err
		}
		return emit(KindDocumentAdded, raw)
	}
	// Each buffer sized from the text, as the JSON will be: room for the
	// escapes (\n, \") and the other fields.
	size := func(from int) int {
		n := 0
		for _, p := range d.Passages[from:] {
			n += len(p.ID) + len(p.Document) + len(p.Text) + len(p.Section) + 100
			if n > limit {
				break
			}
		}
		return max(min(n+n/16, limit+limit/16), 0)
	}
	all := func(yield func(Passage) error) error {
		for _, p := range d.Passages {
			if err := yield(p); err != nil {
				return err
			}
		}
		return nil
	}
	return encodeDocument(d, all, size, limit, emit)
}

// EncodeDocumentFrom is EncodeDocument for a document whose passages are
// given one by one by passages (d.Passages is left out): a big text file's,
// cut as it is read again when written (corpus.Later), never held whole.
// An error of passages stops the encoding and is returned.
func EncodeDocumentFrom(d *Document, passages func(yield func(Passage) error) error, limit int, emit func(Kind, json.RawMessage) error) error {
	return encodeDocument(d, passages, func(int) int { return min(64<<10, max(limit, 0)) }, limit, emit)
}

// encodeDocument is EncodeDocument's work; size is the capacity to give
// the buffer of the event that starts with passage from.
func encodeDocument(d *Document, passages func(yield func(Passage) error) error, size func(from int) int, limit int, emit func(Kind, json.RawMessage) error) error {
	head := *d
	head.Passages = []Passage{}
	raw, err := json.Marshal(head)
	if err != nil {
		return err
	}
	id, err := json.Marshal(d.ID)
	if err != nil {
		return err
	}
	// The passages are the last field: raw ends with "passages":[]}.
	start := raw[:len(raw)-2]
	more := append(append([]byte(`{"document":`), id...), `,"passages":[`...)
	kind := KindDocumentAdded
	buf := append(make([]byte, 0, len(start)+size(0)), start...)
	n, i := 0, 0 // passages in buf, passages so far
	err = passages(func(p Passage) error {
		pj, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if n > 0 && len(buf)+1+len(pj)+2 > limit {
			if err := emit(kind, append(buf, "]}"...)); err != nil {
				return err
			}
			kind, n = KindDocumentPassages, 0
			buf = append(make([]byte, 0, len(more)+size(i)), more...)
		}
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, pj...)
		n++
		i++
		return nil
	})
	if err != nil {
		return err
	}
	return emit(kind, append(buf, "]}"...))
}
