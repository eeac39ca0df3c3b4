package corpus

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOfficeLibreOffice reads the .odt and .docx that LibreOffice wrote
// from rapport.html (testdata/office/make-fixtures.sh): headings become
// sections, the list and the table become lines of text, and the footnote
// comes right after the paragraph that calls it.
func TestOfficeLibreOffice(t *testing.T) {
	for _, name := range []string{"rapport.odt", "rapport.docx"} {
		t.Run(name, func(t *testing.T) {
			doc, warnings, err := readChecked(t, filepath.Join("testdata", "office", name), Options{})
			if err != nil || len(warnings) > 0 {
				t.Fatalf("err %v, warnings %v", err, warnings)
			}
			if doc.Title != "Rapport d'activité de l'association" {
				t.Errorf("title %q", doc.Title)
			}
			if want := strings.TrimSuffix(name[len("rapport."):], ""); doc.Format != want {
				t.Errorf("format %q, want %q", doc.Format, want)
			}
			var sections []string
			var all strings.Builder
			for _, p := range doc.Passages {
				sections = append(sections, p.Section)
				all.WriteString(p.Text + "\n\n")
				if p.Page != 0 {
					t.Errorf("passage %d on page %d: the file records no page", p.Index, p.Page)
				}
			}
			if got := strings.Join(sections, "|"); got != "Rapport d'activité|Gouvernance partagée|Budget" {
				t.Errorf("sections %q", got)
			}
			text := all.String()
			for _, want := range []string{
				"cette année[1] et accueilli vingt nouveaux membres.\n[1] Dont deux en visioconférence.",
				"concernées.\n\n- Assemblée générale en juin\n- Conseil collégial chaque mois",
				"Poste | Montant\nAdhésions | 1 200 €\nSubventions | 3 400 €\n\nLe budget est voté chaque année.",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// TestOfficePages reads a charter of several pages: LibreOffice's .odt
// records where its layout broke the pages, so passages carry their page;
// its .docx does not, so passages carry only their section.
func TestOfficePages(t *testing.T) {
	odt, _, err := readChecked(t, filepath.Join("testdata", "office", "charte.odt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	docx, _, err := readChecked(t, filepath.Join("testdata", "office", "charte.docx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for _, p := range odt.Passages {
		if p.Page < max(last, 1) {
			t.Errorf("passage %d on page %d after page %d", p.Index, p.Page, last)
		}
		last = p.Page
	}
	if last < 3 {
		t.Errorf("last page %d: the soft page breaks were not counted", last)
	}
	for _, d := range []struct {
		name    string
		first   string
		section string
	}{{"odt", odt.Passages[0].Section, odt.Passages[len(odt.Passages)-1].Section}, {"docx", docx.Passages[0].Section, docx.Passages[len(docx.Passages)-1].Section}} {
		if d.first != "1. Des limites claires" || d.section != "3. Surveiller et sanctionner" {
			t.Errorf("%s: sections %q … %q", d.name, d.first, d.section)
		}
	}
	for _, p := range docx.Passages {
		if p.Page != 0 {
			t.Fatalf("docx passage %d on page %d", p.Index, p.Page)
		}
	}
	if odt.Chars != docx.Chars {
		t.Errorf("the same charter has %d characters as .odt and %d as .docx", odt.Chars, docx.Chars)
	}
}

// zipOf builds a ZIP archive of the given parts, in order.
func zipOf(t testing.TB, parts ...[2]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombZip is a ZIP whose one part inflates to size bytes of spaces; when
// lie is set, its header says the part is 100 bytes, as a crafted bomb does.
func bombZip(t testing.TB, name string, size int, lie bool) []byte {
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	crc := crc32.NewIEEE()
	for n := 0; n < size; n += len(chunk) {
		fw.Write(chunk)
		crc.Write(chunk)
	}
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc.Sum32(), CompressedSize64: uint64(deflated.Len()), UncompressedSize64: uint64(size)}
	if lie {
		h.UncompressedSize64 = 100
	}
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(deflated.Bytes())
	zw.Close()
	return buf.Bytes()
}

const odtHead = `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>`
const odtTail = `</office:text></office:body></office:document-content>`

// TestOfficeHostile gives the readers what a damaged or hostile file holds:
// each is refused with a sentence naming what is wrong, quickly and within
// its memory bounds, and the text of a valid one is sanitised.
func TestOfficeHostile(t *testing.T) {
	deep := odtHead + strings.Repeat("<text:span>", 1000) + "x" + strings.Repeat("</text:span>", 1000) + odtTail
	lol := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>`
	rapport, err := os.ReadFile(filepath.Join("testdata", "office", "rapport.odt"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		file string
		b    []byte
		want string
	}{
		{"zip bomb", "bombe.odt", bombZip(t, "content.xml", 200<<20, false), "unpacks to more than 64 MiB"},
		{"zip bomb with a lying header", "bombe.docx", bombZip(t, "word/document.xml", 200<<20, true), "word/document.xml"},
		{"entity expansion", "lol.docx", zipOf(t, [2]string{"word/document.xml", lol}), "declares a document type (<!DOCTYPE>)"},
		{"deep nesting", "profond.odt", zipOf(t, [2]string{"content.xml", deep}), "nests more than 256 elements"},
		{"missing content.xml", "vide.odt", zipOf(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.text"}), "no content.xml in the archive"},
		{"missing document.xml", "vide.docx", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}), "no word/document.xml in the archive"},
		{"not a zip", "texte.docx", []byte("Bonjour, ceci est du texte."), "not a valid .docx file (not a ZIP archive"},
		{"old Word file", "ancien.docx", append(append([]byte{}, oleMagic...), make([]byte, 600)...), "an old Word 97-2003 file or a password-protected document"},
		{"truncated", "tronque.odt", rapport[:len(rapport)/2], "not a valid .odt file"},
		{"unclosed XML", "coupe.odt", zipOf(t, [2]string{"content.xml", odtHead + "<text:p>début"}), "content.xml"},
		{"no text", "images.odt", zipOf(t, [2]string{"content.xml", odtHead + "<text:p/>" + odtTail}), "no text (only images, drawings or empty paragraphs)"},
		{"too many files", "archive.odt", manyFiles(t, maxOfficeEntries+1), "an archive of 10001 files"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.file)
			if err := os.WriteFile(path, c.b, 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := readChecked(t, path, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), path+": ") {
				t.Fatalf("error %v, want one naming %s with %q", err, path, c.want)
			}
		})
	}

	t.Run("sanitised", func(t *testing.T) {
		body := "<text:h>Titre\u202e piégé</text:h><text:p>Un\u0085 texte\u200f caché\u2066.</text:p>"
		path := filepath.Join(t.TempDir(), "piege.odt")
		if err := os.WriteFile(path, zipOf(t, [2]string{"content.xml", odtHead + body + odtTail}), 0o644); err != nil {
			t.Fatal(err)
		}
		doc, _, err := readChecked(t, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != "Titre piégé" || doc.Passages[0].Text != "Titre piégé\n\nUn texte caché." {
			t.Errorf("title %q, text %q", doc.Title, doc.Passages[0].Text)
		}
	})
}

func manyFiles(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range n {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: "f" + string(rune('a'+i%26)) + strings.Repeat("x", i%7), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	return buf.Bytes()
}

// TestSkippedFormatsNamed imports a folder as an association has it: notes
// beside a .docx and an .odt, which are read, and the formats Revue does
// not read, each named with what to do, so that none is dropped silently.
func TestSkippedFormatsNamed(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"rapport.odt", "rapport.docx"} {
		b, err := os.ReadFile(filepath.Join("testdata", "office", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "copie-"+name), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("# Notes\n\nLes communs."), 0o644)
	want := map[string]string{
		"compte-rendu.rtf": "save it as .odt or .docx",
		"ancien.doc":       "save it as .odt or .docx",
		"budget.xlsx":      "a spreadsheet is not read as a document; export it as PDF",
		"budget.ods":       "a spreadsheet",
		"budget.xls":       "a spreadsheet",
		"membres.csv":      "a spreadsheet",
		"diapos.pptx":      "export the presentation as PDF",
		"diapos.odp":       "export the presentation as PDF",
		"photo.jpg":        "an image has no text",
		"archive.zip":      "unpack the archive",
		"livre.epub":       "export or print it as PDF",
		"LISEZMOI":         "no extension",
		"carte.kml":        "file type .kml not read: export it as PDF, or save it as .odt, .docx",
	}
	for name := range want {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644)
	}
	res := Import([]string{dir}, "", Options{})
	if len(res.Documents) != 3 {
		t.Errorf("%d documents, want the .odt, the .docx and the notes", len(res.Documents))
	}
	got := map[string]string{}
	for _, p := range res.Problems {
		got[filepath.Base(p.File)] = p.Reason
	}
	for name, reason := range want {
		if !strings.Contains(got[name], reason) {
			t.Errorf("%s: problem %q, want one with %q", name, got[name], reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("problems %v", res.Problems)
	}
}

// FuzzOffice feeds the .odt and .docx readers any bytes, seeded with the
// LibreOffice fixtures: they must never panic, and what they return is
// sanitised text.
func FuzzOffice(f *testing.F) {
	for _, name := range []string{"rapport.odt", "rapport.docx", "charte.odt"} {
		b, err := os.ReadFile(filepath.Join("testdata", "office", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, strings.HasSuffix(name, ".odt"))
	}
	f.Add(zipOf(f, [2]string{"content.xml", odtHead + "<text:p>a<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>n</text:p></text:note-body></text:note></text:p>" + odtTail}), true)
	f.Fuzz(func(t *testing.T, b []byte, odt bool) {
		format := "docx"
		if odt {
			format = "odt"
		}
		doc, _, err := readBytes("fuzz."+format, format, b, Options{})
		if err != nil {
			return
		}
		for _, p := range doc.Passages {
			if clean(p.Text) != p.Text {
				t.Fatalf("passage not clean: %q", p.Text)
			}
		}
	})
}
