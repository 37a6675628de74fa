package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// BENCHMARKS.md holds a header and a section per size, each between an
// opening and a closing marker; a run replaces the section of its size.
const benchmarksHeader = `# Benchmarks

Written by ` + "`make bench SIZE=10k|100k|1m`" + ` (` + "`cmd/tacheron-bench run`" + `): a synthetic bilingual
corpus (` + "`tacheron-bench gen`" + `, deterministic by seed), indexed by ` + "`tacheron index`" + `, served by
` + "`tacheron serve`" + ` and loaded through HTTP with a fixed mix of queries; in the same run the HTTP
floor (` + "`/healthz`" + ` under the same load) and stock bleve (built-in ` + "`fr`" + ` analyzer, default
settings, queried in process). Each run replaces the section of its size. The machine is shared:
compare figures of one section, and mind the load average at start.
`

// sectionMarkers returns the lines that open and close the section of size.
func sectionMarkers(size string) (string, string) {
	return "<!-- bench " + size + " -->", "<!-- /bench " + size + " -->"
}

// updateBenchmarks replaces (or adds, in size order) the section of size in
// the file name.
func updateBenchmarks(name, size, section string) error {
	data, err := os.ReadFile(name)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(data)
	if strings.TrimSpace(text) == "" {
		text = benchmarksHeader
	}
	out := replaceSection(text, size, section)
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, []byte(out), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Clean(name))
}

// replaceSection returns text with the section of size replaced, or
// inserted before the first section of a larger size, or appended.
func replaceSection(text, size, section string) string {
	open, closing := sectionMarkers(size)
	block := open + "\n" + strings.TrimRight(section, "\n") + "\n" + closing + "\n"
	if i := strings.Index(text, open); i >= 0 {
		if j := strings.Index(text[i:], closing); j >= 0 {
			end := i + j + len(closing)
			if end < len(text) && text[end] == '\n' {
				end++
			}
			return text[:i] + block + text[end:]
		}
	}
	after := false
	for _, s := range sizeOrder() {
		if s == size {
			after = true
			continue
		}
		if !after {
			continue
		}
		if o, _ := sectionMarkers(s); strings.Contains(text, o) {
			i := strings.Index(text, o)
			return text[:i] + block + "\n" + text[i:]
		}
	}
	return strings.TrimRight(text, "\n") + "\n\n" + block
}

