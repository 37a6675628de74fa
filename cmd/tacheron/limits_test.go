package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"tacheron/corpus"
	"tacheron/index/store"
)

func TestServeBadMaxConcurrent(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  string
	}{
		{args: []string{"serve", "--max-concurrent", "-1"}},
		{args: []string{"serve", "--max-concurrent", "many"}},
		{args: []string{"serve"}, env: "many"},
		{args: []string{"serve"}, env: "-2"},
	} {
		getenv := func(k string) string {
			if k == "TACHERON_MAX_CONCURRENT" {
				return tt.env
			}
			return ""
		}
		if err := run(context.Background(), tt.args, getenv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("run %q with TACHERON_MAX_CONCURRENT=%q = %v, want a usage error", tt.args, tt.env, err)
		}
	}
}

// TestServeMaxConcurrent checks that --max-concurrent, or else
// $TACHERON_MAX_CONCURRENT, reaches the server (its metrics tell).
func TestServeMaxConcurrent(t *testing.T) {
	dir := t.TempDir()
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(dir).Publish(context.Background(), c, store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		flags []string
		env   string
		want  string
	}{
		{env: "3", want: "3"},
		{flags: []string{"--max-concurrent", "5"}, env: "3", want: "5"},
	} {
		env := map[string]string{"TACHERON_INDEX": dir, "TACHERON_MAX_CONCURRENT": tt.env}
		stderr := newLogWatcher()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			args := append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.flags...)
			done <- run(ctx, args, func(k string) string { return env[k] }, io.Discard, stderr)
		}()
		addr := stderr.await(t, regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`), done)
		client := &http.Client{Timeout: 10 * time.Second}
		res, err := client.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		client.CloseIdleConnections()
		if want := "tacheron_searches_max_running " + tt.want + "\n"; !strings.Contains(string(body), want) {
			t.Errorf("flags %q, TACHERON_MAX_CONCURRENT=%s: metrics lack %q", tt.flags, tt.env, want)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}
