package reprint

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// regroupCorpus is a corpus to change: texts by id, with planted pairs of
// reprints and some groups of three (a reprint of a reprint), some of them
// sharing a long boilerplate when boiler is set.
func regroupCorpus(seed uint64, boiler bool) (ids []string, texts map[string]string) {
	all, bodies, _ := corpusWith(1200, 250, 60, seed)
	r := rand.New(rand.NewPCG(seed, 2))
	texts = map[string]string{}
	for i, id := range all {
		texts[id] = bodies[i]
	}
	// A second reprint of the first planted reprints: groups of three.
	for p := range 15 {
		words := strings.Fields(texts[fmt.Sprintf("reprint%05d", p)])
		for i := range words {
			if r.IntN(25) == 0 {
				words[i] = words[r.IntN(len(words))]
			}
		}
		id := fmt.Sprintf("again%05d", p)
		all = append(all, id)
		texts[id] = strings.Join(words, " ")
	}
	if boiler {
		_, credits, _ := corpusWith(1, 150, 0, seed+100)
		for _, id := range all[:55] {
			texts[id] += " " + credits[0]
		}
	}
	return all, texts
}

// TestRegroupAsGroups changes a corpus in rounds — documents removed,
// signed again, added — and checks that Regroup, given the groups of the
// round before, finds those Groups finds over the whole corpus, and that
// it did so without Groups when the change left the common values alone.
func TestRegroupAsGroups(t *testing.T) {
	for _, tc := range []struct {
		name   string
		seed   uint64
		boiler bool
	}{{"plain", 21, false}, {"boilerplate", 22, true}} {
		t.Run(tc.name, func(t *testing.T) {
			all, texts := regroupCorpus(tc.seed, tc.boiler)
			signer := NewFinder(Options{})
			sigs := map[string]Signature{}
			for _, id := range all {
				sigs[id] = signer.Sign(texts[id])
			}
			r := rand.New(rand.NewPCG(tc.seed, 3))
			in := map[string]bool{}
			for _, id := range all {
				if r.IntN(10) < 8 {
					in[id] = true
				}
			}
			full := func() [][]string {
				f := NewFinder(Options{})
				for _, id := range sortedKeys(in) {
					f.AddSigned(id, sigs[id])
				}
				return f.Groups()
			}
			prev := full()
			incremental, damaged := 0, 0
			for round := range 12 {
				var removed []Signature
				fresh := map[string]bool{}
				for _, id := range sortedKeys(in) {
					switch k := r.IntN(100); {
					case k < 3:
						delete(in, id)
						removed = append(removed, sigs[id])
					case k < 5:
						fresh[id] = true // signed again
						removed = append(removed, sigs[id])
					}
				}
				for _, id := range all {
					if !in[id] && r.IntN(100) < 12 {
						in[id], fresh[id] = true, true
					}
				}
				for _, g := range prev {
					kept := 0
					for _, id := range g {
						if in[id] && !fresh[id] {
							kept++
						}
					}
					if kept >= 2 && kept < len(g) {
						damaged++
					}
				}
				f := NewFinder(Options{})
				f.Grow(len(in))
				for _, id := range sortedKeys(in) {
					if fresh[id] {
						f.AddFresh(id, sigs[id])
					} else {
						f.AddSigned(id, sigs[id])
					}
				}
				got, inc := f.Regroup(prev, removed)
				want := full()
				if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
					t.Fatalf("round %d: Regroup found %d groups, Groups %d:\n%q\n%q", round, len(got), len(want), got, want)
				}
				if len(want) < 40 {
					t.Fatalf("round %d: only %d groups: the planted reprints are not found", round, len(want))
				}
				if inc {
					incremental++
				}
				prev = got
			}
			if incremental != 12 {
				t.Errorf("%d of 12 rounds regrouped incrementally, want all", incremental)
			}
			if damaged == 0 {
				t.Errorf("no round removed part of a group: the case is not exercised")
			}
		})
	}
}