// renderSection writes the Markdown section of a run.
func renderSection(r *benchReport) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	m := r.Machine
	p("## %s documents\n\n", sizeLabel(r.Size))
	p("`make bench SIZE=%s` (seed %d) · %s · commit `%s` · %d CPUs (%s), %.1f GiB RAM · load average at start %s · %s\n\n",
		r.Size, r.Seed, r.Date.Format("2006-01-02 15:04 MST"), r.Commit, m.CPUs, m.CPU, float64(m.RAMBytes)/(1<<30), m.Load, m.Go)
	if r.Binary != "" {
		p("**tacheron binary `%s` given with `--tacheron`: not built from commit `%s`.**\n\n", r.Binary, r.Commit)
	}
	c := r.Corpus
	cached := ""
	if r.Cached {
		cached = ", cached"
	}
	p("Corpus: %s documents, %s of JSON Lines, %s of text (titles and paragraphs), %.0f%% English paragraphs, %s French and %s English lexemes (generated in %.1f s%s).\n\n",
		groupDigits(c.Docs), mb(c.JSONLBytes), mb(c.TextBytes), 100*float64(c.EnglishParagraphs)/float64(max(c.Paragraphs, 1)),
		groupDigits(c.Lexemes["fr"]), groupDigits(c.Lexemes["en"]), c.Seconds, cached)

	// Indexing.
	p("### Indexing\n\n")
	p("| | seconds | CPU s | docs/s | index size | size / raw text | peak RSS |\n|---|---:|---:|---:|---:|---:|---:|\n")
	raw := float64(max(c.TextBytes, 1))
	ix := r.Index
	p("| tacheron (`tacheron index`) | %.1f | %.1f | %.0f | %s | %.2f× | %s |\n", ix.Seconds, ix.CPUSeconds, ix.DocsPerSec, mb(ix.Bytes), float64(ix.Bytes)/raw, mb(ix.PeakRSSBytes))
	if s := r.Stock; s != nil && s.IndexSeconds > 0 {
		p("| stock bleve (`fr`, defaults, batches of %d) | %.1f | | %.0f | %s | %.2f× | %s |\n", stockBatch, s.IndexSeconds, s.DocsPerSec, mb(s.IndexBytes), float64(s.IndexBytes)/raw, mb(s.PeakRSSBytes))
		p("| tacheron / stock | %.2f× the time | | **%.2f×** the speed | %.2f× the size | | %.2f× the memory |\n",
			ix.Seconds/s.IndexSeconds, ix.DocsPerSec/s.DocsPerSec, float64(ix.Bytes)/float64(max(s.IndexBytes, 1)), float64(ix.PeakRSSBytes)/float64(max(s.PeakRSSBytes, 1)))
	} else {
		p("| stock bleve | %s | | | | | |\n", stockMissing(r))
	}
	p("\nCPU s: the indexer's user and system time (the machine is shared: wall time depends on its load). Peak RSS: the indexer's `Maxrss`; stock bleve's VmHWM at the end of its build (same process, before queries). Raw text: %s.\n\n", mb(c.TextBytes))

	// Search through HTTP.
	p("### Search through HTTP (`tacheron serve`)\n\n")
	if r.Serve.Error != "" {
		p("**Not measured: the serve step failed.** %s\n\n", mdEscape(r.Serve.Error))
	} else {
		p("Each request is a full `GET /api/v1/search?q=…&facets=%s` (highlights on, the API's default; 10 hits), "+
			"%d distinct queries per class drawn from the corpus vocabulary, gzip accepted as by a browser, a closed loop of N clients for %.0f s per class after one unmeasured pass. "+
			"Latencies in ms over 200 answers; throughput counts 200 answers; errors and non-200 answers are counted apart. "+
			"The fixed mix is the throughput of as many requests of each search class: the class throughputs' harmonic mean.\n\n",
			searchFacets, queriesPerClass, r.Duration)
		latencyTable(&b, r.Load, r.Clients, "client", true)
		p("\nServer: ready %.1f s after start; RSS after the load %s (peak %s).\n\n", r.Serve.ReadySeconds, mb(r.Serve.RSSBytes), mb(r.Serve.PeakRSSBytes))
	}

	// Stock bleve.
	p("### Stock bleve, in process\n\n")
	if r.Stock == nil {
		p("%s\n\n", stockMissing(r))
	} else {
		p("The same classes and queries as a bleve user would write them (query string: `*` for a prefix, `~` for a typo), "+
			"with filters as term and date-range queries, the page's stored fields, highlights, terms facets on source, concept, kind and lang "+
			"and a date-range facet per year; `SearchInContext` from N goroutines, no HTTP. Process peak RSS (build and queries): %s.\n\n", mb(r.StockMaxRSS))
		latencyTable(&b, r.Stock.Classes, r.Clients, "goroutine", false)
		if r.Serve.Error == "" {
			p("\n### Throughput, tacheron through HTTP / stock bleve in process\n\n")
			ratioTable(&b, r.Load, r.Stock.Classes, r.Clients)
		}
		p("\n")
	}
	incrementalSection(&b, r)
	if t := targets(r); t != "" {
		p("### Targets of issue 7\n\n%s\n", t)
	}
	return b.String()
}

