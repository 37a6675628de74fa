package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  string
	}{
		{in: "2GiB", want: 2 << 30},
		{in: "2gib", want: 2 << 30},
		{in: "512MiB", want: 512 << 20},
		{in: "512 MiB", want: 512 << 20},
		{in: "1.5G", want: 3 << 29},
		{in: "300MB", want: 300e6},
		{in: "64k", want: 64 << 10},
		{in: "4096", want: 4096},
		{in: "10B", want: 10},
		{in: "1TB", want: 1e12},
		{in: "", err: "no number"},
		{in: "GiB", err: "no number"},
		{in: "2 parsecs", err: "unknown unit"},
		{in: "1.2.3G", err: "not a number"},
		{in: "0", err: "at least one byte"},
		{in: "0.1", err: "at least one byte"},
		{in: "-1G", err: "unknown unit"},
		{in: "99999999999TiB", err: "too large"},
	} {
		got, err := parseByteSize(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseByteSize(%q) = %d, %v; want an error saying %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestByteSizeString(t *testing.T) {
	for n, want := range map[int64]string{2 << 30: "2GiB", 512 << 20: "512MiB", 1536 << 20: "1536MiB", 1000: "1000B", 3 << 40: "3TiB"} {
		b := byteSize(n)
		if got := b.String(); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
		var back byteSize
		if err := back.Set(want); err != nil || back != b {
			t.Errorf("Set(%q) = %d, %v; want %d", want, back, err, n)
		}
	}
}

func FuzzParseByteSize(f *testing.F) {
	for _, s := range []string{"2GiB", "1.5G", "4096", "", "0.1", "1e9", "99999999999TiB", " 3 mb "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseByteSize(s)
		if err != nil {
			return
		}
		if n < 1 {
			t.Fatalf("parseByteSize(%q) = %d without error", s, n)
		}
		b := byteSize(n)
		back, err := parseByteSize(b.String())
		if err != nil || back != n {
			t.Fatalf("%q: %d prints as %q, read back as %d, %v", s, n, b.String(), back, err)
		}
	})
}

// TestMaxMemoryFlags checks that the memory flags refuse what is not a
// size, and that a build under a small bound succeeds.
func TestMaxMemoryFlags(t *testing.T) {
	getenv := func(string) string { return "" }
	for _, args := range [][]string{
		{"index", "--max-memory", "0"},
		{"index", "--max-memory", "lots"},
		{"index", "--batch", "-1"},
		{"serve", "--reindex-max-memory", "2 parsecs"},
	} {
		var stderr strings.Builder
		if err := run(context.Background(), args, getenv, io.Discard, &stderr); !errors.Is(err, errUsage) {
			t.Errorf("run %q = %v, want a usage error", args, err)
		}
		if !strings.Contains(stderr.String(), strings.TrimPrefix(args[1], "--")) {
			t.Errorf("run %q: the message does not name the flag: %s", args, stderr.String())
		}
	}
	var stdout strings.Builder
	if err := run(context.Background(), []string{"index", "--index", t.TempDir(), "--max-memory", "1MiB"}, getenv, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "documents") {
		t.Errorf("index under 1 MiB printed %q", stdout.String())
	}
}
