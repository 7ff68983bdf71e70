package pack

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/minio/sha256-simd"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

// Fetcher reads byte ranges of a blob.
type Fetcher interface {
	Fetch(ctx context.Context, off, n int64) ([]byte, error)
}

// BytesFetcher serves a blob held in memory.
type BytesFetcher []byte

func (b BytesFetcher) Fetch(_ context.Context, off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off+n > int64(len(b)) {
		return nil, fmt.Errorf("%w: range %d+%d past the end (%d bytes)", ErrCorrupt, off, n, len(b))
	}
	return b[off : off+n], nil
}

// FileFetcher serves a blob from a local file.
type FileFetcher struct{ F *os.File }

func (f FileFetcher) Fetch(_ context.Context, off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := f.F.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("%s: reading %d bytes at %d: %w", f.F.Name(), n, off, err)
	}
	return buf, nil
}

var decoder = func() *zstd.Decoder {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.IgnoreChecksum(true), zstd.WithDecoderMaxMemory(MaxChunkRaw))
	if err != nil {
		panic(err)
	}
	return d
}()

// Blob is an open packed blob; it implements vm.Source.
type Blob struct {
	Name    string
	Trailer *Trailer
	f       Fetcher

	mu      sync.Mutex
	symtabs []*ion.Symtab
}

// ReadTrailer reads the footer and the trailer of a blob of the given size. When wantHash is
// non-nil the trailer's SHA-256 must equal it.
func ReadTrailer(ctx context.Context, f Fetcher, size int64, wantHash *[32]byte) (*Trailer, []byte, error) {
	if size < headerSize+footerSize {
		return nil, nil, fmt.Errorf("%w: %d bytes is too short for a blob", ErrCorrupt, size)
	}
	foot, err := f.Fetch(ctx, size-footerSize, footerSize)
	if err != nil {
		return nil, nil, err
	}
	if string(foot[8:]) != footerMagic {
		return nil, nil, fmt.Errorf("%w: no blob footer (not a packed blob, or truncated)", ErrCorrupt)
	}
	tlen := int64(binary.LittleEndian.Uint64(foot))
	if tlen <= 0 || tlen > size-headerSize-footerSize {
		return nil, nil, fmt.Errorf("%w: trailer length %d in a blob of %d bytes", ErrCorrupt, tlen, size)
	}
	tb, err := f.Fetch(ctx, size-footerSize-tlen, tlen)
	if err != nil {
		return nil, nil, err
	}
	if wantHash != nil && sha256.Sum256(tb) != *wantHash {
		return nil, nil, fmt.Errorf("%w: the trailer's SHA-256 does not match the index", ErrCorrupt)
	}
	t, err := DecodeTrailer(tb)
	if err != nil {
		return nil, nil, err
	}
	end := size - footerSize - tlen
	for i, b := range t.Blocks {
		if b.Offset < headerSize || b.Size < 0 || b.Offset+b.Size > end {
			return nil, nil, fmt.Errorf("%w: block %d extent %d+%d outside the blob", ErrCorrupt, i, b.Offset, b.Size)
		}
	}
	return t, tb, nil
}

// Open opens a blob of the given size. wantHash, when non-nil, pins the trailer's SHA-256.
func Open(ctx context.Context, name string, f Fetcher, size int64, wantHash *[32]byte) (*Blob, error) {
	t, _, err := ReadTrailer(ctx, f, size, wantHash)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return NewBlob(name, t, f), nil
}

// NewBlob returns a blob whose trailer is already known (from an index).
func NewBlob(name string, t *Trailer, f Fetcher) *Blob {
	return &Blob{Name: name, Trailer: t, f: f, symtabs: make([]*ion.Symtab, len(t.Blocks))}
}

func (b *Blob) Blocks() int { return len(b.Trailer.Blocks) }

func (b *Blob) Summary(i int) vm.Summary { return &blockSummary{m: &b.Trailer.Blocks[i]} }

