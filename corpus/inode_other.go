//go:build !unix

package corpus

import "io/fs"

// inode returns 0: inode numbers are read on Unix systems only.
func inode(fs.FileInfo) uint64 { return 0 }
