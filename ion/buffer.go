package ion

import (
	"math"
	"math/big"
)

// Buffer is the Ion writer: it appends binary Ion to a byte slice. Scalars get their shortest
// encoding; containers and annotation wrappers are opened with a Begin call and closed with the
// matching End call, which back-patches the length. Struct fields are written in the order
// given (sorted or not). The zero Buffer is ready to use.
//
// A Buffer writes symbol IDs, not text: the caller keeps the Symtab that gives them meaning and
// writes it (Symtab.Marshal) before the values in the stream.
type Buffer struct {
	buf   []byte
	stack []frame
}

type frame struct {
	pos      int  // offset of the descriptor byte
	reserved int  // header bytes reserved at pos
	typ      Type // ListType, SexpType, StructType or AnnotationType
}

// Bytes returns the encoded bytes. They alias the Buffer until its next write or Reset.
func (b *Buffer) Bytes() []byte { return b.buf }

// Size returns the number of bytes written.
func (b *Buffer) Size() int { return len(b.buf) }

// Reset empties the buffer (keeping its memory) and forgets any open containers.
func (b *Buffer) Reset() {
	b.buf = b.buf[:0]
	b.stack = b.stack[:0]
}

// Set replaces the contents of the buffer with buf, which the Buffer then owns.
func (b *Buffer) Set(buf []byte) {
	b.buf = buf
	b.stack = b.stack[:0]
}

// Truncate discards all but the first n bytes (n must not be inside an open container's
// header). It lets a caller roll back a partly written value.
func (b *Buffer) Truncate(n int) {
	b.buf = b.buf[:n]
	for len(b.stack) > 0 && b.stack[len(b.stack)-1].pos >= n {
		b.stack = b.stack[:len(b.stack)-1]
	}
}

// Depth returns the number of open containers and annotation wrappers.
func (b *Buffer) Depth() int { return len(b.stack) }

// Grow makes room for n more bytes without reallocating.
func (b *Buffer) Grow(n int) {
	if cap(b.buf)-len(b.buf) < n {
		nb := make([]byte, len(b.buf), 2*cap(b.buf)+n)
		copy(nb, b.buf)
		b.buf = nb
	}
}

// headerSize is the size of a descriptor plus length field for a body of n bytes.
func headerSize(n int) int {
	if n < 14 {
		return 1
	}
	return 1 + varUintSize(uint64(n))
}

func (b *Buffer) begin(t Type, hint int) {
	r := 1
	if hint >= 14 {
		r = headerSize(hint)
	}
	b.stack = append(b.stack, frame{pos: len(b.buf), reserved: r, typ: t})
	for i := 0; i < r; i++ {
		b.buf = append(b.buf, 0)
	}
}

func (b *Buffer) end(t Type) {
	top := len(b.stack) - 1
	if top < 0 || b.stack[top].typ != t {
		panic("ion: Buffer: end of " + t.String() + " without a matching Begin")
	}
	f := b.stack[top]
	b.stack = b.stack[:top]
	bodyStart := f.pos + f.reserved
	n := len(b.buf) - bodyStart
	need := headerSize(n)
	if need != f.reserved {
		// move the body so that the header fits exactly
		delta := need - f.reserved
		if delta > 0 {
			for i := 0; i < delta; i++ {
				b.buf = append(b.buf, 0)
			}
		}
		copy(b.buf[bodyStart+delta:], b.buf[bodyStart:bodyStart+n])
		b.buf = b.buf[:bodyStart+delta+n]
	}
	if n < 14 {
		b.buf[f.pos] = byte(t)<<4 | byte(n)
		return
	}
	b.buf[f.pos] = byte(t)<<4 | 14
	putVarUint(b.buf[f.pos+1:f.pos+need], uint64(n))
}

// BeginStruct opens a struct. hint is the expected body size, or -1 if unknown; a good hint
// saves moving the body when the struct is closed.
func (b *Buffer) BeginStruct(hint int) { b.begin(StructType, hint) }

// EndStruct closes the struct opened last. Mismatched Begin/End calls are a programming error
// and panic.
func (b *Buffer) EndStruct() { b.end(StructType) }

// BeginList opens a list (hint as for BeginStruct).
func (b *Buffer) BeginList(hint int) { b.begin(ListType, hint) }

// EndList closes the list opened last.
func (b *Buffer) EndList() { b.end(ListType) }

// BeginSexp opens an s-expression (hint as for BeginStruct).
func (b *Buffer) BeginSexp(hint int) { b.begin(SexpType, hint) }

// EndSexp closes the s-expression opened last.
func (b *Buffer) EndSexp() { b.end(SexpType) }

// BeginAnnotation opens an annotation wrapper with the given annotations (at least one); write
// exactly one value and then call EndAnnotation.
func (b *Buffer) BeginAnnotation(labels ...Symbol) {
	if len(labels) == 0 {
		panic("ion: BeginAnnotation without annotations")
	}
	b.begin(AnnotationType, -1)
	n := 0
	for _, l := range labels {
		n += varUintSize(uint64(l))
	}
	b.buf = appendVarUint(b.buf, uint64(n))
	for _, l := range labels {
		b.buf = appendVarUint(b.buf, uint64(l))
	}
}

// EndAnnotation closes the annotation wrapper opened last.
func (b *Buffer) EndAnnotation() { b.end(AnnotationType) }

// BeginField writes the name of the next struct field.
func (b *Buffer) BeginField(sym Symbol) {
	if sym < 0x80 {
		b.buf = append(b.buf, byte(sym)|0x80)
		return
	}
	b.buf = appendVarUint(b.buf, uint64(sym))
}

