package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sneller-re/sneller/db"
)

func init() {
	register(&command{
		name:  "describe",
		args:  "<db> <table>",
		short: "describe a table's index: blobs, sizes, rows, time ranges, inputs",
		long: `Reads and verifies db/<db>/<table>/index and prints its header, then one line per blob:
path, ETag, size, rows, blocks, creation time, partition, and the range of each timestamp
column of the blob summary.`,
		run: func(ctx context.Context, e *env, args []string) error {
			root, t, err := openTable(ctx, e, "describe", args)
			if err != nil {
				return err
			}
			describe(e, root, t)
			return nil
		},
	})
}

func describe(e *env, root db.FS, t *db.Table) {
	x := t.Index()
	accepted, rejected := 0, 0
	for _, in := range t.Inputs() {
		if in.Err == nil {
			accepted++
		} else {
			rejected++
		}
	}
	p, _ := db.IndexPath(t.Database(), t.Name())
	fmt.Fprintf(e.stdout, "table:      %s.%s\n", t.Database(), t.Name())
	fmt.Fprintf(e.stdout, "index:      %s/%s (format %d, #%d, written %s, ETag %s)\n", root.URL(), p, x.Version, x.Sequence,
		x.Created.Format(time.RFC3339), t.ETag())
	fmt.Fprintf(e.stdout, "definition: sha256 %s\n", hex.EncodeToString(x.Definition[:]))
	fmt.Fprintf(e.stdout, "rows:       %d in %d blobs, %s\n", x.Rows(), len(x.Blobs), humanBytes(x.Bytes()))
	fmt.Fprintf(e.stdout, "inputs:     %d accepted, %d rejected, in %d segments\n", accepted, rejected, len(x.Inputs))
	if len(x.Dropped) > 0 {
		fmt.Fprintf(e.stdout, "dropped:    %d objects awaiting gc\n", len(x.Dropped))
	}
	if len(x.Blobs) == 0 {
		return
	}
	fmt.Fprintln(e.stdout)
	tw := tabwriter.NewWriter(e.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "PATH\tETAG\tSIZE\tROWS\tBLOCKS\tCREATED\tPARTITION\tTIME RANGES")
	for i := range x.Blobs {
		b := &x.Blobs[i]
		var ranges []string
		for _, c := range b.Columns {
			if c.Stats.Times == 0 {
				continue
			}
			lo, hi := time.UnixMicro(c.Stats.TimeMin).UTC(), time.UnixMicro(c.Stats.TimeMax).UTC()
			ranges = append(ranges, fmt.Sprintf("%s: %s..%s", strings.Join(c.Path, "."), lo.Format(time.RFC3339), hi.Format(time.RFC3339)))
		}
		part := b.Partition
		if part == "" {
			part = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", b.Path, b.ETag, b.Size, b.Rows, b.Blocks,
			b.Created.Format(time.RFC3339), part, strings.Join(ranges, "; "))
	}
	tw.Flush()
}
