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

// TestIndexIncremental indexes a corpus, adds a file and indexes again:
// the second run reads only the new file and says so, and its document is
// found; --full and a changed taxonomy rebuild everything, saying why.
func TestIndexIncremental(t *testing.T) {
	dir := t.TempDir()
	write := func(name, title string) {
		t.Helper()
		line := `{"title":"` + title + `","date":"2020-01-01","body":"un texte sur le travail"}` + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.jsonl", "Premier article")
	write("b.jsonl", "Second article")
	idx := filepath.Join(t.TempDir(), "index")
	if _, _, err := runCLI(t, nil, "index", "--corpus", dir, "--index", idx); err != nil {
		t.Fatal(err)
	}
	write("c.jsonl", "Troisième zeugma")
	out, _, err := runCLI(t, nil, "index", "--corpus", dir, "--index", idx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "indexed 3 documents") || !strings.Contains(out, "incremental upon generation 1: 1 files read, 2 unchanged, 0 removed") {
		t.Errorf("incremental summary = %q", out)
	}
	out, _, err = runCLI(t, nil, "search", "--index", idx, "zeugma")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "1 result for") || !strings.Contains(out, "Troisième [zeugma]") {
		t.Errorf("search after the incremental build = %q", out)
	}
	out, _, err = runCLI(t, nil, "index", "--full", "--corpus", dir, "--index", idx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "full build: a full build was asked for") {
		t.Errorf("--full summary = %q", out)
	}
	taxonomy, err := os.ReadFile(filepath.Join("..", "..", "corpus", "data", "concepts.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A variant renamed, and the name that repeats it (a name must be one
	// of the concept's variants).
	if err := os.WriteFile(filepath.Join(dir, "concepts.json"), bytes.ReplaceAll(taxonomy, []byte(`"travail digital"`), []byte(`"labeur digital"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCLI(t, nil, "index", "--corpus", dir, "--index", idx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "full build: the taxonomy (concepts.json) changed") {
		t.Errorf("summary after a taxonomy change = %q", out)
	}
}

// TestIndexCPUProfile: the hidden --cpuprofile flag writes a gzipped pprof
// profile of the build, and the help does not list it.
func TestIndexCPUProfile(t *testing.T) {
	dir := t.TempDir()
	line := `{"title":"Un article","date":"2020-01-01","body":"un texte sur le travail"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(t.TempDir(), "cpu.pprof")
	if _, _, err := runCLI(t, nil, "index", "--corpus", dir, "--index", filepath.Join(t.TempDir(), "index"), "--cpuprofile", prof); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		t.Errorf("the profile is not gzipped pprof: % x", data[:min(len(data), 8)])
	}
	_, errOut, _ := runCLI(t, nil, "index", "--help")
	if strings.Contains(errOut, "cpuprofile") || !strings.Contains(errOut, "-max-memory") {
		t.Errorf("help lists cpuprofile, or lists nothing:\n%s", errOut)
	}
}

// TestIndexBadCompactShare checks that a share of deleted documents
// outside [0, 1] is a usage error naming the flag, before anything is
// built.
func TestIndexBadCompactShare(t *testing.T) {
	for _, v := range []string{"1.5", "-0.1", "NaN"} {
		idx := filepath.Join(t.TempDir(), "index")
		_, stderr, err := runCLI(t, nil, "index", "--index", idx, "--compact-share", v)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr, "--compact-share") {
			t.Errorf("--compact-share %s: %v, stderr %q", v, err, stderr)
		}
		if _, err := os.Stat(filepath.Join(idx, "CURRENT")); !os.IsNotExist(err) {
			t.Errorf("--compact-share %s: something was published (%v)", v, err)
		}
	}
}
