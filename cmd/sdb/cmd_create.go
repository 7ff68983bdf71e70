package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/ingest"
)

func init() {
	var force bool
	register(&command{
		name:  "create",
		args:  "<db> <table> <definition.json|->",
		short: "create a table from a definition.json (validated; does not sync)",
		long: `Reads the local file (or standard input for "-"), validates it (keys, patterns, formats,
partitions, retention, and each input's hints against its format) and writes it to
db/<db>/<table>/definition.json under the root. Patterns must be readable from the root:
s3://bucket/... anywhere, file://... under a local root only. An existing different
definition is replaced only with -f. Then run 'sdb sync <db> <table>'.`,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&force, "f", false, "replace an existing definition")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 3 {
				return usagef("create takes <db> <table> <definition.json>")
			}
			return runCreate(ctx, e, args[0], args[1], args[2], force)
		},
	})
}

func runCreate(ctx context.Context, e *env, database, table, file string, force bool) error {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(io.LimitReader(e.stdin, db.MaxDefinitionSize+1))
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return err
	}
	def, err := db.ParseDefinition(file, data)
	if err != nil {
		return err
	}
	for i := range def.Inputs {
		if err := checkInput(i, &def.Inputs[i]); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	root, err := openRoot(ctx, e)
	if err != nil {
		return err
	}
	for i, in := range def.Inputs {
		if _, _, err := db.ResolvePattern(ctx, root, in.Pattern); err != nil {
			return fmt.Errorf("%s: input[%d].pattern: %w", file, i, err)
		}
	}
	p, err := db.DefinitionPath(database, table)
	if err != nil {
		return usagef("%v", err)
	}
	old, err := db.ReadDefinition(ctx, root, database, table)
	switch {
	case err == nil:
		if old.Hash() == def.Hash() {
			fmt.Fprintf(e.stdout, "%s/%s is already this definition\n", root.URL(), p)
			return nil
		}
		if !force {
			return fmt.Errorf("%s/%s exists with another definition: use -f to replace it", root.URL(), p)
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		if !force {
			return fmt.Errorf("the existing definition: %w (use -f to replace it)", err)
		}
	}
	if _, err := db.WriteDefinition(ctx, root, database, table, def); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s/%s\n", root.URL(), p)
	return nil
}

// checkInput validates the hints of an input against its format: the explicit one, or the
// one its pattern's suffix gives. CSV and TSV inputs need hints.
func checkInput(i int, in *db.Input) error {
	format := in.Format
	if format == "" {
		format, _ = db.FormatOf(in.Pattern)
	}
	if format == "" {
		if len(bytes.TrimSpace(in.Hints)) > 0 {
			return fmt.Errorf("input[%d].hints: the format of %q cannot be inferred from its suffix, so its hints cannot be checked: set \"format\"", i, in.Pattern)
		}
		return nil
	}
	if err := ingest.ValidateHints(format, in.Hints); err != nil {
		return fmt.Errorf("input[%d].hints (format %s): %w", i, format, err)
	}
	return nil
}
