package ion

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"
)

// NonFinite selects how JSONWriter renders NaN and ±Inf, which JSON numbers cannot express.
type NonFinite uint8

const (
	// NonFiniteString renders the strings "float64:nan", "float64:+inf" and "float64:-inf"
	// (the conformance corpus's spelling, which JSONDecoder.SpecialFloats reads back).
	NonFiniteString NonFinite = iota
	// NonFiniteNull renders null.
	NonFiniteNull
)

// JSONWriter renders binary Ion values as JSON text, the rendering of the HTTP API:
//
//   - null and typed nulls: null; bools: true/false
//   - ints: JSON integers of any size; floats: the shortest decimal that reads back as the
//     same float64 (-0 as -0.0; NaN and ±Inf as NonFinite says); decimals: JSON numbers that
//     keep their digits (1.50, 5e2)
//   - timestamps: RFC 3339 strings with a 'T', seconds and an offset (see
//     Timestamp.AppendRFC3339), which the JSON loader reads back as the same timestamp
//   - strings and symbols: JSON strings (a symbol of unknown text as "$<id>")
//   - blobs and clobs: base64 strings (standard alphabet, padded)
//   - lists and sexps: arrays; structs: objects, fields in order, duplicates kept
//   - annotations: dropped
//
// A JSONWriter caches the JSON form of field names per symbol table, so reuse one for many
// values. The zero value is ready to use. It is not safe for concurrent use.
type JSONWriter struct {
	NonFinite NonFinite

	st       *Symtab
	gen      uint64
	keyStart []uint32 // keys[keyStart[sym]:keyEnd[sym]] is `"name":` for sym
	keyEnd   []uint32 // 0 when not cached
	keys     []byte
}

// AppendJSON appends the JSON text of the value at the start of v to dst, resolving symbols
// with st, and returns the extended dst and the bytes after the value. It checks the value as
// Validate does. For many values, use a JSONWriter, which caches field names.
func AppendJSON(dst, v []byte, st *Symtab) ([]byte, []byte, error) {
	var w JSONWriter
	return w.Append(dst, v, st)
}

// Append appends the JSON text of the value at the start of v to dst, resolving symbols with
// st, and returns the extended dst and the bytes after the value. On error dst is returned
// with the partial output removed; errors carry offsets relative to v.
func (w *JSONWriter) Append(dst, v []byte, st *Symtab) ([]byte, []byte, error) {
	h, err := ReadHead(v)
	if err != nil {
		return dst, nil, err
	}
	if h.IsPad() {
		return dst, nil, errf(0, ErrInvalid, "NOP pad where a value is expected")
	}
	if st == nil {
		st = &Symtab{}
	}
	n := len(dst)
	dst = slices.Grow(dst, 2*h.Size()+64)
	out, err := w.value(dst, v[:h.Size()], h, st, 0)
	if err != nil {
		return dst[:n], nil, err
	}
	return out, v[h.Size():], nil
}

