package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tacheron/index"
	"tacheron/index/store"
)

// buildTacheron builds the tacheron binary into a temporary directory.
func buildTacheron(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = "/usr/local/go/bin/go"
	}
	bin := filepath.Join(t.TempDir(), "tacheron")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// markerWord is a word that one document in ten of the generated corpus
// holds, and no other.
const markerWord = "zébrure"

// writeCorpus writes a JSON Lines corpus of n small generated documents
// and returns how many hold markerWord.
func writeCorpus(t *testing.T, dir string, n int) int {
	t.Helper()
	words := strings.Fields("travail plateforme algorithme données utilisateurs micro-travail ubérisation syndicat " +
		"chauffeurs livreurs intelligence artificielle modération contenu salaire précarité économie numérique " +
		"labour workers platform click data training annotation tâche")
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	marked := 0
	for i := range n {
		body := make([]string, 60)
		for k := range body {
			body[k] = words[rng.IntN(len(words))]
		}
		if i%10 == 0 {
			body = append(body, markerWord)
			marked++
		}
		rec := map[string]string{
			"id":    fmt.Sprintf("doc-%05d", i),
			"title": fmt.Sprintf("Billet %d sur le travail", i),
			"date":  fmt.Sprintf("20%02d-%02d-%02d", 10+i%10, 1+i%12, 1+i%28),
			"body":  strings.Join(body, " "),
		}
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "generated.jsonl"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return marked
}

// A storeState is what a look at a store's directory sees.
type storeState struct {
	current  uint64
	gens     []uint64
	build    bool  // a .build-*/snapshot directory exists
	segments int   // .zap files in it, scratch ones included
	largest  int64 // bytes of the largest of them
	docsIdx  bool  // the document table is written (the merge is over)
	built    bool  // tacheron.json is written (the build is over)
	junk     []string
}

func lookAt(dir string) storeState {
	var st storeState
	if data, err := os.ReadFile(filepath.Join(dir, "CURRENT")); err == nil {
		st.current, _ = strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	}
	if _, err := os.Stat(filepath.Join(dir, "CURRENT.tmp")); err == nil {
		st.junk = append(st.junk, "CURRENT.tmp")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "snapshots"))
	for _, e := range entries {
		name := e.Name()
		if gen, err := strconv.ParseUint(name, 10, 64); err == nil {
			st.gens = append(st.gens, gen)
			continue
		}
		st.junk = append(st.junk, name)
		snap := filepath.Join(dir, "snapshots", name, "snapshot")
		files, err := os.ReadDir(snap)
		if err != nil || !strings.HasPrefix(name, ".build-") || strings.HasPrefix(name, ".build-gc") {
			continue
		}
		st.build = true
		for _, f := range files {
			switch f.Name() {
			case "docs.idx":
				st.docsIdx = true
			case "tacheron.json":
				st.built = true
			}
		}
		// Segments: bleve's, and those of its scratch directories.
		filepath.WalkDir(snap, func(_ string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".zap") {
				return nil
			}
			st.segments++
			if info, err := d.Info(); err == nil {
				st.largest = max(st.largest, info.Size())
			}
			return nil
		})
	}
	return st
}

// phase names the moment of a run that a look at the store shows, given
// the generation current before the run and the size from which a
// segment can only be the final merge's.
func (st storeState) phase(before uint64, mergeBytes int64) string {
	switch {
	case st.current > before:
		return "after publish"
	case len(st.gens) > 0 && st.gens[len(st.gens)-1] > before:
		return "renamed, CURRENT not yet"
	case st.built:
		return "validating"
	case st.docsIdx:
		return "document table"
	case st.largest >= mergeBytes:
		return "final merge"
	case st.segments > 0:
		return "indexing"
	case st.build:
		return "indexing, no segment yet"
	}
	return "start-up"
}

// A runTimeline is when a run of tacheron index reached each phase, as
// seen from outside.
type runTimeline struct {
	firstSeen map[string]time.Duration
	killedAt  time.Duration // 0 when not killed
	killed    bool
	atKill    storeState
	err       error
	stdout    string
}

