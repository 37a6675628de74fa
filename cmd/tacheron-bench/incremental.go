package main

// The incremental scenario. The generated corpus (one JSON Lines file) is
// laid out as partCount files of 1% of the documents each, which the full
// build indexes. Then, each published by its own "tacheron index" run
// upon the snapshot before: one file removed (1% deleted), one file
// rewritten (1% changed: every document's body gains a sentence), and the
// removed file put back under its name (1% added, one new file). Stock
// bleve, built from the same files, gets the same three changes as a
// bleve user would make them, each in its own process: the removed file's
// ids deleted, the changed documents indexed again (same ids), the added
// ones indexed. Last, under a running "tacheron index --watch", the file
// is removed and put back again: the time from the change on disk to the
// new snapshot being current.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"

	"tacheron/corpus"
)

// partCount is the number of files the corpus is laid out in.
const partCount = 100

// The files of the scenario: the one removed and added back, the one
// changed.
const (
	removedPart = partCount - 1
	changedPart = partCount / 2
)

// partName is the name of the file i of the laid-out corpus.
func partName(i int) string { return fmt.Sprintf("part-%03d.jsonl", i) }

// partManifest is the name of the manifest beside partName(i).
func partManifest(i int) string { return fmt.Sprintf("part-%03d.manifest.json", i) }

// An incStep is one change of the scenario, as both engines published it.
type incStep struct {
	Name string `json:"name"`
	// Tacheron: the wall time of "tacheron index" (start to CURRENT
	// replaced), the documents it read, its peak RSS, the size of the new
	// snapshot and of the files it does not share with the previous one.
	Seconds       float64 `json:"seconds"`
	CPUSeconds    float64 `json:"cpu_seconds"` // user and system
	DocsRead      int     `json:"docs_read"`
	DocsDeleted   int     `json:"docs_deleted"`
	FilesRead     int     `json:"files_read"`
	PeakRSSBytes  int64   `json:"peak_rss_bytes"`
	SnapshotBytes int64   `json:"snapshot_bytes"`
	NewBytes      int64   `json:"new_bytes"`
	Summary       string  `json:"summary"`
	// Stock bleve: the same change applied to its index in a process of
	// its own.
	Stock *stockStep `json:"stock,omitempty"`
}