func (w *JSONWriter) value(dst, v []byte, h Head, st *Symtab, depth int) ([]byte, error) {
	if h.L == 15 && h.Type != AnnotationType {
		return append(dst, "null"...), nil
	}
	body := v[h.Hdr:]
	switch h.Type {
	case BoolType:
		if h.L == 1 {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case UintType, IntType:
		for len(body) > 0 && body[0] == 0 {
			body = body[1:]
		}
		if h.Type == IntType {
			if len(body) == 0 {
				return dst, errf(0, ErrInvalid, "negative int zero")
			}
			dst = append(dst, '-')
		}
		if len(body) <= 8 {
			return strconv.AppendUint(dst, readUint(body), 10), nil
		}
		return new(big.Int).SetBytes(body).Append(dst, 10), nil
	case FloatType:
		f, _, err := ReadFloat(v)
		if err != nil {
			return dst, err
		}
		return w.appendFloat(dst, f), nil
	case DecimalType:
		d, err := decodeDecimal(body)
		if err != nil {
			return dst, shift(err, h.Hdr)
		}
		return d.AppendJSON(dst), nil
	case TimestampType:
		t, err := decodeTimestamp(body)
		if err != nil {
			return dst, shift(err, h.Hdr)
		}
		dst = append(dst, '"')
		dst = t.AppendRFC3339(dst)
		return append(dst, '"'), nil
	case SymbolType:
		sym, _, err := ReadSymbol(v)
		if err != nil {
			return dst, err
		}
		return w.appendSymbol(dst, sym, st, 0)
	case StringType:
		out, ok := appendJSONString(dst, body)
		if !ok {
			return dst, errf(0, ErrInvalid, "string is not valid UTF-8")
		}
		return out, nil
	case ClobType, BlobType:
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, body)
		return append(dst, '"'), nil
	case ListType, SexpType:
		if depth >= MaxDepth {
			return dst, errf(0, ErrTooDeep, "nesting deeper than %d", MaxDepth)
		}
		dst = append(dst, '[')
		it := bodyElems(body, h.Hdr)
		first := true
		for it.Next() {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			var err error
			dst, err = w.value(dst, it.Value(), it.Head(), st, depth+1)
			if err != nil {
				return dst, shift(err, it.Offset())
			}
		}
		if it.Err() != nil {
			return dst, it.Err()
		}
		return append(dst, ']'), nil
	case StructType:
		if depth >= MaxDepth {
			return dst, errf(0, ErrTooDeep, "nesting deeper than %d", MaxDepth)
		}
		if w.st != st || w.gen != st.gen {
			w.st, w.gen = st, st.gen
			w.keyStart = w.keyStart[:0]
			w.keyEnd = w.keyEnd[:0]
			w.keys = w.keys[:0]
		}
		dst = append(dst, '{')
		it := bodyFields(body, h.Hdr)
		first := true
		for it.Next() {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			sym := it.Symbol()
			if int(sym) < len(w.keyEnd) && w.keyEnd[sym] != 0 {
				ks, ke := int(w.keyStart[sym]), int(w.keyEnd[sym])
				if n := len(dst); ke-ks <= 16 && cap(dst)-n >= 16 {
					// copy a short key as two words (the arena is padded)
					d := dst[n : n+16]
					binary.LittleEndian.PutUint64(d, binary.LittleEndian.Uint64(w.keys[ks:]))
					binary.LittleEndian.PutUint64(d[8:], binary.LittleEndian.Uint64(w.keys[ks+8:]))
					dst = dst[:n+ke-ks]
				} else {
					dst = append(dst, w.keys[ks:ke]...)
				}
			} else {
				var err error
				dst, err = w.appendKey(dst, sym, st, it.nameOffset())
				if err != nil {
					return dst, err
				}
			}
			// inline the most common scalars
			v := it.Value()
			switch v[0] >> 4 {
			case byte(StringType):
				if v[0] != 0x8f {
					if out, ok := appendJSONString(dst, it.Body()); ok {
						dst = out
						continue
					}
				}
			case byte(UintType):
				if body := it.Body(); len(body) <= 8 && v[0] != 0x2f {
					dst = strconv.AppendUint(dst, readUint(body), 10)
					continue
				}
			}
			var err error
			dst, err = w.value(dst, v, it.Head(), st, depth+1)
			if err != nil {
				return dst, shift(err, it.Offset())
			}
		}
		if it.Err() != nil {
			return dst, it.Err()
		}
		return append(dst, '}'), nil
	case AnnotationType:
		annots, value, _, err := Unannotate(v)
		if err != nil {
			return dst, err
		}
		aoff := len(v) - len(value) - len(annots)
		for a := annots; len(a) > 0; {
			sym, rest, err := ReadLabel(a)
			if err != nil {
				return dst, shift(err, aoff+len(annots)-len(a))
			}
			if err := checkSym(st, sym, aoff+len(annots)-len(a), "annotation"); err != nil {
				return dst, err
			}
			a = rest
		}
		vh, _ := ReadHead(value)
		dst, err = w.value(dst, value, vh, st, depth+1)
		return dst, shift(err, len(v)-len(value))
	}
	return dst, errf(0, ErrInvalid, "invalid type descriptor 0x%02x", v[0])
}

const keyPad = 16

