package corpus

import (
	"strings"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in, want string // want "" when the text has no time with a zone
	}{
		{"2017-03-22T09:15:00+01:00", "2017-03-22T09:15:00+01:00"},
		{"2017-03-22T09:15:00.123456Z", "2017-03-22T09:15:00Z"},
		{"2017-03-22T09:15:00+0100", "2017-03-22T09:15:00+01:00"},
		{"2017-03-22T09:15+01:00", "2017-03-22T09:15:00+01:00"},
		{"2017-03-22 09:15:00 +0100", "2017-03-22T09:15:00+01:00"},
		{"2017-03-22 09:15:00 -0500 EST", "2017-03-22T09:15:00-05:00"},
		{"Wed, 22 Mar 2017 09:15:00 +0100", "2017-03-22T09:15:00+01:00"},
		{"Wed, 22 Mar 2017 08:15:00 GMT", "2017-03-22T08:15:00Z"},
		{"Wed, 22 Mar 2017 04:15:00 EST", "2017-03-22T04:15:00-05:00"},
		{"Wed, 22 Mar 2017 05:15:00 EDT", "2017-03-22T05:15:00-04:00"},
		{"Wed, 22 Mar 2017 10:15:00 CEST", "2017-03-22T10:15:00+02:00"},
		{"22 Mar 2017 09:15:00 +0100", "2017-03-22T09:15:00+01:00"},
		{"Wed, 22 Mar 2017 09:15 +0100", "2017-03-22T09:15:00+01:00"},
		{"  2017-03-22T23:59:59-10:00 ", "2017-03-22T23:59:59-10:00"},
		// No zone, or one not known: the instant is not known.
		{"2017-03-22T09:15:00", ""},
		{"2017-03-22 09:15:00", ""},
		{"Wed, 22 Mar 2017 09:15:00 XYZ", ""},
		{"2017-03-22", ""},
		{"22 mars 2017", ""},
		{"", ""},
		{"0000-01-01T00:00:00Z", ""},
	}
	for _, tt := range tests {
		got := ""
		if ts, ok := ParseTimestamp(tt.in); ok {
			got = ts.Format(PublishedLayout)
		}
		if got != tt.want {
			t.Errorf("ParseTimestamp(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestZoneOffset(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"GMT", 0, true}, {"utc", 0, true}, {"Z", 0, true}, {"CET", 3600, true}, {"CEST", 7200, true},
		{"EST", -5 * 3600, true}, {"PDT", -7 * 3600, true}, {"BST", 3600, true}, {"(GMT)", 0, true},
		{"UTC+01:00", 3600, true}, {"UTC +0200", 7200, true}, {"GMT+1", 3600, true}, {"GMT-5", -5 * 3600, true},
		{"+05:30", 5*3600 + 30*60, true}, {"-0330", -(3*3600 + 30*60), true},
		{"UTC+15", 0, false}, {"+1a", 0, false}, {"XYZ", 0, false}, {"", 0, false}, {"UTC+12345", 0, false},
	}
	for _, tt := range tests {
		got, ok := ZoneOffset(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ZoneOffset(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestRecordPublished checks the published field of JSON Lines records:
// kept in its zone, its day there the date when the record gives none,
// and refused, naming the line, when it has no zone.
func TestRecordPublished(t *testing.T) {
	tests := []struct {
		line, date, published, err string
	}{
		{`{"title":"T","published":"2017-03-22T23:30:00-05:00"}`, "2017-03-22", "2017-03-22T23:30:00-05:00", ""},
		{`{"title":"T","date":"2017-03-22","published":"Wed, 22 Mar 2017 09:15:00 +0100"}`, "2017-03-22", "2017-03-22T09:15:00+01:00", ""},
		{`{"title":"T","date":"2017-03-22"}`, "2017-03-22", "", ""},
		{`{"title":"T","published":"2017-03-22T09:15:00"}`, "", "", `f.jsonl:7: published "2017-03-22T09:15:00" is not a time with a zone`},
		{`{"title":"T"}`, "", "", `f.jsonl:7: date "" is not a date`},
	}
	for _, tt := range tests {
		d, err := ParseRecord("f.jsonl", 7, []byte(tt.line), Manifest{})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.line, err, tt.err)
			}
			continue
		}
		if err != nil || d.Date != tt.date || d.Published != tt.published {
			t.Errorf("%s: date %q, published %q, %v; want %q, %q", tt.line, d.Date, d.Published, err, tt.date, tt.published)
		}
	}
}

// FuzzParseTimestamp checks that a timestamp read is one RFC 3339 writes
// and reads back as the same instant in the same zone, with an offset
// within ±14 hours.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2017-03-22T09:15:00+01:00", "Wed, 22 Mar 2017 08:15:00 GMT", "2017-03-22 09:15:00 -0500 EST",
		"Wed, 22 Mar 2017 04:15:00 EST", "2017-03-22T09:15", "22 mars 2017", "UTC+01:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if off, ok := ZoneOffset(s); ok && (off < -14*3600 || off > 14*3600) {
			t.Errorf("ZoneOffset(%q) = %d, beyond ±14 hours", s, off)
		}
		ts, ok := ParseTimestamp(s)
		if !ok {
			return
		}
		out := ts.Format(PublishedLayout)
		back, err := time.Parse(time.RFC3339, out)
		if err != nil {
			t.Fatalf("ParseTimestamp(%q) = %q, which RFC 3339 does not read: %v", s, out, err)
		}
		_, off := ts.Zone()
		_, backOff := back.Zone()
		if !back.Equal(ts.Truncate(time.Second)) || off != backOff {
			t.Errorf("ParseTimestamp(%q) = %v, read back as %v", s, ts, back)
		}
	})
}
