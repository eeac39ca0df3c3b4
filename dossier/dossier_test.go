package dossier

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/coopdescommuns/revue/review"
)

var tags = regexp.MustCompile(`<[^>]*>`)

// plain is what a reader of an HTML rendering sees: its text, unescaped,
// with every run of white space one space.
func plain(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(h, " "))), " ")
}

// render writes the dossier in a format and returns the text a reader
// sees: the HTML's text, the Markdown as a CommonMark parser renders it,
// the ODT's text as LibreOffice would read its content.xml.
func render(t *testing.T, d *Dossier, format string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Write(&buf, format); err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	switch format {
	case "md":
		var out bytes.Buffer
		md := goldmark.New(goldmark.WithExtensions(extension.Table))
		if err := md.Convert(buf.Bytes(), &out); err != nil {
			t.Fatalf("goldmark: %v", err)
		}
		return plain(out.String())
	case "odt":
		return plain(odtText(t, buf.Bytes()))
	}
	return plain(buf.String())
}

func build(t *testing.T, opt Options) *Dossier {
	t.Helper()
	d, err := Build(workshop(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEveryFormatHoldsTheKeptEvidenceAndNoName(t *testing.T) {
	for _, format := range Formats {
		for _, lang := range []string{"fr", "en"} {
			t.Run(format+"-"+lang, func(t *testing.T) {
				text := render(t, build(t, Options{Lang: lang}), format)
				for _, s := range append(keptStatements, keptQuotes...) {
					if !strings.Contains(text, s) {
						t.Errorf("%q is missing", s)
					}
				}
				for _, s := range []string{rejectedStatement, pendingStatement, emileWording} {
					if strings.Contains(text, s) {
						t.Errorf("%q is shown, but the link is not kept", s)
					}
				}
				for _, n := range names {
					if strings.Contains(strings.ToLower(text), strings.ToLower(n)) {
						t.Errorf("%q is named without --names", n)
					}
				}
				for _, s := range []string{"jardins-2019.pdf", "https://pad.lamyne.org/p/assemblee-2021", "qwen3:4b", "sha256:abc123", "judge/3",
					"C3", "Les conflits trouvent une médiation", fmtHash(workshop())} {
					if !strings.Contains(text, s) {
						t.Errorf("%q is missing", s)
					}
				}
				if strings.Contains(text, "/home/") || strings.Contains(text, "Users") {
					t.Errorf("a path names its owner's home: %s", text)
				}
			})
		}
	}
}

func fmtHash(events []review.Event) string { return events[len(events)-1].Hash }

func TestNamesOnlyOfThoseWhoConsented(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			text := render(t, build(t, Options{Names: true}), format)
			for _, n := range []string{"Bruno", "Chloé"} {
				if !strings.Contains(text, n) {
					t.Errorf("%s consented and is not named", n)
				}
			}
			for _, n := range []string{"Anna", "Dede", "Émile", "annakey", "brunokey"} {
				if strings.Contains(strings.ToLower(text), strings.ToLower(n)) {
					t.Errorf("%q is named, though they did not consent or withdrew", n)
				}
			}
		})
	}
}

func TestRejectedOnlyWhenAsked(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			text := render(t, build(t, Options{IncludeRejected: true}), format)
			for _, s := range []string{rejectedStatement, "hors sujet", "aucune médiation"} {
				if !strings.Contains(text, s) {
					t.Errorf("%q is missing with --include rejected", s)
				}
			}
			for _, s := range []string{pendingStatement, emileWording, "Émile"} {
				if strings.Contains(text, s) {
					t.Errorf("%q is shown", s)
				}
			}
		})
	}
}

// TestMatrixEqualsTheExport counts the kept links per document and
// criterion in the JSON export and compares them with the matrix.
func TestMatrixEqualsTheExport(t *testing.T) {
	events := workshop()
	var buf bytes.Buffer
	if err := review.Export(&buf, events, "json", false); err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Proposals []struct {
			Document, Criterion string
			Status              review.Status
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &exp); err != nil {
		t.Fatal(err)
	}
	want := map[[2]string]int{}
	for _, p := range exp.Proposals {
		if p.Status == review.Accepted || p.Status == review.Rephrased {
			want[[2]string{p.Document, p.Criterion}]++
		}
	}
	d := build(t, Options{})
	got := map[[2]string]int{}
	for _, doc := range d.Documents {
		for i, n := range doc.Kept {
			if n > 0 {
				got[[2]string{doc.ID, d.Chapters[i].ID}] = n
			}
		}
	}
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("matrix %v, export %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%v: matrix %d, export %d", k, got[k], n)
		}
	}
	if d.Kept != 4 || d.Shares != (Shares{AsProposed: 1, Reworded: 1, Created: 1, Negatives: 1}) {
		t.Errorf("kept %d, shares %+v", d.Kept, d.Shares)
	}
	if pe := d.People; pe.Participants != 3 || pe.Facilitators != 1 || pe.Withdrawn != 1 || pe.Consented != 2 || pe.Named != nil {
		t.Errorf("people %+v", d.People)
	}
}

