package db

import (
	"context"
	"fmt"
	"strings"
)

// candidate is an input object a sync will convert.
type candidate struct {
	name      string // the input's path as the index records it
	fs        FS     // the FS holding the object
	key       string // its key in fs
	etag      string
	size      int64
	input     *Input // the definition input whose pattern matched first
	format    string
	values    []PartitionValue
	partition string
	prev      *InputInfo // the index's entry for the object, if any
}

// partGroup is the candidates of one partition.
type partGroup struct {
	partition string
	values    []PartitionValue
	cands     []*candidate
}

// syncPlan is what one run converts and records without converting.
type syncPlan struct {
	groups   []*partGroup
	rejected []*entryUpdate // inputs rejected before conversion (format, partition)
	notes    []*entryUpdate // accepted inputs seen with another ETag
}

// entryUpdate is an index entry a sync records, with the base entry it replaces (nil when
// the input was new), so that a retry on another base can tell whether the winner recorded
// the input meanwhile.
type entryUpdate struct {
	entry InputInfo
	prev  *InputInfo
}

// reservedPartitionNames are names that cannot start a partition path: they would collide
// with the table's own objects.
func reservedPartition(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return first == "index" || first == "definition.json" || strings.HasPrefix(first, "inputs-") || strings.HasPrefix(first, "packed-")
}

// inputName returns the name the index records for key in fsys: file://key for a key of a
// local root, fsys.URL()/key otherwise (s3://bucket/key, file:///abs/dir/key).
func inputName(root, fsys FS, key string) string {
	if fsys.URL() == root.URL() && strings.HasPrefix(root.URL(), "file://") {
		return "file://" + key
	}
	return fsys.URL() + "/" + key
}

// plan lists the inputs of every pattern and decides what this run converts.
func (s *syncer) plan(ctx context.Context, b *base) (*syncPlan, error) {
	p := &syncPlan{}
	now := s.opt.Now()
	seen := map[string]bool{}
	var cands []*candidate
	for i := range s.def.Inputs {
		in := &s.def.Inputs[i]
		fsys, pat, err := ResolvePattern(ctx, s.root, in.Pattern)
		if err != nil {
			return nil, fmt.Errorf("sync %s.%s: input[%d]: %w", s.database, s.table, i, err)
		}
		err = WalkPattern(ctx, fsys, pat, "", func(fi FileInfo, caps Captures) error {
			name := inputName(s.root, fsys, fi.Path)
			if seen[name] {
				return nil
			}
			seen[name] = true
			prev := b.inputs[name]
			switch {
			case prev == nil:
			case prev.ETag == fi.ETag && (prev.Accepted() || prev.Definition == s.defHash):
				s.res.Skipped++
				return nil
			case prev.ETag != fi.ETag && prev.Accepted():
				if prev.ChangedETag != fi.ETag {
					note := *prev
					note.ChangedETag = fi.ETag
					p.notes = append(p.notes, &entryUpdate{entry: note, prev: prev})
					s.res.Changed = append(s.res.Changed, InputReport{Path: name, ETag: fi.ETag, Size: fi.Size,
						Err: fmt.Errorf("%s: changed since it was ingested (ETag %s, now %s): not ingested again", name, prev.ETag, fi.ETag)})
				}
				s.res.Skipped++
				return nil
			}
			// new, or rejected before and changed since (its ETag or the definition)
			c := &candidate{name: name, fs: fsys, key: fi.Path, etag: fi.ETag, size: fi.Size, input: in, prev: prev}
			c.format, err = in.FormatFor(fi.Path)
			if err == nil {
				c.values, c.partition, err = s.part.Eval(caps)
				if err == nil && c.partition != "" && reservedPartition(c.partition) {
					err = fmt.Errorf("%w: partition path %q collides with the table's own objects", ErrBadPartition, c.partition)
				}
			}
			if err != nil {
				err = fmt.Errorf("%s: %w", name, err)
				p.rejected = append(p.rejected, &entryUpdate{prev: prev, entry: InputInfo{
					Path: name, ETag: fi.ETag, Size: fi.Size, Added: now, Definition: s.defHash,
					Err: &RejectedError{Reason: err.Error()}}})
				s.res.Rejected = append(s.res.Rejected, InputReport{Path: name, ETag: fi.ETag, Size: fi.Size, Err: err})
				return nil
			}
			cands = append(cands, c)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("sync %s.%s: listing input[%d] %s: %w", s.database, s.table, i, in.Pattern, err)
		}
	}
	// the byte budget: inputs in listing order, at least one
	var total int64
	taken := 0
	for _, c := range cands {
		if s.opt.MaxBytes > 0 && taken > 0 && total+c.size > s.opt.MaxBytes {
			break
		}
		total += c.size
		taken++
	}
	for _, c := range cands[taken:] {
		s.res.Deferred++
		s.res.DeferredBytes += c.size
	}
	byPart := map[string]*partGroup{}
	for _, c := range cands[:taken] {
		g := byPart[c.partition]
		if g == nil {
			g = &partGroup{partition: c.partition, values: c.values}
			byPart[c.partition] = g
			p.groups = append(p.groups, g)
		}
		g.cands = append(g.cands, c)
	}
	return p, nil
}
