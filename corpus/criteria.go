package corpus

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/coopdescommuns/revue/review"
)

// maxCriteriaBytes bounds a criteria file: a list of a few dozen sentences
// is a few kilobytes, so a larger file is surely the wrong one.
const maxCriteriaBytes = 4 << 20

// criterionAt is a criterion with the line it was written on (0 when the
// format cannot tell), for error messages.
type criterionAt struct {
	review.Criterion
	line  int
	index int // 1-based position in the file, for formats without lines
}

// ReadCriteria reads a criteria file, its format chosen by extension:
//
//   - .md, .markdown: "## ID — Title" (an em dash, an en dash or " - "),
//     then the description in the paragraphs below, up to the next "##";
//     text before the first "##" is ignored.
//   - .csv: a header row naming the columns id, title and description (in
//     any order; description may be missing; titre for title), then one
//     criterion a row, separated by commas, semicolons or tabs.
//   - .yaml, .yml, .json: a list of {id, title, description}, or an object
//     whose "criteria" key holds that list.
//
// Each format may give a criterion's keywords, the words that the people
// say signal it: a line "Mots-clés : a, b" or "Keywords: a, b" under a
// Markdown heading, a CSV column "keywords" or "mots-clés", a YAML or JSON
// field "keywords" holding a list or a text; a text is split at commas and
// semicolons.
//
// A duplicate id (both lines are named), an empty id or an empty title is
// a Problem naming its line (for YAML and JSON, the item's line and index).
// All problems are returned, not just the first; the criteria returned are
// the valid ones.
func ReadCriteria(path string) ([]review.Criterion, []Problem) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, []Problem{{File: path, Reason: statReason(err)}}
	}
	if info.IsDir() {
		return nil, []Problem{{File: path, Reason: "is a directory: give the criteria file"}}
	}
	// A pipe or a device is refused before it is opened: opening a FIFO
	// blocks, and /dev/zero has no end (see notRegular).
	if r := notRegular(path, info); r != "" {
		return nil, []Problem{{File: path, Reason: r}}
	}
	if info.Size() > maxCriteriaBytes {
		return nil, []Problem{{File: path, Reason: tooLargeCriteria(info.Size())}}
	}
	b, too, err := readRegular(path, maxCriteriaBytes)
	if err != nil {
		return nil, []Problem{{File: path, Reason: statReason(err)}}
	}
	if too {
		return nil, []Problem{{File: path, Reason: tooLargeCriteria(maxCriteriaBytes + 1)}}
	}
	return parseCriteria(path, b)
}

func tooLargeCriteria(size int64) string {
	return fmt.Sprintf("file of %d KiB, too large for a criteria list: is it the right file?", size>>10)
}

// parseCriteria is ReadCriteria on bytes already read; path gives the format
// and names the file in problems.
func parseCriteria(path string, b []byte) ([]review.Criterion, []Problem) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, []Problem{{File: path, Reason: "empty file: write one criterion per \"## ID — Title\" heading"}}
	}
	s, warn := decode(b)
	var warnings []Problem
	if warn != "" {
		warnings = append(warnings, Problem{File: path, Reason: warn})
	}
	s = clean(s)
	var (
		items []criterionAt
		probs []Problem
	)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".md", ".markdown":
		items, probs = parseCriteriaMarkdown(path, s)
	case ".csv":
		items, probs = parseCriteriaCSV(path, s)
	case ".yaml", ".yml":
		items, probs = parseCriteriaYAML(path, s)
	case ".json":
		items, probs = parseCriteriaJSON(path, s)
	default:
		return nil, []Problem{{File: path, Reason: fmt.Sprintf("criteria file type %q not read: use .md, .csv, .yaml or .json", ext)}}
	}
	crit, vprobs := validateCriteria(path, items)
	probs = append(probs, vprobs...)
	// In file order, as a person fixes them.
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	if len(crit) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{File: path, Reason: "no criteria found: " + formatHint(path)})
	}
	// A warning about the encoding is worth showing with the errors: a
	// mis-decoded id may be why a duplicate appears.
	return crit, append(warnings, probs...)
}

