package vm

import "bytes"

// CmpOp is a comparison operator.
type CmpOp uint8

const (
	OpEq CmpOp = iota
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
)

var cmpOpNames = [...]string{"=", "<>", "<", "<=", ">", ">="}

func (o CmpOp) String() string { return cmpOpNames[o] }

// Flip returns the operator with its operands swapped (a < b  ⇔  b > a).
func (o CmpOp) Flip() CmpOp {
	switch o {
	case OpLt:
		return OpGt
	case OpLe:
		return OpGe
	case OpGt:
		return OpLt
	case OpGe:
		return OpLe
	}
	return o
}

// holds reports whether a comparison result c (-1, 0, 1) satisfies o.
func (o CmpOp) holds(c int) bool {
	switch o {
	case OpEq:
		return c == 0
	case OpNe:
		return c != 0
	case OpLt:
		return c < 0
	case OpLe:
		return c <= 0
	case OpGt:
		return c > 0
	}
	return c >= 0
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// The kernels below compare one typed lane with a constant. For every word of mask (the lane's
// rows that are selected) they set the bits of the rows that satisfy the comparison in out.
// Lane slices are padded to a multiple of 64, so each word's 64 values are always there.
// They are the plain Go versions; an assembly version can replace them per CPU.

// cmpLaneConst: out[w] = {rows r in mask[w] : v[r] op k}, for ints and floats (where a NaN
// value sorts above every number; k is not NaN).
func cmpLaneConst[T int64 | float64](op CmpOp, v []T, k T, mask, out Bitmap) {
	for w, m := range mask {
		if m == 0 {
			out[w] = 0
			continue
		}
		x := v[w*64 : w*64+64]
		var r uint64
		switch op {
		case OpEq:
			for j := range 64 {
				r |= b2u(x[j] == k) << j
			}
		case OpNe:
			for j := range 64 {
				r |= b2u(x[j] != k) << j
			}
		case OpLt:
			for j := range 64 {
				r |= b2u(x[j] < k) << j
			}
		case OpLe:
			for j := range 64 {
				r |= b2u(x[j] <= k) << j
			}
		case OpGt:
			for j := range 64 {
				r |= b2u(x[j] > k || x[j] != x[j]) << j // x != x: a NaN
			}
		case OpGe:
			for j := range 64 {
				r |= b2u(x[j] >= k || x[j] != x[j]) << j
			}
		}
		out[w] = r & m
	}
}

// cmpInt64Const compares an int lane with an int constant.
func cmpInt64Const(op CmpOp, v []int64, k int64, mask, out Bitmap) { cmpLaneConst(op, v, k, mask, out) }

// cmpFloat64Const compares a float lane with a float constant (NaN = NaN holds, as the
// engine's equality treats NaN as equal to itself).
func cmpFloat64Const(op CmpOp, v []float64, k float64, mask, out Bitmap) {
	if k != k { // NaN constant: the exact comparison, row by row
		for w, m := range mask {
			var r uint64
			for mm := m; mm != 0; mm &= mm - 1 {
				j := trailing(mm)
				r |= b2u(op.holds(cmpFloat(v[w*64+j], k))) << j
			}
			out[w] = r
		}
		return
	}
	cmpLaneConst(op, v, k, mask, out)
}

// cmpStringsConst compares a string lane with a constant string.
func cmpStringsConst(op CmpOp, s *Strings, k []byte, mask, out Bitmap) {
	if s.Codes != nil {
		// dictionary: decide once per entry, then map codes
		d := s.Dict
		n := d.Len()
		ok := make([]bool, n)
		for e := 0; e < n; e++ {
			ok[e] = op.holds(bytes.Compare(d.Get(e), k))
		}
		codes := s.Codes
		for w, m := range mask {
			var r uint64
			for mm := m; mm != 0; mm &= mm - 1 {
				j := trailing(mm)
				r |= b2u(ok[codes[w*64+j]]) << j
			}
			out[w] = r
		}
		return
	}
	start, end, data := s.Start, s.End, s.Data
	for w, m := range mask {
		var r uint64
		for mm := m; mm != 0; mm &= mm - 1 {
			j := trailing(mm)
			i := w*64 + j
			x := data[start[i]:end[i]]
			var h bool
			switch op {
			case OpEq:
				h = len(x) == len(k) && string(x) == string(k)
			case OpNe:
				h = len(x) != len(k) || string(x) != string(k)
			default:
				h = op.holds(bytes.Compare(x, k))
			}
			r |= b2u(h) << j
		}
		out[w] = r
	}
}
