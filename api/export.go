package api

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"tacheron/api/export"
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
	return fmt.Sprintf("tacheron-%s-%s.%s", what, slug, export.Extension(format))
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
	h.Set("Content-Type", export.ContentType(format))
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
	w, err := export.NewWriter(format, bw)
	if err != nil {
		s.fail(c, err)
		return
	}
	started := false
	rows := 0
	err = s.Searcher.Export(ctx, req, limit, func(gen uint64, total, related int) error {
		c.Header("X-Total-Count", strconv.Itoa(total))
		c.Header("X-Related-Count", strconv.Itoa(related))
		startStream(c, format, fileName("search", req.Query, format), gen)
		started = true
		return w.Header()
	}, func(r index.Record) error {
		if err := w.Record(r); err != nil {
			return err
		}
		if rows++; rows%flushRows == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
			c.Writer.Flush()
		}
		return nil
	})
	s.endStream(c, started, err, w.Flush, bw)
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
	started, rows := false, 0
	var werr error
	err := s.Searcher.ConcordanceEach(ctx, req, func(gen uint64) error {
		startStream(c, format, fileName("kwic", req.Search.Query, format), gen)
		started = true
		if format == "csv" {
			cw = csv.NewWriter(bw)
			return cw.Write(export.LineHeader)
		}
		return nil
	}, func(l index.Line) bool {
		if format == "csv" {
			werr = cw.Write(export.SafeCells([]string{l.ID, l.Title, l.Source, l.Date, l.Field, strconv.Itoa(l.Paragraph),
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
				w.Write(export.SafeCells([]string{strconv.Itoa(i + 1), sr.Label, sr.Q, pt.Period, strconv.Itoa(pt.Count), strconv.FormatFloat(pt.Share, 'f', -1, 64)}))
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
	s.WriteBody(c, http.StatusOK, export.ContentType(format), []byte(b.String()))
}

// searchAs answers a search in another format than JSON: an Atom feed, or
// the whole result streamed.
func (s *Server) searchAs(c *gin.Context, format string, req index.Request, v url.Values) {
	if format == "atom" {
		s.atom(c, req, v)
		return
	}
	s.exportSearch(c, format, req, v)
}
