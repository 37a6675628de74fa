package replica

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/prometheus/client_golang/prometheus"
)

// A Local is the local store a Follower installs snapshots into.
type Local interface {
	// Current returns the current generation and its snapshot directory;
	// it fails when the store holds no snapshot yet.
	Current() (uint64, string, error)
	// Incoming returns the directory where generation gen is downloaded
	// before it is installed, creating it: the same directory across
	// restarts, on the store's file system, that the store never serves.
	// The incoming directories of other generations are removed.
	Incoming(gen uint64) (string, error)
	// Install validates the snapshot in dir (an Incoming directory) as
	// generation gen, makes it current and keeps the newest keep snapshots.
	Install(gen uint64, dir string, keep int) error
}

// FollowOptions tunes a Follower.
type FollowOptions struct {
	// Interval is how often the pointer is read (DefaultFollowInterval
	// when 0).
	Interval time.Duration
	// Keep is the number of snapshots the local store keeps (at least 1).
	Keep int
	// BytesPerSecond bounds the download rate; 0 means no limit.
	BytesPerSecond int64
	// Installed, when set, is called after each generation installed
	// (a server reloads there rather than wait for its watch).
	Installed func(gen uint64)
	// Logger receives a line per installation and per new error.
	Logger *slog.Logger
}

// DefaultFollowInterval is how often a Follower reads the pointer.
const DefaultFollowInterval = 2 * time.Second

// A Follower keeps a local store on the generation published in a bucket.
// It is safe for concurrent use.
type Follower struct {
	bucket *Bucket
	local  Local
	opts   FollowOptions

	syncMu sync.Mutex // one Sync at a time
	mu     sync.Mutex
	status FollowStatus
}

// FollowStatus is what a Follower saw and did.
type FollowStatus struct {
	// Published is the pointer last read (zero before one was).
	Published Pointer
	// Generation is the local store's current generation (0: none).
	Generation uint64
	// Downloaded counts the bytes downloaded since the Follower started.
	Downloaded int64
	// Installs and Failures count the generations installed and the
	// Syncs that failed.
	Installs, Failures int
	// Err is the error of the last Sync, nil when it succeeded.
	Err error
	// Last describes the last generation installed.
	Last *SyncStats
}

// SyncStats describes the installation of a generation.
type SyncStats struct {
	Generation uint64
	Files      int
	// Downloaded is the bytes downloaded; Kept the bytes of files that a
	// killed download had already finished or the previous snapshot held
	// identical.
	Downloaded, Kept int64
	Took             time.Duration
}

// NewFollower returns a Follower of b into local.
func NewFollower(b *Bucket, local Local, opts FollowOptions) *Follower {
	if opts.Interval <= 0 {
		opts.Interval = DefaultFollowInterval
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	f := &Follower{bucket: b, local: local, opts: opts}
	if gen, _, err := local.Current(); err == nil {
		f.status.Generation = gen
	}
	return f
}

// Status reports what the Follower saw and did.
func (f *Follower) Status() FollowStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}

