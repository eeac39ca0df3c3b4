package corpus

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlMaxDepth is golang.org/x/net/html's limit on open elements.
const htmlMaxDepth = 512

// htmlText extracts the readable text of an HTML page, such as an Etherpad
// export: scripts, styles and the head are skipped, white space is collapsed
// as a browser does (except inside <pre>), block elements end a paragraph and
// <br> ends a line. Each heading (h1 to h6) opens a region named by its text.
// The title is the <title>, else the first <h1>.
//
// The only error is a page nested deeper than the parser accepts (512
// open elements, a limit of golang.org/x/net/html against stack
// exhaustion): it is said as such, not taken for a page without text.
func htmlText(src string) (text string, title string, regions []span, err error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// html.Parse fails on a reader error, which a strings.Reader never
		// has, or on its depth limit.
		if strings.Contains(err.Error(), "exceeds") {
			return "", "", nil, fmt.Errorf("HTML nested too deep (more than %d elements inside one another), which the reader refuses: save the page again from its editor, or as plain text (.txt)", htmlMaxDepth)
		}
		return "", "", nil, fmt.Errorf("HTML that cannot be read (%v): save the page again from its editor, or as plain text (.txt)", err)
	}
	w := &htmlWriter{}
	w.cur = span{}
	var pageTitle, firstH1 string
	var walk func(n *html.Node, pre bool)
	walk = func(n *html.Node, pre bool) {
		switch n.Type {
		case html.TextNode:
			w.text(clean(n.Data), pre)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Object, atom.Svg, atom.Math:
				return
			case atom.Title:
				if pageTitle == "" {
					pageTitle = oneLine(clean(nodeText(n)))
				}
				return
			case atom.Head:
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode && c.DataAtom == atom.Title {
						walk(c, false)
					}
				}
				return
			case atom.Br:
				w.brk(1)
				return
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				h := oneLine(clean(nodeText(n)))
				if n.DataAtom == atom.H1 && firstH1 == "" {
					firstH1 = h
				}
				w.brk(2)
				w.heading(h)
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, pre)
				}
				w.brk(2)
				return
			case atom.Pre, atom.Textarea:
				pre = true
			}
			gap := blockGap(n.DataAtom)
			w.gap(gap)
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, pre)
			}
			w.gap(gap)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, pre)
		}
	}
	walk(doc, false)
	w.cur.end = w.runes
	if w.cur.end > w.cur.start {
		w.regions = append(w.regions, w.cur)
	}
	title = pageTitle
	if title == "" {
		title = firstH1
	}
	return w.b.String(), title, w.regions, nil
}

// htmlWriter accumulates extracted text; the readers of HTML, OpenDocument
// and Word files share it. Breaks and spaces are held back until the next
// text arrives, so that nested blocks give one blank line, not several, and
// the text never starts or ends with white space.
type htmlWriter struct {
	b       strings.Builder
	runes   int     // runes written so far
	breaks  int     // pending line breaks: 1 a line, 2 a paragraph
	space   bool    // a pending space
	mark    string  // pending text written before the next text: a list's "- ", a table's " | "
	started bool    // some text was written
	pending *string // the section a pending heading opens
	newPage bool    // a page break is pending: the next text opens a region on the next page
	cur     span
	regions []span
}

// pageBreak makes the next text start a new region on the next page, in
// the same section; page numbers count from the region's page (1 for a
// reader that records pages).
func (w *htmlWriter) pageBreak() { w.newPage = true }

// brk asks for n line breaks before the next text (the larger request wins).
func (w *htmlWriter) brk(n int) {
	if n > w.breaks {
		w.breaks = n
	}
}

// gap asks for the separation blockGap gives.
func (w *htmlWriter) gap(g int) {
	switch {
	case g > 0:
		w.brk(g)
	case g == 0:
		w.space = true
	}
}

// heading opens a new region at the next text written.
func (w *htmlWriter) heading(section string) {
	w.pending = &section
}

func (w *htmlWriter) text(s string, pre bool) {
	if !pre {
		lead := s != "" && isHTMLSpace(s[0])
		trail := s != "" && isHTMLSpace(s[len(s)-1])
		s = collapseHTMLSpace(s)
		if s == "" {
			if lead || trail {
				w.space = true
			}
			return
		}
		if lead {
			w.space = true
		}
		w.flush()
		w.write(s)
		w.space = trail
		return
	}
	if strings.TrimSpace(s) == "" && !w.started {
		return
	}
	w.flush()
	w.write(s)
}

// flush writes the pending breaks or space and opens a pending region.
func (w *htmlWriter) flush() {
	if w.started {
		switch {
		case w.breaks >= 2:
			w.write("\n\n")
		case w.breaks == 1:
			w.write("\n")
		case w.space && w.mark == "":
			w.write(" ")
		}
	}
	w.breaks, w.space = 0, false
	if w.pending != nil || w.newPage {
		next := span{start: w.runes, section: w.cur.section, page: w.cur.page}
		if w.pending != nil {
			next.section = *w.pending
		}
		if w.newPage {
			next.page++
		}
		if w.runes > w.cur.start {
			w.cur.end = w.runes
			w.regions = append(w.regions, w.cur)
		}
		w.cur = next
		w.pending, w.newPage = nil, false
	}
	if w.mark != "" {
		m := w.mark
		w.mark = ""
		if !w.started {
			m = strings.TrimLeft(m, " ")
		}
		w.write(m)
	}
	w.started = true
}

func (w *htmlWriter) write(s string) {
	w.b.WriteString(s)
	w.runes += utf8.RuneCountInString(s)
}

// nodeText is the text under n, scripts and styles excluded.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// blockGap says what separates an element's text from its neighbours', as a
// browser lays it out: a paragraph break for blocks, a line break for list
// items and table rows (one item, one line), a space for table cells, and
// nothing for inline elements (-1).
func blockGap(a atom.Atom) int {
	switch a {
	case atom.P, atom.Div, atom.Ul, atom.Ol, atom.Dl,
		atom.Blockquote, atom.Pre, atom.Table, atom.Thead, atom.Tbody, atom.Tfoot, atom.Caption,
		atom.Section, atom.Article, atom.Header, atom.Footer, atom.Nav, atom.Aside, atom.Main,
		atom.Hr, atom.Figure, atom.Figcaption, atom.Address, atom.Details, atom.Summary,
		atom.Form, atom.Fieldset, atom.Legend, atom.Body, atom.Textarea:
		return 2
	case atom.Li, atom.Dt, atom.Dd, atom.Tr:
		return 1
	case atom.Td, atom.Th:
		return 0
	}
	return -1
}

// isHTMLSpace reports the white space HTML collapses; a no-break space is
// not one of them, and French puts it before ; : ! ?.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// collapseHTMLSpace collapses runs of HTML white space to one space and
// trims them, as a browser lays out text.
func collapseHTMLSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < 0x80 && isHTMLSpace(byte(r)) }), " ")
}
