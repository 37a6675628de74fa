package press

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/formattest"
)

func TestNexisPDFLines(t *testing.T) {
	tests := []struct {
		name string
		in   string // pages separated by form feeds
		want string // the lines kept, "/" between them
	}{
		{"running header under the page number, on an article's first page too",
			"   Page 1 of 2\nHeadline\n\nHeadline\n\nThe Post\n\nText that goes\f   Page 2 of 2\nHeadline\n\non the next page.\n\nEnd of Document\n",
			"Headline//The Post//Text that goes/on the next page.//End of Document"},
		{"no running header on an article's first page: its headline opens the article",
			"Page 1 of 3\nFirst\n\nBody\n\nText.\fPage 2 of 3\nFirst\n\nMore.\n\nEnd of Document\fPage 3 of 3\nSecond\n\nBody\n",
			"First//Body//Text.//More.//End of Document//Second//Body"},
		{"page number on the header's line, footers alike on every page",
			"Headline        Page 1 of 2\nHeadline\nText\n\nLibrary 2019\fHeadline        Page 2 of 2\nEnd of Document\n\nLibrary 2020\n",
			"Headline/Text//End of Document"},
		{"the download's own lines stay at the bottom of every page",
			"Page 1 of 2\nA\n\nB\n\nEnd of Document\fPage 2 of 2\nC\n\nD\n\nEnd of Document\f",
			"A//B//End of Document//C//D//End of Document"},
		{"a lone number inside a page stays",
			"Title\n\n2019\n\nText\n\n3\n", "Title//2019//Text"},
	}
	for _, tt := range tests {
		lines, pages := nexisPDFLines(tt.in, false)
		if got := strings.Join(lines, "/"); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if len(pages) != len(lines) {
			t.Errorf("%s: %d pages for %d lines", tt.name, len(pages), len(lines))
		}
	}
}

// paginate cuts a text download into pages of about every lines, at blank
// lines, in a page frame as pdftotext -layout gives it: a header line and
// "Page n of m" at the bottom, pages separated by form feeds.
func paginate(text string, every int) string {
	var pages [][]string
	var cur []string
	for l := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if len(cur) >= every && strings.TrimSpace(l) == "" {
			pages = append(pages, cur)
			cur = nil
			continue
		}
		cur = append(cur, l)
	}
	pages = append(pages, cur)
	var b strings.Builder
	for i, p := range pages {
		fmt.Fprintf(&b, "              Université Exemple — LexisNexis\n\n%s\n\n%50s\n\f", strings.Join(p, "\n"), fmt.Sprintf("Page %d of %d", i+1, len(pages)))
	}
	return b.String()
}

// TestNexisPDFSameAsText reads the text fixtures, paginated in a page
// frame, as a PDF download's text: the documents are the text download's.
func TestNexisPDFSameAsText(t *testing.T) {
	for _, name := range []string{"lexisnexis-text.txt", "nexis-uni.txt"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := formattest.Read(t, LexisNexisText(), name, data)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := readText(name, bytes.NewReader(data)) // Windows-1252 decoded
		if err != nil {
			t.Fatal(err)
		}
		text := paginate(strings.Join(lines, "\n"), 12)
		if strings.Count(text, "\f") < 3 {
			t.Fatalf("%s: %d pages, want 3 at least", name, strings.Count(text, "\f"))
		}
		if !NexisUniPDF().Claims(text) {
			t.Errorf("%s: not claimed", name)
			continue
		}
		var got []corpus.Document
		if err := NexisUniPDF().Split(name, text, func(d corpus.Document) error {
			got = append(got, d)
			return nil
		}); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		if string(g) != string(w) {
			t.Errorf("%s as a PDF's text:\n%s\nas text:\n%s", name, g, w)
		}
	}
}

func TestNexisPDFClaims(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Title\n\n        1 of 2 DOCUMENTS\n\nText\f", true},
		{"Load-Date:\u00a0March 3, 2017\fLength:\u00a0300 words\n\nEnd of Document\n", true},
		{"A report\n\nLoad-Date: March 3, 2017\n\nEnd of Document\n", false},
		{"See 1 of 2 DOCUMENTS in the annex.\n", false},
	}
	for _, tt := range tests {
		if got := NexisUniPDF().Claims(tt.text); got != tt.want {
			t.Errorf("Claims(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// FuzzNexisPDF splits a text as pdftotext gives a PDF download's.
func FuzzNexisPDF(f *testing.F) {
	f.Add("   Page 1 of 2\nHeadline\n\nHeadline\n\nThe Post\n\nMarch 2, 2017 Thursday\n\nLength:\u00a03 words\n\nBody\n\nText\fPage 2 of 2\nHeadline\n\ngoes on.\n\nLoad-Date: March 3, 2017\n\nEnd of Document\n\f")
	f.Add("1 of 2 DOCUMENTS\n\nThe Times\n\nMarch 2, 2017\n\nHeadline\n\nLENGTH: 3 words\n\nText.\f2 of 2 DOCUMENTS\n\nX\f")
	f.Add("\f\f\n\fPage 1 of 1\n\n")
	f.Fuzz(func(t *testing.T, text string) {
		if !NexisUniPDF().Claims(text) {
			return
		}
		err := NexisUniPDF().Split("fuzz.pdf", text, func(d corpus.Document) error {
			if d.ID == "" || d.Title == "" || d.Date == "" {
				t.Errorf("incomplete document %+v", d)
			}
			return nil
		})
		var perr *Error
		if err != nil && !errors.As(err, &perr) {
			t.Errorf("error %v is not a *press.Error", err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.pdf: ") {
			t.Errorf("error %v does not name the file", err)
		}
	})
}
