package replica_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tacheron/corpus"
	"tacheron/index"
	"tacheron/index/replica"
	"tacheron/index/replica/s3test"
	"tacheron/index/store"
)

// publisher builds snapshots of the bundled corpus into a store of its own
// and publishes them to a bucket.
type publisher struct {
	t      *testing.T
	snaps  *store.Store
	bucket *replica.Bucket
	corpus *corpus.Corpus
}

func newPublisher(t *testing.T, bucket *replica.Bucket) *publisher {
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return &publisher{t: t, snaps: store.Open(t.TempDir()), bucket: bucket, corpus: c}
}

// publish builds a generation and publishes it, keeping keep.
func (p *publisher) publish(keep int) *replica.PublishStats {
	p.t.Helper()
	stats, err := p.snaps.Publish(context.Background(), p.corpus, store.PublishOptions{Keep: 2})
	if err != nil {
		p.t.Fatal(err)
	}
	gen, dir, err := p.snaps.Current()
	if err != nil || gen != stats.Generation {
		p.t.Fatalf("Current() = %d, %v; want %d", gen, err, stats.Generation)
	}
	ps, err := p.bucket.Publish(context.Background(), gen, dir, keep)
	if err != nil {
		p.t.Fatal(err)
	}
	return ps
}

func openBucket(t *testing.T) (*s3test.Server, *replica.Bucket) {
	srv := s3test.Start(t, "snaps")
	srv.SetEnv(t)
	b, err := replica.Open(context.Background(), replica.Location{Bucket: "snaps", Prefix: "tacheron/test"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, b
}

// sameFiles fails t unless the snapshot directories a and b hold the same
// files (IN-USE aside).
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "IN-USE" {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		want, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if string(got) != string(want) {
			t.Errorf("%s differs between %s and %s", rel, a, b)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestPublishFollow(t *testing.T) {
	_, bucket := openBucket(t)
	pub := newPublisher(t, bucket)
	if _, err := bucket.Pointer(context.Background()); !errors.Is(err, replica.ErrNothingPublished) {
		t.Fatalf("Pointer() of an empty bucket: %v, want ErrNothingPublished", err)
	}
	local := store.Open(t.TempDir())
	var installed []uint64
	f := replica.NewFollower(bucket, local, replica.FollowOptions{Keep: 2, Installed: func(gen uint64) { installed = append(installed, gen) }})
	if st, err := f.Sync(context.Background()); !errors.Is(err, replica.ErrNothingPublished) || st != nil {
		t.Fatalf("Sync() with nothing published = %v, %v; want ErrNothingPublished", st, err)
	}

	p1 := pub.publish(2)
	if p1.Generation != 1 || p1.Files == 0 || p1.Bytes == 0 {
		t.Fatalf("first publication = %+v", p1)
	}
	st, err := f.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Generation != 1 || st.Files != p1.Files || st.Downloaded == 0 {
		t.Errorf("first Sync() = %+v, want generation 1, %d files downloaded", st, p1.Files)
	}
	gen, dir, err := local.Current()
	if err != nil || gen != 1 {
		t.Fatalf("local Current() = %d, %v; want 1", gen, err)
	}
	_, pubDir, _ := pub.snaps.Current()
	sameFiles(t, pubDir, dir)
	if st, err := f.Sync(context.Background()); st != nil || err != nil {
		t.Errorf("Sync() in sync = %+v, %v; want nothing to do", st, err)
	}

	// Three more: the bucket keeps the newest two.
	pub.publish(2)
	pub.publish(2)
	p4 := pub.publish(2)
	if len(p4.Deleted) == 0 {
		t.Errorf("fourth publication deleted nothing: %+v", p4)
	}
	gens, err := bucket.Generations(context.Background())
	if err != nil || len(gens) != 2 || gens[0] != 3 || gens[1] != 4 {
		t.Errorf("Generations() = %v, %v; want [3 4]", gens, err)
	}
	if _, err := bucket.Publish(context.Background(), 4, pubDir, 2); err == nil || !strings.Contains(err.Error(), "not newer") {
		t.Errorf("publishing generation 4 again: %v, want an error saying it is not newer", err)
	}
	st, err = f.Sync(context.Background())
	if err != nil || st.Generation != 4 {
		t.Fatalf("Sync() = %+v, %v; want generation 4", st, err)
	}
	if st.Kept == 0 {
		t.Errorf("Sync() of generation 4 kept nothing of generation 1: %+v", st)
	}
	if len(installed) != 2 || installed[1] != 4 {
		t.Errorf("Installed called with %v, want [1 4]", installed)
	}
	if s := f.Status(); s.Generation != 4 || s.Published.Generation != 4 || s.Installs != 2 || s.Downloaded == 0 {
		t.Errorf("Status() = %+v", s)
	}
	_, pubDir, _ = pub.snaps.Current()
	_, dir, _ = local.Current()
	sameFiles(t, pubDir, dir)
	snap, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Generation() != 4 {
		t.Errorf("installed snapshot records generation %d, want 4", snap.Generation())
	}
	snap.Close()
}

// TestFollowResumes kills a download (a context canceled while it is
// paced at a few kilobytes per second), then syncs again: the files already
// there are kept, the partial one continued.
func TestFollowResumes(t *testing.T) {
	_, bucket := openBucket(t)
	pub := newPublisher(t, bucket)
	p1 := pub.publish(2)
	local := store.Open(t.TempDir())
	slow := replica.NewFollower(bucket, local, replica.FollowOptions{Keep: 2, BytesPerSecond: 256 << 10})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := slow.Sync(ctx); done <- err }()
	// Cancel once part of the snapshot is there.
	for slow.Status().Downloaded < p1.Bytes/3 {
		select {
		case err := <-done:
			t.Fatalf("Sync() ended before it was canceled: %v", err)
		default:
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("canceled Sync() succeeded")
	}
	if _, _, err := local.Current(); !errors.Is(err, index.ErrNoSnapshot) {
		t.Fatalf("after a killed download, local Current(): %v, want ErrNoSnapshot", err)
	}
	first := slow.Status().Downloaded
	f := replica.NewFollower(bucket, local, replica.FollowOptions{Keep: 2})
	st, err := f.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m, err := bucket.Manifest(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is downloaded twice.
	if st.Generation != 1 || first+st.Downloaded != m.Bytes() || st.Kept == 0 {
		t.Errorf("resumed Sync() = %+v after %d bytes; want the rest of %d bytes, some kept", st, first, m.Bytes())
	}
	_, pubDir, _ := pub.snaps.Current()
	_, dir, _ := local.Current()
	sameFiles(t, pubDir, dir)
}

// TestFollowRejectsCorruption alters a published file: the download fails
// its checksum and the local store keeps serving the previous generation.
func TestFollowRejectsCorruption(t *testing.T) {
	srv, bucket := openBucket(t)
	pub := newPublisher(t, bucket)
	pub.publish(2)
	local := store.Open(t.TempDir())
	f := replica.NewFollower(bucket, local, replica.FollowOptions{Keep: 2})
	if _, err := f.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	pub.publish(2)
	// Behind the gateway's back: the object keeps its recorded size.
	p := srv.Path("snaps", "tacheron/test/snapshots/000002/tacheron.json")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = f.Sync(context.Background())
	if err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("Sync() of a corrupted generation: %v, want a checksum error", err)
	}
	if gen, _, err := local.Current(); gen != 1 || err != nil {
		t.Errorf("after a failed download, local Current() = %d, %v; want 1", gen, err)
	}
	if s := f.Status(); s.Failures != 1 || s.Err == nil {
		t.Errorf("Status() = %+v, want one failure", s)
	}
}
