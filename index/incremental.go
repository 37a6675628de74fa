package index

// Incremental builds. A snapshot lists in sources.json the source files it
// was built from: for each, a hash of its content (and of the manifest
// beside it), the ids its documents were given, the shards holding them and
// what they add to the snapshot's statistics. A build given the previous
// snapshot reads only the files that are new or changed since; a file
// unchanged keeps its documents where they are. The previous snapshot's
// shards are immutable: those that still hold documents are hard-linked
// into the new snapshot (copied where links fail), and the documents of
// changed or removed files are listed as deleted (deleted.json), not
// rewritten. Statistics are sums over the files, so they are what a full
// build would count; BM25's document frequencies are counted at search
// time over live documents, and the vocabulary's are corrected when the
// snapshot opens by the counts of deleted-terms-N.bin (deletedterms.go).
//
// A change of format, analysis or taxonomy makes a full build. So that
// shards do not pile up, nor deleted documents slow searches, a build that
// would leave more than maxParts shards merges the smallest ones into one,
// and a shard a quarter deleted is rewritten without them (compact.go):
// neither reads its files again.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"tacheron/corpus"
)

const sourcesFile = "sources.json"

// analysisVersion changes whenever analysis makes other terms of a text or
// tags other concepts, or the stored documents gain a field (3: the time
// of publication): a snapshot built with another is rebuilt in full.
const analysisVersion = 3

// maxParts bounds the shards an incremental build leaves.
const maxParts = 8

// A sourceManifest is the list of a snapshot's source files.
type sourceManifest struct {
	Format   int    `json:"format"`
	Analysis int    `json:"analysis"`
	Taxonomy string `json:"taxonomy"`
	// StatTime is when the files were stat'ed, in Unix nanoseconds,
	// before they were hashed (see fingerprints).
	StatTime int64 `json:"stat_time,omitempty"`
	// Files are in corpus order.
	Files []*sourceFile `json:"files"`
}

// A sourceFile is what a source file made.
type sourceFile struct {
	Path string `json:"path"`
	Hash string `json:"hash"`
	// Stat is the file's corpus.FileStat key when it was hashed.
	Stat string `json:"stat,omitempty"`
	// Claims are its documents' ids, in file order.
	Claims []corpus.Claim `json:"claims"`
	// Shards hold its documents.
	Shards    []int          `json:"shards"`
	Documents int            `json:"documents"`
	ByKind    map[string]int `json:"by_kind"`
	ByLang    map[string]int `json:"by_lang"`
	Concepts  map[string]int `json:"concepts"`
	TextBytes int64          `json:"text_bytes"`
	// Lengths are the analysed lengths of its documents' text fields,
	// summed.
	Lengths map[string]int `json:"lengths"`
	// Signatures names the snapshot's file holding its documents' reprint
	// signatures (see signaturesPart; none: signaturesFile).
	Signatures string `json:"signatures,omitempty"`
}

// add counts a document read from the file (its concepts are counted once
// it is tagged, by indexer.analyse).
func (f *sourceFile) add(d *corpus.Document, claim corpus.Claim) error {
	if f.ByKind == nil {
		f.ByKind, f.ByLang, f.Concepts = map[string]int{}, map[string]int{}, map[string]int{}
	}
	f.Claims = append(f.Claims, claim)
	f.Documents++
	f.ByKind[string(d.Kind)]++
	f.ByLang[string(d.Lang)]++
	f.TextBytes += int64(len(d.Title))
	for _, p := range d.Paragraphs {
		f.TextBytes += int64(len(p.Text))
	}
	return nil
}

// buildKey returns what a snapshot must share with the previous one to be
// built upon it.
func buildKey(taxonomy []byte) sourceManifest {
	sum := sha256.Sum256(taxonomy)
	return sourceManifest{Format: formatVersion, Analysis: analysisVersion, Taxonomy: hex.EncodeToString(sum[:])}
}

// stats sums the files' statistics.
func (m *sourceManifest) stats() *Stats {
	st := &Stats{
		Format: formatVersion, ByKind: map[string]int{}, ByLang: map[string]int{},
		Concepts: map[string]int{}, FieldLength: map[string]float64{},
	}
	lengths := map[string]int{}
	for _, f := range m.Files {
		st.Documents += f.Documents
		st.TextBytes += f.TextBytes
		for k, n := range f.ByKind {
			st.ByKind[k] += n
		}
		for k, n := range f.ByLang {
			st.ByLang[k] += n
		}
		for k, n := range f.Concepts {
			st.Concepts[k] += n
		}
		for k, n := range f.Lengths {
			lengths[k] += n
		}
	}
	for k, n := range lengths {
		if st.Documents > 0 {
			st.FieldLength[k] = float64(n) / float64(st.Documents)
		}
	}
	return st
}