// Run syncs every interval until ctx is done. A failed sync is logged
// (once until the error changes) and tried again at the next interval;
// the local store keeps what it had.
func (f *Follower) Run(ctx context.Context) {
	t := time.NewTicker(f.opts.Interval)
	defer t.Stop()
	var lastErr string
	for {
		_, err := f.Sync(ctx)
		switch {
		case err != nil && ctx.Err() == nil && err.Error() != lastErr:
			f.opts.Logger.Error("follow: sync failed; the local snapshot keeps serving", "from", f.bucket.Location.String(), "err", err)
			lastErr = err.Error()
		case err == nil && lastErr != "":
			f.opts.Logger.Info("follow: syncing again", "from", f.bucket.Location.String())
			lastErr = ""
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sync reads the pointer and, if it names a generation newer than the
// local one, downloads, verifies and installs it. It returns nil stats
// when there was nothing to do.
func (f *Follower) Sync(ctx context.Context) (*SyncStats, error) {
	f.syncMu.Lock()
	defer f.syncMu.Unlock()
	st, err := f.sync(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status.Err = err
	if err != nil {
		f.status.Failures++
	}
	if st != nil {
		f.status.Installs++
		f.status.Last = st
	}
	return st, err
}

func (f *Follower) sync(ctx context.Context) (*SyncStats, error) {
	ptr, err := f.bucket.Pointer(ctx)
	if err != nil {
		return nil, err
	}
	localGen, localDir, lerr := f.local.Current()
	if lerr != nil {
		localGen, localDir = 0, ""
	}
	f.mu.Lock()
	f.status.Published = ptr
	f.status.Generation = localGen
	f.mu.Unlock()
	if ptr.Generation == localGen {
		return nil, nil
	}
	if ptr.Generation < localGen {
		return nil, fmt.Errorf("%s publishes generation %d, older than the local %d: not followed", f.bucket.Location, ptr.Generation, localGen)
	}
	start := time.Now()
	m, err := f.bucket.Manifest(ctx, ptr.Generation)
	if err != nil {
		return nil, err
	}
	dir, err := f.local.Incoming(ptr.Generation)
	if err != nil {
		return nil, err
	}
	if err := removeUnlisted(dir, m); err != nil {
		return nil, err
	}
	st := &SyncStats{Generation: ptr.Generation, Files: len(m.Files)}
	lim := newLimiter(f.opts.BytesPerSecond)
	for _, file := range m.Files {
		dest := filepath.Join(dir, filepath.FromSlash(file.Path))
		if ok, err := matches(dest, file); err != nil {
			return nil, err
		} else if ok {
			st.Kept += file.Size
			continue
		}
		if localDir != "" {
			copied, err := copyIfSame(filepath.Join(localDir, filepath.FromSlash(file.Path)), dest, file)
			if err != nil {
				return nil, err
			}
			if copied {
				st.Kept += file.Size
				continue
			}
		}
		n, err := f.download(ctx, ptr.Generation, file, dest, lim)
		st.Downloaded += n
		if err != nil {
			return nil, err
		}
	}
	if err := f.local.Install(ptr.Generation, dir, f.opts.Keep); err != nil {
		return nil, fmt.Errorf("install generation %d: %w", ptr.Generation, err)
	}
	st.Took = time.Since(start)
	f.mu.Lock()
	f.status.Generation = ptr.Generation
	f.mu.Unlock()
	f.opts.Logger.Info("follow: installed", "generation", st.Generation, "files", st.Files, "downloaded", st.Downloaded, "kept", st.Kept, "took", st.Took.Round(time.Millisecond))
	if f.opts.Installed != nil {
		f.opts.Installed(ptr.Generation)
	}
	return st, nil
}

// partSuffix marks a file being downloaded.
const partSuffix = ".part"

// download fetches file into dest, continuing a partial download left in
// dest.part, and checks its size and checksum before renaming it into
// place. It returns the bytes it downloaded.
func (f *Follower) download(ctx context.Context, gen uint64, file File, dest string, lim *limiter) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return 0, err
	}
	part := dest + partSuffix
	h := sha256.New()
	have, err := resume(part, file.Size, h)
	if err != nil {
		return 0, err
	}
	out, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	var n int64
	if have < file.Size {
		in := &s3.GetObjectInput{
			Bucket: str(f.bucket.Bucket),
			Key:    str(f.bucket.key(snapshotsDir + "/" + genDir(gen) + "/" + file.Path)),
		}
		if have > 0 {
			in.Range = str("bytes=" + strconv.FormatInt(have, 10) + "-")
		}
		obj, err := f.bucket.client.GetObject(ctx, in)
		if err != nil {
			return 0, fmt.Errorf("%s: download generation %d %s: %w", f.bucket.Location, gen, file.Path, err)
		}
		defer obj.Body.Close()
		if have > 0 {
			f.opts.Logger.Info("follow: resuming a download", "generation", gen, "file", file.Path, "have", have, "size", file.Size)
		}
		n, err = copyLimited(ctx, io.MultiWriter(out, h, progress{f}), io.LimitReader(obj.Body, file.Size-have+1), lim)
		if err != nil {
			return n, fmt.Errorf("%s: download generation %d %s: %w", f.bucket.Location, gen, file.Path, err)
		}
	}
	if have+n != file.Size || hex.EncodeToString(h.Sum(nil)) != file.SHA256 {
		os.Remove(part)
		return n, fmt.Errorf("%s: generation %d %s: %d bytes with another checksum than the manifest's (%d bytes, sha256 %s)", f.bucket.Location, gen, file.Path, have+n, file.Size, file.SHA256)
	}
	if err := out.Sync(); err != nil {
		return n, err
	}
	if err := out.Close(); err != nil {
		return n, err
	}
	return n, os.Rename(part, dest)
}

// progress counts the bytes a Follower downloads as they arrive, so that
// its status and metrics follow a long download.
type progress struct{ f *Follower }

func (p progress) Write(b []byte) (int, error) {
	p.f.mu.Lock()
	p.f.status.Downloaded += int64(len(b))
	p.f.mu.Unlock()
	return len(b), nil
}

// resume hashes into h the bytes a killed download left in part and
// returns how many there are; a part too long to be a prefix of the file is
// removed.
func resume(part string, size int64, h hash.Hash) (int64, error) {
	f, err := os.Open(part)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, err
	}
	if n > size {
		h.Reset()
		return 0, os.Remove(part)
	}
	return n, nil
}

// matches reports whether the file at p has file's size and checksum.
func matches(p string, file File) (bool, error) {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.Mode().IsRegular() || fi.Size() != file.Size {
		return false, nil
	}
	_, sum, err := hashFile(p)
	if err != nil {
		return false, err
	}
	return sum == file.SHA256, nil
}

// copyIfSame copies src to dest when src has file's size and checksum
// (a file the previous snapshot shares with the new one).
func copyIfSame(src, dest string, file File) (bool, error) {
	if ok, err := matches(src, file); err != nil || !ok {
		return false, nil // a missing or unreadable file is downloaded
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return false, err
	}
	in, err := os.Open(src)
	if err != nil {
		return false, nil
	}
	defer in.Close()
	part := dest + partSuffix
	out, err := os.Create(part)
	if err != nil {
		return false, err
	}
	defer out.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		os.Remove(part)
		return false, err
	}
	if hex.EncodeToString(h.Sum(nil)) != file.SHA256 {
		os.Remove(part)
		return false, nil
	}
	if err := out.Sync(); err != nil {
		return false, err
	}
	if err := out.Close(); err != nil {
		return false, err
	}
	return true, os.Rename(part, dest)
}

