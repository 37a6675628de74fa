package index

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// bleveStreams analyses a document field by field with the registered
// analyzers, as bleve would from the fields' text.
func bleveStreams(t *testing.T, d *corpus.Document) map[string][]string {
	t.Helper()
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	var all, fr, en []string
	for _, p := range d.Paragraphs {
		all = append(all, p.Text)
		if p.Lang == text.English {
			en = append(en, p.Text)
		} else {
			fr = append(fr, p.Text)
		}
	}
	values := map[string]string{
		fieldTitlePlain: d.Title,
		fieldBodyPlain:  strings.Join(all, "\n"),
		fieldBodyFR:     strings.Join(fr, "\n"),
		fieldBodyEN:     strings.Join(en, "\n"),
		fieldPairs:      d.Title + "\n" + strings.Join(all, "\n"),
		fieldSourceText: d.Source,
	}
	if d.TitleLang == text.English {
		values[fieldTitleEN] = d.Title
	} else {
		values[fieldTitleFR] = d.Title
	}
	out := map[string][]string{}
	for field, value := range values {
		for _, tok := range m.AnalyzerNamed(textFields()[field]).Analyze([]byte(value)) {
			out[field] = append(out[field], string(tok.Term))
		}
	}
	return out
}

func TestDocAnalyzerMatchesBleve(t *testing.T) {
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, corpus.Document{
		Title: "L’Ubérisation d'AMAZON's workers — micro-tâches, plates-formes", TitleLang: "fr", Source: "Le Monde · Été",
		Paragraphs: []corpus.Paragraph{
			{Text: "Qu’est-ce que le digital labor ? «Travail du clic», jusqu'à l'épuisement ; ÉCOLE, Œuvre, naïve.", Lang: "fr"},
			{Text: "The platforms’ owners' AI: humans-in-the-loop, on-demand services (2017).", Lang: "en"},
			{Text: "Ελληνικά ÇA İstanbul ß ﬁne 1er 0,75 $", Lang: "fr"},
		},
	})
	a := newDocAnalyzer()
	tagCount := 0
	defer func() {
		if tagCount == 0 {
			t.Error("no document was tagged: the tagging check proves nothing")
		}
	}()
	for i := range docs {
		d := &docs[i]
		want := bleveStreams(t, d)
		got := map[string][]string{}
		for field, stream := range a.streams(d) {
			for _, tok := range stream {
				got[field] = append(got[field], string(tok.Term))
			}
		}
		for field := range textFields() {
			g, w := slices.Clone(got[field]), slices.Clone(want[field])
			slices.Sort(g)
			slices.Sort(w)
			if !slices.Equal(g, w) {
				t.Errorf("%s %s:\n fast  %q\n bleve %q", d.ID, field, g, w)
			}
		}
		// The term frequencies given to bleve are those of the streams.
		fields, terms := a.counts(d, true)
		// The concepts tagged from those terms are those of the
		// taxonomy's own analysis.
		if len(terms) != 1+len(d.Paragraphs) {
			t.Fatalf("%s: terms of %d segments for a title and %d paragraphs", d.ID, len(terms), len(d.Paragraphs))
		}
		tagged, fromTerms := *d, *d
		tagged.Concepts, fromTerms.Concepts = nil, nil
		c.Taxonomy().Tag(&tagged)
		c.Taxonomy().TagTerms(&fromTerms, terms)
		if !reflect.DeepEqual(tagged.Concepts, fromTerms.Concepts) {
			t.Errorf("%s: tagged from the index's terms %v, by the taxonomy %v", d.ID, fromTerms.Concepts, tagged.Concepts)
		}
		tagCount += len(tagged.Concepts)
		counted := map[string]bool{}
		for _, f := range fields {
			counted[f.name] = true
			w := want[f.name]
			if f.length != len(w) {
				t.Errorf("%s %s: length %d, bleve %d", d.ID, f.name, f.length, len(w))
			}
			freq := map[string]int{}
			for _, term := range w {
				freq[term]++
			}
			if len(f.freqs) != len(freq) {
				t.Errorf("%s %s: %d terms, bleve %d", d.ID, f.name, len(f.freqs), len(freq))
			}
			for term, tf := range f.freqs {
				if string(tf.Term) != term || tf.Frequency() != freq[term] {
					t.Errorf("%s %s: %q (%q) counted %d times, bleve %d", d.ID, f.name, term, tf.Term, tf.Frequency(), freq[term])
				}
			}
		}
		for field, w := range want {
			if len(w) > 0 && !counted[field] {
				t.Errorf("%s %s: not counted, bleve has %d terms", d.ID, field, len(w))
			}
		}
	}
}
