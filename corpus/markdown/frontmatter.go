package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/pelletier/go-toml/v2"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// splitFrontMatter splits a note into its front matter and body; kind is
// "yaml" ("---" lines), "toml" ("+++" lines) or "" (no front matter).
func splitFrontMatter(data []byte) (meta, body []byte, kind string) {
	for _, d := range []struct{ delim, kind string }{{"---", "yaml"}, {"+++", "toml"}} {
		if !bytes.HasPrefix(data, []byte(d.delim+"\n")) && !bytes.HasPrefix(data, []byte(d.delim+"\r\n")) {
			continue
		}
		rest := data[bytes.IndexByte(data, '\n')+1:]
		for off := 0; off <= len(rest); {
			end := bytes.IndexByte(rest[off:], '\n')
			line := rest[off:]
			if end >= 0 {
				line = rest[off : off+end]
			}
			if t := bytes.TrimRight(line, " \t\r"); string(t) == d.delim || (d.kind == "yaml" && string(t) == "...") {
				next := len(rest)
				if end >= 0 {
					next = off + end + 1
				}
				return rest[:off], rest[next:], d.kind
			}
			if end < 0 {
				break
			}
			off += end + 1
		}
	}
	return nil, data, ""
}

// frontMatter is what tacheron reads of a note's front matter.
type frontMatter struct {
	title, date, source, url string
	// published is the date's time of publication, when it names a time
	// of day and a zone.
	published     string
	lang          analysis.Lang
	authors, tags []string
}

// parse reads YAML or TOML front matter; unknown keys are ignored.
func (fm *frontMatter) parse(kind string, meta []byte) error {
	m := map[string]any{}
	var err error
	if kind == "toml" {
		err = toml.Unmarshal(meta, &m)
	} else {
		err = yaml.Unmarshal(meta, &m)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", kind, err)
	}
	lower := make(map[string]any, len(m))
	for k, v := range m {
		lower[strings.ToLower(k)] = v
	}
	key := ""
	get := func(keys ...string) any {
		for _, k := range keys {
			if v, ok := lower[k]; ok && v != nil {
				key = k
				return v
			}
		}
		return nil
	}
	fm.title = scalar(get("title", "titre"))
	date := get("date", "published", "publishdate", "pubdate", "created", "date_created", "creation_date")
	if date != nil {
		fm.published = publishedIn(meta, key)
	}
	switch v := date.(type) {
	case time.Time:
		fm.date = v.Format(corpus.DateLayout)
	case nil:
	default:
		fm.date = scalar(v)
	}
	fm.source = scalar(get("source", "publication", "site", "journal"))
	fm.url = scalar(get("url", "link", "permalink", "canonical", "canonicalurl", "lien"))
	switch l := strings.ToLower(scalar(get("lang", "language", "langue"))); {
	case strings.HasPrefix(l, "fr"):
		fm.lang = analysis.French
	case strings.HasPrefix(l, "en"):
		fm.lang = analysis.English
	}
	fm.authors = list(get("authors", "author", "auteurs", "auteur", "creator", "by"), false)
	fm.tags = append(list(get("tags", "tag", "keywords", "mots-clés", "mots-cles", "étiquettes"), true),
		list(get("categories", "category", "catégories"), true)...)
	return nil
}

// scalar returns a value as text.
func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case time.Time:
		return v.Format(corpus.DateLayout)
	case map[string]any:
		return scalar(v["name"])
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// list returns a list of names: a YAML or TOML list, or a string of
// comma-separated items (and, for tags, space-separated Obsidian "#tags").
func list(v any, tags bool) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if tags {
			s = strings.TrimPrefix(s, "#")
		}
		if s != "" {
			out = append(out, s)
		}
	}
	switch v := v.(type) {
	case nil:
	case []any:
		for _, it := range v {
			add(scalar(it))
		}
	case string:
		if tags && !strings.Contains(v, ",") {
			// Jekyll and Obsidian: tags separated by spaces.
			for _, it := range strings.Fields(v) {
				add(it)
			}
			break
		}
		for it := range strings.SplitSeq(v, ",") {
			add(it)
		}
	default:
		add(scalar(v))
	}
	return out
}

