package index

import (
	"bytes"
	"cmp"
	"html"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	text "tacheron/corpus/analysis"
)

// Snippet shape.
const (
	// SnippetBytes is the approximate length of a snippet.
	SnippetBytes = 180
	// MaxSnippets is the number of snippets of a hit's body.
	MaxSnippets = 3
	markOpen    = "<mark>"
	markClose   = "</mark>"
)

// highlightScan is how far into a body highlighting looks for better
// passages once it has found enough.
const highlightScan = 4096

// A span is a matched word in a text.
type span struct {
	start, end int
	key        string // the matched term, for variety among snippets
	// weight says how much of the query the span matches, and how
	// exactly: a query word as written counts 1, another of its forms
	// formWeight, by stem stemMatchWeight, as a
	// concept's word conceptMatchWeight; a compound or phrase the sum of its
	// parts and wholeBonus.
	weight float64
}

// Weights of matches in spans.
const (
	stemMatchWeight    = 0.8
	conceptMatchWeight = 0.5
	wholeBonus         = 0.5
	// formWeight is the weight of another form of a query word (a typo, a
	// completion, an inflection the index knows).
	formWeight = 0.9
)

// highlighter finds the words of a text that a plan matches: as written
// (folded), by stem in the text's language, as a typo or prefix expansion,
// or as the words that signalled a matched concept in this document.
type highlighter struct {
	m      *marks
	fr, en *text.Stemmer
	// frHeads and enHeads are the first letters of the stems: a word whose
	// folded form starts otherwise is not stemmed.
	frHeads, enHeads map[string]bool
	// phrases are the concept words of this document, as sequences of
	// plain forms.
	phrases [][]string
	scratch
	// probes are the first letters of everything that can match: a
	// paragraph that holds none of them is not tokenized.
	probes [][]byte
	// parts holds, for plain terms made of other plain terms ("microtravail"
	// of "micro" and "travail"), how many.
	parts map[string]int
	// words are the query's words (folded): matched as written, they
	// weigh more than the other forms that match them.
	words map[string]bool
	// planProbes is the number of probes of the plan's own terms, which
	// the probes of a document's concept words follow; planHeads are
	// their heads.
	planProbes int
	planHeads  map[string]bool
}

// scratch are a highlighter's reused buffers.
type scratch struct {
	tokens []text.Token
	arena  []byte   // the plain forms of tokens, one after the other
	ends   []int    // end of each token's plain form in arena
	plains [][]byte // each token's plain form
	// hits and wins are windows' buffers.
	hits []int
	wins [][2]int
}

// getScratch gives h the buffers of an earlier search, if any.
func (s *Snapshot) getScratch(h *highlighter) {
	if b, ok := s.scratch.Get().(*scratch); ok {
		h.scratch = *b
	}
}

// putScratch keeps h's buffers for a later search; h must not be used
// after.
func (s *Snapshot) putScratch(h *highlighter) {
	b := h.scratch
	clear(b.tokens[:cap(b.tokens)]) // keep no text alive
	clear(b.plains[:cap(b.plains)])
	s.scratch.Put(&b)
}

// newHighlighter returns a highlighter of the plan's matches in a document.
func (s *Snapshot) newHighlighter(p *plan, sd *record) *highlighter {
	return s.planHighlighter(p).of(sd)
}

// planHighlighter returns a highlighter of the plan's matches, made once
// for the documents of a page: what depends on the plan only (heads,
// probes, compounds, words) is worked out here; of readies it for each
// document in turn.
func (s *Snapshot) planHighlighter(p *plan) *highlighter {
	h := &highlighter{m: p.marks, fr: s.stemFR, en: s.stemEN, frHeads: heads(p.marks.fr), enHeads: heads(p.marks.en),
		planHeads: map[string]bool{}}
	// Sorted, so that the same request marks the same words.
	for _, terms := range []map[string]bool{p.marks.plain, p.marks.fr, p.marks.en} {
		for _, t := range slices.Sorted(maps.Keys(terms)) {
			if head := t[:min(len(t), headLen)]; head != "" && !h.planHeads[head] {
				h.planHeads[head] = true
				h.probes = append(h.probes, []byte(head))
			}
		}
	}
	h.planProbes = len(h.probes)
	h.parts = compoundParts(slices.Sorted(maps.Keys(p.marks.plain)))
	h.words = make(map[string]bool, len(p.words))
	for _, w := range p.words {
		h.words[text.Fold(w)] = true
	}
	return h
}

