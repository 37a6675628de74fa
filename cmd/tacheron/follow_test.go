package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tacheron/index/replica/s3test"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: "", want: 0},
		{in: "1000", want: 1000},
		{in: "500k", want: 500 << 10},
		{in: "500K", want: 500 << 10},
		{in: "20M", want: 20 << 20},
		{in: "1g", want: 1 << 30},
		{in: "0", wantErr: true},
		{in: "-5k", wantErr: true},
		{in: "k", wantErr: true},
		{in: "1.5M", wantErr: true},
		{in: "10MB", wantErr: true},
		{in: "99999999999999999G", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseRate(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseRate(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestIndexPublish publishes from two stores to one bucket: the second
// store's first snapshot takes the generation after the published one.
func TestIndexPublish(t *testing.T) {
	srv := s3test.Start(t, "snaps")
	srv.SetEnv(t)
	first, second := t.TempDir(), t.TempDir()
	for _, tt := range []struct {
		dir  string
		want string
	}{
		{first, "published generation 1 to s3://snaps/p: "},
		{first, "published generation 2 to s3://snaps/p: "},
		{second, "published generation 3 to s3://snaps/p: "},
		{first, "published generation 4 to s3://snaps/p: "},
	} {
		out, _, err := runCLI(t, nil, "index", "--index", tt.dir, "--publish", "s3://snaps/p", "--keep", "2")
		if err != nil || !strings.Contains(out, tt.want) {
			t.Fatalf("tacheron index --publish = %q, %v; want %q", out, err, tt.want)
		}
	}
	if _, stderr, err := runCLI(t, nil, "index", "--index", first, "--publish", "http://snaps/p"); !errors.Is(err, errUsage) || !strings.Contains(stderr, "s3://BUCKET/PREFIX") {
		t.Errorf("tacheron index --publish http://…: %v, %q; want a usage error", err, stderr)
	}
}

// TestServeFollow starts a replica before anything is published: it is
// not ready until it holds a snapshot, then serves what is published and
// shows it in /metrics.
func TestServeFollow(t *testing.T) {
	srv := s3test.Start(t, "snaps")
	srv.SetEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := newLogWatcher()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--index", t.TempDir(),
			"--follow", "s3://snaps/f", "--follow-interval", "50ms"}, func(string) string { return "" }, io.Discard, log)
	}()
	base := "http://" + log.await(t, regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`), done)
	get := func(path string) (int, string) {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	log.await(t, regexp.MustCompile(`no snapshot is published there yet`), done)
	if code, body := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz before any publication = %d %s, want 503", code, body)
	}
	if _, _, err := runCLI(t, nil, "index", "--index", t.TempDir(), "--publish", "s3://snaps/f"); err != nil {
		t.Fatal(err)
	}
	log.await(t, regexp.MustCompile(`msg="serving index" trigger=follow generation=1`), done)
	if code, body := get("/readyz"); code != http.StatusOK || !strings.Contains(body, `"generation":1`) {
		t.Errorf("/readyz after the publication = %d %s, want 200 at generation 1", code, body)
	}
	_, metrics := get("/metrics")
	for _, want := range []string{"tacheron_replica_generation 1\n", "tacheron_replica_published_generation 1\n", "tacheron_replica_lag_generations 0\n", "tacheron_replica_installs_total 1\n"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !regexp.MustCompile(`(?m)^tacheron_replica_downloaded_bytes_total [1-9]`).MatchString(metrics) {
		t.Error("/metrics: tacheron_replica_downloaded_bytes_total is not positive")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
