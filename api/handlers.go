package api

import (
	"maps"
	"net/http"
	"strings"
	"tacheron/api/gate"

	"github.com/gin-gonic/gin"

	"tacheron/index"
)

// search answers GET /api/v1/search.
func (s *Server) search(c *gin.Context) {
	v := gate.Params(c)
	if h := c.GetHeader(GenerationHeader); h != "" && !v.Has("generation") {
		v = maps.Clone(v)
		v.Set("generation", h)
	}
	req, p := searchRequest(v)
	if p == nil {
		// limit caps a streamed export's rows; given with another
		// format it must still be a valid cap.
		_, p = s.rowLimit(v)
	}
	if p == nil {
		var format string
		if format, p = formatParam(v, searchFormats...); p == nil && format != "json" {
			s.searchAs(c, format, req, v)
			return
		}
	}
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	res, err := s.Searcher.Search(c.Request.Context(), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(gate.KeyHits, res.Total)
	gate.SetGeneration(c, res.Generation)
	out := s.responses.get().fill(req, res)
	defer s.responses.put(out)
	s.WriteAppended(c, http.StatusOK, "application/json", out.appendJSON, out)
}

// document answers GET /api/v1/documents/{id}.
func (s *Server) document(c *gin.Context) {
	id := strings.TrimPrefix(c.Param("id"), "/") // the route's catch-all keeps the slash
	if p := gate.CheckText("id", id); p != nil {
		s.WriteProblem(c, p)
		return
	}
	q, _ := first(gate.Params(c), "q")
	if len(q) > index.MaxQueryBytes {
		s.WriteProblem(c, gate.InvalidParam("q", "the query is %d bytes long; the limit is %d", len(q), index.MaxQueryBytes))
		return
	}
	d, err := s.Searcher.Document(c.Request.Context(), id, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	gate.SetGeneration(c, d.Generation)
	s.WriteJSON(c, http.StatusOK, "application/json", newDocument(d))
}

// concepts answers GET /api/v1/concepts.
func (s *Server) concepts(c *gin.Context) {
	lang, p := labelLang(gate.Params(c))
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	cs, gen, err := s.Searcher.Concepts(c.Request.Context())
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
	gate.SetGeneration(c, gen)
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// sources answers GET /api/v1/sources.
func (s *Server) sources(c *gin.Context) {
	ss, gen, err := s.Searcher.Sources(c.Request.Context())
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
	gate.SetGeneration(c, gen)
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// suggest answers GET /api/v1/suggest.
func (s *Server) suggest(c *gin.Context) {
	v := gate.Params(c)
	q, _ := first(v, "q")
	if len(q) > index.MaxQueryBytes {
		s.WriteProblem(c, gate.InvalidParam("q", "the query is %d bytes long; the limit is %d", len(q), index.MaxQueryBytes))
		return
	}
	limit, p := intParam(v, "limit", index.DefaultSuggestions, 1, index.MaxSuggestions)
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	lang, p := labelLang(v)
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	sg, gen, err := s.Searcher.Suggest(c.Request.Context(), q, limit, lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]Suggestion, len(sg))
	for i, x := range sg {
		out[i] = Suggestion{Text: x.Text, Kind: x.Kind, ID: x.ID, Count: x.Count}
	}
	gate.SetGeneration(c, gen)
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// Health is the body of /healthz and /readyz.
type Health struct {
	Status     string `json:"status"`
	Generation uint64 `json:"generation,omitempty"`
	Documents  int    `json:"documents,omitempty"`
}

// healthz answers GET /healthz: the process is alive.
func (s *Server) healthz(c *gin.Context) {
	s.WriteJSON(c, http.StatusOK, "application/json", Health{Status: "ok"})
}

// readyz answers GET /readyz: an index is loaded.
func (s *Server) readyz(c *gin.Context) {
	st := s.Searcher.Status()
	if !st.Ready {
		s.WriteProblem(c, gate.Unavailable("no index is loaded yet"))
		return
	}
	gate.SetGeneration(c, st.Generation)
	s.WriteJSON(c, http.StatusOK, "application/json", Health{Status: "ready", Generation: st.Generation, Documents: st.Documents})
}

// openAPI answers GET /openapi.json with the embedded document.
func (s *Server) openAPI(c *gin.Context) {
	s.WriteBody(c, http.StatusOK, "application/json", openAPIDocument)
}

// serveMetrics answers GET /metrics.
func (s *Server) serveMetrics(c *gin.Context) {
	s.Metrics.Handler.ServeHTTP(c.Writer, c.Request)
}

// noRoute answers a path that no route serves.
func (s *Server) noRoute(c *gin.Context) {
	s.WriteProblem(c, gate.NotFound("no resource here; see /openapi.json"))
}

// noMethod answers a method that the path does not serve; gin has set
// the Allow header.
func (s *Server) noMethod(c *gin.Context) {
	s.WriteProblem(c, &gate.Problem{Type: gate.ProblemMethod, Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
		Detail: c.Request.Method + " is not allowed here; see the Allow header"})
}
