//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris)

package session

import (
	"os"

	"charm.land/ssh"
)

// ptyFile is nil where charm.land/ssh allocates no real PTY (Windows and
// the rest): screens then write to the SSH channel, as on an emulated PTY.
func ptyFile(ssh.Pty) *os.File { return nil }
