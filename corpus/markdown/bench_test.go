package markdown

import (
	"bytes"
	"os"
	"testing"

	"tacheron/corpus"
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
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := Format().Read("bench.md", bytes.NewReader(data), func(corpus.Document) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
