package index

// Document store. The stored side of a snapshot is kept out of bleve so that
// a page of hits reads each document once, without decoding other fields.
//
// docs.dat holds one record per document, in the order they were indexed.
// A record is zstd-compressed (one frame); uncompressed, it is a sequence of
// fields,
// each a uvarint length followed by that many bytes:
//
//	id, title, source, kind, date, lang, title lang, paragraph langs (one
//	letter per paragraph: f or e), concept ids (comma-separated), body
//	(paragraphs joined by newlines), concept words (JSON object: id → words),
//	extra (JSON: the rest of the document)
//
// docs.dict, when present, is the raw zstd dictionary (id 1) the records
// were compressed with: the start of the first records.
//
// Since format 5, every shard has its own document store, in its directory;
// before, one store at the top of the snapshot held every shard's records.
//
// docs.idx maps bleve's internal document numbers to records: for document
// number n, bytes [12n, 12n+12) hold the record's offset (uint64) and length
// (uint32), little-endian.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

const (
	docsDataFile  = "docs.dat"
	docsIndexFile = "docs.idx"
	docsDictFile  = "docs.dict"
	idxEntrySize  = 12
)

// ErrCorrupt is the error of a snapshot whose files do not hold what its
// index says they hold (a truncated or damaged document store): the
// snapshot must be rebuilt.
var ErrCorrupt = errors.New("snapshot corrupt (rebuild it)")

// A record is what the document store keeps of a document.
type record struct {
	id             string
	title          string
	source         string
	kind           string
	date           string
	lang           string
	titleLang      string
	paragraphLangs string
	concepts       []string
	body           string
	conceptWords   []byte
	extra          []byte

	// paras are the body's paragraphs folded for highlighting, made once
	// (see paragraphs).
	foldOnce sync.Once
	paras    []foldedPara
	// signalList: the concept words, parsed once (see signals).
	signalsOnce sync.Once
	signalList  []signal
}

// document returns what analysis reads of the record's document: its
// title, paragraphs and source.
func (r *record) document() *corpus.Document {
	d := &corpus.Document{Title: r.title, TitleLang: text.Lang(r.titleLang), Source: r.source}
	if r.body != "" {
		for i, p := range strings.Split(r.body, "\n") {
			lang := text.French
			if i < len(r.paragraphLangs) && r.paragraphLangs[i] == 'e' {
				lang = text.English
			}
			d.Paragraphs = append(d.Paragraphs, corpus.Paragraph{Text: p, Lang: lang})
		}
	}
	return d
}

// encode returns the record's uncompressed bytes.
func (r *record) encode(buf []byte) []byte {
	for _, f := range []string{r.id, r.title, r.source, r.kind, r.date, r.lang, r.titleLang, r.paragraphLangs, strings.Join(r.concepts, ","), r.body} {
		buf = binary.AppendUvarint(buf, uint64(len(f)))
		buf = append(buf, f...)
	}
	for _, f := range [][]byte{r.conceptWords, r.extra} {
		buf = binary.AppendUvarint(buf, uint64(len(f)))
		buf = append(buf, f...)
	}
	return buf
}

// decodeRecord reads an uncompressed record.
func decodeRecord(data []byte) (*record, error) {
	var fields [12][]byte
	for i := range fields {
		n, size := binary.Uvarint(data)
		if size <= 0 || uint64(len(data)-size) < n {
			return nil, fmt.Errorf("undecodable fields: %w", ErrCorrupt)
		}
		fields[i] = data[size : size+int(n)]
		data = data[size+int(n):]
	}
	r := &record{
		id: string(fields[0]), title: string(fields[1]), source: string(fields[2]),
		kind: string(fields[3]), date: string(fields[4]), lang: string(fields[5]),
		titleLang: string(fields[6]), paragraphLangs: string(fields[7]),
		body: string(fields[9]), conceptWords: fields[10], extra: fields[11],
	}
	if len(fields[8]) > 0 {
		r.concepts = strings.Split(string(fields[8]), ",")
	} else {
		r.concepts = []string{}
	}
	return r, nil
}

// A docWriter appends records to docs.dat while a snapshot is built.
type docWriter struct {
	dir        string
	f          *os.File
	w          *bufio.Writer
	offset     uint64
	entries    map[string][2]uint64 // id → offset, length
	compressed []byte
	enc        *zstd.Encoder
	// pending holds the first records, uncompressed, until they make the
	// dictionary.
	pending []pendingRecord
	held    int
}

