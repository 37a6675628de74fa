package index

import (
	"context"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"

	text "tacheron/corpus/analysis"
)

// Counts a journalist can cite. A search's hits are of two sets: the
// primary set, the documents that match every word of the query — as
// written, by stem, folded, with a forgiven typo, or by a concept's other
// words when the query names the concept itself —, and the related set, the
// documents that match only some words, or only through a concept a word
// stands for (a variant such as "Deliveroo" stands for the platforms
// concept; it does not name it). Totals and facets count the primary set;
// the related one follows it in the ranking.

// Match sets of a hit.
const (
	MatchAll     = "all"
	MatchRelated = "related"
)

// strict reports whether a leaf matches its words for the primary set.
func (p *plan) strict(l leaf) bool {
	switch l.class {
	case direct:
		return true
	case typo:
		// A typo is forgiven in a word found nowhere, not read into one
		// that is there ("syndicat" is not "syndical").
		return l.words&p.unknown == l.words
	case prefix:
		// The stems of a complete word being typed match it; completions
		// stand only for a word that is not one yet.
		return l.field != fieldTitlePlain && l.field != fieldBodyPlain && l.field != fieldSourceText || l.words&p.partial == l.words
	case concept:
		return l.field == fieldKind || p.named[l.term]
	}
	return false
}

// primary returns the hits that satisfy every clause of the plan
// strictly: a word matched strictly, or a phrase held (held: by bit, the
// hits holding a phrase that is an alternative; the required phrases are
// held by every hit already).
func (s *Snapshot) primary(ctx context.Context, p *plan, hits *roaring.Bitmap, held map[uint32]*roaring.Bitmap) (*roaring.Bitmap, error) {
	if !p.positive() || hits.IsEmpty() {
		return hits, nil
	}
	var phrases uint32
	for _, ph := range p.phrases {
		phrases |= ph.bit
	}
	strict := map[uint32]*roaring.Bitmap{}
	word := func(bit uint32) (*roaring.Bitmap, error) {
		if b, ok := strict[bit]; ok {
			return b, nil
		}
		b := roaring.New()
		for _, l := range p.leaves {
			if l.words&bit == 0 || !p.strict(l) {
				continue
			}
			pl, err := s.decode(ctx, l.field, l.term)
			if err != nil {
				return nil, err
			}
			b.AddMany(pl.docs)
		}
		strict[bit] = b
		return b, ctx.Err()
	}
	out := hits
	for _, c := range p.clauses {
		// Function words ("comment", "le", "d'") do not count, as in the
		// ranking: a question matches by its content words. A literal
		// of function words alone leaves its clause.
		var literals []uint32
		for _, m := range c {
			if m&p.content != 0 {
				literals = append(literals, m&p.content)
			}
		}
		if len(literals) == 0 || slices.ContainsFunc(literals, func(m uint32) bool { return m&phrases != 0 && held[m] == nil }) {
			// Nothing to match, or a required phrase: every hit holds it.
			continue
		}
		any := roaring.New()
		for _, m := range literals {
			var all *roaring.Bitmap
			if m&phrases != 0 {
				all = held[m].Clone()
			}
			for rest := m &^ phrases; rest != 0; rest &= rest - 1 {
				b, err := word(rest & -rest)
				if err != nil {
					return nil, err
				}
				if all == nil {
					all = b.Clone()
				} else {
					all.And(b)
				}
			}
			any.Or(all)
		}
		if out == hits {
			out = roaring.And(hits, any)
		} else {
			out.And(any)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// namesConcept reports whether span, a part of a query, is a label, a name
// or the id of concept (without regard to case, accents, hyphens or spaces),
// or one of its labels or names in another number ("platform", "union").
func (s *Snapshot) namesConcept(span, concept string) bool {
	c, ok := s.taxonomy.Concept(concept)
	if !ok {
		return false
	}
	key := nameKey(span)
	if key == "" {
		return false
	}
	if nameKey(c.ID) == key {
		return true
	}
	names := slices.Concat(slices.Sorted(maps.Values(c.Labels)), c.Names)
	for _, l := range names {
		if nameKey(l) == key {
			return true
		}
	}
	// A name in another number or gender ("platform" for "platforms"),
	// as the taxonomy stems it.
	return s.taxonomy.NamedBy(concept, span)
}

// squashedConcept returns the concept of which word, found nowhere in the
// documents, is a variant written as one word ("fakenews", "bigtech"), and
// whether it names the concept (a label, a name or the id); "" when none
// is, or when several are.
func (s *Snapshot) squashedConcept(word string) (id string, named bool) {
	key := nameKey(word)
	if utf8.RuneCountInString(key) < 4 {
		return "", false
	}
	for _, c := range s.taxonomy.Concepts {
		variants := slices.Concat(c.Variants, slices.Concat(slices.Collect(maps.Values(c.VariantsByLang))...))
		names := s.namesConcept(word, c.ID)
		if !names && !slices.ContainsFunc(variants, func(v string) bool { return nameKey(v) == key }) {
			continue
		}
		if id != "" && id != c.ID {
			return "", false
		}
		id = c.ID
		named = named || names
	}
	return id, named
}

// nameKey folds a name to its letters and digits.
func nameKey(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, text.Fold(text.Lower(name)))
}
