package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/sneller-re/sneller/ingest"
	"github.com/sneller-re/sneller/pack"
)

func init() {
	var out, format, hintsFile string
	var workers int
	register(&command{
		name:  "pack",
		args:  "-o out [-f format] [-hints file] input...",
		short: "pack local input files into one blob (no table)",
		long: `Converts local files (ND-JSON, .json.gz, .json.zst, cloudtrail, CSV/TSV with hints) into
one packed blob, in parallel on all cores. The format comes from -f, else from each file's
suffix. If any input is rejected (a malformed row, a value not matching its hint) or cannot
be read, the errors are printed, no blob is written, and pack exits with status 1.`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&out, "o", "", "output blob path (required)")
			fs.StringVar(&format, "f", "", "input format for every input (json, json.gz, csv, ...); default: from the suffix")
			fs.StringVar(&hintsFile, "hints", "", "a JSON file of hints for the format (required for csv and tsv)")
			fs.IntVar(&workers, "j", 0, "converter goroutines (default: one per core)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if out == "" || len(args) == 0 {
				return usagef("pack needs -o and at least one input")
			}
			var hints []byte
			if hintsFile != "" {
				var err error
				if hints, err = os.ReadFile(hintsFile); err != nil {
					return err
				}
			}
			if format != "" {
				if err := ingest.ValidateHints(format, hints); err != nil {
					return usagef("-f %s: %v", format, err)
				}
			}
			return runPack(ctx, e, out, format, hints, workers, args)
		},
	})
}

func runPack(ctx context.Context, e *env, out, format string, hints []byte, workers int, files []string) error {
	start := time.Now()
	inputs := make([]ingest.Input, len(files))
	for i, name := range files {
		fi, err := os.Stat(name)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", name)
		}
		inputs[i] = ingest.Input{Name: name, Format: format, Hints: hints, Size: fi.Size(),
			Open: func(context.Context) (io.ReadCloser, error) { return os.Open(name) }}
	}
	sink := &fileSink{path: out}
	res, err := ingest.Convert(ctx, inputs, sink, ingest.Options{Workers: workers, BlobBytes: math.MaxInt64})
	if err != nil {
		if sink.committed {
			os.Remove(sink.tmp)
		}
		return err
	}
	bad := 0
	var rows, in int64
	for _, r := range res.Inputs {
		in += r.Bytes
		if r.Status != ingest.Accepted {
			fmt.Fprintf(e.stderr, "%s: %v\n", r.Status, r.Err)
			bad++
		}
		rows += r.Rows
	}
	if bad > 0 {
		if sink.committed {
			os.Remove(sink.tmp)
		}
		fmt.Fprintf(e.stderr, "sdb pack: %d of %d inputs not packed; %s not written\n", bad, len(files), out)
		return &exitError{1}
	}
	var size int64
	if !sink.committed {
		// every input was empty: write an empty blob
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		info, err := pack.NewWriter(f).Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		size = info.Size
	} else {
		if err := os.Rename(sink.tmp, out); err != nil {
			os.Remove(sink.tmp)
			return err
		}
		size = sink.size
	}
	if e.verbose {
		el := time.Since(start)
		fmt.Fprintf(e.stderr, "%s: %d rows, %s in, %s out, %.1f MB/s\n", out, rows, humanBytes(in), humanBytes(size), float64(in)/el.Seconds()/1e6)
	}
	return nil
}

// fileSink writes the single blob of sdb pack to a temporary file beside the output, which
// runPack renames once it knows every input was packed.
type fileSink struct {
	path      string
	committed bool
	tmp       string
	size      int64
}

func (s *fileSink) Create(ctx context.Context) (ingest.BlobWriter, error) {
	if s.committed {
		return nil, fmt.Errorf("%s: the output is one blob", s.path)
	}
	f, err := os.CreateTemp(filepath.Dir(s.path), "."+filepath.Base(s.path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &fileBlob{s: s, f: f}, nil
}

type fileBlob struct {
	s *fileSink
	f *os.File
}

func (b *fileBlob) Write(p []byte) (int, error) { return b.f.Write(p) }
func (b *fileBlob) Name() string                { return b.s.path }

func (b *fileBlob) Commit(_ context.Context, info *pack.Info) error {
	err := b.f.Sync()
	if cerr := b.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(b.f.Name())
		return err
	}
	b.s.committed, b.s.tmp, b.s.size = true, b.f.Name(), info.Size
	return nil
}

func (b *fileBlob) Abort() error {
	b.f.Close()
	return os.Remove(b.f.Name())
}
