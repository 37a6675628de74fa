// Package meili serves the read side of Meilisearch's API over tacheron's
// index, under a prefix and for one index, so that frontends built on
// Meilisearch's clients (meilisearch-js, instant-meilisearch) search
// tacheron unchanged. It has its own gin engine: its errors, unknown
// routes and writes included, are in Meilisearch's shape. See README.md
// for what it supports.
//
// It holds the same gate.Front as the native API (admission, limits,
// metrics) and knows the index only through gate.Searcher; it must not
// import package api, bleve or the store.
package meili