// removeUnlisted removes from dir the files m does not list (but not the
// partial downloads of those it lists).
func removeUnlisted(dir string, m *Manifest) error {
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
		listed[f.Path+partSuffix] = true
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if !listed[filepath.ToSlash(rel)] {
			return os.Remove(p)
		}
		return nil
	})
}

// Collectors returns the Follower's Prometheus metrics: the local and the
// published generation, the lag, the bytes downloaded and the failed syncs.
func (f *Follower) Collectors() []prometheus.Collector {
	gauge := func(name, help string, v func(FollowStatus) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return v(f.Status()) })
	}
	counter := func(name, help string, v func(FollowStatus) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return v(f.Status()) })
	}
	return []prometheus.Collector{
		gauge("tacheron_replica_generation", "Generation of the local store's current snapshot (0 when none).",
			func(s FollowStatus) float64 { return float64(s.Generation) }),
		gauge("tacheron_replica_published_generation", "Generation the object store's pointer names, as last read (0 before).",
			func(s FollowStatus) float64 { return float64(s.Published.Generation) }),
		gauge("tacheron_replica_lag_generations", "Published generation minus the local one.",
			func(s FollowStatus) float64 { return float64(lag(s)) }),
		gauge("tacheron_replica_lag_seconds", "Time since the published generation was published, while the local store does not hold it yet; 0 when in sync.",
			func(s FollowStatus) float64 {
				if lag(s) == 0 || s.Published.Published.IsZero() {
					return 0
				}
				return time.Since(s.Published.Published).Seconds()
			}),
		counter("tacheron_replica_downloaded_bytes_total", "Bytes of snapshot files downloaded.",
			func(s FollowStatus) float64 { return float64(s.Downloaded) }),
		counter("tacheron_replica_installs_total", "Generations downloaded and installed.",
			func(s FollowStatus) float64 { return float64(s.Installs) }),
		counter("tacheron_replica_sync_failures_total", "Syncs with the object store that failed.",
			func(s FollowStatus) float64 { return float64(s.Failures) }),
	}
}

// lag is how many generations the local store is behind.
func lag(s FollowStatus) uint64 {
	if s.Published.Generation > s.Generation {
		return s.Published.Generation - s.Generation
	}
	return 0
}