// write writes the manifest into a snapshot directory.
func (m *sourceManifest) write(dir string) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(dir, sourcesFile), data)
}

// racyWindow is how close to the previous build a file may have been
// modified for its modification time to be trusted: a file modified within
// it (or after it) may have changed again within the same clock tick, so
// it is hashed again whatever its FileStat says (git's "racy" entries).
const racyWindow = 2 * time.Second

// A fingerprint is what a build knows of a source file before reading it.
type fingerprint struct {
	hash string
	stat corpus.FileStat
}

// fingerprints returns the fingerprint of every file of c, and how many
// files were hashed. A file whose FileStat is what prev (when set)
// recorded, and that was modified more than racyWindow before prev's files
// were stat'ed, keeps prev's hash unread; every other file is hashed.
func fingerprints(ctx context.Context, c *corpus.Corpus, prev *sourceManifest) (map[string]fingerprint, int, error) {
	known := map[string]*sourceFile{}
	var trusted time.Time
	if prev != nil && prev.StatTime != 0 {
		trusted = time.Unix(0, prev.StatTime).Add(-racyWindow)
		for _, f := range prev.Files {
			known[f.Path] = f
		}
	}
	out := make(map[string]fingerprint, len(c.Files()))
	hashed := 0
	for _, f := range c.Files() {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		st, err := c.Stat(f)
		if err != nil {
			return nil, 0, fmt.Errorf("build: %w", err)
		}
		if e := known[f]; e != nil && e.Stat == st.Key && e.Hash != "" && st.ModTime.Before(trusted) {
			out[f] = fingerprint{hash: e.Hash, stat: st}
			continue
		}
		h, err := c.Fingerprint(f)
		if err != nil {
			return nil, 0, fmt.Errorf("build: %w", err)
		}
		hashed++
		out[f] = fingerprint{hash: h, stat: st}
	}
	return out, hashed, nil
}

// previous is the snapshot an incremental build follows.
type previous struct {
	dir    string
	stats  Stats
	man    sourceManifest
	shards []*shard
}

