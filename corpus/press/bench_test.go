package press

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/formattest"
)

// repeatBetween returns data with the part from the first start marker to
// the first end marker after it repeated n times: an export of n times as
// many articles.
func repeatBetween(tb testing.TB, data []byte, start, end string, n int) []byte {
	i := bytes.Index(data, []byte(start))
	j := bytes.Index(data[max(i, 0):], []byte(end))
	if i < 0 || j < 0 {
		tb.Fatalf("markers %q, %q not found", start, end)
	}
	j += i
	out := append([]byte(nil), data[:i]...)
	for range n {
		out = append(out, data[i:j]...)
	}
	return append(out, data[j:]...)
}

// BenchmarkRead measures the parsing throughput of each format (MB/s) on
// an export of a few hundred articles made from its fixture.
func BenchmarkRead(b *testing.B) {
	for _, bc := range []struct {
		name, file, start, end string
		format                 corpus.Format
	}{
		{"europresse-article", "europresse-article.html", "<article>", "</body>", Europresse()},
		{"europresse-table", "europresse-table.html", "<table style", "</body>", Europresse()},
		{"factiva-html", "factiva-article.html", `<div id="article-`, `<div id="pageFooter">`, Factiva()},
		{"factiva-coded", "factiva-coded.html", `<div class="article`, `<div id="pageFooter">`, Factiva()},
		{"factiva-xml", "factiva.xml", "<ppsarticle>", "</ppsarticleResultSet>", FactivaXML()},
		{"lexisnexis-academic", "lexisnexis-academic.html", "<A NAME=", "</BODY>", LexisNexis()},
		{"nexis-uni", "lexisnexis-uni.html", `<div class="doc">`, "</body>", LexisNexis()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			raw, err := os.ReadFile(filepath.Join("testdata", bc.file))
			if err != nil {
				b.Fatal(err)
			}
			data := repeatBetween(b, raw, bc.start, bc.end, 100)
			formattest.Bench(b, bc.format, bc.file, data, 100)
		})
	}
}
