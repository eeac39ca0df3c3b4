package corpus

import (
	"testing"
	"unicode/utf8"

	"github.com/coopdescommuns/revue/sanitize"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in, want string
		warn           bool
	}{
		{"utf-8", "été", "été", false},
		{"bom removed", "\xef\xbb\xbfété", "été", false},
		{"windows-1252", "\xe9t\xe9 \x93ok\x94 \x80", "été “ok” €", true},
		{"utf-16le with bom", "\xff\xfe\xe9\x00t\x00\xe9\x00", "été", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warn := decode([]byte(tt.in))
			if got != tt.want || (warn != "") != tt.warn {
				t.Errorf("decode(%q) = %q, %q; want %q, warning %v", tt.in, got, warn, tt.want, tt.warn)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain kept", "Un été\tà la forêt\n", "Un été\tà la forêt\n"},
		{"crlf and lone cr", "a\r\nb\rc", "a\nb\nc"},
		{"c0 del c1 removed", "a\x00b\x07c\x7fd\u0085e\u009bf", "abcdef"},
		{"csi and osc stripped", "a\x1b[31mrouge\x1b[0m\x1b]0;titre\x07b", "arougeb"},
		{"osc 52 clipboard stripped", "x\x1b]52;c;ZWNobyBoaQ==\x1b\\y", "xy"},
		{"bidi controls removed", "abc\u202edcba\u2066x\u2069\u200f", "abcdcbax"},
		{"stray bom removed", "a\ufeffb", "ab"},
		{"ligatures expanded", "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06", "fffiflffifflstst"},
		{"other compatibility forms kept", "x² ½ ﬀ", "x² ½ ff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzClean checks that cleaning always gives valid UTF-8 free of controls
// (but newline and tab) and is idempotent.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "été", "\x1b]8;;http://x\x1b\\lien\x1b]8;;\x1b\\", "\u009b2J", "a\r\n\rb", "\ufb01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s, _ = decode([]byte(s))
		c := clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("clean(%q) = %q is not UTF-8", s, c)
		}
		for _, r := range c {
			if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || sanitize.IsBidiControl(r) || r == '\r' {
				t.Fatalf("clean(%q) = %q keeps %U", s, c, r)
			}
		}
		if cc := clean(c); cc != c {
			t.Fatalf("clean is not idempotent on %q: %q then %q", s, c, cc)
		}
	})
}
