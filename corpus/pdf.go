package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Bounds on one PDF. A damaged or hostile PDF must end in a Problem, never
// in a hang or in the machine running out of memory: each document has a
// total time, each page its own, and each PDFium instance a memory ceiling.
// They are variables so that tests can shorten them.
var (
	pdfDocTimeout  = 2 * time.Minute
	pdfPageTimeout = 30 * time.Second
)

// pdfMemoryPages is the most WebAssembly memory one PDFium instance may use,
// in 64 KiB pages: 512 MiB, room for a PDF of a few hundred megabytes.
const pdfMemoryPages = 8192

// The PDFium engine is started once, lazily, on the first PDF, and shared:
// compiling the WebAssembly module costs seconds (less than half a second
// when wazero's compilation cache on disk is warm), instantiating a worker
// from it is cheap. Each document gets a fresh worker, so nothing of one PDF
// (state, memory) is left for the next.
var engine struct {
	once sync.Once
	pool pdfium.Pool
	err  error
}

// pdfPool returns the shared PDFium pool, starting it on first use.
func pdfPool() (pdfium.Pool, error) {
	engine.once.Do(func() {
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCloseOnContextDone(true).
			WithMemoryLimitPages(pdfMemoryPages)
		if dir, err := os.UserCacheDir(); err == nil {
			// A cache that cannot be written only makes later starts slower.
			if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "revue", "wazero")); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
		n := runtime.GOMAXPROCS(0)
		engine.pool, engine.err = webassembly.Init(webassembly.Config{
			MinIdle:       0,
			MaxIdle:       n,
			MaxTotal:      n,
			RuntimeConfig: rc,
			// PDFs are handed over as bytes: the sandbox needs no file system.
			FSConfig: wazero.NewFSConfig(),
			Stdout:   io.Discard,
			Stderr:   io.Discard,
		})
		if engine.err != nil {
			engine.err = fmt.Errorf("the PDF reader (PDFium) could not start: %v", engine.err)
		}
	})
	return engine.pool, engine.err
}

// pdfResult is what extraction gives: the metadata title and the raw text of
// each page, or the reason it failed.
type pdfResult struct {
	title  string
	pages  []string
	reason string
}

// extractPDF reads a PDF's title and the text of its pages with PDFium. A
// failure is a reason a person can act on: an encrypted PDF, a damaged one,
// a PDF that takes too long.
func extractPDF(b []byte) pdfResult {
	if !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")) {
		return pdfResult{reason: "not a valid PDF (no %PDF header): is it another kind of file renamed .pdf?"}
	}
	pool, err := pdfPool()
	if err != nil {
		return pdfResult{reason: err.Error()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), pdfDocTimeout)
	defer cancel()
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		return pdfResult{reason: fmt.Sprintf("the PDF reader is busy or stopped: %v", err)}
	}

	done := make(chan pdfResult, 1)
	progress := make(chan struct{}, 1)
	go func() { done <- readPDFPages(inst, b, progress) }()

	page := time.NewTimer(pdfPageTimeout)
	defer page.Stop()
	for {
		select {
		case res := <-done:
			inst.Close()
			return res
		case <-progress:
			page.Reset(pdfPageTimeout)
		case <-page.C:
			// Kill interrupts the WebAssembly code (the runtime closes the
			// module when its context ends) and discards the worker.
			inst.Kill()
			return pdfResult{reason: fmt.Sprintf("one page took longer than %v to read: the PDF may be damaged; try printing it to a new PDF", pdfPageTimeout)}
		case <-ctx.Done():
			inst.Kill()
			return pdfResult{reason: fmt.Sprintf("reading took longer than %v: the PDF may be damaged; try printing it to a new PDF", pdfDocTimeout)}
		}
	}
}

