package pack

import (
	"errors"
	"fmt"

	"github.com/sneller-re/sneller/ion"
)

// MaxChunkRaw bounds the uncompressed size of a column chunk that a reader accepts.
const MaxChunkRaw = 512 << 20

// ErrCorrupt is wrapped by every error about bytes that are not a valid blob.
var ErrCorrupt = errors.New("corrupt packed blob")

// ColumnMeta describes one column chunk of a block.
type ColumnMeta struct {
	Path   []string
	Lanes  uint16
	Offset int64 // of the compressed chunk, relative to the block
	Size   int64 // compressed bytes
	Raw    int64 // uncompressed bytes
	Hash   [32]byte
	Stats  ColumnStats
	// Elem marks an element column (the elements of its list column's lists, one per row),
	// and Rows is then its row count; other columns have the block's rows.
	Elem bool
	Rows int64
}

// ColumnStats summarise a column of a block: how many rows hold each type, and the range of
// each ordered type. Rows in no lane are MISSING.
type ColumnStats struct {
	Nulls, Bools, Ints, Floats, Times, Strs, Ions, Structs int64
	Lists                                                  int64
	NaNs                                                   int64 // floats that are NaN (not in the float range)
	BoolMin, BoolMax                                       bool
	IntMin, IntMax                                         int64
	FloatMin, FloatMax                                     float64
	TimeMin, TimeMax                                       int64
	StrMin, StrMax                                         []byte
	StrMaxUnbounded                                        bool
}

func statsOf(c *column, n int) ColumnStats {
	s := c.stats
	return ColumnStats{
		Nulls: int64(s.nulls), Bools: int64(s.bools), Ints: int64(s.ints), Floats: int64(s.floats),
		Times: int64(s.times), Strs: int64(s.strs), Ions: int64(s.ions), Structs: int64(s.structs), NaNs: int64(s.nans),
		Lists:   int64(s.lists),
		BoolMin: s.boolMin, BoolMax: s.boolMax, IntMin: s.intMin, IntMax: s.intMax,
		FloatMin: s.floatMin, FloatMax: s.floatMax, TimeMin: s.timeMin, TimeMax: s.timeMax,
		StrMin: append([]byte(nil), s.strMin...), StrMax: append([]byte(nil), s.strMax...),
		StrMaxUnbounded: s.strMaxUnbounded,
	}
}

// Present is the number of rows holding a value.
func (s *ColumnStats) Present() int64 {
	return s.Nulls + s.Bools + s.Ints + s.Floats + s.Times + s.Strs + s.Ions + s.Structs + s.Lists
}

// BlockMeta describes one block of a blob.
type BlockMeta struct {
	Offset  int64 // of the block's first byte in the blob
	Size    int64
	Rows    int
	Columns []ColumnMeta
	Symbols []string

	byPath map[string]int
}

// Trailer is the table of contents of a blob.
type Trailer struct {
	Version int
	Rows    int64
	Blocks  []BlockMeta
}

// RawBytes is the uncompressed size of the columns of block i whose path satisfies want (all
// when want is nil).
func (t *Trailer) RawBytes(i int, want func(path []string) bool) int64 {
	var n int64
	for _, c := range t.Blocks[i].Columns {
		if want == nil || want(c.Path) {
			n += c.Raw
		}
	}
	return n
}

// Column returns the index of the column with path in block b, or -1. It is safe for
// concurrent use on the blocks of a decoded trailer (DecodeTrailer indexes them up front); a
// BlockMeta built by hand is indexed on first use.
func (b *BlockMeta) Column(path []string) int {
	if b.byPath == nil {
		b.index()
	}
	if i, ok := b.byPath[pathKey(path)]; ok {
		return i
	}
	return -1
}

// index builds the map of b's columns by path.
func (b *BlockMeta) index() {
	b.byPath = make(map[string]int, len(b.Columns))
	for i, c := range b.Columns {
		b.byPath[pathKey(c.Path)] = i
	}
}

