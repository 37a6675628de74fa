package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"tacheron/api/export"
	"tacheron/index"
	"tacheron/index/store"
)

// The analyses of issue 16, measured in process over a built index:
// trends of five series, co-occurrence, the first page of a concordance of
// a common word, and a CSV export of every document (rows per second and
// the peak of the heap). Each is run several times and the median kept,
// in wall time and in CPU time (this process's, all threads): on a shared
// machine the wall time follows the load, the CPU time much less.

// analysisTargets are the targets of issue 16 at 100k documents.
const analysisTargets = "trends ≤ 20 ms, co-occurrence ≤ 30 ms, concordance first page ≤ 50 ms, CSV export ≥ 20,000 rows/s with flat memory"

// An analysisRun is what runAnalysis measured.
type analysisRun struct {
	Snapshot  string
	Documents int
	Runs      int
	LoadStart string
	LoadEnd   string
	Ops       []opTimes
	Exports   []exportRun
}

// opTimes are the median times of an operation over its runs.
type opTimes struct {
	Name, What, Target string
	Wall, CPU          time.Duration
	MinWall            time.Duration
	// FirstWall and FirstCPU are those of the first run, caches empty.
	FirstWall, FirstCPU time.Duration
}

// exportRun is a CSV export: its rows, the median rows per second (wall
// and per CPU second), the largest rise of the live heap during a run and
// the bytes allocated per row.
type exportRun struct {
	Limit          int
	Rows           int
	RowsPerSec     float64
	RowsPerCPU     float64
	PeakLiveRise   uint64
	AllocatedBytes float64
}

func runAnalysis(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analysis", flag.ContinueOnError)
	dir := fs.String("index", "", "an index directory (its current snapshot) or a snapshot directory")
	runs := fs.Int("runs", 7, "runs of each query (the median is kept)")
	exportRuns := fs.Int("export-runs", 3, "runs of each export")
	write := fs.String("write", "", "replace the section of these figures in this file (BENCHMARKS.md)")
	size := fs.String("size", "100k", "the name of the section (its corpus size)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *dir == "" || *runs < 1 || *exportRuns < 1 {
		fmt.Fprintln(stderr, "usage: tacheron-bench analysis --index DIR [--runs N] [--export-runs N] [--write BENCHMARKS.md --size 100k]")
		return errUsage
	}
	snapDir := *dir
	if _, err := os.Stat(filepath.Join(*dir, "CURRENT")); err == nil {
		_, d, err := store.Open(*dir).Current()
		if err != nil {
			return err
		}
		snapDir = d
	}
	snap, err := index.Open(snapDir)
	if err != nil {
		return fmt.Errorf("open %s: %w", snapDir, err)
	}
	defer snap.Close()
	r, err := measureAnalyses(ctx, snap, *runs, *exportRuns, stderr)
	if err != nil {
		return err
	}
	r.Snapshot = snapDir
	section := renderAnalysis(r, *size)
	fmt.Fprint(stdout, section)
	if *write != "" {
		return updateAnalysisSection(*write, *size, section)
	}
	return nil
}

