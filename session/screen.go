package session

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// screen is the renderer of one SSH session, used instead of Bubble Tea's.
// Bubble Tea's renderer wakes every program 60 times a second to compare a
// frame that has usually not changed (18,000 wake-ups a second for a room
// of 300 doing nothing), and diffs cell buffers of 240 bytes a cell for
// every screen separately, even when two hundred followers show the same
// link. screen draws only when the interface gives it a new frame: a
// goroutine per session sleeps on a one-slot channel and, when woken,
// writes what changed from the last frame it sent to the newest one, so a
// slow client misses intermediate frames without delaying anyone. What it
// writes for a pair (last frame, new frame) depends on nothing else than
// the pair, the size and the colour profile, so the bytes are computed once
// in a cache shared by every session (frames), and followers whose screens
// show the same thing share one computation and the same bytes.
//
// The frames are the interface's: lines separated by newlines, each padded
// or not, with SGR styles. The screen is drawn line by line with absolute
// cursor moves in the alternate screen, autowrap off, so that no newline
// depends on the terminal's line discipline and a line one cell too wide
// cannot scroll the screen.
type screen struct {
	out     io.Writer
	profile colorprofile.Profile

	mu      sync.Mutex
	content string // the newest frame
	title   string
	w, h    int
	fresh   bool // the next draw is a full one (first frame, new size)
	closed  bool

	wake    chan struct{}
	stopped chan struct{}

	// The writer goroutine's own: what the client shows.
	shown      string
	shownTitle string
	started    bool
}

// newScreen starts the renderer of a w×h terminal writing to out.
func newScreen(out io.Writer, profile colorprofile.Profile, w, h int) *screen {
	s := &screen{out: out, profile: profile, w: w, h: h, fresh: true, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	go s.loop()
	return s
}

// show hands the screen a new frame; it returns at once.
func (s *screen) show(content, title string) {
	s.mu.Lock()
	if s.closed || content == s.content && title == s.title {
		s.mu.Unlock()
		return
	}
	s.content, s.title = content, title
	s.mu.Unlock()
	s.poke()
}

// resize tells the screen the terminal's new size: the next frame is drawn
// whole.
func (s *screen) resize(w, h int) {
	s.mu.Lock()
	if s.closed || w == s.w && h == s.h {
		s.mu.Unlock()
		return
	}
	s.w, s.h, s.fresh = w, h, true
	s.mu.Unlock()
	s.poke()
}

func (s *screen) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// close draws the last frame, gives the terminal back (main screen, cursor,
// autowrap, keyboard modes) and stops the goroutine. It returns once all is
// written.
func (s *screen) close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.stopped
		return
	}
	s.closed = true
	s.mu.Unlock()
	close(s.wake)
	<-s.stopped
}

// screenWakeups counts the times a screen's goroutine woke up to draw: a
// test checks that a quiet screen never does.
var screenWakeups atomic.Uint64

func (s *screen) loop() {
	defer close(s.stopped)
	for range s.wake {
		screenWakeups.Add(1)
		s.draw()
	}
	s.draw()
	if s.started {
		_, _ = io.WriteString(s.out, leaveScreen)
	}
}

// The sequences that open and close a session's screen: the same modes
// Bubble Tea's renderer sets for an alternate-screen program (bracketed
// paste, modifyOtherKeys and the Kitty keyboard protocol's basic
// disambiguation, which the interface's keys such as shift+enter rely on),
// plus autowrap off; and a request of the background colour, which Bubble
// Tea only sends once a second without its renderer (see program).
var (
	enterScreen = ansi.SetModeAltScreenSaveCursor + ansi.HideCursor + ansi.SetModeBracketedPaste +
		"\x1b[?7l" + ansi.SetModifyOtherKeys2 + ansi.PushKittyKeyboard(1) + ansi.RequestBackgroundColor +
		ansi.EraseEntireScreen
	// The keyboard modes are popped on the alternate screen, where they
	// were pushed; the cursor is shown on the main screen, as Bubble Tea
	// does, since some terminals keep one visibility per screen.
	leaveScreen = ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1) + "\x1b[m" + "\x1b[?7h" +
		ansi.ResetModeAltScreenSaveCursor + ansi.ShowCursor + ansi.ResetModeBracketedPaste
)

// draw writes what changed since the last frame written.
func (s *screen) draw() {
	s.mu.Lock()
	content, title, w, h, fresh := s.content, s.title, s.w, s.h, s.fresh
	s.fresh = false
	s.mu.Unlock()
	if content == "" && !s.started {
		return // the interface has drawn nothing yet
	}
	if !fresh && content == s.shown && title == s.shownTitle {
		return
	}
	var head string
	if !s.started {
		s.started, fresh = true, true
		head = enterScreen
	}
	if title != s.shownTitle {
		head += ansi.SetWindowTitle(title)
		s.shownTitle = title
	}
	prev := s.shown
	if fresh {
		prev = ""
		head += "\x1b[m" + ansi.EraseEntireScreen
	}
	body := frames.bytes(frameKey{profile: s.profile, w: w, h: h, fresh: fresh, prev: prev, next: content})
	s.shown = content
	if head != "" {
		_, _ = io.WriteString(s.out, head)
	}
	if len(body) > 0 {
		_, _ = s.out.Write(body)
	}
}

// frameKey is what the bytes between two frames depend on.
type frameKey struct {
	profile    colorprofile.Profile
	w, h       int
	fresh      bool
	prev, next string
}

