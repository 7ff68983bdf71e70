package pack

import (
	"encoding/binary"
	"unsafe"
)

// The uncompressed layout of a column chunk (all integers little-endian, every section
// starting at a multiple of 8 bytes, so a reader can view sections as typed slices):
//
//	u16 lanes  u16 flags  u32 n
//	for each lane present, in bit order (null, bool, int, float, time, string, ion, struct):
//	  u64 full                1 when every row is in the lane (no bitmap follows)
//	  [words(n)] u64          the lane's rows, unless full
//	  payload:
//	    bool    [words(n)] u64      the rows that are true
//	    int     [pad64(n)] i64      one value per row (0 outside the lane)
//	    float   [pad64(n)] f64
//	    time    [pad64(n)] i64      Unix microseconds
//	    string  plain: [n+1] u32 offsets, pad, bytes, pad
//	            dictionary (flag 1): u64 count, [count+1] u32 offsets, pad, bytes, pad,
//	                                 [pad64(n)] u16 codes
//	    ion     [n+1] u32 offsets, pad, the encoded values, pad
//	    list    [n+1] u32 offsets into the rows of the element column, pad
//	    null, struct: nothing
const flagDict = 1

func appendU64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

func align8(b []byte) []byte {
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

func appendBits(b []byte, m bitmap, n int) []byte {
	w := words(n)
	for i := 0; i < w; i++ {
		var x uint64
		if i < len(m) {
			x = m[i]
		}
		b = appendU64(b, x)
	}
	return b
}

// laneBits returns the bitmap of lane l of c.
func (c *column) laneBits(l uint16) bitmap {
	switch l {
	case laneNull:
		return c.null
	case laneBool:
		return c.boolm
	case laneInt:
		return c.intm
	case laneFloat:
		return c.floatm
	case laneTime:
		return c.timem
	case laneStr:
		return c.strm
	case laneIon:
		return c.ionm
	case laneList:
		return c.listm
	}
	return c.structm
}

// encodeColumn appends the uncompressed chunk of column c (n rows) to dst.
func encodeColumn(dst []byte, c *column, n int) []byte {
	dict, codes := c.dictionary()
	flags := uint16(0)
	if dict != nil {
		flags |= flagDict
	}
	dst = binary.LittleEndian.AppendUint16(dst, c.lanes)
	dst = binary.LittleEndian.AppendUint16(dst, flags)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
	for i := 0; i < laneCount; i++ {
		l := uint16(1) << i
		if c.lanes&l == 0 {
			continue
		}
		m := c.laneBits(l)
		if m.count() == n {
			dst = appendU64(dst, 1)
		} else {
			dst = appendU64(dst, 0)
			dst = appendBits(dst, m, n)
		}
		switch l {
		case laneBool:
			dst = appendBits(dst, c.boolv, n)
		case laneInt:
			dst = appendInts(dst, c.ints, n)
		case laneFloat:
			m := min(len(c.floats), pad64(n))
			dst = appendWords(dst, unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(c.floats))), m))
			for i := m; i < pad64(n); i++ {
				dst = appendU64(dst, 0)
			}
		case laneTime:
			dst = appendInts(dst, c.times, n)
		case laneStr:
			if dict != nil {
				dst = appendU64(dst, uint64(len(dict)))
				var data []byte
				for _, s := range dict {
					dst = binary.LittleEndian.AppendUint32(dst, uint32(len(data)))
					data = append(data, s...)
				}
				dst = binary.LittleEndian.AppendUint32(dst, uint32(len(data)))
				dst = align8(dst)
				dst = align8(append(dst, data...))
				for i := 0; i < pad64(n); i++ {
					var cd uint16
					if i < len(codes) {
						cd = codes[i]
					}
					dst = binary.LittleEndian.AppendUint16(dst, cd)
				}
			} else {
				dst = appendRowBytes(dst, c.strRows, c.strEnd, c.strData, n)
			}
		case laneIon:
			dst = appendRowBytes(dst, c.ionRows, c.ionEnd, c.ionData, n)
		case laneList:
			k := 0
			var end uint32
			for r := 0; r <= n; r++ {
				dst = binary.LittleEndian.AppendUint32(dst, end)
				if r < n && k < len(c.listRows) && int(c.listRows[k]) == r {
					end = c.listEnd[k]
					k++
				}
			}
			dst = align8(dst)
		}
	}
	return dst
}

func appendInts(dst []byte, v []int64, n int) []byte {
	m := min(len(v), pad64(n))
	dst = appendWords(dst, unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(v))), m))
	for i := m; i < pad64(n); i++ {
		dst = appendU64(dst, 0)
	}
	return dst
}

// appendWords appends little-endian words: a plain copy on little-endian machines.
func appendWords(dst []byte, v []uint64) []byte {
	if littleEndian {
		return append(dst, unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 8*len(v))...)
	}
	for _, x := range v {
		dst = appendU64(dst, x)
	}
	return dst
}

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// appendRowBytes writes per-row offsets (rows outside the lane get empty ranges) and the bytes.
func appendRowBytes(dst []byte, rows []int32, end []uint32, data []byte, n int) []byte {
	k := 0
	var start uint32
	for r := 0; r <= n; r++ {
		dst = binary.LittleEndian.AppendUint32(dst, start)
		if r < n && k < len(rows) && int(rows[k]) == r {
			start = end[k]
			k++
		}
	}
	dst = align8(dst)
	return align8(append(dst, data...))
}

// dictionary decides whether the string lane is dictionary-coded: when its distinct values are
// few (at most maxDict, and at most half the strings). It returns the entries and a code per row.
func (c *column) dictionary() ([][]byte, []uint16) {
	ns := len(c.strRows)
	if ns < 16 {
		return nil, nil
	}
	limit := min(maxDict, ns/2)
	index := make(map[string]uint16, 64)
	var dict [][]byte
	codes := make([]uint16, c.lastRowOf())
	start := uint32(0)
	for k, r := range c.strRows {
		s := c.strData[start:c.strEnd[k]]
		start = c.strEnd[k]
		code, ok := index[string(s)]
		if !ok {
			// give up early on a high-cardinality column: if the first 1024 strings are
			// mostly distinct, the whole lane will not fit the limit
			if len(dict) >= limit || (k == 1023 && ns >= 4096 && len(dict) > 900) {
				return nil, nil
			}
			code = uint16(len(dict))
			index[string(s)] = code
			dict = append(dict, s)
		}
		codes[r] = code
	}
	return dict, codes
}

// lastRowOf is one past the last row holding a string.
func (c *column) lastRowOf() int {
	if len(c.strRows) == 0 {
		return 0
	}
	return int(c.strRows[len(c.strRows)-1]) + 1
}
