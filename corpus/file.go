package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/charmap"
)

// notRegular says why a path that is not a regular file cannot be read, or
// "" when it is one. It only looks at the file's type (Lstat, then Stat
// through a symbolic link), never opens it: opening a named pipe blocks
// until someone writes to it, and a device such as /dev/zero never ends, so
// either would hang `revue init` or fill its memory. info is from os.Stat.
func notRegular(path string, info fs.FileInfo) string {
	if info.Mode().IsRegular() {
		return ""
	}
	what := fileKind(info.Mode())
	if li, err := os.Lstat(path); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(path)
		return fmt.Sprintf("is a symbolic link to %s (%s), not a regular file: give the file itself", what, target)
	}
	return fmt.Sprintf("is %s, not a regular file: give a file saved on disk", what)
}

// fileKind names a file type that is not a regular file.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeIrregular != 0:
		return "a special file"
	}
	return "a special file"
}

// readRegular reads at most limit bytes of a file that os.Stat found
// regular. The file is opened without blocking (O_NONBLOCK, which changes
// nothing for a regular file) and checked again once open, so that a file
// swapped for a pipe or a device between the Stat and the open cannot hang
// the reading; and the reading stops after limit bytes whatever the size
// said. too reports a file that grew beyond limit.
func readRegular(path string, limit int64) (b []byte, too bool, err error) {
	f, _, err := openRegular(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	b, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) > limit {
		return nil, true, nil
	}
	return b, false, nil
}

var (
	errTooLarge = errors.New("file too large")
	errChanged  = errors.New("the file changed while it was read")
)

// openRegular opens a file that os.Stat found regular, without blocking,
// and checks again once open (see readRegular).
func openRegular(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%s, not a regular file", fileKind(info.Mode()))}
	}
	return f, info, nil
}

// unchanged reports whether a file open for reading still is what it was
// when it was listed (before) and opened (open): same size, same time of
// modification, and its name still leads to it. A file being written,
// copied or replaced while it is read fails one of them, and is refused
// rather than imported half.
func unchanged(f *os.File, path string, before, open fs.FileInfo, read int64) bool {
	now, err := f.Stat()
	if err != nil || now.Size() != read || open.Size() != read || before.Size() != read ||
		!now.ModTime().Equal(open.ModTime()) || !before.ModTime().Equal(open.ModTime()) {
		return false
	}
	again, err := os.Stat(path)
	return err == nil && os.SameFile(again, now)
}

// readWhole reads a binary document (PDF, .odt, .docx) whole, into a buffer
// of its size, and checks that it did not change meanwhile.
func readWhole(path string, before fs.FileInfo) ([]byte, error) {
	f, info, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > maxFileBytes {
		return nil, errTooLarge
	}
	// A buffer of the file's size, and the room bytes.Buffer wants to see
	// the end, so that reading never copies it into a larger one.
	buf := bytes.NewBuffer(make([]byte, 0, info.Size()+bytes.MinRead+1))
	if _, err := buf.ReadFrom(io.LimitReader(f, maxFileBytes+1)); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if int64(len(b)) > maxFileBytes {
		return nil, errTooLarge
	}
	if !unchanged(f, path, before, info, int64(len(b))) {
		return nil, errChanged
	}
	return b, nil
}

// textFile is a text document read by readTextFile.
type textFile struct {
	text    string // decoded and cleaned
	sha     string // of the bytes
	size    int64
	binary  bool   // NUL bytes near the start: not text
	warning string // how it was decoded, when not UTF-8
}

// problem is the Problem of a text file that cannot be imported, read
// with err: unreadable, empty or binary; nil otherwise.
func (t textFile) problem(path string, err error) error {
	switch {
	case err != nil:
		return Problem{File: path, Reason: readReason(path, err)}
	case t.size == 0:
		return Problem{File: path, Reason: "empty file"}
	case t.binary:
		return binaryProblem(path)
	}
	return nil
}

// textChunk is how much of a text file is read at a time; a variable so
// that tests can cut runes and escape sequences across chunks.
var textChunk = 1 << 20

// betweenPasses is called between readTextFile's two readings; tests change
// the file there.
var betweenPasses = func(path string) {}

// readTextFile reads a text document (plain text, Markdown, HTML) in two
// passes of 1 MiB, so that its memory is the text it keeps and little
// more, whatever its size: the first hashes it and finds whether it is
// UTF-8 (else it is read as Windows-1252, as decode does), the second
// decodes and cleans it into one string of about its size, hashing it
// again. A file of less than a chunk is read once and both passes work on
// its bytes. A file whose two readings differ, or whose size, time or
// identity changed, is errChanged. A UTF-16 file (a byte order mark) is
// read whole by decode.
func readTextFile(path string, before fs.FileInfo) (textFile, error) {
	return readTextFileTo(path, before, nil)
}

