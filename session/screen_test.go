package session

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// syncBuffer is a client's terminal output, written by a screen's
// goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// followerFrame is a screen of the follow path: the same link for
// everybody, with a line that depends on the person's conditions.
func followerFrame(link, conditions string) string {
	lines := []string{
		"\x1b[1mRevue · jardin\x1b[m",
		"link " + link + " of 3 · " + conditions,
		"\x1b[38;2;200;100;50mcriterion C1\x1b[m: the document says so",
		"",
		"« passage of link " + link + " »",
	}
	return strings.Join(lines, "\n")
}

// A screen draws exactly the frames it is given: showing the same frame
// again, or a size that did not change, wakes nothing; with no new frame
// its goroutine sleeps (there is no frame timer to wake it).
func TestScreenDrawsOnlyNewFrames(t *testing.T) {
	var out syncBuffer
	w0 := screenWakeups.Load()
	s := newScreen(&out, colorprofile.TrueColor, 40, 6)
	s.show(followerFrame("1", "open"), "Revue")
	for range 50 {
		s.show(followerFrame("1", "open"), "Revue")
		s.resize(40, 6)
	}
	s.close()
	if n := screenWakeups.Load() - w0; n != 1 {
		t.Errorf("the screen woke %d times for one frame shown 51 times, want 1", n)
	}
	term := replay(40, 6, out.Bytes())
	if got := term.String(); !strings.Contains(got, "passage of link 1") {
		t.Errorf("the terminal shows %q", got)
	}
}

// Two followers whose screens show the same thing get the same bytes from
// one computation; a third with other conditions gets its own.
func TestFollowersShareOneRender(t *testing.T) {
	var a, b, c syncBuffer
	screens := []*screen{
		newScreen(&a, colorprofile.ANSI256, 40, 6),
		newScreen(&b, colorprofile.ANSI256, 40, 6),
		newScreen(&c, colorprofile.ANSI256, 40, 6),
	}
	conds := []string{"open", "open", "blind"}
	for i, s := range screens {
		s.show(followerFrame("1", conds[i]), "Revue")
	}
	// The first frames are drawn before the move: each screen then shows
	// link 1, and the move is the change counted.
	waitDrawn := func(buf *syncBuffer, text string) {
		t.Helper()
		for range 10000 { // polls a condition, at most 10 s
			if strings.Contains(ansi.Strip(string(buf.Bytes())), text) {
				return
			}
			time.Sleep(time.Millisecond)
		}
		t.Fatalf("the screen never showed %q", text)
	}
	for _, buf := range []*syncBuffer{&a, &b, &c} {
		waitDrawn(buf, "passage of link 1")
	}
	before := []int{len(a.Bytes()), len(b.Bytes()), len(c.Bytes())}
	r0 := frames.renders.Load()
	for i, s := range screens {
		s.show(followerFrame("2", conds[i]), "Revue")
	}
	for _, s := range screens {
		s.close()
	}
	if n := frames.renders.Load() - r0; n != 2 {
		t.Errorf("%d changes computed for two followers alike and one with other conditions, want 2", n)
	}
	ma, mb, mc := a.Bytes()[before[0]:], b.Bytes()[before[1]:], c.Bytes()[before[2]:]
	if !bytes.Equal(ma, mb) || len(ma) == 0 {
		t.Errorf("the two followers got different bytes:\n%q\n%q", ma, mb)
	}
	if bytes.Equal(ma, mc) {
		t.Errorf("the follower with other conditions got the others' bytes: %q", mc)
	}
	// The bytes sent are the change only: the unchanged title line is not
	// written again.
	if bytes.Contains(ma, []byte("Revue · jardin")) {
		t.Errorf("an unchanged line was sent again: %q", ma)
	}
	term := replay(40, 6, a.Bytes())
	if got := term.String(); !strings.Contains(got, "passage of link 2") || strings.Contains(got, "link 1") {
		t.Errorf("after the move the terminal shows %q", got)
	}
}

// frameDiff's output, replayed on a terminal over the old frame, gives the
// new frame, whatever lines change, shrink, grow or disappear.
func TestFrameDiffReplays(t *testing.T) {
	frames := []string{
		"alpha beta gamma delta\nsecond line here\nthird",
		"alpha beta gamma DELTA\nsecond line\n\nfourth line appears",
		"\x1b[1malpha beta gamma delta\nstill bold\x1b[m plain\nx",
		"alpha beta gamma delta épsilon\nstill bold plain",
		"",
		"é",
		"\x1b[1;38;5;2mRevue · jardin\x1b[m  lien 3 sur 60  \x1b[7m★ salle\x1b[m",
		"\x1b[1;38;5;2mRevue · jardin\x1b[m  lien 4 sur 60  \x1b[7m★ salle\x1b[m\nsecond",
		"\x1b[1;38;5;2mRevue · jardin\x1b[m  lien 4 sur 6\nsecond line",
		"cafe\u0301 au lait, cafe\u0301 noir\nsecond line",
		"cafe\u0301 au lait, cafe\u0301s noirs\nsecond line",
		"日本語のテキスト 1\nsecond",
		"日本語のテキスト 22\nsecond",
	}
	for i := 1; i < len(frames); i++ {
		term := vt.NewEmulator(40, 5)
		_, _ = term.Write([]byte("\x1b[?7l" + string(frameDiff(frameKey{profile: colorprofile.TrueColor, w: 40, h: 5, next: frames[i-1]}))))
		_, _ = term.Write(frameDiff(frameKey{profile: colorprofile.TrueColor, w: 40, h: 5, prev: frames[i-1], next: frames[i]}))
		want := vt.NewEmulator(40, 5)
		_, _ = want.Write([]byte("\x1b[?7l" + string(frameDiff(frameKey{profile: colorprofile.TrueColor, w: 40, h: 5, next: frames[i]}))))
		if got, w := term.String(), want.String(); got != w {
			t.Errorf("frame %d over frame %d:\n%q\nwant\n%q", i, i-1, got, w)
		}
		if d := frameDiff(frameKey{profile: colorprofile.TrueColor, w: 40, h: 5, prev: frames[i-1], next: frames[i]}); strings.HasPrefix(frames[i], "\x1b[1;38;5;2mRevue") && strings.HasPrefix(frames[i-1], "\x1b[1;38;5;2mRevue") && bytes.Contains(d, []byte("jardin")) {
			t.Errorf("frame %d: the common start of a line was sent again: %q", i, d)
		}
		if !strings.Contains(want.String(), strings.SplitN(ansi.Strip(frames[i]), "\n", 2)[0]) {
			t.Errorf("frame %d drawn alone shows %q", i, want.String())
		}
	}
}

// replay is a w×h terminal that received b, without the return to the main
// screen that closes it; its replies to queries (the background colour) are
// read and dropped.
func replay(w, h int, b []byte) *vt.Emulator {
	b, _ = bytes.CutSuffix(b, []byte(leaveScreen))
	term := vt.NewEmulator(w, h)
	go func() { _, _ = io.Copy(io.Discard, term) }()
	_, _ = term.Write(b)
	return term
}
