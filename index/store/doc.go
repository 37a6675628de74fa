// Package store keeps tacheron's snapshots on disk and serves the current
// one: the store's directory, its CURRENT marker, the build and in-use
// locks, publishing a new snapshot (build, validate, atomic rename),
// collecting old ones, the Live that swaps snapshots under running
// searches, watching CURRENT, and reindex runs.
//
// Building, opening and searching one snapshot is package index's; store
// only decides which snapshot is served. It must not import gin, net/http
// or the API.
package store
