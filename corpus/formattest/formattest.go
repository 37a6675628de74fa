// Package formattest is test support for the format packages under corpus/:
// reading a file through a corpus.Format, checking fixtures against their
// golden files, and measuring read throughput. It is imported by tests
// only.
package formattest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tacheron/corpus"
)

// headSize is how much of a file Detect is given.
const headSize = 8 << 10

// Read reads data through f as the file name and returns the documents f
// emits, with f's error.
func Read(tb testing.TB, f corpus.Format, name string, data []byte) ([]corpus.Document, error) {
	tb.Helper()
	var docs []corpus.Document
	err := f.Read(name, bytes.NewReader(data), func(d corpus.Document) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

// ReadOne reads data through f as the file name and returns its one
// document: it fails tb when f reads without error but emits another
// number of documents.
func ReadOne(tb testing.TB, f corpus.Format, name string, data []byte) (corpus.Document, error) {
	tb.Helper()
	docs, err := Read(tb, f, name, data)
	if err != nil {
		return corpus.Document{}, err
	}
	if len(docs) != 1 {
		tb.Fatalf("Read(%s) gave %d documents, want 1", name, len(docs))
	}
	return docs[0], nil
}

// Head returns the first 8 KiB of data: what Detect is given.
func Head(data []byte) []byte {
	return data[:min(len(data), headSize)]
}

// Fixtures returns the files matching pattern (such as "testdata/*.xml"),
// golden files left out, and fails tb when fewer than least match.
func Fixtures(tb testing.TB, pattern string, least int) []string {
	tb.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		tb.Fatal(err)
	}
	var fixtures []string
	for _, file := range files {
		if !strings.HasSuffix(file, ".golden.json") {
			fixtures = append(fixtures, file)
		}
	}
	if len(fixtures) < least {
		tb.Fatalf("%s: %d fixtures, want at least %d: %q", pattern, len(fixtures), least, fixtures)
	}
	return fixtures
}

// GoldenPath returns the golden file of a fixture: testdata/NAME.xml has
// testdata/NAME.golden.json.
func GoldenPath(file string) string {
	return strings.TrimSuffix(file, filepath.Ext(file)) + ".golden.json"
}

// CompareGolden fails tb unless the indented JSON of v, with a final
// newline, is byte for byte the golden file; with update it first
// rewrites the golden file.
func CompareGolden(tb testing.TB, golden string, v any, update bool) {
	tb.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	got = append(got, '\n')
	if update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("documents differ from %s (rerun with -update and review the diff):\n%s", golden, got)
	}
}

// Check reads the fixture file through f, under its base name, and fails
// t unless f detects it, reads it without error and emits the documents
// of its golden file (rewritten first with update). It returns the
// documents.
func Check(t *testing.T, f corpus.Format, file string, update bool) []corpus.Document {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(file)
	if !f.Detect(name, Head(data)) {
		t.Errorf("%s.Detect(%s) = false, want true", f.Name(), name)
	}
	docs, err := Read(t, f, name, data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	CompareGolden(t, GoldenPath(file), docs, update)
	return docs
}

// Golden runs Check on each fixture matching pattern, each in a subtest
// named after the file, and fails t when fewer than least match.
func Golden(t *testing.T, f corpus.Format, pattern string, least int, update bool) {
	t.Helper()
	for _, file := range Fixtures(t, pattern, least) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			Check(t, f, file, update)
		})
	}
}

// Bench measures reading data through f as the file name, and fails b
// when Read fails or emits fewer than least documents. Besides the
// throughput (MB/s) and allocations, it reports MB/cpu-s, the throughput
// per CPU second of the process: on a shared machine it is steadier than
// per wall-clock second.
func Bench(b *testing.B, f corpus.Format, name string, data []byte, least int) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	loops := 0
	for b.Loop() {
		loops++
		n := 0
		err := f.Read(name, bytes.NewReader(data), func(corpus.Document) error { n++; return nil })
		if err != nil || n < least {
			b.Fatalf("Read: %d documents, %v", n, err)
		}
	}
	if d := cpuTime() - cpu0; d > 0 {
		b.ReportMetric(float64(len(data))*float64(loops)/1e6/d.Seconds(), "MB/cpu-s")
	}
}

// cpuTime returns the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
