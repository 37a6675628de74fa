package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/formats"
)

// TestIncrementalKeepsReprintsAndFormats builds a corpus of JSON Lines
// files, an RSS feed, a WordPress export, Word files (a Nexis Uni download
// and a note) and an Europresse PDF export incrementally, round after
// round, and checks each snapshot against a full build of the same
// corpus: the groups of reprints (one of whose members is in a file not
// read again), the answers, and the documents deleted with a removed
// multi-document file.
func TestIncrementalKeepsReprintsAndFormats(t *testing.T) {
	article := "Chez Google, il n'y a pas de petites économies. Un internaute veut changer son mot de passe ? " +
		"Alors qu'il pense simplement prouver qu'il n'est pas un robot en cliquant sur un panneau de signalisation " +
		"dans une série d'images, il entraîne les intelligences artificielles développées par l'entreprise. " +
		"L'intelligence artificielle a beau promettre un futur rempli de machines entièrement autonomes, elle a " +
		"encore besoin en coulisses de millions de petites actions humaines, payées quelques centimes la tâche."
	src := t.TempDir()
	write := func(name string, records ...corpus.Record) {
		t.Helper()
		var lines []string
		for _, r := range records {
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, string(data))
		}
		if err := os.WriteFile(filepath.Join(src, name), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyIn := func(from, name string) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a-press.jsonl", corpus.Record{ID: "press-1", Title: "Les internautes travaillent aussi pour les géants du Web", Source: "Le Figaro", Kind: corpus.Press, Date: "2017-03-22", Body: article})
	write("b-blog.jsonl", corpus.Record{ID: "blog-1", Title: "Qui entraîne les IA ?", Source: "Blog", Date: "2017-03-22",
		Body: "Dans Le Figaro de ce jour, un article sur le digital labor.\n\n" + article})
	write("c-other.jsonl", corpus.Record{ID: "other-1", Title: "Un autre sujet", Source: "Blog", Date: "2017-03-23", Body: "Le séminaire reprend la semaine prochaine."})
	copyIn(filepath.Join("..", "corpus", "feed", "testdata", "rss2.xml"), "d-feed.xml")
	copyIn(filepath.Join("..", "corpus", "wordpress", "testdata", "wxr12.xml"), "e-blog.xml")
	copyIn(filepath.Join("..", "corpus", "word", "testdata", "nexis-uni.docx"), "f-nexis.docx")
	copyIn(filepath.Join("..", "corpus", "word", "testdata", "2019-04-12-notes.docx"), "g-notes.docx")
	copyIn(filepath.Join("..", "corpus", "pdf", "testdata", "europresse.pdf"), "h-europresse.pdf")

	root := t.TempDir()
	build := func(name, previous string) (string, *Stats) {
		t.Helper()
		c, err := corpus.OpenDir(src, corpus.WithFormats(formats.All()...))
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, name)
		st, err := Build(context.Background(), c, dir, BuildOptions{BatchSize: 2, Previous: previous})
		if err != nil {
			t.Fatalf("build %s: %v", name, err)
		}
		return dir, st
	}
	groups := func(dir string) string {
		t.Helper()
		g, err := loadReprints(dir)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(g)
	}
	prev, first := build("inc-0", "")
	if first.ReprintGroups != 1 {
		t.Fatalf("first build: %d groups of reprints, want 1", first.ReprintGroups)
	}
	// The Word and PDF files are read, one document per article.
	snap0, err := Open(prev)
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"labelers": "lexisnexis-2019-12-19-", "coursiers indépendants": "news·20171005·LI·xyz789", "clic entraînent": "g-notes.docx"} {
		res, err := snap0.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			found = found || strings.HasPrefix(h.ID, want)
		}
		if !found {
			t.Errorf("first build: %q finds %d hits, none with an id starting %s", q, res.Total, want)
		}
	}
	snap0.Close()
	rounds := []struct {
		name   string
		change func()
		groups int
	}{
		{"another file changed", func() {
			write("c-other.jsonl", corpus.Record{ID: "other-1", Title: "Un autre sujet", Source: "Blog", Date: "2017-03-23", Body: "Le séminaire reprend la semaine prochaine."},
				corpus.Record{ID: "other-2", Title: "Et encore un", Source: "Blog", Date: "2017-03-24", Body: "Les coursiers des plateformes de livraison."})
		}, 1},
		{"the feed removed", func() {
			if err := os.Remove(filepath.Join(src, "d-feed.xml")); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"the Word download and the PDF export removed, the note renamed", func() {
			for _, name := range []string{"f-nexis.docx", "h-europresse.pdf"} {
				if err := os.Remove(filepath.Join(src, name)); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Rename(filepath.Join(src, "g-notes.docx"), filepath.Join(src, "g-notes-2.docx")); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"the reprint removed", func() {
			if err := os.Remove(filepath.Join(src, "b-blog.jsonl")); err != nil {
				t.Fatal(err)
			}
		}, 0},
	}
	for i, r := range rounds {
		r.change()
		inc, ist := build(fmt.Sprintf("inc-%d", i+1), prev)
		full, fst := build(fmt.Sprintf("full-%d", i+1), "")
		if ist.Incremental == nil || ist.Incremental.FilesReused == 0 {
			t.Fatalf("%s: not incremental (%s, %+v)", r.name, ist.FullReason, ist.Incremental)
		}
		if ist.ReprintGroups != r.groups || fst.ReprintGroups != r.groups {
			t.Errorf("%s: %d groups of reprints incrementally, %d in full, want %d", r.name, ist.ReprintGroups, fst.ReprintGroups, r.groups)
		}
		if g, w := groups(inc), groups(full); g != w {
			t.Errorf("%s: groups %s incrementally, %s in full", r.name, g, w)
		}
		if ist.Documents != fst.Documents {
			t.Errorf("%s: %d documents incrementally, %d in full", r.name, ist.Documents, fst.Documents)
		}
		isnap, err := Open(inc)
		if err != nil {
			t.Fatal(err)
		}
		fsnap, err := Open(full)
		if err != nil {
			t.Fatal(err)
		}
		compareAnswers(t, r.name, answers(t, isnap), answers(t, fsnap))
		for _, q := range []string{"intelligence artificielle", "micro-travail", "séminaire"} {
			ir, err := isnap.Search(context.Background(), Request{Query: q, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			fr, err := fsnap.Search(context.Background(), Request{Query: q, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			ids := func(res *Result) []string {
				var out []string
				for _, h := range res.Hits {
					out = append(out, fmt.Sprint(h.ID, h.Reprints))
				}
				return out
			}
			if !slices.Equal(ids(ir), ids(fr)) || ir.Total != fr.Total {
				t.Errorf("%s: %q: %d %v incrementally, %d %v in full", r.name, q, ir.Total, ids(ir), fr.Total, ids(fr))
			}
		}
		isnap.Close()
		fsnap.Close()
		prev = inc
	}
}
