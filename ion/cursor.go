package ion

import (
	"math"
	"math/big"
)

// The cursor: functions that decode one value at the start of a byte slice and return it with
// the bytes that follow, without allocating (except where a result is inherently a heap object,
// such as a *big.Int). They check bounds and report errors with offsets relative to the slice
// they were given. A typed null yields ErrNull, another type ErrType.

// scalar decodes the head of the value at b[0], checks its type and returns its body and the
// rest of b.
func scalar(b []byte, want Type) (h Head, body, rest []byte, err error) {
	h, err = ReadHead(b)
	if err != nil {
		return h, nil, nil, err
	}
	if h.Type != want {
		return h, nil, nil, typeErr(h.Type, want)
	}
	if h.L == 15 {
		return h, nil, nil, errf(0, ErrNull, "null.%s", h.Type)
	}
	end := h.Size()
	return h, b[h.Hdr:end], b[end:], nil
}

func typeErr(got, want Type) error {
	return errf(0, ErrType, "found %s, want %s", got, want)
}

// ReadBool reads a bool.
func ReadBool(b []byte) (bool, []byte, error) {
	h, _, rest, err := scalar(b, BoolType)
	return h.L == 1, rest, err
}

// intBody reads an int's head and returns its sign and the magnitude bytes without leading
// zeros.
func intBody(b []byte) (neg bool, mag, rest []byte, err error) {
	h, err := ReadHead(b)
	if err != nil {
		return false, nil, nil, err
	}
	if h.Type != UintType && h.Type != IntType {
		return false, nil, nil, typeErr(h.Type, UintType)
	}
	if h.L == 15 {
		return false, nil, nil, errf(0, ErrNull, "null.int")
	}
	end := h.Size()
	mag = b[h.Hdr:end]
	for len(mag) > 0 && mag[0] == 0 {
		mag = mag[1:]
	}
	if h.Type == IntType && len(mag) == 0 {
		return false, nil, nil, errf(0, ErrInvalid, "negative int zero")
	}
	return h.Type == IntType, mag, b[end:], nil
}

// ReadInt reads an int that fits an int64 (ErrRange otherwise).
func ReadInt(b []byte) (int64, []byte, error) {
	if len(b) > 1 && b[0] == 0x21 { // one-byte positive int, the most common case
		return int64(b[1]), b[2:], nil
	}
	neg, mag, rest, err := intBody(b)
	if err != nil {
		return 0, nil, err
	}
	if len(mag) > 8 {
		return 0, nil, errf(0, ErrRange, "int of %d bytes does not fit int64", len(mag))
	}
	u := readUint(mag)
	if neg {
		if u > 1<<63 {
			return 0, nil, errf(0, ErrRange, "int below the int64 range")
		}
		return -int64(u), rest, nil
	}
	if u > math.MaxInt64 {
		return 0, nil, errf(0, ErrRange, "int above the int64 range")
	}
	return int64(u), rest, nil
}

// ReadUint reads a non-negative int that fits a uint64 (ErrRange otherwise).
func ReadUint(b []byte) (uint64, []byte, error) {
	neg, mag, rest, err := intBody(b)
	if err != nil {
		return 0, nil, err
	}
	if neg {
		return 0, nil, errf(0, ErrRange, "negative int read as unsigned")
	}
	if len(mag) > 8 {
		return 0, nil, errf(0, ErrRange, "int of %d bytes does not fit uint64", len(mag))
	}
	return readUint(mag), rest, nil
}

// ReadBigInt reads an int of any size.
func ReadBigInt(b []byte) (*big.Int, []byte, error) {
	neg, mag, rest, err := intBody(b)
	if err != nil {
		return nil, nil, err
	}
	v := new(big.Int).SetBytes(mag)
	if neg {
		v.Neg(v)
	}
	return v, rest, nil
}

// ReadFloat reads a float (32 or 64 bits, or the zero-length 0e0) as a float64.
func ReadFloat(b []byte) (float64, []byte, error) {
	_, body, rest, err := scalar(b, FloatType)
	if err != nil {
		return 0, nil, err
	}
	switch len(body) {
	case 0:
		return 0, rest, nil
	case 4:
		return float64(math.Float32frombits(uint32(readUint(body)))), rest, nil
	default: // 8: ReadHead rejects other lengths
		return math.Float64frombits(readUint(body)), rest, nil
	}
}

// ReadDecimal reads a decimal. The coefficient is a newly allocated *big.Int.
func ReadDecimal(b []byte) (Decimal, []byte, error) {
	h, body, rest, err := scalar(b, DecimalType)
	if err != nil {
		return Decimal{}, nil, err
	}
	d, err := decodeDecimal(body)
	if err != nil {
		return d, nil, shift(err, h.Hdr)
	}
	return d, rest, nil
}

