//go:build linux || darwin || freebsd || netbsd || openbsd

package corpus

import (
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// mmapMemory backs a PDFium instance's WebAssembly memory with one mapping
// of its maximum size, reserved but not committed: pages count in the
// process's memory only once PDFium touches them, and growing the memory
// never copies it. wazero's default grows a Go slice, which holds the old
// and the new copy at once: a PDF that needed 512 MiB made the process
// take twice that.
type mmapMemory struct{ buf []byte }

func (m *mmapMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size]
}

func (m *mmapMemory) Free() {
	if m.buf != nil {
		syscall.Munmap(m.buf)
		m.buf = nil
	}
}

// sliceMemory is a memory in a Go slice, as wazero's default, for when the
// mapping fails.
type sliceMemory struct {
	buf []byte
	max uint64
}

func (m *sliceMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		return nil
	}
	if size > uint64(len(m.buf)) {
		m.buf = append(m.buf, make([]byte, size-uint64(len(m.buf)))...)
	}
	return m.buf[:size]
}

func (m *sliceMemory) Free() { m.buf = nil }

// pdfMemoryAllocator returns the allocator of PDFium's memories.
func pdfMemoryAllocator() experimental.MemoryAllocator {
	return experimental.MemoryAllocatorFunc(func(cap, max uint64) experimental.LinearMemory {
		buf, err := syscall.Mmap(-1, 0, int(max), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|mapNoReserve)
		if err != nil {
			return &sliceMemory{max: max}
		}
		return &mmapMemory{buf: buf}
	})
}
