package pack

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

// alignedBuf returns a byte slice of length n whose start is 8-byte aligned, so that sections
// can be viewed as typed slices.
func alignedBuf(n int) []byte {
	w := make([]uint64, (n+7)/8)
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), len(w)*8)[:n]
}

// chunkReader walks the sections of an uncompressed chunk with bounds checks.
type chunkReader struct {
	b   []byte
	off int
	err error
}

func (r *chunkReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: offset %d: %s", ErrCorrupt, r.off, fmt.Sprintf(format, args...))
	}
}

func (r *chunkReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || r.off+n > len(r.b) || r.off+n < r.off {
		r.fail("section of %d bytes past the end of the chunk (%d bytes)", n, len(r.b))
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off = pad8(r.off + n)
	if r.off > len(r.b) {
		r.off = len(r.b)
	}
	return s
}

func (r *chunkReader) u64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// The views below reinterpret little-endian sections in place; on a big-endian machine they
// byte-swap first (in place: the buffer is the reader's own).
func view64(b []byte) []uint64 {
	if len(b) == 0 {
		return nil
	}
	swap(b, 8)
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/8)
}

func viewI64(b []byte) []int64 {
	if len(b) == 0 {
		return nil
	}
	swap(b, 8)
	return unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/8)
}

func viewF64(b []byte) []float64 {
	if len(b) == 0 {
		return nil
	}
	swap(b, 8)
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/8)
}

func viewU32(b []byte) []uint32 {
	if len(b) == 0 {
		return nil
	}
	swap(b, 4)
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/4)
}

func viewU16(b []byte) []uint16 {
	if len(b) == 0 {
		return nil
	}
	swap(b, 2)
	return unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/2)
}

// offsets reads n+1 row offsets into data (of length dataLen) and checks they are monotonic
// and within bounds.
func (r *chunkReader) offsets(n int) []uint32 {
	off := viewU32(r.take(4 * (n + 1)))
	if r.err != nil {
		return nil
	}
	if off[0] != 0 {
		r.fail("offsets do not start at 0")
		return nil
	}
	for i := 1; i <= n; i++ {
		if off[i] < off[i-1] {
			r.fail("offsets decrease at row %d", i)
			return nil
		}
	}
	return off
}

// decodeChunk turns an uncompressed chunk (8-byte aligned) into a vector. The vector shares
// raw's memory. st resolves the symbols of the Ion lane.
func decodeChunk(raw []byte, rows int, st *ion.Symtab) (*vm.Vec, error) {
	r := &chunkReader{b: raw}
	hdr := r.take(8)
	if r.err != nil {
		return nil, r.err
	}
	lanes := binary.LittleEndian.Uint16(hdr)
	flags := binary.LittleEndian.Uint16(hdr[2:])
	n := int(binary.LittleEndian.Uint32(hdr[4:]))
	if n != rows {
		return nil, fmt.Errorf("%w: chunk has %d rows, the block %d", ErrCorrupt, n, rows)
	}
	if lanes >= 1<<laneCount {
		return nil, fmt.Errorf("%w: unknown lanes %#x", ErrCorrupt, lanes)
	}
	v := &vm.Vec{}
	v.Reset(n)
	w := words(n)
	var seen vm.Bitmap = make(vm.Bitmap, w)
	for i := 0; i < laneCount && r.err == nil; i++ {
		l := uint16(1) << i
		if lanes&l == 0 {
			continue
		}
		var m vm.Bitmap
		full := r.u64()
		switch full {
		case 1:
			m = vm.FullBitmap(nil, n)
		case 0:
			m = vm.Bitmap(view64(r.take(8 * w)))
			if r.err == nil && w > 0 && n&63 != 0 && m[w-1]>>(n&63) != 0 {
				r.fail("%s lane has rows past the end", laneNames[i])
			}
		default:
			r.fail("bad lane header %d", full)
		}
		if r.err != nil {
			break
		}
		// lanes are disjoint
		for k := range m {
			if seen[k]&m[k] != 0 {
				r.fail("%s lane overlaps another lane", laneNames[i])
			}
			seen[k] |= m[k]
		}
		switch l {
		case laneNull:
			v.Nulls = m
		case laneBool:
			v.Bools = m
			v.BoolV = vm.Bitmap(view64(r.take(8 * w)))
		case laneInt:
			v.Ints = m
			v.I = viewI64(r.take(8 * pad64(n)))
		case laneFloat:
			v.Floats = m
			v.F = viewF64(r.take(8 * pad64(n)))
		case laneTime:
			v.Times = m
			v.T = viewI64(r.take(8 * pad64(n)))
		case laneStr:
			var s vm.Strings
			if flags&flagDict != 0 {
				count := r.u64()
				if count > maxDict || r.err != nil {
					r.fail("dictionary of %d entries", count)
					break
				}
				off := r.offsets(int(count))
				if r.err != nil {
					break
				}
				data := r.take(int(off[count]))
				codes := viewU16(r.take(2 * pad64(n)))
				if r.err != nil {
					break
				}
				for k := 0; k < n; k++ {
					if m.Get(k) && int(codes[k]) >= int(count) {
						r.fail("dictionary code %d past %d entries at row %d", codes[k], count, k)
						break
					}
				}
				s = vm.Strings{Codes: codes, Dict: &vm.Strings{Start: off[:count], End: off[1:], Data: data}}
			} else {
				off := r.offsets(n)
				if r.err != nil {
					break
				}
				data := r.take(int(off[n]))
				s = vm.Strings{Start: off[:n], End: off[1:], Data: data}
			}
			v.SetStringLane(m, s)
		case laneIon:
			off := r.offsets(n)
			if r.err != nil {
				break
			}
			data := r.take(int(off[n]))
			v.Ions = m
			v.X = vm.IonLane{Start: off[:n], End: off[1:], Data: data, Symtab: st}
		case laneStruct:
			v.Structs = m
		case laneList:
			off := r.offsets(n)
			if r.err != nil {
				break
			}
			v.Lists = m
			v.L = vm.ListLane{Start: off[:n], End: off[1:]}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return v, nil
}

// swap reverses the bytes of each size-byte word of b on big-endian machines.
func swap(b []byte, size int) {
	if littleEndian {
		return
	}
	for i := 0; i+size <= len(b); i += size {
		for j, k := i, i+size-1; j < k; j, k = j+1, k-1 {
			b[j], b[k] = b[k], b[j]
		}
	}
}
