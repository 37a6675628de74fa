package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestQueryMix(t *testing.T) {
	g, err := newGenerator(1)
	if err != nil {
		t.Fatal(err)
	}
	a, b := queryMix(g, 10000), queryMix(g, 10000)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("queryMix(seed 1, 10000) differs between two calls")
	}
	var names []string
	for _, c := range a {
		names = append(names, c.Name)
		if len(c.Queries) != queriesPerClass {
			t.Errorf("class %s: %d queries, want %d", c.Name, len(c.Queries), queriesPerClass)
		}
		for _, q := range c.Queries {
			if (q.Q == "") != (c.Name == classEmpty) {
				t.Errorf("class %s: query %+v: empty q only in %s", c.Name, q, classEmpty)
			}
			if !utf8.ValidString(q.Q) || !strings.HasPrefix(q.path(), "/api/v1/search?") || !strings.Contains(q.path(), "facets=source%2Cconcept%2Ckind%2Clang%2Cdate") {
				t.Errorf("class %s: path %q is not a faceted search", c.Name, q.path())
			}
		}
		t.Logf("%-13s %q %q %q", c.Name, c.Queries[0].path(), c.Queries[1].Q, c.Queries[2].Stock)
	}
	if want := classOrder()[:len(classOrder())-1]; !slices.Equal(names, want) {
		t.Errorf("classes = %v, want %v", names, want)
	}
}

func TestRareWordsOccur(t *testing.T) {
	const docs = 4000
	data, _ := genBytes(t, 1, docs, 2)
	g, err := newGenerator(1)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, q := range queryMix(g, docs)[0].Queries {
		n := bytes.Count(data, []byte(q.Q))
		if n > docs/20 {
			t.Errorf("rare word %q occurs %d times in %d documents", q.Q, n, docs)
		}
		if n > 0 {
			found++
		}
	}
	if found < queriesPerClass*6/10 {
		t.Errorf("%d of %d rare words occur in the corpus, want at least 60%%", found, queriesPerClass)
	}
}

func TestTypo(t *testing.T) {
	g, err := newGenerator(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queryMix(g, 1000)[5].Queries {
		r, _ := utf8.DecodeRuneInString(q.Q)
		found := false
		for _, w := range g.fr.contentWords() {
			if w == q.Q {
				t.Errorf("typo %q is a word of the lexicon", q.Q)
			}
			if first, _ := utf8.DecodeRuneInString(w); first == r {
				found = true
			}
		}
		if !found {
			t.Errorf("typo %q changed the first letter", q.Q)
		}
	}
}

func TestMeasureCountsErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			io.WriteString(w, `{"status":"ok"}`)
		case "/api/v1/search":
			if r.URL.Query().Get("q") == "" {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"query":"x","total":3,"hits":[]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	var log bytes.Buffer
	res, err := load(context.Background(), loadOptions{URL: srv.URL, Clients: []int{1, 2}, Duration: 30 * time.Millisecond, Seed: 1, Docs: 1000, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2*len(classOrder()) {
		t.Fatalf("load = %d results, want %d", len(res), 2*len(classOrder()))
	}
	for _, r := range res {
		switch r.Class {
		case classEmpty:
			if r.Requests != 0 || r.Non200 == 0 || r.Statuses[503] != r.Non200 {
				t.Errorf("%s at %d clients: %d ok, %d non-200 %v, want all 503", r.Class, r.Clients, r.Requests, r.Non200, r.Statuses)
			}
		default:
			if r.Requests == 0 || r.Non200 != 0 || r.Errors != 0 {
				t.Errorf("%s at %d clients: %d ok, %d non-200, %d errors, want only 200s", r.Class, r.Clients, r.Requests, r.Non200, r.Errors)
			}
			if r.Class != classHealthz && r.MeanHits != 3 {
				t.Errorf("%s: mean hits %g, want 3", r.Class, r.MeanHits)
			}
			// The fake answers have no facets: the check must say so.
			if r.Class != classHealthz && !strings.Contains(r.Check, "facets.source") {
				t.Errorf("%s: check = %q, want the missing facets named", r.Class, r.Check)
			}
		}
	}
	if !strings.Contains(log.String(), "non-200") {
		t.Errorf("progress lines do not show the non-200 answers:\n%s", log.String())
	}
	// A server that is gone: transport errors, counted as such.
	srv.Close()
	res, err = load(context.Background(), loadOptions{URL: srv.URL, Clients: []int{1}, Duration: 10 * time.Millisecond, Seed: 1, Docs: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Errors == 0 || res[0].Requests != 0 || res[0].FirstError == "" {
		t.Errorf("load of a closed server: %d errors, %d ok, first error %q; want errors only", res[0].Errors, res[0].Requests, res[0].FirstError)
	}
}

func TestRunGen(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"gen", "--docs", "50", "--seed", "2", "--out", dir}, os.Getenv, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run(gen): %v\n%s", err, stderr.String())
	}
	st, err := readGenStats(dir)
	if err != nil || st.Docs != 50 || st.Seed != 2 || st.Generator != generatorVersion {
		t.Errorf("stats = %+v, %v; want 50 docs of seed 2", st, err)
	}
	for _, f := range []string{corpusFile, manifestFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("gen wrote no %s: %v", f, err)
		}
	}
	bad := [][]string{
		nil,
		{"nope"},
		{"gen"},
		{"gen", "--docs", "0", "--out", dir},
		{"load", "--clients", "0"},
		{"stock"},
		{"run", "--size", "3k"},
	}
	for _, args := range bad {
		if err := run(context.Background(), args, os.Getenv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want the usage error", args, err)
		}
	}
}