func (b *Blob) symtab(i int) *ion.Symtab {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.symtabs[i] == nil {
		st := &ion.Symtab{}
		for _, s := range b.Trailer.Blocks[i].Symbols {
			st.Intern(s)
		}
		b.symtabs[i] = st
	}
	return b.symtabs[i]
}

// Open reads block i lazily: a column is fetched, verified and decompressed when first used.
func (b *Blob) Open(ctx context.Context, i int, need *vm.PathSet) (vm.FieldSet, int, func(), error) {
	if i < 0 || i >= len(b.Trailer.Blocks) {
		return nil, 0, nil, fmt.Errorf("%s: no block %d", b.Name, i)
	}
	blk := &blockState{ctx: ctx, blob: b, i: i, meta: &b.Trailer.Blocks[i], cache: map[int]*vm.Vec{}}
	return &blockFields{blk: blk}, blk.meta.Rows, func() {}, nil
}

// ReadColumn fetches, verifies and decodes column c of block i.
func (b *Blob) ReadColumn(ctx context.Context, i, c int) (*vm.Vec, error) {
	m := &b.Trailer.Blocks[i]
	cm := &m.Columns[c]
	chunk, err := b.f.Fetch(ctx, m.Offset+cm.Offset, cm.Size)
	if err != nil {
		return nil, fmt.Errorf("%s: block %d: %w", b.Name, i, err)
	}
	if sha256.Sum256(chunk) != cm.Hash {
		return nil, fmt.Errorf("%s: block %d column %s: %w: the chunk's SHA-256 does not match the trailer", b.Name, i, pathString(cm.Path), ErrCorrupt)
	}
	raw := alignedBuf(int(cm.Raw))
	out, err := decoder.DecodeAll(chunk, raw[:0])
	if err != nil || len(out) != len(raw) || (len(raw) > 0 && &out[0] != &raw[0]) {
		if err == nil {
			err = fmt.Errorf("decompressed %d bytes, want %d", len(out), len(raw))
		}
		return nil, fmt.Errorf("%s: block %d column %s: %w: %v", b.Name, i, pathString(cm.Path), ErrCorrupt, err)
	}
	rows := m.Rows
	if cm.Elem {
		rows = int(cm.Rows)
	}
	v, err := decodeChunk(raw, rows, b.symtab(i))
	if err != nil {
		return nil, fmt.Errorf("%s: block %d column %s: %w", b.Name, i, pathString(cm.Path), err)
	}
	return v, nil
}

// blockState is one opened block: decoded columns are cached by column index.
type blockState struct {
	ctx   context.Context
	blob  *Blob
	i     int
	meta  *BlockMeta
	cache map[int]*vm.Vec
}

func (s *blockState) column(c int) (*vm.Vec, error) {
	if v, ok := s.cache[c]; ok {
		return v, nil
	}
	v, err := s.blob.ReadColumn(s.ctx, s.i, c)
	if err != nil {
		return nil, err
	}
	// the query path wants scalars in the typed lanes (a blob keeps some as Ion to round-trip
	// them exactly)
	v.NormalizeIon()
	path := s.meta.Columns[c].Path
	if v.Structs.Any() {
		v.Fields = &blockFields{blk: s, prefix: path}
	}
	if v.Lists.Any() {
		epath := append(append(make([]string, 0, len(path)+1), path...), elemSeg)
		v.L.Elems = &elemSource{blk: s, col: s.meta.Column(epath), want: v.L.End}
	}
	s.cache[c] = v
	return v, nil
}

// elemSource loads the element column of a list column when a query first looks inside.
type elemSource struct {
	blk  *blockState
	col  int
	want []uint32 // the list offsets, which the element column must cover
}

func (e *elemSource) Elems() (*vm.Vec, error) {
	if e.col < 0 {
		return nil, fmt.Errorf("%s: block %d: %w: a list column without its element column", e.blk.blob.Name, e.blk.i, ErrCorrupt)
	}
	v, err := e.blk.column(e.col)
	if err != nil {
		return nil, err
	}
	if n := len(e.want); n > 0 && int(e.want[n-1]) > v.N {
		return nil, fmt.Errorf("%s: block %d: %w: lists reach element %d of %d", e.blk.blob.Name, e.blk.i, ErrCorrupt, e.want[n-1], v.N)
	}
	return v, nil
}

