package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Bounds on an OpenDocument (.odt) or Word (.docx) file, which are ZIP
// archives of XML parts. The file itself is bounded like every document
// (maxFileBytes); these bound what it unpacks to, so that a zip bomb (a few
// kilobytes that inflate to gigabytes) or an XML part built to exhaust the
// reader ends in a Problem. A 500-page report's content.xml is a few
// megabytes: the limits are far above any real document.
const (
	maxOfficeEntries  = 10000    // files in the archive
	maxOfficePart     = 64 << 20 // bytes of one XML part, unpacked
	maxOfficeUnpacked = 96 << 20 // bytes of all the parts read, unpacked
	maxXMLDepth       = 256      // elements inside one another
)

// oleMagic starts a Compound File: an old .doc, or an encrypted .docx or
// .odt, which Word and LibreOffice wrap in one.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// officeArchive is an opened .odt or .docx with the count of bytes unpacked
// so far, against maxOfficeUnpacked.
type officeArchive struct {
	zr       *zip.Reader
	unpacked int64
}

// openOffice opens the ZIP archive of a word processor's file, or says why
// it cannot be one. ext is the file's extension, for the messages.
func openOffice(b []byte, ext string) (*officeArchive, error) {
	if bytes.HasPrefix(b, oleMagic) {
		return nil, fmt.Errorf("an old Word 97-2003 file or a password-protected document, not a %s file: open it in LibreOffice or Word, remove any password, and save it as .odt or .docx", ext)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("not a valid %s file (not a ZIP archive: damaged, truncated, or another kind of file renamed?): open it in LibreOffice or Word and save it again", ext)
	}
	if len(zr.File) > maxOfficeEntries {
		return nil, fmt.Errorf("an archive of %d files, more than the %d a %s file may have: it is not a document as a word processor writes it", len(zr.File), maxOfficeEntries, ext)
	}
	return &officeArchive{zr: zr}, nil
}

// part returns the unpacked bytes of the named part, nil without error when
// the archive has no such part. A part that says or turns out to unpack to
// more than maxOfficePart, or that takes the archive past
// maxOfficeUnpacked, is refused without being unpacked further.
func (a *officeArchive) part(name string) ([]byte, error) {
	var f *zip.File
	for _, zf := range a.zr.File {
		if zf.Name == name {
			f = zf
			break
		}
	}
	if f == nil {
		return nil, nil
	}
	limit := min(int64(maxOfficePart), maxOfficeUnpacked-a.unpacked)
	if f.UncompressedSize64 > uint64(limit) {
		return nil, unpackedTooLarge(name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("its part %s cannot be unpacked (%v): open the file in LibreOffice or Word and save it again", name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	a.unpacked += int64(len(b))
	if int64(len(b)) > limit {
		return nil, unpackedTooLarge(name)
	}
	if err != nil {
		return nil, fmt.Errorf("its part %s cannot be unpacked (%v): open the file in LibreOffice or Word and save it again", name, err)
	}
	return b, nil
}

func unpackedTooLarge(name string) error {
	return fmt.Errorf("its part %s unpacks to more than %d MiB, far more than any document's text (a zip bomb?): it is refused", name, maxOfficePart>>20)
}

// missingPart is the error for an archive without the part that holds the
// text.
func missingPart(name, ext string) error {
	return fmt.Errorf("no %s in the archive: not a %s document as a word processor writes it; open it in LibreOffice or Word and save it again", name, ext)
}

// xmlHandler receives the tokens of an XML part. start returns true to skip
// the element's content (a deleted text, a comment), whose tokens are then
// not passed on.
type xmlHandler struct {
	start func(xml.StartElement) (skip bool)
	end   func(xml.EndElement)
	text  func([]byte)
}

// walkXML reads an XML part token by token. It refuses a document type
// declaration (no word processor writes one in these parts, and it is what
// an entity expansion attack needs; encoding/xml does not expand entities,
// so one declared is refused here and never used) and nesting deeper than
// maxXMLDepth, with a sentence naming the part.
func walkXML(name string, b []byte, h xmlHandler) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	depth, skipping := 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if depth != 0 {
				return fmt.Errorf("its part %s ends before its elements are closed (truncated?): open the file in LibreOffice or Word and save it again", name)
			}
			return nil
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return fmt.Errorf("its part %s is not valid XML at line %d (%s): open the file in LibreOffice or Word and save it again", name, se.Line, se.Msg)
			}
			return fmt.Errorf("its part %s cannot be read (%v): open the file in LibreOffice or Word and save it again", name, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return fmt.Errorf("its part %s declares a document type (<!DOCTYPE>), which word processors never write and which can hide an entity expansion: it is refused", name)
			}
		case xml.StartElement:
			depth++
			if depth > maxXMLDepth {
				return fmt.Errorf("its part %s nests more than %d elements inside one another, which no word processor writes: it is refused", name, maxXMLDepth)
			}
			if skipping > 0 {
				skipping++
			} else if h.start != nil && h.start(t) {
				skipping = 1
			}
		case xml.EndElement:
			depth--
			if depth < 0 {
				return fmt.Errorf("its part %s closes an element it never opened: open the file in LibreOffice or Word and save it again", name)
			}
			if skipping > 0 {
				skipping--
			} else if h.end != nil {
				h.end(t)
			}
		case xml.CharData:
			if skipping == 0 && h.text != nil {
				h.text(t)
			}
		}
	}
}

