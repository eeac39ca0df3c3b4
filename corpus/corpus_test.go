package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// readChecked reads path with ReadDocument and, when it succeeds, checks
// the passages against the reader's own extracted text.
func readChecked(t *testing.T, path string, opts Options) (review.Document, []Problem, error) {
	t.Helper()
	doc, warnings, err := ReadDocument(path, opts)
	if err != nil {
		return doc, warnings, err
	}
	b, rerr := os.ReadFile(path)
	if rerr != nil {
		t.Fatal(rerr)
	}
	format, _ := formatOf(path)
	ex, xerr := extract(path, format, b, Options{})
	if xerr != nil {
		t.Fatalf("extract failed where ReadDocument did not: %v", xerr)
	}
	sum := sha256.Sum256(b)
	sha := hex.EncodeToString(sum[:])
	if doc.ID != sha || doc.SHA256 != sha {
		t.Fatalf("ID %q SHA256 %q, want %q", doc.ID, doc.SHA256, sha)
	}
	if doc.Source != path {
		t.Fatalf("Source %q, want %q", doc.Source, path)
	}
	text := []rune(ex.text)
	if doc.Chars != len(text) {
		t.Fatalf("Chars %d, want %d", doc.Chars, len(text))
	}
	checkPassages(t, sha, text, ex.regions, doc.Passages, opts.maxRunes())
	return doc, warnings, nil
}

// allText joins the passages' text, for assertions on content.
func allText(d review.Document) string {
	var parts []string
	for _, p := range d.Passages {
		parts = append(parts, p.Text)
	}
	return strings.Join(parts, "\n")
}

func sections(d review.Document) []string {
	var out []string
	for _, p := range d.Passages {
		if len(out) == 0 || out[len(out)-1] != p.Section {
			out = append(out, p.Section)
		}
	}
	return out
}

