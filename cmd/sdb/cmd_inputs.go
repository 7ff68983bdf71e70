package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

func init() {
	var onlyRejected bool
	register(&command{
		name:  "inputs",
		args:  "<db> <table>",
		short: "list the input objects a table's index records",
		long: `Prints one line per input object, in path order, with tab-separated fields:
path, ETag, then "accepted" with the rows and the blob holding them, or "rejected" with
the reason (file, line, column, what is wrong). An accepted input whose object changed
since it was ingested also shows "changed <new ETag>" (its new content is not ingested).`,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&onlyRejected, "rejected", false, "list rejected inputs only")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			_, t, err := openTable(ctx, e, "inputs", args)
			if err != nil {
				return err
			}
			for _, in := range t.Inputs() {
				if in.Err != nil {
					reason := strings.ReplaceAll(in.Err.Error(), "\n", " ")
					fmt.Fprintf(e.stdout, "%s\t%s\trejected\t%s\n", in.Path, in.ETag, reason)
					continue
				}
				if onlyRejected {
					continue
				}
				line := fmt.Sprintf("%s\t%s\taccepted\t%d rows\t%s", in.Path, in.ETag, in.Rows, in.Blob)
				if in.ChangedETag != "" {
					line += "\tchanged " + in.ChangedETag
				}
				fmt.Fprintln(e.stdout, line)
			}
			return nil
		},
	})
}
