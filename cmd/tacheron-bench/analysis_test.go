package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/index"
)

// TestRunAnalysis measures the analyses over a small generated corpus and
// checks what it writes: every document exported, and its section of
// BENCHMARKS.md replaced, the rest of the file kept.
func TestRunAnalysis(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	corpusDir := filepath.Join(dir, "corpus")
	if err := run(ctx, []string{"gen", "--docs", "300", "--seed", "3", "--out", corpusDir}, os.Getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.OpenDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(dir, "snap")
	if _, err := index.Build(ctx, c, snap, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	bench := filepath.Join(dir, "BENCHMARKS.md")
	before := "# Benchmarks\n\n<!-- analysis tiny -->\nold figures\n<!-- /analysis tiny -->\n\n## Kept\n\nkept\n"
	if err := os.WriteFile(bench, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{"analysis", "--index", snap, "--runs", "2", "--export-runs", "1", "--write", bench, "--size", "tiny"}, os.Getenv, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run(analysis): %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"| trends |", "| co-occurrence |", "| concordance |", "| every document | 300 |", "| `limit=30` | 30 |"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(bench)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	if strings.Contains(got, "old figures") || !strings.Contains(got, strings.TrimRight(out, "\n")) || !strings.HasSuffix(got, "## Kept\n\nkept\n") ||
		strings.Count(got, "<!-- analysis tiny -->") != 1 {
		t.Errorf("BENCHMARKS.md after the run:\n%s", got)
	}
	for _, args := range [][]string{{"analysis"}, {"analysis", "--index", snap, "--runs", "0"}} {
		if err := run(ctx, args, os.Getenv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want the usage error", args, err)
		}
	}
}
