package index

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestCheck(t *testing.T) {
	snap := bundled(t)
	st, err := Check(snap.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != snap.DocCount() || st.Documents == 0 {
		t.Errorf("Check() = %d documents, want %d", st.Documents, snap.DocCount())
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
		if _, err := Check(dir); err == nil {
			t.Errorf("%s: Check() succeeded, want an error", tt.name)
		}
	}
}
