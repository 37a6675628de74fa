package index

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files of the tests")

// TestRankingGolden writes the top 10 of every relevance query on the
// bundled corpus and compares it with testdata/ranking/bundled.txt: a
// ranking change shows in the diff of that file (go test ./index -run
// TestRankingGolden -update rewrites it, to be reviewed). The index is
// built in one batch: the vocabulary's document frequencies of a build in
// many small batches vary from build to build (they decide which
// completions a prefix gets), which would make the file vary too.
func TestRankingGolden(t *testing.T) {
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	if _, err := Build(context.Background(), c, dir, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "# Top 10 of each relevance query on the bundled corpus (index/relevance_test.go).\n")
	fmt.Fprintf(&b, "# Rewrite with: go test ./index -run TestRankingGolden -update\n")
	for _, tc := range append(append([]relevanceCase{}, devQueries...), moreQueries...) {
		res, err := s.Search(context.Background(), Request{Query: tc.query, Filters: tc.filters, Limit: 10})
		if err != nil {
			t.Fatalf("%q: %v", tc.query, err)
		}
		fmt.Fprintf(&b, "\n## %q", tc.query)
		if len(tc.filters.Sources) > 0 {
			fmt.Fprintf(&b, " source=%q", tc.filters.Sources)
		}
		fmt.Fprintf(&b, " (%d hits, %d related)\n", res.Total, res.Related)
		for i, h := range res.Hits {
			fmt.Fprintf(&b, "%2d %s  %s\n", i+1, h.ID, h.Title)
		}
	}
	golden(t, filepath.Join("testdata", "ranking", "bundled.txt"), b.String())
}

// golden compares got with the file at path, or rewrites the file under
// -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if string(want) == got {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Fatalf("%s differs from line %d:\nwant %q\ngot  %q\n(rerun with -update and review the diff if the change is meant)", path, i+1, w, g)
		}
	}
}
