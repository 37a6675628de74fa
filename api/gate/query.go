package gate

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Parameter limits of every request.
const (
	// maxParams bounds the parameters of one request.
	maxParams = 256
	// maxShown bounds how much of a bad value a problem repeats.
	maxShown = 40
)

// ParseQuery parses a raw query string strictly: malformed
// percent-encoding, a ';' separator, invalid UTF-8, NUL and other control
// characters in a name or a value are refused.
func ParseQuery(raw string) (url.Values, *Problem) {
	v := url.Values{}
	n := 0
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		if n++; n > maxParams {
			return nil, InvalidParam("", "at most %d parameters", maxParams)
		}
		rawKey, rawValue, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(rawKey)
		if err != nil {
			return nil, InvalidParam(Shown(rawKey), "malformed percent-encoding in a parameter name")
		}
		if p := CheckText(key, key); p != nil {
			return nil, p
		}
		if strings.Contains(rawKey, ";") || strings.Contains(rawValue, ";") {
			return nil, InvalidParam(Shown(key), "';' must be percent-encoded (%%3B); parameters are separated by '&'")
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, InvalidParam(Shown(key), "malformed percent-encoding in the value of %s", Shown(key))
		}
		if p := CheckText(key, value); p != nil {
			return nil, p
		}
		v[key] = append(v[key], value)
	}
	return v, nil
}

// CheckText refuses a parameter name or value holding invalid UTF-8 or
// control characters.
func CheckText(param, s string) *Problem {
	if !utf8.ValidString(s) {
		return InvalidParam(Shown(param), "%s is not valid UTF-8", Shown(param))
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			if r == 0 {
				return InvalidParam(Shown(param), "%s holds a NUL character", Shown(param))
			}
			return InvalidParam(Shown(param), "%s holds a control character (U+%04X)", Shown(param), r)
		}
	}
	return nil
}

// Shown returns s cut short and made valid, to repeat it in a problem.
func Shown(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxShown {
		s = string([]rune(s)[:maxShown]) + "…"
	}
	return s
}
