package db

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
)

// publish builds the new index on the base, writes its input segments and publishes it with
// a conditional put; when another writer published first, it reads the winner's index and
// starts again on it.
func (s *syncer) publish(ctx context.Context, b *base, d *delta) error {
	for attempt := 0; ; attempt++ {
		nb, err := s.build(ctx, b, d)
		if err != nil {
			return err
		}
		if nb.idx == nil {
			s.res.Sequence = b.idx.Sequence
			s.settle(nb)
			return nil
		}
		if s.opt.Progress != nil {
			s.opt.Progress(SyncProgress{Table: s.database + "." + s.table, Publishing: true, Elapsed: s.opt.Now().Sub(s.start)})
		}
		for _, w := range nb.writes {
			if _, err := s.root.Put(ctx, w.path, bytes.NewReader(w.data), IfAbsent); err != nil && !errors.Is(err, ErrPrecondition) {
				return fmt.Errorf("sync %s.%s: writing input segment: %w", s.database, s.table, err)
			}
		}
		if err := s.checkBlobs(ctx, nb.added); err != nil {
			return err
		}
		cond := IfAbsent
		if b.idx != nil {
			cond = IfMatch(b.etag)
		}
		_, err = s.root.Put(ctx, s.indexPath, bytes.NewReader(nb.idx.Sign(s.key)), cond)
		if err == nil {
			s.res.Published = true
			s.res.Sequence = nb.idx.Sequence
			s.settle(nb)
			return nil
		}
		if !errors.Is(err, ErrPrecondition) {
			return fmt.Errorf("sync %s.%s: publishing the index: %w", s.database, s.table, err)
		}
		s.res.Conflicts++
		if attempt >= s.opt.Retries {
			return fmt.Errorf("sync %s.%s: %w %d times in a row; run sync again", s.database, s.table, ErrConflict, attempt+1)
		}
		if b, err = s.readBase(ctx); err != nil {
			return err
		}
	}
}

// checkBlobs makes sure the new blobs are still there, as written, before an index
// references them (gc deletes unreferenced blobs older than its grace period, and a very long
// sync could outlive it).
func (s *syncer) checkBlobs(ctx context.Context, blobs []*BlobInfo) error {
	for _, b := range blobs {
		fi, err := s.root.Stat(ctx, b.Path)
		if err != nil {
			return fmt.Errorf("sync %s.%s: a new blob vanished before the index was published (is gc's grace period shorter than the sync?): %w", s.database, s.table, err)
		}
		if fi.ETag != b.ETag {
			return fmt.Errorf("sync %s.%s: new blob %s/%s: %w: %s, written as %s", s.database, s.table, s.root.URL(), b.Path, ErrETagChanged, fi.ETag, b.ETag)
		}
	}
	return nil
}

// settle adjusts the result to what the published index records: inputs a concurrent sync
// recorded first are not reported as this run's, and inputs whose blob was discarded are
// left for the next run.
func (s *syncer) settle(nb *built) {
	keep := func(list []InputReport) []InputReport {
		out := list[:0]
		for _, r := range list {
			switch {
			case nb.conflicted[r.Path]:
				s.res.Skipped++
			case nb.lost[r.Path]:
				s.res.Deferred++
				s.res.DeferredBytes += r.Size
			default:
				out = append(out, r)
				continue
			}
			s.res.Rows -= r.Rows
		}
		return out
	}
	s.res.Compacted, s.res.Expired = nb.compacted, nb.expired
	s.res.Accepted = keep(s.res.Accepted)
	s.res.Rejected = keep(s.res.Rejected)
	s.res.BlobsWritten -= nb.droppedBlobs
}

// built is an index ready to publish on a given base.
type built struct {
	idx          *Index // nil when nothing changed
	writes       []segWrite
	added        []*BlobInfo     // new blobs the index references
	conflicted   map[string]bool // inputs the base recorded since the sync read it
	lost         map[string]bool // inputs not recorded because their blob was discarded
	droppedBlobs int
	compacted    int // blobs merged
	expired      int // blobs dropped by retention
}