// of readies h for the document sd (the words that signalled the plan's
// concepts in it, and their probes) and returns it.
func (h *highlighter) of(sd *record) *highlighter {
	h.phrases = h.phrases[:0]
	h.probes = h.probes[:h.planProbes]
	if len(h.m.concepts) > 0 {
		h.addConceptWords(sd)
	}
	for _, seq := range h.phrases {
		head := seq[0][:min(len(seq[0]), headLen)]
		if head == "" || h.planHeads[head] || slices.ContainsFunc(h.probes[h.planProbes:], func(p []byte) bool { return string(p) == head }) {
			continue
		}
		h.probes = append(h.probes, []byte(head))
	}
	return h
}

// compoundParts returns, for each term that is the concatenation of two or
// more of the others, the least number of them it takes.
func compoundParts(terms []string) map[string]int {
	out := map[string]int{}
	for _, t := range terms {
		// best[i] is the least number of terms that make t[:i], 0 when
		// none does.
		best := make([]int, len(t)+1)
		for i := 1; i <= len(t); i++ {
			for _, u := range terms {
				if u == t || len(u) > i || t[i-len(u):i] != u {
					continue
				}
				prev := i - len(u)
				if prev > 0 && best[prev] == 0 {
					continue
				}
				if n := best[prev] + 1; best[i] == 0 || n < best[i] {
					best[i] = n
				}
			}
		}
		if best[len(t)] >= 2 {
			out[t] = best[len(t)]
		}
	}
	return out
}

// plainWeight is the weight of a match of the plain term t.
func (h *highlighter) plainWeight(t string) float64 {
	if n := h.parts[t]; n > 1 {
		return float64(n) + wholeBonus
	}
	if h.words[t] {
		return 1
	}
	return formWeight
}

// highlight returns the title and body highlights of a stored document,
// with h, a highlighter of the plan (see planHighlighter).
func (s *Snapshot) highlight(h *highlighter, p *plan, sd *record) map[string][]string {
	h.of(sd)
	out := map[string][]string{"title": {}, "body": {}}
	if spans := h.spans(sd.title, 0, sd.titleLang); len(spans) > 0 {
		out["title"] = []string{markText(sd.title, spans)}
	}
	// Look at passages in order until enough of them match the whole
	// query: the first such passages are good passages, and a long text
	// need not be read to its end. Passages that match only part of it do
	// not stop the reading as early.
	var spans []span
	whole := float64(max(1, p.needed()))
	full := 0
	enough := func(offset int) bool {
		return full >= MaxSnippets ||
			full > 0 && offset > highlightScan ||
			offset > 4*highlightScan
	}
	offset := 0
	for i, fp := range sd.paragraphs() {
		para := fp.text
		if enough(offset) || !p.marks.any() {
			break
		}
		lang := "fr"
		if i < len(sd.paragraphLangs) && sd.paragraphLangs[i] == 'e' {
			lang = "en"
		}
		for _, w := range h.windows(fp) {
			if enough(offset + w[0]) {
				break
			}
			found := h.windowSpans(fp, w[0], w[1], offset, lang)
			if len(found) > 0 && passageWeight(found) >= whole {
				full++
			}
			spans = append(spans, found...)
		}
		offset += len(para) + 1
	}
	var starts []int
	out["body"], starts = snippets(sd.body, spans, MaxSnippets, SnippetBytes)
	// Each snippet's language is its paragraph's: an English passage of
	// a French document is marked as English.
	langs := make([]string, len(starts))
	for i, start := range starts {
		para := strings.Count(sd.body[:start], "\n")
		langs[i] = sd.lang
		if para < len(sd.paragraphLangs) {
			langs[i] = "fr"
			if sd.paragraphLangs[para] == 'e' {
				langs[i] = "en"
			}
		}
	}
	out["body_lang"] = langs
	return out
}