// readPDFPages does the PDFium calls of extractPDF, signalling progress after
// each page so that the watchdog can tell a long document from a stuck page.
func readPDFPages(inst pdfium.Pdfium, b []byte, progress chan<- struct{}) (res pdfResult) {
	defer func() {
		if r := recover(); r != nil {
			res = pdfResult{reason: fmt.Sprintf("the PDF reader failed on this file (%v)", r)}
		}
	}()
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &b})
	if err != nil {
		return pdfResult{reason: openReason(err)}
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return pdfResult{reason: fmt.Sprintf("not a valid PDF: cannot count its pages (%v)", err)}
	}
	var title string
	if mt, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: "Title"}); err == nil {
		title = mt.Value
	}
	pages := make([]string, 0, count.PageCount)
	for i := range count.PageCount {
		pt, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return pdfResult{reason: fmt.Sprintf("page %d cannot be read: %v", i+1, err)}
		}
		pages = append(pages, pt.Text)
		select {
		case progress <- struct{}{}:
		default:
		}
	}
	return pdfResult{title: title, pages: pages}
}

// openReason says why PDFium could not open a document, in words that tell
// the facilitator what to do.
func openReason(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword) || strings.HasPrefix(msg, "4:"):
		return "encrypted PDF, remove the password first (for example: qpdf --decrypt --password=PASSWORD in.pdf out.pdf)"
	case errors.Is(err, pdfiumerrors.ErrSecurity) || strings.HasPrefix(msg, "5:"):
		return "encrypted PDF with an unsupported protection, remove it first (qpdf --decrypt)"
	case errors.Is(err, pdfiumerrors.ErrFormat) || strings.HasPrefix(msg, "3:"):
		return "not a valid PDF (damaged or truncated?): open it in a PDF viewer and save or print it again"
	case errors.Is(err, pdfiumerrors.ErrFile) || strings.HasPrefix(msg, "2:"):
		return "not a valid PDF: PDFium cannot read it"
	}
	return fmt.Sprintf("not a valid PDF: %v", err)
}

// pdfText joins the pages' text into the document's text, a blank line
// between pages, one region per page. PDFium marks a hyphen it found at a
// line end with U+0002 and joins the line: the word is rejoined without the
// hyphen only when the whole word appears elsewhere in the document (then
// the hyphen was a line break, surely), else the hyphen is kept, because
// French has many real compounds ("porte-parole").
func pdfText(pages []string) (text string, regions []span) {
	var words map[string]bool
	for _, p := range pages {
		if strings.IndexByte(p, 2) >= 0 {
			words = wordSet(pages)
			break
		}
	}
	var b strings.Builder
	runes := 0
	for i, p := range pages {
		p = strings.TrimSpace(clean(rejoinHyphens(p, words)))
		if i > 0 {
			b.WriteString("\n\n")
			runes += 2
		}
		n := utf8.RuneCountInString(p)
		regions = append(regions, span{start: runes, end: runes + n, page: i + 1})
		b.WriteString(p)
		runes += n
	}
	return b.String(), regions
}

// wordSet is the set of lower-case words of the pages, as written, for the
// hyphen rule of pdfText.
func wordSet(pages []string) map[string]bool {
	set := map[string]bool{}
	for _, p := range pages {
		for _, w := range strings.FieldsFunc(p, func(r rune) bool { return !unicode.IsLetter(r) }) {
			set[strings.ToLower(w)] = true
		}
	}
	return set
}

// rejoinHyphens replaces each U+0002 of PDFium, a hyphen at a line end, by
// nothing when the joined word is known, else by a hyphen.
func rejoinHyphens(p string, words map[string]bool) string {
	if strings.IndexByte(p, 2) < 0 {
		return p
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(p, 2)
		if i < 0 {
			b.WriteString(p)
			return b.String()
		}
		before, after := p[:i], p[i+1:]
		left := before[len(strings.TrimRightFunc(before, unicode.IsLetter)):]
		right := after[:len(after)-len(strings.TrimLeftFunc(after, unicode.IsLetter))]
		b.WriteString(before)
		if left == "" || right == "" || !words[strings.ToLower(left+right)] {
			b.WriteByte('-')
		}
		p = after
	}
}
