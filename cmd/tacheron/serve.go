package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"tacheron/index"
)

// runServe serves the API (see the api package).
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("serve: not implemented yet")
}

// writeSearchJSON prints a search result as JSON.
func writeSearchJSON(w io.Writer, req index.Request, res *index.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
