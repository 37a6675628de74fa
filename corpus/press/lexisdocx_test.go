package press

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/docx"
)

func TestParagraphGroups(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Headline\nover two lines", `[["Headline" "over two lines"]]`},
		{"Load-Date: March 23, 2017\nEnd of Document", `[["Load-Date: March 23, 2017"] ["End of Document"]]`},
		{"Load-Date: March 23, 2017End of Document", `[["Load-Date: March 23, 2017"] ["End of Document"]]`},
		{"End of Document\n2 of 3 DOCUMENTS\nThe Times", `[["End of Document"] ["2 of 3 DOCUMENTS"] ["The Times"]]`},
		{"The sentence ends with the end of document", `[["The sentence ends with the end of document"]]`},
		{"\u00a0\n \n", "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf("%q", paragraphGroups(tt.in)); got != tt.want {
			t.Errorf("paragraphGroups(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// FuzzNexisDOCX splits paragraphs (one a line of the input) as a Word
// download's.
func FuzzNexisDOCX(f *testing.F) {
	f.Add("Headline\nThe Post\nMarch 2, 2017 Thursday\nLength:\u00a03 words\nBody\nText.\nLoad-Date: March 3, 2017\nEnd of Document")
	f.Add("1 of 2 DOCUMENTS\nThe Times\nMarch 2, 2017\nHeadline\nLENGTH: 3 words\nText.\n2 of 2 DOCUMENTS\nX")
	f.Add("End of Document\nEnd of Document\n\n")
	f.Fuzz(func(t *testing.T, text string) {
		paras := strings.Split(text, "\n")
		if !NexisUniDOCX().Claims(paras) {
			return
		}
		each := func(fn func(docx.Paragraph) error) error {
			for i, p := range paras {
				if err := fn(docx.Paragraph{Text: p, N: i + 1, Links: []string{"https://advance.lexis.com/api/document?id=urn:contentItem:" + fmt.Sprint(i) + "ABCDEFGH"}}); err != nil {
					return err
				}
			}
			return nil
		}
		err := NexisUniDOCX().Split("fuzz.docx", each, func(d corpus.Document) error {
			if d.ID == "" || d.Title == "" || d.Date == "" {
				t.Errorf("incomplete document %+v", d)
			}
			return nil
		})
		var perr *Error
		if err != nil && !errors.As(err, &perr) {
			t.Errorf("error %v is not a *press.Error", err)
		}
	})
}
