package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

func init() {
	var format, out string
	register(&command{
		name:  "unpack",
		args:  "[-fmt json|ion] [-o out] blob...",
		short: "print the rows of packed blobs as ND-JSON or Ion",
		long: `Each blob is a local file, or else a key under the root (db/<db>/<table>/packed-...).
Rows come back exactly as they were packed (the fields of a struct may come back in another
order). Blobs read this way are not pinned by an index: their trailers and column chunks are
checked against the hashes the blob itself holds.`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&format, "fmt", "json", "output format: json (one object per line) or ion")
			fs.StringVar(&out, "o", "", "write to this file instead of standard output")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return usagef("unpack needs at least one blob")
			}
			if format != "json" && format != "ion" {
				return usagef("unknown -fmt %q (want json or ion)", format)
			}
			var w io.Writer = e.stdout
			if out != "" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			bw := bufio.NewWriterSize(w, 256<<10)
			for _, name := range args {
				if err := unpackBlob(ctx, e, bw, name, format == "ion"); err != nil {
					return err
				}
			}
			return bw.Flush()
		},
	})
}

// openBlob opens a blob from a local file or, if there is none, from a key under the root.
func openBlob(ctx context.Context, e *env, name string) (*pack.Blob, func(), error) {
	f, err := os.Open(name)
	if err == nil {
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		b, err := pack.Open(ctx, name, pack.FileFetcher{F: f}, fi.Size(), nil)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return b, func() { f.Close() }, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	root, rerr := openRoot(ctx, e)
	if rerr != nil {
		return nil, nil, err
	}
	env := db.NewQueryEnv(ctx, root, nil, "")
	src, rerr := env.ReadFile(ctx, name)
	if rerr != nil {
		if errors.Is(rerr, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s: no such local file, nor object under %s", name, root.URL())
		}
		return nil, nil, rerr
	}
	return src.(*pack.Blob), func() {}, nil
}

func unpackBlob(ctx context.Context, e *env, w *bufio.Writer, name string, asIon bool) error {
	b, done, err := openBlob(ctx, e, name)
	if err != nil {
		return err
	}
	defer done()
	var line []byte
	for i := 0; i < b.Blocks(); i++ {
		var jw ion.JSONWriter // its name cache belongs to one symbol table
		var st ion.Symtab
		var rows ion.Buffer
		err := b.Rows(ctx, i, &st, func(row []byte) error {
			if asIon {
				rows.WriteRaw(row)
				return nil
			}
			var err error
			line, _, err = jw.Append(line[:0], row, &st)
			if err != nil {
				return err
			}
			line = append(line, '\n')
			_, err = w.Write(line)
			return err
		})
		if err != nil {
			return err
		}
		if asIon {
			var hdr ion.Buffer
			st.Marshal(&hdr, true)
			w.Write(hdr.Bytes())
			if _, err := w.Write(rows.Bytes()); err != nil {
				return err
			}
		}
	}
	return nil
}
