package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/sneller-re/sneller/db"
)

func init() {
	var grace time.Duration
	var dry bool
	register(&command{
		name:  "gc",
		args:  "<db> [table-pattern]",
		short: "delete blobs and input segments no index references",
		long: `For each table of <db> matching [table-pattern] (default *): deletes the packed blobs and
input segments its index does not reference once they have been unreferenced for longer
than -grace (since the index dropped them, or since they were written for those no index
ever referenced). Never deletes what the current index references; refuses to work from an
index that fails verification. Under a local root it also removes the temporary files of
writers killed mid-write.`,
		flags: func(fs *flag.FlagSet) {
			fs.DurationVar(&grace, "grace", db.DefaultGCGrace, "minimum time an object stays after it was last referenced")
			fs.BoolVar(&dry, "n", false, "dry run: list what would be deleted")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usagef("gc takes <db> [table-pattern]")
			}
			pattern := "*"
			if len(args) == 2 {
				pattern = args[1]
			}
			root, key, err := openRootKey(ctx, e)
			if err != nil {
				return err
			}
			results, err := db.GCTables(ctx, root, key, args[0], pattern, db.GCOptions{Grace: grace, DryRun: dry})
			verb := "deleted"
			if dry {
				verb = "would delete"
			}
			for _, r := range results {
				if e.verbose || dry {
					for _, p := range r.Deleted {
						fmt.Fprintf(e.stdout, "%s %s\n", verb, p)
					}
				}
				fmt.Fprintf(e.stdout, "%s.%s: %s %d objects (%s); %d referenced, %d within the grace period\n",
					r.Database, r.Table, verb, len(r.Deleted), humanBytes(r.Bytes), r.Live, r.Waiting)
			}
			if err != nil {
				for _, one := range splitJoined(err) {
					fmt.Fprintf(e.stderr, "sdb gc: %v\n", one)
				}
				return &exitError{1}
			}
			return nil
		},
	})
}
