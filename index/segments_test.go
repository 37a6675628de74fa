package index

import (
	"bytes"
	"testing"
)

// TestEncodeUvarintAscending checks the keys of root.bolt's segments
// against scorch's encoding (bleve's index/scorch/int.go), and that they
// sort as the numbers do: scorch lists a snapshot's segments in the order
// of their keys.
func TestEncodeUvarintAscending(t *testing.T) {
	for _, tc := range []struct {
		v    uint64
		want []byte
	}{
		{0, []byte{0x88}},
		{1, []byte{0x89}},
		{109, []byte{0xf5}},
		{110, []byte{0xf6, 110}},
		{0xff, []byte{0xf6, 0xff}},
		{0x100, []byte{0xf7, 1, 0}},
		{0x123456, []byte{0xf8, 0x12, 0x34, 0x56}},
		{1<<64 - 1, []byte{0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	} {
		if got := encodeUvarintAscending(nil, tc.v); !bytes.Equal(got, tc.want) {
			t.Errorf("encodeUvarintAscending(%d) = %x, want %x", tc.v, got, tc.want)
		}
	}
	prev := encodeUvarintAscending(nil, 0)
	for v := uint64(1); v < 70000; v++ {
		key := encodeUvarintAscending(nil, v)
		if bytes.Compare(prev, key) >= 0 {
			t.Fatalf("key of %d (%x) does not sort after that of %d (%x)", v, key, v-1, prev)
		}
		prev = key
	}
}