// readTextFileTo is readTextFile giving the cleaned text to sink, when not
// nil, piece by piece as it is cleaned, instead of keeping it (t.text is
// then empty): a big plain text is cut into passages as it is read
// (textSplitter). The pieces, joined, are readTextFile's text; the file is
// errChanged, as there, only once every piece is given.
func readTextFileTo(path string, before fs.FileInfo, sink func(string)) (textFile, error) {
	var t textFile
	f, info, err := openRegular(path)
	if err != nil {
		return t, err
	}
	defer f.Close()
	if info.Size() > maxFileBytes {
		return t, errTooLarge
	}
	// Buffers of the file's size for a small file (most pads are a few
	// kilobytes), of a chunk for a large one.
	chunk := int(min(int64(textChunk), info.Size()+1))
	buf := make([]byte, chunk)
	h := sha256.New()
	var head []byte
	valid := true
	var tail []byte // an incomplete UTF-8 sequence at a chunk's end
	scratch := make([]byte, 0, chunk+300)
	n, err := readChunks(f, buf, func(c []byte) {
		h.Write(c)
		if len(head) < 8000 {
			head = append(head, c[:min(len(c), 8000-len(head))]...)
		}
		if valid {
			scratch = append(append(scratch[:0], tail...), c...)
			k := incompleteTail(scratch)
			valid = utf8.Valid(scratch[:len(scratch)-k])
			tail = append(tail[:0], scratch[len(scratch)-k:]...)
		}
	})
	if err != nil {
		return t, err
	}
	t.size = n
	if n > maxFileBytes {
		return t, errTooLarge
	}
	if len(tail) > 0 {
		valid = false
	}
	if n == 0 || looksBinary(head) {
		t.binary = n > 0
		return t, nil
	}
	t.sha = hex.EncodeToString(h.Sum(nil))
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		b, err := readWhole(path, before)
		if err != nil {
			return t, err
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != t.sha {
			return t, errChanged
		}
		s, warn := decode(b)
		t.text, t.warning = clean(s), warn
		if sink != nil {
			sink(t.text)
			t.text = ""
		}
		return t, nil
	}

	var out strings.Builder
	if !valid {
		t.warning = "not UTF-8, read as Windows-1252: check the accents"
	}
	switch {
	case sink != nil:
		out.Grow(chunk + chunk/8)
	case valid:
		out.Grow(int(n))
	default:
		out.Grow(int(n + n/8))
	}
	h2 := sha256.New()
	dec := charmap.Windows1252.NewDecoder()
	var decoded []byte
	if !valid {
		decoded = make([]byte, 3*chunk)
	}
	first := true
	var carry []byte // bytes held for the next chunk: a cut rune, \r, an escape sequence
	process := func(c []byte) {
		h2.Write(c)
		if first && valid {
			c = bytes.TrimPrefix(c, []byte{0xEF, 0xBB, 0xBF})
		}
		first = false
		if !valid {
			// Windows-1252 maps each byte to one rune: a chunk decodes
			// whole, into a buffer kept from chunk to chunk.
			dec.Reset()
			nd, _, _ := dec.Transform(decoded[:cap(decoded)], c, true)
			c = decoded[:nd]
		}
		c = append(append(scratch[:0], carry...), c...)
		scratch = c
		k := 0
		if valid {
			k = incompleteTail(c)
		}
		// Cut after the chunk's last line end, so that a \r\n or an
		// escape sequence is cleaned whole; a chunk without one is cut
		// before its last escape character or \r.
		if i := bytes.LastIndexByte(c[:len(c)-k], '\n'); i >= 0 && len(c)-k-i < 64<<10 {
			k = len(c) - i - 1
		} else if i := bytes.LastIndexByte(c[max(len(c)-k-256, 0):len(c)-k], 0x1b); i >= 0 {
			k = len(c) - (max(len(c)-k-256, 0) + i)
		} else if len(c) > k && c[len(c)-k-1] == '\r' {
			k++
		}
		piece := c[:len(c)-k]
		if bytes.IndexByte(piece, 0x1b) >= 0 {
			out.WriteString(clean(string(piece)))
		} else {
			// A view of the chunk, not a copy: cleanInto only reads it,
			// before the chunk is reused.
			cleanInto(&out, unsafe.String(unsafe.SliceData(piece), len(piece)))
		}
		carry = append(carry[:0], c[len(c)-k:]...)
		if sink != nil {
			sink(out.String())
			out = strings.Builder{}
			out.Grow(chunk + chunk/8)
		}
	}
	betweenPasses(path)
	n2 := n
	if n < int64(len(buf)) {
		// The file fit in one chunk (most pads do): its bytes are still
		// in buf, and a second reading would only cost time; unchanged
		// below still tells a file changed meanwhile.
		process(buf[:n])
	} else {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return t, err
		}
		if n2, err = readChunks(f, buf, process); err != nil {
			return t, err
		}
	}
	out.WriteString(clean(string(carry)))
	if sink != nil {
		sink(out.String())
		out = strings.Builder{}
	}
	if n2 != n || hex.EncodeToString(h2.Sum(nil)) != t.sha || !unchanged(f, path, before, info, n) {
		return t, errChanged
	}
	t.text = out.String()
	return t, nil
}

// readChunks reads f to its end (or past maxFileBytes) in chunks of buf's
// size, giving each to use, and returns the count of bytes read.
func readChunks(f *os.File, buf []byte, use func([]byte)) (int64, error) {
	var n int64
	for n <= maxFileBytes {
		k, err := io.ReadFull(f, buf)
		if k > 0 {
			n += int64(k)
			use(buf[:k])
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// incompleteTail is the length of an incomplete UTF-8 sequence at the end
// of b (0 to 3 bytes), to be completed by the next chunk.
func incompleteTail(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return 0
		}
		if c >= 0xC0 { // a leading byte: complete if it has its k-1 followers
			need := 2
			switch {
			case c >= 0xF0:
				need = 4
			case c >= 0xE0:
				need = 3
			}
			if need > k {
				return k
			}
			return 0
		}
	}
	return 0
}
