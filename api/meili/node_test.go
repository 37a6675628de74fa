package meili

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestMeiliJavaScriptClients runs the Node test of api/meili/meilitest: the
// official Meilisearch JavaScript clients (meilisearch-js and
// instant-meilisearch, pinned in its package-lock.json) against a real
// tacheron serve built from this tree. Without node and npm it skips,
// loudly; with TACHERON_REQUIRE_NODE=1 (CI) it fails instead.
func TestMeiliJavaScriptClients(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the Node test of the Meilisearch clients is not run")
	}
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		msg := "*** MEILISEARCH CLIENT TEST SKIPPED: node and npm are needed (Node 20.19 or later) ***"
		if os.Getenv("TACHERON_REQUIRE_NODE") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir, err := filepath.Abs("meilitest")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	run := func(name string, env []string, args ...string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		t.Logf("%s %v:\n%s", filepath.Base(name), args, out)
		if err != nil {
			t.Fatalf("%s %v: %v", filepath.Base(name), args, err)
		}
	}
	// npm ci installs the locked packages when node_modules does not hold
	// them yet (npm records what it installed in node_modules/.package-lock.json).
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if installed, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err != nil || installed.ModTime().Before(lock.ModTime()) {
		run(npm, nil, "ci", "--no-audit", "--no-fund")
	}
	bin := filepath.Join(t.TempDir(), "tacheron")
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build tacheron: %v", err)
	}
	build := exec.CommandContext(ctx, gocmd, "build", "-o", bin, "./cmd/tacheron")
	build.Dir = filepath.Join(dir, "..", "..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run(node, []string{"TACHERON_BIN=" + bin}, "--test", "--test-reporter=spec")
}
