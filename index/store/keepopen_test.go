package store

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"tacheron/index"
)

// searchAt searches live at generation gen and returns the generation
// that answered, or the error.
func searchAt(live *Live, gen uint64) (uint64, error) {
	res, err := live.Search(context.Background(), index.Request{Query: "travail", Limit: 3, Generation: gen})
	if err != nil {
		return 0, err
	}
	return res.Generation, nil
}

func TestKeepOpen(t *testing.T) {
	store := Open(t.TempDir())
	publish(t, store, 5)
	live := NewLive(store)
	t.Cleanup(func() { live.Close() })
	live.KeepOpen(2, 0)
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		publish(t, store, 5)
		if _, err := live.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	// Generation 5 is served, 4 and 3 kept open, 2 and 1 closed (and 1
	// removed from the store by the Publish that followed its closing).
	if got := live.Generations(); !slices.Equal(got, []uint64{5, 4, 3}) {
		t.Fatalf("Generations() = %v, want [5 4 3]", got)
	}
	tests := []struct {
		gen     uint64
		want    uint64
		wantErr error
	}{
		{gen: 0, want: 5},
		{gen: 5, want: 5},
		{gen: 4, want: 4},
		{gen: 3, want: 3},
		{gen: 6, wantErr: index.ErrGenerationUnavailable}, // newer: another replica may hold it
		{gen: 2, wantErr: index.ErrGenerationGone},        // older than the two kept open
		{gen: 1, wantErr: index.ErrGenerationGone},
	}
	for _, tt := range tests {
		got, err := searchAt(live, tt.gen)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("Search at generation %d = %d, %v; want %d, %v", tt.gen, got, err, tt.want, tt.wantErr)
		}
		var ge *index.GenerationError
		if tt.wantErr != nil && (!errors.As(err, &ge) || ge.Generation != tt.gen || ge.Serving != 5) {
			t.Errorf("Search at generation %d: error %#v, want a GenerationError naming %d and serving 5", tt.gen, err, tt.gen)
		}
	}
	// The snapshots kept open are not removed from the store.
	for _, gen := range []uint64{3, 4} {
		if _, err := os.Stat(store.snapshotDir(gen)); err != nil {
			t.Errorf("snapshot %d kept open was removed: %v", gen, err)
		}
	}
}

// TestKeepOpenUnavailableWithin: a replica that never held a generation
// within those kept open (it restarted, or skipped it) answers that it is
// unavailable here, not gone.
func TestKeepOpenUnavailableWithin(t *testing.T) {
	store := Open(t.TempDir())
	publish(t, store, 1)
	publish(t, store, 1)
	publish(t, store, 1) // the store keeps generation 3 only
	live := NewLive(store)
	t.Cleanup(func() { live.Close() })
	live.KeepOpen(2, 0)
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := live.Generations(); !slices.Equal(got, []uint64{3}) {
		t.Fatalf("Generations() = %v, want [3]", got)
	}
	if _, err := searchAt(live, 2); !errors.Is(err, index.ErrGenerationUnavailable) {
		t.Errorf("Search at generation 2: %v, want ErrGenerationUnavailable", err)
	}
}

// TestKeepOpenAfterRestart: the first Reload opens the previous snapshots
// the store still holds.
func TestKeepOpenAfterRestart(t *testing.T) {
	store := Open(t.TempDir())
	for range 4 {
		publish(t, store, 3)
	}
	live := NewLive(store)
	t.Cleanup(func() { live.Close() })
	live.KeepOpen(2, 0)
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := live.Generations(); !slices.Equal(got, []uint64{4, 3, 2}) {
		t.Fatalf("Generations() = %v, want [4 3 2]", got)
	}
	if got, err := searchAt(live, 2); got != 2 || err != nil {
		t.Errorf("Search at generation 2 = %d, %v; want 2", got, err)
	}
}

// TestKeepOpenFor: a snapshot swapped out less than the duration ago stays
// open beyond the count; the watch closes it once the time has passed.
func TestKeepOpenFor(t *testing.T) {
	store := Open(t.TempDir())
	publish(t, store, 0)
	live := NewLive(store)
	t.Cleanup(func() { live.Close() })
	live.KeepOpen(0, time.Hour)
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	publish(t, store, 0)
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	if got, err := searchAt(live, 1); got != 1 || err != nil {
		t.Errorf("Search at generation 1 = %d, %v; want 1 (kept open for an hour)", got, err)
	}
	w := &watcher{live: live, interval: time.Second}
	w.check(time.Now().Add(2 * time.Hour))
	if got := live.Generations(); !slices.Equal(got, []uint64{2}) {
		t.Errorf("two hours later, Generations() = %v, want [2]", got)
	}
	if _, err := searchAt(live, 1); !errors.Is(err, index.ErrGenerationGone) {
		t.Errorf("Search at generation 1 two hours later: %v, want ErrGenerationGone", err)
	}
}
