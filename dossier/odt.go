package dossier

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"
)

// The OpenDocument namespaces the dossier uses.
const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
	`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
	`xmlns:xlink="http://www.w3.org/1999/xlink"`

const odtMime = "application/vnd.oasis.opendocument.text"

// WriteODT writes the dossier as an OpenDocument text, the format
// LibreOffice writes, for the association to edit before publishing. Its
// headings are the real "Heading 1" and "Heading 2" styles, so LibreOffice
// builds (and updates) the table of contents from them; sources are real
// footnotes; each criterion starts a page.
func (d *Dossier) WriteODT(w io.Writer) error {
	z := zip.NewWriter(w)
	// Every entry bears the session's date, in the MS-DOS fields only (an
	// extended timestamp would sit between the mimetype's name and its
	// bytes), so the same trace gives the same bytes.
	when := d.Created.UTC()
	if when.Year() < 1980 {
		when = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	dosDate := uint16(when.Day() + int(when.Month())<<5 + (when.Year()-1980)<<9)
	dosTime := uint16(when.Second()/2 + when.Minute()<<5 + when.Hour()<<11)
	// The mimetype comes first, stored uncompressed and without a data
	// descriptor: a reader recognises the package by the bytes at offset 38.
	mime := []byte(odtMime)
	m, err := z.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store, ModifiedDate: dosDate, ModifiedTime: dosTime,
		CRC32: crc32.ChecksumIEEE(mime), CompressedSize64: uint64(len(mime)), UncompressedSize64: uint64(len(mime))})
	if err != nil {
		return err
	}
	if _, err := m.Write(mime); err != nil {
		return err
	}
	files := []struct {
		name string
		body func(io.Writer) error
	}{
		{"content.xml", d.odtContent},
		{"styles.xml", d.odtStyles},
		{"meta.xml", d.odtMeta},
		{"META-INF/manifest.xml", odtManifest},
	}
	for _, f := range files {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, ModifiedDate: dosDate, ModifiedTime: dosTime})
		if err != nil {
			return err
		}
		if err := f.body(fw); err != nil {
			return err
		}
	}
	return z.Close()
}

// x escapes text for XML, leaving out the characters XML cannot hold (a
// control character that reached a statement would make the file unreadable).
func x(s string) string {
	var b strings.Builder
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return -1
		}
		return r
	}, s)
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (d *Dossier) odtContent(w io.Writer) error {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	para := func(style, text string) { p(`<text:p text:style-name="%s">%s</text:p>`+"\n", style, x(text)) }
	p(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	p(`<office:document-content %s office:version="1.3">`+"\n", odfNS)
	// The matrix's first column holds the documents' titles: 5 cm, so that
	// LibreOffice does not share the width equally and break "Document"
	// and the titles' words in the middle; the criteria share the rest.
	colW := max(12/float64(max(len(d.Chapters), 1)), 0.9)
	p(`<office:automatic-styles>
<style:style style:name="Chapter" style:family="paragraph" style:parent-style-name="Heading_20_1"><style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="Matrix" style:family="table"><style:table-properties style:width="%.2fcm" table:align="left"/></style:style>
<style:style style:name="MatrixDoc" style:family="table-column"><style:table-column-properties style:column-width="5cm"/></style:style>
<style:style style:name="MatrixCrit" style:family="table-column"><style:table-column-properties style:column-width="%.2fcm"/></style:style>
<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.06cm" fo:border="0.5pt solid #999999"/></style:style>
</office:automatic-styles>
<office:body>
<office:text>
`, 5+float64(len(d.Chapters))*colW, colW)
	para("Title", d.title())
	para("Subtitle", d.intro())

	// The table of contents, filled in as LibreOffice would (without page
	// numbers, which only a layout knows); Tools › Update refreshes it.
	contents := d.contentsTitle()
	p(`<text:table-of-content text:name="%s" text:protected="false">
