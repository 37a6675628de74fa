// Package watch keeps a store's current snapshot up to date with a corpus
// folder: it notices files added, changed or removed (fsnotify, recursive,
// with a periodic rescan for events it missed), waits until they are
// complete, and publishes an incremental snapshot through the store.
//
// A change is acted on once two looks at the folder, a quiet period apart,
// see the same files with the same sizes and modification times. A new
// file still changing between two looks, and any file named like a
// download or an editor's work in progress (*.part, *.tmp, *.crdownload,
// ~*, .#*), is hidden from the build until it is complete; a known file
// still changing holds the build back. A build that fails (a bad file)
// leaves the current snapshot as it was; the watcher reports the error and
// tries again once the folder changes.
//
// It imports corpus, index and index/store; never api, gin or net/http.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"tacheron/corpus"
	"tacheron/index"
	"tacheron/index/store"
)

// Defaults of Options.
const (
	DefaultQuiet   = time.Second
	DefaultRescan  = 30 * time.Second
	DefaultMaxWait = 10 * time.Second
)

// Options configures a Watcher.
type Options struct {
	// Dir is the corpus folder; Store is where snapshots are published.
	Dir   string
	Store *store.Store
	// Publish tunes each build (Keep, BuildOptions); Full, when set,
	// applies to the first publication only.
	Publish store.PublishOptions
	// Corpus are options of the corpus (formats, SkipUnsupported).
	Corpus []corpus.Option
	// Quiet is how long the folder must stay unchanged before a build
	// (DefaultQuiet when 0).
	Quiet time.Duration
	// Rescan is how often the folder is looked at without an event
	// (DefaultRescan when 0; negative: never).
	Rescan time.Duration
	// MaxWait is how long new files still changing hold back the other
	// changes (DefaultMaxWait when 0); past it, they are left out of the
	// build until complete. A known file still changing always holds the
	// build back: reading it half-written would replace its documents by
	// part of them.
	MaxWait time.Duration
	// Logger receives what the watcher does (slog.Default when nil).
	Logger *slog.Logger
	// Published, when set, is called after each publication.
	Published func(Publication)
	// Failed, when set, is called with the error of each build that
	// failed; the current snapshot stays as it was.
	Failed func(error)
}

// A Publication is a snapshot a Watcher published.
type Publication struct {
	Stats *index.Stats
	// Corpus is the corpus that was read (for its Skipped and Repeated).
	Corpus *corpus.Corpus
	// Took is the time the build took, from reading the folder to the
	// snapshot being current.
	Took time.Duration
}

// A Watcher publishes a snapshot of its folder whenever the folder has
// changed and settled. Run runs it.
type Watcher struct {
	opts Options
	log  *slog.Logger
	dir  string

	// prev is the folder at the last look, built what the last
	// publication read and failed what the last failed build read.
	prev, built, failed state
	// noEvents, set by tests, leaves fsnotify out: only the rescan sees
	// changes.
	noEvents bool
	// unsettled is when a look first saw the changes still going on; zero
	// once a look sees nothing change.
	unsettled time.Time
}

// A state is what a look at the folder saw: each file's size and
// modification time, by path relative to the folder.
type state map[string]fileInfo

type fileInfo struct {
	size  int64
	mtime int64
}

