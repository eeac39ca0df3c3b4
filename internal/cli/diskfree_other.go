//go:build !unix

package cli

// freeBytes is unknown here: a full disk is told only when the error
// itself says so (ENOSPC, "database or disk is full").
func freeBytes(dir string) (int64, bool) { return 0, false }
