// Package testtool lets a test use a program from outside Go (xmllint,
// LibreOffice...) without making `go test ./...` fail on a machine that has
// Go alone: there the test is skipped with a message naming the program and
// its Debian package. Under CI=true, where .ci/run installs every such
// program, a missing one fails the test instead, so that CI never passes by
// skipping.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the path of the program name, or skips the test (fails it
// under CI=true) when it is not installed. pkg is the Debian package that
// provides it, for the message.
func Need(t testing.TB, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is needed by this test and CI=true: install it (apt-get install %s) in .ci/run", name, pkg)
		return ""
	}
	t.Skipf("%s is not installed: this test is skipped (apt-get install %s to run it; under CI=true it fails instead)", name, pkg)
	return ""
}