// appendKey appends `"name":` for a field and caches it.
func (w *JSONWriter) appendKey(dst []byte, sym Symbol, st *Symtab, off int) ([]byte, error) {
	start := len(dst)
	dst, err := w.appendSymbol(dst, sym, st, off)
	if err != nil {
		return dst, err
	}
	dst = append(dst, ':')
	if int(sym) < 1<<20 { // cache all but absurd IDs
		for len(w.keyEnd) <= int(sym) {
			w.keyStart = append(w.keyStart, 0)
			w.keyEnd = append(w.keyEnd, 0)
		}
		if len(w.keys) == 0 {
			w.keys = append(w.keys, 0) // so that a cached key never ends at 0
		}
		// the arena ends with 16 bytes of padding, so a key can be read as two words
		if len(w.keys) >= keyPad {
			w.keys = w.keys[:len(w.keys)-keyPad]
		}
		w.keyStart[sym] = uint32(len(w.keys))
		w.keys = append(w.keys, dst[start:]...)
		w.keyEnd[sym] = uint32(len(w.keys))
		w.keys = append(w.keys, make([]byte, keyPad)...)
	}
	return dst, nil
}

func (w *JSONWriter) appendSymbol(dst []byte, sym Symbol, st *Symtab, off int) ([]byte, error) {
	if sym != 0 && !st.Defined(sym) {
		return dst, errf(off, ErrSymbol, "symbol ID %d not in the symbol table (max ID %d)", sym, st.Len()-1)
	}
	text, ok := st.Get(sym)
	if !ok {
		dst = append(dst, '"', '$')
		dst = strconv.AppendUint(dst, uint64(sym), 10)
		return append(dst, '"'), nil
	}
	out, ok := appendJSONString(dst, []byte(text))
	if !ok {
		return dst, errf(off, ErrInvalid, "symbol text is not valid UTF-8")
	}
	return out, nil
}

func (w *JSONWriter) appendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		if w.NonFinite == NonFiniteNull {
			return append(dst, "null"...)
		}
		return append(dst, `"float64:nan"`...)
	case math.IsInf(f, 1):
		if w.NonFinite == NonFiniteNull {
			return append(dst, "null"...)
		}
		return append(dst, `"float64:+inf"`...)
	case math.IsInf(f, -1):
		if w.NonFinite == NonFiniteNull {
			return append(dst, "null"...)
		}
		return append(dst, `"float64:-inf"`...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, '0')
	}
	abs := math.Abs(f)
	if abs < 1e21 && f == math.Trunc(f) {
		// integral: the exact digits, so that the JSON loader (which makes an int of any
		// integral number below 2^63) gets the same numeric value back
		return strconv.AppendFloat(dst, f, 'f', 0, 64)
	}
	format := byte('f')
	if abs < 1e-6 || abs >= 1e21 {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-07 → e-7, as encoding/json does
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// needEscape flags (in the high bit of each byte) the bytes of x that are '"', '\\', control
// characters or non-ASCII; flags above the lowest one may be spurious.
func needEscape(x uint64) uint64 {
	q := x ^ (lo8 * '"')
	b := x ^ (lo8 * '\\')
	return (((x - lo8*0x20) & ^x) | ((q - lo8) & ^q) | ((b - lo8) & ^b) | x) & hi8
}

// appendJSONString appends s as a quoted JSON string; it reports false if s is not UTF-8.
func appendJSONString(dst, s []byte) ([]byte, bool) {
	// fast path: a short string with nothing to escape, moved as two words (reading up to
	// 16 bytes of s's capacity, masking what lies beyond its length)
	if n, d := len(s), len(dst); n <= 16 && cap(s) >= 16 && cap(dst)-d >= 18 {
		w := s[:16:16]
		w0 := binary.LittleEndian.Uint64(w)
		w1 := binary.LittleEndian.Uint64(w[8:])
		var v0, v1 uint64 = hi8, 0
		if n < 8 {
			v0 = hi8 & (1<<(8*uint(n)) - 1)
		} else if n < 16 {
			v1 = hi8 & (1<<(8*uint(n-8)) - 1)
		} else {
			v1 = hi8
		}
		if needEscape(w0)&v0|needEscape(w1)&v1 == 0 {
			o := dst[d : d+18]
			o[0] = '"'
			binary.LittleEndian.PutUint64(o[1:], w0)
			binary.LittleEndian.PutUint64(o[9:], w1)
			o[n+1] = '"'
			return dst[:d+n+2], true
		}
	}
	dst = append(dst, '"')
	i, start := 0, 0
	for i < len(s) {
		for i+8 <= len(s) {
			if m := needEscape(binary.LittleEndian.Uint64(s[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		switch {
		case c >= 0x80:
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				return dst, false
			}
			i += size
		case c == '"' || c == '\\':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', c)
			i++
			start = i
		case c < 0x20:
			dst = append(dst, s[start:i]...)
			switch c {
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
		default:
			i++
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), true
}
