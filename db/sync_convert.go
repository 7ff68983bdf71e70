package db

import (
	"context"
	"fmt"
	"io"
	"sort"

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

// convert converts the candidates of each partition and returns the delta.
func (s *syncer) convert(ctx context.Context, p *syncPlan) (*delta, error) {
	d := &delta{entries: p.rejected, notes: p.notes}
	total, totalBytes := 0, int64(0)
	for _, g := range p.groups {
		total += len(g.cands)
		for _, c := range g.cands {
			totalBytes += c.size
		}
	}
	var doneBefore int
	var bytesBefore, rowsBefore int64
	for gi, g := range p.groups {
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
		opt := ingest.Options{Workers: s.opt.Workers, BlobBytes: s.opt.BlobBytes}
		if s.opt.Progress != nil {
			gi := gi
			opt.Progress = func(pr ingest.Progress) {
				s.opt.Progress(SyncProgress{Table: s.database + "." + s.table, Inputs: total, InputsDone: doneBefore + pr.InputsDone,
					Bytes: bytesBefore + pr.Bytes, BytesTotal: totalBytes, Rows: rowsBefore + pr.Rows,
					Elapsed: s.opt.Now().Sub(s.start), Partitions: len(p.groups), PartitionAt: gi})
			}
		}
		res, err := ingest.Convert(ctx, inputs, sink, opt)
		if err != nil {
			return nil, fmt.Errorf("sync %s.%s: converting: %w", s.database, s.table, err)
		}
		now := s.opt.Now()
		for i, r := range res.Inputs {
			c := g.cands[i]
			s.res.Bytes += r.Bytes
			doneBefore++
			bytesBefore += r.Bytes
			rep := InputReport{Path: c.name, ETag: c.etag, Size: c.size, Rows: r.Rows, Err: r.Err}
			switch r.Status {
			case ingest.Accepted:
				s.res.Accepted = append(s.res.Accepted, rep)
				s.res.Rows += r.Rows
				rowsBefore += r.Rows
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
		committed := sink.committed()
		for _, br := range res.Blobs {
			info := committed[br.Name]
			if info == nil {
				return nil, fmt.Errorf("sync %s.%s: blob %s was not committed", s.database, s.table, br.Name)
			}
			nb := newBlob{info: info}
			for _, k := range br.Inputs {
				nb.inputs = append(nb.inputs, g.cands[k].name)
			}
			sort.Strings(nb.inputs)
			d.blobs = append(d.blobs, nb)
			s.res.BlobsWritten++
		}
	}
	return d, nil
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
