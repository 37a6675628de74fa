package index

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"tacheron/corpus"
)

func TestBuildProfile(t *testing.T) {
	dir := os.Getenv("BUILD_CORPUS")
	if dir == "" {
		t.Skip("BUILD_CORPUS not set")
	}
	c, err := corpus.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	bs, _ := strconv.Atoi(os.Getenv("BATCH"))
	st, err := Build(context.Background(), c, filepath.Join(t.TempDir(), "s"), BuildOptions{BatchSize: bs})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d docs in %.1fs: %.0f docs/s", st.Documents, st.Seconds, float64(st.Documents)/st.Seconds)
}