func formatHint(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "expected a header id,title,description (or `id;titre;description`) then one row per criterion"
	case ".yaml", ".yml", ".json":
		return "expected a list of {id, title, description}, or {criteria: [...]}"
	}
	return "expected \"## ID — Title\" headings, each followed by its description"
}

// validateCriteria keeps the criteria with an id and a title, and reports
// the others and every duplicate id with the lines of both.
func validateCriteria(path string, items []criterionAt) ([]review.Criterion, []Problem) {
	var out []review.Criterion
	var probs []Problem
	firstAt := map[string]criterionAt{}
	for _, it := range items {
		it.ID = oneLine(it.ID)
		it.Title = oneLine(it.Title)
		it.Description = strings.TrimSpace(it.Description)
		where := ""
		if it.line == 0 && it.index > 0 {
			where = fmt.Sprintf("criterion #%d: ", it.index)
		}
		switch {
		case it.ID == "":
			probs = append(probs, Problem{File: path, Line: it.line, Reason: where + "empty id: every criterion needs a short id such as C1"})
			continue
		case it.Title == "":
			probs = append(probs, Problem{File: path, Line: it.line, Reason: fmt.Sprintf("%scriterion %q has an empty title", where, it.ID)})
			continue
		}
		if prev, dup := firstAt[it.ID]; dup {
			probs = append(probs, Problem{File: path, Line: it.line, Reason: fmt.Sprintf("%sduplicate id %q, first used %s", where, it.ID, placeOf(prev))})
			continue
		}
		firstAt[it.ID] = it
		out = append(out, it.Criterion)
	}
	return out, probs
}

// placeOf says where a criterion was written, for a duplicate's message.
func placeOf(c criterionAt) string {
	if c.line > 0 {
		return "at line " + strconv.Itoa(c.line)
	}
	return "as criterion #" + strconv.Itoa(c.index)
}

// parseCriteriaMarkdown reads "## ID — Title" headings and the paragraphs
// under them.
func parseCriteriaMarkdown(path, s string) ([]criterionAt, []Problem) {
	var items []criterionAt
	var probs []Problem
	var desc []string
	cur := -1
	flush := func() {
		if cur >= 0 {
			items[cur].Description = unwrap(desc)
		}
		desc = desc[:0]
	}
	for n, line := range strings.Split(s, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "##") && !strings.HasPrefix(trimmed, "###") {
			flush()
			head := strings.TrimSpace(strings.TrimPrefix(trimmed, "##"))
			id, title, ok := cutIDTitle(head)
			if !ok {
				probs = append(probs, Problem{File: path, Line: n + 1, Reason: fmt.Sprintf("heading %q has no id: write \"## ID — Title\"", truncateRunes(head, 60))})
				cur = -1
				continue
			}
			items = append(items, criterionAt{Criterion: review.Criterion{ID: id, Title: title}, line: n + 1})
			cur = len(items) - 1
			continue
		}
		if strings.HasPrefix(trimmed, "# ") || trimmed == "#" {
			// A document title above or between the criteria.
			flush()
			cur = -1
			continue
		}
		if cur >= 0 {
			if kw, ok := keywordLine(trimmed); ok {
				items[cur].Keywords = append(items[cur].Keywords, splitKeywords(kw)...)
				continue
			}
			desc = append(desc, strings.TrimRight(line, " \t"))
		}
	}
	flush()
	return items, probs
}

// keywordPrefix matches a Markdown line that gives a criterion's keywords:
// "Mots-clés : …" or "Keywords: …", possibly as a list item or in bold.
var keywordPrefix = regexp.MustCompile(`(?i)^(?:[-*+]\s+)?(?:\*\*|__)?(mots?[- ]cl[ée]s?|keywords?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*`)

// keywordLine returns what follows "Mots-clés :" or "Keywords:" on a line.
func keywordLine(line string) (string, bool) {
	m := keywordPrefix.FindStringIndex(line)
	if m == nil {
		return "", false
	}
	return line[m[1]:], true
}

