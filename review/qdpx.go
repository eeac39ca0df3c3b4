package review

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The REFI-QDA export (`--format qdpx`): a zip holding project.qde, a
// QDA-XML project (urn:QDA-XML:project:1.0, Project-mrt2019.xsd), and the
// documents' texts in sources/, which MAXQDA, ATLAS.ti, NVivo and QualCoder
// open. The criteria are the codebook's codes; every accepted or rephrased
// link is a coded segment (PlainTextSelection) of its document, with the
// final statement as its description (memo); comments are notes, referred
// to by the segment they discuss.
//
// Positions are those of the JSON export: Unicode code points into the
// document's extracted text. That text is rebuilt from the passages at their
// offsets, the gaps between passages (separators the reader dropped) filled
// with line feeds, so that every position means the same in both exports.

// qdaGUID derives a stable GUID (UUID version 5 layout) from a name, so that
// the same session always gives the same project, byte for byte.
func qdaGUID(parts ...string) string {
	h := sha256.Sum256([]byte("revue-qdpx\x00" + strings.Join(parts, "\x00")))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// writeDocumentText writes a document's text rebuilt from its passages,
// through w without building it: 18,000 pads make no garbage. A lean
// export reads each passage's text from the store here.
func writeDocumentText(w *bufio.Writer, st *State, d *Document) error {
	pos := 0
	gap := func(n int) {
		for range n {
			w.WriteByte('\n')
		}
	}
	for _, p := range d.Passages {
		if p.Start < pos {
			continue // overlapping passages: the first one stands
		}
		text, err := st.ReadPassageText(&p)
		if err != nil {
			return err
		}
		gap(p.Start - pos)
		w.WriteString(text)
		pos = p.Start + utf8.RuneCountInString(text)
	}
	gap(d.Chars - pos)
	return w.Flush()
}

// xmlWriter writes escaped XML through a buffer, keeping the first error.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xmlWriter) text(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

// open writes a start tag with attributes given as name, value pairs;
// empty values are left out.
func (x *xmlWriter) open(tag string, selfClose bool, attrs ...string) {
	x.raw("<" + tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		x.raw(" " + attrs[i] + `="`)
		x.text(attrs[i+1])
		x.raw(`"`)
	}
	if selfClose {
		x.raw("/>\n")
	} else {
		x.raw(">")
	}
}

func (x *xmlWriter) element(tag, content string) {
	x.raw("<" + tag + ">")
	x.text(content)
	x.raw("</" + tag + ">\n")
}

func qdaTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// exportQDPX writes the REFI-QDA project.
func exportQDPX(w io.Writer, st *State) error {
	zw := zip.NewWriter(w)
	// One compressor for every entry, reset between them: a new one per
	// entry is half a megabyte of garbage, 18,000 times for La Myne's pads.
	var fw *flate.Writer
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		if fw == nil {
			var err error
			fw, err = flate.NewWriter(out, flate.DefaultCompression)
			return fw, err
		}
		fw.Reset(out)
		return fw, nil
	})
	modified := st.CreatedAt
	if modified.IsZero() {
		modified = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	entry := func(name string) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	}
	f, err := entry("project.qde")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := writeQDE(bw, st); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	for _, d := range st.Documents {
		f, err := entry("sources/" + qdaGUID("source", d.ID) + ".txt")
		if err != nil {
			return err
		}
		bw.Reset(f)
		if err := writeDocumentText(bw, st, d); err != nil {
			return err
		}
	}
	return zw.Close()
}

