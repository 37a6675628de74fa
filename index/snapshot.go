package index

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/vellum"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// ErrNotFound reports an unknown document.
var ErrNotFound = errors.New("not found")

// A Snapshot is an open, immutable index: the bleve index, one reader held
// for its whole life, and what is computed once when it opens (a bitmap per
// facet value, the date of each document, the vocabulary for prefixes and
// suggestions). It is safe for concurrent use.
type Snapshot struct {
	dir      string
	shards   []*shard
	stats    Stats
	taxonomy *corpus.Taxonomy

	analyzers map[string]analysis.Analyzer // by analyzer name

	// maxDoc is one more than the largest internal document number.
	maxDoc int
	all    *roaring.Bitmap
	facets map[string]*facetField // source, kind, lang, month, concept
	// day holds each document's date as days since 1970-01-01.
	day []int32
	// columns hold, for single-valued facet fields, each document's value
	// (its index in facets[field].values); conceptOff and conceptVals hold
	// each document's concepts (document d's are
	// conceptVals[conceptOff[d]:conceptOff[d+1]]).
	columns     map[string][]uint16
	conceptOff  []uint32
	conceptVals []uint16
	// totals are the facet counts of all documents.
	totals map[string][]int
	// byDate lists document numbers newest first, documents of a day in
	// the order of their ids; byDateAsc lists them oldest first, those of a
	// day in the order of their ids too. pos is each document's position
	// in byDate: its stable key, which breaks every tie in rankings. It
	// depends on the documents only, never on how the build numbered
	// them, so that two builds of a corpus answer alike.
	byDate    []uint32
	byDateAsc []uint32
	pos       []uint32
	// vocab is the plain vocabulary of titles and bodies.
	vocab *vocabulary
	docs  *docSet
	cache *lru[string, *postingList]
	// reprints lists, for each document that has reprints, the ids of the
	// others of its group; reprintDocs holds the members of the groups,
	// reprintGroup the group of each.
	reprints     map[string][]string
	reprintDocs  *roaring.Bitmap
	reprintGroup map[uint32]int32

	// termVectors keeps the words of the documents co-occurrence read last
	// (see termVector).
	termVectors     *lru[uint32, []uint32]
	termVectorsOnce sync.Once

	accumulators sync.Pool
	// plans keeps the plans of recent queries (see cachedPlan); scratch
	// holds highlighting's buffers between searches.
	plans          *lru[string, *plan]
	scratch        sync.Pool
	display        sync.Map // folded term → displayed form, for suggestions
	stemFR, stemEN *text.Stemmer
}

// A facetField holds the values of a keyword field and the documents of
// each.
type facetField struct {
	values  []string
	bitmaps []*roaring.Bitmap
	index   map[string]int
}

// bitmap returns the documents of value, or nil.
func (f *facetField) bitmap(value string) *roaring.Bitmap {
	if i, ok := f.index[value]; ok {
		return f.bitmaps[i]
	}
	return nil
}

// Open opens the snapshot in dir (a directory written by Build) and
// prepares it for searching.
func Open(dir string) (*Snapshot, error) { return open(dir, openSearch) }

// Validate validates the snapshot in dir as Open does, preparing it for
// searching (facets, dates, columns, document order, reprints) but for
// the vocabulary of suggestions and corrections, read from term
// dictionaries that opening the shards checked already; it closes the
// snapshot and returns its build record. It suits a snapshot just built,
// before it is published, for a fraction of what Open costs.
func Validate(dir string) (Stats, error) {
	s, err := open(dir, openValidate)
	if err != nil {
		return Stats{}, err
	}
	return s.stats, s.Close()
}

// Check validates the snapshot in dir as Open does — its build record and
// format, taxonomy, shards, analyzers, document count and document store —
// without preparing it for searching (the costly part of Open), and
// closes it. It returns the build record. It suits a snapshot whose files
// are known to be those of one that opened, like a replica's download
// checked against the published checksums.
func Check(dir string) (Stats, error) {
	s, err := open(dir, openCheck)
	if err != nil {
		return Stats{}, err
	}
	return s.stats, s.Close()
}

// An openMode says how far open prepares a snapshot.
type openMode int

const (
	// openCheck validates the snapshot without preparing it (Check).
	openCheck openMode = iota
	// openValidate prepares it but for its vocabulary (Validate).
	openValidate
	// openSearch prepares it for searching (Open).
	openSearch
)