// incrementalSection writes the incremental scenario's table.
func incrementalSection(b *strings.Builder, r *benchReport) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	if len(r.Incremental) == 0 && r.IncrementalError == "" {
		return
	}
	p("### Incremental: 1%% deleted, changed, added\n\n")
	p("The corpus is laid out as %d files of 1%% of the documents each, which the full build above indexed. "+
		"Then, in this order, each published by its own `tacheron index` upon the snapshot before: a file removed, a file rewritten "+
		"(every document's body gains a sentence; ids stay), the removed file put back (read as a new file). "+
		"Seconds: the whole `tacheron index` process, start to `CURRENT` replaced (it hashes every file to find the changed ones). "+
		"docs/s: documents read (analysed and indexed) per second of that. Snapshot: the new snapshot's files; new: those it does not share "+
		"(hard links) with the previous one. Stock bleve gets the same changes as a bleve user would make them, each in a process of its own "+
		"(`tacheron-bench stock-apply`): the removed file's ids deleted, the changed and added documents indexed (batches of %d); its size is the whole index after. "+
		"The last two rows run under `tacheron index --watch` (1 s quiet period): the same file removed, then dropped in again; seconds from the change on disk "+
		"to the new snapshot current, which includes the two looks a quiet period apart that tell a complete file from one being written; "+
		"peak RSS of the watching process over both. CPU s: the process's user and system time (the machine is shared: wall time depends on its load).\n\n",
		partCount, stockBatch)
	p("| change | tacheron s | CPU s | docs read | docs/s | peak RSS | snapshot | new | stock bleve s | CPU s | docs | docs/s | peak RSS | index size |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	cpu := func(s float64) string {
		if s <= 0 {
			return "—" // not measured (under --watch: one process for both)
		}
		return fmt.Sprintf("%.2f", s)
	}
	rate := func(docs int, s float64) string {
		if docs == 0 || s <= 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f", float64(docs)/s)
	}
	for _, s := range r.Incremental {
		read := groupDigits(s.DocsRead)
		if s.DocsDeleted > 0 {
			read += fmt.Sprintf(" (%s deleted)", groupDigits(s.DocsDeleted))
		}
		p("| %s | %.2f | %s | %s | %s | %s | %s | %s |", s.Name, s.Seconds, cpu(s.CPUSeconds), read, rate(s.DocsRead, s.Seconds), mb(s.PeakRSSBytes), mb(s.SnapshotBytes), mb(s.NewBytes))
		if st := s.Stock; st != nil {
			put := st.Docs
			if s.DocsRead == 0 {
				put = 0 // a deletion: no document indexed
			}
			p(" %.2f | %s | %s | %s | %s | %s |\n", st.Seconds, cpu(st.CPUSeconds), groupDigits(st.Docs), rate(put, st.Seconds), mb(st.PeakRSSBytes), mb(st.IndexBytes))
		} else {
			p(" | | | | | |\n")
		}
	}
	if r.IncrementalError != "" {
		p("\n**Failed or partial:** %s\n", mdEscape(r.IncrementalError))
	}
	p("\n")
}

// stockMissing says why a run has no stock figures.
func stockMissing(r *benchReport) string {
	switch {
	case r.StockSkipped:
		return "Not run (`--stock=false`)."
	case r.StockError != "":
		return "**Failed:** " + mdEscape(r.StockError)
	}
	return "Not measured."
}

// fewAnswers is the number of answers below which a p99 is flagged.
const fewAnswers = 100

