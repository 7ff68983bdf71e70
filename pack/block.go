package pack

import (
	"errors"
	"fmt"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/minio/sha256-simd"

	"github.com/sneller-re/sneller/ion"
)

// ErrNotStruct is returned for a row that is not an Ion struct.
var ErrNotStruct = errors.New("a row must be a struct (a JSON object)")

// BlockBuilder shreds rows into the columns of one block. Its symbol table is the one rows
// should be encoded with (the JSON loader interns into it): their Ion values are then copied
// as they are; rows with another table are re-encoded. A BlockBuilder is used by one goroutine.
type BlockBuilder struct {
	st       ion.Symtab
	root     *column
	rows     int
	raw      int
	maxRows  int
	maxBytes int
	scratch  ion.Buffer
	enc      *zstd.Encoder
}

// BuilderOptions bound the size of blocks.
type BuilderOptions struct {
	MaxRows  int // default DefaultBlockRows
	MaxBytes int // uncompressed column bytes; default DefaultBlockBytes
	// Level is the zstd compression level (default zstd.SpeedDefault).
	Level zstd.EncoderLevel
}

// NewBlockBuilder returns an empty builder.
func NewBlockBuilder(opt BuilderOptions) *BlockBuilder {
	if opt.MaxRows <= 0 {
		opt.MaxRows = DefaultBlockRows
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultBlockBytes
	}
	if opt.Level == 0 {
		opt.Level = zstd.SpeedDefault
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(opt.Level), zstd.WithEncoderCRC(false),
		zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true))
	if err != nil {
		panic(err) // only on invalid options
	}
	b := &BlockBuilder{maxRows: opt.MaxRows, maxBytes: opt.MaxBytes, enc: enc}
	b.Reset()
	return b
}

// Symtab is the builder's symbol table: encode rows with it.
func (b *BlockBuilder) Symtab() *ion.Symtab { return &b.st }

// Rows is the number of rows added since the last Reset.
func (b *BlockBuilder) Rows() int { return b.rows }

// Full reports whether the block reached its row or size limit.
func (b *BlockBuilder) Full() bool { return b.rows >= b.maxRows || b.raw >= b.maxBytes }

// Reset empties the builder (its symbol table too). The columns of the next block reuse the
// memory of this block's columns of the same path.
func (b *BlockBuilder) Reset() {
	b.st.Reset()
	old := b.root
	if old != nil {
		old.walk(func(c *column) { c.spare = nil }) // keep one block's worth, not a chain
	}
	b.root = newColumn(nil, 0, &b.rows)
	b.root.spare = old
	b.rows = 0
	b.raw = 0
}

// Add appends one row: an encoded Ion struct whose symbols are in st.
func (b *BlockBuilder) Add(row []byte, st *ion.Symtab) error {
	if ion.TypeOf(row) != ion.StructType {
		return ErrNotStruct
	}
	h, err := ion.ReadHead(row)
	if err != nil {
		return err
	}
	if h.IsNull() {
		return ErrNotStruct
	}
	if err := b.addStruct(b.root, b.rows, row, st); err != nil {
		return err
	}
	b.raw += len(row) + 8
	b.rows++
	return nil
}

// addValue stores the value v (symbols in st) at row of column c.
func (b *BlockBuilder) addValue(c *column, row int, v []byte, st *ion.Symtab) error {
	h, err := ion.ReadHead(v)
	if err != nil {
		return err
	}
	if h.IsNull() {
		c.addNull(row)
		return nil
	}
	switch h.Type {
	case ion.BoolType:
		c.addBool(row, h.L == 1)
		return nil
	case ion.UintType, ion.IntType:
		if i, _, err := ion.ReadInt(v); err == nil {
			c.addInt(row, i)
			return nil
		}
	case ion.FloatType:
		f, _, err := ion.ReadFloat(v)
		if err != nil {
			return err
		}
		c.addFloat(row, f)
		return nil
	case ion.TimestampType:
		t, _, err := ion.ReadTimestamp(v)
		if err != nil {
			return err
		}
		if us, ok := exactMicros(t); ok {
			c.addTime(row, us)
			return nil
		}
	case ion.StringType:
		s, _, err := ion.ReadStringBytes(v)
		if err != nil {
			return err
		}
		c.addString(row, s)
		return nil
	case ion.StructType:
		if c.depth < maxShredDepth && !c.full && b.fits(c, v, st) {
			return b.addStruct(c, row, v, st)
		}
	case ion.ListType:
		if c.depth < maxShredDepth {
			return b.addList(c, row, v, st)
		}
	}
	return b.addIonValue(c, row, v[:h.Size()], st)
}

// fits reports whether the fields of struct v all have (or can get) a column under c.
func (b *BlockBuilder) fits(c *column, v []byte, st *ion.Symtab) bool {
	if len(c.children) < maxFields-64 {
		return true // common case: plenty of room left
	}
	it, err := ion.Fields(v)
	if err != nil {
		return false
	}
	extra := 0
	for it.Next() {
		name, ok := st.Get(it.Symbol())
		if !ok {
			return false
		}
		if _, ok := c.byName[name]; !ok {
			extra++
		}
	}
	if len(c.children)+extra > maxFields {
		c.full = true
		return false
	}
	return true
}

