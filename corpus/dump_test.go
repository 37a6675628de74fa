package corpus

import (
	"context"
	"fmt"
	"testing"
)

func TestDump(t *testing.T) {
	c, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		fmt.Printf("%-45s | %-25s | %-12s | %s %s-%s | %s/%s | %d paras | parent=%s | %v\n", d.ID, d.Source, d.Kind, d.Date, d.DateFrom, d.DateTo, d.Lang, d.TitleLang, len(d.Paragraphs), d.Parent, d.ConceptIDs())
	}
	for _, d := range docs {
		if len(d.Boilerplate) > 0 {
			fmt.Printf("BOILER %s: %q\n", d.ID, d.Boilerplate)
		}
		for _, p := range d.Paragraphs {
			if p.Lang == "en" {
				fmt.Printf("EN %s: %.80s\n", d.ID, p.Text)
			}
		}
	}
}
