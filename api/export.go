package api

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"tacheron/api/gate"
	"tacheron/corpus/analysis"
	"tacheron/index"
)

// Limits of exports, the whole result streamed (see Options).
const (
	// DefaultExportTimeout is the deadline of an export.
	DefaultExportTimeout = 5 * time.Minute
	// DefaultMaxExportRows caps the rows of an export.
	DefaultMaxExportRows = 100_000
	// DefaultMaxExports is the number of exports run at once.
	DefaultMaxExports = 1
	// flushRows is how many rows an export writes between flushes.
	flushRows = 256
)

// searchFormats are the formats of GET /api/v1/search.
var searchFormats = []string{"json", "csv", "jsonl", "ris", "bibtex", "atom"}

// A rowWriter writes an export's records in one format.
type rowWriter interface {
	header() error
	record(r index.Record) error
	flush() error
}

// contentTypes of the export formats.
func contentType(format string) string {
	switch format {
	case "csv":
		return "text/csv; charset=utf-8"
	case "jsonl":
		return "application/jsonl; charset=utf-8"
	case "ris":
		return "application/x-research-info-systems; charset=utf-8"
	case "bibtex":
		return "application/x-bibtex; charset=utf-8"
	}
	return "application/octet-stream"
}

// fileExtension of the export formats.
func fileExtension(format string) string {
	if format == "bibtex" {
		return "bib"
	}
	return format
}

// fileName returns a file name for an export: what, a slug of the query
// (or "all"), the format's extension. It is ASCII, without quotes.
func fileName(what, q, format string) string {
	var b strings.Builder
	for _, r := range analysis.Fold(strings.ToLower(q)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= 40 {
			break
		}
	}
	slug := strings.Trim(b.String(), "-")
	if slug == "" {
		slug = "all"
	}
	return fmt.Sprintf("tacheron-%s-%s.%s", what, slug, fileExtension(format))
}

// beginExport takes an export's place and gives it its own deadline (the
// request's, 2 s by default, does not apply; a client that goes away still
// ends it). It answers 503 and returns false when every place is taken.
func (s *Server) beginExport(c *gin.Context) (context.Context, func(), bool) {
	select {
	case s.exports <- struct{}{}:
	default:
		p := gate.Overloaded()
		p.Detail = "an export is running; try again later"
		c.Header("Retry-After", "5")
		s.WriteProblem(c, p)
		return nil, nil, false
	}
	reqCtx := c.Request.Context()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(reqCtx), s.opts.ExportTimeout)
	stop := context.AfterFunc(reqCtx, func() {
		if errors.Is(reqCtx.Err(), context.Canceled) {
			cancel() // the client went away
		}
	})
	// The server's write timeout is meant for searches.
	if err := http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(s.opts.ExportTimeout)); err != nil {
		s.Log.DebugContext(ctx, "export without a write deadline", "err", err)
	}
	return ctx, func() { stop(); cancel(); <-s.exports }, true
}

// rowLimit reads the limit parameter of an export: at most the server's
// row cap, which is the default.
func (s *Server) rowLimit(v url.Values) (int, *gate.Problem) {
	return intParam(v, "limit", s.opts.MaxExportRows, 1, s.opts.MaxExportRows)
}

// startStream writes an export's headers.
func startStream(c *gin.Context, format, name string, gen uint64) {
	h := c.Writer.Header()
	gate.SetGeneration(c, gen)
	h.Set("Content-Type", contentType(format))
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	c.Writer.WriteHeader(http.StatusOK)
}

// exportSearch streams the results of a search as csv, jsonl, ris or
// bibtex.
func (s *Server) exportSearch(c *gin.Context, format string, req index.Request, v url.Values) {
	limit, p := s.rowLimit(v)
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	if err := index.CheckQuery(req.Query); err != nil {
		s.fail(c, err)
		return
	}
	ctx, done, ok := s.beginExport(c)
	if !ok {
		return
	}
	defer done()
	bw := bufio.NewWriterSize(c.Writer, 32<<10)
	var w rowWriter
	switch format {
	case "csv":
		w = &csvRecords{w: csv.NewWriter(bw)}
	case "jsonl":
		w = &jsonlRecords{w: bw}
	case "ris":
		w = &risRecords{w: bw}
	default:
		w = &bibtexRecords{w: bw}
	}
	started := false
	rows := 0
	err := s.Searcher.Export(ctx, req, limit, func(gen uint64, total, related int) error {
		c.Header("X-Total-Count", strconv.Itoa(total))
		c.Header("X-Related-Count", strconv.Itoa(related))
		startStream(c, format, fileName("search", req.Query, format), gen)
		started = true
		return w.header()
	}, func(r index.Record) error {
		if err := w.record(r); err != nil {
			return err
		}
		if rows++; rows%flushRows == 0 {
			if err := w.flush(); err != nil {
				return err
			}
			c.Writer.Flush()
		}
		return nil
	})
	s.endStream(c, started, err, w.flush, bw)
}

