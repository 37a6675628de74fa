package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"tacheron/api/gate"
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
	limit := fs.Int("limit", 10, fmt.Sprintf("number of results to print, 1 to %d; 0 prints only how many there are", index.MaxLimit))
	from := fs.String("from", "", "only documents dated from `YYYY-MM-DD` on")
	to := fs.String("to", "", "only documents dated up to `YYYY-MM-DD`")
	sortBy := fs.String("sort", "", "order: relevance, date (oldest first) or -date (newest first); default: relevance, or -date without a query")
	var sources, concepts, kinds, langs stringList
	fs.Var(&sources, "source", "only this source, in any case (repeatable)")
	fs.Var(&concepts, "concept", "only this concept: an id or a label in French or English (repeatable)")
	fs.Var(&kinds, "kind", "only this kind: post, video, seminar, interview, press, press-review, mention (repeatable)")
	fs.Var(&langs, "lang", "only this language: fr or en (repeatable)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: tacheron search [flags] QUERY\n\nSearches the index and prints the best results with highlighted snippets.\nWithout a query it lists every document (filtered), newest first.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *limit < 0 || *limit > index.MaxLimit {
		fmt.Fprintf(stderr, "tacheron search: --limit must be between 0 and %d, not %d\n", index.MaxLimit, *limit)
		return errUsage
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
		Limit:     max(*limit, 1),
		Sort:      *sortBy,
		Highlight: *limit > 0,
		Filters: index.Filters{Sources: sources, Concepts: concepts, Kinds: kinds, Langs: langs,
			From: *from, To: *to},
	}
	if *asJSON {
		req.Facets = index.FacetNames()
	}
	res, err := live.Search(ctx, req)
	var qe *index.QueryError
	if errors.As(err, &qe) {
		// A value the index refuses came from a flag: name the flag.
		fmt.Fprintf(stderr, "tacheron search: --%s: %s\n", flagOf(gate.NativeParam(qe.Field)), qe.Reason)
		return errUsage
	}
	if err != nil {
		return err
	}
	if *limit == 0 {
		res.Hits = nil
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "warning: --%s %q matches nothing in the index", w.Param, w.Value)
		if len(w.Closest) > 0 {
			fmt.Fprintf(stderr, "; closest: %s", strings.Join(w.Closest, ", "))
		}
		fmt.Fprintln(stderr)
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

// flagOf returns the flag of tacheron search that sets a request parameter.
func flagOf(param string) string {
	switch param {
	case "per_page", "page":
		return "limit"
	}
	return param
}

// printResults prints a result as text, matches marked by marks.
func printResults(w io.Writer, query string, res *index.Result, marks *strings.Replacer) {
	plain := func(s string) string { return html.UnescapeString(marks.Replace(s)) }
	took := float64(res.Took.Microseconds()) / 1000
	if strings.TrimSpace(query) == "" {
		fmt.Fprintf(w, "%s, no query: every document that the filters keep (%.1f ms)\n", plural(res.Total, "document"), took)
	} else {
		fmt.Fprintf(w, "%s for %q (%.1f ms)\n", plural(res.Total, "result"), query, took)
	}
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

// plural returns n and noun, in the plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
