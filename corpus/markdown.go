package corpus

import (
	"strings"
	"unicode/utf8"
)

// markdownRegions finds the headings of a Markdown text and returns the
// regions they open, each named by its heading, with the document's title:
// the "title:" of a YAML front matter block (as HedgeDoc pads have), else the
// first heading. The text itself is kept as written, heading markers
// included, so that offsets point into what the author wrote. ATX headings
// ("## Titre") and setext headings (a line underlined with = or -) count;
// lines inside fenced code blocks do not.
func markdownRegions(text string) (title string, regions []span) {
	cur := span{}
	open := func(at int, section string) {
		if at > cur.start {
			cur.end = at
			regions = append(regions, cur)
		}
		cur = span{start: at, section: section}
		if title == "" {
			title = section
		}
	}

	var (
		runePos       int    // rune offset of the current line
		prevStart     = -1   // rune offset of the previous line, if it may be a setext heading
		prevText      string // that line, trimmed
		fence         string // the opening marker of the fenced block we are in
		inFrontMatter bool
	)
	front := ""
	total := utf8.RuneCountInString(text)
	for lineNo := 0; len(text) > 0; lineNo++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		start := runePos
		runePos += utf8.RuneCountInString(line) + 1
		trimmed := strings.TrimSpace(line)

		if lineNo == 0 && trimmed == "---" && hasFrontMatterEnd(text) {
			inFrontMatter = true
			continue
		}
		if inFrontMatter {
			if trimmed == "---" || trimmed == "..." {
				// The front matter is metadata, not content: no region
				// covers it, so no passage holds it.
				inFrontMatter = false
				cur.start = runePos
			} else if k, v, ok := strings.Cut(trimmed, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "title") && front == "" {
				front = oneLine(strings.Trim(strings.TrimSpace(v), `"'`))
			}
			continue
		}

		indent := len(line) - len(strings.TrimLeft(line, " "))
		if fence != "" {
			if indent < 4 && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			prevStart = -1
			continue
		}
		if indent < 4 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
			fence = trimmed[:3]
			prevStart = -1
			continue
		}
		if indent < 4 {
			if h, ok := atxHeading(trimmed); ok {
				open(start, h)
				prevStart = -1
				continue
			}
			if prevStart >= 0 && trimmed != "" && (strings.Trim(trimmed, "=") == "" || strings.Trim(trimmed, "-") == "") {
				open(prevStart, oneLine(prevText))
				prevStart = -1
				continue
			}
		}
		if trimmed != "" && indent < 4 && !isListOrQuote(trimmed) {
			prevStart, prevText = start, trimmed
		} else {
			prevStart = -1
		}
	}
	cur.end = total
	if cur.end > cur.start {
		regions = append(regions, cur)
	}
	if front != "" {
		title = front
	}
	return title, regions
}

// hasFrontMatterEnd reports whether rest, the text after an opening "---"
// line, closes a front matter block with a "---" or "..." line.
func hasFrontMatterEnd(rest string) bool {
	for _, line := range strings.Split(rest, "\n") {
		if t := strings.TrimSpace(line); t == "---" || t == "..." {
			return true
		}
	}
	return false
}

// atxHeading returns the text of an ATX heading line ("### Titre ###"),
// already trimmed of leading spaces.
func atxHeading(line string) (string, bool) {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(line) && line[n] != ' ' && line[n] != '\t') {
		return "", false
	}
	h := strings.TrimSpace(line[n:])
	if t := strings.TrimRight(h, "#"); t != h && (t == "" || strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\t")) {
		h = strings.TrimSpace(t)
	}
	return oneLine(h), true
}

// isListOrQuote reports a line that cannot be the text of a setext heading
// in practice: a list item, a quote or a table row. It keeps "- - -" rules
// and lists of dashes from turning the line above into a heading.
func isListOrQuote(line string) bool {
	switch line[0] {
	case '-', '*', '+', '>', '|':
		return true
	}
	return false
}