// ReadTimestamp reads a timestamp and checks it against the calendar.
func ReadTimestamp(b []byte) (Timestamp, []byte, error) {
	h, body, rest, err := scalar(b, TimestampType)
	if err != nil {
		return Timestamp{}, nil, err
	}
	t, err := decodeTimestamp(body)
	if err != nil {
		return t, nil, shift(err, h.Hdr)
	}
	return t, rest, nil
}

// ReadSymbol reads a symbol value's ID.
func ReadSymbol(b []byte) (Symbol, []byte, error) {
	_, body, rest, err := scalar(b, SymbolType)
	if err != nil {
		return 0, nil, err
	}
	for len(body) > 0 && body[0] == 0 {
		body = body[1:]
	}
	if len(body) > 4 {
		return 0, nil, errf(0, ErrRange, "symbol ID of %d bytes", len(body))
	}
	return Symbol(readUint(body)), rest, nil
}

// ReadStringBytes reads a string and returns its bytes as a sub-slice of b. The bytes are not
// checked to be UTF-8 (Validate, DecodeDatum and the JSON writer check them).
func ReadStringBytes(b []byte) ([]byte, []byte, error) {
	_, body, rest, err := scalar(b, StringType)
	return body, rest, err
}

// ReadString reads a string into a new Go string.
func ReadString(b []byte) (string, []byte, error) {
	s, rest, err := ReadStringBytes(b)
	return string(s), rest, err
}

// ReadBytes reads a blob or clob and returns its contents as a sub-slice of b.
func ReadBytes(b []byte) ([]byte, []byte, error) {
	h, err := ReadHead(b)
	if err != nil {
		return nil, nil, err
	}
	if h.Type != BlobType && h.Type != ClobType {
		return nil, nil, typeErr(h.Type, BlobType)
	}
	if h.L == 15 {
		return nil, nil, errf(0, ErrNull, "null.%s", h.Type)
	}
	end := h.Size()
	return b[h.Hdr:end], b[end:], nil
}

// ReadLabel reads a VarUInt symbol ID, the form of field names and annotations.
func ReadLabel(b []byte) (Symbol, []byte, error) {
	v, n := readVarUint(b)
	if n <= 0 {
		return 0, nil, varFieldErr(n, 0, "symbol ID")
	}
	if v > math.MaxUint32 {
		return 0, nil, errf(0, ErrRange, "symbol ID %d out of range", v)
	}
	return Symbol(v), b[n:], nil
}

// Unannotate splits the annotation wrapper at the start of b into its annotations (a run of
// VarUInt symbol IDs to read with ReadLabel) and the wrapped value, and returns the rest of b.
// A value without annotations comes back unchanged with empty annotations.
func Unannotate(b []byte) (annots, value, rest []byte, err error) {
	h, err := ReadHead(b)
	if err != nil {
		return nil, nil, nil, err
	}
	end := h.Size()
	if h.Type != AnnotationType {
		return nil, b[:end], b[end:], nil
	}
	body := b[h.Hdr:end]
	alen, n := readVarUint(body)
	if n <= 0 {
		return nil, nil, nil, shift(varFieldErr(n, 0, "annotation length"), h.Hdr)
	}
	if alen == 0 {
		return nil, nil, nil, errf(h.Hdr, ErrInvalid, "annotation wrapper without annotations")
	}
	if alen >= uint64(len(body)-n) {
		return nil, nil, nil, errf(h.Hdr, ErrInvalid, "annotations of length %d leave no room for a value in a wrapper of length %d", alen, len(body))
	}
	annots = body[n : n+int(alen)]
	if annots[len(annots)-1]&0x80 == 0 {
		return nil, nil, nil, errf(h.Hdr+n, ErrInvalid, "annotation symbol runs past the annotation length")
	}
	value = body[n+int(alen):]
	off := h.Hdr + n + int(alen)
	vh, err := ReadHead(value)
	if err != nil {
		return nil, nil, nil, shift(err, off)
	}
	switch {
	case vh.Size() != len(value):
		return nil, nil, nil, errf(off, ErrInvalid, "annotated value of length %d in a wrapper leaving %d bytes", vh.Size(), len(value))
	case vh.Type == AnnotationType:
		return nil, nil, nil, errf(off, ErrInvalid, "nested annotation wrapper")
	case vh.IsPad():
		return nil, nil, nil, errf(off, ErrInvalid, "annotated NOP pad")
	}
	return annots, value, b[end:], nil
}
