package main

import (
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrendsKWICExport(t *testing.T) {
	idx := filepath.Join(t.TempDir(), "index")
	if _, _, err := runCLI(t, nil, "index", "--index", idx); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TACHERON_INDEX": idx}
	out, _, err := runCLI(t, env, "trends", "--interval", "month", "--series", "q=plateformes", "--series", "concept=micro-travail&label=micro", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 3 || rows[0][2] != "period" || rows[len(rows)-1][1] != "micro" {
		t.Errorf("trends csv (%v):\n%s", err, out)
	}
	out, _, err = runCLI(t, env, "kwic", "--context", "3", "--source", "Slate", "plateformes")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "occurrences in 1 documents") || !strings.Contains(strings.ToLower(out), "[plateforme") {
		t.Errorf("kwic output:\n%s", out)
	}
	out, _, err = runCLI(t, env, "kwic", "--format", "csv", "--limit", "0", "plateformes")
	if err != nil {
		t.Fatal(err)
	}
	if rows, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil || len(rows) < 2 || rows[0][9] != "keyword" {
		t.Errorf("kwic csv (%v):\n%s", err, out)
	}
	for _, format := range []string{"csv", "jsonl", "ris", "bibtex"} {
		out, stderr, err := runCLI(t, env, "export", "--format", format, "--no-related", "--kind", "press", "travail")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr, "documents with every word, 0 related") || !strings.Contains(out, "2017-") {
			t.Errorf("export --format %s: %s\n%s", format, stderr, out)
		}
	}
	if _, _, err := runCLI(t, env, "export", "--format", "pdf", "x"); err == nil {
		t.Error("export --format pdf: no error")
	}
}