// TestVotesAreNotDecisions checks the line on how p1 was decided: three
// participants' votes, the seal apart.
func TestVotesAreNotDecisions(t *testing.T) {
	d := build(t, Options{Lang: "en"})
	l := d.Chapters[0].Links[0]
	if l.ID != "p1" || l.Voters != 3 || l.Accept != 2 || l.Reject != 1 {
		t.Fatalf("p1: %+v", l)
	}
	if got := d.votes(l); got != "3 participants voted: 2 for, 1 against; decision sealed by the facilitator on 24 November 2026." {
		t.Errorf("votes line: %q", got)
	}
}

// odtText checks that an ODT is a real OpenDocument package (the mimetype
// first and stored, the manifest, the styles, every XML well formed) and
// returns its content.xml.
func odtText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	if f := z.File[0]; f.Name != "mimetype" || f.Method != zip.Store {
		t.Fatalf("first entry %q (method %d), want mimetype stored", f.Name, f.Method)
	}
	if !bytes.HasPrefix(b[30:], []byte("mimetype"+odtMime)) {
		t.Errorf("the mimetype is not readable at offset 38: %q", b[30:90])
	}
	files := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(body)
		if strings.HasSuffix(f.Name, ".xml") {
			dec := xml.NewDecoder(bytes.NewReader(body))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
			}
		}
	}
	for _, name := range []string{"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} {
		if files[name] == "" {
			t.Fatalf("%s is missing", name)
		}
	}
	for _, s := range []string{`style:name="Heading_20_1" style:display-name="Heading 1"`, `style:name="Heading_20_2" style:display-name="Heading 2"`} {
		if !strings.Contains(files["styles.xml"], s) {
			t.Errorf("styles.xml lacks %s", s)
		}
	}
	return files["content.xml"]
}

// odtFile returns one file of an ODT package.
func odtFile(t *testing.T, b []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// TestControlsNeverReachTheDossier puts terminal controls in a statement
// and a document title: no format keeps them (the dossier may be printed
// on a terminal, and XML cannot hold them).
func TestControlsNeverReachTheDossier(t *testing.T) {
	events := workshop()
	for i, e := range events {
		switch e.ID {
		case "doc-d1":
			events[i].Data = bytes.Replace(e.Data, []byte(`"Rapport jardins 2019"`), []byte(`"Rapport \u001b]52;c;aGk=\u0007jardins\u202e 2019"`), 1)
		case "p1":
			events[i].Data = bytes.Replace(e.Data, []byte(`ensemble`), []byte(`ensemble\u001b[2J\u0008`), 1)
		}
	}
	d, err := Build(events, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := d.Write(&buf, format); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		if format == "odt" {
			text = odtText(t, buf.Bytes())
		}
		if strings.ContainsAny(text, "\x1b\x07\x08\u202e") {
			t.Errorf("%s keeps a terminal control", format)
		}
		if !strings.Contains(text, "jardins") || !strings.Contains(text, "décident ensemble") {
			t.Errorf("%s lost the text around the controls", format)
		}
	}
}

// TestAnnexHoldsTheReceipt gives the dossier a signed head: every format
// prints its receipt code, key and signature, and the command to check it.
func TestAnnexHoldsTheReceipt(t *testing.T) {
	c := &review.Checkpoint{Session: "atelier", Seq: 42, Events: 42, Head: strings.Repeat("ab", 32), At: time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC),
		Reason: "export", KeyFingerprint: "SHA256:hostkeyfingerprint", Signature: "c2lnbmF0dXJl"}
	for _, format := range Formats {
		text := render(t, build(t, Options{Lang: "en", Checkpoint: c}), format)
		for _, s := range []string{c.Code(), "SHA256:hostkeyfingerprint", "c2lnbmF0dXJl", "revue verify atelier --receipt " + c.Code() + "/42"} {
			if !strings.Contains(text, s) {
				t.Errorf("%s lacks %q", format, s)
			}
		}
	}
}

// TestUndecidedIsNotAFinding: before the group decides, a criterion
// without kept links says that its links wait, not that there is none.
func TestUndecidedIsNotAFinding(t *testing.T) {
	events := workshop()
	for i, e := range events {
		if e.ID == "consent" {
			events = events[:i]
			break
		}
	}
	d, err := Build(events, Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	text := render(t, d, "md")
	if !strings.Contains(text, "No link kept yet: 3 links still await the group's decision.") || strings.Contains(text, "That is a finding too") {
		t.Errorf("an undecided session reads as a finding:\n%s", text)
	}
	if full := render(t, build(t, Options{Lang: "en"}), "md"); !strings.Contains(full, "That is a finding too") {
		t.Error("C3, all decided and none kept, is not told as a finding")
	}
}

// TestMarkdownOverviewColons: the overview's facts take each language's
// colon in the Markdown dossier ("**People**: 5", « **Personnes** : 5 »),
// as the HTML and ODT ones do.
func TestMarkdownOverviewColons(t *testing.T) {
	for lang, want := range map[string]string{"en": "- **Session**: ", "fr": "- **Séance**\u00a0: "} {
		var buf bytes.Buffer
		if err := build(t, Options{Lang: lang}).Write(&buf, "md"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), want) {
			t.Errorf("%s: the overview lacks %q:\n%s", lang, want, buf.String())
		}
	}
}
