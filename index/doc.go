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
// dense accumulators, and ranked in tiers (accumulator.go) over the query's content words
// (function words — articles, prepositions, pronouns, auxiliaries, question
// words — help proximity but do not count): words matched plus words held
// by the title plus one for the whole query side by side as typed, the
// whole query side by side, words held by the title, words matched directly, words matched directly or as a concept's
// name, words matched without a typo, words side by side, then BM25 with
// title matches weighted; equal
// documents keep corpus order. Hits are counted into facets by intersecting
// them with one bitmap per facet value, built once when a snapshot opens.
package index
