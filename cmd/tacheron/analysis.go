package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"tacheron/api"
	"tacheron/api/export"
	"tacheron/api/gate"
	"tacheron/index"
	"tacheron/index/store"
)

// searchFlags are the filters of "tacheron search", shared by trends, kwic
// and export.
type searchFlags struct {
	indexDir                        *string
	sources, concepts, kinds, langs stringList
	from, to                        *string
	noRelated                       *bool
}

func addSearchFlags(fs *flag.FlagSet, getenv func(string) string) *searchFlags {
	f := &searchFlags{indexDir: fs.String("index", envOr(getenv, "TACHERON_INDEX", defaultIndex), "index `PATH` [$TACHERON_INDEX]")}
	fs.Var(&f.sources, "source", "only this source (repeatable)")
	fs.Var(&f.concepts, "concept", "only this concept id (repeatable)")
	fs.Var(&f.kinds, "kind", "only this kind (repeatable)")
	fs.Var(&f.langs, "lang", "only this language (repeatable)")
	f.from = fs.String("from", "", "only documents dated from `YYYY-MM-DD`")
	f.to = fs.String("to", "", "only documents dated until `YYYY-MM-DD`")
	f.noRelated = fs.Bool("no-related", false, "leave out the related documents (those that match only some words)")
	return f
}

func (f *searchFlags) filters() index.Filters {
	return index.Filters{Sources: f.sources, Concepts: f.concepts, Kinds: f.kinds, Langs: f.langs, From: *f.from, To: *f.to}
}

// openLive opens the index for a command; the caller closes it.
func openLive(dir string) (*store.Live, error) {
	live := store.NewLive(store.Open(dir))
	if _, err := live.Reload(); err != nil {
		live.Close()
		return nil, fmt.Errorf("%s: %w (run \"tacheron index\" first)", dir, err)
	}
	return live, nil
}

func runTrends(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron trends", flag.ContinueOnError)
	f := addSearchFlags(fs, getenv)
	var series stringList
	fs.Var(&series, "series", "a series as search parameters, `q=…&concept=…` (repeatable, up to 5; default: the query and filters)")
	interval := fs.String("interval", "auto", "periods: month, year or auto")
	format := fs.String("format", "table", "table, csv or jsonl")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron trends [flags] [QUERY]\n\nCounts the documents that match every word, per period, for one to five series.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	req := index.TrendsRequest{Interval: *interval, From: *f.from, To: *f.to}
	var labels []string
	if len(series) == 0 {
		req.Series = []index.Request{{Query: strings.Join(fs.Args(), " "), Filters: f.filters()}}
		labels = []string{strings.Join(fs.Args(), " ")}
	}
	for _, s := range series {
		v, err := url.ParseQuery(s)
		if err != nil {
			return fmt.Errorf("--series %q: %w", s, err)
		}
		req.Series = append(req.Series, index.Request{Query: v.Get("q"), Filters: index.Filters{
			Sources: v["source"], Concepts: v["concept"], Kinds: v["kind"], Langs: v["lang"], From: v.Get("from"), To: v.Get("to")}})
		label := v.Get("label")
		if label == "" {
			label = s
		}
		labels = append(labels, label)
	}
	live, err := openLive(*f.indexDir)
	if err != nil {
		return err
	}
	defer live.Close()
	tr, err := live.Trends(ctx, req)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	switch *format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"series", "label", "period", "count", "share"})
		for i, s := range tr.Series {
			for _, p := range s.Points {
				cw.Write(export.SafeCells([]string{strconv.Itoa(i + 1), labels[i], p.Period, strconv.Itoa(p.Count), strconv.FormatFloat(p.Share, 'f', -1, 64)}))
			}
		}
		cw.Flush()
		return cw.Error()
	case "jsonl":
		type row struct {
			Series int     `json:"series"`
			Label  string  `json:"label"`
			Period string  `json:"period"`
			Count  int     `json:"count"`
			Share  float64 `json:"share"`
		}
		for i, s := range tr.Series {
			for _, p := range s.Points {
				if err := gate.EncodeJSON(w, row{i + 1, labels[i], p.Period, p.Count, p.Share}); err != nil {
					return err
				}
			}
		}
		return nil
	case "table":
		fmt.Fprintf(w, "%-8s", "period")
		for _, l := range labels {
			fmt.Fprintf(w, "  %16.16s", l)
		}
		fmt.Fprintln(w)
		for j := range tr.Series[0].Points {
			fmt.Fprintf(w, "%-8s", tr.Series[0].Points[j].Period)
			for _, s := range tr.Series {
				fmt.Fprintf(w, "  %7d (%5.1f%%)", s.Points[j].Count, 100*s.Points[j].Share)
			}
			fmt.Fprintln(w)
		}
		return nil
	}
	return fmt.Errorf("--format %q: want table, csv or jsonl", *format)
}

