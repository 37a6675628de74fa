package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"tacheron/api/gate"
	"tacheron/index"
)

// TrendsResponse is the body of GET /api/v1/trends.
type TrendsResponse struct {
	DateInterval string        `json:"date_interval"`
	Series       []TrendSeries `json:"series"`
	Generation   uint64        `json:"generation"`
}

// A TrendSeries is one series of a trends response.
type TrendSeries struct {
	Label   string        `json:"label"`
	Q       string        `json:"q"`
	Filters SeriesFilters `json:"filters"`
	Total   int           `json:"total"`
	Points  []TrendPoint  `json:"points"`
}

// SeriesFilters are the filters of a series.
type SeriesFilters struct {
	Source  []string `json:"source"`
	Concept []string `json:"concept"`
	Kind    []string `json:"kind"`
	Lang    []string `json:"lang"`
	From    string   `json:"from,omitempty"`
	To      string   `json:"to,omitempty"`
}

// A TrendPoint is a series' count in one period, and its share of all the
// documents of the period.
type TrendPoint struct {
	Period string  `json:"period"`
	Count  int     `json:"count"`
	Share  float64 `json:"share"`
}

// CooccurrenceResponse is the body of GET /api/v1/cooccurrence.
type CooccurrenceResponse struct {
	Total      int          `json:"total"`
	Concepts   []Associated `json:"concepts"`
	Terms      []Associated `json:"terms"`
	Sampled    int          `json:"sampled"`
	Generation uint64       `json:"generation"`
}

// An Associated is a concept or a term found with a search.
type Associated struct {
	Value string  `json:"value"`
	Label string  `json:"label"`
	Count int     `json:"count"`
	Score float64 `json:"score"`
}

// KWICResponse is the body of GET /api/v1/kwic.
type KWICResponse struct {
	Total      int        `json:"total"`
	Documents  int        `json:"documents"`
	Complete   bool       `json:"complete"`
	Page       int        `json:"page"`
	PerPage    int        `json:"per_page"`
	Lines      []KWICLine `json:"lines"`
	Generation uint64     `json:"generation"`
}

