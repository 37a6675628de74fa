package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"tacheron/corpus"
	"tacheron/index"
)

// The relevance command is a known-item evaluation (issue 19): a corpus of
// real French text, a set of queries each with the one or two pages that
// answer it, and success@1, success@10 and MRR@10 per class of query. It
// fails when the overall MRR@10 falls below a floor, so that it guards
// ranking changes in CI.

// knownItem is one query of the set and the documents that answer it.
type knownItem struct {
	class string
	query string // as searched
	want  []string
	line  int
}

// parseKnownItems reads a query set: lines "class<TAB>query<TAB>id,id";
// blank lines and lines starting with '#' are skipped. Queries of every
// class but "prefix" are searched as submitted, with a trailing space.
func parseKnownItems(r io.Reader, name string) ([]knownItem, error) {
	var items []knownItem
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want class, query and ids separated by tabs, got %d fields", name, n, len(f))
		}
		it := knownItem{class: strings.TrimSpace(f[0]), query: strings.TrimSpace(f[1]), line: n}
		for id := range strings.SplitSeq(f[2], ",") {
			if id = strings.TrimSpace(id); id != "" {
				it.want = append(it.want, id)
			}
		}
		switch {
		case it.class == "":
			return nil, fmt.Errorf("%s:%d: empty class", name, n)
		case it.query == "":
			return nil, fmt.Errorf("%s:%d: empty query", name, n)
		case len(it.want) == 0:
			return nil, fmt.Errorf("%s:%d: no expected id", name, n)
		}
		if it.class != "prefix" {
			it.query += " "
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s: no query", name)
	}
	return items, nil
}

// knownItemRank returns the 1-based rank of the first expected id among
// the hits, or 0 when none is there.
func knownItemRank(hits []string, want []string) int {
	for i, id := range hits {
		if slices.Contains(want, id) {
			return i + 1
		}
	}
	return 0
}

// knownItemScore sums the outcomes of a class of queries.
type knownItemScore struct {
	class         string
	queries       int
	at1, at10     int
	reciprocalSum float64
}

// add counts one query answered at rank (0: not in the top 10).
func (s *knownItemScore) add(rank int) {
	s.queries++
	if rank == 1 {
		s.at1++
	}
	if rank >= 1 && rank <= 10 {
		s.at10++
		s.reciprocalSum += 1 / float64(rank)
	}
}

// mrr returns the mean reciprocal rank at 10.
func (s *knownItemScore) mrr() float64 {
	if s.queries == 0 {
		return 0
	}
	return s.reciprocalSum / float64(s.queries)
}