// endStream finishes a stream, or answers its error when nothing was
// written yet; an error in the middle can only cut the stream short.
func (s *Server) endStream(c *gin.Context, started bool, err error, flush func() error, bw *bufio.Writer) {
	if !started {
		if err != nil {
			s.fail(c, err)
		}
		return
	}
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		s.Log.WarnContext(c.Request.Context(), "export cut short", "route", gate.RouteOf(c), "err", err)
		return
	}
	c.Writer.Flush()
}

// exportKWIC streams every line of a concordance as csv or jsonl.
func (s *Server) exportKWIC(c *gin.Context, format string, req index.ConcordanceRequest) {
	limit, p := s.rowLimit(gate.Params(c))
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	if err := index.CheckQuery(req.Search.Query); err != nil {
		s.fail(c, err)
		return
	}
	ctx, done, ok := s.beginExport(c)
	if !ok {
		return
	}
	defer done()
	bw := bufio.NewWriterSize(c.Writer, 32<<10)
	var cw *csv.Writer
	header := []string{"id", "title", "source", "date", "field", "paragraph", "start", "end", "left", "keyword", "right"}
	started, rows := false, 0
	var werr error
	err := s.Searcher.ConcordanceEach(ctx, req, func(gen uint64) error {
		startStream(c, format, fileName("kwic", req.Search.Query, format), gen)
		started = true
		if format == "csv" {
			cw = csv.NewWriter(bw)
			return cw.Write(header)
		}
		return nil
	}, func(l index.Line) bool {
		if format == "csv" {
			werr = cw.Write(safeCells([]string{l.ID, l.Title, l.Source, l.Date, l.Field, strconv.Itoa(l.Paragraph),
				strconv.Itoa(l.Start), strconv.Itoa(l.End), l.Left, l.Keyword, l.Right}))
		} else {
			werr = gate.EncodeJSON(bw, kwicLine(l))
		}
		if rows++; werr == nil && rows%flushRows == 0 {
			if cw != nil {
				cw.Flush()
				werr = cw.Error()
			}
			if werr == nil {
				werr = bw.Flush()
			}
			c.Writer.Flush()
		}
		return werr == nil && rows < limit
	})
	if err == nil {
		err = werr
	}
	flush := func() error {
		if cw != nil {
			cw.Flush()
			return cw.Error()
		}
		return nil
	}
	s.endStream(c, started, err, flush, bw)
}

// writeTrendsTable answers trends as csv or jsonl: one row per point.
func (s *Server) writeTrendsTable(c *gin.Context, format string, tr TrendsResponse) {
	var b strings.Builder
	if format == "csv" {
		w := csv.NewWriter(&b)
		w.Write([]string{"series", "label", "q", "period", "count", "share"})
		for i, sr := range tr.Series {
			for _, pt := range sr.Points {
				w.Write(safeCells([]string{strconv.Itoa(i + 1), sr.Label, sr.Q, pt.Period, strconv.Itoa(pt.Count), strconv.FormatFloat(pt.Share, 'f', -1, 64)}))
			}
		}
		w.Flush()
	} else {
		type row struct {
			Series int     `json:"series"`
			Label  string  `json:"label"`
			Q      string  `json:"q"`
			Period string  `json:"period"`
			Count  int     `json:"count"`
			Share  float64 `json:"share"`
		}
		for i, sr := range tr.Series {
			for _, pt := range sr.Points {
				gate.EncodeJSON(&b, row{i + 1, sr.Label, sr.Q, pt.Period, pt.Count, pt.Share})
			}
		}
	}
	q := ""
	if len(tr.Series) > 0 {
		q = tr.Series[0].Label
	}
	c.Header("Content-Disposition", `attachment; filename="`+fileName("trends", q, format)+`"`)
	s.WriteBody(c, http.StatusOK, contentType(format), []byte(b.String()))
}

// safeCells keeps a spreadsheet from reading a cell as a formula: a cell
// that starts with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe (OWASP's advice for CSV injection).
func safeCells(cells []string) []string {
	for i, s := range cells {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			cells[i] = "'" + s
		}
	}
	return cells
}

// csvRecords writes records as CSV with a header row.
type csvRecords struct{ w *csv.Writer }

func (w *csvRecords) header() error {
	return w.w.Write([]string{"id", "title", "authors", "source", "kind", "date", "lang", "concepts", "url", "match", "abstract"})
}

func (w *csvRecords) record(r index.Record) error {
	return w.w.Write(safeCells([]string{r.ID, r.Title, strings.Join(r.Authors, "; "), r.Source, r.Kind, r.Date, r.Lang,
		strings.Join(r.Concepts, "; "), r.URL, r.Match, r.Abstract}))
}

