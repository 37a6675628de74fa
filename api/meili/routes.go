package meili

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"tacheron/api/gate"
)

// Options configures a Server.
type Options struct {
	// Prefix is the path the API is served under, like DefaultPrefix.
	Prefix string
	// Index is the uid of the one index it serves (DefaultIndex when
	// empty).
	Index string
}

// New returns the Meilisearch-compatible API over front's Searcher,
// sharing its admission, limits and metrics.
func New(front *gate.Front, opts Options) (*Server, error) {
	if opts.Index == "" {
		opts.Index = DefaultIndex
	}
	if err := checkMeili(opts.Prefix, opts.Index); err != nil {
		return nil, err
	}
	s := &Server{Front: front, engine: gate.NewEngine(), prefix: opts.Prefix, uid: opts.Index}
	s.routes()
	return s, nil
}

// routes registers the routes of the Meilisearch-compatible API under
// its prefix, on an engine of its own: its errors are in
// Meilisearch's shape. Every write answers that the index is read-only.
func (s *Server) routes() {
	e := s.engine
	e.Use(s.Observe, s.meiliRecover, s.meiliHeaders, s.meiliLimits, s.meiliQuery, s.Deadline)
	e.NoRoute(s.meiliNoRoute)
	e.NoMethod(s.meiliNoMethod)

	g := e.Group(s.prefix)
	g.GET("/health", s.meiliHealth)
	g.GET("/version", s.meiliVersionInfo)
	g.GET("/stats", s.meiliStats)
	g.GET("/indexes", s.meiliListIndexes)
	g.POST("/multi-search", s.meiliMultiSearch)

	ix := g.Group("/indexes/:uid", s.meiliIndex)
	ix.GET("", s.meiliGetIndex)
	ix.GET("/search", s.meiliSearchGet)
	ix.POST("/search", s.meiliSearchPost)
	ix.POST("/facet-search", s.meiliFacetSearch)
	ix.GET("/documents", s.meiliDocumentsGet)
	ix.POST("/documents/fetch", s.meiliDocumentsFetch)
	ix.GET("/documents/*id", s.meiliDocument) // ids may hold slashes
	ix.GET("/settings", s.meiliSettings)
	ix.GET("/settings/:setting", s.meiliSetting)
	ix.GET("/stats", s.meiliIndexStats)
}

// meiliQuery refuses a query string that parseQuery refuses, on every
// route of the Meilisearch-compatible API, those that read no parameter
// included, with a Meilisearch error.
func (s *Server) meiliQuery(c *gin.Context) {
	if _, p := gate.ParseQuery(c.Request.URL.RawQuery); p != nil {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeBadRequest, "%s", p.Detail))
		return
	}
	c.Next()
}
