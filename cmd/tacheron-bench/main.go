// Command tacheron-bench measures tacheron at 10k, 100k and 1M documents:
// it generates a synthetic bilingual corpus, loads a running server with a
// fixed mix of queries, measures stock bleve on the same corpus, and writes
// BENCHMARKS.md.
//
// Usage:
//
//	tacheron-bench gen   --docs N --seed S --out DIR     write a corpus
//	tacheron-bench load  --url URL [--clients 1,4] [--duration D]
//	tacheron-bench stock --corpus DIR [--clients 1,4] [--duration D]
//	tacheron-bench run   --size 10k|100k|1m              the whole of make bench
//	tacheron-bench relevance [--min-mrr F] [-v]          known-item relevance (make relevance)
//	tacheron-bench analysis --index DIR [--write FILE]   trends, co-occurrence, kwic, CSV export (issue 16)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "tacheron-bench:", err)
		os.Exit(1)
	}
}

// errUsage reports a command line that could not be understood (the usage
// was printed).
var errUsage = errors.New("usage")

const usage = `tacheron-bench — the benchmark of tacheron (issue 7)

Usage:
  tacheron-bench gen   --docs N --seed S --out DIR      write a synthetic corpus
  tacheron-bench load  --url URL [flags]                load a running tacheron serve
  tacheron-bench stock --corpus DIR [flags]             the stock-bleve baseline
  tacheron-bench stock-apply --index PATH --delete FILE|--put FILE   a file's documents deleted from or put in a stock index
  tacheron-bench run   --size 10k|100k|1m [flags]       generate, index, serve, load, incremental changes, stock; write BENCHMARKS.md
  tacheron-bench relevance [flags]                      known-item relevance on French manual pages
  tacheron-bench analysis --index DIR [flags]           time trends, co-occurrence, kwic and CSV export in process

Run "tacheron-bench COMMAND -h" for a command's flags.
`

// run runs the command line; main only calls it, tests too.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "gen":
		return runGen(ctx, args[1:], stdout, stderr)
	case "load":
		return runLoad(ctx, args[1:], stdout, stderr)
	case "stock":
		return runStock(ctx, args[1:], stdout, stderr)
	case "stock-apply":
		return runStockApply(ctx, args[1:], stdout, stderr)
	case "run":
		return runBench(ctx, args[1:], getenv, stdout, stderr)
	case "relevance":
		return runRelevance(ctx, args[1:], stdout, stderr)
	case "analysis":
		return runAnalysis(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "tacheron-bench: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

// parseFlags parses a command's flags; a bad command line prints the usage.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