func (w *csvRecords) flush() error { w.w.Flush(); return w.w.Error() }

// ExportRecord is a line of a JSON Lines export of a search.
type ExportRecord struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Authors  []string `json:"authors"`
	Source   string   `json:"source"`
	Kind     string   `json:"kind"`
	Date     string   `json:"date"`
	Lang     string   `json:"lang"`
	Concepts []string `json:"concepts"`
	URL      string   `json:"url,omitempty"`
	Match    string   `json:"match"`
	Abstract string   `json:"abstract"`
}

// jsonlRecords writes records as JSON Lines.
type jsonlRecords struct{ w io.Writer }

func (w *jsonlRecords) header() error { return nil }

func (w *jsonlRecords) record(r index.Record) error {
	return gate.EncodeJSON(w.w, ExportRecord{ID: r.ID, Title: r.Title, Authors: nonNil(r.Authors), Source: r.Source, Kind: r.Kind,
		Date: r.Date, Lang: r.Lang, Concepts: nonNil(r.Concepts), URL: r.URL, Match: r.Match, Abstract: r.Abstract})
}

func (w *jsonlRecords) flush() error { return nil }

// risRecords writes records as RIS, for reference managers.
type risRecords struct{ w io.Writer }

func (w *risRecords) header() error { return nil }

// risType maps a kind of document to a RIS reference type.
func risType(kind string) string {
	switch kind {
	case "press", "press-review", "mention":
		return "NEWS"
	case "post":
		return "BLOG"
	case "video":
		return "VIDEO"
	}
	return "ELEC"
}

func (w *risRecords) record(r index.Record) error {
	var b strings.Builder
	tag := func(t, v string) {
		if v = oneLine(v); v != "" {
			fmt.Fprintf(&b, "%s  - %s\r\n", t, v)
		}
	}
	tag("TY", risType(r.Kind))
	tag("ID", r.ID)
	tag("TI", r.Title)
	for _, a := range r.Authors {
		tag("AU", a)
	}
	tag("T2", r.Source)
	if len(r.Date) >= 4 {
		tag("PY", r.Date[:4])
	}
	tag("DA", strings.ReplaceAll(r.Date, "-", "/"))
	tag("UR", r.URL)
	tag("LA", r.Lang)
	for _, c := range r.Concepts {
		tag("KW", c)
	}
	tag("AB", r.Abstract)
	b.WriteString("ER  - \r\n\r\n")
	_, err := io.WriteString(w.w, b.String())
	return err
}

func (w *risRecords) flush() error { return nil }

// oneLine puts a value on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// bibtexRecords writes records as BibTeX entries.
type bibtexRecords struct{ w io.Writer }

func (w *bibtexRecords) header() error { return nil }

func (w *bibtexRecords) record(r index.Record) error {
	var b strings.Builder
	entry, venue := "misc", "howpublished"
	switch r.Kind {
	case "press", "press-review", "mention":
		entry, venue = "article", "journal"
	}
	fmt.Fprintf(&b, "@%s{%s,\n", entry, bibKey(r.ID))
	field := func(name, v string) {
		if v = oneLine(v); v != "" {
			fmt.Fprintf(&b, "  %s = {%s},\n", name, bibEscape(v))
		}
	}
	field("title", r.Title)
	field("author", strings.Join(r.Authors, " and "))
	field(venue, r.Source)
	if len(r.Date) >= 7 {
		field("year", r.Date[:4])
		field("month", r.Date[5:7])
	}
	field("date", r.Date)
	if r.URL != "" {
		fmt.Fprintf(&b, "  url = {%s},\n", strings.NewReplacer("{", "%7B", "}", "%7D", " ", "%20").Replace(r.URL))
	}
	field("langid", map[string]string{"fr": "french", "en": "english"}[r.Lang])
	field("keywords", strings.Join(r.Concepts, ", "))
	field("abstract", r.Abstract)
	b.WriteString("}\n\n")
	_, err := io.WriteString(w.w, b.String())
	return err
}

func (w *bibtexRecords) flush() error { return nil }

// bibKey makes a citation key of a document id: letters, digits, - and _.
func bibKey(id string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			return r
		}
		return '_'
	}, id)
}

// bibEscape escapes the characters TeX reads as commands.
var bibEscape = strings.NewReplacer(
	`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "%", `\%`, "&", `\&`, "$", `\$`, "#", `\#`, "_", `\_`,
	"^", `\^{}`, "~", `\~{}`,
).Replace

// searchAs answers a search in another format than JSON: an Atom feed, or
// the whole result streamed.
func (s *Server) searchAs(c *gin.Context, format string, req index.Request, v url.Values) {
	if format == "atom" {
		s.atom(c, req, v)
		return
	}
	s.exportSearch(c, format, req, v)
}