func pathKey(p []string) string {
	n := 0
	for _, s := range p {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	for _, s := range p {
		b = append(b, s...)
		b = append(b, 0)
	}
	return string(b)
}

// Encode writes the trailer as an Ion stream (version marker, symbol table, one struct).
func (t *Trailer) Encode() []byte {
	var st ion.Symtab
	var body ion.Buffer
	f := func(name string) ion.Symbol { return st.Intern(name) }
	body.BeginStruct(-1)
	body.BeginField(f("version"))
	body.WriteInt(int64(t.Version))
	body.BeginField(f("rows"))
	body.WriteInt(t.Rows)
	body.BeginField(f("blocks"))
	body.BeginList(-1)
	for i := range t.Blocks {
		b := &t.Blocks[i]
		body.BeginStruct(-1)
		body.BeginField(f("offset"))
		body.WriteInt(b.Offset)
		body.BeginField(f("size"))
		body.WriteInt(b.Size)
		body.BeginField(f("rows"))
		body.WriteInt(int64(b.Rows))
		if len(b.Symbols) > 0 {
			body.BeginField(f("symbols"))
			body.BeginList(-1)
			for _, s := range b.Symbols {
				body.WriteString(s)
			}
			body.EndList()
		}
		body.BeginField(f("columns"))
		body.BeginList(-1)
		for j := range b.Columns {
			encodeColumnMeta(&body, f, &b.Columns[j])
		}
		body.EndList()
		body.EndStruct()
	}
	body.EndList()
	body.EndStruct()
	var out ion.Buffer
	st.Marshal(&out, true)
	out.WriteRaw(body.Bytes())
	return out.Bytes()
}

func encodeColumnMeta(b *ion.Buffer, f func(string) ion.Symbol, c *ColumnMeta) {
	b.BeginStruct(-1)
	b.BeginField(f("path"))
	b.BeginList(-1)
	for _, p := range c.Path {
		b.WriteString(p)
	}
	b.EndList()
	b.BeginField(f("lanes"))
	b.WriteInt(int64(c.Lanes))
	b.BeginField(f("offset"))
	b.WriteInt(c.Offset)
	b.BeginField(f("size"))
	b.WriteInt(c.Size)
	b.BeginField(f("raw"))
	b.WriteInt(c.Raw)
	b.BeginField(f("sha256"))
	b.WriteBlob(c.Hash[:])
	if c.Elem {
		b.BeginField(f("elem_rows"))
		b.WriteInt(c.Rows)
	}
	s := &c.Stats
	ints := []struct {
		name string
		v    int64
	}{{"nulls", s.Nulls}, {"bools", s.Bools}, {"ints", s.Ints}, {"floats", s.Floats}, {"times", s.Times},
		{"strs", s.Strs}, {"ions", s.Ions}, {"structs", s.Structs}, {"lists", s.Lists}, {"nans", s.NaNs}}
	for _, x := range ints {
		if x.v != 0 {
			b.BeginField(f(x.name))
			b.WriteInt(x.v)
		}
	}
	if s.Bools > 0 {
		b.BeginField(f("bool_min"))
		b.WriteBool(s.BoolMin)
		b.BeginField(f("bool_max"))
		b.WriteBool(s.BoolMax)
	}
	if s.Ints > 0 {
		b.BeginField(f("int_min"))
		b.WriteInt(s.IntMin)
		b.BeginField(f("int_max"))
		b.WriteInt(s.IntMax)
	}
	if s.Floats > s.NaNs {
		b.BeginField(f("float_min"))
		b.WriteFloat64(s.FloatMin)
		b.BeginField(f("float_max"))
		b.WriteFloat64(s.FloatMax)
	}
	if s.Times > 0 {
		b.BeginField(f("time_min"))
		b.WriteInt(s.TimeMin)
		b.BeginField(f("time_max"))
		b.WriteInt(s.TimeMax)
	}
	if s.Strs > 0 {
		b.BeginField(f("str_min"))
		b.WriteStringBytes(s.StrMin)
		if s.StrMaxUnbounded {
			b.BeginField(f("str_max_unbounded"))
			b.WriteBool(true)
		} else {
			b.BeginField(f("str_max"))
			b.WriteStringBytes(s.StrMax)
		}
	}
	b.EndStruct()
}

// DecodeTrailer parses a trailer written by Encode.
func DecodeTrailer(b []byte) (*Trailer, error) {
	r := ion.NewBytesReader(b)
	if !r.Next() {
		if r.Err() != nil {
			return nil, fmt.Errorf("%w: trailer: %v", ErrCorrupt, r.Err())
		}
		return nil, fmt.Errorf("%w: empty trailer", ErrCorrupt)
	}
	d, _, err := ion.DecodeDatum(r.Value(), r.Symtab())
	if err != nil {
		return nil, fmt.Errorf("%w: trailer: %v", ErrCorrupt, err)
	}
	t := &Trailer{}
	bad := func(what string) error { return fmt.Errorf("%w: trailer: bad %s", ErrCorrupt, what) }
	v, ok := intField(d, "version")
	if !ok {
		return nil, bad("version")
	}
	if v != Version {
		return nil, fmt.Errorf("%w: format version %d (this build reads version %d)", ErrCorrupt, v, Version)
	}
	t.Version = int(v)
	if t.Rows, ok = intField(d, "rows"); !ok {
		return nil, bad("rows")
	}
	blocks, ok := d.Field("blocks")
	if !ok || blocks.Type() != ion.ListType {
		return nil, bad("blocks")
	}
	for _, bd := range blocks.Elems() {
		var bm BlockMeta
		var rows int64
		if bm.Offset, ok = intField(bd, "offset"); !ok {
			return nil, bad("block offset")
		}
		if bm.Size, ok = intField(bd, "size"); !ok {
			return nil, bad("block size")
		}
		if rows, ok = intField(bd, "rows"); !ok || rows < 0 || rows > 1<<31 {
			return nil, bad("block rows")
		}
		bm.Rows = int(rows)
		if syms, ok := bd.Field("symbols"); ok {
			for _, s := range syms.Elems() {
				bm.Symbols = append(bm.Symbols, s.Text())
			}
		}
		cols, ok := bd.Field("columns")
		if !ok {
			return nil, bad("columns")
		}
		for _, cd := range cols.Elems() {
			cm, err := decodeColumnMeta(cd)
			if err != nil {
				return nil, err
			}
			if cm.Offset < 0 || cm.Size < 0 || cm.Offset+cm.Size > bm.Size || cm.Raw < 8 || cm.Raw > MaxChunkRaw {
				return nil, bad("column extent")
			}
			bm.Columns = append(bm.Columns, cm)
		}
		bm.index() // readers share a decoded trailer: no lazy writes later
		t.Blocks = append(t.Blocks, bm)
	}
	return t, nil
}

func intField(d ion.Datum, name string) (int64, bool) {
	f, ok := d.Field(name)
	if !ok {
		return 0, false
	}
	return f.Int()
}

func decodeColumnMeta(d ion.Datum) (ColumnMeta, error) {
	var c ColumnMeta
	bad := func(what string) error { return fmt.Errorf("%w: trailer: bad column %s", ErrCorrupt, what) }
	p, ok := d.Field("path")
	if !ok || p.Type() != ion.ListType || len(p.Elems()) == 0 {
		return c, bad("path")
	}
	for _, s := range p.Elems() {
		c.Path = append(c.Path, s.Text())
	}
	lanes, ok := intField(d, "lanes")
	if !ok || lanes < 0 || lanes >= 1<<laneCount {
		return c, bad("lanes")
	}
	c.Lanes = uint16(lanes)
	if c.Offset, ok = intField(d, "offset"); !ok {
		return c, bad("offset")
	}
	if c.Size, ok = intField(d, "size"); !ok {
		return c, bad("size")
	}
	if c.Raw, ok = intField(d, "raw"); !ok {
		return c, bad("raw size")
	}
	h, ok := d.Field("sha256")
	if !ok || len(h.Bytes()) != 32 {
		return c, bad("sha256")
	}
	copy(c.Hash[:], h.Bytes())
	s := &c.Stats
	s.Nulls, _ = intField(d, "nulls")
	s.Bools, _ = intField(d, "bools")
	s.Ints, _ = intField(d, "ints")
	s.Floats, _ = intField(d, "floats")
	s.Times, _ = intField(d, "times")
	s.Strs, _ = intField(d, "strs")
	s.Ions, _ = intField(d, "ions")
	s.Structs, _ = intField(d, "structs")
	s.NaNs, _ = intField(d, "nans")
	s.Lists, _ = intField(d, "lists")
	if r, ok := intField(d, "elem_rows"); ok {
		if r < 0 || r > 1<<31 {
			return c, bad("elem_rows")
		}
		c.Elem, c.Rows = true, r
	}
	if f, ok := d.Field("bool_min"); ok {
		s.BoolMin = f.BoolValue()
	}
	if f, ok := d.Field("bool_max"); ok {
		s.BoolMax = f.BoolValue()
	}
	s.IntMin, _ = intField(d, "int_min")
	s.IntMax, _ = intField(d, "int_max")
	if f, ok := d.Field("float_min"); ok {
		s.FloatMin = f.Float()
	}
	if f, ok := d.Field("float_max"); ok {
		s.FloatMax = f.Float()
	}
	s.TimeMin, _ = intField(d, "time_min")
	s.TimeMax, _ = intField(d, "time_max")
	if f, ok := d.Field("str_min"); ok {
		s.StrMin = []byte(f.Text())
	}
	if f, ok := d.Field("str_max"); ok {
		s.StrMax = []byte(f.Text())
	}
	if f, ok := d.Field("str_max_unbounded"); ok {
		s.StrMaxUnbounded = f.BoolValue()
	}
	return c, nil
}
