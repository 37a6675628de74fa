package api

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestOpenAPIDocument runs the served /openapi.json through Redocly's
// linter with its recommended rules, then generates TypeScript types from
// it with openapi-typescript and compiles a typed client against them
// (api/openapitest/client.ts) with tsc --strict: the document stays valid
// and usable by HTTP clients. It needs Node 20.19 or later and npm, and
// installs the pinned packages of api/openapitest the first time.
func TestOpenAPIDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the OpenAPI lint and client generation are not run")
	}
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		msg := "*** OPENAPI LINT SKIPPED: node and npm are needed (Node 20.19 or later) ***"
		if os.Getenv("TACHERON_REQUIRE_NODE") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir, err := filepath.Abs("openapitest")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, out)
		}
		t.Logf("%s %v:\n%s", filepath.Base(name), args, out)
	}
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if installed, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err != nil || installed.ModTime().Before(lock.ModTime()) {
		run(npm, "ci", "--no-audit", "--no-fund")
	}

	s := newTestServer(t, Options{})
	r := get(t, s, "/openapi.json")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /openapi.json: %d", r.Status)
	}
	tmp := t.TempDir()
	doc := filepath.Join(tmp, "openapi.json")
	if err := os.WriteFile(doc, r.Body, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := func(name string) string { return filepath.Join(dir, "node_modules", ".bin", name) }
	run(bin("redocly"), "lint", "--format=stylish", doc)
	run(bin("openapi-typescript"), doc, "-o", filepath.Join(tmp, "schema.d.ts"))
	client, err := os.ReadFile(filepath.Join(dir, "client.ts"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "client.ts"), client, 0o644); err != nil {
		t.Fatal(err)
	}
	run(node, filepath.Join(dir, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict",
		"--target", "es2022", "--lib", "es2022,dom", "--module", "esnext", "--moduleResolution", "bundler",
		filepath.Join(tmp, "client.ts"))
}
