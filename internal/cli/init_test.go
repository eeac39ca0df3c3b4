package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// payloadDocument is a document whose passages' text is given, with the
// characters encoding/json escapes or replaces.
func payloadDocument(texts ...string) review.Document {
	d := review.Document{ID: "doc-1", Title: "Compte rendu <« été »> & \"notes\"", Source: "/tmp/a b/c.txt", SHA256: strings.Repeat("ab", 32), Format: "text", Chars: 42}
	for i, t := range texts {
		d.Passages = append(d.Passages, review.Passage{ID: "p" + string(rune('a'+i%26)), Document: d.ID, Index: i, Text: t, Start: i * 10, End: i*10 + len(t), Page: i % 3, Section: t[:min(len(t), 5)]})
	}
	return d
}

// TestDocumentPayloadIsMarshal checks that init's payload of a document is
// json.Marshal's, byte for byte: the trace's format does not change with
// the way it is built.
func TestDocumentPayloadIsMarshal(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  review.Document
	}{
		{"no passage", payloadDocument()},
		{"empty passages slice", review.Document{ID: "d", Passages: []review.Passage{}}},
		{"one passage", payloadDocument("Bonjour.")},
		{"escapes", payloadDocument("ligne\nligne\t« guillemets » \"quoted\" \\ <b>&amp;</b>", "\u2028\u2029 \x00\x1f", "invalide \xff\xfe fin", "")},
		{"many passages", payloadDocument(strings.Split(strings.Repeat("Une phrase, œuvre déjà faite.\n", 300), "\n")...)},
	} {
		want, err := json.Marshal(tc.doc)
		if err != nil {
			t.Fatal(err)
		}
		got, err := documentPayload(tc.doc)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: payload differs from json.Marshal:\n got %s\nwant %s", tc.name, got, want)
		}
	}
}

// FuzzDocumentPayload checks documentPayload against json.Marshal on any
// passages' text.
func FuzzDocumentPayload(f *testing.F) {
	f.Add("Bonjour.", "ligne\n« été »", "<&>")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		d := payloadDocument(a+"x", b+"y", c+"z")
		want, err := json.Marshal(d)
		if err != nil {
			t.Skip()
		}
		got, err := documentPayload(d)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("payload %q differs from json.Marshal %q (%v)", got, want, err)
		}
	})
}
