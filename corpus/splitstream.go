package corpus

import (
	"io/fs"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/review"
)

// textSplitter cuts a plain text given piece by piece into the passages
// that split gives for the whole text as one region (a text file's): the
// same cuts, holding only the text from the cursor on, at least max+1
// runes of it until the end. A 200 MB text file is then cut as it is read,
// without being held whole.
type textSplitter struct {
	max    int
	buf    string // the text not yet cut, from byte b on
	b, r   int    // the cursor: byte offset in buf, rune offset in the text
	window []rune
	bounds [levels][]int
	// emit is given each passage's span and text (its own copy, buf is
	// let go); an error stops the cut and is returned by feed.
	emit func(sp span, text string) error
	err  error
}

func newTextSplitter(maxRunes int, emit func(span, string) error) *textSplitter {
	if maxRunes < minPassageRunes {
		maxRunes = minPassageRunes
	}
	return &textSplitter{max: maxRunes, window: make([]rune, 0, maxRunes+1), emit: emit}
}

// feed gives the next piece of the text, eof with the last one (which may
// be empty), and cuts what can be cut: everything at the end, else while
// the window split looks at is whole in buf.
func (t *textSplitter) feed(piece string, eof bool) error {
	if t.err != nil {
		return t.err
	}
	t.buf = t.buf[t.b:] + piece
	t.b = 0
	need := utf8.UTFMax * (t.max + 2)
	for t.b < len(t.buf) && (eof || len(t.buf)-t.b >= need) {
		if t.err = t.step(); t.err != nil {
			return t.err
		}
	}
	if eof {
		t.buf = ""
	}
	return nil
}

// step is one turn of split's loop within a region that ends with the text.
func (t *textSplitter) step() error {
	text := t.buf
	c, n := utf8.DecodeRuneInString(text[t.b:])
	if unicode.IsSpace(c) {
		t.r, t.b = t.r+1, t.b+n
		return nil
	}
	window := t.window[:0]
	for i := t.b; len(window) <= t.max && i < len(text); {
		c, n := utf8.DecodeRuneInString(text[i:])
		window = append(window, c)
		i += n
	}
	t.window = window
	cut, z, zn := cutWindow(window, t.max, &t.bounds)
	zb := t.b + zn
	if z > 0 {
		if err := t.emit(span{start: t.r, end: t.r + z}, strings.Clone(text[t.b:zb])); err != nil {
			return err
		}
	}
	t.r, t.b = t.r+z, zb
	// Past the white space after the cut, as split's seek.
	for range cut - z {
		_, n := utf8.DecodeRuneInString(text[t.b:])
		t.b += n
		t.r++
	}
	return nil
}

// passageMaker numbers the passages of the document whose SHA-256 is sha
// as makePassages does.
type passageMaker struct {
	prefix, sha string
	n           int
}

func newPassageMaker(sha string) *passageMaker {
	prefix := sha
	if len(prefix) > 12 {
		prefix = prefix[:12]
	}
	return &passageMaker{prefix: prefix, sha: sha}
}

func (m *passageMaker) next(sp span, text string) review.Passage {
	m.n++
	return review.Passage{ID: m.prefix + "-p" + strconv.Itoa(m.n), Document: m.sha, Index: m.n, Text: text, Start: sp.start, End: sp.end}
}

// readLater imports a large plain text file without its passages
// (Options.LaterLargeText): it reads the file as ReadDocument does, cutting
// it as it is read to count the passages and characters, keeps nothing of
// the text, and returns the Later that reads and cuts it again.
func readLater(path string, info fs.FileInfo, opts Options) (review.Document, *Later, []Problem, error) {
	chars, passages, blank := 0, 0, true
	sp := newTextSplitter(opts.maxRunes(), func(span, string) error { passages++; return nil })
	t, err := readTextFileTo(path, info, func(piece string) {
		chars += utf8.RuneCountInString(piece)
		blank = blank && strings.TrimSpace(piece) == ""
		sp.feed(piece, false)
	})
	if err := t.problem(path, err); err != nil {
		return review.Document{}, nil, nil, err
	}
	sp.feed("", true)
	var warnings []Problem
	if t.warning != "" {
		warnings = append(warnings, Problem{File: path, Reason: t.warning})
	}
	if blank {
		return review.Document{}, nil, nil, Problem{File: path, Reason: "no text (only white space or markup)"}
	}
	doc := document(path, "text", t.sha, extracted{}, opts)
	doc.Chars, doc.Passages = chars, nil
	sha := t.sha
	read := func(yield func(review.Passage) error) error {
		m := newPassageMaker(sha)
		sp := newTextSplitter(opts.maxRunes(), func(s span, text string) error { return yield(m.next(s, text)) })
		var stop error
		t, err := readTextFileTo(path, info, func(piece string) {
			if stop == nil {
				stop = sp.feed(piece, false)
			}
		})
		if stop == nil && err == nil {
			stop = sp.feed("", true)
		}
		switch {
		case stop != nil:
			return stop
		case err == nil && (t.sha != sha || m.n != passages):
			err = errChanged
		}
		if err != nil {
			return Problem{File: path, Reason: readReason(path, err)}
		}
		return nil
	}
	return doc, &Later{Passages: passages, Read: read}, warnings, nil
}
