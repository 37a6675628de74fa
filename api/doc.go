// Package api serves tacheron's JSON search API over HTTP: ranked search
// with disjunctive facets, documents, concepts, sources, suggestions,
// health, metrics and the OpenAPI document that describes them.
//
// The API holds only a Searcher, a small interface that *index.Live
// satisfies, and maps index types into its own JSON types. Every route is
// registered in routes.go; errors are RFC 9457 problem documents (see
// problem.go); the contract is the OpenAPI document in openapi.json, served
// at /openapi.json and checked against every response in the tests. Calls
// to the Searcher are admitted and bounded in time as limits.go describes;
// hostile_test.go and load_test.go hold the server to it.
package api
