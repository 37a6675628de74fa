package main

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// readOnlyView bind-mounts dir read-only in a mount namespace of its own
// and returns the path under which this process reaches that view. It
// skips the test, loudly, where mounting is not allowed, unless
// TACHERON_REQUIRE_MOUNT=1 makes that a failure.
func readOnlyView(t *testing.T, dir string) string {
	t.Helper()
	skip := func(format string, args ...any) {
		msg := "*** READ-ONLY STORE TEST SKIPPED: " + fmt.Sprintf(format, args...) + " (it needs CAP_SYS_ADMIN) ***"
		if os.Getenv("TACHERON_REQUIRE_MOUNT") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd := exec.Command("sh", "-c", `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && echo mounted && exec cat`, "sh", dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		skip("no mount namespace: %v", err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); strings.TrimSpace(line) != "mounted" {
		skip("cannot bind-mount read-only: %s", stderr.String())
	}
	root := fmt.Sprintf("/proc/%d/root%s", cmd.Process.Pid, dir)
	if err := os.WriteFile(filepath.Join(root, "probe"), nil, 0o644); !errors.Is(err, syscall.EROFS) {
		t.Fatalf("writing into the read-only view: %v, want EROFS", err)
	}
	return root
}

// TestServeReadOnlyStore: a store on a read-only mount (a replica, a
// container image, a backup) is searched and served, and the server says
// that it holds no in-use lock there.
func TestServeReadOnlyStore(t *testing.T) {
	dir := t.TempDir()
	idx := filepath.Join(dir, "index")
	if _, _, err := runCLI(t, nil, "index", "--index", idx); err != nil {
		t.Fatal(err)
	}
	ro := filepath.Join(readOnlyView(t, dir), "index")
	out, _, err := runCLI(t, nil, "search", "--index", ro, "captcha")
	if err != nil || !strings.HasPrefix(out, "1 result for") {
		t.Fatalf("search a read-only store: %v\n%s", err, out)
	}
	s := startServe(t, nil, "--index", ro, "--watch-interval", "0")
	var res struct{ Total int }
	if r, err := s.do(http.MethodGet, "/api/v1/search?q=captcha", "", &res); err != nil || r.StatusCode != http.StatusOK || res.Total != 1 {
		t.Errorf("GET search on a read-only store: %v %v, total %d", r, err, res.Total)
	}
	s.log.await(t, regexp.MustCompile(`read-only file system: served without its in-use lock`), s.done)
}
