package index

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCheck checks that Check and Validate accept a snapshot and return
// its build record, and refuse copies of it with one thing wrong.
func TestCheck(t *testing.T) {
	snap := bundled(t)
	checks := map[string]func(string) (Stats, error){"Check": Check, "Validate": Validate}
	for name, check := range checks {
		st, err := check(snap.Dir())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Documents != snap.DocCount() || st.Documents == 0 || st.Generation != snap.Generation() {
			t.Errorf("%s() = %d documents, generation %d; want %d, %d", name, st.Documents, st.Generation, snap.DocCount(), snap.Generation())
		}
	}
	// Copies of the snapshot, each with one thing wrong.
	tests := []struct {
		name  string
		spoil func(dir string) error
	}{
		{"no build record", func(dir string) error { return os.Remove(filepath.Join(dir, statsFile)) }},
		{"no document index", func(dir string) error { return os.Remove(filepath.Join(shardDir(dir, 0), docsIndexFile)) }},
		{"no shards", func(dir string) error {
			dirs, err := shardDirs(dir)
			if err != nil {
				return err
			}
			for _, d := range dirs {
				if err := os.RemoveAll(d); err != nil {
					return err
				}
			}
			return nil
		}},
		{"bad build record", func(dir string) error { return os.WriteFile(filepath.Join(dir, statsFile), []byte("{"), 0o644) }},
	}
	for _, tt := range tests {
		dir := filepath.Join(t.TempDir(), "snap")
		if out, err := exec.Command("cp", "-a", snap.Dir(), dir).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v: %s", err, out)
		}
		if err := tt.spoil(dir); err != nil {
			t.Fatal(err)
		}
		for name, check := range checks {
			if _, err := check(dir); err == nil {
				t.Errorf("%s: %s() succeeded, want an error", tt.name, name)
			}
		}
	}
}
