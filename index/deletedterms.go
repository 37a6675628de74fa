package index

// The terms of a shard's deleted documents. The vocabulary of suggestions
// and corrections counts, for each term, the documents holding it; a
// shard's dictionary counts its deleted documents too, so that opening a
// snapshot subtracts what its deleted documents hold. Rather than analyse
// those documents again at every open, an incremental build writes, for
// each shard with deleted documents, deleted-terms-N.bin: the terms of the
// vocabulary's fields (vocabularyFields) in its deleted documents, each
// with the number of (document, field) pairs holding it. A build starts
// from the previous snapshot's file of a shard it shares and analyses only
// the documents newly deleted in it. A snapshot without the file (built
// before it), or whose file does not cover the shard's deleted documents
// or the vocabulary's fields, is corrected by analysing them again
// (Snapshot.deletedTerms).
//
// The file, all integers unsigned varints:
//
//	"TDT1"                      magic
//	documents                   the deleted documents it covers
//	fields, then each field     length, bytes
//	terms, then each term       in order: bytes shared with the term
//	                            before, length of the rest, the rest,
//	                            count
//	CRC-32 (IEEE)               of all the above, 4 bytes little-endian

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"

	text "tacheron/corpus/analysis"
)

// deletedTermsMagic starts a deleted-terms file.
const deletedTermsMagic = "TDT1"

// deletedTermsName returns the name of the deleted-terms file of shard i.
func deletedTermsName(i int) string { return "deleted-terms-" + strconv.Itoa(i) + ".bin" }

// vocabularyFields returns the fields the vocabulary is read from.
func vocabularyFields() []string {
	return []string{fieldTitlePlain, fieldBodyPlain, fieldSourceText}
}

// A deletedCounts holds the terms of a shard's deleted documents, counted.
type deletedCounts struct {
	// docs is the number of deleted documents counted.
	docs uint64
	// fields are the fields their terms were taken from.
	fields []string
	// terms are the terms, in order, and counts the (document, field)
	// pairs holding each (none is 0).
	terms  []string
	counts []uint32
}

// covers reports whether tc counts exactly the documents of deleted, in
// fields (in any order).
func (tc *deletedCounts) covers(deleted *roaring.Bitmap, fields []string) bool {
	if tc == nil || deleted == nil || tc.docs != deleted.GetCardinality() {
		return false
	}
	a, b := slices.Clone(tc.fields), slices.Clone(fields)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// addDocuments counts the terms of fields in documents docs of st, once
// per field that holds each.
func (tc *deletedCounts) addDocuments(st *docStore, docs *roaring.Bitmap) error {
	a := newDocAnalyzer()
	more := map[string]uint32{}
	it := docs.Iterator()
	for it.HasNext() {
		n := it.Next()
		rec, err := st.get(n)
		if err != nil {
			return fmt.Errorf("document %d: %w", n, err)
		}
		forDocumentTerms(a, rec, tc.fields, func(term string) { more[term]++ })
		tc.docs++
	}
	tc.merge(more)
	return nil
}

// merge adds counts to tc's.
func (tc *deletedCounts) merge(more map[string]uint32) {
	added := make([]string, 0, len(more))
	for t := range more {
		added = append(added, t)
	}
	slices.Sort(added)
	terms := make([]string, 0, len(tc.terms)+len(added))
	counts := make([]uint32, 0, len(tc.terms)+len(added))
	i, j := 0, 0
	for i < len(tc.terms) || j < len(added) {
		switch {
		case j == len(added) || i < len(tc.terms) && tc.terms[i] < added[j]:
			terms, counts = append(terms, tc.terms[i]), append(counts, tc.counts[i])
			i++
		case i == len(tc.terms) || added[j] < tc.terms[i]:
			terms, counts = append(terms, added[j]), append(counts, more[added[j]])
			j++
		default:
			terms, counts = append(terms, added[j]), append(counts, tc.counts[i]+more[added[j]])
			i++
			j++
		}
	}
	tc.terms, tc.counts = terms, counts
}

// forDocumentTerms calls fn once for each term of fields in rec's
// document, once per field that holds it. Only the plain fields are
// analysed when fields are all plain ones.
func forDocumentTerms(a *docAnalyzer, rec *record, fields []string, fn func(term string)) {
	seen := map[string]map[string]bool{}
	b := &streamBuilder{a: a, emit: func(field string, term []byte, _ *text.Token, _ analysis.TokenType) {
		if !slices.Contains(fields, field) {
			return
		}
		s := seen[field]
		if s == nil {
			s = map[string]bool{}
			seen[field] = s
		}
		if !s[string(term)] {
			s[string(term)] = true
			fn(string(term))
		}
	}}
	b.plain = !slices.ContainsFunc(fields, func(f string) bool {
		return f != fieldTitlePlain && f != fieldBodyPlain && f != fieldSourceText
	})
	b.document(rec.document())
}

// encode returns the file's content.
func (tc *deletedCounts) encode() []byte {
	buf := []byte(deletedTermsMagic)
	buf = binary.AppendUvarint(buf, tc.docs)
	buf = binary.AppendUvarint(buf, uint64(len(tc.fields)))
	for _, f := range tc.fields {
		buf = binary.AppendUvarint(buf, uint64(len(f)))
		buf = append(buf, f...)
	}
	buf = binary.AppendUvarint(buf, uint64(len(tc.terms)))
	prev := ""
	for k, t := range tc.terms {
		shared := 0
		for shared < len(prev) && shared < len(t) && prev[shared] == t[shared] {
			shared++
		}
		buf = binary.AppendUvarint(buf, uint64(shared))
		buf = binary.AppendUvarint(buf, uint64(len(t)-shared))
		buf = append(buf, t[shared:]...)
		buf = binary.AppendUvarint(buf, uint64(tc.counts[k]))
		prev = t
	}
	return sealDeletedCounts(buf)
}

// sealDeletedCounts appends to the content of a deleted-terms file its
// checksum.
func sealDeletedCounts(buf []byte) []byte {
	return binary.LittleEndian.AppendUint32(buf, crc32.ChecksumIEEE(buf))
}

// errDeletedCounts says a deleted-terms file is malformed.
var errDeletedCounts = errors.New("malformed")

// decodeDeletedCounts parses a deleted-terms file.
func decodeDeletedCounts(data []byte) (*deletedCounts, error) {
	if len(data) < len(deletedTermsMagic)+4 || string(data[:len(deletedTermsMagic)]) != deletedTermsMagic {
		return nil, fmt.Errorf("%w: not a deleted-terms file", errDeletedCounts)
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errDeletedCounts)
	}
	r := bytes.NewReader(body[len(deletedTermsMagic):])
	uvarint := func(what string, limit uint64) (uint64, error) {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			return 0, fmt.Errorf("%w: %s at offset %d: %w", errDeletedCounts, what, len(body)-r.Len(), err)
		}
		if v > limit {
			return 0, fmt.Errorf("%w: %s %d at offset %d exceeds %d", errDeletedCounts, what, v, len(body)-r.Len(), limit)
		}
		return v, nil
	}
	str := func(what string, n uint64) (string, error) {
		if n > uint64(r.Len()) {
			return "", fmt.Errorf("%w: %s of %d bytes at offset %d, %d left", errDeletedCounts, what, n, len(body)-r.Len(), r.Len())
		}
		b := make([]byte, n)
		r.Read(b)
		return string(b), nil
	}
	tc := &deletedCounts{}
	var err error
	if tc.docs, err = uvarint("documents", 1<<32); err != nil {
		return nil, err
	}
	nf, err := uvarint("fields", 64)
	if err != nil {
		return nil, err
	}
	for range nf {
		n, err := uvarint("field length", uint64(r.Len()))
		if err != nil {
			return nil, err
		}
		f, err := str("field", n)
		if err != nil {
			return nil, err
		}
		tc.fields = append(tc.fields, f)
	}
	nt, err := uvarint("terms", uint64(r.Len()))
	if err != nil {
		return nil, err
	}
	tc.terms, tc.counts = make([]string, 0, nt), make([]uint32, 0, nt)
	prev := ""
	for range nt {
		shared, err := uvarint("shared prefix", uint64(len(prev)))
		if err != nil {
			return nil, err
		}
		n, err := uvarint("term length", uint64(r.Len()))
		if err != nil {
			return nil, err
		}
		rest, err := str("term", n)
		if err != nil {
			return nil, err
		}
		t := prev[:shared] + rest
		if t <= prev && prev != "" || t == "" {
			return nil, fmt.Errorf("%w: term %q out of order after %q", errDeletedCounts, t, prev)
		}
		c, err := uvarint("count", 1<<32-1)
		if err != nil {
			return nil, err
		}
		if c == 0 {
			return nil, fmt.Errorf("%w: term %q counted 0 times", errDeletedCounts, t)
		}
		tc.terms, tc.counts = append(tc.terms, t), append(tc.counts, uint32(c))
		prev = t
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last term", errDeletedCounts, r.Len())
	}
	return tc, nil
}

