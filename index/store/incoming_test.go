package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/index"
)

// copyDir copies the snapshot directory src to dst, IN-USE aside.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	os.Remove(filepath.Join(dst, inUseFile))
}

func TestInstall(t *testing.T) {
	// A publisher's store makes generations 1 and 2; a replica's store
	// installs them from incoming directories.
	pub := Open(t.TempDir())
	publish(t, pub, 3)
	publish(t, pub, 3)
	st := Open(t.TempDir())

	stale, err := st.Incoming(7)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := st.Incoming(2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("Incoming(2) left the incoming directory of generation 7: %v", err)
	}
	if again, _ := st.Incoming(2); again != dir {
		t.Errorf("Incoming(2) = %s, then %s: want the same directory across calls", dir, again)
	}

	// Generation 1's files offered as generation 2: refused.
	copyDir(t, pub.snapshotDir(1), dir)
	if err := st.Install(2, dir, 2); err == nil || !strings.Contains(err.Error(), "records generation 1") {
		t.Fatalf("Install of generation 1's files as 2: %v, want a validation error", err)
	}
	if _, _, err := st.Current(); err != index.ErrNoSnapshot {
		t.Fatalf("after a refused Install, Current(): %v, want ErrNoSnapshot", err)
	}

	// An incomplete snapshot: refused.
	dir, _ = st.Incoming(2)
	os.RemoveAll(dir)
	dir, _ = st.Incoming(2)
	copyDir(t, pub.snapshotDir(2), dir)
	os.Remove(filepath.Join(dir, "bleve-0", "docs.idx"))
	if err := st.Install(2, dir, 2); err == nil {
		t.Fatal("Install of a snapshot without docs.idx succeeded")
	}

	// The real generation 2: installed and current.
	os.RemoveAll(dir)
	dir, _ = st.Incoming(2)
	copyDir(t, pub.snapshotDir(2), dir)
	if err := st.Install(2, dir, 2); err != nil {
		t.Fatal(err)
	}
	if gen, snapDir, err := st.Current(); gen != 2 || err != nil || snapDir != st.snapshotDir(2) {
		t.Fatalf("Current() = %d, %s, %v; want 2, %s", gen, snapDir, err, st.snapshotDir(2))
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the incoming directory is still there after Install: %v", err)
	}

	// Not newer than the current one: refused.
	dir, _ = st.Incoming(1)
	copyDir(t, pub.snapshotDir(1), dir)
	if err := st.Install(1, dir, 2); err == nil || !strings.Contains(err.Error(), "not newer") {
		t.Errorf("Install of generation 1 over 2: %v, want an error saying it is not newer", err)
	}
}
