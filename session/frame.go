package session

import (
	"strings"
	"sync/atomic"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// lightFrames hands Bubble Tea's renderer the interface's frames without
// the blanks that end their lines. The interface pads every line to the
// window's width, so that its frames are exact and testable; the renderer,
// for its part, starts each frame from a cleared buffer of blank cells and
// then decodes and compares every character of the new frame, so that the
// padding (about half of an 80x24 review screen) cost every screen that
// work again at every revision. A trailing blank drawn with no style in
// force is the very cell the cleared buffer already holds, so leaving it
// out changes nothing on any screen, nor a byte sent to any client.
type lightFrames struct {
	tea.Model
	in, out string // the last frame and what it became, often asked again
	// scr, when not nil, draws the frames instead of Bubble Tea's renderer
	// (see screen).
	scr *screen
}

func (l *lightFrames) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if w, ok := msg.(tea.WindowSizeMsg); ok && l.scr != nil {
		l.scr.resize(w.Width, w.Height)
	}
	m, cmd := l.Model.Update(msg)
	l.Model = m
	return l, cmd
}

// views counts the frames the interfaces drew, and changed those that
// differed from the screen's last one (the others cost the renderer one
// comparison and no drawing): a load benchmark reads them.
var views, changed atomic.Uint64

func (l *lightFrames) View() tea.View {
	v := l.Model.View()
	views.Add(1)
	if v.Content != l.in {
		changed.Add(1)
		l.in, l.out = v.Content, trimBlanks(v.Content)
	}
	v.Content = l.out
	if l.scr != nil {
		l.scr.show(v.Content, v.WindowTitle)
	}
	return v
}

// trimBlanks drops the spaces that end each line of a frame while no style
// is in force. It follows the SGR sequences from the start of the frame,
// since a style carries over line ends; any style other than none (even one
// that only unsets an attribute) keeps the blanks. From the first escape
// sequence other than SGR (which could move the cursor, open a hyperlink or
// be passed through to the terminal), control character or invalid UTF-8
// on, the frame is kept as it is. A frame that would become empty is kept
// whole: an empty frame tells the renderer to clear the screen.
func trimBlanks(s string) string {
	// The lines kept, as spans of s, then one allocation of the right size:
	// every screen makes a frame at every revision.
	var stack [64][2]int
	spans := stack[:0]
	plain := true // no style in force at the current byte
	line := 0     // start of the current line in s
	i := 0
scan:
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\n':
			spans = append(spans, [2]int{line, line + len(cutBlanks(s[line:i], plain))})
			i++
			line = i
			continue
		case c == 0x1b:
			end, reset, ok := sgrAt(s, i)
			if !ok {
				break scan
			}
			plain = reset
			i = end
			continue
		case c < 0x20 || c == 0x7f:
			break scan
		case c < utf8.RuneSelf:
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r >= 0x80 && r <= 0x9f {
			break scan
		}
		i += size
	}
	rest := line // from the line where the scan stopped, s is kept as it is
	if i == len(s) {
		// The last line, which no newline ends.
		spans = append(spans, [2]int{line, line + len(cutBlanks(s[line:], plain))})
		rest = len(s)
	}
	n := len(s) - rest
	for k, sp := range spans {
		n += sp[1] - sp[0]
		if k < len(spans)-1 || rest < len(s) {
			n++ // the newline
		}
	}
	if n == len(s) || n == 0 {
		return s // nothing to trim, or an empty frame, which clears the screen
	}
	var b strings.Builder
	b.Grow(n)
	for k, sp := range spans {
		b.WriteString(s[sp[0]:sp[1]])
		if k < len(spans)-1 || rest < len(s) {
			b.WriteByte('\n')
		}
	}
	b.WriteString(s[rest:])
	return b.String()
}

func cutBlanks(line string, plain bool) string {
	if plain {
		return strings.TrimRight(line, " ")
	}
	return line
}

// sgrAt reads the SGR sequence at s[i] (ESC [ params m): where it ends,
// whether it resets every attribute (no parameter, or 0), and whether it is
// one at all.
func sgrAt(s string, i int) (end int, reset, ok bool) {
	j := i + 1
	if j >= len(s) || s[j] != '[' {
		return 0, false, false
	}
	j++
	k := j
	for k < len(s) && (s[k] >= '0' && s[k] <= '9' || s[k] == ';' || s[k] == ':') {
		k++
	}
	if k >= len(s) || s[k] != 'm' {
		return 0, false, false
	}
	p := s[j:k]
	return k + 1, p == "" || p == "0", true
}
