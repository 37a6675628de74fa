package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"

	"tacheron/corpus"
)

// deletedTermsSnapshots builds a synthetic corpus in full, then twice
// incrementally after changes (so that the second build starts from the
// first one's deleted-terms files), once more after a file is only added
// (so that no shard has documents newly deleted), and in full again; it
// returns the last incremental snapshot and the full one of the same
// corpus. No shard is compacted for its deleted documents, so that they
// stay.
func deletedTermsSnapshots(t *testing.T) (inc, full string) {
	t.Helper()
	sc := newSynthCorpus(t, 30, 4, 21)
	root := t.TempDir()
	build := func(name, previous string) string {
		t.Helper()
		c, err := corpus.OpenDir(sc.dir)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, name)
		st, err := Build(context.Background(), c, dir, BuildOptions{BatchSize: 20, Previous: previous, CompactShare: 1})
		if err != nil {
			t.Fatalf("build %s: %v", name, err)
		}
		if previous != "" && st.Incremental == nil {
			t.Fatalf("build %s: full (%s), want incremental", name, st.FullReason)
		}
		return dir
	}
	prev := build("0", "")
	for round := 1; round <= 2; round++ {
		sc.mutate(t, 2, 4)
		prev = build(fmt.Sprint(round), prev)
	}
	sc.write(t, sc.newName(), 4)
	inc = build("3", prev)
	// Each shard's file is one of the previous snapshot's, linked.
	for j := range deletedShards(t, inc) {
		b, err := os.Stat(filepath.Join(inc, deletedTermsName(j)))
		if err != nil {
			t.Fatal(err)
		}
		linked := false
		for i := range deletedShards(t, prev) {
			a, err := os.Stat(filepath.Join(prev, deletedTermsName(i)))
			linked = linked || err == nil && os.SameFile(a, b)
		}
		if !linked {
			t.Errorf("%s: not linked from the previous snapshot", deletedTermsName(j))
		}
	}
	return inc, build("full", "")
}

// vocabularyOf opens the snapshot in dir and returns its vocabulary as
// "term df" lines.
func vocabularyOf(t *testing.T, dir string) []string {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := make([]string, len(s.vocab.terms))
	for i, term := range s.vocab.terms {
		out[i] = fmt.Sprintf("%s %d", term, s.vocab.df[i])
	}
	return out
}

// deletedShards returns the shards of the snapshot in dir that have
// deleted documents, and those documents.
func deletedShards(t *testing.T, dir string) map[int][]uint32 {
	t.Helper()
	del, err := readDeleted(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(del) == 0 {
		t.Fatalf("%s: no deleted document", dir)
	}
	return del
}

// TestDeletedTermsMatchReanalysis checks that an incremental snapshot
// with deleted documents has a deleted-terms file for each shard holding
// some, covering them, that its vocabulary read from the files is the one
// analysing the deleted documents again gives and the one of a full build,
// and that the files are what opening reads.
func TestDeletedTermsMatchReanalysis(t *testing.T) {
	inc, full := deletedTermsSnapshots(t)
	want := vocabularyOf(t, full)
	if len(want) == 0 {
		t.Fatal("empty vocabulary")
	}
	del := deletedShards(t, inc)
	grew := false
	for i, docs := range del {
		tc, err := readDeletedCounts(inc, i)
		if err != nil {
			t.Fatal(err)
		}
		if !tc.covers(roaring.BitmapOf(docs...), vocabularyFields()) {
			t.Fatalf("shard %d: %v does not cover its %d deleted documents", i, tc, len(docs))
		}
		if len(tc.counts) == 0 {
			t.Errorf("shard %d: no term in %d deleted documents", i, len(docs))
		}
		grew = grew || tc.docs > 0
	}
	if !grew {
		t.Fatal("no deleted document counted")
	}
	fromFiles := vocabularyOf(t, inc)
	compareAnswers(t, "vocabulary from the files against a full build", fromFiles, want)

	// The same without the files: the deleted documents are analysed again.
	for i := range del {
		if err := os.Remove(filepath.Join(inc, deletedTermsName(i))); err != nil {
			t.Fatal(err)
		}
	}
	compareAnswers(t, "vocabulary by re-analysis against the files", vocabularyOf(t, inc), fromFiles)
}

// TestDeletedTermsAreRead checks that opening a snapshot subtracts the
// counts of its deleted-terms files rather than analysing the deleted
// documents again: a file counting one term less moves that term's
// document frequency up by as much.
func TestDeletedTermsAreRead(t *testing.T) {
	inc, _ := deletedTermsSnapshots(t)
	before := vocabularyOf(t, inc)
	var shard int
	for i := range deletedShards(t, inc) {
		shard = i
		break
	}
	tc, err := readDeletedCounts(inc, shard)
	if err != nil {
		t.Fatal(err)
	}
	term, n := tc.terms[0], tc.counts[0]
	tc.terms, tc.counts = tc.terms[1:], tc.counts[1:]
	if err := os.WriteFile(filepath.Join(inc, deletedTermsName(shard)), tc.encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	after := vocabularyOf(t, inc)
	df := func(lines []string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, term+" ") {
				return l
			}
		}
		return term + " 0"
	}
	var was int
	fmt.Sscanf(strings.TrimPrefix(df(before), term+" "), "%d", &was)
	if got, want := df(after), fmt.Sprintf("%s %d", term, was+int(n)); got != want {
		t.Errorf("after dropping %q (%d) from %s: %q, want %q", term, n, deletedTermsName(shard), got, want)
	}
}

