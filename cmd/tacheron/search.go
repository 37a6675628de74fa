package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"tacheron/index"
	"tacheron/index/store"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron search", flag.ContinueOnError)
	indexDir := fs.String("index", envOr(getenv, "TACHERON_INDEX", defaultIndex), "index `PATH` [$TACHERON_INDEX]")
	asJSON := fs.Bool("json", false, "print the API's JSON search response")
	limit := fs.Int("limit", 10, "number of results")
	var sources, concepts, kinds, langs stringList
	fs.Var(&sources, "source", "only this source (repeatable)")
	fs.Var(&concepts, "concept", "only this concept id (repeatable)")
	fs.Var(&kinds, "kind", "only this kind (repeatable)")
	fs.Var(&langs, "lang", "only this language (repeatable)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron search [flags] QUERY\n\nSearches the index and prints the best results with highlighted snippets.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	query := strings.Join(fs.Args(), " ")
	// A Live holds the snapshot in use, so that a concurrent "tacheron
	// index" does not remove it while the search runs.
	live := store.NewLive(store.Open(*indexDir))
	defer live.Close()
	if _, err := live.Reload(); err != nil {
		return fmt.Errorf("%s: %w (run \"tacheron index\" first)", *indexDir, err)
	}
	req := index.Request{
		Query:     query,
		Limit:     *limit,
		Highlight: true,
		Filters:   index.Filters{Sources: sources, Concepts: concepts, Kinds: kinds, Langs: langs},
	}
	if *asJSON {
		req.Facets = index.FacetNames()
	}
	res, err := live.Search(ctx, req)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeSearchJSON(stdout, req, res)
	}
	open, closeMark := "[", "]"
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		open, closeMark = "\033[1;33m", "\033[0m"
	}
	printResults(stdout, query, res, strings.NewReplacer("<mark>", open, "</mark>", closeMark))
	return nil
}

// printResults prints a result as text, matches marked by marks.
func printResults(w io.Writer, query string, res *index.Result, marks *strings.Replacer) {
	plain := func(s string) string { return html.UnescapeString(marks.Replace(s)) }
	fmt.Fprintf(w, "%d results for %q (%.1f ms)\n", res.Total, query, float64(res.Took.Microseconds())/1000)
	for i, h := range res.Hits {
		title := h.Title
		if t := h.Highlights["title"]; len(t) > 0 {
			title = plain(t[0])
		}
		fmt.Fprintf(w, "\n%2d. %s\n    %s · %s · %s · %s\n", i+1, title, h.Source, h.Date, h.Kind, h.ID)
		for _, s := range h.Highlights["body"] {
			fmt.Fprintf(w, "    %s\n", plain(s))
		}
	}
}