// A foldedPara is a paragraph of a body and its folded form, in which
// windows looks for probes: offsets has, for each folded byte, its offset
// in text.
type foldedPara struct {
	text    string
	folded  []byte
	offsets []int32
	// kept holds the paragraph's words, tokenized once (see words).
	kept *keptWords
}

// keptWords are a paragraph's words, made once.
type keptWords struct {
	once  sync.Once
	words *paraWords
}

// paraWords are the words of a paragraph with their plain forms.
type paraWords struct {
	words []paraWord
	plain []byte // the plain forms, one after the other
	// joined holds the single-word forms of hyphenated compounds, by the
	// index of their word.
	joined map[int32]string
}

// A paraWord is a word of a paragraph: its bytes in the paragraph, the end
// of its plain form in paraWords.plain, and whether it is the joined form
// of a compound.
type paraWord struct {
	start, end, plainEnd int32
	joined               bool
}

// maxKeptParagraph is the length of the longest paragraph whose words are
// kept: a longer one is tokenized window by window, as far as
// highlighting reads it.
const maxKeptParagraph = 16 << 10

// words returns the paragraph's words, tokenized the first time, or nil
// for a paragraph too long to keep them.
func (fp foldedPara) words() *paraWords {
	if fp.kept == nil {
		return nil
	}
	fp.kept.once.Do(func() {
		tokens := text.Tokenize(fp.text)
		pw := &paraWords{words: make([]paraWord, len(tokens)), plain: make([]byte, 0, len(fp.text))}
		for i, t := range tokens {
			pw.plain = text.AppendPlain(pw.plain, t.Text)
			pw.words[i] = paraWord{start: int32(t.Start), end: int32(t.End), plainEnd: int32(len(pw.plain)), joined: t.Joined}
			if t.Joined {
				if pw.joined == nil {
					pw.joined = map[int32]string{}
				}
				pw.joined[int32(i)] = t.Text
			}
		}
		fp.kept.words = pw
	})
	return fp.kept.words
}

// paragraphs returns the body's paragraphs with their folded forms, made
// the first time: a record kept in the document store's cache is folded
// once.
func (r *record) paragraphs() []foldedPara {
	r.foldOnce.Do(func() {
		for para := range strings.SplitSeq(r.body, "\n") {
			folded, offsets := text.AppendFolded(nil, nil, para)
			fp := foldedPara{text: para, folded: folded, offsets: offsets}
			if len(para) <= maxKeptParagraph {
				fp.kept = &keptWords{}
			}
			r.paras = append(r.paras, fp)
		}
	})
	return r.paras
}

// addConceptWords adds the words that signalled the plan's concepts in this
// document.
func (h *highlighter) addConceptWords(r *record) {
	for _, cw := range r.signals() {
		if h.m.concepts[cw.concept] {
			h.phrases = append(h.phrases, cw.words)
		}
	}
}

// A signal is a word, or a sequence of words, that signalled a concept in
// a document.
type signal struct {
	concept string
	words   []string
}

// signals returns the words that signalled each concept of the record
// (recorded when it was tagged, see encodeConceptWords), read the first
// time.
func (r *record) signals() []signal {
	r.signalsOnce.Do(func() {
		for line := range strings.SplitSeq(string(r.conceptWords), "\n") {
			fields := strings.Split(line, "\t")
			if len(fields) < 2 {
				continue
			}
			for _, w := range fields[1:] {
				if seq := strings.Fields(w); len(seq) > 0 {
					r.signalList = append(r.signalList, signal{concept: fields[0], words: seq})
				}
			}
		}
	})
	return r.signalList
}

// Windows around probes.
const (
	windowBefore = 60
	windowAfter  = 120
	// maxProbeHits bounds the places of each probe looked at in one
	// paragraph: every probe gets its own share.
	maxProbeHits = 24
)