// TestDeletedTermsFallback checks that a snapshot whose deleted-terms
// files are missing (built before them), or do not cover the shard's
// deleted documents or the vocabulary's fields, is corrected by analysing
// its deleted documents again, so that its vocabulary stays a full
// build's; and that a damaged file is an error naming it, for Validate
// and Check too.
func TestDeletedTermsFallback(t *testing.T) {
	inc, full := deletedTermsSnapshots(t)
	want := vocabularyOf(t, full)
	del := deletedShards(t, inc)
	originals := map[int]*deletedCounts{}
	for i := range del {
		tc, err := readDeletedCounts(inc, i)
		if err != nil {
			t.Fatal(err)
		}
		originals[i] = tc
	}
	for _, tt := range []struct {
		name   string
		change func(tc *deletedCounts) []byte // nil: remove the file
	}{
		{"missing", nil},
		{"fewer documents", func(tc *deletedCounts) []byte {
			c := *tc
			c.docs--
			c.terms, c.counts = nil, nil
			return c.encode()
		}},
		{"more documents", func(tc *deletedCounts) []byte {
			c := *tc
			c.docs++
			c.terms, c.counts = nil, nil
			return c.encode()
		}},
		{"other fields", func(tc *deletedCounts) []byte {
			c := *tc
			c.fields = []string{fieldTitlePlain}
			c.terms, c.counts = nil, nil
			return c.encode()
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for i, tc := range originals {
				name := filepath.Join(inc, deletedTermsName(i))
				var err error
				if tt.change == nil {
					err = os.Remove(name)
				} else {
					err = os.WriteFile(name, tt.change(tc), 0o644)
				}
				if err != nil && !errors.Is(err, os.ErrNotExist) {
					t.Fatal(err)
				}
			}
			compareAnswers(t, tt.name, vocabularyOf(t, inc), want)
		})
	}
	for i, tc := range originals {
		data := tc.encode()
		data[len(data)/2] ^= 0x55
		if err := os.WriteFile(filepath.Join(inc, deletedTermsName(i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Open(inc)
		if err == nil {
			s.Close()
			t.Fatalf("shard %d: a damaged %s opened", i, deletedTermsName(i))
		}
		if !strings.Contains(err.Error(), deletedTermsName(i)) || !errors.Is(err, errDeletedCounts) {
			t.Errorf("shard %d damaged: %v, want an error naming the file", i, err)
		}
		for name, check := range map[string]func(string) (Stats, error){"Validate": Validate, "Check": Check} {
			if _, err := check(inc); !errors.Is(err, errDeletedCounts) || !strings.Contains(err.Error(), deletedTermsName(i)) {
				t.Errorf("shard %d damaged: %s: %v, want an error naming the file", i, name, err)
			}
		}
		if err := os.WriteFile(filepath.Join(inc, deletedTermsName(i)), tc.encode(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDeletedCountsDecode checks the file format: what encode writes
// decodes to the same counts, and malformed files are refused.
func TestDeletedCountsDecode(t *testing.T) {
	tc := &deletedCounts{docs: 3, fields: vocabularyFields()}
	tc.merge(map[string]uint32{"travail": 3, "travailleur": 1, "a": 70000})
	tc.merge(map[string]uint32{"données": 2, "travail": 1, "zz": 1})
	want := "3 [title_p body_p source_p] [a données travail travailleur zz] [70000 2 4 1 1]"
	if got := fmt.Sprint(tc.docs, tc.fields, tc.terms, tc.counts); got != want {
		t.Errorf("merged %s, want %s", got, want)
	}
	got, err := decodeDeletedCounts(tc.encode())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got.docs, got.fields, got.terms, got.counts) != want {
		t.Errorf("decoded %v, want %s", got, want)
	}
	good := tc.encode()
	for _, bad := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic", append([]byte("XDT1"), good[4:]...)},
		{"truncated", good[:len(good)-1]},
		{"checksum", append(slices.Clone(good[:len(good)-4]), 0, 0, 0, 0)},
		{"out of order", (&deletedCountsRaw{terms: []string{"b", "a"}}).encode()},
		{"trailing bytes", (&deletedCountsRaw{terms: []string{"a"}, trailing: true}).encode()},
		{"prefix too long", (&deletedCountsRaw{terms: []string{"a"}, shared: 5}).encode()},
		{"zero count", (&deletedCountsRaw{terms: []string{"a"}, zero: true}).encode()},
	} {
		if _, err := decodeDeletedCounts(bad.data); !errors.Is(err, errDeletedCounts) {
			t.Errorf("%s: %v, want a malformed file", bad.name, err)
		}
	}
}

// A deletedCountsRaw writes deleted-terms files as encode would not: terms
// in the order given, a bad shared prefix, counts of 0, a byte after the
// last term.
type deletedCountsRaw struct {
	terms    []string
	shared   int
	zero     bool // each term counted 0 times
	trailing bool
}

func (r *deletedCountsRaw) encode() []byte {
	buf := []byte(deletedTermsMagic)
	buf = append(buf, 1, 0, byte(len(r.terms)))
	for _, t := range r.terms {
		buf = append(buf, byte(r.shared), byte(len(t)))
		buf = append(buf, t...)
		if r.zero {
			buf = append(buf, 0)
		} else {
			buf = append(buf, 1)
		}
	}
	if r.trailing {
		buf = append(buf, 0)
	}
	return sealDeletedCounts(buf)
}

// FuzzDecodeDeletedCounts checks that decoding never panics and that what
// decodes encodes back to the same counts.
func FuzzDecodeDeletedCounts(f *testing.F) {
	tc := &deletedCounts{docs: 2, fields: vocabularyFields()}
	tc.merge(map[string]uint32{"travail": 2, "travailleur": 1})
	f.Add(tc.encode())
	f.Add((&deletedCountsRaw{terms: []string{"b", "a"}}).encode())
	f.Add([]byte(deletedTermsMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		tc, err := decodeDeletedCounts(data)
		if err != nil {
			return
		}
		again, err := decodeDeletedCounts(tc.encode())
		if err != nil {
			t.Fatalf("re-encoded: %v", err)
		}
		if fmt.Sprint(tc.docs, tc.fields, tc.terms, tc.counts) != fmt.Sprint(again.docs, again.fields, again.terms, again.counts) {
			t.Fatalf("decoded %v, then %v", tc, again)
		}
	})
}

// TestPlainDocumentTerms checks that the terms forDocumentTerms gives of
// the vocabulary's (plain) fields, analysing those only, are those the
// whole analysis gives of them, for every document of the bundled corpus;
// and that fields other than plain ones are still analysed.
func TestPlainDocumentTerms(t *testing.T) {
	s := bundled(t)
	a := newDocAnalyzer()
	fields := vocabularyFields()
	n := 0
	for doc := range uint32(s.maxDoc) {
		rec, err := s.docs.get(doc)
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		forDocumentTerms(a, rec, fields, func(term string) { got = append(got, term) })
		for field, stream := range a.streams(rec.document()) {
			if !slices.Contains(fields, field) {
				continue
			}
			seen := map[string]bool{}
			for _, tok := range stream {
				if !seen[string(tok.Term)] {
					seen[string(tok.Term)] = true
					want = append(want, string(tok.Term))
				}
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("document %d: %d terms %v, want %d %v", doc, len(got), got, len(want), want)
		}
		n += len(got)
		var stems []string
		forDocumentTerms(a, rec, []string{fieldBodyFR, fieldBodyEN}, func(term string) { stems = append(stems, term) })
		if len(stems) == 0 && len(rec.document().Paragraphs) > 0 {
			t.Fatalf("document %d: no stem", doc)
		}
	}
	if n == 0 {
		t.Fatal("no term")
	}
}
