package index

import (
	"context"
	"math"
	"path/filepath"
	"runtime/debug"
	"testing"

	"tacheron/corpus"
)

// TestBuildLimitsMemory: a build with LimitMemory holds the process's soft
// memory limit at what the runtime held at its start plus 75% of its bound
// while it runs, and puts the previous limit back once done; one without
// it leaves the limit alone; a lower limit in force is kept.
func TestBuildLimitsMemory(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	sc := newSynthCorpus(t, 4, 10, 2)
	c, err := corpus.OpenDir(sc.dir)
	if err != nil {
		t.Fatal(err)
	}
	const bound = 256 << 20
	build := func(limit bool) (during []int64) {
		_, err := Build(context.Background(), c, filepath.Join(t.TempDir(), "snap"), BuildOptions{
			MaxMemory: bound, LimitMemory: limit,
			Progress: func(int) { during = append(during, debug.SetMemoryLimit(-1)) },
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(during) == 0 {
			t.Fatal("no progress reported")
		}
		return during
	}

	held := runtimeMemory()
	for _, l := range build(true) {
		// The runtime's own memory at the start is some, and at most what
		// it held before this build and what a small build allocates.
		if low, high := int64(bound*3/4+1<<20), held+bound*3/4+64<<20; l < low || l > high {
			t.Errorf("limit during the build = %d, want within [%d, %d]", l, low, high)
		}
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit after the build = %d, want the previous one (%d)", got, int64(math.MaxInt64))
	}
	for _, l := range build(false) {
		if l != math.MaxInt64 {
			t.Errorf("limit during a build without LimitMemory = %d, want it untouched", l)
		}
	}
	debug.SetMemoryLimit(100 << 20)
	for _, l := range build(true) {
		if l != 100<<20 {
			t.Errorf("limit during the build = %d, want the lower one in force (%d)", l, 100<<20)
		}
	}
}
