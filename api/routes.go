package api

// routes registers every route of the API, and the middleware every
// request goes through, outermost first.
func (s *Server) routes() {
	e := s.engine
	e.Use(s.observe, s.recoverPanic, s.headers, s.limits, s.query, s.pathParams, s.deadline)
	e.NoRoute(s.noRoute)
	e.NoMethod(s.noMethod)

	e.GET("/api/v1/search", s.search)
	e.GET("/api/v1/documents/:id", s.document)
	e.GET("/api/v1/concepts", s.concepts)
	e.GET("/api/v1/sources", s.sources)
	e.GET("/api/v1/suggest", s.suggest)
	e.GET("/api/v1/trends", s.trends)
	e.GET("/api/v1/cooccurrence", s.cooccurrence)
	e.GET("/api/v1/kwic", s.kwic)
	s.adminRoutes()

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.serveMetrics)
	e.GET("/openapi.json", s.openAPI)

	e.GET("/", s.page)
	e.GET("/static/*file", s.staticFile)
}

// meiliRoutes registers the routes of the Meilisearch-compatible API (see
// meili.go) under its prefix, on an engine of its own: its errors are in
// Meilisearch's shape. Every write answers that the index is read-only.
func (s *Server) meiliRoutes() {
	e := s.meiliEngine
	e.Use(s.observe, s.meiliRecover, s.meiliHeaders, s.limits, s.meiliQuery, s.deadline)
	e.NoRoute(s.meiliNoRoute)
	e.NoMethod(s.meiliNoMethod)

	g := e.Group(s.meili.prefix)
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
	ix.GET("/documents/:id", s.meiliDocument)
	ix.GET("/settings", s.meiliSettings)
	ix.GET("/settings/:setting", s.meiliSetting)
	ix.GET("/stats", s.meiliIndexStats)
}