// attr returns the value of the attribute with the local name local, any
// prefix.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// officeDoc builds a word processor's text: paragraphs separated by a blank
// line, list items one a line after "- ", table rows one a line with " | "
// between cells, headings opening sections, footnotes after the paragraph
// that calls them as "[1] text", and page breaks where the file records
// them.
type officeDoc struct {
	w        htmlWriter
	lists    int      // list levels open
	cells    int      // table cells open
	tables   int      // tables open
	notes    []string // notes called by the paragraph being written, written after it
	heading  *strings.Builder
	firstH   string
	rowCells int // cells seen in the current row
}

// paragraph starts a paragraph: a new line in a list, a space in a table
// cell that already has text, else a blank line.
func (o *officeDoc) paragraph() {
	switch {
	case o.cells > 0:
		o.w.space = true
	case o.lists > 0:
		o.w.brk(1)
	default:
		o.w.brk(2)
	}
}

// endParagraph writes the notes the paragraph called, one a line, unless
// the paragraph is in a table, whose notes wait for the table's end so
// that a row stays on one line.
func (o *officeDoc) endParagraph() {
	if o.cells == 0 && o.tables == 0 {
		o.flushNotes()
	}
	switch {
	case o.cells > 0:
	case o.lists > 0:
		o.w.brk(1)
	default:
		o.w.brk(2)
	}
}

func (o *officeDoc) flushNotes() {
	for _, n := range o.notes {
		o.w.brk(1)
		o.w.text(n, false)
	}
	o.notes = o.notes[:0]
}

// startHeading opens a section at the heading's text.
func (o *officeDoc) startHeading() {
	o.w.brk(2)
	o.w.mark = ""
	o.w.heading("")
	o.heading = &strings.Builder{}
}

// endHeading names the section the heading opened by its text; a heading
// without text opens none.
func (o *officeDoc) endHeading() {
	if o.heading == nil {
		return
	}
	h := oneLine(clean(o.heading.String()))
	o.heading = nil
	if o.w.pending != nil {
		o.w.pending = nil
	} else {
		o.w.cur.section = h
	}
	if o.firstH == "" {
		o.firstH = h
	}
	o.w.brk(2)
}

func (o *officeDoc) text(s string) {
	if o.heading != nil {
		o.heading.WriteString(s)
	}
	o.w.text(clean(s), false)
}

// listItem starts a list item at the current nesting.
func (o *officeDoc) listItem(level int) {
	o.w.brk(1)
	o.w.mark = strings.Repeat("  ", max(level, 0)) + "- "
}

// cell starts a table cell: " | " before every cell but a row's first.
func (o *officeDoc) cell() {
	if o.rowCells > 0 {
		o.w.mark += " | "
	}
	o.rowCells++
}

func (o *officeDoc) row() {
	o.w.brk(1)
	o.rowCells = 0
}

// result closes the last region and returns the text, its regions, and the
// first heading as a title when the file records none.
func (o *officeDoc) result() (string, []span, string) {
	o.flushNotes()
	o.w.cur.end = o.w.runes
	if o.w.cur.end > o.w.cur.start {
		o.w.regions = append(o.w.regions, o.w.cur)
	}
	return o.w.b.String(), o.w.regions, o.firstH
}

// metaTitle reads dc:title from an ODF meta.xml or an OOXML
// docProps/core.xml; "" when the part is missing or has none.
func metaTitle(a *officeArchive, name string) string {
	b, err := a.part(name)
	if err != nil || b == nil {
		return ""
	}
	var title strings.Builder
	in := false
	_ = walkXML(name, b, xmlHandler{
		start: func(e xml.StartElement) bool { in = e.Name.Local == "title"; return false },
		end:   func(xml.EndElement) { in = false },
		text: func(t []byte) {
			if in && title.Len() < 1000 {
				title.Write(t)
			}
		},
	})
	return oneLine(clean(title.String()))
}