// windows returns the byte ranges of para, cut at spaces, around the places
// that hold the first letters of something to highlight: only they are
// tokenized. The ranges are h's buffer, good until the next call.
func (h *highlighter) windows(fp foldedPara) [][2]int {
	para := fp.text
	hits := h.hits[:0]
	for _, p := range h.probes {
		from := 0
		for n := 0; n < maxProbeHits; n++ {
			i := bytes.Index(fp.folded[from:], p)
			if i < 0 {
				break
			}
			hits = append(hits, int(fp.offsets[from+i]))
			from += i + len(p)
		}
	}
	if len(hits) == 0 {
		return nil
	}
	slices.Sort(hits)
	h.hits = hits
	out := h.wins[:0]
	for _, at := range hits {
		start, end := max(0, at-windowBefore), min(len(para), at+windowAfter)
		start, end = spaceBounds(para, start, end)
		if n := len(out); n > 0 && start <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], end)
			continue
		}
		out = append(out, [2]int{start, end})
	}
	h.wins = out
	return out
}

// spaceBounds widens [start, end) of s to the spaces around it.
func spaceBounds(s string, start, end int) (int, int) {
	for start > 0 && s[start-1] != ' ' {
		start--
	}
	for end < len(s) && s[end] != ' ' {
		end++
	}
	return start, end
}

// spans returns the matched words of s (a paragraph in lang, found at offset
// in its field), in order, without overlaps.
func (h *highlighter) spans(s string, offset int, lang string) []span {
	h.tokens = text.AppendTokens(h.tokens[:0], s)
	h.arena, h.ends = h.arena[:0], h.ends[:0]
	for _, t := range h.tokens {
		h.arena = text.AppendPlain(h.arena, t.Text)
		h.ends = append(h.ends, len(h.arena))
	}
	h.plains = h.plains[:0]
	from := 0
	for _, end := range h.ends {
		h.plains = append(h.plains, h.arena[from:end])
		from = end
	}
	return h.match(s, offset, lang)
}

// windowSpans returns the matched words of the window [start, end) of a
// body's paragraph (in lang, at offset in the body), as spans of
// fp.text[start:end] would: from the paragraph's words, tokenized once
// (see foldedPara.words), when they are kept.
func (h *highlighter) windowSpans(fp foldedPara, start, end, offset int, lang string) []span {
	pw := fp.words()
	if pw == nil {
		return h.spans(fp.text[start:end], offset+start, lang)
	}
	// Windows are cut at spaces, which no word holds: the words of a
	// window are those of its paragraph that end within it, and the
	// words' ends never decrease.
	first, _ := slices.BinarySearchFunc(pw.words, int32(start), func(w paraWord, at int32) int { return cmp.Compare(w.end, at+1) })
	last, _ := slices.BinarySearchFunc(pw.words, int32(end), func(w paraWord, at int32) int { return cmp.Compare(w.end, at+1) })
	h.tokens, h.plains = h.tokens[:0], h.plains[:0]
	for i := first; i < last; i++ {
		w := pw.words[i]
		t := text.Token{Text: fp.text[w.start:w.end], Start: int(w.start) - start, End: int(w.end) - start}
		if w.joined {
			t.Text, t.Joined = pw.joined[int32(i)], true
		}
		h.tokens = append(h.tokens, t)
		from := int32(0)
		if i > 0 {
			from = pw.words[i-1].plainEnd
		}
		h.plains = append(h.plains, pw.plain[from:w.plainEnd])
	}
	return h.match(fp.text[start:end], offset+start, lang)
}

