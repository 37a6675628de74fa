package web

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tacheron/corpus"
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
			b.SetBytes(int64(len(data)))
			cpu0 := cpuTime()
			for range b.N {
				if err := Format().Read(file, bytes.NewReader(data), func(corpus.Document) error { return nil }); err != nil {
					b.Fatal(err)
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
