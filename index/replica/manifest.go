package replica

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A Manifest lists the files of a published snapshot.
type Manifest struct {
	Generation uint64 `json:"generation"`
	Files      []File `json:"files"`
}

// A File is a file of a snapshot: its slash-separated path inside the
// snapshot directory, its size and the hex SHA-256 of its content.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Bytes returns the total size of the files.
func (m *Manifest) Bytes() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// A Pointer names the published generation; it is the object PREFIX/CURRENT.
type Pointer struct {
	Generation uint64    `json:"generation"`
	Published  time.Time `json:"published"`
}

const (
	pointerName  = "CURRENT"
	snapshotsDir = "snapshots"
	manifestName = "MANIFEST.json"
)

// skipped are the files of a snapshot directory that are not published:
// the lock servers hold while they use it.
var skipped = []string{"IN-USE"}

// genDir is the name of generation gen's directory, as in a store.
func genDir(gen uint64) string { return fmt.Sprintf("%06d", gen) }

// scan lists the files of the snapshot in dir, hashing each.
func scan(dir string, gen uint64) (*Manifest, error) {
	m := &Manifest{Generation: gen}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if slices.Contains(skipped, rel) {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		size, sum, err := hashFile(p)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, File{Path: rel, Size: size, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", dir, err)
	}
	if len(m.Files) == 0 {
		return nil, fmt.Errorf("snapshot %s: no files", dir)
	}
	return m, nil
}

// hashFile returns the size and hex SHA-256 of the file at p.
func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// parseManifest decodes and checks a manifest of generation gen: every
// path is a clean relative path inside the snapshot, listed once, and
// every checksum is a SHA-256.
func parseManifest(data []byte, gen uint64) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest of generation %d: %w", gen, err)
	}
	if m.Generation != gen {
		return nil, fmt.Errorf("manifest of generation %d names generation %d", gen, m.Generation)
	}
	if len(m.Files) == 0 {
		return nil, fmt.Errorf("manifest of generation %d lists no files", gen)
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		if !fs.ValidPath(f.Path) || f.Path == "." || path.Clean(f.Path) != f.Path || strings.Contains(f.Path, `\`) {
			return nil, fmt.Errorf("manifest of generation %d: bad path %q", gen, f.Path)
		}
		if slices.Contains(skipped, f.Path) || strings.HasSuffix(f.Path, partSuffix) {
			return nil, fmt.Errorf("manifest of generation %d: reserved path %q", gen, f.Path)
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("manifest of generation %d lists %q twice", gen, f.Path)
		}
		seen[f.Path] = true
		if f.Size < 0 {
			return nil, fmt.Errorf("manifest of generation %d: %q has size %d", gen, f.Path, f.Size)
		}
		if b, err := hex.DecodeString(f.SHA256); err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("manifest of generation %d: %q has checksum %q, not a SHA-256", gen, f.Path, f.SHA256)
		}
	}
	return &m, nil
}

// parsePointer decodes a pointer.
func parsePointer(data []byte) (Pointer, error) {
	var p Pointer
	if err := json.Unmarshal(data, &p); err != nil {
		return Pointer{}, fmt.Errorf("pointer %s: %w", pointerName, err)
	}
	if p.Generation == 0 {
		return Pointer{}, fmt.Errorf("pointer %s names no generation", pointerName)
	}
	return p, nil
}
