package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	sha256 "github.com/minio/sha256-simd"

	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/vm"
)

// Table is an opened table: its verified index and the inputs it records.
type Table struct {
	fs       FS
	database string
	name     string
	path     string // of the index
	etag     string // of the index read
	idx      *Index
	inputs   []InputInfo
}

// OpenTable reads db/<database>/<table>/index from fsys, checks its signature under key
// (errors wrap [ErrBadSignature] and name the file), checks that it is this table's index, and
// reads its input segments (whose hashes the signed index pins). A table without an index is
// an error wrapping io/fs.ErrNotExist.
func OpenTable(ctx context.Context, fsys FS, key *[32]byte, database, table string) (*Table, error) {
	x, info, err := ReadIndex(ctx, fsys, key, database, table)
	if err != nil {
		return nil, err
	}
	m, err := readInputs(ctx, fsys, x.Inputs)
	if err != nil {
		return nil, err
	}
	return &Table{fs: fsys, database: database, name: table, path: info.Path, etag: info.ETag, idx: x, inputs: sortedInputs(m)}, nil
}

// ReadIndex reads and verifies the index of database.table (without its input segments) and
// returns it with the FileInfo of the version read. A missing index is an error wrapping
// io/fs.ErrNotExist (and only a missing index is); a bad signature wraps [ErrBadSignature];
// an index of another table or a malformed one wraps [ErrBadIndex].
func ReadIndex(ctx context.Context, fsys FS, key *[32]byte, database, table string) (*Index, FileInfo, error) {
	p, err := IndexPath(database, table)
	if err != nil {
		return nil, FileInfo{}, err
	}
	data, info, err := ReadFile(ctx, fsys, p, MaxIndexSize)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, FileInfo{}, fmt.Errorf("table %s.%s: %w", database, table, err)
		}
		return nil, FileInfo{}, err
	}
	info.Path = p
	name := fsys.URL() + "/" + p
	x, err := DecodeIndex(name, data, key)
	if err != nil {
		return nil, FileInfo{}, err
	}
	if x.Database != database || x.Table != table {
		return nil, FileInfo{}, fmt.Errorf("%s: %w: it is the index of table %s.%s", name, ErrBadIndex, x.Database, x.Table)
	}
	return x, info, nil
}

// Database returns the table's database name.
func (t *Table) Database() string { return t.database }

// Name returns the table's name.
func (t *Table) Name() string { return t.name }

// Index returns the verified index. The caller must not modify it.
func (t *Table) Index() *Index { return t.idx }

// ETag returns the ETag of the index that was read.
func (t *Table) ETag() string { return t.etag }

// Created returns when the index was written (the last sync that changed the table).
func (t *Table) Created() time.Time { return t.idx.Created }

// Blobs returns the table's packed blobs. The caller must not modify them.
func (t *Table) Blobs() []BlobInfo { return t.idx.Blobs }

// Inputs returns every input object recorded for the table, in path order: accepted ones
// with the blobs holding their rows, rejected ones with the reason.
func (t *Table) Inputs() []InputInfo {
	out := make([]InputInfo, len(t.inputs))
	copy(out, t.inputs)
	return out
}

// Source returns the rows of the table as a vm.Source: every block of every blob, in index
// order. Blobs are read through the fetcher fetch returns for each (nil: straight from the
// table's FS with ReadRange pinned to the blob's ETag, so a replaced blob fails with an error
// wrapping ErrETagChanged). Each blob's trailer is read on first use and checked against the
// SHA-256 the index pins; a mismatch fails the query (the error wraps pack.ErrCorrupt). Block
// summaries come from the trailers, so the planner skips blocks by their statistics.
func (t *Table) Source(fetch func(path, etag string, size int64) pack.Fetcher) vm.Source {
	s := &tableSource{version: t.etag, starts: make([]int, 1, len(t.idx.Blobs)+1)}
	for i := range t.idx.Blobs {
		b := &t.idx.Blobs[i]
		var f pack.Fetcher
		if fetch != nil {
			f = fetch(b.Path, b.ETag, b.Size)
		} else {
			f = &fsFetcher{fs: t.fs, path: b.Path, etag: b.ETag, size: b.Size}
		}
		s.blobs = append(s.blobs, &blobSource{k: i, info: b, name: t.fs.URL() + "/" + b.Path, f: f})
		s.starts = append(s.starts, s.starts[len(s.starts)-1]+b.Blocks)
	}
	return s
}

