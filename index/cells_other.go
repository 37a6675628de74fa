//go:build !linux

package index

// allocCells returns n zeroed cells for a.
func allocCells(_ *accumulator, n int) []cell { return make([]cell, n) }
