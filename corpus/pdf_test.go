package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium/requests"
)

// The fixtures in testdata/pdf are made by testdata/pdf/make-fixtures.sh
// (groff, qpdf) from the .ms sources beside them; the tests only read them.

func TestReadPDF(t *testing.T) {
	tests := []struct {
		file   string
		title  string
		pages  map[int][]string // page -> text it must hold
		hasNot []string
	}{
		{
			file:  "rapport.pdf",
			title: "Rapport de la coopérative",
			pages: map[int][]string{
				1: {"Gouvernance partagée", "concernées par les règles", "cœur du groupe", "l’œuvre commune", "Chaque fiche d’inscription est signée."},
				2: {"Ressources et conflits", "La forêt communale", "à faible coût"},
			},
			hasNot: []string{"\ufb01", "\x02", "\r"},
		},
		{
			file:  "sans-titre.pdf",
			title: "1. Gouvernance partagée",
			pages: map[int][]string{1: {"élaboration"}, 2: {"bénéfices"}},
		},
		{
			// groff cut "respons-abilités" at a line end; the word also
			// appears whole, so the hyphen is surely a line break.
			file:   "cesure.pdf",
			title:  "Les responsabilités sont partagées.",
			pages:  map[int][]string{1: {"communications responsabilités."}},
			hasNot: []string{"\x02", "respons-"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "pdf", tt.file)
			doc, warnings, err := readChecked(t, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) > 0 {
				t.Errorf("warnings %v", warnings)
			}
			if doc.Format != "pdf" || doc.Title != tt.title {
				t.Errorf("format %q title %q, want pdf %q", doc.Format, doc.Title, tt.title)
			}
			byPage := map[int]string{}
			for _, p := range doc.Passages {
				if p.Page < 1 || p.Section != "" {
					t.Errorf("passage %s has page %d section %q", p.ID, p.Page, p.Section)
				}
				byPage[p.Page] += p.Text + "\n"
			}
			for page, want := range tt.pages {
				for _, s := range want {
					if !strings.Contains(byPage[page], s) {
						t.Errorf("page %d lacks %q:\n%s", page, s, byPage[page])
					}
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(allText(doc), s) {
					t.Errorf("text keeps %q", s)
				}
			}
		})
	}
}

func TestReadPDFProblems(t *testing.T) {
	tests := []struct {
		file, reason string
	}{
		{"tronque.pdf", "not a valid PDF (damaged or truncated?)"},
		{"chiffre.pdf", "encrypted PDF, remove the password first"},
		{"texte.pdf", "not a valid PDF"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "pdf", tt.file)
			_, _, err := ReadDocument(path, Options{})
			var p Problem
			if !errors.As(err, &p) || p.File != path || !strings.HasPrefix(p.Reason, tt.reason) {
				t.Fatalf("err = %v, want a Problem for %s starting %q", err, path, tt.reason)
			}
		})
	}
}

