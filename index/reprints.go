package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

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

// collapse returns docs with one document per group of reprints: the
// first (in document-number order) of each group's members in docs. It
// returns docs itself when no group has two members there.
func (s *Snapshot) collapse(docs *roaring.Bitmap) *roaring.Bitmap {
	return s.collapseWith(docs, nil)
}

// collapseWith is collapse, but a group keeps its member in keep (a set
// collapsed already) when it has one there.
func (s *Snapshot) collapseWith(docs, keep *roaring.Bitmap) *roaring.Bitmap {
	if s.reprintDocs == nil || s.reprintDocs.IsEmpty() {
		return docs
	}
	in := roaring.And(docs, s.reprintDocs)
	if in.GetCardinality() < 2 {
		return docs
	}
	kept := map[int32]uint32{} // group → the member kept
	if keep != nil {
		it := roaring.And(in, keep).Iterator()
		for it.HasNext() {
			doc := it.Next()
			if _, ok := kept[s.reprintGroup[doc]]; !ok {
				kept[s.reprintGroup[doc]] = doc
			}
		}
	}
	drop := roaring.New()
	it := in.Iterator()
	for it.HasNext() {
		doc := it.Next()
		g := s.reprintGroup[doc]
		if k, ok := kept[g]; ok {
			if k != doc {
				drop.Add(doc)
			}
			continue
		}
		kept[g] = doc
	}
	if drop.IsEmpty() {
		return docs
	}
	return roaring.AndNot(docs, drop)
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