// A pendingRecord waits for the dictionary.
type pendingRecord struct {
	id   string
	data []byte
}

// The dictionary: the start of the first records, raw. Records are small
// and alike (the same words, sources, JSON keys): a shared history
// compresses each of them much better than it compresses alone.
const (
	dictBytes = 112 << 10
	dictID    = 1
)

func newDocWriter(dir string) (*docWriter, error) {
	f, err := os.Create(filepath.Join(dir, docsDataFile))
	if err != nil {
		return nil, err
	}
	return &docWriter{dir: dir, f: f, w: bufio.NewWriterSize(f, 1<<20), entries: map[string][2]uint64{}}, nil
}

// add appends a record.
func (dw *docWriter) add(r *record) error {
	data := r.encode(nil)
	if dw.enc == nil {
		dw.pending = append(dw.pending, pendingRecord{r.id, data})
		dw.held += len(data)
		if dw.held < 2*dictBytes {
			return nil
		}
		return dw.startCompressing()
	}
	return dw.write(r.id, data)
}

// startCompressing writes the dictionary from the pending records, then
// the pending records.
func (dw *docWriter) startCompressing() error {
	var dict []byte
	for _, p := range dw.pending {
		if len(dict) >= dictBytes {
			break
		}
		dict = append(dict, p.data...)
	}
	dict = dict[:min(len(dict), dictBytes)]
	opts := []zstd.EOption{zstd.WithEncoderConcurrency(1)}
	if len(dict) >= 8 {
		if err := writeFileSync(filepath.Join(dw.dir, docsDictFile), dict); err != nil {
			return fmt.Errorf("document store: %w", err)
		}
		opts = append(opts, zstd.WithEncoderDictRaw(dictID, dict))
	}
	enc, err := zstd.NewWriter(nil, opts...)
	if err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	dw.enc = enc
	for _, p := range dw.pending {
		if err := dw.write(p.id, p.data); err != nil {
			return err
		}
	}
	dw.pending, dw.held = nil, 0
	return nil
}

// write compresses and appends a record.
func (dw *docWriter) write(id string, data []byte) error {
	dw.compressed = dw.enc.EncodeAll(data, dw.compressed[:0])
	if _, err := dw.w.Write(dw.compressed); err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	dw.entries[id] = [2]uint64{dw.offset, uint64(len(dw.compressed))}
	dw.offset += uint64(len(dw.compressed))
	return nil
}

// finish flushes docs.dat and writes docs.idx, numbering records as the
// shard sh numbers documents.
func (dw *docWriter) finish(sh *shard) error {
	if dw.enc == nil {
		if err := dw.startCompressing(); err != nil {
			dw.f.Close()
			return err
		}
	}
	if err := dw.w.Flush(); err != nil {
		dw.f.Close()
		return fmt.Errorf("document store: %w", err)
	}
	if err := dw.f.Sync(); err != nil {
		dw.f.Close()
		return fmt.Errorf("document store: %w", err)
	}
	if err := dw.f.Close(); err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	return writeDocTable(dw.dir, sh, dw.entries)
}

// writeDocTable writes into dir the table (docs.idx) of the document store
// whose records entries places (id → offset, length), numbering records as
// the shard sh numbers documents.
func writeDocTable(dir string, sh *shard, entries map[string][2]uint64) error {
	docs, err := sh.idOrder()
	if err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	table := make([]byte, len(entries)*idxEntrySize)
	i := 0
	err = sh.forEachID(func(id string) {
		entry, ok := entries[id]
		if !ok && err == nil {
			err = fmt.Errorf("document store: no record for %q", id)
		}
		n := int(docs[i])
		i++
		if need := (n + 1) * idxEntrySize; need > len(table) {
			table = append(table, make([]byte, need-len(table))...)
		}
		binary.LittleEndian.PutUint64(table[n*idxEntrySize:], entry[0])
		binary.LittleEndian.PutUint32(table[n*idxEntrySize+8:], uint32(entry[1]))
	})
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(dir, docsIndexFile), table)
}

// abort closes docs.dat after a failed build.
func (dw *docWriter) abort() { dw.f.Close() }

// A docStore reads records by document number. It is safe for concurrent
// use.
type docStore struct {
	f      *os.File
	table  []byte
	dec    *zstd.Decoder
	snappy bool // records of format 2
	// records keeps decoded records: the documents of a results page are
	// often those of the last one.
	records *lru[uint32, *record]
}

