package dossier

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/coopdescommuns/revue/review"
)

// WriteMarkdown writes the dossier as CommonMark, for the association's
// wiki or a pad. Every text from documents, the machine or people is
// escaped, so that a quote holding a * or a < stays text.
func (d *Dossier) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	e := mdEscape
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# %s\n\n%s\n\n", e(d.title()), e(d.t("Ce que le groupe a retenu, critère par critère, des documents relus ensemble.",
		"What the group kept, criterion by criterion, from the documents it reviewed together.")))

	p("## %s\n\n", e(d.t("Vue d'ensemble", "Overview")))
	for _, f := range d.overviewFacts() {
		p("- **%s** : %s\n", e(f[0]), e(f[1]))
	}
	p("\n### %s\n\n", e(d.t("D'où viennent les liens retenus", "Where the kept links come from")))
	for _, s := range d.shareLines() {
		p("- %s\n", e(s))
	}
	rows := d.Matrix()
	p("\n### %s\n\n%s\n\n", e(d.t("Documents × critères", "Documents × criteria")), e(d.matrixNote(len(rows))))
	p("| %s |", e(d.t("Document", "Document")))
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
	p("| **%s** |", e(d.t("Total", "Total")))
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
			p("%s\n\n", e(d.noEvidence()))
		}
		link := func(l Link) {
			p("---\n\n**%s**\n\n", e(l.Statement))
			if l.Proposed != "" {
				p("%s %s\n\n", e(d.t("Énoncé proposé :", "Proposed statement:")), e(d.quote(l.Proposed)))
			}
			if l.QuoteFound && l.Quote != "" {
				p("> %s\n\n", e(d.quote(l.Quote)))
			} else {
				p("%s\n\n", e(d.t("La citation proposée ne se trouve pas telle quelle dans le passage : elle n'est pas reproduite.",
					"The proposed quote is not found as such in the passage: it is not reproduced.")))
			}
			if src := d.source(l); src != "" {
				p("%s %s\n\n", e(d.t("Source :", "Source:")), e(src))
			}
			p("%s\n\n%s\n\n", e(d.how(l)), e(d.votes(l)))
			if l.Outcome != "" {
				p("*%s%s*\n\n", e(d.t("Conclusion : ", "Outcome: ")), e(l.Outcome))
			}
		}
		for _, l := range c.Links {
			link(l)
		}
		if d.IncludeRejected && len(c.Rejected) > 0 {
			p("### %s\n\n", e(d.t("Liens rejetés", "Rejected links")))
			for _, l := range c.Rejected {
				if l.Status == review.Rejected {
					link(l)
				}
			}
		}
	}

	p("\n## %s\n\n%s\n\n%s\n\n", e(d.t("Les personnes", "People")), e(d.peopleLine()), e(d.namesLine()))
	p("## %s\n\n", e(d.t("Annexe : transparence", "Annex: transparency")))
	for _, l := range d.annexLines() {
		p("- %s\n", e(l))
	}
	p("\n### %s\n\n", e(d.t("Vérifier ce dossier", "Checking this dossier")))
	for _, l := range d.checkLines() {
		p("- %s\n", e(l))
	}
	p("\n%s\n", e(d.t("Écrit par Revue à partir de la trace de la séance. Les personnes décident, pas la machine.",
		"Written by Revue from the session's trace. People decide, not the machine.")))
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
