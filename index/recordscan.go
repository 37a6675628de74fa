package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/snappy"
)

// Reading records for an export. An export reads every record it writes,
// once: going through the document store's cache (docStore.get) would
// allocate each record whole (its body as a string, folded later by
// nobody) and push out the records that searches come back to. A
// recordScan reads a batch of records side by side, one reader per
// processor, each reusing its buffers, and keeps only what a Record
// holds. Where it can, it maps the stores' data files for the time of the
// export, sparing a system call per record.

// scanBatch is the number of records a recordScan reads at once.
const scanBatch = 512

// A recordScan makes the export Records of batches of documents.
type recordScan struct {
	docs *docSet
	// mapped holds each store's data file, mapped (nil when it is not).
	mapped  map[*docStore][]byte
	readers []recordReader
	records []Record
	errs    []error
}

// A recordReader is one reader's buffers: the compressed record and the
// uncompressed one.
type recordReader struct {
	compressed, data []byte
	mapped           map[*docStore][]byte // shared, read only
}

// newRecordScan returns a recordScan of docs; close releases it.
func newRecordScan(docs *docSet) *recordScan {
	rs := &recordScan{docs: docs, mapped: map[*docStore][]byte{}, readers: make([]recordReader, runtime.GOMAXPROCS(0))}
	for _, st := range docs.stores {
		if data, err := mapFile(st.f); err == nil {
			rs.mapped[st] = data
		}
	}
	for i := range rs.readers {
		rs.readers[i].mapped = rs.mapped
	}
	return rs
}

// close unmaps the data files.
func (rs *recordScan) close() error {
	var errs []error
	for _, data := range rs.mapped {
		errs = append(errs, unmapFile(data))
	}
	return errors.Join(errs...)
}

// read returns the Records of docs (at most scanBatch), in their order,
// each with match; the slice is reused by the next call.
func (rs *recordScan) read(docs []uint32, match string) ([]Record, error) {
	rs.records = slices.Grow(rs.records[:0], len(docs))[:len(docs)]
	workers := max(1, min(len(rs.readers), len(docs)/16))
	rs.errs = slices.Grow(rs.errs[:0], workers)[:workers]
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			r := &rs.readers[k]
			rs.errs[k] = nil
			for i := k * len(docs) / workers; i < (k+1)*len(docs)/workers; i++ {
				rec, err := r.record(rs.docs, docs[i], match)
				if err != nil {
					rs.errs[k] = err
					return
				}
				rs.records[i] = rec
			}
		})
	}
	wg.Wait()
	if err := firstError(rs.errs); err != nil {
		return nil, err
	}
	return rs.records, nil
}

// record reads the Record of document number n.
func (r *recordReader) record(ds *docSet, n uint32, match string) (Record, error) {
	i, found := slices.BinarySearch(ds.bases, n)
	if !found {
		i--
	}
	if i < 0 {
		return Record{}, fmt.Errorf("document number %d out of range", n)
	}
	data, err := r.raw(ds.stores[i], n-ds.bases[i])
	if err != nil {
		return Record{}, err
	}
	rec, err := exportFields(data, match)
	if err != nil {
		return Record{}, fmt.Errorf("document store: record %d: %w", n, err)
	}
	return rec, nil
}

// raw returns the uncompressed bytes of record n of st, in r's buffer.
func (r *recordReader) raw(st *docStore, n uint32) ([]byte, error) {
	if int(n) >= st.count() {
		return nil, fmt.Errorf("document number %d out of range", n)
	}
	off := binary.LittleEndian.Uint64(st.table[int(n)*idxEntrySize:])
	length := binary.LittleEndian.Uint32(st.table[int(n)*idxEntrySize+8:])
	if length == 0 {
		return nil, ErrNotFound
	}
	if m := r.mapped[st]; m != nil {
		if off+uint64(length) > uint64(len(m)) {
			return nil, fmt.Errorf("document store: record %d: %s holds %d bytes, not %d at offset %d: %w",
				n, docsDataFile, len(m), length, off, ErrCorrupt)
		}
		return r.decompress(st, n, m[off:off+uint64(length)])
	}
	r.compressed = slices.Grow(r.compressed[:0], int(length))[:length]
	read, err := st.f.ReadAt(r.compressed, int64(off))
	switch {
	case read < len(r.compressed) && (err == nil || errors.Is(err, io.EOF)):
		return nil, fmt.Errorf("document store: record %d: %s ends after %d of its %d bytes at offset %d: %w",
			n, docsDataFile, read, length, off, ErrCorrupt)
	case err != nil && !errors.Is(err, io.EOF):
		return nil, fmt.Errorf("document store: record %d: %w", n, err)
	}
	return r.decompress(st, n, r.compressed)
}

// decompress returns the uncompressed bytes of record n of st, in r's
// buffer.
func (r *recordReader) decompress(st *docStore, n uint32, compressed []byte) ([]byte, error) {
	var err error
	if st.snappy {
		size, err := snappy.DecodedLen(compressed)
		if err == nil {
			r.data, err = snappy.Decode(slices.Grow(r.data[:0], size)[:size], compressed)
		}
		if err != nil {
			return nil, fmt.Errorf("document store: record %d: %w: %w", n, ErrCorrupt, err)
		}
		return r.data, nil
	}
	r.data, err = st.dec.DecodeAll(compressed, r.data[:0])
	if err != nil {
		return nil, fmt.Errorf("document store: record %d: %w: %w", n, ErrCorrupt, err)
	}
	return r.data, nil
}

// exportFields makes a Record from the uncompressed bytes of a record (see
// docstore.go for their layout), copying only what it keeps.
func exportFields(data []byte, match string) (Record, error) {
	var fields [12][]byte
	for i := range fields {
		n, size := binary.Uvarint(data)
		if size <= 0 || uint64(len(data)-size) < n {
			return Record{}, fmt.Errorf("undecodable fields: %w", ErrCorrupt)
		}
		fields[i] = data[size : size+int(n)]
		data = data[size+int(n):]
	}
	id := string(fields[0])
	var extra exportExtra
	if len(fields[11]) > 0 {
		if err := json.Unmarshal(fields[11], &extra); err != nil {
			return Record{}, fmt.Errorf("document %s: %w", id, err)
		}
	}
	abstract := fields[9]
	if i := slices.Index(abstract, '\n'); i >= 0 {
		abstract = abstract[:i]
	}
	concepts := []string{}
	if len(fields[8]) > 0 {
		concepts = strings.Split(string(fields[8]), ",")
	}
	return Record{
		ID: id, Title: string(fields[1]), Source: string(fields[2]), Kind: string(fields[3]), Date: string(fields[4]),
		Lang: string(fields[5]), Concepts: concepts, URL: extra.URL, Authors: extra.Authors, Published: extra.Published, Abstract: string(abstract), Match: match,
	}, nil
}
