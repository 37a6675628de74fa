package press

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tacheron/corpus"
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
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			cpu0 := cpuTime()
			for range b.N {
				n := 0
				err := bc.format.Read(bc.file, bytes.NewReader(data), func(corpus.Document) error { n++; return nil })
				if err != nil || n < 100 {
					b.Fatalf("Read: %d documents, %v", n, err)
				}
			}
			reportCPU(b, cpu0, len(data))
		})
	}
}

// cpuTime returns the CPU time the process has used (user and system):
// on a shared machine, throughput per CPU second is steadier than per
// wall-clock second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the throughput per CPU second of b's loop, which
// started at cpu0 and read size bytes per iteration.
func reportCPU(b *testing.B, cpu0 time.Duration, size int) {
	if d := cpuTime() - cpu0; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}