// odtText reads an OpenDocument text (.odt): content.xml's body, the title
// from meta.xml. Soft page breaks, which LibreOffice records where its
// layout broke the pages, give page numbers.
func odtText(b []byte) (ex extracted, err error) {
	a, err := openOffice(b, ".odt")
	if err != nil {
		return ex, err
	}
	content, err := a.part("content.xml")
	if err != nil {
		return ex, err
	}
	if content == nil {
		return ex, missingPart("content.xml", ".odt")
	}
	headings, err := odtHeadingStyles(a, content)
	if err != nil {
		return ex, err
	}
	o := &officeDoc{}
	if bytes.Contains(content, []byte("soft-page-break")) {
		o.w.cur.page = 1
	}
	inBody := 0
	inHeading := false // a text:p whose style is a heading's
	var citation *strings.Builder
	var note *strings.Builder
	noteDepth := 0
	err = walkXML("content.xml", content, xmlHandler{
		start: func(e xml.StartElement) bool {
			n := e.Name.Local
			if n == "body" {
				inBody++
				return false
			}
			if inBody == 0 {
				return n == "automatic-styles" || n == "font-face-decls" || n == "scripts"
			}
			if note != nil {
				switch n {
				case "note-citation":
					citation = &strings.Builder{}
				case "p", "h":
					if note.Len() > 0 {
						note.WriteByte(' ')
					}
				case "s", "tab", "line-break":
					note.WriteByte(' ')
				case "note":
					noteDepth++
				}
				return n == "annotation" || n == "tracked-changes"
			}
			switch n {
			case "annotation", "tracked-changes", "sequence-decls", "table-columns", "table-column", "variable-decls", "user-field-decls":
				return true
			case "h":
				o.startHeading()
			case "p":
				if headings[attr(e, "style-name")] && o.cells == 0 {
					inHeading = true
					o.startHeading()
				} else {
					o.paragraph()
				}
			case "list":
				o.lists++
			case "list-item", "list-header":
				o.listItem(o.lists - 1)
			case "table":
				o.tables++
				o.w.brk(2)
			case "table-row":
				o.row()
			case "table-cell":
				o.cells++
				o.cell()
			case "s", "tab":
				o.w.space = true
			case "line-break":
				o.w.brk(1)
			case "soft-page-break":
				o.w.pageBreak()
			case "note":
				note = &strings.Builder{}
				noteDepth = 1
			}
			return false
		},
		end: func(e xml.EndElement) {
			n := e.Name.Local
			if n == "body" {
				inBody--
				return
			}
			if inBody == 0 {
				return
			}
			if note != nil {
				switch n {
				case "note-citation":
					if citation != nil {
						c := oneLine(clean(citation.String()))
						citation = nil
						note.WriteString("[" + c + "] ")
						o.w.text("["+c+"]", false)
					}
				case "note":
					noteDepth--
					if noteDepth == 0 {
						if t := oneLine(clean(note.String())); t != "" {
							o.notes = append(o.notes, t)
						}
						note = nil
					}
				}
				return
			}
			switch n {
			case "h":
				o.endHeading()
			case "p":
				if inHeading {
					inHeading = false
					o.endHeading()
				} else {
					o.endParagraph()
				}
			case "list":
				o.lists--
				if o.lists == 0 {
					o.w.brk(2)
				}
			case "table":
				o.tables--
				if o.tables == 0 {
					o.flushNotes()
				}
				o.w.brk(2)
			case "table-cell":
				o.cells--
			}
		},
		text: func(t []byte) {
			if inBody == 0 {
				return
			}
			switch {
			case citation != nil:
				citation.Write(t)
			case note != nil:
				note.Write(t)
			default:
				o.text(string(t))
			}
		},
	})
	if err != nil {
		return ex, err
	}
	ex.text, ex.regions, ex.title = o.result()
	if t := metaTitle(a, "meta.xml"); t != "" {
		ex.title = t
	}
	return ex, nil
}

