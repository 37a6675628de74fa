package wordpress

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// xmlClean makes a WordPress export the XML decoder can read where
// WordPress itself wrote it carelessly: the control characters a post
// pasted from a word processor carries (illegal in XML) become spaces, and
// a byte that is not UTF-8 (a Latin-1 "é" left by an old plugin) is read as
// Windows-1252. A byte-order mark is dropped. Lines and columns keep their
// numbers.
type xmlClean struct {
	r     io.Reader
	in    []byte // read, not yet cleaned (an incomplete rune at most)
	out   []byte // cleaned, not yet returned
	buf   []byte
	err   error
	first bool
}

func newXMLClean(r io.Reader) *xmlClean {
	return &xmlClean{r: r, buf: make([]byte, 64<<10), first: true}
}

func (c *xmlClean) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		n, err := c.r.Read(c.buf)
		c.in = append(c.in, c.buf[:n]...)
		if err != nil {
			c.err = err
		}
		c.clean(err != nil)
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// clean moves what can be cleaned from in to out; final says no more input
// will come.
func (c *xmlClean) clean(final bool) {
	in := c.in
	if c.first && (len(in) >= 3 || final) {
		in = bytes.TrimPrefix(in, []byte("\ufeff"))
		c.first = false
	}
	out := c.out[:0]
	i := 0
	for i < len(in) {
		b := in[i]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				b = ' '
			}
			out = append(out, b)
			i++
			continue
		}
		if !final && !utf8.FullRune(in[i:]) {
			break
		}
		r, size := utf8.DecodeRune(in[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(b))
			size = 1
		case r == 0xFFFE || r == 0xFFFF:
			out = utf8.AppendRune(out, utf8.RuneError)
		default:
			out = append(out, in[i:i+size]...)
		}
		i += size
	}
	c.out = out
	c.in = append(c.in[:0], in[i:]...)
}

// shortcodeRE matches a shortcode tag: [name attr="x"], [/name], [name /].
var shortcodeRE = regexp.MustCompile(`\[(/?)([a-zA-Z][a-zA-Z0-9_-]*)((?:\s[^\[\]]*?)?)\s*(/?)\]`)

// embedShortcodes are the shortcodes whose content is a player, a form or a
// gallery, not text: dropped with what they enclose.
var embedShortcodes = map[string]bool{
	"embed": true, "video": true, "audio": true, "playlist": true, "gallery": true,
	"youtube": true, "vimeo": true, "soundcloud": true, "tweet": true, "googlemaps": true,
	"iframe": true, "wpvideo": true, "instagram": true, "spotify": true, "dailymotion": true,
	"slideshare": true, "scribd": true, "contact-form": true, "contact-form-7": true,
	"gravityform": true, "ninja_form": true, "wpforms": true, "mc4wp_form": true,
	"googleapps": true, "archives": true, "sitemap": true, "polldaddy": true, "recipe": false,
}

// knownShortcodes are shortcode names removed even alone and without
// attributes ([caption] text [/caption] keeps its text).
var knownShortcodes = map[string]bool{
	"caption": true, "wp_caption": true, "more": true, "nextpage": true, "toc": true,
	"footnote": true, "footnotes": true, "simple-footnote": true, "fn": true, "ref": true,
}

// stripShortcodes removes WordPress shortcodes from post content: the
// players, galleries and forms with what they enclose; the others ([caption],
// page builders' [vc_row]…) keeping their text. A bracketed word that reads
// as text ("[sic]", "[Vidéo]") stays.
func stripShortcodes(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	matches := shortcodeRE.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return s
	}
	closed := map[string]bool{}
	for _, m := range matches {
		if m[3] > m[2] {
			closed[s[m[4]:m[5]]] = true
		}
	}
	var b strings.Builder
	last := 0
	dropUntil := "" // the closing tag of an embed being dropped
	for _, m := range matches {
		name := s[m[4]:m[5]]
		closing := m[3] > m[2]
		if dropUntil != "" {
			if closing && name == dropUntil {
				dropUntil = ""
				last = m[1]
			}
			continue
		}
		attrs := s[m[6]:m[7]]
		selfClosing := m[9] > m[8]
		isCode := embedShortcodes[name] || knownShortcodes[name] || closed[name] ||
			strings.Contains(attrs, "=") || strings.ContainsAny(name, "_-")
		if !isCode {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteByte(' ')
		last = m[1]
		if embedShortcodes[name] && !closing && !selfClosing && closed[name] {
			dropUntil = name
		}
	}
	if dropUntil == "" {
		b.WriteString(s[last:])
	}
	return b.String()
}
