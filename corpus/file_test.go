package corpus

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium/requests"
)

// watchFIFO reports whether anything opened the named pipe at path for
// reading while it ran. It tries, again and again, to open the pipe for
// writing without blocking, which succeeds only when a reader has it open;
// then it closes it at once, which gives that reader an end of file, so a
// reader that should not have opened the pipe is caught, not left hanging.
func watchFIFO(t *testing.T, path string) (stop func() (opened bool)) {
	t.Helper()
	var opened atomic.Bool
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-quit:
				return
			default:
			}
			if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				opened.Store(true)
				f.Close()
			}
			runtime.Gosched()
		}
	}()
	return func() bool {
		close(quit)
		<-done
		return opened.Load()
	}
}

// specialFiles makes, in a fresh directory, a named pipe, a socket and
// symbolic links to them and to /dev/zero, all with a name that would
// otherwise be read (.md).
func specialFiles(t *testing.T) (fifo string, cases []struct{ name, path, reason string }) {
	t.Helper()
	dir := t.TempDir()
	fifo = filepath.Join(dir, "tube.md")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	sock := filepath.Join(dir, "prise.md")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	link := func(name, target string) string {
		p := filepath.Join(dir, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases = []struct{ name, path, reason string }{
		{"a named pipe", fifo, "is a named pipe (FIFO), not a regular file"},
		{"a link to a named pipe", link("lien-tube.md", fifo), "is a symbolic link to a named pipe (FIFO)"},
		{"a socket", sock, "is a socket, not a regular file"},
		{"a link to /dev/zero", link("zero.md", "/dev/zero"), "is a symbolic link to a character device (/dev/zero)"},
	}
	return fifo, cases
}

// TestCriteriaNotRegular gives a named pipe, a socket, /dev/zero and links
// to them as the criteria file: each is refused by name, and the pipe is
// never opened (opening it would block until someone writes to it).
func TestCriteriaNotRegular(t *testing.T) {
	fifo, cases := specialFiles(t)
	cases = append(cases, struct{ name, path, reason string }{"/dev/zero", "/dev/zero", "is a character device, not a regular file"})
	stop := watchFIFO(t, fifo)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			crit, probs := ReadCriteria(tt.path)
			if len(crit) != 0 || len(probs) != 1 || probs[0].File != tt.path || !strings.Contains(probs[0].Reason, tt.reason) {
				t.Fatalf("ReadCriteria(%s) = %v, %v; want one problem naming it with %q", tt.path, crit, probs, tt.reason)
			}
		})
	}
	if stop() {
		t.Error("the named pipe was opened for reading")
	}
}

// TestDocumentNotRegular does the same for documents, given by name and
// through Import.
func TestDocumentNotRegular(t *testing.T) {
	fifo, cases := specialFiles(t)
	stop := watchFIFO(t, fifo)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadDocument(tt.path, Options{})
			var p Problem
			if !errors.As(err, &p) || p.File != tt.path || !strings.Contains(p.Reason, tt.reason) {
				t.Fatalf("ReadDocument(%s) = %v; want a problem naming it with %q", tt.path, err, tt.reason)
			}
			files, probs := Expand([]string{tt.path})
			if len(files) != 0 || len(probs) != 1 || !strings.Contains(probs[0].Reason, tt.reason) {
				t.Fatalf("Expand(%s) = %q, %v; want one problem with %q", tt.path, files, probs, tt.reason)
			}
		})
	}
	if stop() {
		t.Error("the named pipe was opened for reading")
	}
}

// TestReadRegularLimit checks the bound of readRegular itself, which holds
// even if the file grew after its Stat.
func TestReadRegularLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.md")
	if err := os.WriteFile(p, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, too, err := readRegular(p, 10); err != nil || too || string(b) != "0123456789" {
		t.Fatalf("limit 10: %q %v %v", b, too, err)
	}
	if b, too, err := readRegular(p, 9); err != nil || !too || b != nil {
		t.Fatalf("limit 9: %q %v %v, want too large", b, too, err)
	}
	if _, _, err := readRegular("/dev/zero", 9); err == nil || !strings.Contains(err.Error(), "character device") {
		t.Fatalf("/dev/zero: %v, want refused once open", err)
	}
}

// TestHTMLTooDeep checks that a page nested deeper than the HTML parser
// accepts is refused for that reason, not called empty.
func TestHTMLTooDeep(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pad.html")
	src := "<html><body>" + strings.Repeat("<div>", 600) + "Le texte est là." + strings.Repeat("</div>", 600) + "</body></html>"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := ReadDocument(p, Options{})
	var pr Problem
	if !errors.As(err, &pr) || !strings.Contains(pr.Reason, "nested too deep") || strings.Contains(pr.Reason, "no text") {
		t.Fatalf("err = %v, want a problem saying it is nested too deep", err)
	}
	// Just under the limit, the page reads.
	src = "<html><body>" + strings.Repeat("<div>", 400) + "Le texte est là." + strings.Repeat("</div>", 400) + "</body></html>"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if doc, _, err := ReadDocument(p, Options{}); err != nil || !strings.Contains(allText(doc), "Le texte est là.") {
		t.Fatalf("400 levels: %v, %q", err, allText(doc))
	}
}

// blankPDF is a PDF of n pages without any text, as a scanner without
// OCR leaves one (pdfium rebuilds the cross-reference table it lacks).
func blankPDF(n int) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[")
	for i := range n {
		fmt.Fprintf(&b, "%d 0 R ", i+3)
	}
	fmt.Fprintf(&b, "]/Count %d>> endobj\n", n)
	for i := range n {
		fmt.Fprintf(&b, "%d 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>> endobj\n", i+3)
	}
	b.WriteString("trailer <</Root 1 0 R>>\n%%EOF\n")
	return []byte(b.String())
}

// TestPDFWithoutTextCountsItsPages: a PDF without text is said to be
// scanned, its pages counted in words that agree with their number (never
// "page(s)").
func TestPDFWithoutTextCountsItsPages(t *testing.T) {
	for n, want := range map[int]string{1: "no text in its one page: a scanned PDF?", 2: "no text in its 2 pages: a scanned PDF?"} {
		p := filepath.Join(t.TempDir(), "scan.pdf")
		if err := os.WriteFile(p, blankPDF(n), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := ReadDocument(p, Options{})
		var pr Problem
		if !errors.As(err, &pr) || !strings.HasPrefix(pr.Reason, want) {
			t.Errorf("%d blank pages: err = %v, want a problem starting %q", n, err, want)
		}
	}
}

// TestPDFNoPage checks that a PDF without any page is not called a scanned
// PDF: there is nothing to OCR.
func TestPDFNoPage(t *testing.T) {
	pool, err := pdfPool()
	if err != nil {
		t.Fatal(err)
	}
	inst, err := pool.GetInstance(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	out, err := inst.FPDF_CreateNewDocument(&requests.FPDF_CreateNewDocument{})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := inst.FPDF_SaveAsCopy(&requests.FPDF_SaveAsCopy{Document: out.Document})
	inst.Close()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "vide.pdf")
	if err := os.WriteFile(p, *saved.FileBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = ReadDocument(p, Options{})
	var pr Problem
	if !errors.As(err, &pr) || !strings.Contains(pr.Reason, "without any page") || strings.Contains(pr.Reason, "scanned") {
		t.Fatalf("err = %v, want a problem saying the PDF has no page", err)
	}
}
