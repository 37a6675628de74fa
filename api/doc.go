// Package api serves tacheron's JSON search API over HTTP: ranked search
// with disjunctive facets, documents, concepts, sources, suggestions,
// health, metrics and the OpenAPI document that describes them, and, under
// a prefix of its own, a Meilisearch-compatible dialect over the same
// index.
//
// The API holds only a Searcher, a small interface that *index.Live
// satisfies, and maps index types into its own JSON types. The public routes
// are registered in routes.go (routes), the admin routes — only when the
// server has an admin token — in admin.go (adminRoutes), and the
// Meilisearch routes in routes.go (meiliRoutes) on an engine of their own
// (see meili.go: its errors are in Meilisearch's shape, and every write
// answers that the index is read-only). tacheron's errors are RFC 9457
// problem documents (see problem.go); the contract is the OpenAPI document
// in openapi.json, served at /openapi.json and checked against every
// response in the tests. Calls to the Searcher are admitted and bounded in
// time as limits.go describes; hostile_test.go and load_test.go hold the
// server to it.
package api
