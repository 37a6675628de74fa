package api

import (
	"bytes"
	"context"
	"math"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"tacheron/api/gate"
	"tacheron/index"
)

// encodedAlike fails t unless r's hand-written encoding is byte for byte
// what encoding/json writes (gate.EncodeJSON), or both refuse r.
func encodedAlike(t *testing.T, r *SearchResponse) {
	t.Helper()
	var want bytes.Buffer
	wantErr := gate.EncodeJSON(&want, r)
	got, err := r.appendJSON(nil)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendJSON error %v, encoding/json error %v", err, wantErr)
	}
	if err == nil && !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("appendJSON wrote\n%s\nencoding/json\n%s", got, want.Bytes())
	}
}

// TestSearchJSONAsEncodingJSON checks the search response's encoder against
// encoding/json on responses with every kind of value: strings to escape,
// floats of every size, nil and empty lists, omitted fields.
func TestSearchJSONAsEncodingJSON(t *testing.T) {
	hit := Hit{ID: "a/b?c=1&d", Title: `Le "micro-travail" <mark>x</mark> \ é`, Source: "Le Monde", Kind: "press", Date: "2017-03-22", Lang: "fr",
		Concepts: []string{"microtravail"}, Authors: []string{"Antonio Casilli"}, Tags: []string{"tag\tun"}, Score: 31.798, Tier: 1 << 40,
		Highlights: Highlights{Title: []string{"<mark>a</mark>"}, Body: []string{"… b\u2028c\u2029d …"}, BodyLang: []string{"fr"}},
		Match:      "all", AlsoIn: []DocumentReference{{ID: "x", Title: "y", Source: "z", Date: "2017", Kind: "post"}}}
	cases := []struct {
		name string
		r    SearchResponse
	}{
		{"empty", SearchResponse{}},
		{"empty lists", SearchResponse{Hits: []Hit{}, Facets: map[string][]FacetValue{}, Words: []string{}}},
		{"full", SearchResponse{Query: "micro-travail", Total: 12, RelatedTotal: 3, Page: 2, PerPage: 10, TookMS: 0.123, Hits: []Hit{hit, {}},
			Facets: map[string][]FacetValue{"source": {{Value: "Le Monde", Count: 3}}, "concept": {{Value: "c", Label: "Concept", Count: 1}}, "date": nil, "kind": {}},
			Words:  []string{"micro", "travail"}, Generation: math.MaxUint64,
			Warnings: []Warning{{Parameter: "source", Value: "le mond", Closest: []string{"Le Monde"}, Message: "no source \"le mond\""}, {}}}},
		{"control characters", SearchResponse{Query: "\x00\x01\x08\x0c\n\r\t\x1f\x7f"}},
		{"invalid UTF-8", SearchResponse{Query: "a\xffb\xc3(\xe2\x82", Words: []string{"\xed\xa0\x80"}}},
		{"tiny took", SearchResponse{TookMS: 1e-7}},
		{"huge took", SearchResponse{TookMS: 1e21}},
		{"negative exponent", SearchResponse{TookMS: -2.5e-10}},
		{"large exponent", SearchResponse{TookMS: 1.5e300}},
		{"just under", SearchResponse{TookMS: 9.99999e20}},
		{"negative zero", SearchResponse{TookMS: math.Copysign(0, -1)}},
		{"NaN", SearchResponse{Hits: []Hit{{Score: math.NaN()}}}},
		{"infinity", SearchResponse{TookMS: math.Inf(1)}},
		{"empty extras", SearchResponse{Hits: []Hit{{Authors: []string{}, Tags: []string{}, Concepts: []string{}, AlsoIn: []DocumentReference{}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { encodedAlike(t, &c.r) })
	}
	// Every character to escape, and a multi-byte one, at every place of
	// strings read eight bytes at a time, and after a byte above 0x80
	// that could borrow.
	t.Run("every place", func(t *testing.T) {
		for _, special := range []string{"\x00", "\x1f", " ", "\"", "\\", "\x7f", "é", "\u2028", "\xff", "!", "#", "[", "]"} {
			for n := range 20 {
				for at := 0; at <= n; at++ {
					s := strings.Repeat("a", at) + special + strings.Repeat("b", n-at)
					encodedAlike(t, &SearchResponse{Query: s, Words: []string{"\xc3\xa9" + s, "\x80" + s}})
				}
			}
		}
	})
}

// TestSearchJSONEveryField fills every field of a search response, its
// hits and their parts, by reflection: a field added to the types and
// forgotten by the hand-written encoder fails here (published did).
func TestSearchJSONEveryField(t *testing.T) {
	var r SearchResponse
	fill(reflect.ValueOf(&r).Elem(), 0)
	if len(r.Hits) == 0 || r.Hits[0].Published == "" {
		t.Fatalf("fill left the hits empty: %+v", r)
	}
	encodedAlike(t, &r)
}

// fill sets every exported field of v to a value that is not its zero,
// down to depth 4.
func fill(v reflect.Value, depth int) {
	if depth > 4 || !v.CanSet() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("v\"é")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		v.SetUint(9)
	case reflect.Float64, reflect.Float32:
		v.SetFloat(1.25)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	}
}

// TestSearchJSONOfRealSearches checks the encoder on the responses of real
// searches of the bundled index.
func TestSearchJSONOfRealSearches(t *testing.T) {
	for _, q := range append(benchQueries, "travail -amazon", `"travail du clic"`, "crowdworkers") {
		for _, extra := range []url.Values{{}, {"source": {"nowhere"}}, {"facets": {"source,author,tag,date"}, "per_page": {"50"}}} {
			v := url.Values{"q": {q}}
			for k, vs := range extra {
				v[k] = vs
			}
			encodedAlike(t, NewSearchResponse(searchOf(t, v)))
		}
	}
}

// FuzzSearchJSON checks the encoder against encoding/json on arbitrary
// strings and numbers.
func FuzzSearchJSON(f *testing.F) {
	f.Add("micro-travail", "<mark>é</mark>", 0.123, 31.798)
	f.Add("\x00\u2028\xff", "\"\\", 1e-7, 1e21)
	f.Fuzz(func(t *testing.T, s1, s2 string, f1, f2 float64) {
		r := SearchResponse{Query: s1, TookMS: f1, Words: []string{s2},
			Hits:   []Hit{{ID: s2, Title: s1, Score: f2, Highlights: Highlights{Body: []string{s1 + s2}}}},
			Facets: map[string][]FacetValue{s1: {{Value: s2, Label: s1}}, s2: nil}}
		encodedAlike(t, &r)
	})
}

// TestSearchResponseReused checks that a response filled over an earlier
// one, larger, with warnings, related hits and other facets, or smaller,
// encodes as a new one does.
func TestSearchResponseReused(t *testing.T) {
	var reqs []index.Request
	var results []*index.Result
	for _, v := range []url.Values{
		{"q": {"travail"}, "per_page": {"50"}, "source": {"nowhere"}, "facets": {"source,author,tag,date"}},
		{"q": {"zzzzqqq"}},
		{"q": {"micro-travail"}, "page": {"2"}},
		{"q": {""}, "per_page": {"3"}},
		{"q": {"uber"}, "related": {"false"}, "facets": {""}},
	} {
		req, res := searchOf(t, v)
		reqs, results = append(reqs, req), append(results, res)
	}
	reused := new(SearchResponse)
	for _, order := range [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {0, 3, 0, 1, 4, 2}} {
		for _, i := range order {
			want, err := NewSearchResponse(reqs[i], results[i]).appendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := reused.fill(reqs[i], results[i]).appendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("search %d after others:\n%s\nnew:\n%s", i, got, want)
			}
			encodedAlike(t, reused)
		}
	}
}

// BenchmarkSearchJSON encodes the responses of BenchmarkSearch's queries.
func BenchmarkSearchJSON(b *testing.B) {
	var responses []*SearchResponse
	size := 0
	for _, q := range benchQueries {
		r := NewSearchResponse(searchOf(b, url.Values{"q": {q}}))
		responses = append(responses, r)
		out, _ := r.appendJSON(nil)
		size += len(out)
	}
	b.SetBytes(int64(size / len(responses)))
	var buf []byte
	for i := 0; b.Loop(); i++ {
		var err error
		if buf, err = responses[i%len(responses)].appendJSON(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

// searchOf returns the request of the parameters v and its result on the
// test index.
func searchOf(tb testing.TB, v url.Values) (index.Request, *index.Result) {
	tb.Helper()
	req, p := searchRequest(v)
	if p != nil {
		tb.Fatal(p.Detail)
	}
	res, err := testLive.Search(context.Background(), req)
	if err != nil {
		tb.Fatal(err)
	}
	return req, res
}
