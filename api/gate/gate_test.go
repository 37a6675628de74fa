package gate

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"tacheron/api/apitest"
	"tacheron/index"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for _, tt := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"deflate, gzip;q=0.5", true},
		{"GZIP", true},
		{"gzip;q=0", false},
		{"gzip;q=0.0, *", false},
		{"*", true},
		{"*;q=0", false},
		{"br", false},
		{"identity", false},
		{"gzip;q=abc", false},
	} {
		if got := acceptsGzip([]string{tt.header}); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

// TestCheckRequestAgreesWithIndex checks that checkRequest refuses, with
// the same parameter, what the index refuses of the query's words and the
// filters' values, and lets through what it accepts.
func TestCheckRequestAgreesWithIndex(t *testing.T) {
	testLive, err := apitest.Bundled(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer testLive.Close()
	values := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "v" + strconv.Itoa(i)
		}
		return out
	}
	for _, req := range []index.Request{
		{Query: strings.Repeat("mot ", 32)},
		{Query: strings.Repeat("mot ", 33)},
		{Query: strings.Repeat(`"de la" `, 16)},
		{Query: strings.Repeat(`"de la" `, 17)},
		{Query: strings.Repeat("-a ", 33)},
		{Query: strings.Repeat("a* ", 33)},
		{Query: strings.Repeat("l'a ", 33)},
		{Query: strings.Repeat("(a) ", 33)},
		{Query: strings.Repeat("a-b ", 17)},
		{Query: strings.Repeat("a.b ", 17)},
		{Query: strings.Repeat("* ", 100)},
		{Filters: index.Filters{Sources: values(100)}},
		{Filters: index.Filters{Sources: values(101)}},
		{Filters: index.Filters{Concepts: values(101)}},
		{Filters: index.Filters{Kinds: values(101)}},
		{Filters: index.Filters{Langs: values(101)}},
	} {
		_, err := testLive.Search(context.Background(), req)
		var want *index.QueryError
		errors.As(err, &want)
		var got *index.QueryError
		errors.As(checkRequest(req), &got)
		if (got == nil) != (want == nil) || got != nil && got.Field != want.Field {
			t.Errorf("checkRequest(%.40q, %d filter values) = %v, the index says %v", req.Query, len(req.Filters.Sources)+len(req.Filters.Concepts)+len(req.Filters.Kinds)+len(req.Filters.Langs), got, want)
		}
	}
}
