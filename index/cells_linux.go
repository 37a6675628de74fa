package index

import (
	"runtime"
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page.
const hugePage = 2 << 20

// allocCells returns n zeroed cells for a. Cells are read at random, a
// query touching most pages of a large index's array: a large array is
// mapped apart and backed by huge pages where the kernel allows
// (MADV_HUGEPAGE; Go's heap does not ask for them), so that a cell costs
// a cache miss and not a TLB miss too. The mapping goes when a is
// collected.
func allocCells(a *accumulator, n int) []cell {
	size := n * int(unsafe.Sizeof(cell{}))
	if size < 4*hugePage {
		return make([]cell, n)
	}
	mem, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]cell, n)
	}
	// Start at a huge page boundary: only whole aligned pages are huge.
	off := 0
	if r := uintptr(unsafe.Pointer(&mem[0])) % hugePage; r != 0 {
		off = int(hugePage - r)
	}
	aligned := mem[off : off+size]
	_ = syscall.Madvise(aligned, madvHugePage)
	runtime.AddCleanup(a, func(m []byte) { _ = syscall.Munmap(m) }, mem)
	return unsafe.Slice((*cell)(unsafe.Pointer(&aligned[0])), n)
}

// madvHugePage is MADV_HUGEPAGE.
const madvHugePage = 14
