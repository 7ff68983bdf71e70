// Command sdb is the ingester and admin tool of the engine: it creates tables, syncs source
// objects into packed blobs under a signed index, inspects blobs and indexes, and runs queries
// locally. This package holds flags and wiring only; the work lives in the library packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// env is what every command receives: the global flags and the standard streams.
type env struct {
	root    string // -root, else $SNELLER_BUCKET, else "."
	verbose bool   // -v
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
}

// command is one sdb subcommand. Each lives in its own cmd_<name>.go file and registers itself
// in init.
type command struct {
	name  string
	args  string // argument synopsis shown in usage, e.g. "<db> <table>"
	short string // one line for the command list
	long  string // longer help text (optional)
	// flags declares the command's flags on fs; it may be nil.
	flags func(fs *flag.FlagSet)
	// run executes the command with the positional arguments left after flag parsing.
	run func(ctx context.Context, e *env, args []string) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("sdb: duplicate command " + c.name)
	}
	commands[c.name] = c
}

// usageError marks an error that is the caller's misuse: sdb exits 2 and prints the usage.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError carries a chosen exit status for a failure that was already reported.
type exitError struct{ code int }

func (x *exitError) Error() string { return fmt.Sprintf("exit status %d", x.code) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func globalUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: sdb [-root R] [-v] <command> [flags] [args]\n\n")
	fmt.Fprintf(w, "Global flags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, "\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].short)
	}
	fmt.Fprintf(w, "\nRun 'sdb <command> --help' for a command's flags and arguments.\n")
}

func commandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: sdb [-root R] [-v] %s [flags] %s\n\n%s\n", c.name, c.args, c.short)
	if c.long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.long))
	}
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// run is main without the process: it returns the exit status.
func run(ctx context.Context, argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	gfs := flag.NewFlagSet("sdb", flag.ContinueOnError)
	gfs.SetOutput(io.Discard)
	defRoot := os.Getenv("SNELLER_BUCKET")
	if defRoot == "" {
		defRoot = "."
	}
	gfs.StringVar(&e.root, "root", defRoot, "storage root: a local directory or s3://bucket[/prefix] (env SNELLER_BUCKET)")
	gfs.BoolVar(&e.verbose, "v", false, "verbose: progress and statistics on stderr")
	if err := gfs.Parse(argv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			globalUsage(stdout, gfs)
			return 0
		}
		fmt.Fprintf(stderr, "sdb: %v\n", err)
		globalUsage(stderr, gfs)
		return 2
	}
	rest := gfs.Args()
	if len(rest) == 0 {
		globalUsage(stderr, gfs)
		return 2
	}
	name := rest[0]
	if name == "help" {
		if len(rest) > 1 {
			if c, ok := commands[rest[1]]; ok {
				fs := newCommandFlags(c)
				commandUsage(stdout, c, fs)
				return 0
			}
		}
		globalUsage(stdout, gfs)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "sdb: unknown command %q\n", name)
		globalUsage(stderr, gfs)
		return 2
	}
	fs := newCommandFlags(c)
	if err := fs.Parse(rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			commandUsage(stdout, c, fs)
			return 0
		}
		fmt.Fprintf(stderr, "sdb %s: %v\n", c.name, err)
		commandUsage(stderr, c, fs)
		return 2
	}
	err := c.run(ctx, e, fs.Args())
	if err == nil {
		return 0
	}
	var ue *usageError
	var xe *exitError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "sdb %s: %s\n", c.name, ue.msg)
		commandUsage(stderr, c, fs)
		return 2
	case errors.As(err, &xe):
		return xe.code
	default:
		fmt.Fprintf(stderr, "sdb %s: %v\n", c.name, err)
		return 1
	}
}

func newCommandFlags(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet("sdb "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if c.flags != nil {
		c.flags(fs)
	}
	return fs
}