func writeQDE(w *bufio.Writer, st *State) error {
	x := &xmlWriter{w: w}
	// People: everyone who voted, decided, commented or proposed, in order
	// of first appearance.
	users := map[string]string{}
	var order []Actor
	user := func(a Actor) string {
		if a.Role == System {
			return ""
		}
		k := a.Key()
		if g, ok := users[k]; ok {
			return g
		}
		g := qdaGUID("user", k)
		users[k] = g
		order = append(order, a)
		return g
	}
	byDoc := map[string][]*ProposalState{}
	for _, p := range st.Proposals {
		for _, v := range p.Votes {
			user(v.Actor)
		}
		for _, c := range p.Comments {
			user(c.Actor)
		}
		user(p.AddedBy)
		if p.Status == Accepted || p.Status == Rephrased {
			byDoc[p.Document] = append(byDoc[p.Document], p)
		}
	}
	x.raw(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	x.open("Project", false, "xmlns", "urn:QDA-XML:project:1.0", "name", st.Name, "origin", "Revue", "creationDateTime", qdaTime(st.CreatedAt))
	x.raw("\n")
	if len(order) > 0 {
		x.raw("<Users>\n")
		for _, a := range order {
			x.open("User", true, "guid", users[a.Key()], "name", a.Name)
		}
		x.raw("</Users>\n")
	}
	if len(st.Criteria) > 0 {
		x.raw("<CodeBook>\n<Codes>\n")
		for _, c := range st.Criteria {
			x.open("Code", false, "guid", qdaGUID("code", c.ID), "name", c.ID+" — "+c.Title, "isCodable", "true")
			x.raw("\n")
			x.element("Description", c.Description)
			x.raw("</Code>\n")
		}
		x.raw("</Codes>\n</CodeBook>\n")
	}
	if len(st.Documents) > 0 {
		x.raw("<Sources>\n")
		for _, d := range st.Documents {
			g := qdaGUID("source", d.ID)
			x.open("TextSource", false, "guid", g, "name", d.Title, "plainTextPath", "internal://"+g+".txt", "creationDateTime", qdaTime(st.CreatedAt))
			x.raw("\n")
			x.element("Description", strings.TrimSpace(d.Source+" sha256:"+d.SHA256))
			props := byDoc[d.ID]
			sort.SliceStable(props, func(i, j int) bool { return segmentStart(st, props[i]) < segmentStart(st, props[j]) })
			for _, p := range props {
				start, end := segment(st, p)
				var by, at string
				if p.Decision != nil {
					by, at = user(p.Decision.Actor), qdaTime(p.Decision.At)
				}
				x.open("PlainTextSelection", false, "guid", qdaGUID("selection", p.ID), "name", p.ID,
					"startPosition", strconv.Itoa(start), "endPosition", strconv.Itoa(end),
					"creatingUser", by, "creationDateTime", at)
				x.raw("\n")
				x.element("Description", p.Final)
				x.open("Coding", false, "guid", qdaGUID("coding", p.ID), "creatingUser", by, "creationDateTime", at)
				x.open("CodeRef", true, "targetGUID", qdaGUID("code", p.Criterion))
				x.raw("</Coding>\n")
				for _, c := range p.Comments {
					x.open("NoteRef", true, "targetGUID", qdaGUID("note", c.EventID))
				}
				x.raw("</PlainTextSelection>\n")
			}
			x.raw("</TextSource>\n")
		}
		x.raw("</Sources>\n")
	}
	notes := false
	for _, p := range st.Proposals {
		for _, c := range p.Comments {
			if !notes {
				x.raw("<Notes>\n")
				notes = true
			}
			x.open("Note", false, "guid", qdaGUID("note", c.EventID), "name", p.ID+" — "+c.Actor.Name,
				"creatingUser", user(c.Actor), "creationDateTime", qdaTime(c.At))
			x.raw("\n")
			x.element("PlainTextContent", c.Text)
			x.raw("</Note>\n")
		}
	}
	if notes {
		x.raw("</Notes>\n")
	}
	x.raw("</Project>\n")
	return x.err
}

// segment is a kept link's span in its document's text: the quote when it
// was found in the passage, else the whole passage.
func segment(st *State, p *ProposalState) (start, end int) {
	pa, _ := st.Passage(p.Passage)
	n := len([]rune(pa.Text))
	if p.QuoteStart >= 0 && p.QuoteEnd <= n && p.QuoteStart <= p.QuoteEnd {
		return pa.Start + p.QuoteStart, pa.Start + p.QuoteEnd
	}
	return pa.Start, pa.Start + n
}

func segmentStart(st *State, p *ProposalState) int { s, _ := segment(st, p); return s }
