package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// A FileStat is what stat tells of a source file and of the manifest
// beside it, enough to see that neither changed without reading them (as
// git's index does): an incremental build hashes again only the files
// whose FileStat changed or that were modified too close to the previous
// build to trust their modification time.
type FileStat struct {
	// Key joins the size, modification time (in nanoseconds) and inode
	// of the file and of its manifest ("-" when it has none).
	Key string
	// ModTime is the later modification time of the two.
	ModTime time.Time
}

// Stat returns the FileStat of file, a path of Files.
func (c *Corpus) Stat(file string) (FileStat, error) {
	var st FileStat
	var keys []string
	for _, name := range []string{file, strings.TrimSuffix(file, path.Ext(file)) + manifestSuffix} {
		fi, err := fs.Stat(c.fsys, name)
		if errors.Is(err, fs.ErrNotExist) && name != file {
			keys = append(keys, "-")
			continue
		}
		if err != nil {
			return FileStat{}, fmt.Errorf("corpus %s: %w", c.name, err)
		}
		keys = append(keys, fmt.Sprintf("%d:%d:%d", fi.Size(), fi.ModTime().UnixNano(), inode(fi)))
		if fi.ModTime().After(st.ModTime) {
			st.ModTime = fi.ModTime()
		}
	}
	st.Key = strings.Join(keys, " ")
	return st, nil
}
