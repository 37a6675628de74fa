package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/mapping"
)

// The fields of a tacheron index. They are indexed without stored values,
// term vectors or doc values: documents are kept in the snapshot's document
// store (see docstore.go), highlights are computed from the text of the
// page's hits, facets from postings.
const (
	fieldTitlePlain = "title_p"  // title, PlainAnalyzer
	fieldTitleFR    = "title_fr" // title, FrenchAnalyzer
	fieldTitleEN    = "title_en" // title, EnglishAnalyzer
	fieldBodyPlain  = "body_p"   // every paragraph, PlainAnalyzer
	fieldBodyFR     = "body_fr"  // French paragraphs, FrenchAnalyzer
	fieldBodyEN     = "body_en"  // English paragraphs, EnglishAnalyzer
	fieldPairs      = "pairs"    // title and paragraphs, PairsAnalyzer
	fieldSourceText = "source_p" // the source, PlainAnalyzer

	// Keyword fields: one term per value.
	fieldConcept = "concept" // concept id, repeated once per mention
	fieldSource  = "source"
	fieldKind    = "kind"
	fieldLang    = "lang"
	fieldMonth   = "month"  // YYYY-MM
	fieldDay     = "day"    // YYYY-MM-DD
	fieldAuthor  = "author" // one term per author, as displayed
	fieldTag     = "tag"    // one term per tag, as written
)

// numTextFields is the number of analysed text fields.
const numTextFields = 8

// textFieldIndex returns the index of an analysed text field, from 0 to
// numTextFields-1: the order a document gives its fields to bleve.
func textFieldIndex(field string) int {
	switch field {
	case fieldTitlePlain:
		return 0
	case fieldTitleFR:
		return 1
	case fieldTitleEN:
		return 2
	case fieldBodyPlain:
		return 3
	case fieldBodyFR:
		return 4
	case fieldBodyEN:
		return 5
	case fieldPairs:
		return 6
	}
	return 7
}

// textFields maps each analysed text field to its analyzer.
func textFields() map[string]string {
	return map[string]string{
		fieldTitlePlain: PlainAnalyzer,
		fieldTitleFR:    FrenchAnalyzer,
		fieldTitleEN:    EnglishAnalyzer,
		fieldBodyPlain:  PlainAnalyzer,
		fieldBodyFR:     FrenchAnalyzer,
		fieldBodyEN:     EnglishAnalyzer,
		fieldPairs:      PairsAnalyzer,
		fieldSourceText: PlainAnalyzer,
	}
}

// keywordFields lists the fields indexed as whole values.
func keywordFields() []string {
	return []string{fieldConcept, fieldSource, fieldKind, fieldLang, fieldMonth, fieldDay, fieldAuthor, fieldTag}
}

// NewMapping returns the index mapping: tacheron's analyzers and fields.
func NewMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	for name, filters := range analyzerChains() {
		err := m.AddCustomAnalyzer(name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     wordsTokenizer,
			"token_filters": filters,
		})
		if err != nil {
			return nil, fmt.Errorf("analyzer %s: %w", name, err)
		}
	}
	m.DefaultAnalyzer = PlainAnalyzer
	m.ScoringModel = "bm25"
	dm := bleve.NewDocumentStaticMapping()
	for name, analyzer := range textFields() {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.DocValues = false
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(name, f)
	}
	for _, name := range keywordFields() {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeTermVectors = false
		f.DocValues = false
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(name, f)
	}
	m.DefaultMapping = dm
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}
