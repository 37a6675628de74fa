package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"tacheron/corpus/reprint"
)

// reprintsFile holds a snapshot's groups of reprints (see corpus/reprint):
// {"groups": [["id1", "id2"], …]}. A snapshot built before reprints were
// detected has none.
const reprintsFile = "reprints.json"

// reprintGroups is the content of reprintsFile.
type reprintGroups struct {
	Groups [][]string `json:"groups"`
}

// writeReprints writes the groups of reprints found while building.
func writeReprints(dir string, groups [][]string) error {
	if groups == nil {
		groups = [][]string{}
	}
	data, err := json.Marshal(reprintGroups{Groups: groups})
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(dir, reprintsFile), data)
}

// loadReprints reads a snapshot's groups of reprints, as each member's
// list of the others.
func loadReprints(dir string) (map[string][]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, reprintsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var g reprintGroups
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("%s: %w", reprintsFile, err)
	}
	return reprint.Others(g.Groups), nil
}
