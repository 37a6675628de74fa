package index

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/klauspost/compress/snappy"
)

// failingReader is an index reader whose term readers fail while failing
// is set.
type failingReader struct {
	bleveindex.IndexReader
	failing *bool
}

var errInjected = errors.New("injected read failure")

func (r failingReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bleveindex.TermFieldReader, error) {
	if *r.failing {
		return nil, errInjected
	}
	return r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
}

// openFailing opens another snapshot of the bundled corpus whose shard
// readers fail while the returned switch is set.
func openFailing(t *testing.T) (*Snapshot, *bool) {
	t.Helper()
	bundled(t)
	s, err := Open(filepath.Join(shared.dir, "snap"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	failing := new(bool)
	for _, sh := range s.shards {
		sh.reader = failingReader{sh.reader, failing}
	}
	return s, failing
}

func TestDisplayFormErrorIsReturnedNotCached(t *testing.T) {
	s, failing := openFailing(t)
	ctx := context.Background()
	const term, want = "uberisation", "ubérisation"

	*failing = true
	if form, err := s.displayForm(ctx, term); !errors.Is(err, errInjected) {
		t.Fatalf("displayForm(%q) with a failing index = %q, %v; want the read error", term, form, err)
	}
	if sg, err := s.Suggest(ctx, "uberisat", 8, "fr"); !errors.Is(err, errInjected) {
		t.Fatalf("Suggest with a failing index = %v, %v; want the read error", sg, err)
	}

	*failing = false
	form, err := s.displayForm(ctx, term)
	if err != nil || form != want {
		t.Fatalf("displayForm(%q) once the index reads again = %q, %v; want %q (a failure must not be remembered)", term, form, err, want)
	}
}

func TestPlanReturnsIndexErrors(t *testing.T) {
	s, failing := openFailing(t)
	ctx := context.Background()
	// A misspelt word found nowhere: the planner asks the index whether a
	// stem of it exists before trying its correction as a concept.
	q := ParseQuery("automatisaton")
	if _, err := s.planQuery(ctx, q); err != nil {
		t.Fatalf("planQuery: %v", err)
	}
	*failing = true
	if _, err := s.termCount(ctx, fieldBodyFR, "travail"); !errors.Is(err, errInjected) {
		t.Errorf("termCount with a failing index: %v, want the read error", err)
	}
	if _, _, err := s.firstDoc(ctx, fieldBodyPlain, "travail"); !errors.Is(err, errInjected) {
		t.Errorf("firstDoc with a failing index: %v, want the read error", err)
	}
	if p, err := s.planQuery(ctx, q); !errors.Is(err, errInjected) {
		t.Errorf("planQuery with a failing index = %v, %v; want the read error", p, err)
	}
}

// copyDocStore copies the document store of the bundled snapshot into a
// new directory.
func copyDocStore(t *testing.T) string {
	t.Helper()
	bundled(t)
	src := shardDir(filepath.Join(shared.dir, "snap"), 0)
	dir := t.TempDir()
	for _, name := range []string{docsDataFile, docsIndexFile, docsDictFile} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDocStoreShortReadIsCorruption(t *testing.T) {
	dir := copyDocStore(t)
	data := filepath.Join(dir, docsDataFile)
	info, err := os.Stat(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(data, info.Size()-3); err != nil {
		t.Fatal(err)
	}
	ds, err := openDocStore(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.close()
	// The record stored last (records are not stored in document order).
	var last, first uint32
	var lastOff, firstOff uint64 = 0, ^uint64(0)
	for n := range ds.count() {
		off := binary.LittleEndian.Uint64(ds.table[n*idxEntrySize:])
		if binary.LittleEndian.Uint32(ds.table[n*idxEntrySize+8:]) == 0 {
			continue
		}
		if off >= lastOff {
			last, lastOff = uint32(n), off
		}
		if off < firstOff {
			first, firstOff = uint32(n), off
		}
	}
	_, err = ds.get(last)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "ends after") {
		t.Fatalf("get(%d) of a truncated %s: %v; want a corruption error saying where the file ends", last, docsDataFile, err)
	}
	if _, err := ds.get(first); err != nil {
		t.Errorf("get(%d), stored first: %v", first, err)
	}
}

// TestOpenFormat2Snapshot reads a snapshot whose document records are
// snappy-compressed, as format 2 wrote them.
func TestOpenFormat2Snapshot(t *testing.T) {
	want := bundled(t)
	dir := filepath.Join(t.TempDir(), "snap")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(shared.dir, "snap"))); err != nil {
		t.Fatal(err)
	}
	// Rewrite the records with snappy, without a dictionary, into one
	// document store for the whole snapshot, as format 2 had.
	var dat []byte
	table := make([]byte, want.maxDoc*idxEntrySize)
	for n := range want.maxDoc {
		r, err := want.docs.get(uint32(n))
		if err != nil {
			t.Fatal(err)
		}
		enc := snappy.Encode(nil, r.encode(nil))
		binary.LittleEndian.PutUint64(table[n*idxEntrySize:], uint64(len(dat)))
		binary.LittleEndian.PutUint32(table[n*idxEntrySize+8:], uint32(len(enc)))
		dat = append(dat, enc...)
	}
	for name, data := range map[string][]byte{docsDataFile: dat, docsIndexFile: table} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stats := want.stats
	stats.Format = snappyFormatVersion
	data, err := json.Marshal(stats)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, statsFile), data, 0o644); err != nil {
		t.Fatal(err)
	}

	s, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(format 2): %v", err)
	}
	defer s.Close()
	for n := range want.maxDoc {
		w, werr := want.docs.get(uint32(n))
		g, gerr := s.docs.get(uint32(n))
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("record %d: format 4 error %v, format 2 error %v", n, werr, gerr)
		}
		if werr == nil && (g.id != w.id || g.title != w.title || g.body != w.body) {
			t.Errorf("record %d: format 2 reads %q %q, format 4 %q %q", n, g.id, g.title, w.id, w.title)
		}
	}
}
