package corpus

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"tacheron/corpus/analysis"
)

// DateLayout is the layout of document dates.
const DateLayout = "2006-01-02"

// month returns the month named by a folded, dot-less French or English
// (or German, as press databases write them) month name or abbreviation,
// or 0.
func month(word string) time.Month {
	switch word {
	case "janvier", "janv", "jan", "january", "januar":
		return time.January
	case "fevrier", "fevr", "fev", "february", "feb", "februar":
		return time.February
	case "mars", "mar", "march", "marz":
		return time.March
	case "avril", "avr", "april", "apr":
		return time.April
	case "mai", "may":
		return time.May
	case "juin", "june", "jun", "juni":
		return time.June
	case "juillet", "juil", "july", "jul", "juli":
		return time.July
	case "aout", "august", "aug":
		return time.August
	case "septembre", "sept", "sep", "september":
		return time.September
	case "octobre", "oct", "october", "oktober", "okt":
		return time.October
	case "novembre", "nov", "november":
		return time.November
	case "decembre", "dec", "december", "dezember", "dez":
		return time.December
	}
	return 0
}

// isWeekday reports whether word is a folded French or English day name.
func isWeekday(word string) bool {
	switch word {
	case "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag":
		return true
	}
	return false
}

// datePart is a day, month and year, any of which may be missing (zero).
type datePart struct {
	day   int
	month time.Month
	year  int
}

// parseDatePart reads words such as "lundi 10 avril 2017", "1er mars",
// "janv" or "March 22 2017".
func parseDatePart(words []string) (datePart, bool) {
	var p datePart
	for _, w := range words {
		switch {
		case isWeekday(w):
		case month(w) != 0 && p.month == 0:
			p.month = month(w)
		case w == "1er":
			p.day = 1
		default:
			n, err := strconv.Atoi(w)
			switch {
			case err != nil:
				return p, false
			case len(w) == 4 && n >= 1900 && n <= 2200 && p.year == 0:
				p.year = n
			case n >= 1 && n <= 31 && p.day == 0 && p.year == 0:
				p.day = n
			default:
				return p, false
			}
		}
	}
	return p, true
}

// ParseDate reads a French or English date as it appears in titles: "22 mars
// 2017", "lundi 10 avril 2017", "24 févr. 2017", "March 22, 2017",
// "2017-03-22", a month ("mars 2017") or a span ("janv.-mars 2017", "10-12
// mars 2017"). It returns the first and last day covered; ok is false when
// text is not a date with at least a month and a year.
func ParseDate(text string) (from, to time.Time, ok bool) {
	text = strings.TrimSpace(text)
	if t, err := time.Parse(DateLayout, text); err == nil {
		return t, t, true
	}
	norm := analysis.Fold(analysis.Lower(text))
	norm = strings.NewReplacer(".", " ", ",", " ", "–", "-", "—", "-", "/", " ").Replace(norm)
	halves := strings.Split(norm, "-")
	if len(halves) > 2 {
		return time.Time{}, time.Time{}, false
	}
	parts := make([]datePart, len(halves))
	for i, h := range halves {
		words := strings.Fields(h)
		if len(words) == 0 {
			return time.Time{}, time.Time{}, false
		}
		p, good := parseDatePart(words)
		if !good {
			return time.Time{}, time.Time{}, false
		}
		parts[i] = p
	}
	first, last := parts[0], parts[len(parts)-1]
	if first.year == 0 {
		first.year = last.year
	}
	if first.month == 0 {
		first.month = last.month
	}
	if first.year == 0 || first.month == 0 || last.year == 0 || last.month == 0 {
		return time.Time{}, time.Time{}, false
	}
	from, okFrom := dayOf(first, false)
	to, okTo := dayOf(last, true)
	if !okFrom || !okTo || to.Before(from) {
		return time.Time{}, time.Time{}, false
	}
	return from, to, true
}

// dayOf returns the day of p; a missing day is the month's first day, or its
// last when end is true.
func dayOf(p datePart, end bool) (time.Time, bool) {
	if p.day == 0 {
		t := time.Date(p.year, p.month, 1, 0, 0, 0, 0, time.UTC)
		if end {
			t = t.AddDate(0, 1, -1)
		}
		return t, true
	}
	t := time.Date(p.year, p.month, p.day, 0, 0, 0, 0, time.UTC)
	if t.Day() != p.day {
		return time.Time{}, false
	}
	return t, true
}

// PublishedLayout is the layout of Document.Published: RFC 3339, to the
// second, with the source's offset.
const PublishedLayout = time.RFC3339

