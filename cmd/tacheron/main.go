// Command tacheron indexes a corpus on digital labor and serves search over
// it.
//
// Usage:
//
//	tacheron index  [--corpus DIR] [--index PATH]      build and publish a snapshot
//	tacheron search [--json] [--source S] [--concept C] [--limit N] QUERY
//	tacheron serve  [--index PATH] [--addr HOST:PORT]  serve the API and the page
//
// With --publish s3://BUCKET/PREFIX, index uploads the snapshot to object
// storage; with --follow s3://BUCKET/PREFIX, serve is a replica that
// downloads each published snapshot (see package tacheron/index/replica).
//
// Flags may also be set from the environment (TACHERON_INDEX, TACHERON_CORPUS,
// TACHERON_ADDR, …); run "tacheron COMMAND -h" for each command's flags.
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
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "tacheron:", err)
		}
		if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// errUsage reports a command line that could not be understood (the usage
// was printed).
var errUsage = errors.New("usage")

const usage = `tacheron — bilingual search over a corpus on digital labor

Usage:
  tacheron index  [flags]          build the index from a corpus and publish it
  tacheron search [flags] QUERY    search the index from the command line
  tacheron serve  [flags]          serve the JSON API and the search page

Run "tacheron COMMAND -h" for a command's flags.
`

// run runs the tacheron command line; main only calls it, tests too.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "index":
		return runIndex(ctx, args[1:], getenv, stdout, stderr)
	case "search":
		return runSearch(ctx, args[1:], getenv, stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "tacheron: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

// envOr returns the environment variable name, or def when it is unset.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
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
