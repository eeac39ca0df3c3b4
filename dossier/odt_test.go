package dossier

import (
	"bytes"
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestODTOpensInLibreOffice converts the ODT to PDF with LibreOffice
// headless (a fresh profile) and reads every kept statement in the PDF,
// the sources included, which the ODT holds as footnotes.
func TestODTOpensInLibreOffice(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice-writer-nogui")
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	for _, lang := range []string{"fr", "en"} {
		var buf bytes.Buffer
		if err := build(t, Options{Lang: lang}).WriteODT(&buf); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		odt := filepath.Join(dir, "dossier.odt")
		if err := os.WriteFile(odt, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		out, err := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", "pdf", "--outdir", dir, odt).CombinedOutput()
		cancel()
		pdf := filepath.Join(dir, "dossier.pdf")
		if _, statErr := os.Stat(pdf); err != nil || statErr != nil {
			t.Fatalf("soffice --convert-to pdf: %v\n%s", err, out)
		}
		text := pdfText(t, pdftotext, pdf)
		for _, s := range append(append(keptStatements, keptQuotes...), "jardins-2019.pdf", "https://pad.lamyne.org/p/assemblee-2021") {
			if !strings.Contains(text, s) {
				t.Errorf("%s: LibreOffice's PDF lacks %q", lang, s)
			}
		}
		if strings.Contains(text, rejectedStatement) {
			t.Errorf("%s: the rejected link is printed", lang)
		}
		// LibreOffice read the headings as the document's outline (what
		// its table of contents is built from), each criterion on a page
		// of its own: the PDF's bookmarks say so.
		outline := pdfOutline(t, pdf)
		last := 0
		for _, c := range build(t, Options{}).Chapters {
			page, ok := outline[c.ID+" — "+c.Title]
			if !ok || page <= last {
				t.Errorf("%s: chapter %s is not a heading of the outline on a page of its own: %v", lang, c.ID, outline)
			}
			last = page
		}
	}
}

// pdfOutline reads a PDF's bookmarks with pdftohtml (poppler-utils): each
// title with its page.
func pdfOutline(t *testing.T, pdf string) map[string]int {
	t.Helper()
	bin := tool(t, "pdftohtml", "poppler-utils")
	out, err := exec.Command(bin, "-xml", "-stdout", "-i", "-q", pdf).Output()
	if err != nil {
		t.Fatalf("pdftohtml %s: %v", pdf, err)
	}
	items := map[string]int{}
	for _, m := range regexp.MustCompile(`<item page="(\d+)">([^<]*)</item>`).FindAllStringSubmatch(string(out), -1) {
		page, _ := strconv.Atoi(m[1])
		items[html.UnescapeString(m[2])] = page
	}
	return items
}

// TestODTValidates checks the ODT against the OpenDocument 1.3 RELAX NG
// schemas with jing: content, styles and meta against the schema, the
// manifest against the manifest schema beside it. Neither Debian nor the
// Go module proxy ships them (OASIS publishes them; the ODF Toolkit keeps
// a copy in docs/odf1.3/), so the test needs the schema's path in
// REVUE_ODF_SCHEMA, and says so when it is not set. jing runs with -i:
// the ODF schema is not DTD-compatible in its ID types, which jing checks
// by default.
func TestODTValidates(t *testing.T) {
	schema := os.Getenv("REVUE_ODF_SCHEMA")
	if schema == "" {
		t.Skip("REVUE_ODF_SCHEMA is not set: the OpenDocument RELAX NG schema (OASIS OpenDocument-v1.3-schema.rng, with OpenDocument-v1.3-manifest-schema.rng beside it) is not shipped by Debian; set it to validate with jing")
	}
	manifest := filepath.Join(filepath.Dir(schema), "OpenDocument-v1.3-manifest-schema.rng")
	jing := tool(t, "jing", "jing")
	var buf bytes.Buffer
	if err := build(t, Options{Names: true, IncludeRejected: true}).WriteODT(&buf); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} {
		path := filepath.Join(t.TempDir(), filepath.Base(name))
		if err := os.WriteFile(path, []byte(odtFile(t, buf.Bytes(), name)), 0o644); err != nil {
			t.Fatal(err)
		}
		rng := schema
		if name == "META-INF/manifest.xml" {
			rng = manifest
		}
		if out, err := exec.Command(jing, "-i", rng, path).CombinedOutput(); err != nil {
			t.Errorf("jing %s: %v\n%s", name, err, out)
		}
	}
}
