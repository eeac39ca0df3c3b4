package dossier

import (
	"bytes"
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
)

// FuzzMarkdownEscape checks that any text from a document, the machine or
// a person, escaped for the dossier's Markdown, renders as itself in every
// place the dossier puts one: a paragraph, a strong statement, a quote, a
// list item. White space may be normalized; nothing else may change.
func FuzzMarkdownEscape(f *testing.F) {
	for _, s := range []string{"Les habitants décident.", "# pas un titre", "1. pas une liste", "- ni ceci", "> ni cela",
		"**gras** _et_ `code` <b>html</b> &amp; [lien](http://x)", "a\\b", "***", "«\u00a0citation\u00a0»", "x|y", "+ 3", "2024) fin",
		"<!-- -->", "=", "---", "~~~", "   indenté", "\tonglet", "https://pad.lamyne.org/p/x", "*", "_a_", "!", "[^1]", "é*"} {
		f.Add(s)
	}
	md := goldmark.New()
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return // the dossier's texts are valid UTF-8; goldmark turns NUL into U+FFFD
		}
		want := strings.Join(strings.Fields(s), " ")
		if want == "" {
			return // the writers leave an empty text out rather than wrap it
		}
		for _, layout := range []string{"%s", "**%s**", "> %s", "- %s", "*%s*"} {
			src := strings.Replace(layout, "%s", mdEscape(s), 1)
			var out bytes.Buffer
			if err := md.Convert([]byte(src), &out); err != nil {
				t.Fatal(err)
			}
			got := strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(out.String(), ""))), " ")
			if got != want {
				t.Fatalf("%q in %q renders %q, want %q (markdown %q, html %q)", s, layout, got, want, src, out.String())
			}
		}
	})
}
