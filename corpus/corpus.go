// Package corpus reads Revue's inputs: documents (PDF, Markdown, plain text,
// HTML such as pad exports) cut into bounded passages, and criteria files
// (Markdown, CSV, YAML, JSON).
//
// Everything read here comes from outside and is treated as untrusted:
// control characters and terminal escape sequences are removed at import,
// text that is not UTF-8 is read as Windows-1252 with a warning, and a file
// that cannot be read is a Problem naming the file (and line) at fault, so
// that `revue init` can list every invalid input at once and create nothing.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
)

// Problem is one thing wrong with an input. It prints as "file:line: reason",
// the line left out when it is 0 (unknown or the whole file), which editors
// and people both understand.
type Problem struct {
	File   string
	Line   int
	Reason string
}

// Error returns the problem as "file:line: reason".
func (p Problem) Error() string {
	if p.Line > 0 {
		return p.File + ":" + strconv.Itoa(p.Line) + ": " + p.Reason
	}
	return p.File + ": " + p.Reason
}

// Options tune how documents are cut.
type Options struct {
	// MaxPassageRunes bounds a passage's length in runes;
	// DefaultMaxPassageRunes when 0. Passages are cut at a paragraph, then a
	// sentence, then a word boundary, and inside a word only as a last resort.
	MaxPassageRunes int
	// Notice, when set, is told what a person waiting for the import
	// should know before it ends, such as how long a PDF of thousands of
	// pages may take to read. It may be called from several goroutines.
	Notice func(Problem)
	// LaterLargeText, when set, imports a plain text file of more than
	// LargeTextBytes without its passages: the import reads and cuts it to
	// check and count them, keeping nothing, and Result.Later reads and
	// cuts it again when they are written. A 200 MB text file was 200 MB
	// of text held from its reading to its last passage's writing.
	LaterLargeText bool
}

// LargeTextBytes is the size from which a plain text file's passages are
// read when written rather than held (Options.LaterLargeText); a variable
// so that tests cut a small file so.
var LargeTextBytes int64 = 16 << 20

// Later is the passages of a document imported without them
// (Options.LaterLargeText): Passages is their count, and Read gives them,
// read from the file and cut again, the same as the import counted. A file
// changed since the import is a Problem naming it, given once every passage
// read is given: the caller writes them in a transaction it can undo. An
// error of yield stops the reading and is returned.
type Later struct {
	Passages int
	Read     func(yield func(review.Passage) error) error
}

// roundDuration rounds a duration for a person: whole minutes from two
// minutes on, else whole seconds.
func roundDuration(d time.Duration) time.Duration {
	if d >= 2*time.Minute {
		return d.Round(time.Minute)
	}
	return d.Round(time.Second)
}

func (o Options) maxRunes() int {
	if o.MaxPassageRunes <= 0 {
		return DefaultMaxPassageRunes
	}
	return max(o.MaxPassageRunes, minPassageRunes)
}

// maxFileBytes bounds the size of one document file. It is far above any
// real report or pad (a 500-page PDF is a few megabytes), and only keeps a
// mistaken input (a disk image, a database dump) from exhausting memory.
const maxFileBytes = 256 << 20

// formats maps the extensions read, in lower case, to Document.Format.
var formats = map[string]string{
	".pdf":      "pdf",
	".md":       "markdown",
	".markdown": "markdown",
	".txt":      "text",
	".html":     "html",
	".htm":      "html",
	".odt":      "odt",
	".docx":     "docx",
}

// formatOf returns the format of a path by its extension, ignoring case.
func formatOf(path string) (string, bool) {
	f, ok := formats[strings.ToLower(filepath.Ext(path))]
	return f, ok
}

