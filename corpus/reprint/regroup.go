package reprint

import "slices"

// Grouping again after a change. When no LSH bucket holds more than
// MaxRun+1 documents, Groups compares every pair of documents that share
// a band, so its groups are the connected parts of a graph whose edges are
// the pairs sharing a band whose containment reaches Containment; and the
// containment of a pair depends only on its two signatures and on which
// of their values are common. So the edges between kept documents that
// hold no value whose commonness changed (clean ones) are those of last
// time: a previous group whose members are all kept and clean is still
// joined, one that lost members is compared again pair by pair, and the
// pairs with a fresh or unclean document are compared anew.

// Regroup returns what Groups would, given the groups prev found last time
// among the previous documents: those added here by AddSigned (kept), and
// those no longer here or signed again, whose signatures are removed (the
// latter come back, with their new signatures, through AddFresh). It
// compares only the pairs with a fresh document or one holding a value
// whose commonness changed, and those within a previous group that lost
// members. When that might not give Groups' answer — a value is held by
// more than MaxRun+1 documents before or after the change, so a bucket
// might be larger, and Groups compares only part of such a bucket — or
// would compare as much — a quarter of the documents changed —, it calls
// Groups; incremental reports whether it did not.
func (f *Finder) Regroup(prev [][]string, removed []Signature) (groups [][]string, incremental bool) {
	n := len(f.ids)
	var gone []uint16
	for _, s := range removed {
		if len(s.values) == f.k {
			gone = append(gone, s.values...)
		}
	}
	nGone := len(gone) / max(f.k, 1)
	fresh := 0
	for _, isFresh := range f.fresh {
		if isFresh {
			fresh++
		}
	}
	if 4*(fresh+nGone) > n {
		return f.Groups(), false
	}
	changed, ok := f.commonChanges(gone, n-fresh+nGone)
	if !ok {
		return f.groupAll(), false // f.common is set
	}
	dirty := slices.Clone(f.fresh)
	unclean := 0
	for d := range n {
		if dirty[d] {
			continue
		}
		for i, v := range f.sig(d) {
			if bit := i<<16 | int(v); changed[bit/64]&(1<<(bit%64)) != 0 {
				dirty[d] = true
				unclean++
				break
			}
		}
	}
	if 4*(fresh+unclean+nGone) > n {
		return f.Groups(), false
	}
	f.markValid()
	u := newUnionFind(n)
	f.joinPrevious(u, prev, dirty)
	f.joinDirty(u, dirty)
	return f.groups(u), true
}

// commonChanges sets f.common for f's documents (as markCommon does) and
// returns the values whose commonness differs from what it was among the
// previous documents (f's without the fresh ones, with gone's signatures:
// prevN of them), a bit per (hash, value) as in f.common; ok is false when
// a value is held by more than MaxRun+1 documents, before or after, so
// that a bucket might hold more.
func (f *Finder) commonChanges(gone []uint16, prevN int) (changed []uint64, ok bool) {
	n := len(f.ids)
	limit, prevLimit := f.commonLimit(n), f.commonLimit(prevN)
	big := int32(f.opts.MaxRun + 1)
	f.common = make([]uint64, f.k*65536/64)
	changed = make([]uint64, f.k*65536/64)
	crowded := make([]uint64, f.k*65536/64) // more than big documents, before or after
	anyCrowded := false
	var counts, added, lost [65536]int32
	for i := range f.k {
		clear(counts[:])
		clear(added[:])
		clear(lost[:])
		for d := range n {
			v := f.sigs[d*f.k+i]
			counts[v]++
			if f.fresh[d] {
				added[v]++
			}
		}
		for d := 0; d < len(gone); d += f.k {
			lost[gone[d+i]]++
		}
		for v, c := range counts {
			before := c - added[v] + lost[v]
			bit := i<<16 | v
			if (c > limit) != (before > prevLimit) {
				changed[bit/64] |= 1 << (bit % 64)
			}
			if c > limit {
				f.common[bit/64] |= 1 << (bit % 64)
			}
			if c > big || before > big {
				crowded[bit/64] |= 1 << (bit % 64)
				anyCrowded = true
			}
		}
	}
	if anyCrowded {
		// Telling whether a bucket is larger would cost about what
		// Groups does.
		return nil, false
	}
	return changed, true
}

// shareBand reports whether documents a and b are equal on a band.
func (f *Finder) shareBand(a, b int) bool {
	sa, sb := f.sig(a), f.sig(b)
	rows := f.opts.Rows
	for band := range f.opts.Bands {
		if slices.Equal(sa[band*rows:(band+1)*rows], sb[band*rows:(band+1)*rows]) {
			return true
		}
	}
	return false
}

// joinPrevious joins in u the kept members of the previous groups that
// are not dirty: those of a group that kept all its members clean at
// once, those of a group that lost some by comparing them again.
func (f *Finder) joinPrevious(u unionFind, prev [][]string, dirty []bool) {
	if len(prev) == 0 {
		return
	}
	members := map[string]int32{}
	for _, g := range prev {
		for _, id := range g {
			members[id] = -1
		}
	}
	for d, id := range f.ids {
		if _, ok := members[id]; ok && !dirty[d] {
			members[id] = int32(d)
		}
	}
	var kept []int32
	for _, g := range prev {
		kept = kept[:0]
		for _, id := range g {
			if d := members[id]; d >= 0 {
				kept = append(kept, d)
			}
		}
		if len(kept) == len(g) {
			for _, d := range kept[1:] {
				u.union(d, kept[0])
			}
			continue
		}
		for i, a := range kept {
			for _, b := range kept[:i] {
				if u.find(a) != u.find(b) && f.shareBand(int(a), int(b)) && f.containment(int(a), int(b)) >= f.opts.Containment {
					u.union(a, b)
				}
			}
		}
	}
}

// joinDirty compares each dirty document with every document that shares
// a band with it, joining reprints in u.
func (f *Finder) joinDirty(u unionFind, dirty []bool) {
	rows := f.opts.Rows
	type bucket struct {
		band int
		key  uint64
	}
	// A filter on each band's first value, then the dirty documents by
	// bucket.
	filter := make([]uint64, f.opts.Bands*65536/64)
	byBucket := map[bucket][]int32{}
	key := func(sig []uint16, band int) uint64 {
		var k uint64
		for _, v := range sig[band*rows : (band+1)*rows] {
			k = k<<16 | uint64(v)
		}
		return k
	}
	for d, isDirty := range dirty {
		if !isDirty {
			continue
		}
		sig := f.sig(d)
		for band := range f.opts.Bands {
			bit := band<<16 | int(sig[band*rows])
			filter[bit/64] |= 1 << (bit % 64)
			b := bucket{band, key(sig, band)}
			byBucket[b] = append(byBucket[b], int32(d))
		}
	}
	if len(byBucket) == 0 {
		return
	}
	for d := range f.ids {
		sig := f.sig(d)
		for band := range f.opts.Bands {
			bit := band<<16 | int(sig[band*rows])
			if filter[bit/64]&(1<<(bit%64)) == 0 {
				continue
			}
			for _, a := range byBucket[bucket{band, key(sig, band)}] {
				if a == int32(d) || u.find(a) == u.find(int32(d)) {
					continue
				}
				if f.containment(int(a), d) >= f.opts.Containment {
					u.union(a, int32(d))
				}
			}
		}
	}
}