func runRelevance(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("relevance", flag.ContinueOnError)
	corpusPath := fs.String("corpus", "eval/manpages-fr.jsonl.gz", "the corpus: a JSON Lines file, gzipped or not")
	queriesPath := fs.String("queries", "eval/manpages-queries.tsv", "the known-item queries")
	cache := fs.String("cache", filepath.Join(os.TempDir(), "tacheron-relevance"), "where the corpus's index is kept between runs (rebuilt when the corpus or this program changes)")
	minMRR := fs.Float64("min-mrr", 0, "fail when the overall MRR@10 is below this")
	keep := fs.Bool("keep-index", false, "reuse the cached index even if this program changed (for ranking work that does not change how documents are indexed)")
	verbose := fs.Bool("v", false, "list each query with the rank of its page and the first hits of the misses")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	qf, err := os.Open(*queriesPath)
	if err != nil {
		return fmt.Errorf("relevance: %w", err)
	}
	items, err := parseKnownItems(qf, *queriesPath)
	qf.Close()
	if err != nil {
		return fmt.Errorf("relevance: %w", err)
	}
	snap, err := relevanceIndex(ctx, *corpusPath, *cache, !*keep, stderr)
	if err != nil {
		return fmt.Errorf("relevance: %w", err)
	}
	defer snap.Close()

	var classes []*knownItemScore
	byClass := map[string]*knownItemScore{}
	total := &knownItemScore{class: "overall"}
	vw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, it := range items {
		res, err := snap.Search(ctx, index.Request{Query: it.query, Limit: 10})
		if err != nil {
			return fmt.Errorf("relevance: %s:%d %q: %w", *queriesPath, it.line, it.query, err)
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		rank := knownItemRank(ids, it.want)
		s := byClass[it.class]
		if s == nil {
			s = &knownItemScore{class: it.class}
			byClass[it.class] = s
			classes = append(classes, s)
		}
		s.add(rank)
		total.add(rank)
		if *verbose {
			r := "-"
			if rank > 0 {
				r = fmt.Sprint(rank)
			}
			first := ""
			if rank != 1 {
				first = strings.Join(ids[:min(3, len(ids))], " ")
			}
			fmt.Fprintf(vw, "%s\t%q\t%s\t%s\n", it.class, strings.TrimSpace(it.query), r, first)
		}
	}
	if *verbose {
		vw.Flush()
		fmt.Fprintln(stdout)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\tqueries\tsuccess@1\tsuccess@10\tMRR@10\t")
	for _, s := range append(classes, total) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t\n", s.class, s.queries, s.at1, s.at10, s.mrr())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total.mrr() < *minMRR {
		return fmt.Errorf("relevance: overall MRR@10 %.3f is below the floor %.3f", total.mrr(), *minMRR)
	}
	return nil
}

// relevanceIndex returns the snapshot of the corpus at path, built into
// cacheDir unless a build of the same corpus (by the same program, when
// byProgram) is there.
func relevanceIndex(ctx context.Context, path, cacheDir string, byProgram bool, stderr io.Writer) (*index.Snapshot, error) {
	key, err := relevanceCacheKey(path, byProgram)
	if err != nil {
		return nil, err
	}
	snapDir := filepath.Join(cacheDir, key, "snap")
	if snap, err := index.Open(snapDir); err == nil {
		return snap, nil
	}
	// Earlier builds (named by other keys) are of no more use.
	if entries, err := os.ReadDir(cacheDir); err == nil {
		for _, e := range entries {
			if _, err := hex.DecodeString(e.Name()); err == nil && len(e.Name()) == len(key) {
				if err := os.RemoveAll(filepath.Join(cacheDir, e.Name())); err != nil {
					return nil, err
				}
			}
		}
	}
	corpusDir := filepath.Join(cacheDir, key, "corpus")
	if err := os.MkdirAll(corpusDir, 0o755); err != nil {
		return nil, err
	}
	if err := copyCorpus(path, filepath.Join(corpusDir, "corpus.jsonl")); err != nil {
		return nil, err
	}
	c, err := corpus.OpenDir(corpusDir)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	tmp := snapDir + ".tmp"
	if _, err := index.Build(ctx, c, tmp, index.BuildOptions{}); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, snapDir); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "indexed %s in %s (kept in %s)\n", path, time.Since(start).Round(time.Millisecond), snapDir)
	return index.Open(snapDir)
}

// relevanceCacheKey names a build of the corpus at path: a hash of the
// corpus file and, when byProgram, of the running executable.
func relevanceCacheKey(path string, byProgram bool) (string, error) {
	h := sha256.New()
	names := []string{path}
	if byProgram {
		names = append(names, "")
	} else {
		h.Write([]byte("any program"))
	}
	for _, name := range names {
		if name == "" {
			exe, err := os.Executable()
			if err != nil {
				return "", err
			}
			name = exe
		}
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// copyCorpus writes the JSON Lines file at src, gunzipped if its name ends
// in .gz, to dst.
func copyCorpus(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var r io.Reader = in
	if strings.HasSuffix(src, ".gz") {
		gz, err := gzip.NewReader(in)
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		defer gz.Close()
		r = gz
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err := io.Copy(out, r); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	return nil
}