// Expand turns the paths given on the command line into the list of
// document files to read. Directories are walked recursively in lexical
// order and files with a known extension (.pdf .odt .docx .md .markdown
// .txt .html .htm, in any case) are kept; every other regular file there is
// a Problem that names it and says what to do (export it as PDF...), so that
// nothing is dropped without a word. Hidden files and directories (a name
// starting with ".", such as .git or macOS's ._ files) and the files systems
// and editors leave beside documents (see systemFile) are skipped. A path
// that does not exist, or a file named explicitly whose type is not read,
// is a Problem. Each file appears once, in the order given.
func Expand(paths []string) ([]string, []Problem) {
	var files []string
	var problems []Problem
	seen := map[string]bool{}
	named := map[string]bool{}
	problem := func(p Problem) {
		if key := filepath.Clean(p.File); !named[key] {
			named[key] = true
			problems = append(problems, p)
		}
	}
	add := func(p string) {
		key := filepath.Clean(p)
		if !seen[key] {
			seen[key] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			problem(Problem{File: p, Reason: statReason(err)})
			continue
		}
		if !info.IsDir() {
			if _, ok := formatOf(p); !ok {
				problem(Problem{File: p, Reason: unsupportedReason(p)})
				continue
			}
			if r := notRegular(p, info); r != "" {
				problem(Problem{File: p, Reason: r})
				continue
			}
			add(p)
			continue
		}
		root := p
		if li, err := os.Lstat(p); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			// WalkDir does not follow a symbolic link, even as its root;
			// with a trailing separator the link is resolved.
			root = p + string(filepath.Separator)
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problem(Problem{File: path, Reason: statReason(err)})
				if d != nil && d.IsDir() && path != root {
					return fs.SkipDir
				}
				return nil
			}
			hidden := path != root && strings.HasPrefix(d.Name(), ".")
			if d.IsDir() {
				if hidden {
					return fs.SkipDir
				}
				return nil
			}
			if hidden || systemFile(d.Name()) {
				return nil
			}
			regular := d.Type().IsRegular()
			if !regular && d.Type()&fs.ModeSymlink != 0 {
				fi, err := os.Stat(path)
				regular = err == nil && fi.Mode().IsRegular()
			}
			if !regular {
				return nil
			}
			if _, ok := formatOf(path); !ok {
				// Named, not dropped: a facilitator who gave a folder
				// expects every document in it, and learns here which
				// ones Revue cannot read and what to do with them.
				problem(Problem{File: path, Reason: unsupportedReason(path)})
				return nil
			}
			add(path)
			return nil
		})
		if err != nil {
			problem(Problem{File: p, Reason: statReason(err)})
		}
	}
	return files, problems
}

// statReason words an error from the file system for a person.
func statReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied: check the file's rights"
	case errors.Is(err, syscall.ELOOP):
		return "a loop of symbolic links (a link that leads back to itself): give the file itself"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "cannot read: " + pe.Err.Error()
	}
	return "cannot read: " + err.Error()
}

func unsupportedReason(p string) string {
	ext := filepath.Ext(p)
	if ext == "" {
		return "file type not read (no extension): give a .pdf, .odt, .docx, .md, .txt or .html file"
	}
	switch strings.ToLower(ext) {
	case ".doc", ".rtf", ".wpd", ".wps", ".pages", ".docm", ".dotx", ".ott", ".fodt", ".odm", ".abw":
		return fmt.Sprintf("file type %s not read: open it in LibreOffice or Word and save it as .odt or .docx, or export it as PDF", ext)
	case ".xlsx", ".xls", ".xlsm", ".ods", ".fods", ".numbers", ".csv", ".tsv":
		return fmt.Sprintf("file type %s not read: a spreadsheet is not read as a document; export it as PDF, or copy its text into an .odt", ext)
	case ".pptx", ".ppt", ".odp", ".fodp", ".key", ".pps", ".ppsx":
		return fmt.Sprintf("file type %s not read: export the presentation as PDF (in LibreOffice Impress: File, Export as PDF)", ext)
	case ".epub", ".mobi", ".djvu", ".xps", ".oxps":
		return fmt.Sprintf("file type %s not read: export or print it as PDF", ext)
	case ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".webp", ".heic", ".bmp", ".svg":
		return fmt.Sprintf("file type %s not read: an image has no text to read; a scanned page needs OCR first (ocrmypdf makes a PDF with text)", ext)
	case ".zip", ".tar", ".gz", ".tgz", ".7z", ".rar", ".xz", ".bz2":
		return fmt.Sprintf("file type %s not read: unpack the archive and give its documents", ext)
	}
	return fmt.Sprintf("file type %s not read: export it as PDF, or save it as .odt, .docx, Markdown, text or HTML", ext)
}

