package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/sneller-re/sneller/ion"
)

func init() {
	register(&command{
		name:  "ion2json",
		args:  "[file...|-]",
		short: "convert binary Ion to ND-JSON on stdout",
		long: `Reads each file (or standard input, given no file or "-") as a binary Ion stream and
writes every top-level value as one line of JSON, rendered as the HTTP API renders
results (see docs/ion.md). On malformed input it reports "file: offset N: reason" on
standard error, goes on with the next file, and exits with status 1.`,
		run: runIon2JSON,
	})
}

func runIon2JSON(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		args = []string{"-"}
	}
	out := bufio.NewWriterSize(e.stdout, 256<<10)
	failed := false
	for _, name := range args {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := convertFile(ctx, e, out, name)
		var werr *writeError
		switch {
		case errors.As(err, &werr):
			return werr.err // stdout failing: nothing more to do
		case errors.Is(err, context.Canceled):
			return err
		case err != nil:
			fmt.Fprintf(e.stderr, "%s: %v\n", name, err)
			failed = true
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if failed {
		return &exitError{1}
	}
	return nil
}

// convertFile converts the named file ("-" for standard input).
func convertFile(ctx context.Context, e *env, out *bufio.Writer, name string) error {
	if name == "-" {
		return ion2json(ctx, out, e.stdin)
	}
	f, err := os.Open(name)
	if err != nil {
		if u := errors.Unwrap(err); u != nil {
			err = u // the *PathError repeats the name
		}
		return err
	}
	defer f.Close()
	return ion2json(ctx, out, f)
}

// writeError marks a failure to write the output, as opposed to bad input.
type writeError struct{ err error }

func (w *writeError) Error() string { return w.err.Error() }

// ion2json converts one Ion stream to ND-JSON; errors in the input carry the stream offset.
func ion2json(ctx context.Context, out *bufio.Writer, in io.Reader) error {
	r := ion.NewReader(in)
	var w ion.JSONWriter
	var line []byte
	for n := 0; r.Next(); n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var err error
		line, _, err = w.Append(line[:0], r.Value(), r.Symtab())
		if err != nil {
			return ion.AddOffset(err, r.Offset())
		}
		line = append(line, '\n')
		if _, err := out.Write(line); err != nil {
			return &writeError{err}
		}
	}
	return r.Err()
}