// openPrevious opens the snapshot in dir to build upon it; when it cannot
// be (another format, analysis or taxonomy), it returns nil and why.
func openPrevious(dir string, key sourceManifest) (*previous, string, error) {
	p := &previous{dir: dir}
	data, err := os.ReadFile(filepath.Join(dir, statsFile))
	if err == nil {
		err = json.Unmarshal(data, &p.stats)
	}
	if err != nil {
		return nil, fmt.Sprintf("the previous snapshot cannot be read (%v)", err), nil
	}
	if p.stats.Format != formatVersion {
		return nil, fmt.Sprintf("the previous snapshot has format %d, this build writes %d", p.stats.Format, formatVersion), nil
	}
	data, err = os.ReadFile(filepath.Join(dir, sourcesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "the previous snapshot does not list its source files", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("build: previous snapshot: %w", err)
	}
	if err := json.Unmarshal(data, &p.man); err != nil {
		return nil, "", fmt.Errorf("build: previous snapshot: %s: %w", sourcesFile, err)
	}
	switch {
	case p.man.Analysis != key.Analysis:
		return nil, fmt.Sprintf("the analysis changed (version %d, was %d)", key.Analysis, p.man.Analysis), nil
	case p.man.Taxonomy != key.Taxonomy:
		return nil, "the taxonomy (concepts.json) changed", nil
	case p.man.Format != key.Format:
		return nil, fmt.Sprintf("the format changed (%d, was %d)", key.Format, p.man.Format), nil
	}
	p.shards, err = openShards(dir)
	if err != nil {
		return nil, "", fmt.Errorf("build: previous snapshot: %w", err)
	}
	return p, "", nil
}

func (p *previous) close() error { return closeShards(p.shards) }

// reusable returns the previous snapshot's entries of the files that did
// not change, by path.
func (p *previous) reusable(files map[string]fingerprint) map[string]*sourceFile {
	out := map[string]*sourceFile{}
	for _, f := range p.man.Files {
		if files[f.Path].hash == f.Hash {
			out[f.Path] = f
		}
	}
	return out
}

// carryOver completes an incremental build in dir: it marks deleted the
// documents of the previous snapshot's files that were read again or
// removed, links in the previous shards that still hold documents (after
// ix's new shards), and completes man with the files reused, in corpus
// order.
func (p *previous) carryOver(ctx context.Context, dir string, ix *indexer, man *sourceManifest, files []string, prints map[string]fingerprint, reuse map[string]*sourceFile) (*IncrementalStats, error) {
	inc := &IncrementalStats{Previous: p.stats.Generation, FilesRead: len(ix.files), DocumentsRead: ix.read}
	current := map[string]bool{}
	for _, f := range files {
		current[f] = true
	}
	kept := map[string]bool{}
	for _, f := range files {
		if ix.files[f] == nil && reuse[f] != nil {
			kept[f] = true
		}
	}
	deleted := make([]*roaring.Bitmap, len(p.shards))
	for i, sh := range p.shards {
		deleted[i] = roaring.New()
		if sh.deleted != nil {
			deleted[i].Or(sh.deleted)
		}
	}
	for _, f := range p.man.Files {
		if kept[f.Path] {
			continue
		}
		if !current[f.Path] {
			inc.FilesRemoved++
		}
		for _, c := range f.Claims {
			if c.Repeat {
				continue // another file's document
			}
			for _, i := range f.Shards {
				if i >= len(p.shards) {
					return nil, fmt.Errorf("build: previous snapshot: %s: shard %d of %s missing", sourcesFile, i, f.Path)
				}
				internal, err := p.shards[i].reader.InternalID(c.ID)
				if err != nil {
					return nil, fmt.Errorf("build: previous snapshot: %w", err)
				}
				if internal == nil || deleted[i].Contains(uint32(internal.Value())) {
					continue
				}
				deleted[i].Add(uint32(internal.Value()))
				inc.DocumentsDeleted++
				break
			}
		}
	}
	renumber := map[int]int{}
	del := map[int][]uint32{}
	mergeBytes := newSizing(ix.opts, 1).mergeBytes
	share := ix.opts.CompactShare
	if share <= 0 {
		share = defaultCompactShare
	}
	for k, g := range p.planShards(deleted, len(ix.shards), share) {
		j := len(ix.shards) + k
		for _, i := range g.members {
			renumber[i] = j
		}
		if g.compact {
			if _, err := p.compact(ctx, shardDir(dir, j), ix.m, g.members, deleted, mergeBytes); err != nil {
				return nil, fmt.Errorf("build: compact shards %v: %w", g.members, err)
			}
			if len(g.members) > 1 {
				inc.MergedShards += len(g.members)
			} else {
				inc.CompactedShards++
			}
			for _, i := range g.members {
				inc.DocumentsDropped += int(deleted[i].GetCardinality())
			}
			continue
		}
		i := g.members[0]
		if err := linkTree(shardDir(p.dir, i), shardDir(dir, j)); err != nil {
			return nil, fmt.Errorf("build: share shard: %w", err)
		}
		if !deleted[i].IsEmpty() {
			del[j] = deleted[i].ToArray()
			if err := p.writeDeletedTerms(dir, j, i, deleted[i]); err != nil {
				return nil, err
			}
		}
		inc.SharedShards++
	}
	man.Files = man.Files[:0]
	for _, f := range files {
		switch {
		case ix.files[f] != nil:
			man.Files = append(man.Files, ix.files[f])
		case kept[f]:
			e := reuse[f]
			e.Stat = prints[f].stat.Key
			for k, i := range e.Shards {
				j, ok := renumber[i]
				if !ok {
					return nil, fmt.Errorf("build: %s kept, its shard %d is not", f, i)
				}
				e.Shards[k] = j
			}
			slices.Sort(e.Shards)
			e.Shards = slices.Compact(e.Shards)
			man.Files = append(man.Files, e)
			inc.FilesReused++
		}
	}
	if len(del) > 0 {
		data, err := json.Marshal(del)
		if err != nil {
			return nil, err
		}
		if err := writeFileSync(filepath.Join(dir, deletedFile), data); err != nil {
			return nil, err
		}
	}
	return inc, nil
}

// linkTree makes dst a copy of the directory src, its files hard links to
// src's where the filesystem allows.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if err := os.Link(path, target); err == nil {
			return nil
		}
		return copyFile(path, target)
	})
}

// copyFile copies a file and flushes the copy.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