// latencyTable writes a table of classes by level of concurrency.
func latencyTable(b *strings.Builder, results []classResult, levels []int, unit string, http bool) {
	names := classNames()
	byKey := make(map[string]classResult)
	for _, res := range results {
		byKey[fmt.Sprint(res.Class, "/", res.Clients)] = res
	}
	fmt.Fprint(b, "| class | example |")
	sep := "|---|---|"
	for _, n := range levels {
		u := unit
		if n > 1 {
			u += "s"
		}
		fmt.Fprintf(b, " %d %s p50 | p95 | p99 | req/s |", n, u)
		sep += "---:|---:|---:|---:|"
	}
	if http {
		fmt.Fprint(b, " mean hits | errors | non-200 |\n"+sep+"---:|---:|---:|\n")
	} else {
		fmt.Fprint(b, " mean hits | errors |\n"+sep+"---:|---:|\n")
	}
	few := false
	for _, class := range classOrder() {
		if class == classHealthz && !http {
			continue
		}
		var first classResult
		found := false
		for _, n := range levels {
			if res, ok := byKey[fmt.Sprint(class, "/", n)]; ok && !found {
				first, found = res, true
			}
		}
		if !found {
			continue
		}
		fmt.Fprintf(b, "| %s | `%s` |", names[class], mdCode(exampleOf(first.Example)))
		errs, non200 := 0, 0
		for _, n := range levels {
			res, ok := byKey[fmt.Sprint(class, "/", n)]
			if !ok {
				fmt.Fprint(b, " | | | |")
				continue
			}
			errs += res.Errors
			non200 += res.Non200
			l := res.Latency
			p99 := msf(l.P99)
			if res.Requests < fewAnswers {
				p99 += "†"
				few = true
			}
			fmt.Fprintf(b, " %s | %s | %s | %s |", msf(l.P50), msf(l.P95), p99, rate(res.Throughput))
		}
		hits := fmt.Sprintf("%.0f", first.MeanHits)
		if class == classHealthz {
			hits = "—"
		}
		if http {
			fmt.Fprintf(b, " %s | %s | %s |\n", hits, flagged(errs), flagged(non200))
		} else {
			fmt.Fprintf(b, " %s | %s |\n", hits, flagged(errs))
		}
	}
	// The mix: one request of each search class in turn.
	fmt.Fprint(b, "| **fixed mix** (one request of each class) | |")
	for _, n := range levels {
		fmt.Fprintf(b, " | | | **%s** |", rate(mixThroughput(results, n)))
	}
	if http {
		fmt.Fprint(b, " | | |\n")
	} else {
		fmt.Fprint(b, " | |\n")
	}
	if few {
		fmt.Fprintf(b, "\n† fewer than %d answers in the measuring time: this p99 is close to their maximum.\n", fewAnswers)
	}
	// What went wrong, never hidden.
	var notes []string
	for _, res := range results {
		if res.FirstError != "" {
			notes = append(notes, fmt.Sprintf("%s at %d: %d errors, %d non-200 %v; first: %s", names[res.Class], res.Clients, res.Errors, res.Non200, res.Statuses, res.FirstError))
		}
		if res.Check != "" && res.Clients == levels[0] {
			notes = append(notes, fmt.Sprintf("%s: %s", names[res.Class], res.Check))
		}
	}
	if len(notes) > 0 {
		fmt.Fprint(b, "\n**Problems:**\n\n")
		for _, n := range notes {
			fmt.Fprintf(b, "- %s\n", mdEscape(n))
		}
	}
}

// ratioTable writes tacheron's throughput over stock bleve's per class.
func ratioTable(b *strings.Builder, tach, stock []classResult, levels []int) {
	names := classNames()
	get := func(rs []classResult, class string, n int) (classResult, bool) {
		for _, r := range rs {
			if r.Class == class && r.Clients == n {
				return r, true
			}
		}
		return classResult{}, false
	}
	fmt.Fprint(b, "| class |")
	sep := "|---|"
	for _, n := range levels {
		fmt.Fprintf(b, " %d client(s) |", n)
		sep += "---:|"
	}
	fmt.Fprint(b, "\n"+sep+"\n")
	for _, class := range classOrder() {
		if class == classHealthz {
			continue
		}
		fmt.Fprintf(b, "| %s |", names[class])
		for _, n := range levels {
			t, ok1 := get(tach, class, n)
			s, ok2 := get(stock, class, n)
			if !ok1 || !ok2 || s.Throughput == 0 {
				fmt.Fprint(b, " — |")
				continue
			}
			fmt.Fprintf(b, " %.1f× |", t.Throughput/s.Throughput)
		}
		fmt.Fprint(b, "\n")
	}
	fmt.Fprint(b, "| **fixed mix** (one request of each class) |")
	for _, n := range levels {
		fmt.Fprintf(b, " **%.1f×** |", mixThroughput(tach, n)/max(mixThroughput(stock, n), 1e-9))
	}
	fmt.Fprint(b, "\n")
}

