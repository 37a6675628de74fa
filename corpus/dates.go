package corpus

import (
	"strconv"
	"strings"
	"time"

	"tacheron/corpus/analysis"
)

// DateLayout is the layout of document dates.
const DateLayout = "2006-01-02"

// month returns the month named by a folded, dot-less French or English
// month name or abbreviation, or 0.
func month(word string) time.Month {
	switch word {
	case "janvier", "janv", "jan", "january":
		return time.January
	case "fevrier", "fevr", "fev", "february", "feb":
		return time.February
	case "mars", "mar", "march":
		return time.March
	case "avril", "avr", "april", "apr":
		return time.April
	case "mai", "may":
		return time.May
	case "juin", "june", "jun":
		return time.June
	case "juillet", "juil", "july", "jul":
		return time.July
	case "aout", "august", "aug":
		return time.August
	case "septembre", "sept", "sep", "september":
		return time.September
	case "octobre", "oct", "october":
		return time.October
	case "novembre", "nov", "november":
		return time.November
	case "decembre", "dec", "december":
		return time.December
	}
	return 0
}

// isWeekday reports whether word is a folded French or English day name.
func isWeekday(word string) bool {
	switch word {
	case "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
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
