package dossier

import (
	"bytes"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// withoutText is the trace as `revue dossier` and `revue report` read it:
// each document's passages without their text, which neither shows.
func withoutText(t *testing.T, events []review.Event) []review.Event {
	t.Helper()
	out := make([]review.Event, 0, len(events))
	stripped := 0
	for _, e := range events {
		le, err := review.WithoutPassageText(e)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(le.Data, e.Data) {
			stripped++
		}
		out = append(out, le)
	}
	if stripped == 0 {
		t.Fatal("no passage text to leave out in the trace")
	}
	return out
}

// The dossier and the report built from the trace without the passages'
// text are byte for byte those built from the whole trace, in every format
// and language: they show the links' quotes, pages and sections, never a
// passage's text, so that the commands need not hold 140 MB of it.
func TestBuiltWithoutPassageText(t *testing.T) {
	events := workshop()
	lean := withoutText(t, events)
	for _, opt := range []Options{{Lang: "fr"}, {Lang: "en", IncludeRejected: true, Names: true}} {
		whole, err := Build(events, opt)
		if err != nil {
			t.Fatal(err)
		}
		light, err := Build(lean, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range Formats {
			var a, b bytes.Buffer
			if err := whole.Write(&a, format); err != nil {
				t.Fatal(err)
			}
			if err := light.Write(&b, format); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("dossier %s (%s): built without the passages' text, it differs", format, opt.Lang)
			}
		}
	}
	for _, pseudo := range []bool{false, true} {
		whole, err := review.ReportTraceWith(events, review.ReportOptions{Pseudonymize: pseudo})
		if err != nil {
			t.Fatal(err)
		}
		light, err := review.ReportTraceWith(lean, review.ReportOptions{Pseudonymize: pseudo})
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"fr", "en"} {
			var a, b, ah, bh bytes.Buffer
			if err := review.WriteReport(&a, whole, lang); err != nil {
				t.Fatal(err)
			}
			if err := review.WriteReport(&b, light, lang); err != nil {
				t.Fatal(err)
			}
			if err := WriteReportHTML(&ah, whole, lang); err != nil {
				t.Fatal(err)
			}
			if err := WriteReportHTML(&bh, light, lang); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) || !bytes.Equal(ah.Bytes(), bh.Bytes()) {
				t.Errorf("report (%s, pseudonyms %v): built without the passages' text, it differs", lang, pseudo)
			}
		}
	}
}
