package meili

import (
	"context"
	"html"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"tacheron/index"
)

// Shaping hits as Meilisearch does: the retrieved attributes, and
// _formatted with the highlighted and cropped ones. tacheron highlights
// title and body — every kind of match its search makes (stems, folded
// accents, typos, prefixes, concepts) — and gives the body as snippets
// around the best passages; a crop of the body is cut from the best
// snippet. The other attributes appear in _formatted as they are.

// A piece is a run of text, matched or not.
type piece struct {
	text string
	mark bool
}

// markedPieces splits tacheron's highlighted HTML (escaped text with
// matches in <mark>) into unescaped pieces.
func markedPieces(s string) []piece {
	var out []piece
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			out = append(out, piece{text: html.UnescapeString(s)})
			break
		}
		if i > 0 {
			out = append(out, piece{text: html.UnescapeString(s[:i])})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			j = len(s)
		}
		out = append(out, piece{text: html.UnescapeString(s[:j]), mark: true})
		s = s[min(len(s), j+len(markClose)):]
	}
	return out
}

// The marks of tacheron's highlights.
const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// A formatter renders pieces with a search's tags and marker.
type formatter struct {
	pre, post, marker string
}

// render writes pieces, matches between the tags when highlight is set.
func (f formatter) render(ps []piece, highlight bool) string {
	var b strings.Builder
	for _, p := range ps {
		if p.mark && highlight && p.text != "" {
			b.WriteString(f.pre)
			b.WriteString(p.text)
			b.WriteString(f.post)
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// snippetPieces splits a tacheron snippet into pieces, and reports whether
// it was cut before or after ("… " and " …" at its ends).
func snippetPieces(s string) (ps []piece, cutBefore, cutAfter bool) {
	if rest, ok := strings.CutPrefix(s, "… "); ok {
		s, cutBefore = rest, true
	}
	if rest, ok := strings.CutSuffix(s, " …"); ok {
		s, cutAfter = rest, true
	}
	return markedPieces(s), cutBefore, cutAfter
}

// crop returns the words of ps around their matches, at most n words,
// with the marker where text was left out.
func (f formatter) crop(ps []piece, n int, cutBefore, cutAfter, highlight bool) string {
	// The text, and which of its bytes are matched.
	var text strings.Builder
	var marked []bool
	for _, p := range ps {
		text.WriteString(p.text)
		for range len(p.text) {
			marked = append(marked, p.mark)
		}
	}
	s := text.String()
	type word struct {
		start, end int
		match      bool
	}
	var words []word
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		w := word{start: i}
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			w.match = w.match || marked[i]
			i += size
		}
		w.end = i
		words = append(words, w)
	}
	if len(words) == 0 || n == 0 {
		if cutBefore || cutAfter || len(words) > 0 {
			return f.marker
		}
		return ""
	}
	first := 0
	if len(words) > n {
		// The window of n words with the most matches, the first such,
		// then moved to center its matches.
		best, count := 0, -1
		c := 0
		for i := range words {
			if words[i].match {
				c++
			}
			if i >= n && words[i-n].match {
				c--
			}
			if i >= n-1 && c > count {
				best, count = i-n+1, c
			}
		}
		first = best
		if count > 0 {
			lo, hi := -1, -1
			for i := best; i < best+n; i++ {
				if words[i].match {
					if lo < 0 {
						lo = i
					}
					hi = i
				}
			}
			slack := n - (hi - lo + 1)
			first = max(0, min(lo-slack/2, len(words)-n))
		}
	}
	last := min(len(words), first+n) - 1
	start, end := words[first].start, words[last].end
	var out []piece
	for i := start; i < end; {
		j := i
		for j < end && marked[j] == marked[i] {
			j++
		}
		out = append(out, piece{text: s[i:j], mark: marked[i]})
		i = j
	}
	body := f.render(out, highlight)
	if first > 0 || cutBefore {
		body = f.marker + body
	}
	if last < len(words)-1 || cutAfter {
		body += f.marker
	}
	return body
}

// attributeSets resolves the attributes a search retrieves, highlights and
// crops (with their lengths).
func attributeSets(q *meiliQuery) (retrieve, highlight []string, crop map[string]int) {
	retrieve = q.Retrieve
	if retrieve == nil {
		retrieve = defaultAttributes
	}
	crop = map[string]int{}
	if n, ok := q.Crop["*"]; ok {
		for _, r := range retrieve {
			crop[r] = n
		}
	}
	for a, n := range q.Crop {
		if a != "*" && slices.Contains(documentAttributes, a) {
			crop[a] = n
		}
	}
	// "*" highlights every attribute that _formatted shows: those
	// retrieved and those cropped (instant-meilisearch asks for "*" and
	// crops body for its snippets, which Meilisearch then highlights).
	formatted := slices.Clone(retrieve)
	for _, a := range slices.Sorted(maps.Keys(crop)) {
		if !slices.Contains(formatted, a) {
			formatted = append(formatted, a)
		}
	}
	for _, a := range q.Highlight {
		if a == "*" {
			for _, r := range formatted {
				if !slices.Contains(highlight, r) {
					highlight = append(highlight, r)
				}
			}
		} else if slices.Contains(documentAttributes, a) && !slices.Contains(highlight, a) {
			highlight = append(highlight, a)
		}
	}
	return retrieve, highlight, crop
}

// needsHighlights reports whether a search's hits need tacheron's
// highlights.
func needsHighlights(q *meiliQuery) bool {
	_, highlight, crop := attributeSets(q)
	for _, a := range []string{"title", "body"} {
		if _, ok := crop[a]; ok || slices.Contains(highlight, a) {
			return true
		}
	}
	return false
}

// meiliHits shapes the hits of a search.
func (s *Server) meiliHits(ctx context.Context, q *meiliQuery, hits []index.Hit) ([]map[string]any, error) {
	retrieve, highlight, crop := attributeSets(q)
	formatted := append(slices.Clone(retrieve), highlight...)
	for a := range crop {
		formatted = append(formatted, a)
	}
	f := formatter{pre: q.PreTag, post: q.PostTag, marker: q.CropMarker}
	out := make([]map[string]any, len(hits))
	for i := range hits {
		h := &hits[i]
		var doc *index.Document
		document := func() (*index.Document, error) {
			if doc != nil {
				return doc, nil
			}
			var err error
			doc, err = s.Searcher.Document(ctx, h.ID, index.LiteralQuery(q.Q))
			return doc, err
		}
		hit := map[string]any{}
		for _, a := range retrieve {
			v, err := hitValue(h, a, document)
			if err != nil {
				return nil, err
			}
			hit[a] = v
		}
		if len(highlight) > 0 || len(crop) > 0 {
			fm := map[string]any{}
			for _, a := range formatted {
				if _, done := fm[a]; done {
					continue
				}
				length, cropped := crop[a]
				lit := slices.Contains(highlight, a)
				v, err := f.format(h, a, lit, cropped, length, document)
				if err != nil {
					return nil, err
				}
				fm[a] = v
			}
			hit["_formatted"] = fm
		}
		if q.ShowRankingScore {
			score := 1.0
			if strings.TrimSpace(q.Q) != "" {
				score = math.Round(h.Score/(1+h.Score)*1e4) / 1e4
			}
			hit["_rankingScore"] = score
		}
		out[i] = hit
	}
	return out, nil
}

// hitValue returns an attribute of a hit; body and url come from the
// whole document.
func hitValue(h *index.Hit, attr string, document func() (*index.Document, error)) (any, error) {
	switch attr {
	case "id":
		return h.ID, nil
	case "title":
		return h.Title, nil
	case "source":
		return h.Source, nil
	case "kind":
		return h.Kind, nil
	case "date":
		return h.Date, nil
	case "lang":
		return h.Lang, nil
	case "concepts":
		if h.Concepts == nil {
			return []string{}, nil
		}
		return h.Concepts, nil
	case "year":
		if len(h.Date) >= 4 {
			if y, err := strconv.Atoi(h.Date[:4]); err == nil {
				return y, nil
			}
		}
		return nil, nil
	case "month":
		if len(h.Date) >= 7 {
			return h.Date[:7], nil
		}
		return nil, nil
	case "url":
		d, err := document()
		if err != nil {
			return nil, err
		}
		return d.URL, nil
	case "body":
		d, err := document()
		if err != nil {
			return nil, err
		}
		return bodyText(d), nil
	}
	return nil, nil
}

// bodyText returns the body of a document, paragraphs on their lines.
func bodyText(d *index.Document) string {
	parts := make([]string, len(d.Paragraphs))
	for i, p := range d.Paragraphs {
		parts[i] = p.Text
	}
	return strings.Join(parts, "\n")
}

// format returns an attribute of a hit for _formatted: highlighted (lit)
// and cropped to length words as asked.
func (f formatter) format(h *index.Hit, attr string, lit, cropped bool, length int, document func() (*index.Document, error)) (any, error) {
	switch attr {
	case "title":
		ps := []piece{{text: h.Title}}
		if t := h.Highlights["title"]; len(t) > 0 {
			ps = markedPieces(t[0])
		}
		if cropped {
			return f.crop(ps, length, false, false, lit), nil
		}
		return f.render(ps, lit), nil
	case "body":
		if snippets := h.Highlights["body"]; len(snippets) > 0 && cropped {
			best, marks := 0, -1
			for i, sn := range snippets {
				if n := strings.Count(sn, markOpen); n > marks {
					best, marks = i, n
				}
			}
			ps, before, after := snippetPieces(snippets[best])
			return f.crop(ps, length, before, after, lit), nil
		}
		d, err := document()
		if err != nil {
			return nil, err
		}
		var ps []piece
		for i, p := range d.Paragraphs {
			if i > 0 {
				ps = append(ps, piece{text: "\n"})
			}
			if lit {
				ps = append(ps, markedPieces(p.HTML)...)
			} else {
				ps = append(ps, piece{text: p.Text})
			}
		}
		if cropped {
			return f.crop(ps, length, false, false, lit), nil
		}
		return f.render(ps, lit), nil
	}
	v, err := hitValue(h, attr, document)
	if err != nil {
		return nil, err
	}
	if lit || cropped {
		switch v := v.(type) {
		case int:
			return strconv.Itoa(v), nil
		case string:
			if cropped {
				return f.crop([]piece{{text: v}}, length, false, false, false), nil
			}
		}
	}
	return v, nil
}