// addStruct stores the struct v at row of c: a struct lane entry and each field in its
// child column.
func (b *BlockBuilder) addStruct(c *column, row int, v []byte, st *ion.Symtab) error {
	it, err := ion.Fields(v)
	if err != nil {
		return err
	}
	c.addStruct(row)
	same := st == &b.st
	for it.Next() {
		sym := it.Symbol()
		var k *column
		if same && int(sym) < len(c.bySym) {
			k = c.bySym[sym]
		}
		if k == nil {
			name, ok := st.Get(sym)
			if !ok {
				return fmt.Errorf("field name symbol $%d is not in the symbol table", sym)
			}
			k = c.child(name)
			if k == nil {
				return fmt.Errorf("struct has more than %d fields", maxFields)
			}
			if same {
				for len(c.bySym) <= int(sym) {
					c.bySym = append(c.bySym, nil)
				}
				c.bySym[sym] = k
			}
		}
		// a duplicate field name in one struct keeps the first value
		if k.lastRow == row+1 {
			continue
		}
		k.lastRow = row + 1
		if err := b.addValue(k, row, it.Value(), st); err != nil {
			return fmt.Errorf("%s: %w", pathString(k.path), err)
		}
	}
	return it.Err()
}

// addList stores the list v at row of c: a list lane entry and each element in the element
// column.
func (b *BlockBuilder) addList(c *column, row int, v []byte, st *ion.Symtab) error {
	it, err := ion.Elements(v)
	if err != nil {
		return err
	}
	e := c.elemColumn()
	for it.Next() {
		if err := b.addValue(e, e.count, it.Value(), st); err != nil {
			return err
		}
		e.count++
	}
	if err := it.Err(); err != nil {
		return err
	}
	c.addList(row, e.count)
	return nil
}

// addIonValue stores v in the Ion lane, re-encoding it with the builder's symbol table when it
// uses another.
func (b *BlockBuilder) addIonValue(c *column, row int, v []byte, st *ion.Symtab) error {
	if st == &b.st {
		c.addIon(row, v)
		return nil
	}
	d, _, err := ion.DecodeDatum(v, st)
	if err != nil {
		return err
	}
	b.scratch.Reset()
	d.Encode(&b.scratch, &b.st)
	c.addIon(row, b.scratch.Bytes())
	return nil
}

// exactMicros returns the Unix microseconds of t when the typed timestamp lane can hold it
// exactly: UTC (a known zero offset), second precision or 3 or 6 fractional digits. Other
// timestamps stay Ion values so that they round-trip exactly.
func exactMicros(t ion.Timestamp) (int64, bool) {
	if !t.OffsetKnown || t.Offset != 0 {
		return 0, false
	}
	switch t.Precision {
	case ion.PrecisionSecond:
	case ion.PrecisionFraction:
		if t.FracDigits != 3 && t.FracDigits != 6 {
			return 0, false
		}
	default:
		return 0, false
	}
	us := t.UnixMicro()
	// the canonical encoding of us must be t itself
	digits := 0
	switch {
	case us%1_000_000 == 0:
		digits = 0
	case us%1_000 == 0:
		digits = 3
	default:
		digits = 6
	}
	want := 0
	if t.Precision == ion.PrecisionFraction {
		want = int(t.FracDigits)
	}
	return us, digits == want
}

// EncodedBlock is a finished block: its column chunks and their descriptions.
type EncodedBlock struct {
	Rows    int
	Data    []byte // the concatenated compressed chunks
	Columns []ColumnMeta
	Symbols []string // the local symbols of the block's Ion values
}

// Finish compresses the block's columns and resets the builder.
func (b *BlockBuilder) Finish() (*EncodedBlock, error) {
	out := &EncodedBlock{Rows: b.rows}
	var raw []byte
	b.root.walk(func(c *column) {
		if c == b.root {
			return
		}
		rows := *c.space
		raw = encodeColumn(raw[:0], c, rows)
		off := len(out.Data)
		out.Data = b.enc.EncodeAll(raw, out.Data)
		chunk := out.Data[off:]
		meta := ColumnMeta{
			Path:   append([]string(nil), c.path...),
			Lanes:  c.lanes,
			Offset: int64(off),
			Size:   int64(len(chunk)),
			Raw:    int64(len(raw)),
			Hash:   sha256.Sum256(chunk),
			Stats:  statsOf(c, rows),
		}
		if c.space != &b.rows {
			meta.Elem, meta.Rows = true, int64(rows)
		}
		out.Columns = append(out.Columns, meta)
	})
	for s := ion.Symbol(ion.SystemSymbols); int(s) < b.st.Len(); s++ {
		text, _ := b.st.Get(s)
		out.Symbols = append(out.Symbols, text)
	}
	b.Reset()
	return out, nil
}

func pathString(p []string) string { return strings.Join(p, ".") }
