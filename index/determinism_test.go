package index

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/corpus"
)

// TestBuildsAnswerAlike builds a corpus twice and checks that both
// snapshots answer every request alike: the same ids in the same order,
// with the same scores, facets and highlights. The corpus ties on scores,
// dates and titles everywhere; small batches make the builds number
// documents differently.
func TestBuildsAnswerAlike(t *testing.T) {
	sc := newSynthCorpus(t, 30, 10, 7)
	c, err := corpus.OpenDir(sc.dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	numbering := map[string]bool{}
	for i := range 3 {
		dir := filepath.Join(t.TempDir(), "snap")
		if _, err := Build(context.Background(), c, dir, BuildOptions{BatchSize: 3 + i}); err != nil {
			t.Fatal(err)
		}
		snap, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		got := answers(t, snap)
		numbering[docNumbering(t, snap)] = true
		snap.Close()
		if want == nil {
			want = got
			continue
		}
		compareAnswers(t, "second build", got, want)
	}
	if len(numbering) < 2 {
		t.Log("the builds numbered documents alike: the test proves less")
	}
}

// docNumbering renders the ids by document number.
func docNumbering(tb testing.TB, snap *Snapshot) string {
	tb.Helper()
	var b strings.Builder
	for doc := range snap.maxDoc {
		rec, err := snap.docs.get(uint32(doc))
		if err != nil {
			tb.Fatal(err)
		}
		b.WriteString(rec.id + " ")
	}
	return b.String()
}

// TestVocabularyCountsDocuments checks the vocabulary's document
// frequencies against the postings, term by term, in builds of a corpus
// split into batches of several sizes (zap's dictionary iterator
// miscounts the term after one held by a single document).
func TestVocabularyCountsDocuments(t *testing.T) {
	sc := newSynthCorpus(t, 40, 5, 3)
	sc.mutate(t, 3, 5)
	c, err := corpus.OpenDir(sc.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range []int{7, 50} {
		dir := filepath.Join(t.TempDir(), "snap")
		if _, err := Build(context.Background(), c, dir, BuildOptions{BatchSize: batch}); err != nil {
			t.Fatal(err)
		}
		snap, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		bad := 0
		for i, term := range snap.vocab.terms {
			n := 0
			for _, f := range []string{fieldTitlePlain, fieldBodyPlain, fieldSourceText} {
				b, err := snap.postings(context.Background(), f, term)
				if err != nil {
					t.Fatal(err)
				}
				n += int(b.GetCardinality())
			}
			if int(snap.vocab.df[i]) != n && bad < 5 {
				bad++
				t.Errorf("batch %d: vocabulary counts %d documents for %q, its postings %d", batch, snap.vocab.df[i], term, n)
			}
		}
		snap.Close()
	}
}