// recordCacheBytes bounds the decoded records a document store keeps.
const recordCacheBytes = 32 << 20

func openDocStore(dir string, snappyRecords bool) (*docStore, error) {
	table, err := os.ReadFile(filepath.Join(dir, docsIndexFile))
	if err != nil {
		return nil, err
	}
	if len(table)%idxEntrySize != 0 {
		return nil, fmt.Errorf("%s: bad size %d", docsIndexFile, len(table))
	}
	f, err := os.Open(filepath.Join(dir, docsDataFile))
	if err != nil {
		return nil, err
	}
	opts := []zstd.DOption{zstd.WithDecoderConcurrency(0)}
	dict, err := os.ReadFile(filepath.Join(dir, docsDictFile))
	switch {
	case err == nil:
		opts = append(opts, zstd.WithDecoderDictRaw(dictID, dict))
	case !errors.Is(err, os.ErrNotExist):
		f.Close()
		return nil, err
	}
	dec, err := zstd.NewReader(nil, opts...)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &docStore{f: f, table: table, dec: dec, snappy: snappyRecords, records: newLRU(recordCacheBytes, recordSize)}, nil
}

// count returns the number of entries of the table.
func (ds *docStore) count() int { return len(ds.table) / idxEntrySize }

// get reads the record of document number n.
func (ds *docStore) get(n uint32) (*record, error) {
	if int(n) >= ds.count() {
		return nil, fmt.Errorf("document number %d out of range", n)
	}
	off := binary.LittleEndian.Uint64(ds.table[int(n)*idxEntrySize:])
	length := binary.LittleEndian.Uint32(ds.table[int(n)*idxEntrySize+8:])
	if length == 0 {
		return nil, ErrNotFound
	}
	if r, ok := ds.records.get(n); ok {
		return r, nil
	}
	compressed := make([]byte, length)
	read, err := ds.f.ReadAt(compressed, int64(off))
	switch {
	case read < len(compressed) && (err == nil || errors.Is(err, io.EOF)):
		return nil, fmt.Errorf("document store: record %d: %s ends after %d of its %d bytes at offset %d: %w",
			n, docsDataFile, read, length, off, ErrCorrupt)
	case err != nil && !errors.Is(err, io.EOF):
		return nil, fmt.Errorf("document store: record %d: %w", n, err)
	}
	var data []byte
	if ds.snappy {
		data, err = snappy.Decode(nil, compressed)
	} else {
		data, err = ds.dec.DecodeAll(compressed, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("document store: record %d: %w: %w", n, ErrCorrupt, err)
	}
	r, err := decodeRecord(data)
	if err != nil {
		return nil, fmt.Errorf("document store: record %d: %w", n, err)
	}
	ds.records.put(n, r)
	return r, nil
}

// A docSet is the document stores of a snapshot: one per shard (format 5),
// or one for all shards (older formats), each numbering the documents from
// its base.
type docSet struct {
	stores []*docStore
	bases  []uint32
}

// get reads the record of document number n.
func (ds *docSet) get(n uint32) (*record, error) {
	i, found := slices.BinarySearch(ds.bases, n)
	if !found {
		i--
	}
	if i < 0 {
		return nil, fmt.Errorf("document number %d out of range", n)
	}
	return ds.stores[i].get(n - ds.bases[i])
}

func (ds *docSet) close() error {
	if ds == nil {
		return nil
	}
	var errs []error
	for _, st := range ds.stores {
		errs = append(errs, st.close())
	}
	return errors.Join(errs...)
}

// recordSize is about the memory a decoded record takes.
func recordSize(_ uint32, r *record) int {
	// The body counts ten times: the text, its folded form and an int32
	// offset per folded byte, once highlighting has folded it, and its
	// words (16 bytes a word, a word about every six bytes) with their
	// plain forms, once highlighting has tokenized it.
	n := 256 + 4*len(r.conceptWords) + len(r.extra) + 9*len(r.body) + 72*strings.Count(r.body, "\n")
	for _, f := range []string{r.id, r.title, r.source, r.kind, r.date, r.lang, r.titleLang, r.paragraphLangs, r.body} {
		n += len(f)
	}
	for _, c := range r.concepts {
		n += 16 + len(c)
	}
	return n
}

func (ds *docStore) close() error {
	if ds == nil || ds.f == nil {
		return nil
	}
	ds.dec.Close()
	return ds.f.Close()
}
