package index

import (
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"tacheron/corpus/reprint"
)

// TestSignaturesRoundTrip writes signatures and reads them back, refuses
// the file cut short or grown, and reads the gob file of older snapshots.
func TestSignaturesRoundTrip(t *testing.T) {
	f := reprint.NewFinder(reprint.Options{})
	var words []string
	for i := range 80 {
		words = append(words, fmt.Sprintf("mot%d", i))
	}
	text := strings.Join(words, " ")
	sigs := map[string]reprint.Signature{
		"a": f.Sign(text),
		"b": f.Sign(text + " et la suite de l'histoire des coursiers"),
		"c": {}, // too short to sign: not written
	}
	if v, _ := sigs["a"].Values(); len(v) == 0 {
		t.Fatal("the test text was not signed")
	}
	dir := t.TempDir()
	if err := writeSignatures(filepath.Join(dir, signaturesFile), []string{"a", "b", "c"}, sigs); err != nil {
		t.Fatal(err)
	}
	got, err := loadSignatures(dir)
	if err != nil {
		t.Fatal(err)
	}
	delete(sigs, "c")
	if !reflect.DeepEqual(got, sigs) {
		t.Errorf("loadSignatures = %v, want %v", got, sigs)
	}
	data, err := os.ReadFile(filepath.Join(dir, signaturesFile))
	if err != nil {
		t.Fatal(err)
	}
	for name, spoilt := range map[string][]byte{
		"cut short": data[:len(data)-1],
		"grown":     append(data[:len(data):len(data)], 0),
		"no magic":  data[1:],
		"empty":     {},
	} {
		if err := os.WriteFile(filepath.Join(dir, signaturesFile), spoilt, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := loadSignatures(dir); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: loadSignatures error %v, want ErrCorrupt", name, err)
		}
	}

	old := t.TempDir()
	st := storedSignatures{}
	for _, id := range []string{"a", "b"} {
		v, size := sigs[id].Values()
		st.IDs, st.Sizes, st.Values = append(st.IDs, id), append(st.Sizes, size), append(st.Values, v)
	}
	out, err := os.Create(filepath.Join(old, gobSignaturesFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := gob.NewEncoder(out).Encode(&st); err != nil {
		t.Fatal(err)
	}
	out.Close()
	if got, err := loadSignatures(old); err != nil || !reflect.DeepEqual(got, sigs) {
		t.Errorf("loadSignatures of a gob file = %v, %v; want %v", got, err, sigs)
	}
}