func TestReadDocument(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		data     string
		format   string
		title    string
		has      []string // substrings of the passages' text
		hasNot   []string
		sections []string
		warning  string // substring of the only warning, if any
	}{
		{
			name: "markdown headings and sections", file: "charte.md",
			data:   "Préambule libre.\n\n# La charte\n\nLes habitants décident.\n\n## Ressources\n\nLa forêt est commune.\n",
			format: "markdown", title: "La charte",
			has:      []string{"# La charte\n\nLes habitants décident.", "## Ressources\n\nLa forêt est commune."},
			sections: []string{"", "La charte", "Ressources"},
		},
		{
			name: "markdown code fence is not a heading", file: "code.markdown",
			data:   "# Vrai titre\n\n```sh\n# un commentaire\n```\n\nSuite.\n",
			format: "markdown", title: "Vrai titre",
			sections: []string{"Vrai titre"},
		},
		{
			name: "markdown setext heading and front matter title", file: "pad.md",
			data:   "---\ntitle: \"Compte rendu du 3 mai\"\ntags: coop\n---\nOrdre du jour\n=============\n\nPoint un.\n",
			format: "markdown", title: "Compte rendu du 3 mai",
			has:      []string{"Ordre du jour\n=============\n\nPoint un."},
			hasNot:   []string{"tags: coop"},
			sections: []string{"Ordre du jour"},
		},
		{
			name: "text title is the file name", file: "notes-réunion.TXT",
			data:   "Première ligne.\nDeuxième ligne.\n",
			format: "text", title: "notes-réunion",
			has: []string{"Première ligne.\nDeuxième ligne."},
		},
		{
			name: "windows-1252 is decoded with a warning", file: "ancien.txt",
			data:   "Un \xe9t\xe9 \xe0 la for\xeat, l'\x9cuvre \x80 10.",
			format: "text", title: "ancien",
			has:     []string{"Un été à la forêt, l'œuvre € 10."},
			warning: "Windows-1252",
		},
		{
			name: "utf-8 byte order mark removed", file: "bom.md",
			data:   "\xef\xbb\xbf# Titre\n\nTexte.",
			format: "markdown", title: "Titre",
			has: []string{"# Titre\n\nTexte."},
		},
		{
			name: "crlf becomes lf", file: "crlf.txt",
			data:   "Ligne un.\r\nLigne deux.\r\n\r\nParagraphe deux.\rFin.",
			format: "text",
			has:    []string{"Ligne un.\nLigne deux.\n\nParagraphe deux.\nFin."},
			hasNot: []string{"\r"},
		},
		{
			name: "controls and escapes removed", file: "piege.txt",
			data:   "Avant\x1b[2J\x1b]0;titre\x07\x1b]52;c;ZWNobw==\x07 après\x01\x08\x7f \u009b31m rouge \u202eesrevni\u202c fin\ttab\n",
			format: "text",
			has:    []string{"Avant après 31m rouge esrevni fin\ttab"},
			hasNot: []string{"\x1b", "\x07", "\x00", "\x08", "\x7f", "\u009b", "\u202e", "\u202c"},
		},
		{
			name: "ligatures expanded", file: "lig.txt",
			data:   "Une \ufb01che, un e\ufb00ort, une \ufb02eur, a\ufb03che.",
			format: "text",
			has:    []string{"Une fiche, un effort, une fleur, affiche."},
		},
		{
			name: "html etherpad export", file: "pad.html",
			data: `<!DOCTYPE HTML><html><head><title>Réunion  du
 bureau</title><style>body{color:red}</style><script>alert("x")</script></head>
<body><h1>Ordre du jour</h1>Premier point&nbsp;: le <b>budget</b>.<br>Deuxième point.<br><br>
<ul class="bullet"><li>un</li><li>deux</li></ul><h2>Décisions</h2><p>On vote.</p><pre>  code
  gardé</pre><table><tr><td>a</td><td>b</td></tr></table></body></html>`,
			format: "html", title: "Réunion du bureau",
			has:      []string{"Ordre du jour\n\nPremier point\u00a0: le budget.\nDeuxième point.\n\nun\ndeux", "Décisions\n\nOn vote.\n\n  code\n  gardé\n\na b"},
			hasNot:   []string{"alert", "color:red", "<b>"},
			sections: []string{"Ordre du jour", "Décisions"},
		},
		{
			name: "html title from first h1, entities cleaned", file: "page.HTM",
			data:   "<p>Intro</p><h1>Le &lt;titre&gt;</h1><p>Texte &#27;[31m &#x202E;ok</p>",
			format: "html", title: "Le <titre>",
			has:      []string{"Intro", "Le <titre>\n\nTexte ok"},
			hasNot:   []string{"\x1b", "\u202e"},
			sections: []string{"", "Le <titre>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			doc, warnings, err := readChecked(t, path, Options{})
			if err != nil {
				t.Fatalf("ReadDocument: %v", err)
			}
			if doc.Format != tt.format {
				t.Errorf("Format = %q, want %q", doc.Format, tt.format)
			}
			if tt.title != "" && doc.Title != tt.title {
				t.Errorf("Title = %q, want %q", doc.Title, tt.title)
			}
			text := allText(doc)
			for _, s := range tt.has {
				if !strings.Contains(text, s) {
					t.Errorf("passages lack %q:\n%q", s, text)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(text, s) || strings.Contains(doc.Title, s) {
					t.Errorf("passages or title keep %q:\n%q", s, text)
				}
			}
			if tt.sections != nil && !reflect.DeepEqual(sections(doc), tt.sections) {
				t.Errorf("sections = %q, want %q", sections(doc), tt.sections)
			}
			switch {
			case tt.warning == "" && len(warnings) > 0:
				t.Errorf("unexpected warnings %v", warnings)
			case tt.warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0].Error(), tt.warning) || warnings[0].File != path):
				t.Errorf("warnings = %v, want one naming %s and saying %q", warnings, path, tt.warning)
			}
		})
	}
}

func TestReadDocumentProblems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if err := os.Mkdir(filepath.Join(dir, "dossier.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		path   string
		reason string
	}{
		{"empty file", write("vide.md", ""), "empty file"},
		{"only white space", write("blanc.txt", " \n\t\r\n"), "no text"},
		{"only markup", write("rien.html", "<html><script>x()</script></html>"), "no text"},
		{"binary data", write("image.txt", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary data"},
		{"missing", filepath.Join(dir, "absent.md"), "no such file"},
		{"a directory", filepath.Join(dir, "dossier.md"), "is a directory"},
		{"unsupported type", write("lettre.rtf", "{\\rtf1}"), "file type .rtf not read: open it in LibreOffice or Word and save it as .odt or .docx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadDocument(tt.path, Options{})
			var p Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %v is not a Problem", err)
			}
			if p.File != tt.path || !strings.Contains(p.Reason, tt.reason) {
				t.Fatalf("problem %q, want one naming %s with %q", p.Error(), tt.path, tt.reason)
			}
		})
	}
}

// TestReadDocumentUnreadable needs a file its owner cannot read, which root
// always can.
func TestReadDocumentUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file; the permission case cannot be made")
	}
	p := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(p, []byte("# x"), 0o000); err != nil {
		t.Fatal(err)
	}
	_, _, err := ReadDocument(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v, want permission denied", err)
	}
}

