package corpus

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// notRegular says why a path that is not a regular file cannot be read, or
// "" when it is one. It only looks at the file's type (Lstat, then Stat
// through a symbolic link), never opens it: opening a named pipe blocks
// until someone writes to it, and a device such as /dev/zero never ends, so
// either would hang `revue init` or fill its memory. info is from os.Stat.
func notRegular(path string, info fs.FileInfo) string {
	if info.Mode().IsRegular() {
		return ""
	}
	what := fileKind(info.Mode())
	if li, err := os.Lstat(path); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(path)
		return fmt.Sprintf("is a symbolic link to %s (%s), not a regular file: give the file itself", what, target)
	}
	return fmt.Sprintf("is %s, not a regular file: give a file saved on disk", what)
}

// fileKind names a file type that is not a regular file.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeIrregular != 0:
		return "a special file"
	}
	return "a special file"
}

// readRegular reads at most limit bytes of a file that os.Stat found
// regular. The file is opened without blocking (O_NONBLOCK, which changes
// nothing for a regular file) and checked again once open, so that a file
// swapped for a pipe or a device between the Stat and the open cannot hang
// the reading; and the reading stops after limit bytes whatever the size
// said. too reports a file that grew beyond limit.
func readRegular(path string, limit int64) (b []byte, too bool, err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if !info.Mode().IsRegular() {
		return nil, false, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%s, not a regular file", fileKind(info.Mode()))}
	}
	b, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) > limit {
		return nil, true, nil
	}
	return b, false, nil
}
