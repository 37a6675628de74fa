// Package gate is what every request to tacheron's HTTP APIs passes
// through, whichever dialect answers it: the Searcher seam both dialects
// hold, admission and deadlines (limits.go), size limits and strict query
// parsing, security headers, metrics and the access log, the writing of
// JSON bodies and RFC 9457 problems, and the listener that rewrites
// net/http's own refusals and writes a response in one write
// (listener.go). The native API (package api) and
// the Meilisearch dialect (package api/meili) each embed a *Front.
//
// gate knows nothing of either dialect's routes or JSON shapes; it must
// not import api, api/meili, bleve or the store.
package gate
