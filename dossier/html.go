package dossier

import (
	"bufio"
	"fmt"
	"html"
	"io"

	"github.com/coopdescommuns/revue/review"
)

// css is the whole stylesheet, inline: the file makes no request to any
// server (no font, no script, no image from elsewhere), so that it reads
// the same offline and from a USB stick. The screen layout is one column
// that fits a phone; the print rules make an A4 document with a page per
// criterion and the sources as notes at the end of each chapter.
const css = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.55 Georgia, "DejaVu Serif", "Liberation Serif", serif; color: #1a1a1a; background: #fff; }
header, nav, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 0 0 .3rem; }
h2 { font-size: 1.4rem; line-height: 1.25; margin: 2.2rem 0 .6rem; border-bottom: 2px solid #1b4a80; padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
p, li, dd, td, th, blockquote { overflow-wrap: anywhere; }
a { color: #1b4a80; }
.sub, .desc, .how, .votes, .src, .note, footer { color: #4a4a4a; }
.desc { font-style: italic; }
.cid { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; margin-right: .4em; }
nav ol { padding-left: 1.4rem; }
dl.facts { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.link { border-left: 4px solid #8fb8e6; padding: .2rem 0 .2rem .9rem; margin: 1.2rem 0; break-inside: avoid; }
.link.rejected { border-left-color: #b0b0b0; }
.statement { font-weight: bold; margin: 0 0 .3rem; }
blockquote { margin: .3rem 0; font-style: italic; }
.link p { margin: .25rem 0; }
.proposed { color: #4a4a4a; }
.outcome { font-style: italic; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .9rem; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .45rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.matrix th, .matrix td { overflow-wrap: normal; }
.matrix thead th { white-space: nowrap; }
.matrix tbody th { min-width: 9rem; position: sticky; left: 0; background: #fff; }
.h0 { background: #fff; } .h1 { background: #e3eefa; } .h2 { background: #c2d9f2; }
.h3 { background: #9cc0ea; } .h4 { background: #2f6db5; color: #fff; } .h5 { background: #1b4a80; color: #fff; }
.notes, .fn { display: none; }
footer { margin-top: 3rem; padding-bottom: 2rem; font-size: .85rem; }
code { overflow-wrap: anywhere; font-size: .85em; }
@media (max-width: 30rem) { body { font-size: 16px; } dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .4rem; } }
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body { font-size: 11pt; }
  header, nav, main, footer { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .chapter, #annex { break-before: page; }
  h2, h3 { break-after: avoid; }
  .src { display: none; }
  .fn { display: inline; font-size: .7em; vertical-align: super; line-height: 0; font-style: normal; margin-left: .15em; }
  .notes { display: block; font-size: 9pt; border-top: 1px solid #999; margin-top: 1.5rem; padding-top: .4rem; }
  .scroll { overflow: visible; }
  .link { border-left-width: 2px; }
  .matrix td { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`

// WriteHTML writes the dossier as one self-contained HTML file.
func (d *Dossier) WriteHTML(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	e := html.EscapeString
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", d.Lang)
	p("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	p("<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n", e(d.title()), css)
	p("<header>\n<h1>%s</h1>\n<p class=\"sub\">%s</p>\n</header>\n", e(d.title()),
		e(d.intro()))

	p("<nav aria-label=\"%s\">\n<h2>%s</h2>\n<ol>\n", e(d.contentsTitle()), e(d.contentsTitle()))
	p("<li><a href=\"#overview\">%s</a></li>\n", e(d.overviewTitle()))
	for i, c := range d.Chapters {
		p("<li><a href=\"#c%d\">%s — %s</a> (%s)</li>\n", i+1, e(c.ID), e(c.Title), e(d.plural(len(c.Links), "lien", "liens", "link", "links")))
	}
	p("<li><a href=\"#people\">%s</a></li>\n<li><a href=\"#annex\">%s</a></li>\n</ol>\n</nav>\n<main>\n",
		e(d.peopleTitle()), e(d.annexTitle()))

	// The overview.
	p("<section id=\"overview\">\n<h2>%s</h2>\n<dl class=\"facts\">\n", e(d.overviewTitle()))
	for _, f := range d.overviewFacts() {
		p("<dt>%s</dt><dd>%s</dd>\n", e(f[0]), e(f[1]))
	}
	p("</dl>\n<h3>%s</h3>\n<ul>\n", e(d.sharesTitle()))
	for _, s := range d.shareLines() {
		p("<li>%s</li>\n", e(s))
	}
	rows := d.Matrix()
	p("</ul>\n<h3>%s</h3>\n<p class=\"note\">%s</p>\n", e(d.matrixTitle()), e(d.matrixNote(len(rows))))
	top := 1
	for _, doc := range rows {
		for _, n := range doc.Kept {
			top = max(top, n)
		}
	}
	p("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">\n<table class=\"matrix\">\n<thead><tr><th scope=\"col\">%s</th>",
		e(d.t("Matrice documents × critères", "Documents × criteria matrix")), e("Document"))
	for _, c := range d.Chapters {
		p("<th scope=\"col\" title=\"%s\">%s</th>", e(c.Title), e(c.ID))
	}
	p("</tr></thead>\n<tbody>\n")
	for _, doc := range rows {
		p("<tr><th scope=\"row\">%s</th>", e(doc.Title))
		for _, n := range doc.Kept {
			p("<td class=\"n h%d\">%d</td>", heat(n, top), n)
		}
		p("</tr>\n")
	}
	p("<tr><th scope=\"row\">%s</th>", e("Total"))
	for _, c := range d.Chapters {
		p("<td class=\"n\">%d</td>", len(c.Links))
	}
	p("</tr>\n</tbody>\n</table>\n</div>\n</section>\n")

	// A chapter per criterion.
	for i, c := range d.Chapters {
		p("<section class=\"chapter\" id=\"c%d\">\n<h2><span class=\"cid\">%s</span> %s</h2>\n<p class=\"desc\">%s</p>\n", i+1, e(c.ID), e(c.Title), e(c.Description))
		if len(c.Links) == 0 {
			p("<p class=\"none\">%s</p>\n", e(d.noEvidence(c)))
		}
		var notes []string
		link := func(l Link) {
			class := "link"
			if l.Status == review.Rejected {
				class += " rejected"
			}
			p("<article class=\"%s\">\n<p class=\"statement\">%s</p>\n", class, e(l.Statement))
			if l.Proposed != "" {
				p("<p class=\"proposed\">%s</p>\n", e(d.proposedLine(l)))
			}
			// The source's note mark follows the quote (or what stands
			// for it); the source itself is on screen below, and in print
			// in the chapter's notes.
			src := d.source(l)
			mark := ""
			if src != "" {
				notes = append(notes, src)
				mark = fmt.Sprintf("<span class=\"fn\">%d</span>", len(notes))
			}
			if l.QuoteFound && l.Quote != "" {
				p("<blockquote>%s%s</blockquote>\n", e(d.quote(l.Quote)), mark)
			} else {
				p("<p class=\"note\">%s%s</p>\n", e(d.quoteMissing()), mark)
			}
			if src != "" {
				p("<p class=\"src\">%s</p>\n", e(src))
			}
			p("<p class=\"how\">%s</p>\n<p class=\"votes\">%s</p>\n", e(d.how(l)), e(d.votes(l)))
			if l.Outcome != "" {
				p("<p class=\"outcome\">%s</p>\n", e(d.outcomeLine(l)))
			}
			p("</article>\n")
		}
		for _, l := range c.Links {
			link(l)
		}
		if d.IncludeRejected && len(c.Rejected) > 0 {
			p("<h3>%s</h3>\n", e(d.rejectedTitle()))
			for _, l := range c.Rejected {
				link(l)
			}
		}
		if len(notes) > 0 {
			p("<ol class=\"notes\" aria-label=\"%s\">\n", e("Sources"))
			for _, n := range notes {
				p("<li>%s</li>\n", e(n))
			}
			p("</ol>\n")
		}
		p("</section>\n")
	}

	p("<section id=\"people\">\n<h2>%s</h2>\n<p>%s</p>\n<p>%s</p>\n</section>\n", e(d.peopleTitle()), e(d.peopleLine()), e(d.namesLine()))
	p("<section id=\"annex\">\n<h2>%s</h2>\n<ul>\n", e(d.annexTitle()))
	for _, l := range d.annexLines() {
		p("<li>%s</li>\n", e(l))
	}
	p("</ul>\n<h3>%s</h3>\n<ul>\n", e(d.checkTitle()))
	for _, l := range d.checkLines() {
		p("<li><code>%s</code></li>\n", e(l))
	}
	p("</ul>\n</section>\n</main>\n<footer>\n<p>%s</p>\n</footer>\n</body>\n</html>\n",
		e(d.colophon()))
	return bw.Flush()
}

// heat places a count on the heat map's shades: 0 for none, 1 to 5 up to
// the largest count of the matrix.
func heat(n, top int) int {
	switch {
	case n <= 0:
		return 0
	case top <= 1:
		return 1
	}
	return 1 + (n-1)*4/(top-1)
}
