package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/sneller-re/sneller/ingest"
	"github.com/sneller-re/sneller/ion"
)

// newBlob is a blob a sync wrote, with the inputs whose rows it holds.
type newBlob struct {
	info   *BlobInfo
	inputs []string
}

// compaction replaces small blobs by bigger ones holding the same rows.
type compaction struct {
	from []string            // the blobs merged (paths)
	to   []*BlobInfo         // the blobs written
	dest map[string][]string // for each source blob, the blobs its rows went to
}

// delta is everything a sync adds to or removes from the index it started from.
type delta struct {
	blobs       []newBlob
	entries     []*entryUpdate // inputs converted (accepted or rejected) or rejected early
	notes       []*entryUpdate // accepted inputs seen with another ETag
	compactions []*compaction
}

// convert converts the candidates of each partition and returns the delta. Partitions are
// converted a few at a time when there are several (a backfill of many small partitions keeps
// every core busy), each with a share of the workers.
func (s *syncer) convert(ctx context.Context, p *syncPlan) (*delta, error) {
	d := &delta{entries: p.rejected, notes: p.notes}
	if len(p.groups) == 0 {
		return d, nil
	}
	cv := &converting{s: s, d: d, groups: len(p.groups)}
	for _, g := range p.groups {
		cv.total += len(g.cands)
		for _, c := range g.cands {
			cv.totalBytes += c.size
		}
	}
	par := min(len(p.groups), s.opt.Workers)
	workers := (s.opt.Workers + par - 1) / par
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	errs := make([]error, len(p.groups))
	for gi, g := range p.groups {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			errs[gi] = ctx.Err()
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := cv.group(ctx, g, workers); err != nil {
				errs[gi] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	// the cause, rather than the cancellation it caused in the other partitions
	var first error
	for _, err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled) && !errors.Is(err, context.Canceled)) {
			first = err
		}
	}
	if first != nil {
		return nil, fmt.Errorf("sync %s.%s: converting: %w", s.database, s.table, first)
	}
	// a deterministic order whatever the scheduling
	sort.Slice(d.blobs, func(i, j int) bool { return d.blobs[i].info.Path < d.blobs[j].info.Path })
	for _, list := range [][]InputReport{s.res.Accepted, s.res.Rejected, s.res.Failed} {
		sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	}
	return d, nil
}

// converting is the shared state of the partitions being converted.
type converting struct {
	s                *syncer
	d                *delta
	groups           int
	total            int
	totalBytes       int64
	mu               sync.Mutex // guards what follows, d and s.res
	done, groupsDone int
	doneBytes, rows  int64
	running          map[*partGroup]ingest.Progress
}

func (cv *converting) progress(g *partGroup, pr *ingest.Progress) {
	s := cv.s
	if s.opt.Progress == nil {
		return
	}
	if cv.running == nil {
		cv.running = map[*partGroup]ingest.Progress{}
	}
	if pr != nil {
		cv.running[g] = *pr
	} else {
		delete(cv.running, g)
	}
	sp := SyncProgress{Table: s.database + "." + s.table, Inputs: cv.total, InputsDone: cv.done, Bytes: cv.doneBytes,
		BytesTotal: cv.totalBytes, Rows: cv.rows, Elapsed: s.opt.Now().Sub(s.start), Partitions: cv.groups, PartitionAt: cv.groupsDone}
	for _, r := range cv.running {
		sp.InputsDone += r.InputsDone
		sp.Bytes += r.Bytes
		sp.Rows += r.Rows
	}
	s.opt.Progress(sp)
}

// group converts the candidates of one partition.
func (cv *converting) group(ctx context.Context, g *partGroup, workers int) error {
	s := cv.s
	dir := s.dir
	if g.partition != "" {
		dir += "/" + g.partition
	}
	sink := newBlobSink(s.root, dir, g.partition, g.values, s.tableKeep(), s.opt.Now)
	var fields []ion.Field
	for _, v := range g.values {
		fields = append(fields, ion.F(v.Field, v.Datum()))
	}
	inputs := make([]ingest.Input, len(g.cands))
	for i, c := range g.cands {
		inputs[i] = ingest.Input{Name: c.name, Format: c.format, Hints: c.input.Hints, Size: c.size, Fields: fields,
			Open: func(ctx context.Context) (io.ReadCloser, error) {
				// pinned to the ETag listed: an object replaced since fails (and is retried
				// by the next run) rather than being recorded under the wrong ETag
				return c.fs.ReadRange(ctx, c.key, c.etag, 0, -1)
			}}
	}
	opt := ingest.Options{Workers: workers, BlobBytes: s.opt.BlobBytes, Block: s.opt.Block}
	if s.opt.Progress != nil {
		opt.Progress = func(pr ingest.Progress) {
			cv.mu.Lock()
			defer cv.mu.Unlock()
			cv.progress(g, &pr)
		}
	}
	res, err := ingest.Convert(ctx, inputs, sink, opt)
	if err != nil {
		return err
	}
	now := s.opt.Now()
	committed := sink.committed()
	cv.mu.Lock()
	defer cv.mu.Unlock()
	d := cv.d
	for i, r := range res.Inputs {
		c := g.cands[i]
		s.res.Bytes += r.Bytes
		cv.done++
		cv.doneBytes += r.Bytes
		rep := InputReport{Path: c.name, ETag: c.etag, Size: c.size, Rows: r.Rows, Err: r.Err}
		switch r.Status {
		case ingest.Accepted:
			s.res.Accepted = append(s.res.Accepted, rep)
			s.res.Rows += r.Rows
			cv.rows += r.Rows
			d.entries = append(d.entries, &entryUpdate{prev: c.prev, entry: InputInfo{Path: c.name, ETag: c.etag, Size: c.size,
				Rows: r.Rows, Blobs: r.Blobs, Blob: first(r.Blobs), Added: now, Definition: s.defHash}})
		case ingest.Rejected:
			s.res.Rejected = append(s.res.Rejected, rep)
			d.entries = append(d.entries, &entryUpdate{prev: c.prev, entry: InputInfo{Path: c.name, ETag: c.etag, Size: c.size,
				Added: now, Definition: s.defHash, Err: &RejectedError{Reason: r.Err.Error()}}})
		default:
			if rep.Err == nil {
				rep.Err = fmt.Errorf("%s: not converted", c.name)
			}
			s.res.Failed = append(s.res.Failed, rep)
		}
	}
	for _, br := range res.Blobs {
		info := committed[br.Name]
		if info == nil {
			return fmt.Errorf("blob %s was not committed", br.Name)
		}
		nb := newBlob{info: info}
		for _, k := range br.Inputs {
			nb.inputs = append(nb.inputs, g.cands[k].name)
		}
		sort.Strings(nb.inputs)
		d.blobs = append(d.blobs, nb)
		s.res.BlobsWritten++
	}
	cv.groupsDone++
	cv.progress(g, nil)
	return nil
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
