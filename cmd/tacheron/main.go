// Command tacheron indexes a corpus on digital labor and serves search over
// it.
//
// Usage:
//
//	tacheron index  [--corpus DIR] [--index PATH]      build and publish a snapshot
//	                [--watch]                          then one whenever DIR changes
//	tacheron search [--json] [--source S] [--concept C] [--from D] [--sort S] [--limit N] QUERY
//	tacheron serve  [--index PATH] [--addr HOST:PORT]  serve the API and the page
//	tacheron help [COMMAND]                            a command's flags
//	tacheron --version
//
// With --publish s3://BUCKET/PREFIX, index uploads the snapshot to object
// storage; with --follow s3://BUCKET/PREFIX, serve is a replica that
// downloads each published snapshot (see package tacheron/index/replica).
//
// Flags may also be set from the environment (TACHERON_INDEX, TACHERON_CORPUS,
// TACHERON_ADDR, …); run "tacheron help COMMAND" for each command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "tacheron:", err)
			os.Exit(1)
		}
		os.Exit(2)
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
  tacheron trends [flags] [QUERY]  documents per month or year, for up to five series
  tacheron kwic   [flags] QUERY    every occurrence of the query's words, in context
  tacheron export [flags] [QUERY]  every result as csv, jsonl, ris or bibtex
  tacheron help [COMMAND]          this help, or a command's flags
  tacheron --version               the version and the commit it was built from

Run "tacheron help COMMAND" (or "tacheron COMMAND --help") for a command's flags.
`

// A command is a subcommand of tacheron.
type command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// commands returns the subcommands by name.
func commands() map[string]command {
	return map[string]command{"index": runIndex, "search": runSearch, "serve": runServe,
		"trends": runTrends, "kwic": runKWIC, "export": runExport}
}

// run runs the tacheron command line; main only calls it, tests too. A
// request for help is not an error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	if cmd, ok := commands()[args[0]]; ok {
		err := cmd(ctx, args[1:], getenv, stdout, stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			cmd, ok := commands()[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "tacheron help: unknown command %q\n\n%s", args[1], usage)
				return errUsage
			}
			// The command's help, on stdout: asked for, it is the output.
			if err := cmd(ctx, []string{"--help"}, getenv, stdout, stdout); !errors.Is(err, flag.ErrHelp) {
				return err
			}
			return nil
		}
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, version())
		return nil
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "tacheron: unknown flag %s (flags come after the command)\n\n%s", args[0], usage)
		return errUsage
	}
	fmt.Fprintf(stderr, "tacheron: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

// version describes the binary: its module version, the commit it was
// built from and the Go release that built it.
func version() string {
	v, commit, dirty := "(devel)", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value[:min(len(s.Value), 12)]
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	out := "tacheron " + v
	if commit != "" {
		out += " commit " + commit
		if dirty {
			out += " (modified)"
		}
	}
	return out + " " + runtime.Version()
}

// envOr returns the environment variable name, or def when it is unset.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// parseFlags parses a command's flags; a bad command line prints the
// problem, with the flags as they were typed, and the usage.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	if err == nil {
		return nil
	}
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return err
	}
	fmt.Fprintf(stderr, "%s: %s\n\n", fs.Name(), asTyped(err.Error(), args))
	fs.Usage()
	return errUsage
}

// flagName matches a flag named in the flag package's messages.
var flagName = regexp.MustCompile(`(^|[ :])-([A-Za-z][\w-]*)`)

// asTyped rewrites the flag names in msg ("-bogus") as args typed them
// ("--bogus"), and says "unknown flag" rather than "flag provided but not
// defined".
func asTyped(msg string, args []string) string {
	msg = strings.Replace(msg, "flag provided but not defined:", "unknown flag", 1)
	return flagName.ReplaceAllStringFunc(msg, func(m string) string {
		sub := flagName.FindStringSubmatch(m)
		for _, a := range args {
			name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if strings.HasPrefix(a, "-") && name == sub[2] {
				typed, _, _ := strings.Cut(a, "=")
				return sub[1] + typed
			}
		}
		return m
	})
}