// A stockStep is a change applied to the stock bleve index.
type stockStep struct {
	Seconds      float64 `json:"seconds"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	Docs         int     `json:"docs"`
	PeakRSSBytes int64   `json:"peak_rss_bytes"`
	IndexBytes   int64   `json:"index_bytes"`
}

// layOut writes the corpus of src (corpusFile, its manifest and the
// generator's statistics) into dst as partCount files of about 1% of the
// documents each, in order, each with a copy of the manifest.
func layOut(src, dst string) error {
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	manifest, err := os.ReadFile(filepath.Join(src, manifestFile))
	if err != nil {
		return err
	}
	lines := 0
	if err := eachLine(filepath.Join(src, corpusFile), func([]byte) error { lines++; return nil }); err != nil {
		return err
	}
	var out *os.File
	var w *bufio.Writer
	closeOut := func() error {
		if out == nil {
			return nil
		}
		err := w.Flush()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		out = nil
		return err
	}
	n, part := 0, -1
	err = eachLine(filepath.Join(src, corpusFile), func(line []byte) error {
		// Line n goes to file n*partCount/lines: sizes differ by one at most.
		if i := n * partCount / lines; i != part {
			part = i
			if err := closeOut(); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dst, partManifest(i)), manifest, 0o644); err != nil {
				return err
			}
			f, err := os.Create(filepath.Join(dst, partName(i)))
			if err != nil {
				return err
			}
			out, w = f, bufio.NewWriterSize(f, 1<<20)
		}
		n++
		_, err := w.Write(append(line, '\n'))
		return err
	})
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("lay out %s in %s: %w", src, dst, err)
	}
	stats, err := os.ReadFile(filepath.Join(src, statsFile))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dst, statsFile), stats, 0o644)
}

// eachLine calls fn with each line of the file name, without its newline.
func eachLine(name string, fn func([]byte) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// changeFile writes in dst the documents of src, each body (or last
// paragraph) followed by a sentence: every document changes, its id stays.
func changeFile(src, dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = eachLine(src, func(line []byte) error {
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			return err
		}
		const update = " Mise à jour : révision de l'article, corrections et précisions."
		if paras, ok := rec["paragraphs"].([]any); ok && len(paras) > 0 {
			last, _ := paras[len(paras)-1].(map[string]any)
			if last == nil {
				return fmt.Errorf("paragraph not an object: %v", paras[len(paras)-1])
			}
			text, _ := last["text"].(string)
			last["text"] = text + update
		} else {
			body, _ := rec["body"].(string)
			rec["body"] = body + update
		}
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		_, err = w.Write(append(data, '\n'))
		return err
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// incrementalSummary matches the line "tacheron index" prints about an
// incremental build.
var incrementalSummary = regexp.MustCompile(`incremental upon generation \d+: (\d+) files read, \d+ unchanged, \d+ removed; (\d+) documents read, (\d+) deleted`)

// runIncremental runs the scenario on the store indexDir built from
// partsDir, and leaves partsDir as it was. Changed copies of the files go
// to work.
func runIncremental(ctx context.Context, bin, partsDir, indexDir, work string, stderr io.Writer) (out []*incStep, err error) {
	say := func(format string, args ...any) { fmt.Fprintf(stderr, "==> "+format+"\n", args...) }
	held := filepath.Join(work, "held")
	if err := os.RemoveAll(held); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(held, 0o755); err != nil {
		return nil, err
	}
	changed := filepath.Join(work, "changed-"+partName(changedPart))
	original := filepath.Join(work, "original-"+partName(changedPart))
	if err := copyFile(filepath.Join(partsDir, partName(changedPart)), original); err != nil {
		return nil, err
	}
	if err := changeFile(original, changed); err != nil {
		return nil, fmt.Errorf("change %s: %w", partName(changedPart), err)
	}
	// Whatever happens, partsDir is left as it was, for stock bleve.
	defer func() {
		var errs []error
		for _, n := range []string{partName(removedPart), partManifest(removedPart)} {
			if _, serr := os.Stat(filepath.Join(held, n)); serr == nil {
				errs = append(errs, os.Rename(filepath.Join(held, n), filepath.Join(partsDir, n)))
			}
		}
		errs = append(errs, copyFile(original, filepath.Join(partsDir, partName(changedPart))))
		if err == nil {
			err = errors.Join(errs...)
		}
	}()
	move := func(from, to string, names ...string) error {
		for _, n := range names {
			if err := os.Rename(filepath.Join(from, n), filepath.Join(to, n)); err != nil {
				return err
			}
		}
		return nil
	}
	steps := []struct {
		name   string
		change func() error
	}{
		{"1% deleted (" + partName(removedPart) + " removed)", func() error {
			return move(partsDir, held, partName(removedPart), partManifest(removedPart))
		}},
		{"1% changed (" + partName(changedPart) + " rewritten)", func() error {
			return copyFile(changed, filepath.Join(partsDir, partName(changedPart)))
		}},
		{"1% added (" + partName(removedPart) + " put back: a new file)", func() error {
			return move(held, partsDir, partName(removedPart), partManifest(removedPart))
		}},
	}
	for _, s := range steps {
		if err := s.change(); err != nil {
			return out, err
		}
		say("incremental: %s", s.name)
		step, err := publishStep(ctx, bin, partsDir, indexDir, stderr)
		if err != nil {
			return out, fmt.Errorf("%s: %w", s.name, err)
		}
		step.Name = s.name
		say("incremental: %.2f s, %d documents read, %d deleted, peak RSS %s, %s new of %s", step.Seconds, step.DocsRead, step.DocsDeleted,
			mb(step.PeakRSSBytes), mb(step.NewBytes), mb(step.SnapshotBytes))
		out = append(out, step)
	}
	watched, err := watchSteps(ctx, bin, partsDir, indexDir, held, stderr)
	out = append(out, watched...)
	if err != nil {
		return out, fmt.Errorf("tacheron index --watch: %w", err)
	}
	return out, nil
}

// watchSteps makes two changes under a running "tacheron index --watch":
// the removed file removed again, then put back. A step's seconds run from
// the change on disk to the summary of its publication (CURRENT replaced),
// the debounce included; the peak RSS is the watching process's, over
// both.
func watchSteps(ctx context.Context, bin, partsDir, indexDir, held string, stderr io.Writer) ([]*incStep, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "index", "--watch", "--corpus", partsDir, "--index", indexDir)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// Each publication prints its "indexed …" line and the line about the
	// incremental build.
	summaries := make(chan string, 4)
	go func() {
		defer close(summaries)
		sc := bufio.NewScanner(stdout)
		var first string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "indexed "):
				first = line
			case strings.HasPrefix(line, "incremental upon") || strings.HasPrefix(line, "full build"):
				summaries <- first + "\n" + line
			}
		}
	}()
	next := func() (string, error) {
		select {
		case s, ok := <-summaries:
			if !ok {
				return "", errors.New("it stopped")
			}
			return s, nil
		case <-time.After(10 * time.Minute):
			return "", errors.New("no publication within 10 minutes")
		}
	}
	var steps []*incStep
	err = func() error {
		if _, err := next(); err != nil { // what changed since: nothing
			return err
		}
		for _, s := range []struct {
			name     string
			from, to string
		}{
			{"1% deleted under --watch (" + partName(removedPart) + " removed)", partsDir, held},
			{"1% added under --watch (" + partName(removedPart) + " dropped in)", held, partsDir},
		} {
			// The manifest first: the file is read with it.
			for _, n := range []string{partManifest(removedPart), partName(removedPart)} {
				if err := os.Rename(filepath.Join(s.from, n), filepath.Join(s.to, n)); err != nil {
					return err
				}
			}
			start := time.Now()
			summary, err := next()
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			step := &incStep{Name: s.name, Seconds: time.Since(start).Seconds(), Summary: summary}
			m := incrementalSummary.FindStringSubmatch(summary)
			if m == nil {
				return fmt.Errorf("%s: not an incremental build: %q", s.name, summary)
			}
			step.FilesRead, _ = strconv.Atoi(m[1])
			step.DocsRead, _ = strconv.Atoi(m[2])
			step.DocsDeleted, _ = strconv.Atoi(m[3])
			if step.SnapshotBytes, step.NewBytes, err = currentBytes(indexDir); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "==> incremental: %s: published %.2f s after the change\n", s.name, step.Seconds)
			steps = append(steps, step)
		}
		return nil
	}()
	cancel()
	werr := cmd.Wait()
	for _, s := range steps {
		s.PeakRSSBytes = maxRSS(cmd.ProcessState)
	}
	if err == nil && werr != nil && ctx.Err() == nil {
		err = werr
	}
	return steps, err
}

// cpuSeconds is the user and system time of a finished process.
func cpuSeconds(ps *os.ProcessState) float64 {
	if ps == nil {
		return 0
	}
	return (ps.UserTime() + ps.SystemTime()).Seconds()
}

// currentBytes is snapshotBytes of the store's current snapshot.
func currentBytes(indexDir string) (all, own int64, err error) {
	data, err := os.ReadFile(filepath.Join(indexDir, "CURRENT"))
	if err != nil {
		return 0, 0, err
	}
	gen, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0, 0, err
	}
	return snapshotBytes(filepath.Join(indexDir, "snapshots", fmt.Sprintf("%06d", gen)))
}

// publishStep runs "tacheron index" upon the store's current snapshot and
// measures it.
func publishStep(ctx context.Context, bin, corpusDir, indexDir string, stderr io.Writer) (*incStep, error) {
	var summary strings.Builder
	cmd := exec.CommandContext(ctx, bin, "index", "--corpus", corpusDir, "--index", indexDir)
	cmd.Stdout, cmd.Stderr = &summary, stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("tacheron index: %w", err)
	}
	step := &incStep{Seconds: time.Since(start).Seconds(), CPUSeconds: cpuSeconds(cmd.ProcessState),
		PeakRSSBytes: maxRSS(cmd.ProcessState), Summary: strings.TrimSpace(summary.String())}
	m := incrementalSummary.FindStringSubmatch(step.Summary)
	if m == nil {
		return nil, fmt.Errorf("not an incremental build: %q", step.Summary)
	}
	step.FilesRead, _ = strconv.Atoi(m[1])
	step.DocsRead, _ = strconv.Atoi(m[2])
	step.DocsDeleted, _ = strconv.Atoi(m[3])
	var err error
	step.SnapshotBytes, step.NewBytes, err = currentBytes(indexDir)
	return step, err
}

// snapshotBytes returns the size of a snapshot's files, and of those among
// them no other snapshot shares (one link only).
func snapshotBytes(dir string) (all, own int64, err error) {
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		all += info.Size()
		if st, ok := info.Sys().(*syscall.Stat_t); !ok || st.Nlink <= 1 {
			own += info.Size()
		}
		return nil
	})
	return all, own, err
}

// copyFile copies the file from to the file to.
func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

// runStockIncremental applies the scenario's changes to the stock index
// built from partsDir, each in a child process.
func runStockIncremental(ctx context.Context, partsDir, stockIndex, work string, steps []*incStep, stderr io.Writer) error {
	if len(steps) < 3 {
		return errors.New("the tacheron scenario did not run whole")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	removed := filepath.Join(partsDir, partName(removedPart))
	changed := filepath.Join(work, "changed-"+partName(changedPart))
	for i, args := range [][]string{{"--delete", removed}, {"--put", changed}, {"--put", removed}} {
		cmd := exec.CommandContext(ctx, exe, append([]string{"stock-apply", "--index", stockIndex}, args...)...)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("tacheron-bench stock-apply %s: %w", strings.Join(args, " "), err)
		}
		s := &stockStep{Seconds: time.Since(start).Seconds(), CPUSeconds: cpuSeconds(cmd.ProcessState), PeakRSSBytes: maxRSS(cmd.ProcessState)}
		if s.Docs, err = strconv.Atoi(strings.TrimSpace(out.String())); err != nil {
			return fmt.Errorf("tacheron-bench stock-apply printed %q", out.String())
		}
		if s.IndexBytes, err = dirSize(stockIndex); err != nil {
			return err
		}
		steps[i].Stock = s
		fmt.Fprintf(stderr, "==> stock bleve: %s: %.2f s, %d documents, peak RSS %s\n", steps[i].Name, s.Seconds, s.Docs, mb(s.PeakRSSBytes))
	}
	return nil
}

// runStockApply is "tacheron-bench stock-apply": it opens a stock bleve
// index and deletes the documents of a file (their ids), or indexes them
// (adding or replacing), in one batch per stockBatch documents, as a bleve
// user would; it prints the number of documents.
func runStockApply(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron-bench stock-apply", flag.ContinueOnError)
	path := fs.String("index", "", "stock bleve index `PATH`")
	del := fs.String("delete", "", "delete the documents of JSON Lines `FILE` (by id)")
	put := fs.String("put", "", "index the documents of JSON Lines `FILE`, replacing those of the same id")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron-bench stock-apply --index PATH --delete FILE | --put FILE\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *path == "" || (*del == "") == (*put == "") || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	file := *del + *put
	// The file is read alone, with the manifest beside it.
	tmp, err := os.MkdirTemp("", "stock-apply-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Link(file, filepath.Join(tmp, "docs.jsonl")); err != nil {
		if err := copyFile(file, filepath.Join(tmp, "docs.jsonl")); err != nil {
			return err
		}
	}
	if m, err := os.ReadFile(strings.TrimSuffix(file, ".jsonl") + ".manifest.json"); err == nil {
		if err := os.WriteFile(filepath.Join(tmp, "docs.manifest.json"), m, 0o644); err != nil {
			return err
		}
	}
	c, err := corpus.OpenDir(tmp)
	if err != nil {
		return err
	}
	idx, err := bleve.Open(*path)
	if err != nil {
		return err
	}
	n, err := stockWalk(ctx, idx, c, *del != "")
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, n)
	return nil
}
