package api

// routes registers every route of the API, and the middleware every
// request goes through, outermost first.
func (s *Server) routes() {
	e := s.engine
	e.Use(s.Observe, s.recoverPanic, s.headers, s.Limits, s.Query, s.PathParams, s.Deadline)
	e.NoRoute(s.noRoute)
	e.NoMethod(s.noMethod)

	e.GET("/api/v1/search", s.single, s.search)
	// Ids are opaque and may hold slashes ("http://example.org/?p=1"),
	// escaped or not: the route takes the rest of the path.
	e.GET("/api/v1/documents/*id", s.single, s.document)
	e.GET("/api/v1/concepts", s.single, s.concepts)
	e.GET("/api/v1/sources", s.single, s.sources)
	e.GET("/api/v1/suggest", s.single, s.suggest)
	e.GET("/api/v1/trends", s.single, s.trends)
	e.GET("/api/v1/cooccurrence", s.single, s.cooccurrence)
	e.GET("/api/v1/kwic", s.single, s.kwic)
	s.adminRoutes()

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.serveMetrics)
	e.GET("/openapi.json", s.openAPI)

	e.GET("/", s.page)
	e.GET("/static/*file", s.staticFile)
}
