package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/sneller-re/sneller/db"
)

func init() {
	maxBytes := int64(100 << 30)
	var workers int
	var quiet bool
	register(&command{
		name:  "sync",
		args:  "<db> <table-pattern>",
		short: "ingest new input objects of the matching tables and publish their indexes",
		long: `For each table of <db> whose name matches <table-pattern> (*, ?, [...]) and that has a
definition.json: lists its inputs, converts the objects not yet ingested (same path and
ETag) in parallel into packed blobs, and publishes a new signed index. An input with a
malformed row is rejected as a whole and recorded with the error; the others go on, and
sync exits with status 1 after printing a summary. At most -m bytes of input are
converted per table and run; the rest is left for the next run (sync says so).
Progress goes to standard error on a terminal; otherwise one summary line per table.`,
		flags: func(fs *flag.FlagSet) {
			fs.Var(bytesFlag{&maxBytes}, "m", "most input bytes to convert per table and run (e.g. 1073741824 or 1GiB; 0: no limit)")
			fs.IntVar(&workers, "j", 0, "converter goroutines (default: one per core)")
			fs.BoolVar(&quiet, "q", false, "print only problems")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 2 {
				return usagef("sync takes <db> <table-pattern>")
			}
			return runSync(ctx, e, args[0], args[1], db.SyncOptions{MaxBytes: maxBytes, Workers: workers}, quiet)
		},
	})
}

func runSync(ctx context.Context, e *env, database, pattern string, opt db.SyncOptions, quiet bool) error {
	root, key, err := openRootKey(ctx, e)
	if err != nil {
		return err
	}
	var prog *progressLine
	if isTerminal(e.stderr) && !quiet {
		prog = &progressLine{w: e.stderr}
		opt.Progress = prog.update
	}
	results, err := db.SyncTables(ctx, root, key, database, pattern, opt)
	if prog != nil {
		prog.clear()
	}
	failed := err != nil
	for _, r := range results {
		if e.verbose {
			for _, in := range r.Accepted {
				fmt.Fprintf(e.stderr, "ingested: %s (%s, %d rows)\n", in.Path, humanBytes(in.Size), in.Rows)
			}
		}
		for _, in := range r.Rejected {
			fmt.Fprintf(e.stderr, "rejected: %v\n", in.Err)
		}
		for _, in := range r.Failed {
			fmt.Fprintf(e.stderr, "failed (retried by the next run): %v\n", in.Err)
		}
		for _, in := range r.Changed {
			fmt.Fprintf(e.stderr, "changed: %v\n", in.Err)
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(e.stderr, "warning: %s.%s: %s\n", r.Database, r.Table, w)
		}
		if !quiet || r.Err() != nil {
			fmt.Fprintln(e.stdout, summary(r, opt.MaxBytes))
		}
		if r.Err() != nil {
			failed = true
		}
	}
	if err != nil {
		for _, one := range splitJoined(err) {
			fmt.Fprintf(e.stderr, "sdb sync: %v\n", one)
		}
	}
	if failed {
		return &exitError{1}
	}
	return nil
}

// splitJoined returns the errors of an errors.Join, or err itself.
func splitJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// summary is the one line describing a table's sync.
func summary(r *db.SyncResult, maxBytes int64) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s.%s: %d new inputs ingested (%s, %d rows) in %.2fs", r.Database, r.Table,
		len(r.Accepted), humanBytes(r.Bytes), r.Rows, r.Elapsed.Seconds())
	if s := r.Elapsed.Seconds(); s > 0 && r.Bytes > 0 {
		fmt.Fprintf(&sb, " (%.1f MB/s)", float64(r.Bytes)/s/1e6)
	}
	if n := len(r.Rejected); n > 0 {
		fmt.Fprintf(&sb, ", %d rejected", n)
	}
	if n := len(r.Failed); n > 0 {
		fmt.Fprintf(&sb, ", %d failed", n)
	}
	if n := len(r.Changed); n > 0 {
		fmt.Fprintf(&sb, ", %d changed (not ingested again)", n)
	}
	fmt.Fprintf(&sb, ", %d already ingested", r.Skipped)
	if r.Deferred > 0 {
		fmt.Fprintf(&sb, ", %d inputs (%s) left for the next run (-m %d)", r.Deferred, humanBytes(r.DeferredBytes), maxBytes)
	}
	if r.Compacted > 0 {
		fmt.Fprintf(&sb, ", %d small blobs merged", r.Compacted)
	}
	if r.Expired > 0 {
		fmt.Fprintf(&sb, ", %d blobs expired", r.Expired)
	}
	if r.Published {
		fmt.Fprintf(&sb, "; index #%d published", r.Sequence)
	} else {
		sb.WriteString("; index unchanged")
	}
	if r.Conflicts > 0 {
		fmt.Fprintf(&sb, " after %d concurrent updates", r.Conflicts)
	}
	return sb.String()
}

// progressLine redraws one status line on a terminal, at most a few times a second.
type progressLine struct {
	w    io.Writer
	mu   sync.Mutex
	last time.Time
	wide int
}

func (p *progressLine) update(s db.SyncProgress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond && s.InputsDone < s.Inputs && !s.Publishing && !s.Compacting {
		return
	}
	p.last = now
	var line string
	switch {
	case s.Publishing:
		line = fmt.Sprintf("%s: publishing the index", s.Table)
	case s.Compacting:
		line = fmt.Sprintf("%s: merging small blobs", s.Table)
	default:
		rate := 0.0
		if sec := s.Elapsed.Seconds(); sec > 0 {
			rate = float64(s.Bytes) / sec / 1e6
		}
		line = fmt.Sprintf("%s: %d/%d inputs, %s/%s, %d rows, %.1f MB/s", s.Table, s.InputsDone, s.Inputs,
			humanBytes(s.Bytes), humanBytes(s.BytesTotal), s.Rows, rate)
	}
	pad := ""
	if n := p.wide - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	p.wide = len(line)
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
}

func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wide > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.wide))
		p.wide = 0
	}
}
