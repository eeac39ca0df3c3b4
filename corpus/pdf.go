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
// total time that grows with its pages (a valid 5,819-page PDF was refused
// after a fixed 2 minutes), each page its own, and each PDFium instance a
// memory ceiling, which bounds what a PDF may decompress. They are
// variables so that tests can shorten them.
var (
	pdfDocTimeout     = time.Minute            // plus pdfTimePerPage a page
	pdfTimePerPage    = 100 * time.Millisecond // ten times what a page takes on a slow laptop
	pdfPageTimeout    = 30 * time.Second
	pdfManyPages      = 500 // from this many pages, the reading time is said
	pdfMemoryMiB      = 192 // WebAssembly memory of one PDFium instance
	pdfMemoryBudgetMB = 400 // of all the PDFium instances at once
)

// pdfDocLimit is how long reading a PDF of pages pages may take.
func pdfDocLimit(pages int) time.Duration {
	return pdfDocTimeout + time.Duration(pages)*pdfTimePerPage
}

// pdfWorkers is how many PDFs are read at once: as many as the memory
// budget of the PDF readers allows (each may use pdfMemoryMiB, and a
// compressed bomb does), at most one a core, at least one. Cores alone
// made four bombs take 4 GB on a 4-core laptop.
func pdfWorkers() int {
	return max(1, min(runtime.GOMAXPROCS(0), pdfMemoryBudgetMB/pdfMemoryMiB))
}

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
			WithMemoryLimitPages(uint32(pdfMemoryMiB) << 4) // 16 pages of 64 KiB a MiB
		if dir, err := os.UserCacheDir(); err == nil {
			// A cache that cannot be written only makes later starts slower.
			if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "revue", "wazero")); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
		n := pdfWorkers()
		engine.pool, engine.err = webassembly.Init(webassembly.Config{
			// Each instance's memory is a mapping committed as it is used
			// (pdfmem_unix.go), not a slice copied as it grows.
			Context:       experimental.WithMemoryAllocator(context.Background(), pdfMemoryAllocator()),
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
// one that needs more memory than a PDF may have, one that takes too long.
// onPages, when not nil, is told the page count and the time the reading
// may take when the PDF has pdfManyPages pages or more.
func extractPDF(b []byte, onPages func(pages int, limit time.Duration)) pdfResult {
	if !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")) {
		return pdfResult{reason: "not a valid PDF (no %PDF header): is it another kind of file renamed .pdf?"}
	}
	pool, err := pdfPool()
	if err != nil {
		return pdfResult{reason: err.Error()}
	}
	inst, err := pool.GetInstanceWithContext(context.Background())
	if err != nil {
		return pdfResult{reason: fmt.Sprintf("the PDF reader is busy or stopped: %v", wasmError(err))}
	}

	done := make(chan pdfResult, 1)
	progress := make(chan struct{}, 1)
	counted := make(chan int, 1)
	go func() { done <- readPDFPages(inst, b, progress, counted) }()

	page := time.NewTimer(pdfPageTimeout)
	defer page.Stop()
	limit := pdfDocLimit(0)
	doc := time.NewTimer(limit)
	defer doc.Stop()
	for {
		select {
		case res := <-done:
			inst.Close()
			return res
		case n := <-counted:
			// The time a document may take grows with its pages, and a
			// long one is said, so that nobody waits without knowing.
			limit = pdfDocLimit(n)
			doc.Reset(limit)
			if n >= pdfManyPages && onPages != nil {
				onPages(n, limit)
			}
		case <-progress:
			page.Reset(pdfPageTimeout)
		case <-page.C:
			// Kill interrupts the WebAssembly code (the runtime closes the
			// module when its context ends) and discards the worker.
			inst.Kill()
			return pdfResult{reason: fmt.Sprintf("one page took longer than %v to read: the PDF may be damaged; try printing it to a new PDF", pdfPageTimeout)}
		case <-doc.C:
			inst.Kill()
			return pdfResult{reason: fmt.Sprintf("reading took longer than %v: the PDF may be damaged; try printing it to a new PDF", roundDuration(limit))}
		}
	}
}

// readPDFPages does the PDFium calls of extractPDF: it tells the page count
// on counted, then signals progress after each page, so that the watchdog
// can tell a long document from a stuck page.
func readPDFPages(inst pdfium.Pdfium, b []byte, progress chan<- struct{}, counted chan<- int) (res pdfResult) {
	defer func() {
		if r := recover(); r != nil {
			res = pdfResult{reason: pdfCrash()}
		}
	}()
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &b})
	if err != nil {
		return pdfResult{reason: openReason(err)}
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return pdfResult{reason: fmt.Sprintf("not a valid PDF: cannot count its pages (%v)", wasmError(err))}
	}
	counted <- count.PageCount
	var title string
	if mt, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: "Title"}); err == nil {
		title = mt.Value
	}
	pages := make([]string, 0, min(count.PageCount, 100000))
	for i := range count.PageCount {
		pt, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			if isWasmFailure(err) {
				return pdfResult{reason: pdfCrash()}
			}
			return pdfResult{reason: fmt.Sprintf("page %d cannot be read: %v", i+1, wasmError(err))}
		}
		pages = append(pages, pt.Text)
		select {
		case progress <- struct{}{}:
		default:
		}
	}
	return pdfResult{title: title, pages: pages}
}

// isWasmFailure reports an error of the WebAssembly machine itself (a trap:
// PDFium ran out of its memory and aborted, or crashed), not one PDFium
// returned.
func isWasmFailure(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "wasm error") || strings.Contains(msg, "wasm stack trace") || strings.Contains(msg, "module closed")
}

// pdfCrash is the reason given when PDFium stopped on a file: most often it
// needed more memory than a PDF may have (a compressed bomb inflates to
// gigabytes), else the file made it crash. The WebAssembly stack trace
// wazero attaches is for developers, not for the facilitator: it is left
// out.
func pdfCrash() string {
	return fmt.Sprintf("the PDF reader stopped on this file: it needs more than %d MiB of memory to be read (a compressed bomb?) or it is damaged; try printing it to a new PDF", pdfMemoryMiB)
}

// wasmError is err's message without the WebAssembly stack trace wazero
// appends, on one line.
func wasmError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "wasm stack trace"); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimRight(oneLine(msg), " :")
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
	if isWasmFailure(err) {
		return pdfCrash()
	}
	return fmt.Sprintf("not a valid PDF: %v", wasmError(err))
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