// measureAnalyses runs every measurement on snap.
func measureAnalyses(ctx context.Context, snap *index.Snapshot, runs, exportRuns int, log io.Writer) (*analysisRun, error) {
	all, err := snap.Search(ctx, index.Request{Limit: 1, Facets: []string{}})
	if err != nil {
		return nil, err
	}
	r := &analysisRun{Documents: all.Total, Runs: runs, LoadStart: loadAverage()}
	trends := index.TrendsRequest{Interval: index.IntervalMonth, Series: []index.Request{
		{Query: "travail"}, {Query: "plateformes"}, {Query: "ubérisation"},
		{Filters: index.Filters{Concepts: []string{"micro-travail"}}}, {Query: "syndicats grève"},
	}}
	ops := []struct {
		name, what, target string
		run                func() error
	}{
		{"trends", "5 series by month (4 queries, 1 concept)", "≤ 20 ms", func() error {
			_, err := snap.Trends(ctx, trends)
			return err
		}},
		{"co-occurrence", "`plateformes`: concepts, and the words of the newest 300 documents", "≤ 30 ms", func() error {
			_, err := snap.Cooccurrence(ctx, index.CooccurrenceRequest{Search: index.Request{Query: "plateformes"}})
			return err
		}},
		{"concordance", "`travail`, first page of 50 lines, newest first", "≤ 50 ms", func() error {
			_, err := snap.Concordance(ctx, index.ConcordanceRequest{Search: index.Request{Query: "travail"}, Limit: 50})
			return err
		}},
	}
	for _, op := range ops {
		// The first run fills the caches, as the first query of a served
		// index does; it is reported apart.
		firstWall, firstCPU, err := timed(op.run)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op.name, err)
		}
		var walls, cpus []time.Duration
		for range runs {
			wall, cpu, err := timed(op.run)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.name, err)
			}
			walls, cpus = append(walls, wall), append(cpus, cpu)
		}
		t := opTimes{Name: op.name, What: op.what, Target: op.target, Wall: median(walls), CPU: median(cpus), MinWall: slices.Min(walls),
			FirstWall: firstWall, FirstCPU: firstCPU}
		fmt.Fprintf(log, "%s: median %v wall, %v CPU\n", op.name, t.Wall, t.CPU)
		r.Ops = append(r.Ops, t)
	}
	for _, limit := range []int{r.Documents / 10, 0} {
		e, err := measureExport(ctx, snap, limit, exportRuns)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "export of %d rows: %.0f rows/s wall, %.0f rows/CPU s, live heap +%s, %.0f bytes allocated a row\n",
			e.Rows, e.RowsPerSec, e.RowsPerCPU, mb(int64(e.PeakLiveRise)), e.AllocatedBytes)
		r.Exports = append(r.Exports, e)
	}
	r.LoadEnd = loadAverage()
	return r, nil
}

// measureExport exports the whole corpus (up to limit rows, 0 for all) as
// CSV to nothing, runs times, newest first.
func measureExport(ctx context.Context, snap *index.Snapshot, limit, runs int) (exportRun, error) {
	e := exportRun{Limit: limit}
	var rates, cpuRates []float64
	for range runs {
		runtime.GC()
		base := readMetric("/gc/heap/live:bytes")
		allocated := readMetric("/gc/heap/allocs:bytes")
		peak := base
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			tick := time.NewTicker(2 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					peak = max(peak, readMetric("/gc/heap/live:bytes"))
				}
			}
		})
		rows := 0
		wall, cpu, err := timed(func() error {
			bw := bufio.NewWriterSize(io.Discard, 32<<10)
			w, err := export.NewWriter("csv", bw)
			if err != nil {
				return err
			}
			err = snap.Export(ctx, index.Request{Sort: index.SortDateDesc}, limit, func(int, int) error { return w.Header() },
				func(rec index.Record) error {
					rows++
					return w.Record(rec)
				})
			if err == nil {
				err = w.Flush()
			}
			return err
		})
		close(stop)
		wg.Wait()
		if err != nil {
			return e, fmt.Errorf("export: %w", err)
		}
		e.Rows = rows
		rates = append(rates, float64(rows)/wall.Seconds())
		cpuRates = append(cpuRates, float64(rows)/cpu.Seconds())
		e.PeakLiveRise = max(e.PeakLiveRise, peak-base)
		e.AllocatedBytes = float64(readMetric("/gc/heap/allocs:bytes")-allocated) / float64(max(1, rows))
	}
	slices.Sort(rates)
	slices.Sort(cpuRates)
	e.RowsPerSec, e.RowsPerCPU = rates[len(rates)/2], cpuRates[len(cpuRates)/2]
	return e, nil
}