// A KWICLine is an occurrence and its context; keyword is the text as
// written at bytes [start, end) of the title or of paragraph `paragraph`
// of the body.
type KWICLine struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	Date      string `json:"date"`
	Field     string `json:"field"`
	Paragraph int    `json:"paragraph"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Left      string `json:"left"`
	Keyword   string `json:"keyword"`
	Right     string `json:"right"`
}

func kwicLine(l index.Line) KWICLine {
	return KWICLine{ID: l.ID, Title: l.Title, Source: l.Source, Date: l.Date, Field: l.Field, Paragraph: l.Paragraph,
		Start: l.Start, End: l.End, Left: l.Left, Keyword: l.Keyword, Right: l.Right}
}

// seriesOf reads the series of a trends request: each series= parameter
// is a query string of search parameters; without any, the request's own.
func seriesOf(v url.Values) ([]index.Request, []string, *gate.Problem) {
	raws := v["series"]
	if len(raws) == 0 {
		req, p := searchRequest(v)
		if p != nil {
			return nil, nil, p
		}
		label, _ := first(v, "label")
		return []index.Request{req}, []string{label}, nil
	}
	if len(raws) > index.MaxSeries {
		return nil, nil, gate.InvalidParam("series", "at most %d series, not %d", index.MaxSeries, len(raws))
	}
	var reqs []index.Request
	var labels []string
	for _, raw := range raws {
		sv, p := gate.ParseQuery(raw)
		if p != nil {
			return nil, nil, gate.InvalidParam("series", "series %q: %s", gate.Shown(raw), p.Detail)
		}
		if p := once(sv); p != nil {
			return nil, nil, gate.InvalidParam("series", "series %q: %s", gate.Shown(raw), p.Detail)
		}
		req, p := searchRequest(sv)
		if p != nil {
			return nil, nil, gate.InvalidParam("series", "series %q: %s", gate.Shown(raw), p.Detail)
		}
		label, _ := first(sv, "label")
		reqs = append(reqs, req)
		labels = append(labels, label)
	}
	return reqs, labels, nil
}

// seriesLabel names a series: its label, its query, or its filters.
func seriesLabel(label string, req index.Request) string {
	if label != "" {
		return label
	}
	if q := strings.TrimSpace(req.Query); q != "" {
		return q
	}
	f := req.Filters
	var parts []string
	for _, vs := range [][]string{f.Concepts, f.Sources, f.Kinds, f.Langs} {
		parts = append(parts, vs...)
	}
	if len(parts) == 0 {
		return "*"
	}
	return strings.Join(parts, ", ")
}

// trendsRequest reads the parameters of GET /api/v1/trends.
func trendsRequest(v url.Values) (index.TrendsRequest, []string, *gate.Problem) {
	var req index.TrendsRequest
	series, labels, p := seriesOf(v)
	if p != nil {
		return req, nil, p
	}
	req.Series = series
	if len(v["series"]) > 0 {
		// collapse=false applies to every series.
		if s, ok := first(v, "collapse"); ok && s != "" {
			switch s {
			case "true":
			case "false":
				for i := range req.Series {
					req.Series[i].NoCollapse = true
				}
			default:
				return req, nil, gate.InvalidParam("collapse", "collapse must be true or false, not %q", gate.Shown(s))
			}
		}
		// The outer from and to bound the periods; a series' own bound its
		// documents.
		if req.From, p = dateParam(v, "from"); p != nil {
			return req, nil, p
		}
		if req.To, p = dateParam(v, "to"); p != nil {
			return req, nil, p
		}
	} else {
		req.From, req.To = series[0].Filters.From, series[0].Filters.To
	}
	if req.From != "" && req.To != "" && req.From > req.To {
		return req, nil, gate.InvalidParam("from", "from (%s) is after to (%s)", req.From, req.To)
	}
	req.Interval = index.IntervalAuto
	if s, ok := first(v, "date_interval"); ok && s != "" {
		if s != index.IntervalMonth && s != index.IntervalYear && s != index.IntervalAuto {
			return req, nil, gate.InvalidParam("date_interval", "date_interval must be month, year or auto, not %q", gate.Shown(s))
		}
		req.Interval = s
	}
	return req, labels, nil
}

// trends answers GET /api/v1/trends.
func (s *Server) trends(c *gin.Context) {
	v := gate.Params(c)
	format, p := formatParam(v, "json", "csv", "jsonl")
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	req, labels, p := trendsRequest(v)
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	tr, err := s.Searcher.Trends(c.Request.Context(), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	gate.SetGeneration(c, tr.Generation)
	out := TrendsResponse{DateInterval: tr.Interval, Generation: tr.Generation}
	for i, sr := range tr.Series {
		q := req.Series[i]
		f := q.Filters
		ts := TrendSeries{Label: seriesLabel(labels[i], q), Q: q.Query, Total: sr.Total, Points: make([]TrendPoint, len(sr.Points)),
			Filters: SeriesFilters{Source: nonNil(f.Sources), Concept: nonNil(f.Concepts), Kind: nonNil(f.Kinds), Lang: nonNil(f.Langs), From: f.From, To: f.To}}
		for j, pt := range sr.Points {
			ts.Points[j] = TrendPoint{Period: pt.Period, Count: pt.Count, Share: pt.Share}
		}
		out.Series = append(out.Series, ts)
	}
	if format != "json" {
		s.writeTrendsTable(c, format, out)
		return
	}
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// cooccurrence answers GET /api/v1/cooccurrence.
func (s *Server) cooccurrence(c *gin.Context) {
	v := gate.Params(c)
	search, p := searchRequest(v)
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	req := index.CooccurrenceRequest{Search: search, Lang: search.FacetLang}
	if req.Limit, p = intParam(v, "limit", index.DefaultCooccurrences, 1, index.MaxCooccurrences); p != nil {
		s.WriteProblem(c, p)
		return
	}
	if req.MinCount, p = intParam(v, "min_count", index.DefaultMinCount, 1, 1_000_000); p != nil {
		s.WriteProblem(c, p)
		return
	}
	co, err := s.Searcher.Cooccurrence(c.Request.Context(), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	gate.SetGeneration(c, co.Generation)
	out := CooccurrenceResponse{Total: co.Total, Sampled: co.Sampled, Generation: co.Generation,
		Concepts: make([]Associated, len(co.Concepts)), Terms: make([]Associated, len(co.Terms))}
	for i, a := range co.Concepts {
		out.Concepts[i] = Associated(a)
	}
	for i, a := range co.Terms {
		out.Terms[i] = Associated(a)
	}
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// kwicRequest reads the parameters of GET /api/v1/kwic.
func kwicRequest(v url.Values) (index.ConcordanceRequest, int, *gate.Problem) {
	var req index.ConcordanceRequest
	// The search parameters but sort, page and per_page, which are the
	// concordance's own.
	sv := url.Values{}
	for k, vs := range v {
		if k != "sort" && k != "page" && k != "per_page" {
			sv[k] = vs
		}
	}
	search, p := searchRequest(sv)
	if p != nil {
		return req, 0, p
	}
	req.Search = index.Request{Query: search.Query, Filters: search.Filters, NoCollapse: search.NoCollapse}
	if strings.TrimSpace(req.Search.Query) == "" {
		return req, 0, gate.InvalidParam("q", "a concordance needs words to look for (q)")
	}
	if req.Context, p = intParam(v, "context", index.DefaultContextWords, 1, index.MaxContextWords); p != nil {
		return req, 0, p
	}
	if s, ok := first(v, "sort"); ok && s != "" {
		switch s {
		case index.SortDateDesc, index.SortDateAsc, index.SortSource, index.SortLeft, index.SortRight:
			req.Sort = s
		default:
			return req, 0, gate.InvalidParam("sort", "sort must be -date, date, source, left or right, not %q", gate.Shown(s))
		}
	}
	page, p := intParam(v, "page", 1, 1, index.MaxConcordanceLines)
	if p != nil {
		return req, 0, p
	}
	perPage, p := intParam(v, "per_page", 50, 1, index.MaxConcordancePage)
	if p != nil {
		return req, 0, p
	}
	if page*perPage > index.MaxConcordanceLines {
		return req, 0, gate.InvalidParam("page", "lines beyond the first %d are not served (page %d of %d): narrow the search, or export with format=csv", index.MaxConcordanceLines, page, perPage)
	}
	req.Offset, req.Limit = (page-1)*perPage, perPage
	if req.Concepts, p = boolParam(v, "concepts", false); p != nil {
		return req, 0, p
	}
	return req, page, nil
}

// kwic answers GET /api/v1/kwic.
func (s *Server) kwic(c *gin.Context) {
	v := gate.Params(c)
	format, p := formatParam(v, "json", "csv", "jsonl")
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	req, page, p := kwicRequest(v)
	if p == nil {
		_, p = s.rowLimit(v) // a valid cap even where it does not apply
	}
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	if format != "json" {
		s.exportKWIC(c, format, req)
		return
	}
	kw, err := s.Searcher.Concordance(c.Request.Context(), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	gate.SetGeneration(c, kw.Generation)
	out := KWICResponse{Total: kw.Total, Documents: kw.Documents, Complete: kw.Complete, Page: page, PerPage: req.Limit,
		Lines: make([]KWICLine, len(kw.Lines)), Generation: kw.Generation}
	for i, l := range kw.Lines {
		out.Lines[i] = kwicLine(l)
	}
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// formatParam reads the format parameter: one of formats, the first by
// default.
func formatParam(v url.Values, formats ...string) (string, *gate.Problem) {
	s, ok := first(v, "format")
	if !ok || s == "" {
		return formats[0], nil
	}
	for _, f := range formats {
		if s == f {
			return s, nil
		}
	}
	return "", gate.InvalidParam("format", "format must be one of %s, not %q", strings.Join(formats, ", "), gate.Shown(s))
}