// New returns a Watcher of opts.Dir.
func New(opts Options) (*Watcher, error) {
	if opts.Dir == "" || opts.Store == nil {
		return nil, errors.New("watch: Options.Dir and Options.Store are required")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if info, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("watch: corpus: %w", err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("watch: corpus %s is not a directory", dir)
	}
	if opts.Quiet <= 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.Rescan == 0 {
		opts.Rescan = DefaultRescan
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = DefaultMaxWait
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Watcher{opts: opts, log: log, dir: dir}, nil
}

// Run watches the folder until ctx is done. It first publishes what
// changed since the current snapshot (everything when the store holds
// none), then each change once settled. Only a folder that cannot be
// read any more, or ctx, stops it: it returns nil when ctx is done.
func (w *Watcher) Run(ctx context.Context) error {
	var events <-chan fsnotify.Event
	var errs <-chan error
	nw, err := fsnotify.NewWatcher()
	switch {
	case err != nil:
		w.log.Warn("watch: no file events; rescanning only", "every", w.opts.Rescan, "err", err)
	case w.noEvents:
		nw.Close()
	default:
		defer nw.Close()
		w.addTree(nw, w.dir)
		events, errs = nw.Events, nw.Errors
	}
	var rescan <-chan time.Time
	if w.opts.Rescan > 0 {
		t := time.NewTicker(w.opts.Rescan)
		defer t.Stop()
		rescan = t.C
	}
	settle := time.NewTimer(w.opts.Quiet)
	defer settle.Stop()
	if again, err := w.start(ctx); err != nil {
		return err
	} else if !again {
		settle.Stop()
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if w.ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
					w.addTree(nw, ev.Name)
				}
			}
			settle.Reset(w.opts.Quiet)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			// An overflow loses events: the next look finds the changes.
			w.log.Warn("watch: file events lost; looking again", "err", err)
			settle.Reset(w.opts.Quiet)
		case <-rescan:
			if again, err := w.look(ctx); err != nil {
				w.log.Error("watch: cannot read the corpus folder", "dir", w.dir, "err", err)
			} else if again {
				settle.Reset(w.opts.Quiet)
			}
		case <-settle.C:
			if again, err := w.look(ctx); err != nil {
				w.log.Error("watch: cannot read the corpus folder", "dir", w.dir, "err", err)
			} else if again {
				settle.Reset(w.opts.Quiet)
			}
		}
	}
}

// start publishes what changed since the current snapshot, and says
// whether to look again (the store was locked).
func (w *Watcher) start(ctx context.Context) (again bool, err error) {
	now, err := w.scan()
	if err != nil {
		return false, err
	}
	w.prev = now
	return w.publish(ctx, now, nil), nil
}

// look looks at the folder, publishes what has settled and says whether
// to look again after the quiet period (something is still changing, or
// the store was locked).
func (w *Watcher) look(ctx context.Context) (again bool, err error) {
	now, err := w.scan()
	if err != nil {
		return false, err
	}
	prev := w.prev
	w.prev = now
	var changing []string
	known := false
	for p, fi := range now {
		if old, ok := prev[p]; !ok || old != fi {
			// Changed since the last look: still being written, maybe.
			changing = append(changing, p)
			_, k := w.built[p]
			known = known || k
		}
	}
	slices.Sort(changing)
	if len(changing) == 0 {
		w.unsettled = time.Time{}
	} else if w.unsettled.IsZero() {
		w.unsettled = time.Now()
	}
	if len(changing) > 0 && (known || time.Since(w.unsettled) < w.opts.MaxWait) {
		w.log.Debug("watch: waiting for files to be complete", "files", changing)
		return true, nil
	}
	visible := maps.Clone(now)
	for _, p := range changing {
		delete(visible, p)
	}
	if len(changing) > 0 {
		w.log.Info("watch: new files still changing, left out for now", "files", changing)
	}
	switch {
	case maps.Equal(visible, w.built):
		return len(changing) > 0, nil
	case w.failed != nil && maps.Equal(visible, w.failed):
		// The same files failed already: wait for a change.
		return len(changing) > 0, nil
	}
	locked := w.publish(ctx, visible, changing)
	return locked || len(changing) > 0, nil
}

// publish builds and publishes the folder as visible shows it, hidden
// left out, and says whether the store was locked by another build (to
// try again).
func (w *Watcher) publish(ctx context.Context, visible state, hidden []string) (locked bool) {
	if ctx.Err() != nil {
		return false
	}
	start := time.Now()
	stats, c, err := w.build(ctx, hidden)
	switch {
	case errors.Is(err, store.ErrLocked):
		w.log.Info("watch: another build holds the store; trying again", "err", err)
		return true
	case err != nil && ctx.Err() != nil:
		return false
	case err != nil:
		w.failed = visible
		current := "none"
		if gen, _, err := w.opts.Store.Current(); err == nil {
			current = fmt.Sprint(gen)
		}
		w.log.Error("watch: build failed; the current snapshot stays, and the next change is tried", "current", current, "err", err)
		if w.opts.Failed != nil {
			w.opts.Failed(err)
		}
		return false
	}
	w.built, w.failed = visible, nil
	w.opts.Publish.Full = false
	took := time.Since(start)
	attrs := []any{"generation", stats.Generation, "documents", stats.Documents, "took", took.Round(time.Millisecond)}
	if inc := stats.Incremental; inc != nil {
		attrs = append(attrs, "files_read", inc.FilesRead, "files_removed", inc.FilesRemoved)
	}
	w.log.Info("watch: published", attrs...)
	if w.opts.Published != nil {
		w.opts.Published(Publication{Stats: stats, Corpus: c, Took: took})
	}
	return false
}