// blockFields is the FieldSet of the rows (prefix nil) or of a struct column of a block.
type blockFields struct {
	blk    *blockState
	prefix []string
	names  []string
	index  map[string]int // field name → column index
}

func (f *blockFields) init() {
	if f.index != nil {
		return
	}
	f.names = []string{}
	f.index = map[string]int{}
	for i, c := range f.blk.meta.Columns {
		if len(c.Path) == len(f.prefix)+1 && hasPrefix(c.Path, f.prefix) {
			name, ok := unescapeSeg(c.Path[len(f.prefix)])
			if !ok {
				continue // the element column of a list
			}
			f.names = append(f.names, name)
			f.index[name] = i
		}
	}
}

func (f *blockFields) Names() []string {
	f.init()
	return f.names
}

func (f *blockFields) Field(name string) (*vm.Vec, error) {
	f.init()
	c, ok := f.index[name]
	if !ok {
		return nil, nil
	}
	return f.blk.column(c)
}

func hasPrefix(p, prefix []string) bool {
	if len(p) < len(prefix) {
		return false
	}
	for i := range prefix {
		if p[i] != prefix[i] {
			return false
		}
	}
	return true
}

// blockSummary exposes a block's column statistics to the planner.
type blockSummary struct{ m *BlockMeta }

func (s *blockSummary) Rows() int { return s.m.Rows }

func (s *blockSummary) Range(fields []string) (vm.Range, bool) {
	path := make([]string, len(fields))
	for i, f := range fields {
		path[i] = escapeSeg(f)
	}
	c := s.m.Column(path)
	if c < 0 {
		// absent everywhere, unless an ancestor holds Ion values (which may contain it)
		for k := len(path) - 1; k >= 1; k-- {
			if a := s.m.Column(path[:k]); a >= 0 {
				if s.m.Columns[a].Lanes&laneIon != 0 {
					return vm.Range{}, false
				}
				break
			}
		}
		return vm.Range{Missing: s.m.Rows}, true
	}
	cm := &s.m.Columns[c]
	st := &cm.Stats
	if st.Ions > 0 {
		return vm.Range{}, false
	}
	r := vm.Range{
		Missing: s.m.Rows - int(st.Present()),
		Null:    st.Nulls > 0, Bool: st.Bools > 0, Composite: st.Structs > 0 || st.Lists > 0,
		BoolMin: st.BoolMin, BoolMax: st.BoolMax,
		Time: st.Times > 0, TimeMin: st.TimeMin, TimeMax: st.TimeMax,
		Str: st.Strs > 0, StrMin: st.StrMin, StrMax: st.StrMax, StrMaxUnbounded: st.StrMaxUnbounded,
	}
	if st.Ints > 0 || st.Floats > 0 {
		r.Num = true
		var lo, hi vm.Value
		have := false
		if st.Ints > 0 {
			lo, hi, have = vm.Int(st.IntMin), vm.Int(st.IntMax), true
		}
		if st.Floats > st.NaNs {
			flo, fhi := vm.Float(st.FloatMin), vm.Float(st.FloatMax)
			if !have || vm.Compare(flo, lo) < 0 {
				lo = flo
			}
			if !have || vm.Compare(fhi, hi) > 0 {
				hi = fhi
			}
			have = true
		}
		if st.NaNs > 0 { // NaN sorts above every number
			hi = vm.Float(math.NaN())
			if !have {
				lo = hi
			}
		}
		r.NumMin, r.NumMax = lo, hi
	}
	return r, true
}

func (s *blockSummary) Bytes(need *vm.PathSet) int64 {
	var n int64
	for _, c := range s.m.Columns {
		if need.Wants(c.Path) {
			n += c.Raw
		}
	}
	return n
}
