package review

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/internal/testtool"
)

// qdpxFiles opens a qdpx export.
func qdpxFiles(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("qdpx is not a zip: %v", err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(data)
	}
	return files
}

// qdpxText is every file of a qdpx export, concatenated, for searching.
func qdpxText(t *testing.T, b []byte) []byte {
	var all bytes.Buffer
	for name, data := range qdpxFiles(t, b) {
		all.WriteString(name + "\n" + data + "\n")
	}
	return all.Bytes()
}

// xmllint validates an XML file against an XSD. Go's standard library has
// no XSD validator; xmllint (Debian package libxml2-utils) is the reference
// one: without it the test is skipped, except under CI=true, where .ci/run
// installs it.
func xmllint(t *testing.T, xmlPath, xsd string) {
	t.Helper()
	bin := testtool.Need(t, "xmllint", "libxml2-utils")
	out, err := exec.Command(bin, "--noout", "--schema", xsd, xmlPath).CombinedOutput()
	if err != nil {
		t.Fatalf("project.qde does not validate against %s:\n%s", xsd, out)
	}
}

func TestQDPXValidates(t *testing.T) {
	bin := testtool.Need(t, "xmllint", "libxml2-utils")
	tr := busyTrace(t)
	tr.add("k2", bruno, KindCommentAdded, CommentData{Proposal: "P1", Text: "Bien vu <vraiment> & \"cité\"."})
	for _, tc := range []struct {
		name   string
		events []Event
	}{
		{"empty session", sampleTrace(t).events[:1]},
		{"sample session", sampleTrace(t).events},
		{"busy session", tr.events},
		{"generated session", LargeSession("gen", 40, 800, 3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := qdpxFiles(t, export(t, tc.events, "qdpx", false))
			qde, ok := files["project.qde"]
			if !ok {
				t.Fatalf("no project.qde in %v", files)
			}
			path := filepath.Join(t.TempDir(), "project.qde")
			if err := os.WriteFile(path, []byte(qde), 0o644); err != nil {
				t.Fatal(err)
			}
			xmllint(t, path, "testdata/Project-mrt2019.xsd")
			// Every text source is in the zip, and every selection's span is
			// the quote at the position the JSON export gives.
			st := replay(t, tc.events)
			var doc struct {
				Sources []struct {
					GUID       string `xml:"guid,attr"`
					Path       string `xml:"plainTextPath,attr"`
					Selections []struct {
						Name        string `xml:"name,attr"`
						Start       int    `xml:"startPosition,attr"`
						End         int    `xml:"endPosition,attr"`
						Description string `xml:"Description"`
						Code        struct {
							Target string `xml:"targetGUID,attr"`
						} `xml:"Coding>CodeRef"`
					} `xml:"PlainTextSelection"`
				} `xml:"Sources>TextSource"`
				Codes []struct {
					GUID string `xml:"guid,attr"`
					Name string `xml:"name,attr"`
				} `xml:"CodeBook>Codes>Code"`
				Notes []string `xml:"Notes>Note>PlainTextContent"`
			}
			if err := xml.Unmarshal([]byte(qde), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Sources) != len(st.Documents) || len(doc.Codes) != len(st.Criteria) {
				t.Fatalf("%d sources, %d codes", len(doc.Sources), len(doc.Codes))
			}
			kept := 0
			for _, p := range st.Proposals {
				if p.Status == Accepted || p.Status == Rephrased {
					kept++
				}
			}
			seen := 0
			for _, s := range doc.Sources {
				text, ok := files["sources/"+strings.TrimPrefix(s.Path, "internal://")]
				if !ok {
					t.Fatalf("source %s missing from the zip", s.Path)
				}
				runes := []rune(text)
				for _, sel := range s.Selections {
					seen++
					p, _ := st.Proposal(sel.Name)
					if sel.Description != p.Final || sel.Code.Target != qdaGUID("code", p.Criterion) {
						t.Errorf("%s: memo %q, code %s", sel.Name, sel.Description, sel.Code.Target)
					}
					if p.QuoteStart >= 0 && string(runes[sel.Start:sel.End]) != p.Quote {
						t.Errorf("%s: segment %q, quote %q", sel.Name, string(runes[sel.Start:sel.End]), p.Quote)
					}
				}
			}
			if seen != kept {
				t.Errorf("%d coded segments for %d kept links", seen, kept)
			}
			comments := 0
			for _, p := range st.Proposals {
				comments += len(p.Comments)
			}
			if len(doc.Notes) != comments {
				t.Errorf("%d notes for %d comments", len(doc.Notes), comments)
			}
		})
	}
	// The schema must be able to say no: a selection without positions.
	bad := filepath.Join(t.TempDir(), "bad.qde")
	os.WriteFile(bad, []byte(`<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><TextSource guid="00000000-0000-0000-0000-000000000000"><PlainTextSelection guid="00000000-0000-0000-0000-000000000001"/></TextSource></Sources></Project>`), 0o644)
	if out, err := exec.Command(bin, "--noout", "--schema", "testdata/Project-mrt2019.xsd", bad).CombinedOutput(); err == nil {
		t.Errorf("the schema accepted a selection without positions:\n%s", out)
	}
}
