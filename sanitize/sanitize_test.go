package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Le jardin partagé", "Le jardin partagé"},
		{"newline kept", "a\nb", "a\nb"},
		{"tab to spaces", "a\tb", "a    b"},
		{"crlf", "a\r\nb", "a\nb"},
		{"lone cr", "safe\rEVIL", "safeEVIL"},
		{"csi clear", "x\x1b[2Jy", "xy"},
		{"osc title", "x\x1b]0;pwned\x07y", "xy"},
		{"osc52 clipboard", "x\x1b]52;c;ZWNobyBoaQ==\x07y", "xy"},
		{"osc8 hyperlink", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"bel nul bs", "a\x07b\x00c\x08d", "a\ufffdb\ufffdc\ufffdd"},
		{"c1 csi as utf8", "a\u009b2Jb", "a\ufffd2Jb"},
		{"c1 osc as utf8", "a\u009d0;t\u009cb", "a\ufffd0;t\ufffdb"},
		{"bidi override", "abc\u202edcba", "abc\ufffddcba"},
		{"bidi isolate", "\u2066x\u2069", "\ufffdx\ufffd"},
		{"zero width space dropped", "a\u200bb", "ab"},
		{"zwj kept", "👩\u200d💻", "👩\u200d💻"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"del", "a\x7fb", "a\ufffdb"},
		{"esc sequence", "a\x1bb", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	if got := Line("a\nb\x1b[1mc"); got != "a bc" {
		t.Errorf("Line = %q", got)
	}
}

// FuzzText checks the properties every output must have, whatever the input:
// valid UTF-8, no byte that a terminal treats as a control except newline,
// no bidi control, and idempotence.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]52;c;aGk=\x07", "\u009b31m", "a\u202eb", "\x1b[?1049h", "\xff\xfe", "\x1bP+q\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Text(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		for _, r := range out {
			if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || IsBidiControl(r) {
				t.Fatalf("control %U left in %q (from %q)", r, out, in)
			}
		}
		if strings.ContainsRune(out, '\x1b') {
			t.Fatalf("escape left in %q", out)
		}
		if again := Text(out); again != out {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
	})
}