// odtHeadingStyles finds the paragraph styles of an OpenDocument text that
// make a heading of a text:p (LibreOffice writes text:h for its headings,
// but a paragraph styled "Heading 1" by hand or by an import is one too):
// the styles with an outline level, the built-in "Heading N" styles, and
// every style derived from one of them, in styles.xml and in content.xml's
// automatic styles.
func odtHeadingStyles(a *officeArchive, content []byte) (map[string]bool, error) {
	parent := map[string]string{}
	heading := map[string]bool{}
	collect := func(name string, b []byte) error {
		return walkXML(name, b, xmlHandler{start: func(e xml.StartElement) bool {
			if e.Name.Local != "style" || attr(e, "family") != "paragraph" {
				return false
			}
			n := attr(e, "name")
			parent[n] = attr(e, "parent-style-name")
			lv, _ := strconv.Atoi(attr(e, "default-outline-level"))
			if lv > 0 || strings.HasPrefix(n, "Heading_20_") || strings.HasPrefix(attr(e, "display-name"), "Heading ") {
				heading[n] = true
			}
			return false
		}})
	}
	styles, err := a.part("styles.xml")
	if err != nil {
		return nil, err
	}
	if styles != nil {
		if err := collect("styles.xml", styles); err != nil {
			return nil, err
		}
	}
	if err := collect("content.xml", content); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for n := range parent {
		// A chain of parents is short; the bound stops a loop in a
		// damaged file.
		for p, i := n, 0; p != "" && i < 32; p, i = parent[p], i+1 {
			if heading[p] {
				out[n] = true
				break
			}
		}
	}
	return out, nil
}

// docxStyles reads word/styles.xml: the outline level (1 to 9) of each
// paragraph style that is a heading, found by its built-in name ("heading
// 1", which Word keeps in English whatever the interface's language) or
// its outline level, and the styles named "Title".
func docxStyles(a *officeArchive) (levels map[string]int, titles map[string]bool, err error) {
	levels, titles = map[string]int{}, map[string]bool{}
	b, err := a.part("word/styles.xml")
	if err != nil || b == nil {
		return levels, titles, err
	}
	var id string
	err = walkXML("word/styles.xml", b, xmlHandler{
		start: func(e xml.StartElement) bool {
			switch e.Name.Local {
			case "style":
				id = attr(e, "styleId")
			case "name":
				v := strings.ToLower(attr(e, "val"))
				if lv, ok := strings.CutPrefix(v, "heading "); ok {
					if n, err := strconv.Atoi(lv); err == nil && n >= 1 && n <= 9 {
						levels[id] = n
					}
				}
				if v == "title" {
					titles[id] = true
				}
			case "outlineLvl":
				if n, err := strconv.Atoi(attr(e, "val")); err == nil && n >= 0 && n < 9 && id != "" {
					if _, ok := levels[id]; !ok {
						levels[id] = n + 1
					}
				}
			}
			return false
		},
	})
	return levels, titles, err
}

// docxNotes reads the footnotes or endnotes part of a .docx: each note's
// text by its id. The separators Word keeps there (ids -1 and 0, with no
// text) are left out by having no text.
func docxNotes(a *officeArchive, name string) (map[string]string, error) {
	notes := map[string]string{}
	b, err := a.part(name)
	if err != nil || b == nil {
		return notes, err
	}
	var id string
	var cur strings.Builder
	inText := false
	err = walkXML(name, b, xmlHandler{
		start: func(e xml.StartElement) bool {
			switch e.Name.Local {
			case "footnote", "endnote":
				id = attr(e, "id")
				cur.Reset()
			case "p":
				if cur.Len() > 0 {
					cur.WriteByte(' ')
				}
			case "t":
				inText = true
			case "tab", "br":
				cur.WriteByte(' ')
			case "delText", "instrText":
				return true
			}
			return false
		},
		end: func(e xml.EndElement) {
			switch e.Name.Local {
			case "t":
				inText = false
			case "footnote", "endnote":
				if t := oneLine(clean(cur.String())); t != "" {
					notes[id] = t
				}
			}
		},
		text: func(t []byte) {
			if inText {
				cur.Write(t)
			}
		},
	})
	return notes, err
}

