package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"tacheron/corpus"
)

// TestLayOutAndChange lays a generated corpus out as partCount files and
// checks that they hold its lines, in order, each with the manifest; then
// that a changed file holds the same ids with other bodies.
func TestLayOutAndChange(t *testing.T) {
	ctx := context.Background()
	src, parts := t.TempDir(), filepath.Join(t.TempDir(), "parts")
	const docs = 250
	if _, err := writeCorpus(ctx, src, 1, docs); err != nil {
		t.Fatal(err)
	}
	if err := layOut(src, parts); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(filepath.Join(src, corpusFile))
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(src, manifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var joined []byte
	for i := range partCount {
		data, err := os.ReadFile(filepath.Join(parts, partName(i)))
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(data, []byte("\n")); n < docs/partCount || n > docs/partCount+1 {
			t.Errorf("%s: %d documents, want %d or %d", partName(i), n, docs/partCount, docs/partCount+1)
		}
		joined = append(joined, data...)
		if m, err := os.ReadFile(filepath.Join(parts, partManifest(i))); err != nil || !bytes.Equal(m, manifest) {
			t.Errorf("%s: %v, or not the corpus's manifest", partManifest(i), err)
		}
	}
	if !bytes.Equal(joined, whole) {
		t.Errorf("the %d files do not hold the corpus's lines in order (%d bytes, want %d)", partCount, len(joined), len(whole))
	}
	if st, err := readGenStats(parts); err != nil || st.Docs != docs {
		t.Errorf("readGenStats(parts) = %v, %v; want %d documents", st, err, docs)
	}

	// Every file changed reads as a corpus (records hold a body or
	// paragraphs).
	changedDir := t.TempDir()
	for i := range partCount {
		if err := changeFile(filepath.Join(parts, partName(i)), filepath.Join(changedDir, partName(i))); err != nil {
			t.Fatal(err)
		}
	}
	c, err := corpus.OpenDir(changedDir)
	if err != nil {
		t.Fatal(err)
	}
	if read, err := c.Documents(ctx); err != nil || len(read) != docs {
		t.Errorf("the changed files read as %d documents, %v; want %d", len(read), err, docs)
	}
	changed := filepath.Join(changedDir, partName(7))
	records := func(name string) []map[string]any {
		var out []map[string]any
		if err := eachLine(name, func(line []byte) error {
			var rec map[string]any
			out = append(out, rec)
			return json.Unmarshal(line, &out[len(out)-1])
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before, after := records(filepath.Join(parts, partName(7))), records(changed)
	if len(before) != len(after) || len(before) == 0 {
		t.Fatalf("changed file: %d records, want %d", len(after), len(before))
	}
	for i := range before {
		b, a := before[i], after[i]
		text := func(rec map[string]any) string { return fmt.Sprint(rec["body"], rec["paragraphs"]) }
		if b["id"] != a["id"] || b["title"] != a["title"] || text(b) == text(a) {
			t.Errorf("record %d: id %v→%v, text changed %v; want the same id and another text", i, b["id"], a["id"], text(b) != text(a))
		}
	}
}

// TestStockApply builds a stock index of a laid-out corpus, deletes a
// file's documents and puts them back, checking the document count.
func TestStockApply(t *testing.T) {
	ctx := context.Background()
	src, parts := t.TempDir(), filepath.Join(t.TempDir(), "parts")
	const docs = 200
	if _, err := writeCorpus(ctx, src, 1, docs); err != nil {
		t.Fatal(err)
	}
	if err := layOut(src, parts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "stock")
	if _, err := buildStock(ctx, parts, path); err != nil {
		t.Fatal(err)
	}
	count := func() uint64 {
		t.Helper()
		idx, err := bleve.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		n, err := idx.DocCount()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	apply := func(args ...string) int {
		t.Helper()
		var out strings.Builder
		if err := run(ctx, append([]string{"stock-apply", "--index", path}, args...), os.Getenv, &out, io.Discard); err != nil {
			t.Fatalf("stock-apply %q: %v", args, err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(out.String()))
		if err != nil {
			t.Fatalf("stock-apply %q printed %q", args, out.String())
		}
		return n
	}
	file := filepath.Join(parts, partName(3))
	if n := apply("--delete", file); n != docs/partCount {
		t.Errorf("stock-apply --delete: %d documents, want %d", n, docs/partCount)
	}
	if got := count(); got != docs-docs/partCount {
		t.Errorf("after deleting %s: %d documents, want %d", partName(3), got, docs-docs/partCount)
	}
	apply("--put", file)
	if got := count(); got != docs {
		t.Errorf("after putting %s back: %d documents, want %d", partName(3), got, docs)
	}
	if err := run(ctx, []string{"stock-apply", "--index", path, "--put", file, "--delete", file}, os.Getenv, io.Discard, io.Discard); err != errUsage {
		t.Errorf("stock-apply with --put and --delete = %v, want a usage error", err)
	}
}

// TestRenderIncremental: the scenario's table, with rates left out where
// nothing was read.
func TestRenderIncremental(t *testing.T) {
	rep := &benchReport{Size: "10k", Seed: 1, Clients: []int{1}, Duration: 3, StockSkipped: true}
	rep.Corpus = genStats{Docs: 10000, Paragraphs: 10, TextBytes: 1e6}
	rep.Incremental = []*incStep{
		{Name: "1% deleted (part-099.jsonl removed)", Seconds: 2, CPUSeconds: 1.5, DocsDeleted: 100, PeakRSSBytes: 50e6, SnapshotBytes: 30e6, NewBytes: 1e6,
			Stock: &stockStep{Seconds: 1, CPUSeconds: 0.5, Docs: 100, PeakRSSBytes: 40e6, IndexBytes: 90e6}},
		{Name: "1% added (part-099.jsonl put back: a new file)", Seconds: 4, DocsRead: 100, PeakRSSBytes: 60e6, SnapshotBytes: 31e6, NewBytes: 2e6},
	}
	rep.IncrementalError = "stock bleve: boom"
	got := renderSection(rep)
	for _, want := range []string{
		"### Incremental: 1% deleted, changed, added",
		"| 1% deleted (part-099.jsonl removed) | 2.00 | 1.50 | 0 (100 deleted) | — | 50.0 MB | 30.0 MB | 1.0 MB | 1.00 | 0.50 | 100 | — | 40.0 MB | 90.0 MB |",
		"| 1% added (part-099.jsonl put back: a new file) | 4.00 | — | 100 | 25 | 60.0 MB | 31.0 MB | 2.0 MB | | | | | | |",
		"**Failed or partial:** stock bleve: boom",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("renderSection lacks %q:\n%s", want, got)
		}
	}
}