// match returns the matched words among h.tokens, the words of s (found at
// offset in its field) whose plain forms are h.plains.
func (h *highlighter) match(s string, offset int, lang string) []span {
	stemmer, stems, stemHeads := h.fr, h.m.fr, h.frHeads
	if lang == "en" {
		stemmer, stems, stemHeads = h.en, h.m.en, h.enHeads
	}
	tokens, plains := h.tokens, h.plains
	var out []span
	add := func(start, end int, key string, weight float64) {
		start, end = start+offset, end+offset
		n := len(out)
		if n == 0 || start >= out[n-1].end {
			// Parts of a compound written with a hyphen are one match.
			if n > 0 && start == out[n-1].end+1 && s[out[n-1].end-offset] == '-' {
				out[n-1].end = end
				out[n-1].key += " " + key
				out[n-1].weight += weight + wholeBonus
				return
			}
			out = append(out, span{start: start, end: end, key: key, weight: weight})
			return
		}
		// A compound and its parts: keep the widest, worth the most of
		// them.
		k := n - 1
		for k > 0 && out[k-1].end > start {
			k--
		}
		merged := span{start: min(start, out[k].start), end: end, key: key, weight: weight}
		sum := 0.0
		for _, o := range out[k:] {
			merged.end = max(merged.end, o.end)
			sum += o.weight
		}
		if n-k > 1 {
			sum += wholeBonus
		}
		merged.weight = max(weight, sum)
		out = append(out[:k], merged)
	}
	for i, t := range tokens {
		p := plains[i]
		switch {
		case h.m.plain[string(p)]:
			add(t.Start, t.End, string(p), h.plainWeight(string(p)))
			continue
		case len(stemHeads) > 0 && stemHeads[string(p[:min(len(p), headLen)])]:
			e := text.StripPossessive(text.Elide(text.Lower(t.Text)))
			first, second := stemmer.Forms(e)
			if stems[first] {
				add(t.Start, t.End, first, stemMatchWeight)
				continue
			}
			if second != "" && stems[second] {
				add(t.Start, t.End, second, stemMatchWeight)
				continue
			}
		}
		if t.Joined {
			continue
		}
		for _, seq := range h.phrases {
			if end, ok := matchSequence(tokens, plains, i, seq); ok {
				add(t.Start, end, strings.Join(seq, " "), conceptMatchWeight*float64(len(seq)))
				break
			}
		}
	}
	return out
}

// matchSequence reports whether the words from tokens[i] on (joined
// compounds aside) are seq, and where the match ends.
func matchSequence(tokens []text.Token, plains [][]byte, i int, seq []string) (int, bool) {
	k := 0
	end := 0
	for j := i; j < len(tokens) && k < len(seq); j++ {
		if tokens[j].Joined {
			continue
		}
		if string(plains[j]) != seq[k] {
			return 0, false
		}
		end = tokens[j].End
		k++
	}
	return end, k == len(seq)
}

// headLen is the length of the heads of stems.
const headLen = 3

// heads returns the first headLen bytes of each stem: stems share the first
// letters of the words they stem.
func heads(stems map[string]bool) map[string]bool {
	out := make(map[string]bool, len(stems))
	for st := range stems {
		out[st[:min(len(st), headLen)]] = true
	}
	return out
}

// markText returns s HTML-escaped with spans wrapped in <mark>.
func markText(s string, spans []span) string {
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(html.EscapeString(s[last:sp.start]))
		b.WriteString(markOpen)
		b.WriteString(html.EscapeString(s[sp.start:sp.end]))
		b.WriteString(markClose)
		last = sp.end
	}
	b.WriteString(html.EscapeString(s[last:]))
	return b.String()
}

// snippets cuts up to n passages of about size bytes around the best groups
// of matches, at word boundaries, within paragraphs. Without matches it
// returns the start of the text. The second result holds each passage's
// byte offset in body.
func snippets(body string, spans []span, n, size int) ([]string, []int) {
	if body == "" {
		return []string{}, nil
	}
	if len(spans) == 0 {
		start, end := window(body, 0, size)
		return []string{cut(body, start, end, nil)}, []int{start}
	}
	type cand struct {
		first, last int // span indexes
		start, end  int
		score       float64
	}
	cands := make([]cand, 0, len(spans))
	pstart, pend := -1, -1
	for i := range spans {
		// A window starting a little before span i, in its paragraph
		// (that of the span before, most often).
		if at := spans[i].start; pstart < 0 || at < pstart || at > pend {
			pstart, pend = paragraphBounds(body, at)
		}
		start := max(pstart, spans[i].start-size/4)
		end := min(pend, start+size)
		j := i
		for j < len(spans) && spans[j].end <= end {
			j++
		}
		if j == i {
			end = min(pend, spans[i].end+size/2)
			j = i + 1
		}
		// The most, and the most exact, matches first; repeats count a
		// little.
		score := passageWeight(spans[i:j]) + 0.1*float64(j-i)
		cands = append(cands, cand{first: i, last: j - 1, start: start, end: end, score: score})
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.start - b.start
	})
	var chosen []cand
	for _, c := range cands {
		if len(chosen) == n {
			break
		}
		overlap := false
		for _, o := range chosen {
			if c.start < o.end && o.start < c.end {
				overlap = true
				break
			}
		}
		if !overlap {
			chosen = append(chosen, c)
		}
	}
	slices.SortFunc(chosen, func(a, b cand) int { return a.start - b.start })
	out := make([]string, 0, len(chosen))
	starts := make([]int, 0, len(chosen))
	for _, c := range chosen {
		start, end := wordBounds(body, c.start, c.end)
		out = append(out, cut(body, start, end, spans))
		starts = append(starts, start)
	}
	return out, starts
}