func runKWIC(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron kwic", flag.ContinueOnError)
	f := addSearchFlags(fs, getenv)
	contextWords := fs.Int("context", index.DefaultContextWords, "words of context on each side")
	sort := fs.String("sort", index.SortDateDesc, "-date, date, source, left or right")
	limit := fs.Int("limit", 50, "lines (text: at most 500; csv and jsonl: every line when 0)")
	concepts := fs.Bool("concepts", false, "also the words of the concepts the query stands for")
	format := fs.String("format", "text", "text, csv or jsonl")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron kwic [flags] QUERY\n\nPrints every occurrence of the query's words in the documents that match them all, in context.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	req := index.ConcordanceRequest{Search: index.Request{Query: strings.Join(fs.Args(), " "), Filters: f.filters()},
		Context: *contextWords, Sort: *sort, Concepts: *concepts}
	live, err := openLive(*f.indexDir)
	if err != nil {
		return err
	}
	defer live.Close()
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	switch *format {
	case "text":
		req.Limit = *limit
		kw, err := live.Concordance(ctx, req)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%d occurrences in %d documents\n", kw.Total, kw.Documents)
		for _, l := range kw.Lines {
			left := []rune(l.Left)
			if len(left) > 50 {
				left = left[len(left)-50:]
			}
			fmt.Fprintf(w, "%50s [%s] %.50s   %s %s\n", string(left), l.Keyword, l.Right, l.Date, l.ID)
		}
		return nil
	case "csv", "jsonl":
		cw := csv.NewWriter(w)
		rows := 0
		var werr error
		err := live.ConcordanceEach(ctx, req, func(uint64) error {
			if *format == "csv" {
				return cw.Write(export.LineHeader)
			}
			return nil
		}, func(l index.Line) bool {
			if *format == "csv" {
				werr = cw.Write(export.LineCells(l))
			} else {
				werr = gate.EncodeJSON(w, api.KWICLine{ID: l.ID, Title: l.Title, Source: l.Source, Date: l.Date, Field: l.Field,
					Paragraph: l.Paragraph, Start: l.Start, End: l.End, Left: l.Left, Keyword: l.Keyword, Right: l.Right})
			}
			rows++
			return werr == nil && (*limit <= 0 || rows < *limit)
		})
		cw.Flush()
		if err == nil {
			err = werr
		}
		if err == nil {
			err = cw.Error()
		}
		return err
	}
	return fmt.Errorf("--format %q: want text, csv or jsonl", *format)
}

func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron export", flag.ContinueOnError)
	f := addSearchFlags(fs, getenv)
	format := fs.String("format", "csv", "csv, jsonl, ris or bibtex")
	sort := fs.String("sort", "", "relevance, date or -date (default: relevance with a query, newest first without)")
	limit := fs.Int("limit", 0, "at most this many documents (0: all)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron export [flags] [QUERY]\n\nWrites every result of a search: the documents that match every word, then the related ones.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	bw := bufio.NewWriter(stdout)
	w, err := export.NewWriter(*format, bw)
	if err != nil {
		return err
	}
	live, err := openLive(*f.indexDir)
	if err != nil {
		return err
	}
	defer live.Close()
	req := index.Request{Query: strings.Join(fs.Args(), " "), Filters: f.filters(), Sort: *sort, ExcludeRelated: *f.noRelated}
	err = live.Export(ctx, req, *limit, func(gen uint64, total, related int) error {
		fmt.Fprintf(stderr, "%d documents with every word, %d related\n", total, related)
		return w.Header()
	}, w.Record)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = bw.Flush()
	}
	return err
}
