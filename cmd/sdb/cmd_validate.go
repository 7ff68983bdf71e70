package main

import (
	"context"
	"fmt"

	"github.com/sneller-re/sneller/db"
)

func init() {
	register(&command{
		name:  "validate",
		args:  "<db> <table>",
		short: "verify a table: index signature, input segments, blob ETags, every block",
		long: `Checks the index's signature and its input segments, then every blob: that it exists with
the ETag and size the index pins, that its trailer has the pinned SHA-256, and that every
column chunk of every block has its SHA-256 and decodes. Prints each fault and exits with
status 1 if there was any.`,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 2 {
				return usagef("validate takes <db> <table>")
			}
			root, key, err := openRootKey(ctx, e)
			if err != nil {
				return err
			}
			res, err := db.Validate(ctx, root, key, args[0], args[1], func(err error) {
				fmt.Fprintf(e.stderr, "fault: %v\n", err)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s.%s: %d blobs, %d blocks, %d column chunks, %d rows, %d inputs checked: %d faults\n",
				args[0], args[1], res.Blobs, res.Blocks, res.Columns, res.Rows, res.Inputs, res.Faults)
			if res.Faults > 0 {
				return &exitError{1}
			}
			return nil
		},
	})
}
