package index

import (
	"maps"
	"slices"
	"testing"
	"unsafe"
)

func TestLRU(t *testing.T) {
	c := newLRU(100, func(_ string, v []byte) int { return len(v) })
	c.put("a", make([]byte, 20))
	c.put("b", make([]byte, 20))
	c.put("c", make([]byte, 20))
	if _, ok := c.get("a"); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.put("d", make([]byte, 20))
	c.put("e", make([]byte, 20)) // 100 bytes: all kept
	c.put("f", make([]byte, 20)) // 120: b, the least recent, goes
	if _, ok := c.get("b"); ok {
		t.Error("b kept past the limit")
	}
	for _, k := range []string{"a", "c", "d", "e", "f"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("%s missing", k)
		}
	}
	if c.bytes != 100 {
		t.Errorf("bytes = %d, want 100", c.bytes)
	}
	c.put("big", make([]byte, 26)) // over a quarter of the limit
	if _, ok := c.get("big"); ok {
		t.Error("a value over a quarter of the limit was kept")
	}
	c.put("a", make([]byte, 1)) // already there: unchanged
	if v, _ := c.get("a"); len(v) != 20 {
		t.Errorf("a replaced: %d bytes", len(v))
	}
}

// TestCachedRecordsHighlightAlike: a record's second highlight, from the
// document store's cache with its folded paragraphs, equals its first.
func TestCachedRecordsHighlightAlike(t *testing.T) {
	s := bundled(t)
	for _, q := range []string{"travail du clic", "intelligence artificielle", "plateformes", "micro-t"} {
		req := Request{Query: q, Limit: 10, Highlight: true}
		first, err := s.Search(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.Search(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Hits) == 0 || len(first.Hits) != len(second.Hits) {
			t.Fatalf("%q: %d then %d hits", q, len(first.Hits), len(second.Hits))
		}
		for i := range first.Hits {
			a, b := first.Hits[i].Highlights, second.Hits[i].Highlights
			if len(a["body"]) == 0 && len(a["title"]) == 0 {
				t.Errorf("%q: hit %s has no highlight", q, first.Hits[i].ID)
			}
			if !maps.EqualFunc(a, b, slices.Equal[[]string]) {
				t.Errorf("%q: hit %s: highlights %v, then %v", q, first.Hits[i].ID, a, b)
			}
		}
	}
}

// TestCellSize: an accumulator cell stays at 24 bytes (see cell).
func TestCellSize(t *testing.T) {
	if n := unsafe.Sizeof(cell{}); n != 24 {
		t.Errorf("a cell takes %d bytes, want 24", n)
	}
}
