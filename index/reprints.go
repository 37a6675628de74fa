package index

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"tacheron/corpus/reprint"
)

// reprintsFile holds a snapshot's groups of reprints (see corpus/reprint):
// {"groups": [["id1", "id2"], …]}. A snapshot built before reprints were
// detected has none.
const reprintsFile = "reprints.json"

// reprintGroups is the content of reprintsFile.
type reprintGroups struct {
	Groups [][]string `json:"groups"`
}

// writeReprints writes the groups of reprints found while building.
func writeReprints(dir string, groups [][]string) error {
	if groups == nil {
		groups = [][]string{}
	}
	data, err := json.Marshal(reprintGroups{Groups: groups})
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(dir, reprintsFile), data)
}

// loadReprints reads a snapshot's groups of reprints.
func loadReprints(dir string) ([][]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, reprintsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var g reprintGroups
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("%s: %w", reprintsFile, err)
	}
	return g.Groups, nil
}

// Reprint signatures are kept so that an incremental build groups the
// documents it does not read again with those it reads. Each build writes
// the signatures of the documents it read into a file of its own, named
// by signaturesPart, which the sourceFile entry of each file read names;
// a later build that reuses those files hard-links the file into its
// snapshot rather than writing it again. A signatures file holds
// signaturesMagic, the number of documents, then for each its id, its
// shingle count and its hash values (lengths and numbers as uvarints,
// values as 2 bytes little-endian), ids sorted. A document whose text is
// too short to sign has none.
//
// signaturesFile held the signatures of all the documents of the
// snapshots built before signaturesPart (an entry naming no file).
const signaturesFile = "signatures.bin"

// signaturesPart returns the name of the signatures file of the build
// whose token (the time it began) is given.
func signaturesPart(token int64) string { return fmt.Sprintf("signatures-%016x.bin", uint64(token)) }

// signaturesMagic starts a signatures file.
const signaturesMagic = "tacheron-signatures-1\n"

// gobSignaturesFile is where snapshots built before signaturesFile kept
// their signatures (gob of storedSignatures).
const gobSignaturesFile = "signatures.gob"

// storedSignatures are signatures by document id, as gobSignaturesFile
// holds them.
type storedSignatures struct {
	IDs    []string
	Sizes  []int32
	Values [][]uint16
}

// writeSignatures writes sigs into the signatures file path, ids sorted.
func writeSignatures(path string, ids []string, sigs map[string]reprint.Signature) error {
	n := 0
	for _, id := range ids {
		if values, _ := sigs[id].Values(); values != nil {
			n++
		}
	}
	buf := make([]byte, 0, len(signaturesMagic)+n*(24+2*reprintHashes))
	buf = append(buf, signaturesMagic...)
	buf = binary.AppendUvarint(buf, uint64(n))
	for _, id := range ids {
		values, size := sigs[id].Values()
		if values == nil {
			continue
		}
		buf = binary.AppendUvarint(buf, uint64(len(id)))
		buf = append(buf, id...)
		buf = binary.AppendUvarint(buf, uint64(uint32(size)))
		buf = binary.AppendUvarint(buf, uint64(len(values)))
		for _, v := range values {
			buf = binary.LittleEndian.AppendUint16(buf, v)
		}
	}
	return writeFileSync(path, buf)
}

// reprintHashes is the number of hash values of a signature with the
// default reprint.Options, to size writeSignatures' buffer.
const reprintHashes = 96

