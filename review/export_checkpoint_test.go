package review

import (
	"strings"
	"testing"
	"time"
)

func TestReceiptCode(t *testing.T) {
	code := ReceiptCode("atelier", 428, strings.Repeat("ab", 32))
	for _, in := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", ""), code + "/428", code + ", 428", " " + code + " 428 "} {
		got, n, err := ParseReceiptCode(in)
		if err != nil || got != code || (strings.Contains(in, "428") && n != 428) {
			t.Errorf("ParseReceiptCode(%q) = %q %d %v", in, got, n, err)
		}
	}
	if ReceiptCode("atelier2", 428, strings.Repeat("ab", 32)) == code || ReceiptCode("atelier", 427, strings.Repeat("ab", 32)) == code {
		t.Error("the code does not depend on the session's name and the head's seq")
	}
	for _, bad := range []string{"", "3F9A", "3F9A-1C2B-77D0-E4AZ", code + "/0", code + "/x"} {
		if _, _, err := ParseReceiptCode(bad); err == nil {
			t.Errorf("ParseReceiptCode(%q) accepted", bad)
		}
	}
	c := Checkpoint{Session: "a\nseq 9", Seq: 1, Events: 1, Head: "h", HeadID: "i", At: time.Unix(0, 0), Reason: "stop"}
	if strings.Count(string(c.Message()), "\n") != 8 {
		t.Errorf("a name with a newline spills into another field:\n%s", c.Message())
	}
}

// FuzzParseReceiptCode: any text is read without panic, and a code read
// is read again as itself.
func FuzzParseReceiptCode(f *testing.F) {
	f.Add("3F9A-1C2B-77D0-E4A1/428")
	f.Add("3f9a1c2b77d0e4a1, 12")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		code, _, err := ParseReceiptCode(s)
		if err != nil {
			return
		}
		if again, n, err := ParseReceiptCode(code); err != nil || again != code || n != 0 {
			t.Fatalf("%q read as %q, which reads as %q %d %v", s, code, again, n, err)
		}
	})
}