// splitKeywords splits a list of keywords at commas and semicolons,
// trimming spaces and leaving out empty and repeated ones: the people write
// "avertissement, rappel à l'ordre ; médiation".
func splitKeywords(s string) []string {
	var out []string
	for _, k := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		k = oneLine(k)
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// isKeywordsKey reports whether a CSV header, YAML key or JSON key names
// the keywords: "keywords" or "mots-clés" (with or without accent or dash).
func isKeywordsKey(k string) bool {
	switch strings.ToLower(strings.TrimSpace(k)) {
	case "keywords", "keyword", "mots-clés", "mots-cles", "mots clés", "mots cles", "motsclés", "motscles":
		return true
	}
	return false
}

// unwrap joins the lines of a Markdown paragraph with spaces, as Markdown
// reads them: a criterion file wrapped at 72 columns must not show its
// line breaks on a screen 160 wide, nor send them to the judge. A blank
// line stays a paragraph break, and a list item starts a line of its own.
func unwrap(lines []string) string {
	var b strings.Builder
	blank := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			blank = true
			continue
		case b.Len() == 0:
		case blank:
			b.WriteString("\n\n")
		case listItem.MatchString(t):
			b.WriteString("\n")
		default:
			b.WriteString(" ")
		}
		blank = false
		b.WriteString(t)
	}
	return b.String()
}

var listItem = regexp.MustCompile(`^([-*+]|\d+[.)])\s`)

// cutIDTitle splits a heading "ID — Title" at its first em dash, en dash or
// " - ". A heading of a single word is an id with an empty title (reported
// as such); several words without a separator are not a criterion heading.
func cutIDTitle(head string) (id, title string, ok bool) {
	for _, sep := range []string{"—", "–", " - "} {
		if i := strings.Index(head, sep); i >= 0 {
			return strings.TrimSpace(head[:i]), strings.TrimSpace(head[i+len(sep):]), true
		}
	}
	if h := strings.TrimSuffix(strings.TrimSpace(head), " -"); !strings.ContainsAny(h, " \t") {
		return h, "", true
	}
	return "", "", false
}

// csvColumns maps the names a header may give a column, in lower case, to
// the column: English, or French as a French spreadsheet is written.
var csvColumns = map[string]string{
	"id": "id", "identifiant": "id",
	"title": "title", "titre": "title", "intitulé": "title",
	"description": "description",
}

// csvSeparator guesses a CSV file's separator from its header line: the
// one of comma, semicolon (French Excel's, since the comma is the decimal
// mark there) and tab that appears most often outside quotes, the comma
// when none does. Excel's "sep=;" first line says it outright; skip tells
// that this line is to be skipped.
func csvSeparator(s string) (sep rune, skip bool) {
	first, _, _ := strings.Cut(s, "\n")
	first = strings.TrimSpace(first)
	if v, ok := strings.CutPrefix(strings.ToLower(first), "sep="); ok && utf8.RuneCountInString(v) == 1 {
		r, _ := utf8.DecodeRuneInString(v)
		return r, true
	}
	count := map[rune]int{}
	quoted := false
	for _, r := range first {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == ';' || r == '\t'):
			count[r]++
		}
	}
	sep = ','
	for _, r := range []rune{';', '\t'} {
		if count[r] > count[sep] {
			sep = r
		}
	}
	return sep, false
}

// separatorName says which separator was used, for a message.
func separatorName(sep rune) string {
	if sep == '\t' {
		return "tabs"
	}
	return strconv.Quote(string(sep))
}