// mixThroughput is the throughput at n clients of the fixed mix: as many
// requests of each search class, so the time of one round is the sum of
// the classes' times per request (the harmonic mean of their throughputs,
// over the number of classes). 0 when a class answered nothing.
func mixThroughput(rs []classResult, n int) float64 {
	classes, perRequest := 0, 0.0
	for _, r := range rs {
		if r.Clients != n || r.Class == classHealthz {
			continue
		}
		if r.Throughput == 0 {
			return 0
		}
		classes++
		perRequest += 1 / r.Throughput
	}
	if classes == 0 {
		return 0
	}
	return float64(classes) / perRequest
}

// targets checks the targets of issue 7 that apply to the size of a run.
func targets(r *benchReport) string {
	if r.Size != "100k" && r.Size != "1m" || r.Serve.Error != "" {
		return ""
	}
	worst := func(n int, f func(latency) float64) (float64, string) {
		w, class := 0.0, ""
		for _, res := range r.Load {
			if res.Clients == n && res.Class != classHealthz && f(res.Latency) >= w {
				w, class = f(res.Latency), res.Class
			}
		}
		return w, class
	}
	var b strings.Builder
	b.WriteString("| target | measured | met |\n|---|---|---|\n")
	row := func(target, measured string, ok bool) {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", target, measured, map[bool]string{true: "yes", false: "**no**"}[ok])
	}
	p50 := func(l latency) float64 { return l.P50 }
	p99 := func(l latency) float64 { return l.P99 }
	if r.Size == "100k" {
		w, c := worst(1, p50)
		row("p50 ≤ 5 ms at 1 client, every class", fmt.Sprintf("worst %s ms (%s)", msf(w), c), w <= 5)
		w, c = worst(1, p99)
		row("p99 ≤ 30 ms at 1 client, every class", fmt.Sprintf("worst %s ms (%s)", msf(w), c), w <= 30)
		w, c = worst(4, p99)
		row("p99 ≤ 60 ms at 4 clients, every class", fmt.Sprintf("worst %s ms (%s)", msf(w), c), w <= 60)
		if s := r.Stock; s != nil && s.IndexSeconds > 0 {
			for _, n := range r.Clients {
				x := mixThroughput(r.Load, n) / max(mixThroughput(s.Classes, n), 1e-9)
				row(fmt.Sprintf("throughput ≥ 10× stock bleve (fixed mix, %d client(s))", n), fmt.Sprintf("%.1f×", x), x >= 10)
			}
			x := r.Index.DocsPerSec / s.DocsPerSec
			row("indexing ≥ 3× stock bleve's docs/s", fmt.Sprintf("%.2f×", x), x >= 3)
		}
		x := float64(r.Index.Bytes) / float64(max(r.Corpus.TextBytes, 1))
		row("index ≤ 2× the raw text", fmt.Sprintf("%.2f×", x), x <= 2)
	} else {
		w, c := worst(1, p99)
		row("p99 ≤ 200 ms at 1 client", fmt.Sprintf("worst %s ms (%s)", msf(w), c), w <= 200)
		row("server RSS ≤ 2 GiB", fmt.Sprintf("%s after the load, peak %s", mb(r.Serve.RSSBytes), mb(r.Serve.PeakRSSBytes)), r.Serve.PeakRSSBytes <= 2<<30)
		row("indexing ≤ 10 minutes", fmt.Sprintf("%.1f min", r.Index.Seconds/60), r.Index.Seconds <= 600)
	}
	return b.String()
}

// exampleOf shortens an example query for a table.
func exampleOf(s string) string {
	if s == "" || s == "q=" {
		return "q= (match all)"
	}
	if utf8.RuneCountInString(s) > 70 {
		s = string([]rune(s)[:67]) + "…"
	}
	return s
}

// mb writes bytes as MB.
func mb(n int64) string {
	if n >= 10e9 {
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// msf writes milliseconds with a precision fitting their size.
func msf(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// rate writes a throughput.
func rate(v float64) string {
	if v < 100 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// flagged writes a count, in bold when it is not zero.
func flagged(n int) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("**%d**", n)
}

// mdEscape keeps text from breaking a Markdown table or paragraph.
func mdEscape(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "<", "&lt;").Replace(s)
}

// mdCode keeps text from closing a code span.
func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }
