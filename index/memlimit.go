package index

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// buildHeapShare is the share of BuildOptions.MaxMemory a build's Go heap
// may take: the rest is left to the segment files its merges map (see
// mergeShare) and to the code.
const buildHeapShare = 0.75

// limitMemory sets the process's soft memory limit (runtime/debug.
// SetMemoryLimit) to what the Go runtime holds now, once collected, plus
// buildHeapShare of maxMemory, unless the limit in force is lower
// already; it returns the function that puts back the limit found. A
// server that builds beside what it serves thus grows by the build's
// bound, not by what the garbage collector's default pacing would let the
// build's garbage reach (twice its live heap). The limit is the
// process's: builds that set it must not overlap (the store's build lock
// serializes them).
func limitMemory(maxMemory int64) (restore func()) {
	runtime.GC()
	limit := runtimeMemory() + int64(float64(maxMemory)*buildHeapShare)
	previous := debug.SetMemoryLimit(-1)
	if previous <= limit {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(previous) }
}

// runtimeMemory returns the memory the Go runtime holds, as its soft
// memory limit counts it: all it mapped less what it released.
func runtimeMemory() int64 {
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(samples)
	var n [2]int64
	for i, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			n[i] = int64(s.Value.Uint64())
		}
	}
	return n[0] - n[1]
}
