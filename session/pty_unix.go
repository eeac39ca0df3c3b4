//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package session

import (
	"os"

	"charm.land/ssh"
)

// ptyFile is the server-side end of a real PTY, which charm.land/ssh has
// only on the systems where it allocates one (as Wish's bubbletea does).
func ptyFile(p ssh.Pty) *os.File { return p.Slave }