// open opens the snapshot in dir, and prepares it as far as mode says.
func open(dir string, mode openMode) (*Snapshot, error) {
	s := &Snapshot{
		dir: dir, facets: map[string]*facetField{}, analyzers: map[string]analysis.Analyzer{},
		stemFR: text.NewStemmer(text.French), stemEN: text.NewStemmer(text.English),
		cache: newPostingsCache(cacheBytes), plans: newPlanCache(),
	}
	data, err := os.ReadFile(filepath.Join(dir, statsFile))
	if err != nil {
		return nil, fmt.Errorf("open snapshot %s: %w", dir, err)
	}
	if err := json.Unmarshal(data, &s.stats); err != nil {
		return nil, fmt.Errorf("open snapshot %s: %s: %w", dir, statsFile, err)
	}
	if s.stats.Format < snappyFormatVersion || s.stats.Format > formatVersion {
		return nil, fmt.Errorf("open snapshot %s: format %d, want %d (rebuild the index)", dir, s.stats.Format, formatVersion)
	}
	s.taxonomy, err = corpus.LoadTaxonomy(os.DirFS(dir), taxonomyFile)
	if err != nil {
		return nil, fmt.Errorf("open snapshot %s: %w", dir, err)
	}
	groups, err := loadReprints(dir)
	if err != nil {
		return nil, fmt.Errorf("open snapshot %s: %w", dir, err)
	}
	s.shards, err = openShards(dir)
	if err != nil {
		return nil, fmt.Errorf("open snapshot %s: %w", dir, err)
	}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	m, isImpl := s.shards[0].idx.Mapping().(*mapping.IndexMappingImpl)
	if !isImpl {
		return nil, fmt.Errorf("open snapshot %s: unexpected mapping %T", dir, s.shards[0].idx.Mapping())
	}
	for _, name := range []string{PlainAnalyzer, FrenchAnalyzer, EnglishAnalyzer, PairsAnalyzer} {
		a := m.AnalyzerNamed(name)
		if a == nil {
			return nil, fmt.Errorf("open snapshot %s: analyzer %s missing", dir, name)
		}
		s.analyzers[name] = a
	}
	count := 0
	for _, sh := range s.shards {
		count += sh.live()
	}
	if count != s.stats.Documents {
		return nil, fmt.Errorf("open snapshot %s: holds %d documents, its build recorded %d", dir, count, s.stats.Documents)
	}
	s.docs, err = openDocSet(dir, s.stats.Format, s.shards)
	if err != nil {
		return nil, fmt.Errorf("open snapshot %s: %w", dir, err)
	}
	if mode != openSearch {
		if err := checkDeletedTerms(dir, s.shards); err != nil {
			return nil, fmt.Errorf("open snapshot %s: %w", dir, err)
		}
	}
	if mode != openCheck {
		if err := s.load(mode == openSearch); err != nil {
			return nil, fmt.Errorf("open snapshot %s: %w", dir, err)
		}
	}
	if err := s.indexReprints(groups); err != nil {
		return nil, fmt.Errorf("open snapshot %s: %w", dir, err)
	}
	ok = true
	return s, nil
}

// Close releases the snapshot's reader and index.
func (s *Snapshot) Close() error {
	var errs []error
	if s.docs != nil {
		errs = append(errs, s.docs.close())
		s.docs = nil
	}
	if s.shards != nil {
		errs = append(errs, closeShards(s.shards))
		s.shards = nil
	}
	return errors.Join(errs...)
}

// Closed reports whether Close was called.
func (s *Snapshot) Closed() bool { return s.docs == nil && s.shards == nil }

// Dir returns the snapshot's directory.
func (s *Snapshot) Dir() string { return s.dir }

// Stats returns what the build recorded.
func (s *Snapshot) Stats() Stats { return s.stats }

// Taxonomy returns the concepts the documents were tagged with.
func (s *Snapshot) Taxonomy() *corpus.Taxonomy { return s.taxonomy }

// Generation returns the snapshot's generation in its store (0 for a
// snapshot built outside a store).
func (s *Snapshot) Generation() uint64 { return s.stats.Generation }

// DocCount returns the number of documents.
func (s *Snapshot) DocCount() int { return s.stats.Documents }