// build opens the folder with hidden (and in-progress names) left out and
// publishes a snapshot of it.
func (w *Watcher) build(ctx context.Context, hidden []string) (*index.Stats, *corpus.Corpus, error) {
	fsys := &folder{FS: os.DirFS(w.dir), hidden: hidden}
	c, err := corpus.Open(fsys, w.dir, w.opts.Corpus...)
	if err != nil {
		return nil, nil, err
	}
	stats, err := w.opts.Store.Publish(ctx, c, w.opts.Publish)
	return stats, c, err
}

// scan lists the files of the folder the corpus would read.
func (w *Watcher) scan() (state, error) {
	st := state{}
	err := filepath.WalkDir(w.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p != w.dir && errors.Is(err, fs.ErrNotExist) {
				return nil // removed while listed
			}
			return err
		}
		if p != w.dir && InProgress(e.Name()) {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			return nil
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(w.dir, p)
		if err != nil {
			return err
		}
		st[filepath.ToSlash(rel)] = fileInfo{size: info.Size(), mtime: info.ModTime().UnixNano()}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	return st, nil
}

// addTree watches dir and the folders under it (hidden ones aside).
func (w *Watcher) addTree(nw *fsnotify.Watcher, dir string) {
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return nil
		}
		if p != w.dir && InProgress(e.Name()) {
			return fs.SkipDir
		}
		if err := nw.Add(p); err != nil {
			// Past the inotify limit the rescan still finds changes.
			w.log.Warn("watch: cannot watch a folder; the rescan will see its changes", "dir", p, "every", w.opts.Rescan, "err", err)
		}
		return nil
	})
}

// ignored reports whether an event's path is one the corpus never reads.
func (w *Watcher) ignored(name string) bool {
	rel, err := filepath.Rel(w.dir, name)
	if err != nil || rel == "." {
		return false
	}
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if InProgress(part) {
			return true
		}
	}
	return false
}

// InProgress reports whether a file or folder name is one the corpus never
// reads as it is: hidden (.*, which includes Emacs's .#* locks), or named
// like a download or a save in progress (*.part, *.tmp, *.crdownload,
// ~*).
func InProgress(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") {
		return true
	}
	for _, suffix := range []string{".part", ".tmp", ".crdownload"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// A folder is the corpus folder as a build sees it: files in progress and
// the hidden ones are not there.
type folder struct {
	fs.FS
	hidden []string
}

func (f *folder) hides(name string) bool {
	if _, found := slices.BinarySearch(f.hidden, name); found {
		return true
	}
	for _, part := range strings.Split(name, "/") {
		if part != "." && InProgress(part) {
			return true
		}
	}
	return false
}

// Open opens name unless it is hidden.
func (f *folder) Open(name string) (fs.File, error) {
	if f.hides(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.FS.Open(name)
}

// Stat describes name unless it is hidden.
func (f *folder) Stat(name string) (fs.FileInfo, error) {
	if f.hides(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return fs.Stat(f.FS, name)
}

// ReadDir lists the folder name without what is hidden.
func (f *folder) ReadDir(name string) ([]fs.DirEntry, error) {
	if f.hides(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries, err := fs.ReadDir(f.FS, name)
	return slices.DeleteFunc(entries, func(e fs.DirEntry) bool {
		return f.hides(path(name, e.Name()))
	}), err
}

// path joins a folder of an fs.FS and a name in it.
func path(dir, name string) string {
	if dir == "." {
		return name
	}
	return dir + "/" + name
}
