package index

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// TestSnippetsShowWhyDocumentsMatch: a hit whose body holds the query's
// compound as a whole shows a passage with the whole compound marked, not
// only passages that mark a part of it; no snippet doubles an ellipsis.
func TestSnippetsShowWhyDocumentsMatch(t *testing.T) {
	s := bundled(t)
	tests := []struct {
		query string
		forms []string // folded forms of the whole compound in a body
	}{
		{"micro-travail", []string{"micro-travail", "microtravail"}},
		{"microtravail", []string{"micro-travail", "microtravail"}},
		{"plates-formes", []string{"plates-formes", "plateformes"}},
	}
	for _, tt := range tests {
		res := search(t, Request{Query: tt.query, Highlight: true, Limit: 50})
		checked := 0
		for _, h := range res.Hits {
			rec, err := s.docs.get(s.docNum(t, h.ID))
			if err != nil {
				t.Fatal(err)
			}
			body := text.Fold(rec.body)
			has := false
			for _, f := range tt.forms {
				has = has || regexp.MustCompile(`(^|[^\pL-])`+f+`([^\pL-]|$)`).MatchString(body)
			}
			if !has {
				continue
			}
			checked++
			shown := false
			for _, snip := range h.Highlights["body"] {
				for _, f := range tt.forms {
					// The compound alone or inside a marked phrase.
					shown = shown || regexp.MustCompile(`<mark>([^<]* )?`+f+`( [^<]*)?</mark>`).MatchString(text.Fold(snip))
				}
			}
			if !shown {
				t.Errorf("%q: %s holds the compound but its snippets mark only parts: %q", tt.query, h.ID, h.Highlights["body"])
			}
		}
		if checked == 0 {
			t.Errorf("%q: no hit holds the compound", tt.query)
		}
	}
	for _, q := range []string{"micro-travail", "travailleurs", "plateformes", "digital labor", "amazon"} {
		for _, h := range search(t, Request{Query: q, Highlight: true, Limit: 50}).Hits {
			for _, snip := range h.Highlights["body"] {
				if strings.Contains(snip, "… …") || strings.Contains(snip, "…… ") || strings.Contains(snip, "... …") || strings.Contains(snip, "… ...") {
					t.Errorf("%q: %s: doubled ellipsis in %q", q, h.ID, snip)
				}
			}
		}
	}
}

// docNum returns the document number of id.
func (s *Snapshot) docNum(t *testing.T, id string) uint32 {
	t.Helper()
	for doc := range uint32(s.maxDoc) {
		if rec, err := s.docs.get(doc); err == nil && rec.id == id {
			return doc
		}
	}
	t.Fatalf("no document %s", id)
	return 0
}

// TestHighlightSameEveryTime: the same request marks the same words every
// time, even in a paragraph where one query word's first letters occur
// more often than the places highlighting looks at.
func TestHighlightSameEveryTime(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("Le travail des plateformes est un travail. ", 30) + "Le micro-travail est invisible."
	doc := fmt.Sprintf(`{"title": "Une page", "date": "2017-03-01", "lang": "fr", "body": %q}`+"\n", long)
	if err := os.WriteFile(filepath.Join(dir, "docs.jsonl"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	snapDir := filepath.Join(t.TempDir(), "snap")
	if _, err := Build(context.Background(), c, snapDir, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := Open(snapDir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req := Request{Query: "plateformes micro-travail", Highlight: true}
	const runs = 50
	results := make([]map[string][]string, runs)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Go(func() {
			res, err := s.Search(context.Background(), req)
			if err != nil || len(res.Hits) != 1 {
				t.Errorf("search: %v, %v", res, err)
				return
			}
			results[i] = res.Hits[0].Highlights
		})
	}
	wg.Wait()
	for i := 1; i < runs; i++ {
		if !reflect.DeepEqual(results[i], results[0]) {
			t.Fatalf("run %d highlights\n%q\nrun 0\n%q", i, results[i], results[0])
		}
	}
	if body := strings.Join(results[0]["body"], " "); !strings.Contains(body, "<mark>micro-travail</mark>") {
		t.Errorf("the compound is not marked: %q", body)
	}
}

// TestSnippetLanguages: each body snippet says its paragraph's language,
// so that an English passage of a French document is read as English.
func TestSnippetLanguages(t *testing.T) {
	unmark := strings.NewReplacer("<mark>", "", "</mark>", "")
	english := 0
	for _, q := range []string{"workers", "crowdsourcing platforms", "artificial intelligence", "travail"} {
		for _, h := range search(t, Request{Query: q, Limit: 50, Highlight: true}).Hits {
			body, langs := h.Highlights["body"], h.Highlights["body_lang"]
			if len(langs) != len(body) {
				t.Fatalf("%q %s: %d snippets, %d languages", q, h.ID, len(body), len(langs))
			}
			doc, err := bundled(t).Document(context.Background(), h.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			for i, sn := range body {
				text := strings.Trim(html.UnescapeString(unmark.Replace(sn)), "… ")
				found := false
				for _, p := range doc.Paragraphs {
					if strings.Contains(p.Text, text) {
						found = true
						if p.Lang != langs[i] {
							t.Errorf("%q %s: snippet %q marked %s, its paragraph is %s", q, h.ID, text, langs[i], p.Lang)
						}
					}
				}
				if !found {
					t.Errorf("%q %s: snippet %q is in no paragraph", q, h.ID, text)
				}
				if langs[i] == "en" && h.Lang == "fr" {
					english++
				}
			}
		}
	}
	if english == 0 {
		t.Error("no English snippet of a French document: the test says nothing")
	}
}

// TestWindowSpansAsTokenized checks that the matches of a window found from
// its paragraph's words, tokenized once and kept, are those found by
// tokenizing the window itself, for every window of every document.
func TestWindowSpansAsTokenized(t *testing.T) {
	s := bundled(t)
	queries := []string{"micro-travail", "travail digital", "Mechanical Turk", "plateformes", "l'uberisation", "crowdworkers", `"travail du clic"`, "automatisaton", "smyrn"}
	windows := 0
	for _, q := range queries {
		p, err := s.planQuery(context.Background(), ParseQuery(q))
		if err != nil {
			t.Fatal(err)
		}
		h := s.planHighlighter(p)
		for doc := range s.maxDoc {
			rec, err := s.docs.get(uint32(doc))
			if err != nil {
				t.Fatal(err)
			}
			h.of(rec)
			for i, fp := range rec.paragraphs() {
				lang := "fr"
				if i < len(rec.paragraphLangs) && rec.paragraphLangs[i] == 'e' {
					lang = "en"
				}
				for _, w := range slices.Clone(h.windows(fp)) {
					kept := slices.Clone(h.windowSpans(fp, w[0], w[1], 1000, lang))
					tokenized := h.spans(fp.text[w[0]:w[1]], 1000+w[0], lang)
					if !slices.Equal(kept, tokenized) {
						t.Fatalf("%q, %s, window %v: from kept words %v, tokenized %v", q, rec.id, w, kept, tokenized)
					}
					windows++
				}
			}
		}
	}
	if windows < 100 {
		t.Fatalf("only %d windows checked", windows)
	}
}