// timestampLayouts are the layouts of timestamps with a time of day and a
// zone that sources write: RFC 3339 and ISO 8601 variants, RFC 822/1123
// (feeds, e-mail), with a numeric offset or a zone abbreviation.
var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04 -0700",
	"2006-01-02T15:04:05 MST",
	"2006-01-02 15:04:05 MST",
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"Mon, 02 Jan 2006 15:04:05 -0700 (MST)",
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05 MST",
	time.RFC850,
	time.UnixDate,
}

// ParseTimestamp reads a timestamp that names its time of day and its
// time zone ("2017-03-22T09:15:00+01:00", "Wed, 22 Mar 2017 09:15:00
// +0100", "Wed, 22 Mar 2017 08:15:00 GMT", "2017-03-22 09:15:00 EST") and
// returns it in that zone. A zone abbreviation is read with ZoneOffset; a
// timestamp without a zone, or with one it does not know, is not read (ok
// is false): its instant is unknown.
func ParseTimestamp(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	for _, layout := range timestampLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if !strings.Contains(layout, "MST") || strings.Contains(layout, "-0700") {
			return t, t.Year() > 1
		}
		// The zone is an abbreviation: time.Parse gives unknown ones (EST
		// in a program running in Paris) a zero offset.
		name, _ := t.Zone()
		off, known := ZoneOffset(name)
		if !known {
			return time.Time{}, false
		}
		y, mo, d := t.Date()
		h, mi, sec := t.Clock()
		return time.Date(y, mo, d, h, mi, sec, t.Nanosecond(), time.FixedZone(strings.ToUpper(name), off)), t.Year() > 1
	}
	return time.Time{}, false
}

// ZoneOffset returns the offset east of UTC, in seconds, of a time zone
// abbreviation as news sources write them ("GMT", "UTC", "EST", "CEST",
// "BST"), or of an explicit offset ("UTC+01:00", "GMT+1", "+0200"). Ambiguous
// abbreviations (IST, CST in Asia…) are read as their most common meaning
// in the press: CST is US Central.
func ZoneOffset(zone string) (int, bool) {
	z := strings.ToUpper(strings.TrimSpace(zone))
	z = strings.Trim(z, "()")
	const h = 3600
	switch z {
	case "Z", "GMT", "UTC", "UT", "WET", "TU":
		return 0, true
	case "BST", "WEST", "CET", "MET", "WAT":
		return 1 * h, true
	case "CEST", "MEST", "EET", "CAT", "SAST":
		return 2 * h, true
	case "EEST", "MSK":
		return 3 * h, true
	case "EST":
		return -5 * h, true
	case "EDT", "AST":
		return -4 * h, true
	case "CST":
		return -6 * h, true
	case "CDT":
		return -5 * h, true
	case "MST":
		return -7 * h, true
	case "MDT":
		return -6 * h, true
	case "PST":
		return -8 * h, true
	case "PDT":
		return -7 * h, true
	case "JST", "KST":
		return 9 * h, true
	case "AEST":
		return 10 * h, true
	case "AEDT":
		return 11 * h, true
	case "HKT", "SGT", "AWST":
		return 8 * h, true
	}
	rest := z
	for _, p := range []string{"UTC", "GMT", "UT"} {
		if strings.HasPrefix(rest, p) {
			rest = strings.TrimSpace(rest[len(p):])
			break
		}
	}
	if rest == "" || (rest[0] != '+' && rest[0] != '-') {
		return 0, false
	}
	sign := 1
	if rest[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(rest[1:], ":", "")
	var hours, minutes int
	switch len(digits) {
	case 1, 2:
		hours, _ = strconv.Atoi(digits)
	case 3, 4:
		hours, _ = strconv.Atoi(digits[:len(digits)-2])
		minutes, _ = strconv.Atoi(digits[len(digits)-2:])
	default:
		return 0, false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	if hours > 14 || minutes > 59 {
		return 0, false
	}
	return sign * (hours*h + minutes*60), true
}

// Stamp returns a document's Date and Published from a time in its
// source's zone: its day there, and the time as RFC 3339.
func Stamp(t time.Time) (date, published string) {
	return t.Format(DateLayout), t.Format(PublishedLayout)
}

// nameDateRE matches a file name that starts with a date.
var nameDateRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:[-_ .T]|$)`)

// NameDate returns the date the base name of p starts with, as in
// "2017-03-22-notes.md": notes and Word files are dated so by their
// authors.
func NameDate(p string) (string, bool) {
	if m := nameDateRE.FindStringSubmatch(path.Base(p)); m != nil {
		return m[1], true
	}
	return "", false
}