// frameCache holds the bytes of the latest frame changes. Two hundred
// followers moved by the facilitator ask for the same change at the same
// time: the first computes it, the others wait for it and get the same
// bytes. It is bounded by emptying it when full: an entry is worth keeping
// for a few milliseconds, while the screens that share it catch up.
type frameCache struct {
	mu      sync.Mutex
	entries map[frameKey]*frameEntry
	// renders counts the changes computed, hits those served from the
	// cache: tests and benchmarks read them.
	renders, hits atomic.Uint64
}

type frameEntry struct {
	once sync.Once
	b    []byte
}

const frameCacheSize = 128

var frames = &frameCache{entries: map[frameKey]*frameEntry{}}

func (c *frameCache) bytes(k frameKey) []byte {
	c.mu.Lock()
	e, ok := c.entries[k]
	if !ok {
		if len(c.entries) >= frameCacheSize {
			clear(c.entries)
		}
		e = &frameEntry{}
		c.entries[k] = e
	}
	c.mu.Unlock()
	if ok {
		c.hits.Add(1)
	}
	e.once.Do(func() {
		c.renders.Add(1)
		e.b = frameDiff(k)
	})
	return e.b
}

// frameDiff is what turns a screen showing k.prev into one showing k.next:
// for each line that differs, a move to its row, the style in force there,
// an erasure of the old line from there, and the line. Both lines are
// compared with the style in force at their start (a style may carry over
// a line end), and the common start of two lines is not written again when
// it is long enough to be worth a cursor move.
func frameDiff(k frameKey) []byte {
	old, nu := frameLines(k.prev, k.h), frameLines(k.next, k.h)
	var b bytes.Buffer
	for i := 0; i < k.h && i < max(len(old), len(nu)); i++ {
		var o, n line
		if i < len(old) {
			o = old[i]
		}
		if i < len(nu) {
			n = nu[i]
		}
		if o == n {
			continue
		}
		b.WriteString("\x1b[")
		b.WriteString(strconv.Itoa(i + 1))
		col, rest, style := sharedStart(o, n)
		if col > 0 {
			b.WriteByte(';')
			b.WriteString(strconv.Itoa(col + 1))
		}
		// Erase first: with autowrap off, the cursor stays on the last
		// column after a full line, and an erasure then would take its
		// last character.
		b.WriteString("H\x1b[m\x1b[K")
		b.WriteString(style)
		b.WriteString(rest)
	}
	if b.Len() == 0 || k.profile == colorprofile.TrueColor {
		return b.Bytes()
	}
	var out bytes.Buffer
	out.Grow(b.Len())
	w := &colorprofile.Writer{Forward: &out, Profile: k.profile}
	_, _ = w.Write(b.Bytes())
	return out.Bytes()
}

// line is one line of a frame: the style in force at its start and its
// text.
type line struct{ style, text string }

// frameLines splits a frame into at most h lines, each with the SGR
// sequences in force at its start.
func frameLines(frame string, h int) []line {
	if frame == "" {
		return nil
	}
	lines := make([]line, 0, h)
	style := ""
	for len(lines) < h {
		text, rest, more := strings.Cut(frame, "\n")
		lines = append(lines, line{style: style, text: text})
		if !more {
			break
		}
		style = styleAfter(style, text)
		frame = rest
	}
	return lines
}

// styleAfter is the style in force after text when style was at its start:
// the SGR sequences since the last reset.
func styleAfter(style, text string) string {
	for i := strings.IndexByte(text, 0x1b); i >= 0; {
		end, reset, ok := sgrAt(text, i)
		if !ok {
			end = i + 1
		} else if reset {
			style = ""
		} else {
			style += text[i:end]
		}
		j := strings.IndexByte(text[end:], 0x1b)
		if j < 0 {
			break
		}
		i = end + j
	}
	return style
}

// sharedStart finds where n starts to differ from o: the column to move
// to, the part of n to write from there, and the style in force at that
// point. Lines with different styles at their start share nothing. The cut
// falls at the start of a character (never inside an escape sequence, a
// UTF-8 sequence, or before a combining mark or joiner, which belong to the
// character before), and a common start shorter than the cursor move that
// replaces it is written again.
func sharedStart(o, n line) (col int, rest, style string) {
	if o.style != n.style {
		return 0, n.text, n.style
	}
	cut, end, width := 0, 0, 0 // the last safe cut, its column
	st := n.style
	cutStyle := st
	for i := 0; i < len(n.text) && i < len(o.text); {
		c := n.text[i]
		if c == 0x1b {
			e, reset, ok := sgrAt(n.text, i)
			if !ok || e > len(o.text) || o.text[i:e] != n.text[i:e] {
				break
			}
			if reset {
				st = ""
			} else {
				st += n.text[i:e]
			}
			i = e
			continue
		}
		if c < 0x20 || c == 0x7f {
			break
		}
		r, size := utf8.DecodeRuneInString(n.text[i:])
		if r == utf8.RuneError && size <= 1 || i+size > len(o.text) || o.text[i:i+size] != n.text[i:i+size] {
			break
		}
		if !joins(r) {
			cut, cutStyle, col = i, st, width
		}
		width += ansi.StringWidth(n.text[i : i+size])
		i += size
		end = i
	}
	if end == len(n.text) && end == len(o.text) {
		return 0, n.text, n.style // the same line: not asked
	}
	// Past the end of the common part, the next character may still join
	// the last one in it: cut before that one too.
	if r, _ := utf8.DecodeRuneInString(n.text[end:]); end == len(n.text) || !joins(r) {
		cut, cutStyle, col = end, st, width
	}
	if cut < 8 {
		return 0, n.text, n.style
	}
	return col, n.text[cut:], cutStyle
}

// joins reports whether r belongs to the character before it: a combining
// mark, a joiner or a variation selector.
func joins(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200d || r >= 0xfe00 && r <= 0xfe0f
}
