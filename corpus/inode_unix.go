//go:build unix

package corpus

import (
	"io/fs"
	"syscall"
)

// inode returns the inode number of a file, or 0 when fi does not say.
func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
