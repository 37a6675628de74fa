package api

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// errNotFinite is the error of a response holding a number JSON cannot
// hold (encoding/json refuses it too).
var errNotFinite = errors.New("a score is not a finite number")

// appendJSON appends r encoded exactly as gate.EncodeJSON encodes it
// (encoding/json without HTML escaping, and a final newline), without
// reflection: a search response is the API's most frequent answer.
func (r *SearchResponse) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"query":`...)
	b = appendString(b, r.Query)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(r.Total), 10)
	b = append(b, `,"related_total":`...)
	b = strconv.AppendInt(b, int64(r.RelatedTotal), 10)
	b = append(b, `,"page":`...)
	b = strconv.AppendInt(b, int64(r.Page), 10)
	b = append(b, `,"per_page":`...)
	b = strconv.AppendInt(b, int64(r.PerPage), 10)
	b = append(b, `,"took_ms":`...)
	var err error
	if b, err = appendFloat(b, r.TookMS); err != nil {
		return nil, err
	}
	b = append(b, `,"hits":`...)
	if r.Hits == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Hits {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = r.Hits[i].appendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	b = append(b, `,"facets":`...)
	if r.Facets == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		names := make([]string, 0, len(r.Facets))
		for name := range r.Facets {
			names = append(names, name)
		}
		slices.Sort(names) // as encoding/json orders map keys
		for i, name := range names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, name)
			b = append(b, ':')
			values := r.Facets[name]
			if values == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j, v := range values {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"value":`...)
				b = appendString(b, v.Value)
				if v.Label != "" {
					b = append(b, `,"label":`...)
					b = appendString(b, v.Label)
				}
				b = append(b, `,"count":`...)
				b = strconv.AppendInt(b, int64(v.Count), 10)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	b = append(b, `,"words":`...)
	b = appendStrings(b, r.Words)
	b = append(b, `,"generation":`...)
	b = strconv.AppendUint(b, r.Generation, 10)
	if len(r.Warnings) > 0 {
		b = append(b, `,"warnings":[`...)
		for i, w := range r.Warnings {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"parameter":`...)
			b = appendString(b, w.Parameter)
			b = append(b, `,"value":`...)
			b = appendString(b, w.Value)
			b = append(b, `,"closest":`...)
			b = appendStrings(b, w.Closest)
			b = append(b, `,"message":`...)
			b = appendString(b, w.Message)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...), nil
}

// appendJSON appends h as encoding/json encodes it.
func (h *Hit) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendString(b, h.ID)
	b = append(b, `,"title":`...)
	b = appendString(b, h.Title)
	b = append(b, `,"source":`...)
	b = appendString(b, h.Source)
	b = append(b, `,"kind":`...)
	b = appendString(b, h.Kind)
	b = append(b, `,"date":`...)
	b = appendString(b, h.Date)
	if h.Published != "" {
		b = append(b, `,"published":`...)
		b = appendString(b, h.Published)
	}
	b = append(b, `,"lang":`...)
	b = appendString(b, h.Lang)
	b = append(b, `,"concepts":`...)
	b = appendStrings(b, h.Concepts)
	if len(h.Authors) > 0 {
		b = append(b, `,"authors":`...)
		b = appendStrings(b, h.Authors)
	}
	if len(h.Tags) > 0 {
		b = append(b, `,"tags":`...)
		b = appendStrings(b, h.Tags)
	}
	b = append(b, `,"score":`...)
	var err error
	if b, err = appendFloat(b, h.Score); err != nil {
		return nil, err
	}
	b = append(b, `,"tier":`...)
	b = strconv.AppendInt(b, h.Tier, 10)
	b = append(b, `,"highlights":{"title":`...)
	b = appendStrings(b, h.Highlights.Title)
	b = append(b, `,"body":`...)
	b = appendStrings(b, h.Highlights.Body)
	b = append(b, `,"body_lang":`...)
	b = appendStrings(b, h.Highlights.BodyLang)
	b = append(b, `},"match":`...)
	b = appendString(b, h.Match)
	b = append(b, `,"also_in":`...)
	if h.AlsoIn == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, r := range h.AlsoIn {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendString(b, r.ID)
			b = append(b, `,"title":`...)
			b = appendString(b, r.Title)
			b = append(b, `,"source":`...)
			b = appendString(b, r.Source)
			b = append(b, `,"date":`...)
			b = appendString(b, r.Date)
			b = append(b, `,"kind":`...)
			b = appendString(b, r.Kind)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendStrings appends a list of strings, null for nil.
func appendStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string as encoding/json writes it
// without HTML escaping: quotes, backslashes and control characters
// escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a look.
		for i+8 <= len(s) && plainWord(word(s[i:i+8])) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Byte masks for plainWord.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainWord reports whether the eight bytes of w are all written as they
// are in a JSON string: ASCII, none a control character, a quote or a
// backslash.
func plainWord(w uint64) bool {
	return (w|below(w, 0x20)|below(w^'"'*ones, 1)|below(w^'\\'*ones, 1))&highs == 0
}

// word returns the first eight bytes of s, the first the lowest.
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// below returns a word with high bits set when a byte of x is below n
// (n <= 0x80), none when none is: (x - n) &^ x, byte by byte, where a
// byte's high bit can only come from a byte below n, at or before it.
func below(x, n uint64) uint64 { return (x - n*ones) &^ x & highs }

// appendFloat appends f as encoding/json writes a float64: the shortest
// decimal that reads back as f, in exponent form only when very small or
// very large.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errNotFinite
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 is written e-9.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}
