package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"tacheron/corpus"
	"tacheron/index"
)

// A Store is a directory of immutable snapshots and a marker naming the one
// to serve:
//
//	PATH/CURRENT                  the current generation, e.g. "3"
//	PATH/LOCK                     held (flock) while a build runs
//	PATH/snapshots/000003/        a snapshot (see Build)
//	PATH/snapshots/000003/IN-USE  held shared (flock) by each server using it
//	PATH/snapshots/.build-*       a build in progress, or one that crashed
//
// Publishing builds a new snapshot beside the others, validates it, renames
// it into place and then replaces CURRENT by an atomic rename: a failed or
// killed build never changes what is served.
type Store struct {
	dir string
}

// ErrLocked reports a store where another build is running.
var ErrLocked = errors.New("another tacheron index run holds the lock")

const (
	currentFile  = "CURRENT"
	lockFile     = "LOCK"
	snapshotsDir = "snapshots"
	inUseFile    = "IN-USE"
	buildPrefix  = ".build-"
)

// Open returns the store at dir (it need not exist yet).
func Open(dir string) *Store { return &Store{dir: dir} }

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Current returns the current generation and its snapshot directory.
func (s *Store) Current() (uint64, string, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return 0, "", index.ErrNoSnapshot
	}
	if err != nil {
		return 0, "", fmt.Errorf("index %s: %w", s.dir, err)
	}
	gen, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	if err != nil || gen == 0 {
		return 0, "", fmt.Errorf("index %s: %s holds %q, not a generation", s.dir, currentFile, data)
	}
	return gen, s.snapshotDir(gen), nil
}

func (s *Store) snapshotDir(gen uint64) string {
	return filepath.Join(s.dir, snapshotsDir, fmt.Sprintf("%06d", gen))
}

// generations lists the published snapshot generations, oldest first.
func (s *Store) generations() ([]uint64, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, snapshotsDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var gens []uint64
	for _, e := range entries {
		if gen, err := strconv.ParseUint(e.Name(), 10, 64); err == nil && e.IsDir() {
			gens = append(gens, gen)
		}
	}
	slices.Sort(gens)
	return gens, nil
}

// PublishOptions tunes Publish.
type PublishOptions struct {
	index.BuildOptions
	// Keep is the number of snapshots kept, the new one included (default
	// 2); older ones are removed unless a server still uses them.
	Keep int
	// MinGeneration, when set, is the least generation the new snapshot
	// gets (above the store's own numbering): one more than what object
	// storage already publishes, so that generations keep growing when the
	// publishing store is replaced.
	MinGeneration uint64

	// phase, when set, is told when Publish moves on to validating and
	// then publishing the snapshot it built (see Reindexer).
	phase func(string)
}

// Phases of a publication, as a Reindexer reports them.
const (
	PhaseBuilding   = "building"
	PhaseValidating = "validating"
	PhasePublishing = "publishing"
	PhaseSwapping   = "swapping"
	PhaseDone       = "done"
)

// Publish builds a new snapshot of c, validates it and makes it current.
// It fails at once with ErrLocked when another build holds the store.
// Whatever happens to it — an error, a full disk, the process killed —
// the current snapshot stays as it was until the final rename, and the
// next Publish removes what a failed one left behind.
func (s *Store) Publish(ctx context.Context, c *corpus.Corpus, opts PublishOptions) (*index.Stats, error) {
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	return s.publish(ctx, c, opts)
}

// lock creates the store's directories and takes its build lock, failing
// at once with ErrLocked when another build holds it.
func (s *Store) lock() (func(), error) {
	if err := os.MkdirAll(filepath.Join(s.dir, snapshotsDir), 0o755); err != nil {
		return nil, fmt.Errorf("index %s: %w", s.dir, err)
	}
	return lockExclusive(filepath.Join(s.dir, lockFile))
}