// parseCriteriaCSV reads a CSV file with a header row, its separator
// guessed (comma, semicolon or tab, see csvSeparator) and its column names
// in English or French.
func parseCriteriaCSV(path, s string) ([]criterionAt, []Problem) {
	sep, skip := csvSeparator(s)
	offset := 0
	if skip {
		_, s, _ = strings.Cut(s, "\n")
		offset = 1
	}
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = sep != '\t'
	header, err := r.Read()
	if err != nil {
		return nil, []Problem{csvProblem(path, offset, err)}
	}
	col := map[string]int{"id": -1, "title": -1, "description": -1, "keywords": -1}
	for i, h := range header {
		name, ok := csvColumns[strings.ToLower(strings.TrimSpace(h))]
		if isKeywordsKey(h) {
			name, ok = "keywords", true
		}
		if ok && col[name] < 0 {
			col[name] = i
		}
	}
	if col["id"] < 0 || col["title"] < 0 {
		return nil, []Problem{{File: path, Line: 1 + offset, Reason: fmt.Sprintf("header %q, its columns separated by %s, lacks the id and title (or titre) columns: the first row must name them, as in `id,title,description` or `id;titre;description`", strings.Join(header, string(sep)), separatorName(sep))}}
	}
	var items []criterionAt
	var probs []Problem
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			probs = append(probs, csvProblem(path, offset, err))
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
				continue
			}
			break
		}
		line, _ := r.FieldPos(0)
		if allBlank(rec) {
			continue
		}
		field := func(name string) string {
			if i := col[name]; i >= 0 && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		items = append(items, criterionAt{Criterion: review.Criterion{ID: field("id"), Title: field("title"), Description: field("description"),
			Keywords: splitKeywords(field("keywords"))}, line: line + offset})
	}
	return items, probs
}

func csvProblem(path string, offset int, err error) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Problem{File: path, Line: pe.Line + offset, Reason: "invalid CSV: " + pe.Err.Error()}
	}
	return Problem{File: path, Reason: "invalid CSV: " + err.Error()}
}

func allBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parseCriteriaYAML reads a YAML list of criteria, keeping each item's line.
func parseCriteriaYAML(path, s string) ([]criterionAt, []Problem) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(s), &root); err != nil {
		return nil, []Problem{{File: path, Line: yamlErrorLine(err), Reason: "invalid YAML: " + yamlErrorText(err)}}
	}
	n := &root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind == yaml.MappingNode {
		var list *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "criteria" {
				list = n.Content[i+1]
			}
		}
		if list == nil {
			return nil, []Problem{{File: path, Line: n.Line, Reason: "no \"criteria\" key: " + formatHint(path)}}
		}
		n = list
	}
	if n.Kind != yaml.SequenceNode {
		return nil, []Problem{{File: path, Line: n.Line, Reason: "not a list of criteria: " + formatHint(path)}}
	}
	var items []criterionAt
	var probs []Problem
	for i, it := range n.Content {
		if it.Kind != yaml.MappingNode {
			probs = append(probs, Problem{File: path, Line: it.Line, Reason: fmt.Sprintf("criterion #%d is not an object with id, title and description", i+1)})
			continue
		}
		c := criterionAt{line: it.Line, index: i + 1}
		for k := 0; k+1 < len(it.Content); k += 2 {
			key, val := it.Content[k].Value, it.Content[k+1]
			if isKeywordsKey(key) && val.Kind == yaml.SequenceNode {
				for _, v := range val.Content {
					if v.Kind != yaml.ScalarNode {
						probs = append(probs, Problem{File: path, Line: v.Line, Reason: fmt.Sprintf("criterion #%d: each keyword must be text", i+1)})
						continue
					}
					c.Keywords = append(c.Keywords, splitKeywords(v.Value)...)
				}
				continue
			}
			if val.Kind != yaml.ScalarNode {
				probs = append(probs, Problem{File: path, Line: val.Line, Reason: fmt.Sprintf("criterion #%d: %s must be text", i+1, key)})
				continue
			}
			switch strings.ToLower(key) {
			case "id":
				c.ID = val.Value
			case "title":
				c.Title = val.Value
			case "description":
				c.Description = val.Value
			default:
				if isKeywordsKey(key) {
					c.Keywords = append(c.Keywords, splitKeywords(val.Value)...)
				}
			}
		}
		items = append(items, c)
	}
	return items, probs
}