// readDeletedCounts reads the deleted-terms file of shard i of the snapshot in
// dir; it returns nil when there is none.
func readDeletedCounts(dir string, i int) (*deletedCounts, error) {
	name := filepath.Join(dir, deletedTermsName(i))
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	tc, err := decodeDeletedCounts(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return tc, nil
}

// checkDeletedTerms reads the deleted-terms files of the shards of the
// snapshot in dir that have deleted documents, so that a damaged one is
// found when a snapshot is validated rather than when it is opened for
// searching (which reads them).
func checkDeletedTerms(dir string, shards []*shard) error {
	for i, sh := range shards {
		if sh.deleted == nil {
			continue
		}
		if _, err := readDeletedCounts(dir, i); err != nil {
			return err
		}
	}
	return nil
}

// writeDeletedTerms writes into dir the deleted-terms file of its shard j,
// shard i of the previous snapshot, whose deleted documents are deleted:
// the previous snapshot's file for the shard (when it covers the shard's
// deleted documents then) and the terms of those deleted since, read from
// the shard's records. A file that stays the same is linked.
func (p *previous) writeDeletedTerms(dir string, j, i int, deleted *roaring.Bitmap) error {
	fields := vocabularyFields()
	sh := p.shards[i]
	todo := deleted
	tc := &deletedCounts{fields: fields}
	if sh.deleted != nil {
		old, err := readDeletedCounts(p.dir, i)
		if err != nil {
			return fmt.Errorf("build: previous snapshot: %w", err)
		}
		if old.covers(sh.deleted, fields) {
			todo = roaring.AndNot(deleted, sh.deleted)
			if todo.IsEmpty() {
				return linkTree(filepath.Join(p.dir, deletedTermsName(i)), filepath.Join(dir, deletedTermsName(j)))
			}
			tc = old
		}
	}
	st, err := openDocStore(shardDir(p.dir, i), false)
	if err != nil {
		return fmt.Errorf("build: previous snapshot: %w", err)
	}
	defer st.close()
	if err := tc.addDocuments(st, todo); err != nil {
		return fmt.Errorf("build: deleted documents of shard %d: %w", i, err)
	}
	return writeFileSync(filepath.Join(dir, deletedTermsName(j)), tc.encode())
}
