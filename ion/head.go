package ion

// Head is the decoded type descriptor and length of one encoded value.
type Head struct {
	Type Type  // the type code (high nibble of the descriptor)
	L    uint8 // the low nibble: 15 for a typed null, the value of a bool
	Hdr  int   // bytes before the body: the descriptor and any length field
	Len  int   // bytes of the body
}

// Size is the total encoded size of the value: header and body.
func (h Head) Size() int { return h.Hdr + h.Len }

// IsNull reports whether the value is a null of any type (null.null or a typed null).
func (h Head) IsNull() bool { return h.L == 15 }

// IsPad reports whether the value is a NOP pad, which readers skip.
func (h Head) IsPad() bool { return h.Type == NullType && h.L != 15 }

// kind names the value for messages.
func (h Head) kind() string {
	if h.IsPad() {
		return "NOP pad"
	}
	return h.Type.String()
}

// Descriptor classes: how ReadHead finds the body length of each descriptor byte.
const (
	descInvalid  = iota // not a valid descriptor in Ion 1.0
	descFixed           // the body length is L
	descVar             // a VarUInt length follows
	descEmpty           // no body: nulls and bools
	descOrdered         // struct with L=1: a VarUInt length follows and must be nonzero
	descAnnot           // annotation wrapper with length L >= 3
	descAnnotVar        // annotation wrapper with a VarUInt length >= 3
)

var descClass = func() (c [256]uint8) {
	for d := 0; d < 256; d++ {
		t, l := Type(d>>4), d&0xf
		k := uint8(descFixed)
		switch {
		case t == ReservedType:
			k = descInvalid
		case t == AnnotationType:
			switch {
			case l == 15 || l < 3:
				k = descInvalid
			case l == 14:
				k = descAnnotVar
			default:
				k = descAnnot
			}
		case l == 15:
			k = descEmpty
		case t == BoolType:
			if l <= 1 {
				k = descEmpty
			} else {
				k = descInvalid
			}
		case t == FloatType:
			if l != 0 && l != 4 && l != 8 {
				k = descInvalid
			}
		case t == IntType && l == 0:
			k = descInvalid // negative zero
		case t == StructType && l == 1:
			k = descOrdered
		case l == 14:
			k = descVar
		}
		c[d] = k
	}
	return c
}()

// fastLen drives the iterators' inlined fast path: for each descriptor byte, the body length
// when L gives it (0 for nulls and bools), fastVarLen when a VarUInt length follows, or
// fastSlow for what needs the general path (NOP pads, annotation wrappers, ordered structs,
// invalid descriptors).
var fastLen = func() (f [256]uint8) {
	for d := 0; d < 256; d++ {
		switch descClass[d] {
		case descFixed:
			f[d] = uint8(d & 0xf)
		case descEmpty:
			f[d] = 0
		case descVar:
			f[d] = fastVarLen
		default:
			f[d] = fastSlow
		}
		if d>>4 == 0 && d&0xf != 15 {
			f[d] = fastSlow // NOP pad
		}
	}
	return f
}()

const (
	fastVarLen = 14
	fastSlow   = 0xff
)

// ReadHead decodes the type descriptor and length of the value that starts at b[0] and checks
// that the whole value lies within b. Errors carry offsets relative to b.
func ReadHead(b []byte) (Head, error) {
	// fast path, inlined: a descriptor whose L is the body length
	if len(b) > 0 && descClass[b[0]] == descFixed && int(b[0]&0xf) < len(b) {
		return Head{Type: Type(b[0] >> 4), L: b[0] & 0xf, Hdr: 1, Len: int(b[0] & 0xf)}, nil
	}
	return readHead(b)
}

func readHead(b []byte) (Head, error) {
	if len(b) == 0 {
		return Head{}, errTrunc(0, "value")
	}
	d := b[0]
	h := Head{Type: Type(d >> 4), L: d & 0xf, Hdr: 1}
	switch descClass[d] {
	case descFixed, descAnnot:
		h.Len = int(h.L)
	case descEmpty:
	case descVar, descOrdered, descAnnotVar:
		v, n := readVarUint(b[1:])
		if n <= 0 {
			if n == 0 {
				return h, errTrunc(1, "length field of "+h.Type.String())
			}
			return h, errf(1, ErrInvalid, "length field of %s overflows", h.Type)
		}
		if v > uint64(len(b)) {
			return h, errf(0, ErrTruncated, "%s of length %d exceeds the %d bytes that remain", h.kind(), v, len(b)-1-n)
		}
		h.Hdr += n
		h.Len = int(v)
		if descClass[d] == descOrdered && v == 0 {
			return h, errf(0, ErrInvalid, "ordered struct with zero length")
		}
		if descClass[d] == descAnnotVar && v < 3 {
			return h, errf(0, ErrInvalid, "annotation wrapper of length %d (minimum 3)", v)
		}
	default:
		return h, invalidDesc(d)
	}
	if h.Hdr+h.Len > len(b) {
		return h, errf(0, ErrTruncated, "%s of length %d exceeds the %d bytes that remain", h.kind(), h.Len, len(b)-h.Hdr)
	}
	return h, nil
}

func invalidDesc(d byte) error {
	t, l := Type(d>>4), d&0xf
	switch {
	case t == ReservedType:
		return errf(0, ErrInvalid, "reserved type descriptor 0x%02x", d)
	case t == AnnotationType && l == 0:
		return errf(0, ErrInvalid, "version marker or empty annotation wrapper (0x%02x) inside a value", d)
	case t == AnnotationType:
		return errf(0, ErrInvalid, "annotation wrapper with invalid length nibble %d", l)
	case t == IntType:
		return errf(0, ErrInvalid, "negative int zero (0x%02x)", d)
	default:
		return errf(0, ErrInvalid, "%s with invalid length nibble %d (0x%02x)", t, l, d)
	}
}

// SizeOf returns the encoded size of the value at the start of b, or an error if b does not
// start with a complete value.
func SizeOf(b []byte) (int, error) {
	h, err := ReadHead(b)
	if err != nil {
		return 0, err
	}
	return h.Size(), nil
}

// TypeOf returns the type code of the value at the start of b (NullType for an empty b). It
// does not validate the value.
func TypeOf(b []byte) Type {
	if len(b) == 0 {
		return NullType
	}
	return Type(b[0] >> 4)
}

// Skip returns the bytes after the value at the start of b.
func Skip(b []byte) ([]byte, error) {
	h, err := ReadHead(b)
	if err != nil {
		return nil, err
	}
	return b[h.Size():], nil
}
