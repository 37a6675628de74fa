package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"tacheron/index"
)

func TestSafeCells(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"}, {"+33 1", "'+33 1"}, {"-2", "'-2"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"}, {"Le Monde", "Le Monde"}, {"", ""}, {"a=b", "a=b"},
	} {
		if got := SafeCells([]string{tt.in})[0]; got != tt.want {
			t.Errorf("SafeCells(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBibEscape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"50 % & $5 #1 a_b", `50 \% \& \$5 \#1 a\_b`}, {"{x}", `\{x\}`}, {`a\b`, `a\textbackslash{}b`}, {"é ü", "é ü"},
	} {
		if got := bibEscape(tt.in); got != tt.want {
			t.Errorf("bibEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var record = index.Record{ID: "2017-03-22-qui-entraine-les-ia", Title: "Qui entraîne les IA ?\nSuite", Source: "Le Monde", Kind: "press",
	Date: "2017-03-22", Published: "2017-03-22T09:15:00+01:00", Lang: "fr", Concepts: []string{"micro-travail", "intelligence-artificielle"}, URL: "https://example.org/a b",
	Authors: []string{"Antonio A. Casilli", "Paola Tubaro"}, Abstract: "Des {humains} à 100 %.", Match: "all"}

func TestWriters(t *testing.T) {
	for _, tt := range []struct {
		format string
		want   []string
	}{
		{"csv", []string{"id,title,authors,", "2017-03-22-qui-entraine-les-ia,\"Qui entraîne les IA ?\nSuite\",Antonio A. Casilli; Paola Tubaro,Le Monde,press,2017-03-22,fr,micro-travail; intelligence-artificielle,https://example.org/a b,all,Des {humains} à 100 %.,2017-03-22T09:15:00+01:00"}},
		{"jsonl", []string{`{"id":"2017-03-22-qui-entraine-les-ia","title":"Qui entraîne les IA ?\nSuite","authors":["Antonio A. Casilli","Paola Tubaro"]`, `"date":"2017-03-22","published":"2017-03-22T09:15:00+01:00","lang":"fr"`}},
		{"ris", []string{"TY  - NEWS\r\n", "TI  - Qui entraîne les IA ? Suite\r\n", "AU  - Antonio A. Casilli\r\nAU  - Paola Tubaro\r\n", "T2  - Le Monde\r\n", "PY  - 2017\r\nDA  - 2017/03/22\r\n", "UR  - https://example.org/a b\r\n", "KW  - micro-travail\r\n", "ER  - \r\n"}},
		{"bibtex", []string{"@article{2017-03-22-qui-entraine-les-ia,\n", "  author = {Antonio A. Casilli and Paola Tubaro},\n", "  journal = {Le Monde},\n", "  url = {https://example.org/a%20b},\n", `  abstract = {Des \{humains\} à 100 \%.},`}},
	} {
		var b bytes.Buffer
		w, err := NewWriter(tt.format, &b)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Header(); err != nil {
			t.Fatal(err)
		}
		if err := w.Record(record); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		for _, want := range tt.want {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: %q is not in\n%s", tt.format, want, b.String())
			}
		}
		if tt.format == "csv" {
			if rows, err := csv.NewReader(&b).ReadAll(); err != nil || len(rows) != 2 || len(rows[0]) != len(rows[1]) {
				t.Errorf("csv: %d rows (%v)", len(rows), err)
			}
		}
	}
	if _, err := NewWriter("pdf", &bytes.Buffer{}); err == nil {
		t.Error("NewWriter(pdf): no error")
	}
}
