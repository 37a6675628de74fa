package store

import (
	"tacheron/index"

	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// incomingPrefix starts the names of the directories where a replica
// downloads a generation before installing it:
// PATH/snapshots/.incoming-000007/. Unlike a .build- directory, it
// survives a crash so that the download resumes.
const incomingPrefix = ".incoming-"

// Incoming returns the directory where generation gen is downloaded before
// Install, creating it; the incoming directories of other generations are
// removed. It is the same directory across restarts, never served.
func (s *Store) Incoming(gen uint64) (string, error) {
	dir := filepath.Join(s.dir, snapshotsDir, fmt.Sprintf("%s%06d", incomingPrefix, gen))
	entries, _ := os.ReadDir(filepath.Join(s.dir, snapshotsDir))
	for _, e := range entries {
		if p := filepath.Join(s.dir, snapshotsDir, e.Name()); strings.HasPrefix(e.Name(), incomingPrefix) && p != dir {
			os.RemoveAll(p)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("index %s: %w", s.dir, err)
	}
	return dir, nil
}

// Install publishes the snapshot in dir (an Incoming directory filled by
// a replica) as generation gen, the way Publish publishes a build: it
// takes the build lock, validates the snapshot (index.Check: it opens,
// holds what its build recorded, and records generation gen, newer than
// the current one; the swap then prepares it for searching), renames it into place, replaces CURRENT and keeps keep
// snapshots. An invalid snapshot changes nothing.
func (s *Store) Install(gen uint64, dir string, keep int) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	s.removeLeftovers()
	if cur, _, err := s.Current(); err == nil && cur >= gen {
		return fmt.Errorf("index %s: generation %d is not newer than the current %d", s.dir, gen, cur)
	}
	stats, err := index.Check(dir)
	if err != nil {
		return fmt.Errorf("validate generation %d: %w", gen, err)
	}
	got := stats.Generation
	if got != gen {
		return fmt.Errorf("validate generation %d: the snapshot records generation %d", gen, got)
	}
	final := s.snapshotDir(gen)
	if err := os.RemoveAll(final); err != nil {
		return fmt.Errorf("index %s: %w", s.dir, err)
	}
	if err := os.Rename(dir, final); err != nil {
		return fmt.Errorf("index %s: %w", s.dir, err)
	}
	syncDir(filepath.Join(s.dir, snapshotsDir))
	if err := s.setCurrent(gen); err != nil {
		return err
	}
	s.collect(max(keep, 1))
	return nil
}
