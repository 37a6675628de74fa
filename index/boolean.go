package index

import "slices"

// Boolean queries. A query's alternatives (OR) and groups are planned in
// conjunctive form: a list of clauses that must all hold, each satisfied
// by any of its atoms (the words and phrases of the query). A group joined
// by OR to another term is distributed over it: "(a b) OR c" is
// "(a OR c) (b OR c)". Every query word is one atom of its own, so the
// ranking still counts the words (alternatives) a document matches.

// maxClauses bounds the clauses of a query: distributing alternatives
// over groups stops there, and the alternatives left are ignored.
const maxClauses = MaxQueryTerms

// A boolQuery is a query in conjunctive form.
type boolQuery struct {
	atoms []atom
	// clauses are the atoms' indices: every clause must hold, any atom
	// of a clause satisfies it.
	clauses [][]int
	// exclude are the words and phrases excluded; excludeGroups the
	// groups excluded (a document matching one is left out).
	exclude       []Term
	excludeGroups []boolQuery
}

// An atom is a word or a phrase that the query looks for.
type atom struct {
	term Term
	// linked is set for a plain word written beside the plain word before
	// it (no alternative or group between them): the two may be a name of
	// several words, a compound or a pair.
	linked bool
}

// boolOf returns the conjunctive form of a query.
func boolOf(q Query) boolQuery {
	var b boolQuery
	b.clauses = b.seq(q.Terms, true)
	return b
}

// seq returns the clauses of terms, adding their atoms to b. top is unset
// within an excluded group, whose own exclusions are dropped.
func (b *boolQuery) seq(terms []Term, top bool) [][]int {
	var out [][]int
	open := false // the last chain was a lone plain word, phrases and exclusions aside
	for i := 0; i < len(terms); {
		j := i + 1
		for j < len(terms) && terms[j].Or {
			j++
		}
		chain := terms[i:j]
		i = j
		lone := len(chain) == 1 && chain[0].Group == nil && !chain[0].Phrase
		var clauses [][]int
		for _, t := range chain {
			var c [][]int
			switch {
			case t.Exclude:
				b.exclusion(t, top)
				continue
			case t.Group != nil:
				c = b.seq(t.Group, top)
			default:
				b.atoms = append(b.atoms, atom{term: t, linked: lone && open && !t.Phrase})
				c = [][]int{{len(b.atoms) - 1}}
			}
			if len(c) == 0 {
				continue
			}
			if clauses == nil {
				clauses = c
			} else {
				clauses = orClauses(clauses, c)
			}
		}
		switch {
		case lone && !chain[0].Exclude:
			open = true
		case len(chain) == 1 && (chain[0].Exclude || chain[0].Phrase):
		default:
			open = false
		}
		out = append(out, clauses...)
	}
	if len(out) > maxClauses {
		out = out[:maxClauses]
	}
	return out
}

// exclusion records an excluded term; within an excluded group (top
// unset), it is dropped.
func (b *boolQuery) exclusion(t Term, top bool) {
	if !top {
		return
	}
	if t.Group == nil {
		b.exclude = append(b.exclude, t)
		return
	}
	var g boolQuery
	g.clauses = g.seq(t.Group, false)
	if len(g.clauses) > 0 {
		b.excludeGroups = append(b.excludeGroups, g)
	}
}

// orClauses returns the conjunctive form of a or c, two conjunctive forms:
// each clause of one joined with each of the other. When that would make
// more than maxClauses, c is left out.
func orClauses(a, c [][]int) [][]int {
	if len(a)*len(c) > maxClauses {
		return a
	}
	out := make([][]int, 0, len(a)*len(c))
	for _, x := range a {
		for _, y := range c {
			clause := slices.Clone(x)
			for _, i := range y {
				if !slices.Contains(clause, i) {
					clause = append(clause, i)
				}
			}
			out = append(out, clause)
		}
	}
	return out
}