<text:table-of-content-source text:outline-level="2">
<text:index-title-template text:style-name="Contents_20_Heading">%s</text:index-title-template>
`, x(contents), x(contents))
	for lvl := 1; lvl <= 2; lvl++ {
		p(`<text:table-of-content-entry-template text:outline-level="%d" text:style-name="Contents_20_%d">`+
			`<text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/>`+
			`</text:table-of-content-entry-template>`+"\n", lvl, lvl)
	}
	p("</text:table-of-content-source>\n<text:index-body>\n")
	p(`<text:index-title text:name="%s_Head"><text:p text:style-name="Contents_20_Heading">%s</text:p></text:index-title>`+"\n", x(contents), x(contents))
	para("Contents_20_1", d.overviewTitle())
	for _, c := range d.Chapters {
		para("Contents_20_1", c.ID+" — "+c.Title)
	}
	para("Contents_20_1", d.peopleTitle())
	para("Contents_20_1", d.annexTitle())
	p("</text:index-body>\n</text:table-of-content>\n")

	h := func(level int, style, text string) {
		p(`<text:h text:style-name="%s" text:outline-level="%d">%s</text:h>`+"\n", style, level, x(text))
	}
	h(1, "Heading_20_1", d.overviewTitle())
	for _, f := range d.overviewFacts() {
		p(`<text:p text:style-name="Text_20_body"><text:span text:style-name="Strong_20_Emphasis">%s</text:span>%s%s</text:p>`+"\n", x(f[0]), d.t("\u00a0: ", ": "), x(f[1]))
	}
	h(2, "Heading_20_2", d.sharesTitle())
	p("<text:list>\n")
	for _, s := range d.shareLines() {
		p("<text:list-item>")
		para("Text_20_body", s)
		p("</text:list-item>\n")
	}
	p("</text:list>\n")
	rows := d.Matrix()
	h(2, "Heading_20_2", d.matrixTitle())
	para("Text_20_body", d.matrixNote(len(rows)))
	cellS := func(style, text string) {
		p(`<table:table-cell table:style-name="Cell" office:value-type="string"><text:p text:style-name="%s">%s</text:p></table:table-cell>`, style, x(text))
	}
	cellN := func(n int) {
		p(`<table:table-cell table:style-name="Cell" office:value-type="float" office:value="%d"><text:p text:style-name="Table_20_Contents">%d</text:p></table:table-cell>`, n, n)
	}
	p(`<table:table table:name="%s" table:style-name="Matrix">`+"\n", x(d.t("Matrice", "Matrix")))
	p(`<table:table-column table:style-name="MatrixDoc"/><table:table-column table:style-name="MatrixCrit" table:number-columns-repeated="%d"/>`+"\n", len(d.Chapters))
	p("<table:table-header-rows><table:table-row>")
	cellS("Table_20_Heading", "Document")
	for _, c := range d.Chapters {
		cellS("Table_20_Heading", c.ID)
	}
	p("</table:table-row></table:table-header-rows>\n")
	for _, doc := range rows {
		p("<table:table-row>")
		cellS("Table_20_Contents", doc.Title)
		for _, n := range doc.Kept {
			cellN(n)
		}
		p("</table:table-row>\n")
	}
	p("<table:table-row>")
	cellS("Table_20_Heading", "Total")
	for _, c := range d.Chapters {
		cellN(len(c.Links))
	}
	p("</table:table-row>\n</table:table>\n")

	note := 0
	for _, c := range d.Chapters {
		h(1, "Chapter", c.ID+" — "+c.Title)
		para("Description", c.Description)
		if len(c.Links) == 0 {
			para("Text_20_body", d.noEvidence(c))
		}
		link := func(l Link) {
			para("Statement", l.Statement)
			if l.Proposed != "" {
				para("Text_20_body", d.proposedLine(l))
			}
			if l.QuoteFound && l.Quote != "" {
				p(`<text:p text:style-name="Quotations">%s`, x(d.quote(l.Quote)))
			} else {
				p(`<text:p text:style-name="Text_20_body">%s`, x(d.quoteMissing()))
			}
			if src := d.source(l); src != "" {
				note++
				p(`<text:note text:id="ftn%d" text:note-class="footnote"><text:note-citation>%d</text:note-citation><text:note-body><text:p text:style-name="Footnote">%s</text:p></text:note-body></text:note>`,
					note, note, x(src))
			}
			p("</text:p>\n")
			para("Decision", d.how(l))
			para("Decision", d.votes(l))
			if l.Outcome != "" {
				para("Outcome", d.outcomeLine(l))
			}
		}
		for _, l := range c.Links {
			link(l)
		}
		if d.IncludeRejected && len(c.Rejected) > 0 {
			h(2, "Heading_20_2", d.rejectedTitle())
			for _, l := range c.Rejected {
				link(l)
			}
		}
	}
	h(1, "Chapter", d.peopleTitle())
	para("Text_20_body", d.peopleLine())
	para("Text_20_body", d.namesLine())
	h(1, "Chapter", d.annexTitle())
	for _, l := range d.annexLines() {
		para("Text_20_body", l)
	}
	h(2, "Heading_20_2", d.checkTitle())
	for _, l := range d.checkLines() {
		para("Text_20_body", l)
	}
	para("Text_20_body", d.colophon())
	p("</office:text>\n</office:body>\n</office:document-content>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// odtStyles are the named styles: LibreOffice's own names for headings,
// body text, quotations, footnotes and the table of contents, so that an
// editor finds them in its style list and its tools work on them.
func (d *Dossier) odtStyles(w io.Writer) error {
	lang, country := "fr", "FR"
	if d.Lang == "en" {
		lang, country = "en", "GB"
	}
	_, err := fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles %s office:version="1.3">
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:orphans="2" fo:widows="2"/><style:text-properties style:font-name="Liberation Serif" fo:font-family="'Liberation Serif'" fo:font-size="11pt" fo:language="%s" fo:country="%s"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.2cm" fo:line-height="115%%"/></style:style>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"/><style:text-properties style:font-name="Liberation Sans" fo:font-family="'Liberation Sans'" fo:font-size="14pt"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="1" style:class="text"><style:text-properties fo:font-size="18pt" fo:font-weight="bold" fo:color="#1b4a80"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="2" style:class="text"><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Subtitle" style:class="chapter"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="24pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:class="chapter"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.8cm"/><style:text-properties fo:font-size="13pt" fo:font-style="italic"/></style:style>
<style:style style:name="Quotations" style:family="paragraph" style:parent-style-name="Standard" style:class="html"><style:paragraph-properties fo:margin-left="1cm" fo:margin-right="1cm" fo:margin-top="0cm" fo:margin-bottom="0.2cm"/><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="Statement" style:display-name="Statement" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-top="0.4cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Description" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="Decision" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-bottom="0.05cm"/><style:text-properties fo:font-size="10pt" fo:color="#4a4a4a"/></style:style>
<style:style style:name="Outcome" style:family="paragraph" style:parent-style-name="Decision" style:class="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:margin-left="0.6cm" fo:text-indent="-0.6cm"/><style:text-properties fo:font-size="9pt"/></style:style>
<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>
<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Contents_20_Heading" style:display-name="Contents Heading" style:family="paragraph" style:parent-style-name="Heading" style:class="index"><style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph" style:parent-style-name="Standard" style:class="index"><style:paragraph-properties><style:tab-stops><style:tab-stop style:position="17cm" style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops></style:paragraph-properties><style:text-properties style:font-name="Liberation Sans" fo:font-family="'Liberation Sans'"/></style:style>
<style:style style:name="Contents_20_2" style:display-name="Contents 2" style:family="paragraph" style:parent-style-name="Standard" style:class="index"><style:paragraph-properties fo:margin-left="0.5cm"><style:tab-stops><style:tab-stop style:position="16.5cm" style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops></style:paragraph-properties><style:text-properties style:font-name="Liberation Sans" fo:font-family="'Liberation Sans'"/></style:style>
<style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<text:outline-style style:name="Outline">
<text:outline-level-style text:level="1" style:num-format=""/>
<text:outline-level-style text:level="2" style:num-format=""/>
</text:outline-style>
<text:notes-configuration text:note-class="footnote" style:num-format="1" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles>
<style:master-page style:name="Standard" style:page-layout-name="A4"/>
</office:master-styles>
</office:document-styles>
`, odfNS, lang, country)
	return err
}

func (d *Dossier) odtMeta(w io.Writer) error {
	date := d.Created.UTC().Format("2006-01-02T15:04:05")
	_, err := fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta %s office:version="1.3">
<office:meta>
<meta:generator>Revue</meta:generator>
<dc:title>%s</dc:title>
<dc:language>%s</dc:language>
<meta:creation-date>%s</meta:creation-date>
<dc:date>%s</dc:date>
</office:meta>
</office:document-meta>
`, odfNS, x(d.title()), d.Lang, date, date)
	return err
}

func odtManifest(w io.Writer) error {
	_, err := fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="%s"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`, odtMime)
	return err
}
