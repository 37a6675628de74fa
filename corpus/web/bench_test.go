package web

import (
	"os"
	"path/filepath"
	"testing"

	"tacheron/corpus/formattest"
)

// BenchmarkRead measures the throughput (MB/s) of reading a saved page,
// main-text extraction included.
func BenchmarkRead(b *testing.B) {
	for _, file := range []string{"blog-post.html", "news-og.html"} {
		b.Run(file, func(b *testing.B) {
			data, err := os.ReadFile(filepath.Join("testdata", file))
			if err != nil {
				b.Fatal(err)
			}
			formattest.Bench(b, Format(), file, data, 1)
		})
	}
}
