package review

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// offlineContext serves the W3C context kept in testdata, and nothing
// else: the test never reaches the network.
type offlineContext struct{ anno any }

func (o offlineContext) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "/") == "www.w3.org/ns/anno.jsonld" {
		return &ld.RemoteDocument{DocumentURL: u, Document: o.anno}, nil
	}
	return nil, fmt.Errorf("no network in this test: %s", u)
}

func expandJSONLD(t *testing.T, doc any) []any {
	t.Helper()
	b, err := os.ReadFile("testdata/anno.jsonld")
	if err != nil {
		t.Fatal(err)
	}
	var anno any
	if err := json.Unmarshal(b, &anno); err != nil {
		t.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineContext{anno}
	out, err := ld.NewJsonLdProcessor().Expand(doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// walk calls fn with every node object of an expanded document.
func walk(v any, fn func(map[string]any)) {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			walk(x, fn)
		}
	case map[string]any:
		fn(v)
		for _, x := range v {
			walk(x, fn)
		}
	}
}

const oa = "http://www.w3.org/ns/oa#"

// TestAnnotationsSurviveJSONLD expands the annotations export with the
// official context (kept in testdata): every annotation keeps its
// motivation as an oa: IRI, every body its purpose, and the generator its
// origin.
func TestAnnotationsSurviveJSONLD(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(export(t, researchTrace(t).events, "annotations", false), &doc); err != nil {
		t.Fatal(err)
	}
	items := doc["first"].(map[string]any)["items"].([]any)
	want := map[string]int{}
	for _, it := range items {
		want[strings.TrimPrefix(it.(map[string]any)["motivation"].(string), "oa:")]++
	}
	got := map[string]int{}
	annotations, origins := 0, 0
	walk(expandJSONLD(t, doc), func(n map[string]any) {
		if types, _ := n["@type"].([]any); len(types) > 0 && types[0] == oa+"Annotation" {
			annotations++
			m, _ := n[oa+"motivatedBy"].([]any)
			if len(m) != 1 {
				t.Errorf("annotation %v lost its motivation: %v", n["@id"], n)
				return
			}
			id, _ := m[0].(map[string]any)["@id"].(string)
			if !strings.HasPrefix(id, oa) {
				t.Errorf("annotation %v: motivation %q is no oa: IRI", n["@id"], id)
			}
			got[strings.TrimPrefix(id, oa)]++
		}
		if p, ok := n[oa+"hasPurpose"].([]any); ok {
			if id, _ := p[0].(map[string]any)["@id"].(string); !strings.HasPrefix(id, oa) {
				t.Errorf("a body's purpose %q is no oa: IRI", id)
			}
		}
		if _, ok := n["https://github.com/coopdescommuns/revue/blob/main/docs/codebook.md#origin"]; ok {
			origins++
		}
	})
	if annotations != len(items) || fmt.Sprint(got) != fmt.Sprint(want) || want["assessing"] == 0 {
		t.Errorf("expanded: %d annotations of %d, motivations %v, want %v", annotations, len(items), got, want)
	}
	if origins == 0 {
		t.Error("the generator lost its origin in the expansion")
	}
	// The check can fail: the bare term the export used to write is lost.
	bare := map[string]any{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x", "type": "Annotation", "motivation": "assessing"}
	walk(expandJSONLD(t, bare), func(n map[string]any) {
		if m, ok := n[oa+"motivatedBy"].([]any); ok {
			if id, _ := m[0].(map[string]any)["@id"].(string); id == oa+"assessing" {
				t.Error("a bare 'assessing' expanded to oa:assessing: the check above proves nothing")
			}
		}
	})
}
