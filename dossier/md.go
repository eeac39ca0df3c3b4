package dossier

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the dossier as CommonMark, for the association's
// wiki or a pad. Every text from documents, the machine or people is
// escaped, so that a quote holding a * or a < stays text.
func (d *Dossier) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	e := mdEscape
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# %s\n\n%s\n\n", e(d.title()), e(d.intro()))

	p("## %s\n\n", e(d.overviewTitle()))
	for _, f := range d.overviewFacts() {
		p("- **%s**%s%s\n", e(f[0]), d.colon(), e(f[1]))
	}
	p("\n### %s\n\n", e(d.sharesTitle()))
	for _, s := range d.shareLines() {
		p("- %s\n", e(s))
	}
	rows := d.Matrix()
	p("\n### %s\n\n%s\n\n", e(d.matrixTitle()), e(d.matrixNote(len(rows))))
	p("| %s |", e("Document"))
	for _, c := range d.Chapters {
		p(" %s |", cell(c.ID))
	}
	p("\n|---|%s\n", strings.Repeat("--:|", len(d.Chapters)))
	for _, doc := range rows {
		p("| %s |", cell(doc.Title))
		for _, n := range doc.Kept {
			p(" %d |", n)
		}
		p("\n")
	}
	p("| **%s** |", e("Total"))
	for _, c := range d.Chapters {
		p(" **%d** |", len(c.Links))
	}
	p("\n")

	for _, c := range d.Chapters {
		p("\n## %s — %s\n\n", e(c.ID), e(c.Title))
		if strings.TrimSpace(c.Description) != "" {
			p("*%s*\n\n", e(c.Description))
		}
		if len(c.Links) == 0 {
			p("%s\n\n", e(d.noEvidence(c)))
		}
		link := func(l Link) {
			p("---\n\n**%s**\n\n", e(l.Statement))
			if l.Proposed != "" {
				p("%s\n\n", e(d.proposedLine(l)))
			}
			if l.QuoteFound && l.Quote != "" {
				p("> %s\n\n", e(d.quote(l.Quote)))
			} else {
				p("%s\n\n", e(d.quoteMissing()))
			}
			if src := d.source(l); src != "" {
				p("%s %s\n\n", e(d.t("Source :", "Source:")), e(src))
			}
			p("%s\n\n%s\n\n", e(d.how(l)), e(d.votes(l)))
			if l.Outcome != "" {
				p("*%s*\n\n", e(d.outcomeLine(l)))
			}
		}
		for _, l := range c.Links {
			link(l)
		}
		if d.IncludeRejected && len(c.Rejected) > 0 {
			p("### %s\n\n", e(d.rejectedTitle()))
			for _, l := range c.Rejected {
				link(l)
			}
		}
	}

	p("\n## %s\n\n%s\n\n%s\n\n", e(d.peopleTitle()), e(d.peopleLine()), e(d.namesLine()))
	p("## %s\n\n", e(d.annexTitle()))
	for _, l := range d.annexLines() {
		p("- %s\n", e(l))
	}
	p("\n### %s\n\n", e(d.checkTitle()))
	for _, l := range d.checkLines() {
		p("- %s\n", e(l))
	}
	p("\n%s\n", e(d.colophon()))
	return bw.Flush()
}

// mdEscape makes a text literal in CommonMark: the characters that open
// inline markup are backslash-escaped everywhere, and so is a first
// character that would open a block (a heading, a list, a quote) where the
// text starts a line or a list item. Line breaks become spaces (a
// statement is one paragraph) and white space at the ends goes. The rest
// stays as typed, readable in a pad; FuzzMarkdownEscape holds it to that.
func mdEscape(s string) string {
	// White space at either end would undo the emphasis around the text.
	s = strings.TrimSpace(s)
	var b strings.Builder
	digits := 0
	for i, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>&|~", r),
			i == 0 && strings.ContainsRune("#+-=>", r),
			i == digits && digits > 0 && (r == '.' || r == ')'):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		if r >= '0' && r <= '9' && i == digits {
			digits++
		}
	}
	return b.String()
}

// cell is mdEscape for a table cell, where a pipe would end the cell even
// escaped in some readers: it becomes a broken bar.
func cell(s string) string { return mdEscape(strings.ReplaceAll(s, "|", "¦")) }