// load reads the facet bitmaps, dates and, when vocabulary is set, the
// vocabulary.
func (s *Snapshot) load(vocabulary bool) error {
	ctx := context.Background()
	for _, field := range []string{fieldSource, fieldKind, fieldLang, fieldMonth, fieldConcept, fieldAuthor, fieldTag} {
		f, err := s.loadFacet(ctx, field)
		if err != nil {
			return err
		}
		s.facets[field] = f
	}
	s.all = roaring.New()
	for _, b := range s.facets[fieldKind].bitmaps {
		s.all.Or(b)
	}
	if s.all.IsEmpty() {
		return errors.New("no document")
	}
	s.maxDoc = int(s.all.Maximum()) + 1
	s.day = make([]int32, s.maxDoc)
	days, err := s.loadFacet(ctx, fieldDay)
	if err != nil {
		return err
	}
	for i, v := range days.values {
		t, err := time.Parse(corpus.DateLayout, v)
		if err != nil {
			return fmt.Errorf("day %q: %w", v, err)
		}
		d := int32(t.Unix() / 86400)
		days.bitmaps[i].Iterate(func(doc uint32) bool {
			s.day[doc] = d
			return true
		})
	}
	if err := s.loadColumns(); err != nil {
		return err
	}
	s.totals = s.countByBitmaps(FacetNames(), s.all, nil)
	if err := s.orderDocuments(); err != nil {
		return err
	}
	if !vocabulary {
		return nil
	}
	s.vocab, err = s.loadVocabulary(vocabularyFields()...)
	return err
}

// orderDocuments sorts the documents by date, those of a day by id, into
// byDate, byDateAsc and pos.
func (s *Snapshot) orderDocuments() error {
	byID, err := s.documentsByID()
	if err != nil {
		return err
	}
	idRank := make([]uint32, s.maxDoc)
	for i, doc := range byID {
		idRank[doc] = uint32(i)
	}
	s.byDate = slices.Clone(byID)
	slices.SortFunc(s.byDate, func(a, b uint32) int {
		if s.day[a] != s.day[b] {
			return cmp.Compare(s.day[b], s.day[a])
		}
		return cmp.Compare(idRank[a], idRank[b])
	})
	s.byDateAsc = slices.Clone(byID)
	slices.SortFunc(s.byDateAsc, func(a, b uint32) int {
		if s.day[a] != s.day[b] {
			return cmp.Compare(s.day[a], s.day[b])
		}
		return cmp.Compare(idRank[a], idRank[b])
	})
	s.pos = make([]uint32, s.maxDoc)
	for i, doc := range s.byDate {
		s.pos[doc] = uint32(i)
	}
	return nil
}

// loadColumns turns the facet bitmaps into per-document columns.
func (s *Snapshot) loadColumns() error {
	s.columns = map[string][]uint16{}
	for _, field := range []string{fieldSource, fieldKind, fieldLang, fieldMonth} {
		f := s.facets[field]
		if len(f.values) > 1<<16 {
			return fmt.Errorf("field %s has %d values, more than %d", field, len(f.values), 1<<16)
		}
		col := make([]uint16, s.maxDoc)
		for i, b := range f.bitmaps {
			b.Iterate(func(doc uint32) bool {
				col[doc] = uint16(i)
				return true
			})
		}
		s.columns[field] = col
	}
	concepts := s.facets[fieldConcept]
	if len(concepts.values) > 1<<16 {
		return fmt.Errorf("%d concepts, more than %d", len(concepts.values), 1<<16)
	}
	s.conceptOff = make([]uint32, s.maxDoc+1)
	for _, b := range concepts.bitmaps {
		b.Iterate(func(doc uint32) bool {
			s.conceptOff[doc+1]++
			return true
		})
	}
	for d := 1; d <= s.maxDoc; d++ {
		s.conceptOff[d] += s.conceptOff[d-1]
	}
	s.conceptVals = make([]uint16, s.conceptOff[s.maxDoc])
	next := slices.Clone(s.conceptOff[:s.maxDoc])
	for i, b := range concepts.bitmaps {
		b.Iterate(func(doc uint32) bool {
			s.conceptVals[next[doc]] = uint16(i)
			next[doc]++
			return true
		})
	}
	return nil
}

