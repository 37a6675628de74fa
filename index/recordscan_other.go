//go:build !unix

package index

import (
	"errors"
	"os"
)

// mapFile does not map files here: records are read with ReadAt.
func mapFile(*os.File) ([]byte, error) { return nil, errors.ErrUnsupported }

// unmapFile undoes mapFile.
func unmapFile([]byte) error { return nil }
