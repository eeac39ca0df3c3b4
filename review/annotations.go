package review

import (
	"bufio"
	"time"
)

// The W3C Web Annotation export. Each accepted or rephrased link gives up
// to three kinds of annotation, told apart by their motivation (values of
// the oa: vocabulary, written as the anno.jsonld context names them; the
// context has no term for oa:assessing, which is written as a compact IRI
// so that a JSON-LD expansion keeps it):
//   - "oa:assessing": what the machine proposed (its own statement), for links
//     a model or the lexical proposer made;
//   - "classifying": the group's decision, the passage classified under the
//     criterion with the final statement;
//   - "commenting": each comment, targeting the decision's annotation.

// annotationContext is the W3C context, then Revue's own terms (those the
// W3C context lacks), each an IRI of the codebook's section that defines
// it, so that a JSON-LD processor keeps them.
var annotationContext = []any{"http://www.w3.org/ns/anno.jsonld", map[string]any{
	"revue":  "https://github.com/coopdescommuns/revue/blob/main/docs/codebook.md#",
	"origin": "revue:origin",
}}

func annotationID(st *State, kind, id string) string {
	return "urn:revue:" + st.Name + ":" + kind + ":" + id
}

// annotationItems returns the annotations of one proposal, in the order
// they are written; none unless the link was kept.
func annotationItems(st *State, p *ProposalState) []map[string]any {
	if p.Status != Accepted && p.Status != Rephrased {
		return nil
	}
	pa, _ := st.Passage(p.Passage)
	cr, _ := st.Criterion(p.Criterion)
	text := []rune(pa.Text)
	start, end := p.QuoteStart, p.QuoteEnd
	if start < 0 || end > len(text) || start > end {
		start, end = 0, len(text) // the quote was not found: the passage itself is the evidence
	}
	const ctx = 32
	quoteSel := map[string]any{
		"type":   "TextQuoteSelector",
		"exact":  string(text[start:end]),
		"prefix": string(text[max(0, start-ctx):start]),
		"suffix": string(text[end:min(len(text), end+ctx)]),
	}
	posSel := map[string]any{"type": "TextPositionSelector", "start": pa.Start + start, "end": pa.Start + end}
	target := map[string]any{
		"source":   "urn:sha256:" + p.Document,
		"selector": []any{quoteSel, posSel},
	}
	criterionBody := map[string]any{"type": "TextualBody", "purpose": "classifying", "id": annotationID(st, "criterion", cr.ID), "value": cr.ID + " — " + cr.Title}
	generator := map[string]any{"type": "Software", "name": "Revue", "origin": p.Origin.Kind + ":" + p.Origin.Name}
	var items []map[string]any
	decisionID := annotationID(st, "proposal", p.ID)
	if (p.Origin.Kind == OriginModel || p.Origin.Kind == OriginLexical) && !p.Negative {
		items = append(items, map[string]any{
			"id":         decisionID + ":proposed",
			"type":       "Annotation",
			"motivation": "oa:assessing",
			"created":    p.AddedAt.UTC().Format(time.RFC3339Nano),
			"creator":    map[string]any{"type": "Software", "name": p.Origin.Kind + ":" + p.Origin.Name},
			"body": []any{
				criterionBody,
				map[string]any{"type": "TextualBody", "purpose": "oa:assessing", "value": p.Statement},
			},
			"target":    target,
			"generator": generator,
		})
	}
	a := map[string]any{
		"id":         decisionID,
		"type":       "Annotation",
		"motivation": "classifying",
		"created":    p.AddedAt.UTC().Format(time.RFC3339Nano),
		"body": []any{
			criterionBody,
			map[string]any{"type": "TextualBody", "purpose": "describing", "value": p.Final},
		},
		"target":    target,
		"generator": generator,
	}
	if p.Decision != nil {
		a["modified"] = p.Decision.At.UTC().Format(time.RFC3339Nano)
		a["creator"] = map[string]any{"type": "Person", "name": p.Decision.Actor.Name}
	}
	items = append(items, a)
	for _, c := range p.Comments {
		items = append(items, map[string]any{
			"id":         annotationID(st, "comment", c.EventID),
			"type":       "Annotation",
			"motivation": "commenting",
			"created":    c.At.UTC().Format(time.RFC3339Nano),
			"creator":    map[string]any{"type": "Person", "name": c.Actor.Name},
			"body":       map[string]any{"type": "TextualBody", "purpose": "commenting", "value": c.Text, "format": "text/plain"},
			"target":     decisionID,
		})
	}
	return items
}

// streamAnnotations writes the collection with its one embedded page. The
// members are in the order encoding/json gives a map (sorted keys), so the
// streamed bytes equal those of the whole collection encoded at once.
func streamAnnotations(w *bufio.Writer, st *State) error {
	total := 0
	for _, p := range st.Proposals {
		total += len(annotationItems(st, p))
	}
	collection := annotationID(st, "annotations", "collection")
	s := newJSONStream(w)
	s.open()
	s.field("@context", annotationContext)
	s.key("first")
	s.open()
	s.field("id", annotationID(st, "annotations", "page-1"))
	s.key("items")
	s.write("[")
	s.first = append(s.first, true)
	s.depth++
	for _, p := range st.Proposals {
		for _, a := range annotationItems(st, p) {
			s.next()
			s.value(a)
		}
	}
	s.closeWith("]")
	s.field("partOf", collection)
	s.field("startIndex", 0)
	s.field("type", "AnnotationPage")
	s.closeWith("}")
	s.field("id", collection)
	s.field("label", st.Name)
	s.field("total", total)
	s.field("type", "AnnotationCollection")
	s.close()
	return s.end()
}