// passageWeight is the sum, over the query words that spans match, of
// their best weight. Matched terms that share their first groupLen bytes
// are taken for forms of one query word ("travail", "travaillons").
func passageWeight(spans []span) float64 {
	type group struct {
		head string
		best float64
	}
	var buf [16]group
	groups := buf[:0]
	for _, sp := range spans {
		g := sp.key[:min(len(sp.key), groupLen)]
		if i := slices.IndexFunc(groups, func(x group) bool { return x.head == g }); i >= 0 {
			groups[i].best = max(groups[i].best, sp.weight)
			continue
		}
		groups = append(groups, group{g, max(0, sp.weight)})
	}
	// Summed in the order of the heads, always the same.
	slices.SortFunc(groups, func(a, b group) int { return strings.Compare(a.head, b.head) })
	sum := 0.0
	for _, g := range groups {
		sum += g.best
	}
	return sum
}

// groupLen is the length of the heads by which passageWeight groups terms.
const groupLen = 5

// paragraphBounds returns the paragraph (line) of body holding offset i.
func paragraphBounds(body string, i int) (int, int) {
	start := strings.LastIndexByte(body[:i], '\n') + 1
	end := strings.IndexByte(body[i:], '\n')
	if end < 0 {
		return start, len(body)
	}
	return start, i + end
}

// window returns the first passage of about size bytes of the paragraph at
// offset start.
func window(body string, start, size int) (int, int) {
	pstart, pend := paragraphBounds(body, start)
	return wordBounds(body, pstart, min(pend, pstart+size))
}

// wordBounds widens [start, end) so that it neither starts nor ends inside a
// word, and keeps it within one paragraph.
func wordBounds(body string, start, end int) (int, int) {
	pstart, pend := paragraphBounds(body, start)
	end = min(end, pend)
	for start > pstart {
		r, size := utf8.DecodeLastRuneInString(body[:start])
		if r == ' ' {
			break
		}
		start -= size
	}
	for end < pend {
		r, size := utf8.DecodeRuneInString(body[end:])
		if r == ' ' {
			break
		}
		end += size
	}
	return start, end
}

// cut returns body[start:end] with ellipses where it is cut and the spans
// inside it marked.
func cut(body string, start, end int, spans []span) string {
	pstart, pend := paragraphBounds(body, start)
	var inside []span
	for _, sp := range spans {
		if sp.start >= start && sp.end <= end {
			inside = append(inside, span{start: sp.start - start, end: sp.end - start})
		}
	}
	s := markText(strings.TrimSpace(body[start:end]), trimSpans(body[start:end], inside))
	// The text's own ellipses are not doubled.
	if start > pstart && !strings.HasPrefix(s, "…") && !strings.HasPrefix(s, "...") {
		s = "… " + s
	}
	if end < pend && !strings.HasSuffix(s, "…") && !strings.HasSuffix(s, "...") {
		s += " …"
	}
	return s
}

// trimSpans shifts spans for the leading space TrimSpace removes.
func trimSpans(s string, spans []span) []span {
	lead := len(s) - len(strings.TrimLeft(s, " "))
	trimmed := len(strings.TrimSpace(s))
	out := spans[:0]
	for _, sp := range spans {
		sp.start -= lead
		sp.end -= lead
		if sp.start >= 0 && sp.end <= trimmed {
			out = append(out, sp)
		}
	}
	return out
}
