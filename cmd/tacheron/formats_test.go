package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/index/store"
)

// TestIndexMixedFolder indexes a folder holding one file of each format,
// in subfolders and under misleading names, in one run.
func TestIndexMixedFolder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"../../corpus/wordpress/testdata/wxr12.xml":            "blog/export.xml",
		"../../corpus/feed/testdata/atom.xml":                  "feeds/newsroom.rss",
		"../../corpus/feed/testdata/rss2.xml":                  "feeds/diplab.xml",
		"../../corpus/markdown/testdata/hugo-yaml.md":          "notes/livre.md",
		"../../corpus/markdown/testdata/reunion.txt":           "notes/reunion.txt",
		"../../corpus/csv/testdata/articles-fr.csv":            "tableur.txt",
		"../../corpus/pdf/testdata/rapport.pdf":                "rapports/rapport.bin",
		"../../corpus/press/testdata/europresse-article.html":  "presse/europresse-mars.htm",
		"../../corpus/web/testdata/news-og.html":               "pages/news-og.html",
		"../../corpus/data/casilli-blog-2017-03.txt":           "archive/casilli-blog-2017-03.txt",
		"../../corpus/data/casilli-blog-2017-03.manifest.json": "archive/casilli-blog-2017-03.manifest.json",
	}
	for from, to := range files {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(to)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The same feed saved twice: its entries are kept once.
	if data, err := os.ReadFile("../../corpus/feed/testdata/rss2.xml"); err == nil {
		os.WriteFile(filepath.Join(dir, "feeds/diplab-again.xml"), data, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "photo.jpg"), []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), 0o644)
	idx := filepath.Join(t.TempDir(), "index")
	_, _, err := runCLI(t, nil, "index", "--corpus", dir, "--index", idx)
	if err == nil || !strings.Contains(err.Error(), "photo.jpg: format not recognised") || !strings.Contains(err.Error(), "--skip-unsupported") {
		t.Fatalf("index with an unknown file: %v, want an error naming photo.jpg", err)
	}
	out, errOut, err := runCLI(t, nil, "index", "--corpus", dir, "--index", idx, "--skip-unsupported")
	if err != nil {
		t.Fatal(err)
	}
	// 5 posts, 3 + 3 entries, 2 notes, 2 rows, 1 PDF, 4 press articles, 1
	// web page, 25 archive records.
	if !strings.Contains(out, "indexed 46 documents") || !strings.Contains(out, "(1 unsupported files skipped)") ||
		!strings.Contains(out, "(3 documents read twice, kept once)") {
		t.Errorf("summary = %q", out)
	}
	if !strings.Contains(errOut, "skipped photo.jpg: format not recognised") {
		t.Errorf("stderr = %q, want the skipped file listed", errOut)
	}
	live := store.NewLive(store.Open(idx))
	defer live.Close()
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"https://travail-plateformes.example.org/?p=101":  "Antonio A. Casilli",
		"tag:news.example.com,2024:/2024/05/data-workers": "Jane Doe",
		"notes/livre.md":                   "Antonio A. Casilli",
		"rapports/rapport.bin":             "Paola Tubaro",
		"2017-03-22-les-tacherons-du-clic": "Claire Legros",
		"news·20170322·UK·20170322×c0049":  "Gabriel Simeon",
		"pages/news-og.html":               "Jane Roe",
	} {
		d, err := live.Document(t.Context(), id, "")
		if err != nil || len(d.Authors) == 0 || d.Authors[0] != want {
			t.Errorf("document %q: %v, %+v; want first author %q", id, err, d, want)
		}
	}
}
