package main

import (
	"errors"
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