// yamlErrorLine digs the line out of a yaml error ("yaml: line 3: ...").
func yamlErrorLine(err error) int {
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+5:]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(rest[:j]); err == nil {
			return n
		}
	}
	return 0
}

// yamlErrorText is a yaml error without its "yaml: line N:" prefix, which
// the Problem already says.
func yamlErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		if i := strings.Index(msg, ": "); i >= 0 {
			return msg[i+2:]
		}
	}
	return msg
}

// parseCriteriaJSON reads a JSON list of criteria. The decoder's offsets give
// each item's line.
func parseCriteriaJSON(path, s string) ([]criterionAt, []Problem) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	jsonErr := func(err error) []Problem {
		line := 0
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line = lineAt(s, int(se.Offset))
		case errors.As(err, &te):
			line = lineAt(s, int(te.Offset))
		default:
			line = lineAt(s, int(dec.InputOffset()))
		}
		reason := "invalid JSON: " + err.Error()
		if strings.Contains(err.Error(), "exceeded max depth") {
			// encoding/json's own words name neither the limit nor a way out.
			reason = "invalid JSON: lists or objects nested more than 10,000 deep, which the reader refuses: is it the right file?"
		}
		return []Problem{{File: path, Line: line, Reason: reason}}
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err)
	}
	if tok == json.Delim('{') {
		// Find the "criteria" key and stand on its list.
		found := false
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, jsonErr(err)
			}
			if key == "criteria" {
				found = true
				if tok, err = dec.Token(); err != nil {
					return nil, jsonErr(err)
				}
				break
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, jsonErr(err)
			}
		}
		if !found {
			return nil, []Problem{{File: path, Line: 1, Reason: "no \"criteria\" key: " + formatHint(path)}}
		}
	}
	if tok != json.Delim('[') {
		return nil, []Problem{{File: path, Line: lineAt(s, int(dec.InputOffset())), Reason: "not a list of criteria: " + formatHint(path)}}
	}
	var items []criterionAt
	var probs []Problem
	for i := 1; dec.More(); i++ {
		line := lineAt(s, skipSpaceComma(s, int(dec.InputOffset())))
		var raw map[string]any
		if err := dec.Decode(&raw); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				probs = append(probs, Problem{File: path, Line: line, Reason: fmt.Sprintf("criterion #%d is not an object with id, title and description", i)})
				continue
			}
			return items, append(probs, jsonErr(err)...)
		}
		c := criterionAt{line: line, index: i}
		for k, v := range raw {
			if list, ok := v.([]any); ok && isKeywordsKey(k) {
				for _, e := range list {
					if w, ok := e.(string); ok {
						c.Keywords = append(c.Keywords, splitKeywords(w)...)
					} else {
						probs = append(probs, Problem{File: path, Line: line, Reason: fmt.Sprintf("criterion #%d: each keyword must be text", i)})
					}
				}
				continue
			}
			var text string
			switch v := v.(type) {
			case string:
				text = v
			case json.Number:
				text = v.String()
			case nil:
			default:
				probs = append(probs, Problem{File: path, Line: line, Reason: fmt.Sprintf("criterion #%d: %s must be text", i, k)})
				continue
			}
			switch strings.ToLower(k) {
			case "id":
				c.ID = text
			case "title":
				c.Title = text
			case "description":
				c.Description = text
			default:
				if isKeywordsKey(k) {
					c.Keywords = append(c.Keywords, splitKeywords(text)...)
				}
			}
		}
		items = append(items, c)
	}
	return items, probs
}

// lineAt is the 1-based line of byte offset off in s.
func lineAt(s string, off int) int {
	off = min(max(off, 0), len(s))
	return strings.Count(s[:off], "\n") + 1
}

// skipSpaceComma moves off past white space and a comma, to the start of the
// next JSON value.
func skipSpaceComma(s string, off int) int {
	for off < len(s) {
		switch s[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
		default:
			return off
		}
	}
	return off
}
