package markdown

import (
	"os"
	"testing"

	"tacheron/corpus/formattest"
)

// BenchmarkRead measures parsing throughput (MB/s) on a Markdown note of
// about 1 MB with YAML front matter.
func BenchmarkRead(b *testing.B) {
	fixture, err := os.ReadFile("testdata/hugo-yaml.md")
	if err != nil {
		b.Fatal(err)
	}
	_, body, _ := splitFrontMatter(fixture)
	data := append([]byte(nil), fixture...)
	for len(data) < 1<<20 {
		data = append(data, body...)
	}
	formattest.Bench(b, Format(), "bench.md", data, 1)
}
