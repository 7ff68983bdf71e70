package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

func init() {
	var out string
	register(&command{
		name:  "pack",
		args:  "-o out input...",
		short: "pack local ND-JSON files into one blob (no table)",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&out, "o", "", "output blob path (required)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if out == "" || len(args) == 0 {
				return usagef("pack needs -o and at least one input")
			}
			start := time.Now()
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			defer f.Close()
			bw := bufio.NewWriterSize(f, 1<<20)
			w := pack.NewWriter(bw)
			b := pack.NewBlockBuilder(pack.BuilderOptions{})
			var buf ion.Buffer
			var in int64
			flush := func() error {
				blk, err := b.Finish()
				if err != nil {
					return err
				}
				return w.WriteBlock(blk)
			}
			for _, name := range args {
				r, err := os.Open(name)
				if err != nil {
					return err
				}
				fi, _ := r.Stat()
				in += fi.Size()
				d := ion.NewJSONDecoder(bufio.NewReaderSize(r, 1<<20), b.Symtab())
				for {
					buf.Reset()
					err := d.Next(&buf)
					if err == io.EOF {
						break
					}
					if err != nil {
						r.Close()
						return fmt.Errorf("%s: %w", name, err)
					}
					if err := b.Add(buf.Bytes(), b.Symtab()); err != nil {
						r.Close()
						return fmt.Errorf("%s: %w", name, err)
					}
					if b.Full() {
						if err := flush(); err != nil {
							return err
						}
					}
				}
				r.Close()
			}
			if b.Rows() > 0 {
				if err := flush(); err != nil {
					return err
				}
			}
			info, err := w.Close()
			if err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			if e.verbose {
				el := time.Since(start)
				fmt.Fprintf(e.stderr, "%d rows, %d bytes in, %d bytes out, %.1f MB/s\n", info.Rows, in, info.Size, float64(in)/el.Seconds()/1e6)
			}
			return nil
		},
	})
}