// publish is Publish with the build lock held.
func (s *Store) publish(ctx context.Context, c *corpus.Corpus, opts PublishOptions) (*index.Stats, error) {
	if opts.Keep <= 0 {
		opts.Keep = 2
	}
	phase := func(string) {}
	if opts.phase != nil {
		phase = opts.phase
	}
	s.removeLeftovers()

	gens, err := s.generations()
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", s.dir, err)
	}
	gen := uint64(1)
	if len(gens) > 0 {
		gen = gens[len(gens)-1] + 1
	}
	if cur, _, err := s.Current(); err == nil && cur >= gen {
		gen = cur + 1
	}
	gen = max(gen, opts.MinGeneration)
	tmp, err := os.MkdirTemp(filepath.Join(s.dir, snapshotsDir), buildPrefix)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", s.dir, err)
	}
	published := false
	defer func() {
		if !published {
			os.RemoveAll(tmp)
		}
	}()
	build := filepath.Join(tmp, "snapshot")
	opts.Generation = gen
	if _, dir, err := s.Current(); err == nil && opts.Previous == "" {
		// Build upon the current snapshot: only what changed is read.
		opts.Previous = dir
	}
	stats, err := index.Build(ctx, c, build, opts.BuildOptions)
	if err != nil {
		return nil, err
	}
	// Validate: the snapshot opens, holds what the build recorded (index.Validate
	// checks the document count) and has the generation it will be
	// published as.
	phase(PhaseValidating)
	built, err := index.Validate(build)
	if err != nil {
		return nil, fmt.Errorf("validate new snapshot: %w", err)
	}
	if got := built.Generation; got != gen {
		return nil, fmt.Errorf("validate new snapshot: generation %d, want %d", got, gen)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	phase(PhasePublishing)
	final := s.snapshotDir(gen)
	if err := os.Rename(build, final); err != nil {
		return nil, fmt.Errorf("index %s: %w", s.dir, err)
	}
	syncDir(filepath.Join(s.dir, snapshotsDir))
	published = true
	os.RemoveAll(tmp)
	if err := s.setCurrent(gen); err != nil {
		// The snapshot is in place but not current: the next Publish
		// removes it.
		return nil, err
	}
	s.collect(opts.Keep)
	return stats, nil
}

// setCurrent points CURRENT at gen with an atomic rename.
func (s *Store) setCurrent(gen uint64) error {
	tmp := filepath.Join(s.dir, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err == nil {
		_, err = f.WriteString(strconv.FormatUint(gen, 10) + "\n")
		if err == nil {
			err = f.Sync() // the rename must not publish an empty file
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("index %s: %w", s.dir, err)
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, currentFile)); err != nil {
		return fmt.Errorf("index %s: %w", s.dir, err)
	}
	syncDir(s.dir)
	return nil
}

// removeLeftovers removes what failed or killed runs left: the
// directories of builds that did not finish, a CURRENT.tmp, and snapshots
// renamed into place that CURRENT never named (newer than the current
// one).
func (s *Store) removeLeftovers() {
	entries, _ := os.ReadDir(filepath.Join(s.dir, snapshotsDir))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), buildPrefix) {
			os.RemoveAll(filepath.Join(s.dir, snapshotsDir, e.Name()))
		}
	}
	os.Remove(filepath.Join(s.dir, currentFile+".tmp"))
	cur, _, err := s.Current()
	if err != nil && !errors.Is(err, index.ErrNoSnapshot) {
		return // CURRENT is unreadable: remove no snapshot
	}
	gens, _ := s.generations()
	for _, gen := range gens {
		if gen > cur {
			s.remove(gen)
		}
	}
}

// collect removes snapshots beyond the newest keep, except the current one
// and those a server holds.
func (s *Store) collect(keep int) {
	gens, err := s.generations()
	if err != nil || len(gens) <= keep {
		return
	}
	cur, _, err := s.Current()
	if err != nil {
		return
	}
	for _, gen := range gens[:len(gens)-keep] {
		if gen != cur {
			s.remove(gen)
		}
	}
}

// remove removes the snapshot gen unless a server holds it.
func (s *Store) remove(gen uint64) {
	dir := s.snapshotDir(gen)
	unlock, err := tryLockExclusive(filepath.Join(dir, inUseFile))
	if err != nil {
		return // a server uses it
	}
	defer unlock()
	// Rename first so that no server opens a half-removed snapshot; a
	// removal cut short leaves a .build- directory, a leftover.
	trash := filepath.Join(s.dir, snapshotsDir, fmt.Sprintf("%sgc-%d-%d", buildPrefix, gen, time.Now().UnixNano()))
	if os.Rename(dir, trash) == nil {
		os.RemoveAll(trash)
	}
}

// lockExclusive takes the store's build lock or fails at once.
func lockExclusive(path string) (func(), error) {
	unlock, err := tryLockExclusive(path)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, fmt.Errorf("%w (%s): wait for it to finish", ErrLocked, path)
	}
	return unlock, err
}

// tryLockExclusive takes an exclusive flock on path without waiting.
func tryLockExclusive(path string) (func(), error) {
	return flock(path, syscall.LOCK_EX|syscall.LOCK_NB)
}

// flock opens (creating) path and locks it as how says.
func flock(path string, how int) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// holdShared takes a shared flock on path, the IN-USE file of a snapshot,
// opening it read-only when it exists, so that a store on a read-only
// mount is served too. Where the file neither exists nor can be created
// because the file system is read-only, it takes no lock (locked is false):
// no tacheron can remove a snapshot there either.
func holdShared(path string) (release func(), locked bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if errors.Is(err, syscall.EROFS) {
			return func() {}, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, false, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, true, nil
}

// syncDir flushes a directory's entries to disk.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
