// Package analysis holds tacheron's linguistics as plain functions: the word
// tokenizer, French elision, English possessives, stop words, accent folding,
// Snowball stemming and language detection.
//
// It has no dependency on bleve so that the corpus package can tag concepts
// with exactly the analysis that the index package wraps into bleve analyzers.
package analysis
