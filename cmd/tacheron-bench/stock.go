package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	blevequery "github.com/blevesearch/bleve/v2/search/query"

	"tacheron/corpus"
)

// The stock baseline is what a user of bleve would write for tacheron's
// corpus: bleve's built-in "fr" analyzer, a field per attribute with the
// default field settings (stored, term vectors, doc values), batches of
// 1000, then query-string queries with terms facets on source and concept
// and a date-range facet per year. Documents are read with the corpus
// package, so both indexes see the same documents and concepts.

// stockBatch is the number of documents per bleve batch.
const stockBatch = 1000

// stockResult is what the stock baseline measured.
type stockResult struct {
	Docs         int           `json:"docs"`
	IndexSeconds float64       `json:"index_seconds"`
	DocsPerSec   float64       `json:"docs_per_sec"`
	IndexBytes   int64         `json:"index_bytes"`
	PeakRSSBytes int64         `json:"peak_rss_bytes"` // after the build: the build's peak
	Classes      []classResult `json:"classes"`
}

// stockMapping is the mapping a bleve user would write.
func stockMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = fr.AnalyzerName
	doc := bleve.NewDocumentMapping()
	for _, name := range []string{"title", "body"} {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = fr.AnalyzerName
		doc.AddFieldMappingsAt(name, f)
	}
	for _, name := range []string{"source", "kind", "lang", "concepts"} {
		doc.AddFieldMappingsAt(name, bleve.NewKeywordFieldMapping())
	}
	doc.AddFieldMappingsAt("date", bleve.NewDateTimeFieldMapping())
	m.DefaultMapping = doc
	return m
}

// stockDocument is a corpus document as a bleve user would index it.
func stockDocument(d *corpus.Document) (map[string]any, error) {
	date, err := time.Parse(corpus.DateLayout, d.Date)
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", d.ID, err)
	}
	paras := make([]string, len(d.Paragraphs))
	for i, p := range d.Paragraphs {
		paras[i] = p.Text
	}
	concepts := make([]string, len(d.Concepts))
	for i, c := range d.Concepts {
		concepts[i] = c.ID
	}
	return map[string]any{
		"title":    d.Title,
		"body":     strings.Join(paras, "\n\n"),
		"source":   d.Source,
		"kind":     string(d.Kind),
		"lang":     string(d.Lang),
		"concepts": concepts,
		"date":     date,
	}, nil
}

// buildStock indexes the corpus of dir into a new bleve index at path.
func buildStock(ctx context.Context, dir, path string) (*stockResult, error) {
	c, err := corpus.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(path); err != nil {
		return nil, err
	}
	start := time.Now()
	idx, err := bleve.New(path, stockMapping())
	if err != nil {
		return nil, err
	}
	res := &stockResult{}
	if res.Docs, err = stockWalk(ctx, idx, c, false); err != nil {
		return nil, err
	}
	res.IndexSeconds = time.Since(start).Seconds()
	res.DocsPerSec = float64(res.Docs) / res.IndexSeconds
	res.IndexBytes, err = dirSize(path)
	if err != nil {
		return nil, err
	}
	res.PeakRSSBytes = procStatus(os.Getpid(), "VmHWM")
	return res, nil
}

