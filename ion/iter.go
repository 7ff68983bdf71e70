package ion

import "math"

// ElemIter iterates over the values of a list or sexp (or any run of values), skipping NOP
// pads. Use it as
//
//	it, err := ion.Elements(v)
//	for it.Next() { use(it.Value()) }
//	if it.Err() != nil { ... }
type ElemIter struct {
	rest []byte
	end  int // offset just past the last byte of rest: the offset of rest[0] is end-len(rest)
	val  []byte
	hdr  int
	err  error
}

// Elements returns an iterator over the elements of the list or sexp value at the start of b.
// Offsets (of elements and in errors) are relative to b.
func Elements(b []byte) (ElemIter, error) {
	h, err := ReadHead(b)
	if err != nil {
		return ElemIter{}, err
	}
	if h.Type != ListType && h.Type != SexpType {
		return ElemIter{}, typeErr(h.Type, ListType)
	}
	if h.L == 15 {
		return ElemIter{}, errf(0, ErrNull, "null.%s", h.Type)
	}
	return ElemIter{rest: b[h.Hdr:h.Size()], end: h.Size()}, nil
}

// Sequence returns an iterator over a run of concatenated values (such as a container body).
func Sequence(b []byte) ElemIter { return ElemIter{rest: b, end: len(b)} }

// bodyElems iterates over a container body that starts at offset base.
func bodyElems(body []byte, base int) ElemIter {
	return ElemIter{rest: body, end: base + len(body)}
}

// Next advances to the next value; it returns false at the end or on an error.
func (it *ElemIter) Next() bool {
	// fast path: a value whose length is in its descriptor or a one-byte length field
	if rest := it.rest; len(rest) > 1 {
		d := rest[0]
		l, hdr := int(fastLen[d]), 1
		if l >= fastVarLen {
			if l == fastSlow || rest[1]&0x80 == 0 {
				return it.nextSlow()
			}
			l, hdr = int(rest[1]&0x7f), 2
		}
		if size := hdr + l; size <= len(rest) {
			it.val, it.hdr = rest[:size], hdr
			it.rest = rest[size:]
			return true
		}
	}
	return it.nextSlow()
}

func (it *ElemIter) nextSlow() bool {
	for len(it.rest) > 0 {
		h, err := ReadHead(it.rest)
		if err != nil {
			it.err = shift(err, it.end-len(it.rest))
			it.rest = nil
			return false
		}
		n := h.Hdr + h.Len
		if h.Type == NullType && h.L != 15 {
			it.rest = it.rest[n:]
			continue
		}
		it.val, it.hdr = it.rest[:n], h.Hdr
		it.rest = it.rest[n:]
		return true
	}
	return false
}

// Value returns the current value, header included.
func (it *ElemIter) Value() []byte { return it.val }

// Head returns the decoded head of the current value.
func (it *ElemIter) Head() Head {
	d := it.val[0]
	return Head{Type: Type(d >> 4), L: d & 0xf, Hdr: it.hdr, Len: len(it.val) - it.hdr}
}

// Body returns the body of the current value (the bytes after its header).
func (it *ElemIter) Body() []byte { return it.val[it.hdr:] }

// Offset returns the offset of the current value.
func (it *ElemIter) Offset() int { return it.end - len(it.rest) - len(it.val) }

// Err returns the error that stopped the iteration, if any.
func (it *ElemIter) Err() error { return it.err }

// FieldIter iterates over the fields of a struct, skipping NOP pads. Use it as
//
//	it, err := ion.Fields(v)
//	for it.Next() { use(it.Symbol(), it.Value()) }
//	if it.Err() != nil { ... }
type FieldIter struct {
	rest []byte
	end  int // offset just past the last byte of rest
	val  []byte
	hdr  int
	sym  Symbol
	err  error
}

// Fields returns an iterator over the fields of the struct value at the start of b. Offsets
// (of values and in errors) are relative to b.
func Fields(b []byte) (FieldIter, error) {
	h, err := ReadHead(b)
	if err != nil {
		return FieldIter{}, err
	}
	if h.Type != StructType {
		return FieldIter{}, typeErr(h.Type, StructType)
	}
	if h.L == 15 {
		return FieldIter{}, errf(0, ErrNull, "null.struct")
	}
	return FieldIter{rest: b[h.Hdr:h.Size()], end: h.Size()}, nil
}

// StructFields returns an iterator over a struct body (the bytes after its header).
func StructFields(body []byte) FieldIter { return FieldIter{rest: body, end: len(body)} }

// bodyFields iterates over a struct body that starts at offset base.
func bodyFields(body []byte, base int) FieldIter {
	return FieldIter{rest: body, end: base + len(body)}
}

// Next advances to the next field; it returns false at the end or on an error.
func (it *FieldIter) Next() bool {
	// fast path: a one-byte field name and a value whose length is in its descriptor or a
	// one-byte length field
	if rest := it.rest; len(rest) > 2 && rest[0]&0x80 != 0 {
		d := rest[1]
		l, hdr := int(fastLen[d]), 1
		if l >= fastVarLen {
			if l == fastSlow || rest[2]&0x80 == 0 {
				return it.nextSlow()
			}
			l, hdr = int(rest[2]&0x7f), 2
		}
		if size := 1 + hdr + l; size <= len(rest) {
			it.sym = Symbol(rest[0] & 0x7f)
			it.val, it.hdr = rest[1:size], hdr
			it.rest = rest[size:]
			return true
		}
	}
	return it.nextSlow()
}

func (it *FieldIter) nextSlow() bool {
	for len(it.rest) > 0 {
		var sym uint64
		n := 1
		if c := it.rest[0]; c&0x80 != 0 {
			sym = uint64(c & 0x7f)
		} else {
			sym, n = readVarUint(it.rest)
			if n <= 0 {
				it.fail(varFieldErr(n, 0, "field name"))
				return false
			}
			if sym > math.MaxUint32 {
				it.fail(errf(0, ErrRange, "field name symbol ID %d out of range", sym))
				return false
			}
		}
		h, err := ReadHead(it.rest[n:])
		if err != nil {
			it.fail(shift(err, n))
			return false
		}
		size := n + h.Hdr + h.Len
		if h.Type == NullType && h.L != 15 {
			it.rest = it.rest[size:]
			continue
		}
		it.sym, it.val, it.hdr = Symbol(sym), it.rest[n:size], h.Hdr
		it.rest = it.rest[size:]
		return true
	}
	return false
}

func (it *FieldIter) fail(err error) {
	it.err = shift(err, it.end-len(it.rest))
	it.rest = nil
}

// Symbol returns the current field's name.
func (it *FieldIter) Symbol() Symbol { return it.sym }

// Value returns the current field's value, header included.
func (it *FieldIter) Value() []byte { return it.val }

// Head returns the decoded head of the current field's value.
func (it *FieldIter) Head() Head {
	d := it.val[0]
	return Head{Type: Type(d >> 4), L: d & 0xf, Hdr: it.hdr, Len: len(it.val) - it.hdr}
}

// Body returns the body of the current field's value (the bytes after its header).
func (it *FieldIter) Body() []byte { return it.val[it.hdr:] }

// Offset returns the offset of the current field's value.
func (it *FieldIter) Offset() int { return it.end - len(it.rest) - len(it.val) }

// Err returns the error that stopped the iteration, if any.
func (it *FieldIter) Err() error { return it.err }

// nameOffset is the offset of the current field's name (for messages).
func (it *FieldIter) nameOffset() int { return it.Offset() - varUintSize(uint64(it.sym)) }
