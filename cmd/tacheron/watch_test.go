package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// watchRecord is a JSON Lines document whose body holds word.
func watchRecord(id, word string) string {
	return fmt.Sprintf(`{"id":%q,"title":"Billet %s","date":"2024-05-02","lang":"fr","body":"Un billet sur le travail des plateformes et %s."}`+"\n", id, id, word)
}

// TestWatchFlagsRefused: the watch flags need a corpus folder, positive
// durations, and no --follow.
func TestWatchFlagsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"index", "--watch"}, "--watch needs --corpus DIR"},
		{[]string{"index", "--watch", "--corpus", dir, "--watch-quiet", "0s"}, "--watch-quiet and --watch-rescan must be positive"},
		{[]string{"index", "--watch", "--corpus", dir, "--watch-rescan", "-1s"}, "--watch-quiet and --watch-rescan must be positive"},
		{[]string{"serve", "--watch-corpus"}, "--watch-corpus needs --corpus DIR"},
		{[]string{"serve", "--watch-corpus", "--corpus", dir, "--follow", "s3://b/p"}, "--watch-corpus and --follow exclude each other"},
		{[]string{"serve", "--watch-corpus", "--corpus", dir, "--watch-quiet", "-1s"}, "--watch-quiet and --watch-rescan must be positive"},
	} {
		_, stderr, err := runCLI(t, nil, tc.args...)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr, tc.want) {
			t.Errorf("run(%q) = %v, %q; want a usage error saying %q", tc.args, err, stderr, tc.want)
		}
	}
}

// TestIndexWatch runs "tacheron index --watch --full" in-process: it
// publishes the corpus, then a file added (incrementally), then reports a bad file naming its line and
// keeps the snapshot, and stops without error when interrupted.
func TestIndexWatch(t *testing.T) {
	corpusDir, idx := t.TempDir(), filepath.Join(t.TempDir(), "index")
	if err := os.WriteFile(filepath.Join(corpusDir, "a.jsonl"), []byte(watchRecord("a1", "zibeline")), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := newLogWatcher(), newLogWatcher()
	done := make(chan error, 1)
	go func() {
		// --full: the first build only.
		done <- run(ctx, []string{"index", "--watch", "--full", "--corpus", corpusDir, "--index", idx, "--watch-quiet", "50ms"},
			func(string) string { return "" }, stdout, stderr)
	}()
	stdout.await(t, regexp.MustCompile(`indexed 1 documents .* generation 1\b`), done)

	if err := os.MkdirAll(filepath.Join(corpusDir, "2024"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "2024", "b.jsonl"), []byte(watchRecord("b1", "zostère")), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.await(t, regexp.MustCompile(`indexed 2 documents .* generation 2\nincremental upon generation 1: 1 files read, 1 unchanged`), done)
	out, _, err := runCLI(t, nil, "search", "--index", idx, "zostère")
	if err != nil || !strings.Contains(out, "1 result") {
		t.Errorf("search zostère after the watch published b.jsonl: %v, %q", err, out)
	}

	if err := os.WriteFile(filepath.Join(corpusDir, "c.jsonl"), []byte(watchRecord("c1", "zinnia")+"{not json}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.await(t, regexp.MustCompile(`build failed.*current=2.*c\.jsonl:2`), done)
	if strings.Contains(stdout.String(), "generation 3") {
		t.Errorf("a build with a bad file was published:\n%s", stdout)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("index --watch ended with %v when interrupted, want nil", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("index --watch did not stop 60s after it was interrupted")
	}
}

// TestServeWatchCorpus serves a corpus folder with --watch-corpus: a file
// dropped in the folder is searchable through the API once the new
// generation is served.
func TestServeWatchCorpus(t *testing.T) {
	corpusDir, idx := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(corpusDir, "a.jsonl"), []byte(watchRecord("a1", "zibeline")), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, nil, "--index", idx, "--corpus", corpusDir, "--watch-corpus", "--watch-quiet", "50ms")
	// The watcher first publishes what changed since (nothing): wait for
	// it before dropping the file, so that the test sees both.
	s.log.await(t, regexp.MustCompile(`trigger=corpus generation=2`), s.done)
	if err := os.WriteFile(filepath.Join(corpusDir, "b.jsonl"), []byte(watchRecord("b1", "zostère")), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, "b.jsonl served", func() bool { return s.generation(t) >= 3 })
	var res struct {
		Total int `json:"total"`
	}
	resp, err := s.do(http.MethodGet, "/api/v1/search?q=zost%C3%A8re", "", &res)
	if err != nil || resp.StatusCode != http.StatusOK || res.Total != 1 {
		t.Errorf("search zostère after the watch published b.jsonl: %v, total %d, want 1", err, res.Total)
	}
}