// readMetric returns a runtime metric: "/gc/heap/live:bytes", the heap
// marked live by the last collection, or "/gc/heap/allocs:bytes", the
// bytes allocated so far.
func readMetric(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// timed runs f and returns its wall time and the process's CPU time
// (user and system, every thread) meanwhile.
func timed(f func() error) (time.Duration, time.Duration, error) {
	c0 := cpuTime()
	start := time.Now()
	err := f()
	return time.Since(start), cpuTime() - c0, err
}

// cpuTime returns the CPU time this process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// median returns the median of ds (the upper one of an even count).
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// loadAverage returns the machine's load averages (1, 5, 15 minutes).
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(data)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// renderAnalysis writes the Markdown section of a run.
func renderAnalysis(r *analysisRun, size string) string {
	var b strings.Builder
	m := thisMachine()
	fmt.Fprintf(&b, "## The journalist's tools (issue 16), %s documents\n\n", size)
	fmt.Fprintf(&b, "Written by `tacheron-bench analysis --index DIR --write BENCHMARKS.md --size %s`, in process over the snapshot\n", size)
	fmt.Fprintf(&b, "`%s` (%d documents), %s, %d CPUs (%s), %s. Load average %s at the start, %s at the end:\n",
		r.Snapshot, r.Documents, time.Now().UTC().Format("2006-01-02"), m.CPUs, m.CPU, m.Go, r.LoadStart, r.LoadEnd)
	b.WriteString("the machine is shared, so wall times are those of a loaded machine; CPU time is this process's, all threads\n")
	b.WriteString("(the analyses use both CPUs, so on an idle machine wall time is between CPU time and half of it).\n")
	fmt.Fprintf(&b, "Each query is run once with the caches empty (first run), then %d times (medians).\n\n", r.Runs)
	b.WriteString("| measure | what | median wall | fastest wall | median CPU | first run, wall / CPU | target at 100k |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, op := range r.Ops {
		fmt.Fprintf(&b, "| %s | %s | %s ms | %s ms | %s ms | %s / %s ms | %s |\n", op.Name, op.What, msf(ms(op.Wall)), msf(ms(op.MinWall)), msf(ms(op.CPU)),
			msf(ms(op.FirstWall)), msf(ms(op.FirstCPU)), op.Target)
	}
	b.WriteString("\n| CSV export, newest first, to nothing | rows | median rows/s, wall | median rows per CPU second | largest rise of the live heap | allocated a row |\n|---|---:|---:|---:|---:|---:|\n")
	for _, e := range r.Exports {
		what := "every document"
		if e.Limit > 0 {
			what = fmt.Sprintf("`limit=%d`", e.Limit)
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %.0f B |\n", what, e.Rows, rate(e.RowsPerSec), rate(e.RowsPerCPU), mb(int64(e.PeakLiveRise)), e.AllocatedBytes)
	}
	b.WriteString("\nThe live heap is what the last garbage collection found in use (read every 2 ms); its rise over the export is\n")
	b.WriteString("what the export holds, its garbage aside.\n")
	fmt.Fprintf(&b, "\nTargets of issue 16 at 100k: %s.\n", analysisTargets)
	return b.String()
}

// updateAnalysisSection replaces (or appends) the section of size between
// its markers in the file name.
func updateAnalysisSection(name, size, section string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	open, closing := "<!-- analysis "+size+" -->", "<!-- /analysis "+size+" -->"
	block := open + "\n" + strings.TrimRight(section, "\n") + "\n" + closing + "\n"
	text := string(data)
	i := strings.Index(text, open)
	j := strings.Index(text, closing)
	switch {
	case i >= 0 && j > i:
		end := j + len(closing)
		if end < len(text) && text[end] == '\n' {
			end++
		}
		text = text[:i] + block + text[end:]
	default:
		text = strings.TrimRight(text, "\n") + "\n\n" + block
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
