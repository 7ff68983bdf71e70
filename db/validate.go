package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/sneller-re/sneller/pack"
)

// ValidateResult counts what Validate checked.
type ValidateResult struct {
	Blobs, Blocks, Columns int
	Rows                   int64
	Inputs                 int
	Faults                 int
}

// Validate checks a table end to end: the index's signature and its input segments (by
// opening the table), then for every blob that it exists with the ETag and size the index
// pins, that its trailer has the pinned SHA-256 and agrees with the index, and that every
// column chunk of every block matches its SHA-256 and decodes. Each fault found is passed to
// fault (an error naming the object and what is wrong) and counted; checking goes on with the
// next blob. It returns an error only when the table cannot be opened at all (missing,
// tampered index) or ctx ends.
func Validate(ctx context.Context, fsys FS, key *[32]byte, database, table string, fault func(error)) (*ValidateResult, error) {
	t, err := OpenTable(ctx, fsys, key, database, table)
	if err != nil {
		return nil, err
	}
	res := &ValidateResult{Inputs: len(t.inputs)}
	report := func(err error) {
		res.Faults++
		fault(err)
	}
	for i := range t.idx.Blobs {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		b := &t.idx.Blobs[i]
		name := fsys.URL() + "/" + b.Path
		res.Blobs++
		fi, err := fsys.Stat(ctx, b.Path)
		if err != nil {
			report(err)
			continue
		}
		if fi.ETag != b.ETag || fi.Size != b.Size {
			report(fmt.Errorf("%s: %w: ETag %s and size %d, the index pins %s and %d", name, ErrETagChanged, fi.ETag, fi.Size, b.ETag, b.Size))
			continue
		}
		f := &fsFetcher{fs: fsys, path: b.Path, etag: b.ETag, size: b.Size}
		tr, err := loadTrailer(ctx, f, b)
		if err != nil {
			report(fmt.Errorf("%s: %w", name, err))
			continue
		}
		blob := pack.NewBlob(name, tr, f)
		for k := 0; k < blob.Blocks(); k++ {
			res.Blocks++
			for c := range tr.Blocks[k].Columns {
				if _, err := blob.ReadColumn(ctx, k, c); err != nil {
					if errors.Is(err, context.Canceled) {
						return res, err
					}
					report(err)
				}
				res.Columns++
			}
			res.Rows += int64(tr.Blocks[k].Rows)
		}
	}
	return res, nil
}