// runObserved runs tacheron index, looking at the store every
// millisecond, and kills it with SIGKILL as soon as kill says so.
func runObserved(t *testing.T, bin string, args []string, dir string, before uint64, mergeBytes int64,
	kill func(st storeState, elapsed time.Duration) bool) runTimeline {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tl := runTimeline{firstSeen: map[string]time.Duration{}}
	for {
		select {
		case err := <-exited:
			tl.err = err
			tl.stdout = stdout.String()
			if tl.killed {
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
					// It ended on its own before the signal landed.
					tl.killed = false
				}
			} else if err != nil {
				t.Fatalf("tacheron %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
			}
			return tl
		default:
		}
		elapsed := time.Since(start)
		st := lookAt(dir)
		p := st.phase(before, mergeBytes)
		if _, ok := tl.firstSeen[p]; !ok {
			tl.firstSeen[p] = elapsed
		}
		if !tl.killed && kill != nil && kill(st, elapsed) {
			cmd.Process.Signal(syscall.SIGKILL)
			tl.killed, tl.killedAt, tl.atKill = true, elapsed, st
		}
		time.Sleep(time.Millisecond) // the pace of the looks, not a wait for an outcome
	}
}

// TestIndexKilled kills "tacheron index" with SIGKILL at moments spread
// over its run — start-up, indexing, the final merge, validation, right
// after publishing — and checks after each kill that the snapshot served
// and the current one answer correctly, and that a fresh run succeeds and
// removes what the killed one left.
func TestIndexKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it two dozen times")
	}
	bin := buildTacheron(t)
	corpusDir := t.TempDir()
	const docs = 1500
	marked := writeCorpus(t, corpusDir, docs)
	dir := filepath.Join(t.TempDir(), "index")
	args := []string{"index", "--full", "--corpus", corpusDir, "--index", dir, "--batch", "150"}
	st := store.Open(dir)

	// A first run, watched, tells how long each phase lasts.
	cal := runObserved(t, bin, args, dir, 0, 1<<62, nil)
	_, snapDir, err := st.Current()
	if err != nil {
		t.Fatal(err)
	}
	var merged int64
	zaps, _ := filepath.Glob(filepath.Join(snapDir, "bleve*", "store", "*.zap"))
	for _, z := range zaps {
		if info, err := os.Stat(z); err == nil {
			merged = max(merged, info.Size())
		}
	}
	// A segment of half the final one's size can only be the merge's.
	mergeBytes := merged / 2
	t.Logf("a full run: %v; phases first seen at %v; the final segment is %d bytes", cal.firstSeen["after publish"], cal.firstSeen, merged)
	buildStart, ok := cal.firstSeen["indexing, no segment yet"]
	if !ok {
		buildStart = cal.firstSeen["indexing"]
	}
	buildSpan := cal.firstSeen["validating"] - buildStart

	live := serving(t, st)
	served := uint64(1)
	check := func(when string) {
		t.Helper()
		res, err := live.Search(context.Background(), index.Request{Query: markerWord})
		if err != nil || res.Total != marked || res.Generation != served {
			t.Fatalf("%s: the served snapshot answers %q with %+v, %v; want %d hits from %d", when, markerWord, res, err, marked, served)
		}
		gen, snapDir, err := st.Current()
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		snap, err := index.Open(snapDir)
		if err != nil {
			t.Fatalf("%s: the current snapshot %d does not open: %v", when, gen, err)
		}
		defer snap.Close()
		res, err = snap.Search(context.Background(), index.Request{Query: markerWord})
		if err != nil || res.Total != marked || snap.DocCount() != docs || snap.Generation() != gen {
			t.Fatalf("%s: the current snapshot %d answers %+v, %v (%d documents)", when, gen, res, err, snap.DocCount())
		}
	}
	check("after the first run")

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	between := func(lo, hi time.Duration) time.Duration {
		if hi <= lo {
			return lo
		}
		return lo + time.Duration(rng.Int64N(int64(hi-lo)))
	}
	type plan struct {
		name string
		kill func(st storeState, elapsed time.Duration) bool
	}
	var buildSeen time.Duration
	afterBuildStarts := func(delay time.Duration) func(storeState, time.Duration) bool {
		buildSeen = 0
		return func(st storeState, elapsed time.Duration) bool {
			if st.build && buildSeen == 0 {
				buildSeen = elapsed
			}
			return buildSeen > 0 && elapsed >= buildSeen+delay
		}
	}
	plans := []func(before uint64) plan{
		func(uint64) plan {
			d := between(0, buildStart)
			return plan{fmt.Sprintf("start-up, at %v", d.Round(time.Millisecond)), func(_ storeState, e time.Duration) bool { return e >= d }}
		},
		func(uint64) plan {
			d := between(buildSpan/10, buildSpan*6/10)
			return plan{fmt.Sprintf("indexing, %v into the build", d.Round(time.Millisecond)), afterBuildStarts(d)}
		},
		func(uint64) plan {
			return plan{"final merge, as the merged segment grows", func(st storeState, _ time.Duration) bool {
				return st.largest >= mergeBytes || st.docsIdx || st.built
			}}
		},
		func(before uint64) plan {
			return plan{"validating, once tacheron.json is written", func(st storeState, _ time.Duration) bool {
				return st.built || st.current > before
			}}
		},
		func(before uint64) plan {
			return plan{"right after publish, once CURRENT changes", func(st storeState, _ time.Duration) bool {
				return st.current > before
			}}
		},
	}
	var (
		kills  int
		phases = map[string]int{}
	)
	// Twelve kills, in the order of this schedule; a run that ends before
	// its kill lands (right after publishing, it may exit first) is
	// tried again with the next plan, a few times at most.
	schedule := []int{0, 1, 2, 3, 4, 1, 2, 0, 1, 2, 3, 4}
	const wantKills, maxRuns = 12, 16
	runs := 0
	for i := 0; kills < wantKills && i < maxRuns; i++ {
		runs++
		k := schedule[i%len(schedule)]
		before := lookAt(dir)
		p := plans[k](before.current)
		tl := runObserved(t, bin, args, dir, before.current, mergeBytes, p.kill)
		after := lookAt(dir)
		got := after.phase(before.current, mergeBytes)
		if !tl.killed {
			got = "finished before the kill"
		} else {
			kills++
			phases[got]++
		}
		t.Logf("run %2d: planned %-45s killed at %7v, found %-26s leftovers %v", i+1, p.name, tl.killedAt.Round(time.Millisecond), got, after.junk)
		check(fmt.Sprintf("after run %d (%s)", i+1, got))

		// A fresh run succeeds and leaves nothing behind.
		fresh := runObserved(t, bin, args, dir, after.current, mergeBytes, nil)
		m := regexp.MustCompile(`generation (\d+)`).FindStringSubmatch(fresh.stdout)
		if m == nil {
			t.Fatalf("fresh run after run %d: %q", i+1, fresh.stdout)
		}
		gen, _ := strconv.ParseUint(m[1], 10, 64)
		st := lookAt(dir)
		if st.current != gen || len(st.junk) > 0 {
			t.Errorf("after the fresh run following run %d: CURRENT %d (published %d), leftovers %v", i+1, st.current, gen, st.junk)
		}
		if swapped, err := live.Reload(); !swapped || err != nil {
			t.Fatalf("reload after the fresh run: %v, %v", swapped, err)
		}
		served = gen
		check(fmt.Sprintf("after the fresh run following run %d", i+1))
		// The store keeps 2 snapshots, and the one served until now.
		if len(st.gens) > 3 {
			t.Errorf("after the fresh run following run %d: snapshots %v", i+1, st.gens)
		}
	}
	t.Logf("seed %d: %d runs, %d killed; the kills by the phase they found: %v", seed, runs, kills, phases)
	if kills < 10 {
		t.Errorf("only %d of %d runs were killed before they finished", kills, runs)
	}
	if len(phases) < 4 {
		t.Errorf("the kills found only %d phases: %v", len(phases), phases)
	}
}
