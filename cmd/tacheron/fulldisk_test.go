package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"tacheron/index/store"
)

// tinyDisk mounts a tmpfs of size bytes in a mount namespace of its own
// (so that nothing outside sees it, and it goes away with the test) and
// returns the path under which this process reaches it. Where mounting is
// not allowed (no CAP_SYS_ADMIN) it skips the test loudly, or fails it when
// TACHERON_REQUIRE_FULLDISK=1 (as in CI, which runs as root).
func tinyDisk(t *testing.T, size int) string {
	t.Helper()
	mnt := t.TempDir()
	cmd := exec.Command("sh", "-c", `mount -t tmpfs -o size="$1" tmpfs "$2" && echo mounted && exec cat`, "sh", fmt.Sprint(size), mnt)
	// Unsharing the mount namespace also makes the child's mounts
	// private: the tmpfs stays in there.
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
		noDisk(t, "no mount namespace for a tmpfs (%v): the full-disk test needs CAP_SYS_ADMIN", err)
	}
	t.Cleanup(func() {
		stdin.Close() // cat ends, and the namespace with its tmpfs
		cmd.Wait()
	})
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "mounted" {
		stdin.Close()
		cmd.Wait()
		noDisk(t, "cannot mount a tmpfs: %s", strings.TrimSpace(stderr.String()))
	}
	root := fmt.Sprintf("/proc/%d/root%s", cmd.Process.Pid, mnt)
	var fs syscall.Statfs_t
	if err := syscall.Statfs(root, &fs); err != nil || fs.Type != 0x01021994 { // TMPFS_MAGIC
		noDisk(t, "%s is not the tmpfs (%v)", root, err)
	}
	return root
}

// noDisk ends a test that cannot have its tiny disk: it fails when
// TACHERON_REQUIRE_FULLDISK=1, and otherwise skips, saying so on stderr
// where go test's summary does not hide it.
func noDisk(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("TACHERON_REQUIRE_FULLDISK") == "1" {
		t.Fatal(msg + ", and TACHERON_REQUIRE_FULLDISK=1")
	}
	fmt.Fprintf(os.Stderr, "*** FULL-DISK TEST SKIPPED: %s ***\n", msg)
	t.Skip(msg)
}

// fill writes a file at name that leaves free bytes on its file system
// (rounded to pages), and returns how many are free.
func fill(t *testing.T, name string, free int64) int64 {
	t.Helper()
	os.Remove(name)
	var fs syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(name), &fs); err != nil {
		t.Fatal(err)
	}
	avail := int64(fs.Bavail) * fs.Bsize
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for left := avail - free; left > 0; {
		n := min(left, int64(len(chunk)))
		if _, err := f.Write(chunk[:n]); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			t.Fatal(err)
		}
		left -= n
	}
	if err := syscall.Statfs(filepath.Dir(name), &fs); err != nil {
		t.Fatal(err)
	}
	return int64(fs.Bavail) * fs.Bsize
}

// TestIndexFullDisk runs "tacheron index" on a file system that fills up
// at different moments of the run: each run fails saying so, and nothing
// served changes; once there is room, the next run succeeds.
func TestIndexFullDisk(t *testing.T) {
	disk := tinyDisk(t, 8<<20)
	dir := filepath.Join(disk, "index")
	publishCLI(t, dir)
	st := store.Open(dir)
	live := serving(t, st)
	_, snapDir, _ := st.Current()
	var size int64
	filepath.Walk(snapDir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			size += info.Size()
		}
		return nil
	})
	filler := filepath.Join(disk, "filler")
	// From no room at all to nearly a snapshot's worth: the disk fills
	// up in different files of the build.
	for _, free := range []int64{0, 16 << 10, size / 8, size / 4, size / 2, size * 3 / 4, size * 9 / 10} {
		got := fill(t, filler, free)
		_, _, err := runCLI(t, nil, "index", "--full", "--index", dir)
		if err == nil || !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), "nothing published, generation 1 is still current") {
			t.Errorf("index with %d bytes free (a snapshot takes %d) = %v, want no space left on device", got, size, err)
			continue
		}
		t.Logf("%7d bytes free: %v", got, err)
		checkUnchanged(t, st, live, 1)
	}
	os.Remove(filler)
	if gen := publishCLI(t, dir); gen != 2 {
		t.Errorf("with room again, index published %d, want 2", gen)
	}
	if swapped, err := live.Reload(); !swapped || err != nil {
		t.Errorf("reload: %v, %v", swapped, err)
	}
}
