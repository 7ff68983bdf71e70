package db

import (
	"context"
	"fmt"
	"time"

	"github.com/sneller-re/sneller/ingest"
	"github.com/sneller-re/sneller/pack"
)

// expired reports whether every row of blob b is older than the table's retention period at
// now: the blob holds timestamps in the retention field and the newest is before the cutoff.
// A blob whose summary has no timestamp for the field is kept (rows without the field are
// never expired on their own).
func (s *syncer) expired(b *BlobInfo, now time.Time) bool {
	r := s.def.Retention
	if r == nil {
		return false
	}
	_, hi, ok := b.TimeRange(SplitFieldPath(r.Field))
	return ok && hi < r.ValidFor.Cutoff(now).UnixMicro()
}

// compact merges the small blobs of each partition of the base index, oldest first, once a
// partition has CompactMin of them: their rows are rewritten into one blob (full blocks
// instead of many small ones), up to BlobBytes per run. A blob that cannot be read is left
// alone (validate reports it).
func (s *syncer) compact(ctx context.Context, b *base, d *delta) error {
	if s.opt.CompactMin < 0 || b.idx == nil {
		return nil
	}
	now := s.opt.Now()
	type group struct {
		blobs []*BlobInfo
		bytes int64
	}
	groups := map[string]*group{}
	var order []string
	for i := range b.idx.Blobs {
		bl := &b.idx.Blobs[i]
		if bl.Size >= s.opt.CompactBelow || s.expired(bl, now) {
			continue
		}
		g := groups[bl.Partition]
		if g == nil {
			g = &group{}
			groups[bl.Partition] = g
			order = append(order, bl.Partition)
		}
		if g.bytes+bl.Size > s.opt.BlobBytes && len(g.blobs) > 0 {
			continue
		}
		g.blobs = append(g.blobs, bl)
		g.bytes += bl.Size
	}
	for _, part := range order {
		g := groups[part]
		if len(g.blobs) < s.opt.CompactMin || len(g.blobs) < 2 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.opt.Progress != nil {
			s.opt.Progress(SyncProgress{Table: s.database + "." + s.table, Compacting: true, Elapsed: now.Sub(s.start)})
		}
		dir := s.dir
		if part != "" {
			dir += "/" + part
		}
		sink := newBlobSink(s.root, dir, part, g.blobs[0].Values, s.tableKeep(), s.opt.Now)
		out, err := sink.writeBlob(ctx, func(w *pack.Writer) error { return s.copyRows(ctx, g.blobs, w) })
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			s.res.Warnings = append(s.res.Warnings, fmt.Sprintf("compaction of %d blobs of partition %q skipped: %v", len(g.blobs), part, err))
			continue
		}
		c := &compaction{to: []*BlobInfo{out}, dest: map[string][]string{}}
		for _, bl := range g.blobs {
			c.from = append(c.from, bl.Path)
			c.dest[bl.Path] = []string{out.Path}
		}
		d.compactions = append(d.compactions, c)
	}
	return nil
}

// copyRows writes the rows of blobs into w, in order, re-shredded into full blocks.
func (s *syncer) copyRows(ctx context.Context, blobs []*BlobInfo, w *pack.Writer) error {
	bo := s.opt.Block
	if bo.Level == 0 {
		bo.Level = ingest.DefaultLevel
	}
	bb := pack.NewBlockBuilder(bo)
	flush := func() error {
		if bb.Rows() == 0 {
			return nil
		}
		blk, err := bb.Finish()
		if err != nil {
			return err
		}
		return w.WriteBlock(blk)
	}
	for _, bl := range blobs {
		f := &fsFetcher{fs: s.root, path: bl.Path, etag: bl.ETag, size: bl.Size}
		name := s.root.URL() + "/" + bl.Path
		t, err := loadTrailer(ctx, f, bl)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		blob := pack.NewBlob(name, t, f)
		for i := 0; i < blob.Blocks(); i++ {
			err := blob.Rows(ctx, i, bb.Symtab(), func(row []byte) error {
				if err := bb.Add(row, bb.Symtab()); err != nil {
					return fmt.Errorf("%s: block %d: %w", name, i, err)
				}
				if bb.Full() {
					return flush()
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	return flush()
}
