package corpus

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// TestMain lets the test binary run as the child of the memory tests: with
// REVUE_MEM_IMPORT set, it imports the paths listed there (separated by
// the path list separator), prints a line about the result and exits, so
// that the parent reads the child's peak resident memory alone.
func TestMain(m *testing.M) {
	if paths := os.Getenv("REVUE_MEM_IMPORT"); paths != "" {
		res := Import(filepath.SplitList(paths), "", Options{})
		chars := 0
		for _, d := range res.Documents {
			chars += d.Chars
		}
		fmt.Printf("documents %d chars %d problems %d\n", len(res.Documents), chars, len(res.Problems))
		for _, p := range res.Problems {
			fmt.Println(p.Error())
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// importPeak imports paths in a child process and returns its peak
// resident memory in bytes (getrusage's ru_maxrss) and what it printed.
func importPeak(t *testing.T, paths ...string) (int64, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "REVUE_MEM_IMPORT="+strings.Join(paths, string(filepath.ListSeparator)))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this system")
	}
	return ru.Maxrss << 10, string(out) // kilobytes on Linux
}

// TestImportMemoryText imports a 200 MB text file in a child process: its
// peak memory stays under 300 MB (it was 2.84 GB), the text itself being
// 200 MB of it. Skipped with -short (.ci/quick): it writes 200 MB.
func TestImportMemoryText(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200 MB file; run without -short")
	}
	path := filepath.Join(t.TempDir(), "enorme.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	line := "Les membres de la coopérative décident ensemble des règles, et chacun peut en proposer la révision.\n"
	for written := 0; written < 200<<20; written += len(line) {
		w.WriteString(line)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	peak, out := importPeak(t, path)
	t.Logf("200 MB text file: peak RSS %d MB (%s)", peak>>20, strings.TrimSpace(out))
	if !strings.HasPrefix(out, "documents 1 ") {
		t.Fatalf("import: %s", out)
	}
	if peak > 300<<20 {
		t.Errorf("peak RSS %d MB for a 200 MB text file, more than 300 MB", peak>>20)
	}
}

// pdfBomb writes a PDF of one page whose content stream, about a
// thousandth of its size on disk, inflates to size bytes: the "compressed
// bomb" of the issue. Each bomb differs by its text, so that none is
// skipped as a duplicate.
func pdfBomb(t testing.TB, path string, size int, tag string) {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	fmt.Fprintf(zw, "BT /F1 12 Tf 72 720 Td (%s) Tj ET\n", tag)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for n := 0; n < size; n += len(chunk) {
		zw.Write(chunk)
	}
	zw.Close()
	writePDF(t, path, [][]byte{z.Bytes()})
}

// writePDF writes a PDF whose pages have the given content streams, each
// compressed with FlateDecode, in Helvetica.
func writePDF(t testing.TB, path string, streams [][]byte) {
	var b bytes.Buffer
	var offsets []int
	obj := func(format string, a ...any) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, format, a...)
	}
	b.WriteString("%PDF-1.7\n")
	obj("1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n")
	var kids strings.Builder
	for i := range streams {
		fmt.Fprintf(&kids, "%d 0 R ", 4+2*i)
	}
	obj("2 0 obj <</Type /Pages /Kids [%s] /Count %d>> endobj\n", kids.String(), len(streams))
	obj("3 0 obj <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>> endobj\n")
	for i, st := range streams {
		obj("%d 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources <</Font <</F1 3 0 R>>>>>> endobj\n", 4+2*i, 5+2*i)
		obj("%d 0 obj <</Length %d /Filter /FlateDecode>> stream\n", 5+2*i, len(st))
		b.Write(st)
		b.WriteString("\nendstream endobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer <</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPDFManyPagesSaid reads a PDF of 600 pages: its time limit is the
// base and 100 ms a page, and it is said through Options.Notice before
// the reading ends.
func TestPDFManyPagesSaid(t *testing.T) {
	var streams [][]byte
	for i := range 600 {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		fmt.Fprintf(zw, "BT /F1 12 Tf 72 720 Td (Page %d : les communs.) Tj ET\n", i+1)
		zw.Close()
		streams = append(streams, z.Bytes())
	}
	path := filepath.Join(t.TempDir(), "long.pdf")
	writePDF(t, path, streams)
	var notices []Problem
	var mu sync.Mutex
	doc, _, err := ReadDocument(path, Options{Notice: func(p Problem) {
		mu.Lock()
		notices = append(notices, p)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Passages) == 0 || doc.Passages[len(doc.Passages)-1].Page != 600 {
		t.Errorf("last passage on page %d", doc.Passages[len(doc.Passages)-1].Page)
	}
	if len(notices) != 1 || notices[0].Error() != path+": 600 pages: reading may take up to 2 min" {
		t.Errorf("notices %v", notices)
	}
}

// TestImportMemoryPDFBombs imports four PDF bombs at once in a child
// process: each is refused with a sentence, no WebAssembly stack trace,
// and the child's peak memory stays under 500 MB (it was 2.95-3.97 GB).
func TestImportMemoryPDFBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("makes four PDF bombs; run without -short")
	}
	dir := t.TempDir()
	for i := range 4 {
		pdfBomb(t, filepath.Join(dir, fmt.Sprintf("bombe%d.pdf", i)), 600<<20, fmt.Sprintf("Bombe %d", i))
	}
	peak, out := importPeak(t, dir)
	t.Logf("four PDF bombs: peak RSS %d MB\n%s", peak>>20, out)
	if strings.Contains(out, "wasm") || strings.Contains(out, "goroutine") {
		t.Errorf("a stack trace reached the messages:\n%s", out)
	}
	if peak > 500<<20 {
		t.Errorf("peak RSS %d MB for four PDF bombs, more than 500 MB", peak>>20)
	}
}