// loadFacet reads every value of a keyword field and the bitmap of its
// documents, from the postings.
func (s *Snapshot) loadFacet(ctx context.Context, field string) (*facetField, error) {
	f := &facetField{index: map[string]int{}}
	var values []string
	err := s.dictionary(field, func(term string, _ uint64) {
		if _, ok := f.index[term]; !ok {
			f.index[term] = -1
			values = append(values, term)
		}
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(values)
	for _, v := range values {
		b, err := s.postings(ctx, field, v)
		if err != nil {
			return nil, err
		}
		if b.IsEmpty() {
			// Only deleted documents have it.
			delete(f.index, v)
			continue
		}
		f.index[v] = len(f.values)
		f.values = append(f.values, v)
		f.bitmaps = append(f.bitmaps, b)
	}
	return f, nil
}

// A vocabulary is the sorted plain terms of some fields with their document
// frequencies: prefix expansion and suggestions pick the most frequent
// completions from it.
type vocabulary struct {
	terms []string
	df    []uint32
	index map[string]uint32 // term → position in terms
	// fst maps each term to its position in terms: typo corrections are
	// found by walking it with an edit-distance automaton (fuzzy.go).
	fst *vellum.FST
	// fixes keeps the corrections of recent words: a search box asks for
	// the same words keystroke after keystroke.
	fixes *lru[fixKey, []correction]
}

// fixKey names a corrections call.
type fixKey struct {
	word      string
	edits     int
	keepFirst bool
	n         int
}

// fixesBytes bounds a vocabulary's cache of corrections.
const fixesBytes = 4 << 20

func fixesSize(k fixKey, cs []correction) int {
	n := 64 + len(k.word)
	for _, c := range cs {
		n += 40 + len(c.term)
	}
	return n
}

func (s *Snapshot) loadVocabulary(fields ...string) (*vocabulary, error) {
	counts := map[string]uint32{}
	for _, field := range fields {
		err := s.dictionary(field, func(term string, n uint64) {
			counts[term] += uint32(n)
		})
		if err != nil {
			return nil, fmt.Errorf("vocabulary: %w", err)
		}
	}
	if err := s.deletedTerms(fields, func(term string, n uint32) { counts[term] -= n }); err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	return newVocabulary(counts)
}

// newVocabulary makes the vocabulary of terms with their document
// frequencies.
func newVocabulary(counts map[string]uint32) (*vocabulary, error) {
	v := &vocabulary{terms: make([]string, 0, len(counts)), fixes: newLRU(fixesBytes, fixesSize)}
	for t, n := range counts {
		if n > 0 && n < 1<<31 {
			v.terms = append(v.terms, t)
		}
	}
	slices.Sort(v.terms)
	v.df = make([]uint32, len(v.terms))
	v.index = make(map[string]uint32, len(v.terms))
	for i, t := range v.terms {
		v.df[i] = counts[t]
		v.index[t] = uint32(i)
	}
	var err error
	if v.fst, err = buildFST(v.terms); err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	return v, nil
}

// completions returns up to n terms that start with prefix (other than
// prefix itself), most frequent first, terms of equal frequency in
// alphabetical order: the choice depends on the documents only.
func (v *vocabulary) completions(prefix string, n int) []string {
	lo := sort.SearchStrings(v.terms, prefix)
	hi := lo
	for hi < len(v.terms) && strings.HasPrefix(v.terms[hi], prefix) {
		hi++
	}
	type cand struct {
		i  int
		df uint32
	}
	var best []cand
	for i := lo; i < hi; i++ {
		if v.terms[i] == prefix {
			continue
		}
		if len(best) < n {
			best = append(best, cand{i, v.df[i]})
			if len(best) == n {
				slices.SortStableFunc(best, func(a, b cand) int { return cmp.Compare(b.df, a.df) })
			}
			continue
		}
		if v.df[i] <= best[n-1].df {
			continue
		}
		// Insert in order, dropping the last.
		j := sort.Search(n, func(k int) bool { return best[k].df < v.df[i] })
		copy(best[j+1:], best[j:n-1])
		best[j] = cand{i, v.df[i]}
	}
	slices.SortStableFunc(best, func(a, b cand) int { return cmp.Compare(b.df, a.df) })
	out := make([]string, len(best))
	for k, c := range best {
		out[k] = v.terms[c.i]
	}
	return out
}

// completes reports whether some term other than prefix starts with
// prefix.
func (v *vocabulary) completes(prefix string) bool {
	i := sort.SearchStrings(v.terms, prefix)
	if i < len(v.terms) && v.terms[i] == prefix {
		i++
	}
	return i < len(v.terms) && strings.HasPrefix(v.terms[i], prefix)
}

// frequency returns the document frequency of term, or 0.
func (v *vocabulary) frequency(term string) uint32 {
	if i, ok := v.index[term]; ok {
		return v.df[i]
	}
	return 0
}

// contains reports whether term is in the vocabulary.
func (v *vocabulary) contains(term string) bool {
	_, ok := v.index[term]
	return ok
}
