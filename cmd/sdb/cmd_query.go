package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/sneller-re/sneller/output"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

func init() {
	var format, database, outPath string
	var memLimit int64
	var workers, repeat int
	var cpuprofile string
	register(&command{
		name:  "query",
		args:  `"SQL"`,
		short: "run a query against tables under the root or single blobs",
		long: `Tables are named db.table (or table, with -d db); read_file('path') reads one packed blob
(a path relative to the root, or absolute). The SQL may also come from a file with -f.
-fmt json prints one JSON object per line (as ndjson does); ion writes binary Ion; csv a header
and one line per row. -v prints rows, bytes scanned and elapsed time to stderr.`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&format, "fmt", "json", "output format: json, ndjson, ion or csv")
			fs.StringVar(&database, "d", "", "default database for unqualified table names")
			fs.StringVar(&outPath, "o", "", "write the result to this file instead of stdout")
			fs.Int64Var(&memLimit, "mem", 4<<30, "memory limit of the query's intermediate state, in bytes (0: none)")
			fs.IntVar(&workers, "workers", 0, "goroutines scanning blocks (default: one per core)")
			fs.StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile of the execution to this file")
			fs.IntVar(&repeat, "repeat", 1, "run the query this many times (for timing; output of the last run)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 {
				return usagef("query takes one SQL argument")
			}
			f := output.Format(format)
			switch f {
			case "json":
				f = output.NDJSON
			case output.NDJSON, output.Ion, output.CSV:
			default:
				return usagef("unknown -fmt %q (want json, ndjson, ion or csv)", format)
			}
			start := time.Now()
			st, err := sql.Parse(args[0])
			if err != nil {
				return err
			}
			tenv, err := openQueryEnv(ctx, e, database)
			if err != nil {
				return err
			}
			q, err := plan.Prepare(ctx, st, tenv, plan.Options{MemoryLimit: memLimit, Workers: workers})
			if err != nil {
				return err
			}
			var w io.Writer = e.stdout
			if outPath != "" {
				file, err := os.Create(outPath)
				if err != nil {
					return err
				}
				defer file.Close()
				w = file
			}
			if cpuprofile != "" {
				pf, err := os.Create(cpuprofile)
				if err != nil {
					return err
				}
				defer pf.Close()
				pprof.StartCPUProfile(pf)
				defer pprof.StopCPUProfile()
			}
			for i := 1; i < repeat; i++ {
				if err := q.Run(ctx, discard{}); err != nil {
					return err
				}
			}
			ow, err := output.New(f, w, q.Columns())
			if err != nil {
				return err
			}
			if err := q.Run(ctx, ow); err != nil {
				if !errors.Is(err, context.Canceled) {
					ow.Close()
				}
				return err
			}
			if err := ow.Close(); err != nil {
				return err
			}
			if e.verbose {
				s := q.Stats()
				el := time.Since(start)
				fmt.Fprintf(e.stderr, "%d rows, %d bytes scanned (%.1f MB/s), %d of %d blocks skipped, %s\n",
					s.RowsOut.Load(), s.BytesScanned.Load(), float64(s.BytesScanned.Load())/el.Seconds()/1e6,
					s.BlocksSkipped.Load(), s.BlocksTotal.Load(), el.Round(time.Microsecond))
			}
			return nil
		},
	})
}

type discard struct{}

func (discard) Row(vm.Value) error { return nil }
