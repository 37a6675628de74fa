// Package index is a snapshot: everything bleve in tacheron — the
// analyzers (French and English Snowball, compounds, elisions, folding),
// the mapping, building an index from a corpus into an immutable snapshot
// directory, opening it and searching it. Which snapshot is served, and
// when it changes, is package index/store's; index must not import it, nor
// gin, net/http or the API.
//
// Searching drives bleve's postings directly: the query is planned into
// weighted term readers (exact forms, stems in both languages, adjacent
// pairs, typo and prefix expansions, concepts), merged term-at-a-time into
// dense accumulators, ranked by tiers compared in order (accumulator.go,
// relevanceKey): query words matched, words matched directly (as written,
// stemmed, paired or compounded), words matched directly or as the name of a
// concept the document treats (the concept tier: a surer match than a
// completion), words matched without a typo, words found side by side, and
// last the BM25 score. Hits are counted into facets by intersecting them
// with one bitmap per facet value, built once when a snapshot opens.
package index
