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
// dense accumulators (accumulator.go). A query with alternatives (OR) and
// groups is planned in conjunctive form (boolean.go): clauses that must all
// hold, each by any of its words or phrases. The documents satisfying
// every clause by their content words (the primary set, primary.go) come
// before the related ones, which match only part of the query. Each set is ranked in tiers
// (accumulator.relevanceKey) over the query's content words (function words
// — articles, prepositions, pronouns, auxiliaries, question words — help
// proximity but do not count): words matched plus words held by the title
// plus one for the whole query side by side as typed, the whole query side
// by side, words held by the title, words matched directly, words matched
// directly or as a concept's name, words matched without a typo, words side
// by side, then BM25 with title matches weighted. Equal documents go newer
// first, then by id (Snapshot.pos, set when a snapshot opens), whatever
// the order they were built in. Only the requested facets are counted,
// with the hits that pass every filter but the facet's own: from one
// column per single-valued field when hits are few, by intersecting one
// bitmap per value when they are many, both built once when a snapshot
// opens (countFacets).
package index