// stockWalk sends every document of c to idx in batches of stockBatch,
// indexed or, when del, deleted; then it closes idx. It returns the
// documents it saw.
func stockWalk(ctx context.Context, idx bleve.Index, c *corpus.Corpus, del bool) (int, error) {
	b := idx.NewBatch()
	n := 0
	err := c.Walk(ctx, func(d *corpus.Document) error {
		n++
		if del {
			b.Delete(d.ID)
		} else {
			doc, err := stockDocument(d)
			if err != nil {
				return err
			}
			if err := b.Index(d.ID, doc); err != nil {
				return err
			}
		}
		if b.Size() >= stockBatch {
			if err := idx.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
		return nil
	})
	if err == nil && b.Size() > 0 {
		err = idx.Batch(b)
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("stock bleve: %w", err)
	}
	return n, nil
}

// stockRequest is the search a bleve user would send for q: a query string,
// filters as term and date-range queries, the page's stored fields,
// highlights, terms facets and a date-range facet per year.
func stockRequest(q query) *bleve.SearchRequest {
	var text blevequery.Query = bleve.NewMatchAllQuery()
	if q.Stock != "" {
		text = bleve.NewQueryStringQuery(q.Stock)
	}
	conj := []blevequery.Query{text}
	for _, s := range q.Sources {
		t := bleve.NewTermQuery(s)
		t.SetField("source")
		conj = append(conj, t)
	}
	for _, c := range q.Concepts {
		t := bleve.NewTermQuery(c)
		t.SetField("concepts")
		conj = append(conj, t)
	}
	if q.From != "" || q.To != "" {
		yes := true
		r := bleve.NewDateRangeInclusiveStringQuery(q.From, q.To, &yes, &yes)
		r.SetField("date")
		conj = append(conj, r)
	}
	if len(conj) > 1 {
		text = bleve.NewConjunctionQuery(conj...)
	}
	page := max(q.Page, 1)
	req := bleve.NewSearchRequestOptions(text, 10, (page-1)*10, false)
	if q.Stock == "" {
		req.SortBy([]string{"-date"})
	}
	req.Fields = []string{"title", "source", "kind", "date", "lang", "concepts"}
	req.Highlight = bleve.NewHighlightWithStyle(html.Name)
	req.Highlight.AddField("title")
	req.Highlight.AddField("body")
	req.AddFacet("source", bleve.NewFacetRequest("source", 10))
	req.AddFacet("concept", bleve.NewFacetRequest("concepts", 20))
	req.AddFacet("kind", bleve.NewFacetRequest("kind", 10))
	req.AddFacet("lang", bleve.NewFacetRequest("lang", 2))
	years := bleve.NewFacetRequest("date", lastYear-firstYear+1)
	for y := firstYear; y <= lastYear; y++ {
		years.AddDateTimeRange(fmt.Sprint(y), time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	req.AddFacet("date", years)
	return req
}

// stockExample describes a query as a bleve user writes it.
func (q query) stockExample() string {
	s := q.Stock
	if s == "" {
		s = "(match all)"
	}
	for _, v := range q.Sources {
		s += " +source:" + strconv.Quote(v)
	}
	for _, v := range q.Concepts {
		s += " +concepts:" + v
	}
	if q.From != "" || q.To != "" {
		s += " +date:[" + q.From + ", " + q.To + "]"
	}
	return s
}

// queryStock runs the query mix in process against the stock index.
func queryStock(ctx context.Context, path string, seed uint64, docs int, levels []int, dur time.Duration, log io.Writer) ([]classResult, error) {
	g, err := newGenerator(seed)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.Open(path)
	if err != nil {
		return nil, fmt.Errorf("stock bleve: %w", err)
	}
	defer idx.Close()
	classes := queryMix(g, docs)
	var out []classResult
	for _, clients := range levels {
		for _, c := range classes {
			reqs := make([]*bleve.SearchRequest, len(c.Queries))
			for i, q := range c.Queries {
				reqs[i] = stockRequest(q)
			}
			do := func(ctx context.Context, i int) (int, int, error) {
				res, err := idx.SearchInContext(ctx, reqs[i%len(reqs)])
				if err != nil {
					return 0, 0, err
				}
				return int(res.Total), 0, nil
			}
			warm := time.Now().Add(dur)
			for i := range reqs {
				if do(ctx, i); ctx.Err() != nil || time.Now().After(warm) {
					break
				}
			}
			if err := ctx.Err(); err != nil {
				return out, err
			}
			res := measure(ctx, c.Name, c.Queries[0].stockExample(), clients, dur, do)
			out = append(out, res)
			if log != nil {
				fmt.Fprintln(log, resultLine(res))
			}
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
	}
	return out, nil
}

func runStock(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron-bench stock", flag.ContinueOnError)
	corpusDir := fs.String("corpus", "", "generated corpus `DIR` (its seed and size choose the queries)")
	path := fs.String("index", "", "stock bleve index `PATH` (default: stock-index beside the corpus)")
	clients := fs.String("clients", "1,4", "comma list of concurrent `goroutines`")
	dur := fs.Duration("duration", 5*time.Second, "measuring time per query class and level of concurrency")
	reuse := fs.Bool("reuse", false, "query an existing index at --index instead of building it")
	jsonOut := fs.String("json", "", "also write the results as JSON to `FILE`")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron-bench stock --corpus DIR [flags]\n\n"+
			"Indexes the corpus with stock bleve (the built-in fr analyzer, default settings), then runs\n"+
			"the query mix in process with terms and date-range facets.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	levels, err := parseClients(*clients)
	if err != nil || *corpusDir == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	st, err := readGenStats(*corpusDir)
	if err != nil {
		return fmt.Errorf("stock needs a corpus made by gen: %w", err)
	}
	if *path == "" {
		*path = filepath.Join(filepath.Dir(filepath.Clean(*corpusDir)), "stock-index")
	}
	res := &stockResult{Docs: st.Docs}
	if !*reuse {
		fmt.Fprintf(stderr, "stock bleve: indexing %s into %s\n", *corpusDir, *path)
		res, err = buildStock(ctx, *corpusDir, *path)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "stock bleve: %d documents in %.1fs (%.0f docs/s), %.1f MB, peak RSS %.0f MB\n",
			res.Docs, res.IndexSeconds, res.DocsPerSec, float64(res.IndexBytes)/1e6, float64(res.PeakRSSBytes)/1e6)
	}
	res.Classes, err = queryStock(ctx, *path, st.Seed, st.Docs, levels, *dur, stderr)
	if err != nil {
		return err
	}
	if *jsonOut != "" {
		data, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	for _, r := range res.Classes {
		fmt.Fprintln(stdout, resultLine(r))
	}
	return nil
}