// dateLineRE matches a "Date: …" line at the top of a note.
var dateLineRE = regexp.MustCompile(`^\s*(?:\*\*)?(?i:date|publié le|published)(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.+?)\s*$`)

// wikiLinkRE matches Obsidian's [[note]] and [[note|label]] links.
var wikiLinkRE = regexp.MustCompile(`!?\[\[([^\]|]*)(?:\|([^\]]*))?\]\]`)

// wikiLinks replaces wiki links by their label (or target).
func wikiLinks(md []byte) []byte {
	return wikiLinkRE.ReplaceAllFunc(md, func(m []byte) []byte {
		if m[0] == '!' {
			return nil // an embedded file
		}
		sub := wikiLinkRE.FindSubmatch(m)
		if len(sub[2]) > 0 {
			return sub[2]
		}
		return sub[1]
	})
}

// templateTagRE matches the template syntax static-site generators leave
// in their Markdown: Liquid tags ("{% include figure.html %}", Jekyll)
// and Hugo shortcodes ("{{< figure src=… >}}", "{{% note %}}").
var templateTagRE = regexp.MustCompile(`\{%-?\s.*?-?%\}|\{\{[<%]-?\s*/?[A-Za-z].*?-?[>%]\}\}`)

// calloutRE matches the type marker of an Obsidian callout: "> [!note]".
var calloutRE = regexp.MustCompile(`^(\s*(?:>\s*)+)\[![A-Za-z-]+\][+-]?[ \t]?`)

// templateTags removes template tags and callout markers from a note,
// outside fenced code blocks (which show code as it is written).
func templateTags(md []byte) []byte {
	if !bytes.Contains(md, []byte("{%")) && !bytes.Contains(md, []byte("{{")) && !bytes.Contains(md, []byte("[!")) {
		return md
	}
	lines := bytes.Split(md, []byte("\n"))
	fence := ""
	for i, l := range lines {
		t := strings.TrimLeft(string(l), " ")
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		case strings.HasPrefix(t, "```"), strings.HasPrefix(t, "~~~"):
			fence = t[:3]
			continue
		}
		l = templateTagRE.ReplaceAll(l, nil)
		lines[i] = calloutRE.ReplaceAll(l, []byte("$1"))
	}
	return bytes.Join(lines, []byte("\n"))
}

// dateLayouts are the layouts of dates in front matter and date lines.
var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04", "2006-01-02T15:04", "2006/01/02", "02/01/2006"}

// parseDay returns the day a date names, in its own time zone.
func parseDay(s string) (string, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"'`)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format(corpus.DateLayout), true
		}
	}
	if len(s) > 10 && s[4] == '-' && s[7] == '-' {
		if t, err := time.Parse(corpus.DateLayout, s[:10]); err == nil && (s[10] == ' ' || s[10] == 'T') {
			return t.Format(corpus.DateLayout), true
		}
	}
	if from, to, ok := corpus.ParseDate(s); ok && from.Equal(to) {
		return to.Format(corpus.DateLayout), true
	}
	return "", false
}

// publishedIn returns the time of publication that the front matter's key
// names, as RFC 3339, when its value has a time of day and a zone
// ("2017-03-22T09:15:00+01:00", Jekyll's "2017-03-22 09:15:00 +0100"). It
// reads the value as written: YAML turns a time without a zone into UTC,
// which is not the author's.
func publishedIn(meta []byte, key string) string {
	re, err := regexp.Compile(`(?im)^[ \t]*["']?` + regexp.QuoteMeta(key) + `["']?[ \t]*[:=][ \t]*(.+?)[ \t]*$`)
	if err != nil {
		return ""
	}
	m := re.FindSubmatch(meta)
	if m == nil {
		return ""
	}
	raw := string(m[1])
	if i := strings.Index(raw, " #"); i > 0 {
		raw = raw[:i] // a comment
	}
	if t, ok := corpus.ParseTimestamp(strings.Trim(strings.TrimSpace(raw), `"'`)); ok {
		return t.Format(corpus.PublishedLayout)
	}
	return ""
}