func TestReadDocumentHugeLine(t *testing.T) {
	var b strings.Builder
	for b.Len() < 4<<20 {
		b.WriteString("les communs se gouvernent ensemble et chacun y prend part ")
	}
	path := filepath.Join(t.TempDir(), "ligne.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, _, err := readChecked(t, path, Options{MaxPassageRunes: 800})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Passages) < doc.Chars/800 {
		t.Fatalf("%d passages for %d runes", len(doc.Passages), doc.Chars)
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b/z.md", "b/a.TXT", "a.pdf", "c.HTML", "d.htm", "e.markdown", "notes.rtf", ".cache/x.md", "b/._y.md", "b/c/deep.md", "b/~$notes.docx", "Thumbs.db"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j := func(s string) string { return filepath.Join(dir, s) }
	link := filepath.Join(t.TempDir(), "lien")
	if err := os.Symlink(j("b/c"), link); err != nil {
		t.Fatal(err)
	}
	files, probs := Expand([]string{dir, j("b/z.md"), j("notes.rtf"), j("absent.md"), link})
	want := []string{j("a.pdf"), j("b/a.TXT"), j("b/c/deep.md"), j("b/z.md"), j("c.HTML"), j("d.htm"), j("e.markdown"), filepath.Join(link, "deep.md")}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("files = %q\nwant %q", files, want)
	}
	// notes.rtf is named once, though found in the folder and given too;
	// Word's owner file and Windows' thumbnails are skipped without a word.
	if len(probs) != 2 || probs[0].File != j("notes.rtf") || !strings.Contains(probs[0].Reason, "save it as .odt or .docx") ||
		probs[1].File != j("absent.md") || !strings.Contains(probs[1].Reason, "no such file") {
		t.Errorf("problems = %v", probs)
	}
}

func TestImport(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("docs/a.md", "# A\n\nLe même texte.")
	write("docs/copie/a-bis.md", "# A\n\nLe même texte.")
	write("docs/b.txt", "B \xe9t\xe9.")
	write("docs/vide.txt", "")
	crit := write("criteres.md", "## C1 — Participation\nLes personnes concernées participent.\n## C1 — Encore\nx\n")

	res := Import([]string{filepath.Join(dir, "docs")}, crit, Options{})
	if len(res.Documents) != 2 || res.Documents[0].Source != filepath.Join(dir, "docs/a.md") || res.Documents[1].Format != "text" {
		t.Fatalf("documents = %+v", res.Documents)
	}
	if len(res.Criteria) != 1 || res.Criteria[0].ID != "C1" {
		t.Fatalf("criteria = %+v", res.Criteria)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		crit + ":3: duplicate id \"C1\", first used at line 1",
		filepath.Join(dir, "docs/vide.txt") + ": empty file",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q\nwant %q", got, want)
	}
	var warns []string
	for _, w := range res.Warnings {
		warns = append(warns, w.Error())
	}
	wantWarns := []string{
		filepath.Join(dir, "docs/b.txt") + ": not UTF-8, read as Windows-1252: check the accents",
		filepath.Join(dir, "docs/copie/a-bis.md") + ": same content as " + filepath.Join(dir, "docs/a.md") + ", imported once",
	}
	if !reflect.DeepEqual(warns, wantWarns) {
		t.Errorf("warnings = %q\nwant %q", warns, wantWarns)
	}
}

func TestProblemError(t *testing.T) {
	if got := (Problem{File: "c.md", Line: 12, Reason: "duplicate id"}).Error(); got != "c.md:12: duplicate id" {
		t.Errorf("got %q", got)
	}
	if got := (Problem{File: "r.pdf", Reason: "encrypted PDF"}).Error(); got != "r.pdf: encrypted PDF" {
		t.Errorf("got %q", got)
	}
}

// FuzzReadText gives arbitrary bytes to the Markdown, HTML and text readers
// and checks the passage invariants against each reader's extracted text:
// offsets, bounds, sections, nothing lost.
func FuzzReadText(f *testing.F) {
	f.Add([]byte("# Titre\n\nUn été.\r\n\r\n## Deux\n- a\n- b\n"), uint8(0))
	f.Add([]byte("<h1>Un</h1><p>été &amp; hiver<br>suite</p><h2>Deux</h2><pre> a\n b</pre>"), uint8(1))
	f.Add([]byte("\xef\xbb\xbfligne\x1b[31m rouge\r\n\xe9t\xe9"), uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, kind uint8) {
		format := []string{"markdown", "html", "text"}[int(kind)%3]
		const max = 40
		doc, _, err := readBytes("fuzz", format, b, Options{MaxPassageRunes: max})
		if err != nil {
			var p Problem
			if !errors.As(err, &p) || p.File != "fuzz" {
				t.Fatalf("error %v is not a Problem naming the file", err)
			}
			return
		}
		ex, err := extract("fuzz", format, b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		text := []rune(ex.text)
		if doc.Chars != len(text) || doc.Title == "" {
			t.Fatalf("Chars %d for %d runes, title %q", doc.Chars, len(text), doc.Title)
		}
		checkPassages(t, doc.SHA256, text, ex.regions, doc.Passages, max)
	})
}
