//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package corpus

import "github.com/tetratelabs/wazero/experimental"

// pdfMemoryAllocator is wazero's default on systems without mmap here
// (Windows): the memory limit still holds, growth copies.
func pdfMemoryAllocator() experimental.MemoryAllocator { return nil }
