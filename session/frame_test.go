package session

import (
	"math/rand"
	"strings"
	"testing"

	uv "github.com/charmbracelet/ultraviolet"
)

func TestTrimBlanks(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain lines", "ab  \n  \ncd", "ab\n\ncd"},
		{"after a reset", "\x1b[1mab\x1b[m  \n", "\x1b[1mab\x1b[m\n"},
		{"reset with 0", "\x1b[31mab\x1b[0m  ", "\x1b[31mab\x1b[0m"},
		{"styled blanks stay", "\x1b[7mab  \x1b[m", "\x1b[7mab  \x1b[m"},
		{"a style open across the line end", "\x1b[44mab  \ncd  \x1b[m  ", "\x1b[44mab  \ncd  \x1b[m"},
		{"an unset is a style", "\x1b[1mab\x1b[22m  \nx ", "\x1b[1mab\x1b[22m  \nx "},
		{"hyperlink: the rest kept", "ab  \n\x1b]8;;http://x\x1b\\cd  \nef  ", "ab\n\x1b]8;;http://x\x1b\\cd  \nef  "},
		{"carriage return: the rest kept", "ab  \ncd\r  \nef  ", "ab\ncd\r  \nef  "},
		{"invalid UTF-8: the rest kept", "ab  \n\xffcd  ", "ab\n\xffcd  "},
		{"C1 control: the rest kept", "ab  \n\u009bcd  ", "ab\n\u009bcd  "},
		{"wide and accented", "été 日本  \n", "été 日本\n"},
		{"all blank, one line", "    ", "    "},
		{"all blank lines keep their count", "  \n  ", "\n"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := trimBlanks(tc.in); got != tc.want {
				t.Errorf("trimBlanks(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestTrimBlanksDrawsTheSame draws random frames, whole and trimmed, the
// way Bubble Tea's renderer does (a cleared cell buffer, then the frame),
// and requires the same cells: the trimming must never change a screen.
func TestTrimBlanksDrawsTheSame(t *testing.T) {
	const w, h = 30, 8
	pieces := []string{
		" ", "  ", "    ", "a", "é", "日", "─", "e\u0301", "\n", "\n",
		"\x1b[m", "\x1b[0m", "\x1b[m", "\x1b[1m", "\x1b[22m", "\x1b[38;2;90;63;192m", "\x1b[48;5;23m", "\x1b[7m", "\x1b[0;1m",
	}
	// What makes the trimming stop, drawn rarely.
	rare := []string{"\x1b]8;;http://x\x1b\\", "\x1b]8;;\x1b\\", "\r", "\t", "\x1b[2C", "\xff"}
	rng := rand.New(rand.NewSource(1))
	trimmed := 0
	for n := range 3000 {
		var b strings.Builder
		for range rng.Intn(60) {
			p := pieces[rng.Intn(len(pieces))]
			switch rng.Intn(60) {
			case 0:
				p = rare[rng.Intn(len(rare))]
			case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10:
				p = pieces[rng.Intn(3)] // blanks, often
			}
			b.WriteString(p)
		}
		frame := b.String()
		out := trimBlanks(frame)
		if len(out) < len(frame) {
			trimmed++
		}
		want, got := draw(frame, w, h), draw(out, w, h)
		for y := range h {
			for x := range w {
				if a, b := want.CellAt(x, y), got.CellAt(x, y); !a.Equal(b) {
					t.Fatalf("frame %d %q, trimmed to %q: cell (%d,%d) is %+v, was %+v", n, frame, out, x, y, b, a)
				}
			}
		}
	}
	if trimmed < 500 {
		t.Fatalf("only %d of 3000 frames were trimmed: the test draws too few blanks", trimmed)
	}
}

func draw(frame string, w, h int) uv.ScreenBuffer {
	buf := uv.NewScreenBuffer(w, h)
	buf.Clear()
	uv.NewStyledString(frame).Draw(buf, buf.Bounds())
	return buf
}
