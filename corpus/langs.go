package corpus

import "tacheron/corpus/analysis"

// DetectLanguages sets the language of each of d's paragraphs that has none,
// of its title and of the whole document, from their words; fallback is
// assumed where the words cannot tell. Format readers call it once the body
// is in place.
func (d *Document) DetectLanguages(fallback analysis.Lang) {
	for i := range d.Paragraphs {
		if d.Paragraphs[i].Lang == "" {
			d.Paragraphs[i].Lang = analysis.DetectLanguage(d.Paragraphs[i].Text, fallback)
		}
	}
	d.TitleLang = analysis.DetectLanguage(d.Title, "")
	d.Lang = documentLang(d.Paragraphs, d.TitleLang, fallback)
	if d.TitleLang == "" {
		d.TitleLang = d.Lang
	}
}