// docxText reads a Word document (.docx): word/document.xml's body, with
// the styles that make headings, the footnotes and endnotes, and the title
// from docProps/core.xml. Word records where its layout broke the pages
// (lastRenderedPageBreak): when it did, they give page numbers.
func docxText(b []byte) (ex extracted, err error) {
	a, err := openOffice(b, ".docx")
	if err != nil {
		return ex, err
	}
	content, err := a.part("word/document.xml")
	if err != nil {
		return ex, err
	}
	if content == nil {
		return ex, missingPart("word/document.xml", ".docx")
	}
	levels, titles, err := docxStyles(a)
	if err != nil {
		return ex, err
	}
	footnotes, err := docxNotes(a, "word/footnotes.xml")
	if err != nil {
		return ex, err
	}
	endnotes, err := docxNotes(a, "word/endnotes.xml")
	if err != nil {
		return ex, err
	}
	o := &officeDoc{}
	pages := bytes.Contains(content, []byte("lastRenderedPageBreak"))
	if pages {
		o.w.cur.page = 1
	}

	// A paragraph's properties come before its text: begin applies them at
	// its first text.
	type para struct {
		style     string
		outline   int // w:outlineLvl + 1, 0 when none
		list      bool
		level     int
		begun     bool
		isHeading bool
		isTitle   bool
	}
	var p *para
	prevList := false
	inText := false
	noteN := 0
	var titleText strings.Builder
	begin := func() {
		if p == nil || p.begun {
			return
		}
		p.begun = true
		lv := p.outline
		if lv == 0 {
			lv = levels[p.style]
		}
		switch {
		case titles[p.style]:
			p.isTitle = true
			o.paragraph()
		case lv > 0 && o.cells == 0:
			p.isHeading = true
			o.startHeading()
		case p.list && o.cells == 0:
			if !prevList {
				o.w.brk(2)
			}
			o.listItem(p.level)
		default:
			o.paragraph()
		}
	}
	note := func(text string, ok bool) {
		if !ok {
			return
		}
		begin()
		noteN++
		mark := "[" + strconv.Itoa(noteN) + "]"
		o.w.text(mark, false)
		o.notes = append(o.notes, mark+" "+text)
	}
	err = walkXML("word/document.xml", content, xmlHandler{
		start: func(e xml.StartElement) bool {
			switch e.Name.Local {
			case "delText", "instrText", "del", "moveFrom", "comment", "commentReference", "sdtPr", "rPr", "sectPr", "drawing", "pict", "object":
				return true
			case "p":
				p = &para{}
			case "pStyle":
				if p != nil {
					p.style = attr(e, "val")
				}
			case "outlineLvl":
				if n, err := strconv.Atoi(attr(e, "val")); err == nil && p != nil && n >= 0 && n < 9 {
					p.outline = n + 1
				}
			case "numPr":
				if p != nil {
					p.list = true
				}
			case "ilvl":
				if p != nil {
					p.level, _ = strconv.Atoi(attr(e, "val"))
					p.level = min(max(p.level, 0), 8)
				}
			case "pPr":
				// Its children set p; nothing is written before its end.
			case "t":
				inText = true
				begin()
			case "tab":
				if p != nil && p.begun {
					o.w.space = true
				}
			case "br", "cr":
				if attr(e, "type") == "page" {
					if !pages {
						return false
					}
				}
				begin()
				o.w.brk(1)
			case "noBreakHyphen":
				begin()
				o.text("-")
			case "lastRenderedPageBreak":
				o.w.pageBreak()
			case "footnoteReference":
				t, ok := footnotes[attr(e, "id")]
				note(t, ok)
			case "endnoteReference":
				t, ok := endnotes[attr(e, "id")]
				note(t, ok)
			case "tbl":
				o.tables++
				o.w.brk(2)
			case "tr":
				o.row()
			case "tc":
				o.cells++
				o.cell()
			}
			return false
		},
		end: func(e xml.EndElement) {
			switch e.Name.Local {
			case "t":
				inText = false
			case "p":
				if p != nil && p.begun {
					switch {
					case p.isHeading:
						o.endHeading()
					case p.isTitle:
						o.endParagraph()
					case p.list && o.cells == 0:
						if o.tables == 0 {
							o.flushNotes()
						}
					default:
						o.endParagraph()
					}
					prevList = p.list && !p.isHeading && o.cells == 0
				} else if p != nil {
					prevList = false
				}
				if p != nil && p.isTitle {
					titleText.WriteString(" ")
				}
				p = nil
			case "tbl":
				o.tables--
				if o.tables == 0 {
					o.flushNotes()
				}
				o.w.brk(2)
			case "tc":
				o.cells--
			}
		},
		text: func(t []byte) {
			if !inText {
				return
			}
			if p != nil && p.isTitle && titleText.Len() < 1000 {
				titleText.Write(t)
			}
			o.text(string(t))
		},
	})
	if err != nil {
		return ex, err
	}
	ex.text, ex.regions, ex.title = o.result()
	if t := oneLine(clean(titleText.String())); t != "" {
		ex.title = t
	}
	if t := metaTitle(a, "docProps/core.xml"); t != "" {
		ex.title = t
	}
	return ex, nil
}