// systemFile reports files that a system or an editor leaves beside
// documents and that nobody means to import: Word's owner files ("~$" then
// the document's name, while it is open), LibreOffice's lock files (hidden
// anyway), Windows' thumbnails and folder settings. They are skipped
// without a word, as hidden files are.
func systemFile(name string) bool {
	switch strings.ToLower(name) {
	case "thumbs.db", "desktop.ini", "ehthumbs.db":
		return true
	}
	return strings.HasPrefix(name, "~$") || strings.HasPrefix(name, ".~lock.")
}

// ReadDocument reads one file into a Document with its passages. The error,
// when not nil, is a Problem saying why the file cannot be used (empty, not
// a valid PDF, encrypted...). Warnings are problems that did not stop the
// import, such as text read as Windows-1252.
func ReadDocument(path string, opts Options) (review.Document, []Problem, error) {
	opts.LaterLargeText = false
	d, _, warnings, err := readDocument(path, opts)
	return d, warnings, err
}

// readDocument is ReadDocument, and for a large plain text under
// Options.LaterLargeText, a document without its passages and the Later
// that reads them.
func readDocument(path string, opts Options) (review.Document, *Later, []Problem, error) {
	format, ok := formatOf(path)
	if !ok {
		return review.Document{}, nil, nil, Problem{File: path, Reason: unsupportedReason(path)}
	}
	info, err := os.Stat(path)
	if err != nil {
		return review.Document{}, nil, nil, Problem{File: path, Reason: statReason(err)}
	}
	switch {
	case info.IsDir():
		return review.Document{}, nil, nil, Problem{File: path, Reason: "is a directory, not a file"}
	case !info.Mode().IsRegular():
		return review.Document{}, nil, nil, Problem{File: path, Reason: notRegular(path, info)}
	case info.Size() > maxFileBytes:
		return review.Document{}, nil, nil, Problem{File: path, Reason: tooLargeDocument(info.Size())}
	}
	if format == "text" && opts.LaterLargeText && info.Size() > LargeTextBytes {
		return readLater(path, info, opts)
	}
	if format == "text" || format == "markdown" || format == "html" {
		t, err := readTextFile(path, info)
		if err := t.problem(path, err); err != nil {
			return review.Document{}, nil, nil, err
		}
		var ex extracted
		if t.warning != "" {
			ex.warnings = append(ex.warnings, Problem{File: path, Reason: t.warning})
		}
		if err := extractText(path, format, t.text, &ex); err != nil {
			return review.Document{}, nil, nil, err
		}
		return document(path, format, t.sha, ex, opts), nil, ex.warnings, nil
	}
	b, err := readWhole(path, info)
	if err != nil {
		return review.Document{}, nil, nil, Problem{File: path, Reason: readReason(path, err)}
	}
	d, w, err := readBytes(path, format, b, opts)
	return d, nil, w, err
}

func statErr(path string) error {
	_, err := os.Stat(path)
	return err
}

// readReason words an error of readTextFile or readWhole on path.
func readReason(path string, err error) string {
	switch {
	case errors.Is(err, errTooLarge):
		return tooLargeDocument(maxFileBytes + 1)
	case errors.Is(err, errChanged) && errors.Is(statErr(path), fs.ErrNotExist):
		return "the file disappeared while it was read: nothing of it is imported; check the disk or the USB key, then run again"
	case errors.Is(err, errChanged):
		return "the file changed while it was read (is it still being written or copied?): nothing of it is imported; run again once it is saved"
	}
	return statReason(err)
}

func binaryProblem(path string) Problem {
	return Problem{File: path, Reason: "binary data, not text: is it another kind of file renamed " + filepath.Ext(path) + "?"}
}

func tooLargeDocument(size int64) string {
	return fmt.Sprintf("file of %d MiB, more than the %d MiB a document may have: is it really a document?", size>>20, maxFileBytes>>20)
}

// readBytes is ReadDocument once the file's bytes are read.
func readBytes(path, format string, b []byte, opts Options) (review.Document, []Problem, error) {
	if len(b) == 0 {
		return review.Document{}, nil, Problem{File: path, Reason: "empty file"}
	}
	ex, err := extract(path, format, b, opts)
	if err != nil {
		return review.Document{}, nil, err
	}
	sum := sha256.Sum256(b)
	return document(path, format, hex.EncodeToString(sum[:]), ex, opts), ex.warnings, nil
}