// longPDF builds a PDF of n pages (n even) from the two-page fixture with
// PDFium itself, so that no large file needs to be kept in testdata.
func longPDF(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "long.pdf")
	src, err := os.ReadFile(filepath.Join("testdata", "pdf", "rapport.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pdfPool()
	if err != nil {
		t.Fatal(err)
	}
	inst, err := pool.GetInstance(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	in, err := inst.OpenDocument(&requests.OpenDocument{File: &src})
	if err != nil {
		t.Fatal(err)
	}
	out, err := inst.FPDF_CreateNewDocument(&requests.FPDF_CreateNewDocument{})
	if err != nil {
		t.Fatal(err)
	}
	// One import of all the pages, so that they share the fonts as the
	// pages of a real long document do.
	indices := make([]int, n)
	for i := range indices {
		indices[i] = i % 2
	}
	if _, err := inst.FPDF_ImportPagesByIndex(&requests.FPDF_ImportPagesByIndex{Source: in.Document, Destination: out.Document, PageIndices: indices}); err != nil {
		t.Fatal(err)
	}
	saved, err := inst.FPDF_SaveAsCopy(&requests.FPDF_SaveAsCopy{Document: out.Document})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, *saved.FileBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadPDF500Pages checks that a long PDF is cut into passages, each on
// one page, rather than refused.
func TestReadPDF500Pages(t *testing.T) {
	path := longPDF(t, 500)
	doc, _, err := readChecked(t, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range doc.Passages {
		seen[p.Page] = true
	}
	if len(seen) != 500 || !seen[1] || !seen[500] {
		t.Fatalf("passages on %d distinct pages, want 500", len(seen))
	}
}

// TestPDFWatchdog forces the per-page deadline to expire at once: the read
// must end in a Problem, and the engine must still read the next PDF (the
// killed worker is replaced).
func TestPDFWatchdog(t *testing.T) {
	path := longPDF(t, 200)
	saved := pdfPageTimeout
	pdfPageTimeout = time.Nanosecond
	_, _, err := ReadDocument(path, Options{})
	pdfPageTimeout = saved
	if err == nil || !strings.Contains(err.Error(), "took longer than") {
		t.Fatalf("err = %v, want a timeout problem", err)
	}
	if _, _, err := ReadDocument(filepath.Join("testdata", "pdf", "rapport.pdf"), Options{}); err != nil {
		t.Fatalf("after a killed worker: %v", err)
	}
}

func TestPDFText(t *testing.T) {
	pages := []string{
		"Les responsabilités.\r\nLa respons\x02abilité des coopéra\x02tives et des porte\x02parole.",
		"",
		"Une \ufb01che\x02",
	}
	text, regions := pdfText(pages)
	want := "Les responsabilités.\nLa respons-abilité des coopéra-tives et des porte-parole.\n\n\n\nUne fiche-"
	if text != want {
		t.Errorf("text = %q\nwant %q", text, want)
	}
	// "responsabilité" (singular) is not in the document, so its hyphen stays.
	pages[0] = "La responsabilité.\r\nLa respons\x02abilité et coopéra\x02tives."
	if text, _ = pdfText(pages); !strings.HasPrefix(text, "La responsabilité.\nLa responsabilité et coopéra-tives.") {
		t.Errorf("text = %q", text)
	}
	if len(regions) != 3 || regions[1].start != regions[1].end || regions[2].page != 3 {
		t.Errorf("regions = %+v", regions)
	}
}

// FuzzPDF gives damaged and random bytes to the PDF reader: it must return
// a document or a Problem, never panic or hang. The deadlines are shortened
// so that one execution stays quick.
//
// The engine is started here, before f.Fuzz, in every process that runs the
// target (the coordinator and each fuzzing worker run this function from
// the top): compiling PDFium's WebAssembly takes seconds, which inside the
// first execution made the fuzzer report "fuzzing process hung". One PDF is
// read once too, so that the worker pool is warm before the first input.
func FuzzPDF(f *testing.F) {
	if _, err := pdfPool(); err != nil {
		f.Fatal(err)
	}
	if res := extractPDF([]byte("%PDF-1.7\n%%EOF"), nil); res.reason == "" {
		f.Fatal("an empty PDF was read as a document")
	}
	for _, name := range []string{"rapport.pdf", "tronque.pdf", "cesure.pdf", "texte.pdf"} {
		b, err := os.ReadFile(filepath.Join("testdata", "pdf", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	savedDoc, savedPage := pdfDocTimeout, pdfPageTimeout
	pdfDocTimeout, pdfPageTimeout = 20*time.Second, 10*time.Second
	f.Cleanup(func() { pdfDocTimeout, pdfPageTimeout = savedDoc, savedPage })
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, _, err := readBytes("fuzz.pdf", "pdf", b, Options{})
		if err != nil {
			var p Problem
			if !errors.As(err, &p) || p.File != "fuzz.pdf" || p.Reason == "" {
				t.Fatalf("error %v is not a Problem naming the file", err)
			}
			return
		}
		if doc.Format != "pdf" || doc.Title == "" {
			t.Fatalf("document %+v", doc)
		}
	})
}

func TestPDFTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Rapport annuel 2019", "Rapport annuel 2019"},
		{"Microsoft Word - Rapport 2019.docx", "Rapport 2019"},
		{"compte-rendu.odt", "compte-rendu"},
		{"  Untitled ", ""},
		{"Titre\x1b[31m\nsur deux lignes", "Titre sur deux lignes"},
	}
	for _, tt := range tests {
		if got := pdfTitle(tt.in); got != tt.want {
			t.Errorf("pdfTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestImportPDFDirectory imports the fixture directory: the valid PDFs are
// read, and every invalid one is listed with its reason, not only the first.
func TestImportPDFDirectory(t *testing.T) {
	dir := filepath.Join("testdata", "pdf")
	res := Import([]string{dir}, "", Options{})
	var titles []string
	for _, d := range res.Documents {
		titles = append(titles, d.Title)
	}
	wantTitles := []string{"Les responsabilités sont partagées.", "Rapport de la coopérative", "1. Gouvernance partagée"}
	if strings.Join(titles, "|") != strings.Join(wantTitles, "|") {
		t.Errorf("titles = %q, want %q", titles, wantTitles)
	}
	var probs []string
	for _, p := range res.Problems {
		probs = append(probs, p.File+": "+strings.SplitN(p.Reason, " (", 2)[0])
	}
	// The fixtures' sources beside them are named too, not dropped.
	other := ": file type .ms not read: export it as PDF, or save it as .odt, .docx, Markdown, text or HTML"
	wantProbs := []string{
		filepath.Join(dir, "cesure.ms") + other,
		filepath.Join(dir, "chiffre.pdf") + ": encrypted PDF, remove the password first",
		filepath.Join(dir, "make-fixtures.sh") + strings.Replace(other, ".ms", ".sh", 1),
		filepath.Join(dir, "rapport.ms") + other,
		filepath.Join(dir, "sans-titre.ms") + other,
		filepath.Join(dir, "texte.pdf") + ": not a valid PDF",
		filepath.Join(dir, "tronque.pdf") + ": not a valid PDF",
	}
	if strings.Join(probs, "\n") != strings.Join(wantProbs, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(probs, "\n"), strings.Join(wantProbs, "\n"))
	}
}