// tableSource concatenates the blocks of a table's blobs.
type tableSource struct {
	version string // the ETag of the index
	blobs   []*blobSource
	starts  []int // starts[k] is the first block of blob k; the last entry is the total
}

// blobSource is one blob of a table source, its trailer loaded on first use.
type blobSource struct {
	k           int // position in the source
	prefetching atomic.Bool
	info        *BlobInfo
	name        string
	f           pack.Fetcher
	once        sync.Once
	loaded      atomic.Bool // once has run
	blob        *pack.Blob
	err         error
}

// trailerFetchers is how many blobs ahead a summary that needs a trailer reads them.
const trailerFetchers = 8

func (s *tableSource) Blocks() int { return s.starts[len(s.starts)-1] }

// locate returns the blob holding block i and the block's index within it.
func (s *tableSource) locate(i int) (*blobSource, int, error) {
	if i < 0 || i >= s.Blocks() {
		return nil, 0, fmt.Errorf("no block %d (the table has %d)", i, s.Blocks())
	}
	k := sort.Search(len(s.blobs), func(k int) bool { return s.starts[k+1] > i })
	return s.blobs[k], i - s.starts[k], nil
}

// prefetch starts reading, in the background, the trailers of the few blobs after blob k that
// nobody asked for yet: the planner walks the blocks in order, so they are likely next, and
// reading them ahead hides the latency of object storage. Blobs whose blocks the index lets
// the planner skip are never asked for, so their trailers are read only when they fall in
// such a window.
func (s *tableSource) prefetch(k int) {
	for i := k + 1; i < len(s.blobs) && i <= k+trailerFetchers; i++ {
		b := s.blobs[i]
		if b.loaded.Load() || !b.prefetching.CompareAndSwap(false, true) {
			continue
		}
		go b.load(context.Background())
	}
}

func (b *blobSource) load(ctx context.Context) (*pack.Blob, error) {
	b.once.Do(func() {
		t, err := loadTrailer(ctx, b.f, b.info)
		if err != nil {
			b.err = fmt.Errorf("%s: %w", b.name, err)
		} else {
			b.blob = pack.NewBlob(b.name, t, b.f)
		}
		b.loaded.Store(true)
	})
	return b.blob, b.err
}

// Summary returns the statistics of block i: from the index for the partition fields and the
// time-indexed columns, from the blob's trailer (read on first need) for the others.
func (s *tableSource) Summary(i int) vm.Summary {
	b, j, err := s.locate(i)
	if err != nil {
		return nil
	}
	return &tableSummary{s: s, b: b, j: j}
}

// tableSummary is the summary of one block of a table source.
type tableSummary struct {
	s *tableSource
	b *blobSource
	j int
}

// trailer returns the summary of the block from its blob's trailer, reading it if needed (nil
// when the trailer cannot be read: Open reports the error).
func (t *tableSummary) trailer() vm.Summary {
	if !t.b.loaded.Load() {
		t.s.prefetch(t.b.k)
	}
	blob, err := t.b.load(context.Background())
	if err != nil {
		return nil
	}
	return blob.Summary(t.j)
}

func (t *tableSummary) Rows() int {
	if !t.b.loaded.Load() && t.j < len(t.b.info.BlockRows) {
		return int(t.b.info.BlockRows[t.j])
	}
	if sum := t.trailer(); sum != nil {
		return sum.Rows()
	}
	return 0
}

