package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line in-process.
func runCLI(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func TestIndexAndSearch(t *testing.T) {
	idx := filepath.Join(t.TempDir(), "index")
	out, _, err := runCLI(t, nil, "index", "--index", idx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "indexed 25 documents") || !strings.Contains(out, "mention 16") || !strings.Contains(out, "generation 1") {
		t.Errorf("index summary = %q", out)
	}
	out, _, err = runCLI(t, map[string]string{"TACHERON_INDEX": idx}, "search", "captcha")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "1 result for") || !strings.Contains(out, "Qui entraîne les IA") || !strings.Contains(out, "[Captcha]") {
		t.Errorf("search output = %q", out)
	}
	out, _, err = runCLI(t, nil, "search", "--index", idx, "--source", "Slate", "--limit", "1", "plateformes")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Slate") || strings.Contains(out, " 2. ") {
		t.Errorf("filtered search output = %q", out)
	}
}

func TestIndexBadCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "news.jsonl"), []byte("{\"title\":\"a\",\"date\":\"2020-01-01\"}\n{oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(t.TempDir(), "index")
	_, _, err := runCLI(t, nil, "index", "--corpus", dir, "--index", idx)
	if err == nil || !strings.Contains(err.Error(), "news.jsonl:2") {
		t.Errorf("bad corpus error = %v, want it to name news.jsonl:2", err)
	}
	if _, err := os.Stat(filepath.Join(idx, "CURRENT")); !os.IsNotExist(err) {
		t.Errorf("a failed build published something: %v", err)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"index", "--nope"}} {
		_, stderr, err := runCLI(t, nil, args...)
		if !errors.Is(err, errUsage) || !strings.Contains(strings.ToLower(stderr), "usage") {
			t.Errorf("run(%q) = %v, stderr %q", args, err, stderr)
		}
	}
	if _, _, err := runCLI(t, nil, "search", "--index", t.TempDir(), "x"); err == nil || !strings.Contains(err.Error(), "tacheron index") {
		t.Errorf("search without an index: %v", err)
	}
}
