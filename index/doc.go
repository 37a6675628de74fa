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
// dense accumulators, ranked by words matched, words matched directly,
// words matched without a typo, words side by side and BM25, and counted into facets by intersecting the hits with one bitmap per
// facet value, built once when a snapshot opens.
package index