// document makes the Document of a file whose text is extracted and whose
// bytes hash to sha.
func document(path, format, sha string, ex extracted, opts Options) review.Document {
	title := ex.title
	if title == "" {
		base := filepath.Base(path)
		title = oneLine(clean(strings.TrimSuffix(base, filepath.Ext(base))))
	}
	doc := review.Document{
		ID:     sha,
		Title:  truncateRunes(title, 200),
		Source: path,
		SHA256: sha,
		Format: format,
		Chars:  utf8.RuneCountInString(ex.text),
	}
	doc.Passages = makePassages(sha, ex.text, split(ex.text, ex.regions, opts.maxRunes()))
	return doc
}

// extracted is a document's text as a reader produced it: passages are
// offsets into text, within regions.
type extracted struct {
	text     string
	title    string
	regions  []span
	warnings []Problem
}

// extract runs the reader of format on a file's bytes.
func extract(path, format string, b []byte, opts Options) (extracted, error) {
	var ex extracted
	switch format {
	case "odt", "docx":
		var err error
		if format == "odt" {
			ex, err = odtText(b)
		} else {
			ex, err = docxText(b)
		}
		if err != nil {
			return ex, Problem{File: path, Reason: err.Error()}
		}
		if strings.TrimSpace(ex.text) == "" {
			return ex, Problem{File: path, Reason: "no text (only images, drawings or empty paragraphs): is it a scanned document? export it as PDF and run OCR (ocrmypdf)"}
		}
		return ex, nil
	}
	if format == "pdf" {
		res := extractPDF(b, func(pages int, limit time.Duration) {
			if opts.Notice != nil {
				opts.Notice(Problem{File: path, Reason: fmt.Sprintf("%d pages: reading may take up to %d min", pages, int(limit.Round(time.Minute)/time.Minute))})
			}
		})
		if res.reason != "" {
			return ex, Problem{File: path, Reason: res.reason}
		}
		ex.text, ex.regions = pdfText(res.pages)
		ex.title = pdfTitle(res.title)
		if ex.title == "" && len(ex.regions) > 0 {
			ex.title = firstLine(ex.text[:regionByteEnd(ex.text, ex.regions[0].end)], 200)
		}
		if len(res.pages) == 0 {
			return ex, Problem{File: path, Reason: "a PDF without any page: is the file complete? export or download it again"}
		}
		if strings.TrimSpace(ex.text) == "" {
			reason := fmt.Sprintf("no text in its %d pages: a scanned PDF? run OCR first (for example: ocrmypdf in.pdf out.pdf)", len(res.pages))
			if len(res.pages) == 1 {
				reason = "no text in its one page: a scanned PDF? run OCR first (for example: ocrmypdf in.pdf out.pdf)"
			}
			return ex, Problem{File: path, Reason: reason}
		}
		return ex, nil
	}
	if looksBinary(b) {
		return ex, binaryProblem(path)
	}
	s, warn := decode(b)
	if warn != "" {
		ex.warnings = append(ex.warnings, Problem{File: path, Reason: warn})
	}
	return ex, extractText(path, format, clean(s), &ex)
}

// extractText reads the regions and title of a text format's cleaned text
// into ex.
func extractText(path, format, text string, ex *extracted) error {
	ex.text = text
	switch format {
	case "markdown":
		ex.title, ex.regions = markdownRegions(ex.text)
	case "html":
		var err error
		if ex.text, ex.title, ex.regions, err = htmlText(ex.text); err != nil {
			return Problem{File: path, Reason: err.Error()}
		}
	default:
		ex.regions = []span{{start: 0, end: utf8.RuneCountInString(ex.text)}}
	}
	if strings.TrimSpace(ex.text) == "" {
		return Problem{File: path, Reason: "no text (only white space or markup)"}
	}
	return nil
}

// pdfTitle cleans a PDF's metadata title. Word processors often fill it with
// the source file's name ("Microsoft Word - rapport.docx") or a placeholder;
// the name is kept without its prefix and extension, a placeholder is
// dropped so that the first line of page 1 is used instead.
func pdfTitle(meta string) string {
	t := oneLine(clean(meta))
	t = strings.TrimPrefix(t, "Microsoft Word - ")
	switch ext := strings.ToLower(filepath.Ext(t)); ext {
	case ".doc", ".docx", ".odt", ".rtf", ".pdf", ".tex", ".indd", ".pages":
		t = strings.TrimSuffix(t, filepath.Ext(t))
	}
	switch strings.ToLower(t) {
	case "untitled", "sans titre", "title", "titre", "document", "()":
		return ""
	}
	return t
}