// loadSignatures reads the signatures file of a snapshot directory built
// before signaturesPart (signaturesFile, or gobSignaturesFile before it).
func loadSignatures(dir string) (map[string]reprint.Signature, error) {
	sigs, err := readSignatures(filepath.Join(dir, signaturesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return loadGobSignatures(dir)
	}
	return sigs, err
}

// readSignatures reads a signatures file.
func readSignatures(path string) (map[string]reprint.Signature, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	corrupt := fmt.Errorf("%s: %w", filepath.Base(path), ErrCorrupt)
	rest, ok := bytes.CutPrefix(data, []byte(signaturesMagic))
	if !ok {
		return nil, corrupt
	}
	next := func() (uint64, bool) {
		v, k := binary.Uvarint(rest)
		if k <= 0 {
			return 0, false
		}
		rest = rest[k:]
		return v, true
	}
	n, ok := next()
	if !ok || n > uint64(len(rest)) {
		return nil, corrupt
	}
	// The ids are cut from one string and the values from one slice,
	// rather than allocated one by one.
	text := string(rest)
	slab := make([]uint16, 0, len(rest)/2)
	out := make(map[string]reprint.Signature, n)
	for range n {
		idLen, ok := next()
		if !ok || idLen > uint64(len(rest)) {
			return nil, corrupt
		}
		at := len(text) - len(rest)
		id := text[at : at+int(idLen)]
		rest = rest[idLen:]
		size, ok1 := next()
		count, ok2 := next()
		if !ok1 || !ok2 || size > math.MaxInt32 || count > uint64(len(rest))/2 {
			return nil, corrupt
		}
		start := len(slab)
		slab = slab[:start+int(count)]
		values, src := slab[start:], rest[:2*count]
		for i := range values {
			values[i] = uint16(src[2*i]) | uint16(src[2*i+1])<<8
		}
		rest = rest[2*count:]
		out[id] = reprint.SignatureOf(values[:len(values):len(values)], int32(size))
	}
	if len(rest) != 0 || len(out) != int(n) {
		return nil, corrupt
	}
	return out, nil
}

// loadGobSignatures reads the signatures of a snapshot built before
// signaturesFile.
func loadGobSignatures(dir string) (map[string]reprint.Signature, error) {
	f, err := os.Open(filepath.Join(dir, gobSignaturesFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var st storedSignatures
	if err := gob.NewDecoder(f).Decode(&st); err != nil {
		return nil, fmt.Errorf("%s: %w", gobSignaturesFile, ErrCorrupt)
	}
	if len(st.Sizes) != len(st.IDs) || len(st.Values) != len(st.IDs) {
		return nil, fmt.Errorf("%s: %w", gobSignaturesFile, ErrCorrupt)
	}
	out := make(map[string]reprint.Signature, len(st.IDs))
	for i, id := range st.IDs {
		out[id] = reprint.SignatureOf(st.Values[i], st.Sizes[i])
	}
	return out, nil
}

// kept returns the entries of the files of an incremental build that it
// did not read, reusing their entries in reuse, in corpus order.
func kept(files []string, ix *indexer, reuse map[string]*sourceFile) []*sourceFile {
	var out []*sourceFile
	for _, f := range files {
		if ix.files[f] == nil && reuse[f] != nil {
			out = append(out, reuse[f])
		}
	}
	return out
}

// reprintGroups groups the reprints among the documents of the snapshot
// being built in dir: the documents read (signed while analysed) and, for
// an incremental build, those of the files kept from prev (signed then),
// regrouped from prev's groups where that gives what grouping them all
// would (reprint.Finder.Regroup). The documents are grouped in the order
// of their ids, so that the groups depend on the documents only. It writes
// the signatures of the documents read into dir, as part (and names it in
// their files' entries), and links in those of the files kept. It runs
// beside indexer.finish, so it touches no entry's Shards.
func (ix *indexer) reprintGroups(dir string, prev *previous, keptFiles []*sourceFile, part string) ([][]string, error) {
	if len(ix.files) > 0 {
		if err := writeSignatures(filepath.Join(dir, part), slices.Sorted(maps.Keys(ix.sigs)), ix.sigs); err != nil {
			return nil, err
		}
		for _, e := range ix.files {
			e.Signatures = part
		}
	}
	finder := reprint.NewFinder(reprint.Options{})
	if prev == nil {
		finder.Grow(len(ix.sigs))
		for _, id := range slices.Sorted(maps.Keys(ix.sigs)) {
			finder.AddSigned(id, ix.sigs[id])
		}
		return finder.Groups(), nil
	}
	parts := map[string]map[string]reprint.Signature{}
	load := func(name string) (map[string]reprint.Signature, error) {
		if sigs, ok := parts[name]; ok {
			return sigs, nil
		}
		var sigs map[string]reprint.Signature
		var err error
		if name == "" {
			sigs, err = loadSignatures(prev.dir)
		} else {
			sigs, err = readSignatures(filepath.Join(prev.dir, name))
		}
		if err != nil {
			return nil, fmt.Errorf("previous snapshot: %w", err)
		}
		parts[name] = sigs
		return sigs, nil
	}
	kept := map[string]reprint.Signature{}
	isKept := map[string]bool{}
	for _, f := range keptFiles {
		isKept[f.Path] = true
		if _, ok := parts[f.Signatures]; !ok {
			if err := linkSignatures(prev.dir, dir, f.Signatures); err != nil {
				return nil, err
			}
		}
		sigs, err := load(f.Signatures)
		if err != nil {
			return nil, err
		}
		for _, c := range f.Claims {
			if sig, ok := sigs[c.ID]; ok && !c.Repeat {
				kept[c.ID] = sig
			}
		}
	}
	var removed []reprint.Signature
	for _, f := range prev.man.Files {
		if isKept[f.Path] {
			continue
		}
		sigs, err := load(f.Signatures)
		if err != nil {
			return nil, err
		}
		for _, c := range f.Claims {
			if sig, ok := sigs[c.ID]; ok && !c.Repeat {
				removed = append(removed, sig)
			}
		}
	}
	previousGroups, err := loadReprints(prev.dir)
	if err != nil {
		return nil, fmt.Errorf("previous snapshot: %w", err)
	}
	ids := slices.Collect(maps.Keys(kept))
	for id := range ix.sigs {
		if _, ok := kept[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	finder.Grow(len(ids))
	for _, id := range ids {
		if sig, ok := kept[id]; ok {
			finder.AddSigned(id, sig)
		} else {
			finder.AddFresh(id, ix.sigs[id])
		}
	}
	groups, _ := finder.Regroup(previousGroups, removed)
	return groups, nil
}

// linkSignatures links into dir the signatures file name of the snapshot
// prev ("" for the file of a snapshot built before signaturesPart),
// copying it where links fail.
func linkSignatures(prev, dir, name string) error {
	names := []string{name}
	if name == "" {
		names = []string{signaturesFile, gobSignaturesFile}
	}
	for _, n := range names {
		src, dst := filepath.Join(prev, n), filepath.Join(dir, n)
		if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) && name == "" {
			continue
		}
		if err := os.Link(src, dst); err == nil {
			continue
		}
		if err := copyFile(src, dst); err != nil {
			return fmt.Errorf("share signatures: %w", err)
		}
	}
	return nil
}

// indexReprints prepares the snapshot's groups of reprints for searching:
// each member's list of the others, the bitmap of the members and each
// member's group.
func (s *Snapshot) indexReprints(groups [][]string) error {
	s.reprints = reprint.Others(groups)
	s.reprintDocs = roaring.New()
	s.reprintGroup = map[uint32]int32{}
	for g, ids := range groups {
		for _, id := range ids {
			doc, found, err := s.internalID(id)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", reprintsFile, id, err)
			}
			if !found {
				return fmt.Errorf("%s: %s is not in the index", reprintsFile, id)
			}
			s.reprintDocs.Add(doc)
			s.reprintGroup[doc] = int32(g)
		}
	}
	return nil
}

// collapseRanked returns docs with one document per group of reprints,
// but a group keeps its member in keep (a set collapsed already) when it
// has one there, and each group is represented by its member with the
// largest rank (a query's ranking key: the member that
// would come first in the hits), ties going to the one earlier in the
// stable order; a nil rank ranks every member alike. A group with a
// member in keep chooses among those members only.
func (s *Snapshot) collapseRanked(docs, keep *roaring.Bitmap, rank func(doc uint32) uint64) *roaring.Bitmap {
	if s.reprintDocs == nil || s.reprintDocs.IsEmpty() {
		return docs
	}
	in := roaring.And(docs, s.reprintDocs)
	if in.GetCardinality() < 2 {
		return docs
	}
	// better reports whether a should represent its group rather than b.
	better := func(a, b uint32) bool {
		if rank != nil {
			if ra, rb := rank(a), rank(b); ra != rb {
				return ra > rb
			}
		}
		return s.stableKey(a) < s.stableKey(b)
	}
	offer := func(kept map[int32]uint32, doc uint32) {
		g := s.reprintGroup[doc]
		if k, ok := kept[g]; !ok || better(doc, k) {
			kept[g] = doc
		}
	}
	kept := map[int32]uint32{} // group → the member kept
	if keep != nil {
		it := roaring.And(in, keep).Iterator()
		for it.HasNext() {
			offer(kept, it.Next())
		}
	}
	fromKeep := len(kept)
	chosen := map[int32]uint32{}
	it := in.Iterator()
	for it.HasNext() {
		offer(chosen, it.Next())
	}
	if fromKeep > 0 {
		maps.Copy(chosen, kept)
	}
	drop := roaring.New()
	it = in.Iterator()
	for it.HasNext() {
		doc := it.Next()
		if chosen[s.reprintGroup[doc]] != doc {
			drop.Add(doc)
		}
	}
	if drop.IsEmpty() {
		return docs
	}
	return roaring.AndNot(docs, drop)
}

// stableKey returns doc's position in the stable order, or its number
// when the snapshot was opened without its tables.
func (s *Snapshot) stableKey(doc uint32) uint32 {
	if int(doc) < len(s.pos) {
		return s.pos[doc]
	}
	return doc
}

// reprintRefs returns references to the reprints of document id.
func (s *Snapshot) reprintRefs(ctx context.Context, id string) []DocumentRef {
	var refs []DocumentRef
	for _, other := range s.reprints[id] {
		if ref, err := s.ref(ctx, other); err == nil {
			refs = append(refs, *ref)
		}
	}
	return refs
}
