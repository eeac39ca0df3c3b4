package session_test

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// needTool returns the path of an external program the test drives, or
// skips the test with a sentence naming it; under CI=true a missing tool
// fails the test (.ci/run installs it).
func needTool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (Debian package %s), and CI=true needs it", name, debianPackage)
		}
		t.Skipf("%s is not installed (Debian package %s): this test needs it", name, debianPackage)
	}
	return p
}

// TestSSHAuditFindsNothingToFix runs ssh-audit against a started server:
// no algorithm it flags as a failure, and no warning but "unknown
// algorithm", which Debian 12's ssh-audit 2.5 says of the post-quantum
// key exchange and of the strict key exchange that closes Terrapin: both
// are improvements it predates.
func TestSSHAuditFindsNothingToFix(t *testing.T) {
	audit := needTool(t, "ssh-audit", "ssh-audit")
	w := newWorld(t, "", "jardin")
	srv := serve(t, probeConfig(w))
	addr, _ := addrs.Load(srv)
	host, port, _ := net.SplitHostPort(addr.(string))
	// ssh-audit's exit status is 2 for an unknown algorithm too: the lines
	// say which.
	out, _ := exec.Command(audit, "-n", "-p", port, host).Output()
	if !strings.Contains(string(out), "(key) ssh-ed25519") {
		t.Fatalf("ssh-audit did not audit the server:\n%s", out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "[fail]") || strings.Contains(line, "[warn]") && !strings.Contains(line, "[warn] unknown algorithm") {
			t.Errorf("ssh-audit: %s", strings.TrimSpace(line))
		}
	}
	if t.Failed() {
		t.Logf("ssh-audit's report:\n%s", out)
	}
}