// regionByteEnd converts a rune offset of text into a byte offset.
func regionByteEnd(text string, runeEnd int) int {
	n := 0
	for i := range text {
		if n == runeEnd {
			return i
		}
		n++
	}
	return len(text)
}

// Result is everything Import read. Problems are the inputs that cannot be
// used, each with its reason; Warnings did not stop anything. Without
// --skip-invalid, any Problem means nothing is created; with it, Documents
// and Criteria hold what was valid and Problems what is skipped.
type Result struct {
	Documents []review.Document
	// Later holds, by document ID, the passages of the documents imported
	// without them (Options.LaterLargeText).
	Later    map[string]Later
	Criteria []review.Criterion
	Problems []Problem
	Warnings []Problem
}

// Import reads the documents (files or directories, see Expand) and the
// criteria file, and returns every problem of every input rather than
// stopping at the first, so that a facilitator can fix them all in one go.
// An empty criteria path reads no criteria. Documents are read in parallel
// and returned in the order of Expand; a document whose bytes are the same
// as an earlier one's is imported once, with a warning.
func Import(docs []string, criteria string, opts Options) Result {
	var res Result
	if criteria != "" {
		cs, probs := ReadCriteria(criteria)
		res.Criteria = cs
		res.Problems = append(res.Problems, probs...)
	}
	var dirs []string
	for _, d := range docs {
		if info, err := os.Stat(d); err == nil && info.IsDir() {
			dirs = append(dirs, d)
		}
	}
	files, probs := Expand(docs)
	res.Problems = append(res.Problems, probs...)

	type outcome struct {
		doc      review.Document
		later    *Later
		warnings []Problem
		err      error
	}
	out := make([]outcome, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				d, later, w, err := readDocument(files[i], opts)
				out[i] = outcome{d, later, w, err}
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	first := map[string]string{}
	for i, o := range out {
		res.Warnings = append(res.Warnings, o.warnings...)
		if o.err != nil {
			var p Problem
			if !errors.As(o.err, &p) {
				p = Problem{File: files[i], Reason: o.err.Error()}
			}
			res.Problems = append(res.Problems, p)
			continue
		}
		if prev, dup := first[o.doc.SHA256]; dup {
			res.Warnings = append(res.Warnings, Problem{File: files[i], Reason: "same content as " + prev + ", imported once"})
			continue
		}
		first[o.doc.SHA256] = files[i]
		res.Documents = append(res.Documents, o.doc)
		if o.later != nil {
			if res.Later == nil {
				res.Later = map[string]Later{}
			}
			res.Later[o.doc.ID] = *o.later
		}
	}
	res = vanished(res, dirs)
	sort.SliceStable(res.Problems, func(a, b int) bool { return res.Problems[a].File < res.Problems[b].File })
	return res
}

// vanished replaces the problems of every file under a folder that no
// longer exists (a USB key pulled out, a folder deleted during the import)
// by one problem naming the folder, and leaves out what was read from it:
// one sentence instead of one per file, and nothing half imported.
func vanished(res Result, dirs []string) Result {
	for _, d := range dirs {
		if _, err := os.Stat(d); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		prefix := filepath.Clean(d) + string(filepath.Separator)
		under := func(f string) bool {
			return strings.HasPrefix(filepath.Clean(f), prefix) || filepath.Clean(f) == filepath.Clean(d)
		}
		res.Problems = slices.DeleteFunc(res.Problems, func(p Problem) bool { return under(p.File) })
		res.Warnings = slices.DeleteFunc(res.Warnings, func(p Problem) bool { return under(p.File) })
		res.Documents = slices.DeleteFunc(res.Documents, func(doc review.Document) bool { return under(doc.Source) })
		res.Problems = append(res.Problems, Problem{File: d, Reason: "the folder disappeared while it was read: nothing is imported from it; check the disk or the USB key, then run again"})
	}
	return res
}