// WriteBVM writes the Ion 1.0 binary version marker (only meaningful at top level).
func (b *Buffer) WriteBVM() { b.buf = append(b.buf, bvm[:]...) }

// WriteRaw appends bytes that are already encoded Ion (for example a value read with the
// cursor, whose symbol IDs must mean the same in this stream).
func (b *Buffer) WriteRaw(v []byte) { b.buf = append(b.buf, v...) }

// WriteNull writes null.null.
func (b *Buffer) WriteNull() { b.buf = append(b.buf, 0x0f) }

// WriteTypedNull writes the null of type t (null.int for either int type code, null.null for
// codes that are not value types).
func (b *Buffer) WriteTypedNull(t Type) {
	if t == IntType {
		t = UintType
	}
	if t > StructType {
		t = NullType // annotation and reserved codes have no null
	}
	b.buf = append(b.buf, byte(t&0xf)<<4|0x0f)
}

// WriteBool writes a bool.
func (b *Buffer) WriteBool(v bool) {
	if v {
		b.buf = append(b.buf, 0x11)
	} else {
		b.buf = append(b.buf, 0x10)
	}
}

// WriteInt writes an int.
func (b *Buffer) WriteInt(v int64) {
	if v >= 0 {
		b.WriteUint(uint64(v))
		return
	}
	m := uint64(-v) // two's complement gives 1<<63 for math.MinInt64
	n := uintSize(m)
	b.buf = append(b.buf, 0x30|byte(n))
	b.buf = appendUint(b.buf, m, n)
}

// WriteUint writes a non-negative int.
func (b *Buffer) WriteUint(v uint64) {
	if v < 0x100 {
		if v == 0 {
			b.buf = append(b.buf, 0x20)
		} else {
			b.buf = append(b.buf, 0x21, byte(v))
		}
		return
	}
	n := uintSize(v)
	b.buf = append(b.buf, 0x20|byte(n))
	b.buf = appendUint(b.buf, v, n)
}

// WriteBigInt writes an int of any size.
func (b *Buffer) WriteBigInt(v *big.Int) {
	if v.IsInt64() {
		b.WriteInt(v.Int64())
		return
	}
	if v.IsUint64() {
		b.WriteUint(v.Uint64())
		return
	}
	t := UintType
	if v.Sign() < 0 {
		t = IntType
	}
	n := (v.BitLen() + 7) / 8
	b.writeHeader(t, n)
	start := len(b.buf)
	for i := 0; i < n; i++ {
		b.buf = append(b.buf, 0)
	}
	v.FillBytes(b.buf[start:]) // FillBytes writes the absolute value
}

func (b *Buffer) writeHeader(t Type, n int) {
	if n < 14 {
		b.buf = append(b.buf, byte(t)<<4|byte(n))
		return
	}
	b.buf = append(b.buf, byte(t)<<4|14)
	b.buf = appendVarUint(b.buf, uint64(n))
}

// WriteFloat64 writes a float in the shortest exact form: no body for +0, 4 bytes when the
// value (NaN payload included) survives float32, else 8 bytes.
func (b *Buffer) WriteFloat64(f float64) {
	bits := math.Float64bits(f)
	if bits == 0 {
		b.buf = append(b.buf, 0x40)
		return
	}
	if f32 := float32(f); math.Float64bits(float64(f32)) == bits {
		b.WriteFloat32(f32)
		return
	}
	b.buf = append(b.buf, 0x48,
		byte(bits>>56), byte(bits>>48), byte(bits>>40), byte(bits>>32),
		byte(bits>>24), byte(bits>>16), byte(bits>>8), byte(bits))
}

// WriteFloat32 writes a 4-byte float.
func (b *Buffer) WriteFloat32(f float32) {
	bits := math.Float32bits(f)
	b.buf = append(b.buf, 0x44, byte(bits>>24), byte(bits>>16), byte(bits>>8), byte(bits))
}

// WriteDecimal writes a decimal exactly (coefficient, exponent and the sign of zero).
func (b *Buffer) WriteDecimal(d Decimal) {
	var tmp [32]byte
	body := appendDecimalBody(tmp[:0], &d)
	b.writeHeader(DecimalType, len(body))
	b.buf = append(b.buf, body...)
}

// WriteTimestamp writes a timestamp.
func (b *Buffer) WriteTimestamp(t Timestamp) {
	var tmp [32]byte
	body := appendTimestampBody(tmp[:0], &t)
	b.writeHeader(TimestampType, len(body))
	b.buf = append(b.buf, body...)
}

// WriteString writes a string (which should be UTF-8).
func (b *Buffer) WriteString(s string) {
	b.writeHeader(StringType, len(s))
	b.buf = append(b.buf, s...)
}

// WriteStringBytes writes a string given as bytes (which should be UTF-8).
func (b *Buffer) WriteStringBytes(s []byte) {
	b.writeHeader(StringType, len(s))
	b.buf = append(b.buf, s...)
}

// WriteSymbol writes a symbol value.
func (b *Buffer) WriteSymbol(sym Symbol) {
	n := uintSize(uint64(sym))
	b.buf = append(b.buf, 0x70|byte(n))
	b.buf = appendUint(b.buf, uint64(sym), n)
}

// WriteBlob writes a blob.
func (b *Buffer) WriteBlob(v []byte) {
	b.writeHeader(BlobType, len(v))
	b.buf = append(b.buf, v...)
}

// WriteClob writes a clob.
func (b *Buffer) WriteClob(v []byte) {
	b.writeHeader(ClobType, len(v))
	b.buf = append(b.buf, v...)
}
