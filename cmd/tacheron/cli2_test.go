package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// sharedIndex is an index of the bundled corpus for the CLI tests that
// only read it, built once.
var sharedIndex struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedIndex.dir != "" {
		os.RemoveAll(filepath.Dir(sharedIndex.dir))
	}
	os.Exit(code)
}

// bundledIndex returns the path of an index of the bundled corpus.
func bundledIndex(t *testing.T) string {
	t.Helper()
	sharedIndex.once.Do(func() {
		dir, err := os.MkdirTemp("", "tacheron-cli-")
		if err != nil {
			sharedIndex.err = err
			return
		}
		sharedIndex.dir = filepath.Join(dir, "index")
		_, _, sharedIndex.err = runCLI(t, nil, "index", "--index", sharedIndex.dir)
	})
	if sharedIndex.err != nil {
		t.Fatal(sharedIndex.err)
	}
	return sharedIndex.dir
}

// TestHelpAndVersion: help asked for is printed and is not an error, for
// each command and through "tacheron help COMMAND"; the version is printed.
func TestHelpAndVersion(t *testing.T) {
	for _, cmd := range []string{"index", "search", "serve"} {
		want := "Usage: tacheron " + cmd
		for _, args := range [][]string{{cmd, "--help"}, {cmd, "-h"}, {"help", cmd}} {
			stdout, stderr, err := runCLI(t, nil, args...)
			if err != nil {
				t.Errorf("run(%q) = %v, want nil (exit 0)", args, err)
			}
			if !strings.Contains(stdout+stderr, want) {
				t.Errorf("run(%q) printed %q, want %q", args, stdout+stderr, want)
			}
		}
		// Asked for by name, the help is the output.
		if stdout, _, _ := runCLI(t, nil, "help", cmd); !strings.Contains(stdout, want) || strings.Contains(stdout, "tacheron help [COMMAND]") {
			t.Errorf("help %s printed %q, want the command's help on stdout", cmd, stdout)
		}
	}
	if _, _, err := runCLI(t, nil, "help", "nope"); !errors.Is(err, errUsage) {
		t.Errorf("help nope = %v, want a usage error", err)
	}
	for _, arg := range []string{"--version", "version"} {
		stdout, _, err := runCLI(t, nil, arg)
		if err != nil || !regexp.MustCompile(`^tacheron \S+.* go1\.\d+`).MatchString(stdout) {
			t.Errorf("%s = %q, %v", arg, stdout, err)
		}
	}
}

// TestUnknownFlagsAsTyped: an unknown or bad flag is named as it was typed.
func TestUnknownFlagsAsTyped(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"search", "--bogus", "x"}, "unknown flag --bogus"},
		{[]string{"search", "-bogus", "x"}, "unknown flag -bogus"},
		{[]string{"index", "--batch=many"}, `"many" for flag --batch`},
		{[]string{"serve", "--nope"}, "unknown flag --nope"},
		{[]string{"--bogus"}, "unknown flag --bogus"},
	}
	for _, tt := range tests {
		_, stderr, err := runCLI(t, nil, tt.args...)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr, tt.want) {
			t.Errorf("run(%q) = %v, stderr %q; want a usage error saying %q", tt.args, err, stderr, tt.want)
		}
	}
}

// TestSearchFlags: dates, sort and limits of tacheron search, and what it
// says about its results.
func TestSearchFlags(t *testing.T) {
	idx := bundledIndex(t)
	search := func(args ...string) (string, string, error) {
		return runCLI(t, nil, append([]string{"search", "--index", idx}, args...)...)
	}
	out, _, err := search("--limit", "100", "--from", "2017-03-20", "--to", "2017-03-25", "--sort", "date")
	if err != nil {
		t.Fatal(err)
	}
	dates := regexp.MustCompile(`· (\d{4}-\d{2}-\d{2}) ·`).FindAllStringSubmatch(out, -1)
	if len(dates) == 0 {
		t.Fatalf("no result from 2017-03-20 to 2017-03-25:\n%s", out)
	}
	for i, d := range dates {
		if d[1] < "2017-03-20" || d[1] > "2017-03-25" || i > 0 && d[1] < dates[i-1][1] {
			t.Errorf("result %d dated %s: not within the dates, oldest first\n%s", i+1, d[1], out)
		}
	}
	if !strings.Contains(out, "no query: every document") {
		t.Errorf("an empty query does not say it lists everything:\n%s", out)
	}
	if out, _, _ := search("--limit", "1", "captcha"); !strings.HasPrefix(out, "1 result for") {
		t.Errorf("one result: %q", out)
	}
	out, _, err = search("--limit", "0", "travail")
	if err != nil || !regexp.MustCompile(`^\d+ results for "travail"`).MatchString(out) || strings.Contains(out, " 1. ") {
		t.Errorf("--limit 0 = %v, %q; want the count alone", err, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--limit", "-3", "x"}, "--limit must be between 0 and 100, not -3"},
		{[]string{"--limit", "101", "x"}, "--limit must be between 0 and 100"},
		{[]string{"--sort", "popularity", "x"}, "--sort"},
		{[]string{"--from", "2017-3-1", "x"}, "--from"},
		{[]string{"--kind", "article", "x"}, "--kind: unknown kind \"article\" (want one of post"},
		{[]string{"--lang", "de", "x"}, "--lang"},
	} {
		_, stderr, err := search(tt.args...)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr, tt.want) {
			t.Errorf("search %q = %v, stderr %q; want a usage error saying %q", tt.args, err, stderr, tt.want)
		}
	}
	out, stderr, err := search("--source", "le mond", "travail")
	if err != nil || !strings.Contains(stderr, `warning: --source "le mond" matches nothing`) || !strings.Contains(stderr, "Le Monde") {
		t.Errorf("unknown source: %v, stderr %q", err, stderr)
	}
	if !strings.HasPrefix(out, "0 results") {
		t.Errorf("unknown source: %q", out)
	}
	if out, stderr, _ := search("--source", "le monde", "--concept", "Digital Labor", "travail"); stderr != "" || strings.HasPrefix(out, "0 results") {
		t.Errorf("le monde, Digital Labor: %q, stderr %q", out, stderr)
	}
}

// TestProgressLine: the progress of a build shows documents of the total,
// the percentage, the rate and the time left; a full bar at the end.
func TestProgressLine(t *testing.T) {
	tests := []struct {
		docs, total int
		elapsed     time.Duration
		want        []string
	}{
		{5000, 0, 5 * time.Second, []string{"5000 documents", "1000/s"}},
		{10000, 20000, 10 * time.Second, []string{"10000/20000 documents", "(50%)", "1000/s", "ETA 10s", strings.Repeat("█", 15) + strings.Repeat("░", 15)}},
		{20000, 20000, 20 * time.Second, []string{"20000/20000 documents", "(100%)", strings.Repeat("█", 30), "ETA 0s"}},
	}
	for _, tt := range tests {
		got := progressLine(tt.docs, tt.total, tt.elapsed)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("progressLine(%d, %d, %v) = %q, want %q in it", tt.docs, tt.total, tt.elapsed, got, w)
			}
		}
	}
}

// TestInstallDocumented: the README says where the binary is and how to
// install it, and the Makefile has the target it names.
func TestInstallDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"bin/tacheron", "make install"} {
		if !strings.Contains(string(readme), w) {
			t.Errorf("the README does not mention %q", w)
		}
	}
	if !regexp.MustCompile(`(?m)^install:`).Match(makefile) || !strings.Contains(string(makefile), "install ./cmd/tacheron") {
		t.Errorf("the Makefile has no install target that installs ./cmd/tacheron")
	}
}