// TestRegroupCommonChanged: when the change makes values common that
// were not (50 documents sharing a boilerplate arrive), the documents
// holding them are compared anew, and Regroup still answers as Groups.
// When a value is held by more than MaxRun+1 documents (70 identical
// texts), a bucket may be larger, of which Groups compares only part, and
// Regroup calls Groups.
func TestRegroupCommonChanged(t *testing.T) {
	all, texts := regroupCorpus(23, false)
	_, credits, _ := corpusWith(1, 150, 0, 123)
	for _, tc := range []struct {
		name        string
		added       int
		text        func(i int) string
		incremental bool
	}{
		{"boilerplate arrives", 50, func(i int) string { return texts[all[i+100]] + " " + credits[0] }, true},
		{"a crowded bucket", 70, func(int) string { return credits[0] + " " + credits[0] }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signer := NewFinder(Options{})
			before := NewFinder(Options{})
			for _, id := range all {
				before.AddSigned(id, signer.Sign(texts[id]))
			}
			prev := before.Groups()
			f, g := NewFinder(Options{}), NewFinder(Options{})
			for _, id := range all {
				f.AddSigned(id, signer.Sign(texts[id]))
				g.AddSigned(id, signer.Sign(texts[id]))
			}
			for i := range tc.added {
				id := fmt.Sprintf("zz%05d", i)
				sig := signer.Sign(tc.text(i))
				f.AddFresh(id, sig)
				g.AddSigned(id, sig)
			}
			got, inc := f.Regroup(prev, nil)
			if inc != tc.incremental {
				t.Errorf("Regroup incremental = %v, want %v", inc, tc.incremental)
			}
			if want := g.Groups(); !slices.EqualFunc(got, want, slices.Equal[[]string]) {
				t.Errorf("Regroup = %d groups, Groups = %d", len(got), len(want))
			}
		})
	}
}

// TestRegroupBoilerplateLeaves: 60 documents share a long boilerplate
// beside short texts of their own, so its values are common and they are
// no reprints; when 30 of them go, the 30 left share values no longer
// common, and Groups joins them. Regroup, given the previous groups (none
// of them), must compare again the kept documents holding those values.
func TestRegroupBoilerplateLeaves(t *testing.T) {
	all, texts := regroupCorpus(24, false)
	_, own, _ := corpusWith(60, 60, 0, 124)
	_, credits, _ := corpusWith(1, 150, 0, 125)
	signer := NewFinder(Options{})
	sigs := map[string]Signature{}
	for _, id := range all {
		sigs[id] = signer.Sign(texts[id])
	}
	var shared []string
	for i := range own {
		id := fmt.Sprintf("credited%05d", i)
		shared = append(shared, id)
		sigs[id] = signer.Sign(own[i] + " " + credits[0])
	}
	before := NewFinder(Options{})
	for _, id := range append(slices.Clone(all), shared...) {
		before.AddSigned(id, sigs[id])
	}
	prev := before.Groups()
	for _, g := range prev {
		if strings.HasPrefix(g[0], "credited") {
			t.Fatalf("the credited documents are grouped before: %q", g)
		}
	}
	f, g := NewFinder(Options{}), NewFinder(Options{})
	var removed []Signature
	for _, id := range append(slices.Clone(all), shared...) {
		if slices.Contains(shared[30:], id) {
			removed = append(removed, sigs[id])
			continue
		}
		f.AddSigned(id, sigs[id])
		g.AddSigned(id, sigs[id])
	}
	got, inc := f.Regroup(prev, removed)
	want := g.Groups()
	if !slices.ContainsFunc(want, func(g []string) bool { return len(g) >= 10 && strings.HasPrefix(g[0], "credited") }) {
		t.Fatalf("Groups does not join the credited documents left: the case is not made")
	}
	if !inc {
		t.Errorf("Regroup called Groups")
	}
	if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Errorf("Regroup = %d groups, Groups = %d", len(got), len(want))
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