type segWrite struct {
	path    string
	data    []byte
	entries []InputInfo
}

// segmentEntries returns the entries of a segment: one this build wrote, or one in storage.
func (s *syncer) segmentEntries(ctx context.Context, ref SegmentRef, pending map[string]segWrite) ([]InputInfo, error) {
	if w, ok := pending[ref.Path]; ok {
		return w.entries, nil
	}
	return readSegment(ctx, s.root, ref)
}

// build applies the delta to the base: new blobs (except those holding an input the base
// recorded meanwhile), input entries, compactions whose source blobs are all still there,
// the retention policy, and the input segment of the new entries (merged with the last ones
// when they are of similar size, so that a table keeps O(log n) segments).
func (s *syncer) build(ctx context.Context, b *base, d *delta) (*built, error) {
	now := s.opt.Now()
	nb := &built{conflicted: map[string]bool{}, lost: map[string]bool{}}
	x := &Index{Version: IndexVersion, Database: s.database, Table: s.table, Created: now, Definition: s.defHash, Sequence: 1}
	changed := b.idx == nil
	if b.idx != nil {
		x.Blobs = append(x.Blobs, b.idx.Blobs...)
		x.Inputs = append(x.Inputs, b.idx.Inputs...)
		x.Sequence = b.idx.Sequence + 1
		for _, dr := range b.idx.Dropped {
			if now.Sub(dr.At) < droppedKeep {
				x.Dropped = append(x.Dropped, dr)
			}
		}
		changed = b.idx.Definition != s.defHash
	}
	// input entries: conflicts with the base
	for _, u := range d.entries {
		if !sameEntry(b.inputs[u.entry.Path], u.prev) {
			nb.conflicted[u.entry.Path] = true
		}
	}
	// new blobs
	for _, blob := range d.blobs {
		bad := false
		for _, in := range blob.inputs {
			bad = bad || nb.conflicted[in]
		}
		if bad {
			nb.droppedBlobs++
			for _, in := range blob.inputs {
				if !nb.conflicted[in] {
					nb.lost[in] = true
				}
			}
			continue
		}
		x.Blobs = append(x.Blobs, *blob.info)
		nb.added = append(nb.added, blob.info)
		changed = true
	}
	upd := map[string]*InputInfo{}
	entry := func(p string) *InputInfo {
		if e, ok := upd[p]; ok {
			return e
		}
		cur := b.inputs[p]
		if cur == nil {
			return nil
		}
		e := *cur
		upd[p] = &e
		return &e
	}
	for _, u := range d.entries {
		if p := u.entry.Path; !nb.conflicted[p] && !nb.lost[p] {
			e := u.entry
			upd[p] = &e
		}
	}
	for _, u := range d.notes {
		cur := b.inputs[u.entry.Path]
		if cur != nil && cur.ETag == u.prev.ETag && cur.Accepted() && cur.ChangedETag != u.entry.ChangedETag {
			entry(u.entry.Path).ChangedETag = u.entry.ChangedETag
		}
	}
	// compactions
	for _, c := range d.compactions {
		pos := map[string]int{}
		for i := range x.Blobs {
			pos[x.Blobs[i].Path] = i
		}
		ok := true
		for _, f := range c.from {
			_, present := pos[f]
			ok = ok && present
		}
		if !ok {
			continue // the base changed under it: its output stays unreferenced
		}
		from := map[string]bool{}
		for _, f := range c.from {
			from[f] = true
			x.Dropped = append(x.Dropped, Dropped{Path: f, At: now})
		}
		kept := x.Blobs[:0]
		for _, bl := range x.Blobs {
			if !from[bl.Path] {
				kept = append(kept, bl)
			}
		}
		x.Blobs = kept
		for _, t := range c.to {
			x.Blobs = append(x.Blobs, *t)
			nb.added = append(nb.added, t)
		}
		for p, in := range b.inputs {
			if !in.Accepted() || !anyIn(in.Blobs, from) {
				continue
			}
			e := entry(p)
			var blobs []string
			seen := map[string]bool{}
			for _, bl := range e.Blobs {
				dst := []string{bl}
				if from[bl] {
					dst = c.dest[bl]
				}
				for _, x := range dst {
					if !seen[x] {
						seen[x] = true
						blobs = append(blobs, x)
					}
				}
			}
			e.Blobs, e.Blob = blobs, first(blobs)
		}
		nb.compacted += len(c.from)
		changed = true
	}
	// retention
	kept := x.Blobs[:0]
	expired := 0
	for _, bl := range x.Blobs {
		if s.expired(&bl, now) {
			x.Dropped = append(x.Dropped, Dropped{Path: bl.Path, At: now})
			expired++
			continue
		}
		kept = append(kept, bl)
	}
	x.Blobs = kept
	if expired > 0 {
		nb.expired = expired
		changed = true
	}
	// input segments
	if len(upd) > 0 {
		entries := make([]InputInfo, 0, len(upd))
		for _, e := range upd {
			entries = append(entries, *e)
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
		pending := map[string]segWrite{}
		ref := s.newSegment(entries, pending)
		x.Inputs = append(x.Inputs, ref)
		baseRefs := map[string]bool{}
		for _, r := range x.Inputs[:len(x.Inputs)-1] {
			baseRefs[r.Path] = true
		}
		for n := len(x.Inputs); n >= 2 && x.Inputs[n-1].Entries*2 >= x.Inputs[n-2].Entries; n = len(x.Inputs) {
			older, newer := x.Inputs[n-2], x.Inputs[n-1]
			a, err := s.segmentEntries(ctx, older, pending)
			if err != nil {
				return nil, err
			}
			c, err := s.segmentEntries(ctx, newer, pending)
			if err != nil {
				return nil, err
			}
			merged := mergeEntries(a, c)
			for _, r := range []SegmentRef{older, newer} {
				if baseRefs[r.Path] {
					x.Dropped = append(x.Dropped, Dropped{Path: r.Path, At: now})
				}
				delete(pending, r.Path)
			}
			x.Inputs = append(x.Inputs[:n-2], s.newSegment(merged, pending))
		}
		for _, r := range x.Inputs {
			if w, ok := pending[r.Path]; ok {
				nb.writes = append(nb.writes, w)
			}
		}
		changed = true
	}
	if !changed {
		return nb, nil
	}
	// never list as dropped what the new index references
	live := map[string]bool{}
	for _, bl := range x.Blobs {
		live[bl.Path] = true
	}
	for _, r := range x.Inputs {
		live[r.Path] = true
	}
	dropped := x.Dropped[:0]
	for _, dr := range x.Dropped {
		if !live[dr.Path] {
			dropped = append(dropped, dr)
		}
	}
	x.Dropped = dropped
	nb.idx = x
	return nb, nil
}

// newSegment encodes entries as a segment, primes the segment cache with them and records
// the write.
func (s *syncer) newSegment(entries []InputInfo, pending map[string]segWrite) SegmentRef {
	data, ref := encodeSegment(s.dir, entries)
	segmentCache.get(ref.SHA256, func() ([]InputInfo, error) { return entries, nil })
	pending[ref.Path] = segWrite{path: ref.Path, data: data, entries: entries}
	return ref
}

// mergeEntries merges two segments' entries (sorted by path), newer ones replacing older
// ones for the same path.
func mergeEntries(older, newer []InputInfo) []InputInfo {
	m := make(map[string]InputInfo, len(older)+len(newer))
	for _, e := range older {
		m[e.Path] = e
	}
	for _, e := range newer {
		m[e.Path] = e
	}
	out := make([]InputInfo, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// sameEntry reports whether the base still holds the entry a sync planned against.
func sameEntry(cur, prev *InputInfo) bool {
	if cur == nil || prev == nil {
		return cur == prev
	}
	return cur.ETag == prev.ETag && cur.Accepted() == prev.Accepted() && cur.Added.Equal(prev.Added) && cur.Definition == prev.Definition
}

func anyIn(list []string, set map[string]bool) bool {
	for _, x := range list {
		if set[x] {
			return true
		}
	}
	return false
}
