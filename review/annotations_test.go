package review

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestAnnotationsW3CMusts checks the annotations export against the MUSTs of
// the W3C Web Annotation Data Model (§3.1 annotations, §5.1 collections,
// §5.2 pages) and the motivations that tell the machine's proposal, the
// group's decision and a comment apart.
func TestAnnotationsW3CMusts(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(export(t, busyTrace(t).events, "annotations", false), &doc); err != nil {
		t.Fatal(err)
	}
	isIRI := func(v any) bool {
		s, ok := v.(string)
		return ok && strings.Contains(s, ":") && !strings.ContainsAny(s, " \t\n")
	}
	// Collection: @context, an IRI id, type AnnotationCollection; first a page.
	if fmt.Sprint(doc["@context"]) != "[http://www.w3.org/ns/anno.jsonld map[origin:revue:origin revue:https://github.com/coopdescommuns/revue/blob/main/docs/codebook.md#]]" || !isIRI(doc["id"]) || doc["type"] != "AnnotationCollection" {
		t.Fatalf("collection: %v %v %v", doc["@context"], doc["id"], doc["type"])
	}
	page, ok := doc["first"].(map[string]any)
	if !ok {
		t.Fatalf("first is not an embedded page: %v", doc["first"])
	}
	// Page: an IRI id, type AnnotationPage, items; partOf its collection.
	if !isIRI(page["id"]) || page["type"] != "AnnotationPage" || page["partOf"] != doc["id"] {
		t.Fatalf("page: id %v type %v partOf %v", page["id"], page["type"], page["partOf"])
	}
	items, ok := page["items"].([]any)
	if !ok || float64(len(items)) != doc["total"].(float64) {
		t.Fatalf("items %v, total %v", len(items), doc["total"])
	}
	motivations := map[string]int{}
	ids := map[string]bool{}
	for _, it := range items {
		a := it.(map[string]any)
		// Annotation: an IRI id (unique), type Annotation, at least one target.
		if !isIRI(a["id"]) || ids[a["id"].(string)] || a["type"] != "Annotation" || a["target"] == nil {
			t.Errorf("annotation breaks a MUST: %v", a)
		}
		ids[a["id"].(string)] = true
		m := a["motivation"].(string)
		motivations[m]++
		if body, ok := a["body"].([]any); ok {
			for _, b := range body {
				if b := b.(map[string]any); b["type"] == "TextualBody" && b["value"] == nil {
					t.Errorf("a TextualBody without value: %v", b)
				}
			}
		}
		switch m {
		case "oa:assessing":
			if a["creator"].(map[string]any)["type"] != "Software" {
				t.Errorf("the machine's proposal is not the software's: %v", a["creator"])
			}
		case "classifying":
			sel := a["target"].(map[string]any)["selector"].([]any)
			q, pos := sel[0].(map[string]any), sel[1].(map[string]any)
			if a["id"] == "urn:revue:atelier:proposal:P1" {
				if q["type"] != "TextQuoteSelector" || q["exact"] != "votées en assemblée" || q["prefix"] != "Les règles sont " || q["suffix"] != "." {
					t.Errorf("selector %v", q)
				}
				if pos["start"].(float64) != 16 || pos["end"].(float64) != 35 {
					t.Errorf("position %v", pos)
				}
				body := a["body"].([]any)
				if body[0].(map[string]any)["value"] != "C1 — Règles choisies ensemble" || body[1].(map[string]any)["value"] != "Les règles sont votées par tous en assemblée." {
					t.Errorf("body %v", body)
				}
			}
		case "commenting":
			if !ids[a["target"].(string)] {
				t.Errorf("a comment targets %v, which is no annotation before it", a["target"])
			}
		default:
			t.Errorf("unexpected motivation %q", m)
		}
	}
	// P1 (model, rephrased): assessing + classifying; H1 (a person's,
	// accepted): classifying only; P2 is rejected, so its comment is not
	// published.
	if motivations["oa:assessing"] != 1 || motivations["classifying"] != 2 || motivations["commenting"] != 0 {
		t.Errorf("motivations %v", motivations)
	}
	tr := busyTrace(t)
	tr.add("k2", bruno, KindCommentAdded, CommentData{Proposal: "P1", Text: "Bien vu."})
	if out := string(export(t, tr.events, "annotations", false)); !strings.Contains(out, `"motivation": "commenting"`) || !strings.Contains(out, `"target": "urn:revue:atelier:proposal:P1"`) {
		t.Errorf("the comment on a kept link is missing:\n%s", out)
	}
}
