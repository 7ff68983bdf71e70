package cache

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/pack"
)

// Counts are the cache hits and misses of one query (for its final status record).
type Counts struct {
	Hits, Misses atomic.Int64
}

// Fetcher returns a pack.Fetcher of the blob at path in fsys, pinned to etag, of the given
// size, that reads through the cache c (a nil c reads directly). counts, when not nil,
// receives the query's hits and misses. Reads of a blob whose ETag changed fail with an error
// wrapping db.ErrETagChanged.
func (c *Cache) Fetcher(fsys db.FS, path, etag string, size int64, counts *Counts) pack.Fetcher {
	return &fetcher{c: c, fs: fsys, root: fsys.URL(), path: path, etag: etag, size: size, counts: counts}
}

type fetcher struct {
	c      *Cache
	fs     db.FS
	root   string
	path   string
	etag   string
	size   int64
	counts *Counts
}

func (f *fetcher) Fetch(ctx context.Context, off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off+n > f.size || off+n < off {
		return nil, fmt.Errorf("%s/%s: %w: range %d+%d outside the blob's %d bytes", f.root, f.path, pack.ErrCorrupt, off, n, f.size)
	}
	if n == 0 {
		return []byte{}, nil
	}
	if f.c == nil {
		if f.counts != nil {
			f.counts.Misses.Add(1)
		}
		return f.read(ctx, off, n)
	}
	data, hit, err := f.c.Get(ctx, Key{Root: f.root, Path: f.path, ETag: f.etag, Off: off, Len: n},
		func(ctx context.Context) ([]byte, error) { return f.read(ctx, off, n) })
	if err != nil {
		return nil, err
	}
	if f.counts != nil {
		if hit {
			f.counts.Hits.Add(1)
		} else {
			f.counts.Misses.Add(1)
		}
	}
	return data, nil
}

// read fetches the range from storage.
func (f *fetcher) read(ctx context.Context, off, n int64) ([]byte, error) {
	rc, err := f.fs.ReadRange(ctx, f.path, f.etag, off, n)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, n)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return nil, fmt.Errorf("%s/%s: reading %d bytes at %d: %w", f.root, f.path, n, off, err)
	}
	return buf, nil
}