func (t *tableSummary) Range(path []string) (vm.Range, bool) {
	if r, ok := t.b.info.blockRange(t.j, path); ok {
		return r, true
	}
	if sum := t.trailer(); sum != nil {
		return sum.Range(path)
	}
	return vm.Range{}, false
}

func (t *tableSummary) Bytes(need *vm.PathSet) int64 {
	if sum := t.trailer(); sum != nil {
		return sum.Bytes(need)
	}
	return 0
}

// Open reads block i (reading its blob's trailer first if needed).
func (s *tableSource) Open(ctx context.Context, i int, need *vm.PathSet) (vm.FieldSet, int, func(), error) {
	b, j, err := s.locate(i)
	if err != nil {
		return nil, 0, nil, err
	}
	blob, err := b.load(ctx)
	if err != nil {
		return nil, 0, nil, err
	}
	return blob.Open(ctx, j, need)
}

// BlockKey returns the ETag of the blob holding block i and the block's index within it: a
// stable identity of the block's bytes (peers assign blocks by hashing it).
func (s *tableSource) BlockKey(i int) (etag string, block int) {
	b, j, err := s.locate(i)
	if err != nil {
		return "", -1
	}
	return b.info.ETag, j
}

// Version returns the ETag of the index the source comes from: replicas that read the same
// version of a table see the same blocks under the same numbers.
func (s *tableSource) Version() string { return s.version }

// loadTrailer reads the trailer of a blob at the offset the index gives, checks its SHA-256
// against the index, decodes it and checks it against the blob's size, rows and block count.
// Trailers are cached by hash.
func loadTrailer(ctx context.Context, f pack.Fetcher, b *BlobInfo) (*pack.Trailer, error) {
	return trailerCache.get(b.TrailerHash, func() (*pack.Trailer, error) {
		tb, err := f.Fetch(ctx, b.TrailerOffset, b.TrailerSize)
		if err != nil {
			return nil, err
		}
		if int64(len(tb)) != b.TrailerSize {
			return nil, fmt.Errorf("%w: read %d trailer bytes of %d", pack.ErrCorrupt, len(tb), b.TrailerSize)
		}
		if sha256.Sum256(tb) != b.TrailerHash {
			return nil, fmt.Errorf("%w: the trailer's SHA-256 does not match the index", pack.ErrCorrupt)
		}
		t, err := pack.DecodeTrailer(tb)
		if err != nil {
			return nil, err
		}
		if len(t.Blocks) != b.Blocks || t.Rows != b.Rows {
			return nil, fmt.Errorf("%w: the trailer has %d blocks and %d rows, the index %d and %d", pack.ErrCorrupt, len(t.Blocks), t.Rows, b.Blocks, b.Rows)
		}
		for i := range t.Blocks {
			m := &t.Blocks[i]
			if m.Offset < 0 || m.Size < 0 || m.Offset+m.Size > b.TrailerOffset {
				return nil, fmt.Errorf("%w: block %d extent %d+%d outside the blob", pack.ErrCorrupt, i, m.Offset, m.Size)
			}
		}
		return t, nil
	})
}

// fsFetcher reads a blob from an FS, pinned to its ETag.
type fsFetcher struct {
	fs   FS
	path string
	etag string
	size int64
}

func (f *fsFetcher) Fetch(ctx context.Context, off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off+n > f.size {
		return nil, fmt.Errorf("%s/%s: %w: range %d+%d outside the blob's %d bytes", f.fs.URL(), f.path, pack.ErrCorrupt, off, n, f.size)
	}
	if n == 0 {
		return []byte{}, nil
	}
	rc, err := f.fs.ReadRange(ctx, f.path, f.etag, off, n)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, n)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return nil, fmt.Errorf("%s/%s: reading %d bytes at %d: %w", f.fs.URL(), f.path, n, off, err)
	}
	return buf, nil
}
