// Package api serves tacheron's JSON search API over HTTP: ranked search
// with disjunctive facets (and its exports and Atom feed, package
// api/export), documents, concepts, sources, suggestions, trends,
// co-occurrence, keywords in context, health, metrics, the admin routes,
// the search page (web/, its state in the URL; each index answer carries the
// X-Index-Generation header, which the page watches for a reindex) and the
// OpenAPI document that describes them; and it assembles the server,
// mounting the Meilisearch dialect (package api/meili) under its prefix.
//
// The API holds only a Searcher (gate.Searcher), a small interface that
// the store's live index satisfies, and maps index types into its own JSON
// types. The public routes are registered in routes.go, the admin routes
// (only when the server has an admin token) in admin.go, the Meilisearch
// routes in api/meili/routes.go; errors are RFC 9457 problem documents
// (package api/gate); the contract is the OpenAPI document in openapi.json, served at
// /openapi.json and checked against every response in the tests. Calls to
// the Searcher are admitted and bounded in time by api/gate;
// hostile_test.go and load_test.go hold the server to it.
//
// api must not import bleve or corpus internals.
package api
