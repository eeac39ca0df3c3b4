package testtool

import (
	"strings"
	"testing"
)

// fakeT records what Need does with a test.
type fakeT struct {
	testing.TB
	skipped, failed string
}

func (f *fakeT) Helper()                        {}
func (f *fakeT) Skipf(format string, a ...any)  { f.skipped = format }
func (f *fakeT) Fatalf(format string, a ...any) { f.failed = format }

func TestNeed(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CI", "")
	f := &fakeT{}
	Need(f, "xmllint-absent", "libxml2-utils")
	if !strings.Contains(f.skipped, "is not installed") || f.failed != "" {
		t.Errorf("without CI: skipped %q, failed %q", f.skipped, f.failed)
	}
	t.Setenv("CI", "true")
	f = &fakeT{}
	Need(f, "xmllint-absent", "libxml2-utils")
	if !strings.Contains(f.failed, "CI=true") || f.skipped != "" {
		t.Errorf("under CI: skipped %q, failed %q", f.skipped, f.failed)
	}
}
