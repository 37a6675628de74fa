package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"tacheron/index"
)

// setGeneration records the generation of the index that answered.
func setGeneration(c *gin.Context, gen uint64) {
	if gen > 0 {
		c.Header("X-Index-Generation", strconv.FormatUint(gen, 10))
	}
}

// search answers GET /api/v1/search.
func (s *Server) search(c *gin.Context) {
	v := params(c)
	req, p := searchRequest(v)
	if p == nil {
		var format string
		if format, p = formatParam(v, searchFormats...); p == nil && format != "json" {
			s.searchAs(c, format, req, v)
			return
		}
	}
	if p != nil {
		s.writeProblem(c, p)
		return
	}
	res, err := s.searcher.Search(c.Request.Context(), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(ctxHits, res.Total)
	setGeneration(c, res.Generation)
	s.writeJSON(c, http.StatusOK, "application/json", NewSearchResponse(req, res))
}

// document answers GET /api/v1/documents/{id}.
func (s *Server) document(c *gin.Context) {
	id := c.Param("id")
	if p := checkText("id", id); p != nil {
		s.writeProblem(c, p)
		return
	}
	q, _ := first(params(c), "q")
	if len(q) > index.MaxQueryBytes {
		s.writeProblem(c, invalidParam("q", "the query is %d bytes long; the limit is %d", len(q), index.MaxQueryBytes))
		return
	}
	d, err := s.searcher.Document(c.Request.Context(), id, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	setGeneration(c, d.Generation)
	s.writeJSON(c, http.StatusOK, "application/json", newDocument(d))
}

// concepts answers GET /api/v1/concepts.
func (s *Server) concepts(c *gin.Context) {
	lang, p := labelLang(params(c))
	if p != nil {
		s.writeProblem(c, p)
		return
	}
	cs, gen, err := s.searcher.Concepts(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]Concept, len(cs))
	for i, cc := range cs {
		l := labels(cc.Labels)
		out[i] = Concept{ID: cc.ID, Labels: l, Label: l.FR, Count: cc.Count}
		if lang == "en" {
			out[i].Label = l.EN
		}
	}
	setGeneration(c, gen)
	s.writeJSON(c, http.StatusOK, "application/json", out)
}

// sources answers GET /api/v1/sources.
func (s *Server) sources(c *gin.Context) {
	ss, gen, err := s.searcher.Sources(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]Source, len(ss))
	for i, fc := range ss {
		out[i] = Source{Value: fc.Value, Name: fc.Label, Count: fc.Count}
		if out[i].Name == "" {
			out[i].Name = fc.Value
		}
	}
	setGeneration(c, gen)
	s.writeJSON(c, http.StatusOK, "application/json", out)
}

// suggest answers GET /api/v1/suggest.
func (s *Server) suggest(c *gin.Context) {
	v := params(c)
	q, _ := first(v, "q")
	if len(q) > index.MaxQueryBytes {
		s.writeProblem(c, invalidParam("q", "the query is %d bytes long; the limit is %d", len(q), index.MaxQueryBytes))
		return
	}
	limit, p := intParam(v, "limit", index.DefaultSuggestions, 1, index.MaxSuggestions)
	if p != nil {
		s.writeProblem(c, p)
		return
	}
	lang, p := labelLang(v)
	if p != nil {
		s.writeProblem(c, p)
		return
	}
	sg, gen, err := s.searcher.Suggest(c.Request.Context(), q, limit, lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]Suggestion, len(sg))
	for i, x := range sg {
		out[i] = Suggestion{Text: x.Text, Kind: x.Kind, ID: x.ID, Count: x.Count}
	}
	setGeneration(c, gen)
	s.writeJSON(c, http.StatusOK, "application/json", out)
}

// Health is the body of /healthz and /readyz.
type Health struct {
	Status     string `json:"status"`
	Generation uint64 `json:"generation,omitempty"`
	Documents  int    `json:"documents,omitempty"`
}

// healthz answers GET /healthz: the process is alive.
func (s *Server) healthz(c *gin.Context) {
	s.writeJSON(c, http.StatusOK, "application/json", Health{Status: "ok"})
}

// readyz answers GET /readyz: an index is loaded.
func (s *Server) readyz(c *gin.Context) {
	st := s.searcher.Status()
	if !st.Ready {
		s.writeProblem(c, unavailable("no index is loaded yet"))
		return
	}
	setGeneration(c, st.Generation)
	s.writeJSON(c, http.StatusOK, "application/json", Health{Status: "ready", Generation: st.Generation, Documents: st.Documents})
}

// openAPI answers GET /openapi.json with the embedded document.
func (s *Server) openAPI(c *gin.Context) {
	s.writeBody(c, http.StatusOK, "application/json", openAPIDocument)
}

// serveMetrics answers GET /metrics.
func (s *Server) serveMetrics(c *gin.Context) {
	s.metrics.handler.ServeHTTP(c.Writer, c.Request)
}

// noRoute answers a path that no route serves.
func (s *Server) noRoute(c *gin.Context) {
	s.writeProblem(c, notFound("no resource here; see /openapi.json"))
}

// noMethod answers a method that the path does not serve; gin has set
// the Allow header.
func (s *Server) noMethod(c *gin.Context) {
	s.writeProblem(c, &Problem{Type: problemMethod, Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
		Detail: c.Request.Method + " is not allowed here; see the Allow header"})
}
