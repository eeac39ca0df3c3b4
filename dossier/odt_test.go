package dossier

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// TestODTOpensInLibreOffice converts the ODT to PDF with LibreOffice
// headless (a fresh profile) and reads every kept statement in the PDF,
// the sources included, which the ODT holds as footnotes.
func TestODTOpensInLibreOffice(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice-writer-nogui")
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	for _, lang := range []string{"fr", "en"} {
		pdf := odtToPDF(t, soffice, build(t, Options{Lang: lang}))
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

// odtToPDF writes d as ODT and converts it to PDF with LibreOffice
// headless (a fresh profile); it returns the PDF's path.
func odtToPDF(t *testing.T, soffice string, d *Dossier) string {
	t.Helper()
	var buf bytes.Buffer
	if err := d.WriteODT(&buf); err != nil {
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
	return pdf
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

// TestODTContentsAndMatrixInLibreOffice lays out, with LibreOffice, a
// dossier of ten criteria whose documents have long titles: the table of
// contents is in the headings' sans-serif font, and the documents ×
// criteria matrix breaks no word in the middle ("Docume/nt"), its first
// column being wide enough for the titles.
func TestODTContentsAndMatrixInLibreOffice(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice-writer-nogui")
	bin := tool(t, "pdftohtml", "poppler-utils")
	d := build(t, Options{})
	for i, doc := range d.Documents {
		doc.Title = fmt.Sprintf("Compte rendu de l'assemblée générale extraordinaire des coopérateurs n° %d", i+1)
	}
	for k := len(d.Chapters) + 1; k <= 10; k++ {
		d.Chapters = append(d.Chapters, Chapter{Criterion: review.Criterion{ID: fmt.Sprintf("C%d", k), Title: fmt.Sprintf("Critère %d", k)}})
		for _, doc := range d.Documents {
			doc.Kept = append(doc.Kept, 0)
		}
	}
	pdf := odtToPDF(t, soffice, d)
	xml, err := exec.Command(bin, "-xml", "-stdout", "-i", "-q", pdf).Output()
	if err != nil {
		t.Fatalf("pdftohtml: %v", err)
	}
	fonts := map[string]string{}
	for _, m := range regexp.MustCompile(`<fontspec id="(\d+)"[^>]* family="([^"]*)"`).FindAllStringSubmatch(string(xml), -1) {
		fonts[m[1]] = m[2]
	}
	var texts []string
	contents := 0
	page := 0
	for _, line := range strings.Split(string(xml), "\n") {
		if m := regexp.MustCompile(`<page number="(\d+)"`).FindStringSubmatch(line); m != nil {
			page, _ = strconv.Atoi(m[1])
		}
		m := regexp.MustCompile(`<text [^>]*font="(\d+)"[^>]*>(.*)</text>`).FindStringSubmatch(line)
		if m == nil {
			continue
		}
		text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[2], ""))
		texts = append(texts, text)
		if page == 1 && strings.HasPrefix(text, d.Chapters[0].ID+" — ") {
			contents++
			if !strings.Contains(fonts[m[1]], "Sans") {
				t.Errorf("the table of contents' entry %q is in %s, not in the headings' sans-serif", text, fonts[m[1]])
			}
		}
	}
	if contents == 0 {
		t.Errorf("no entry of the table of contents on page 1:\n%.3000s", xml)
	}
	all := strings.Join(texts, "\n")
	for _, word := range []string{"Document", "extraordinaire", "coopérateurs", "C10"} {
		if !regexp.MustCompile(`(^|\W)` + word + `(\W|$)`).MatchString(all) {
			t.Errorf("the PDF never holds %q whole: the matrix broke it", word)
		}
	}
}
