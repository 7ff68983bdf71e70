package vm

import (
	"math"
	"math/bits"
)

// WIDTH_BUCKET(v, lo, hi, n) splits [lo, hi) into n equal buckets and returns the 1-based
// number of the one that holds v: 0 below lo, n+1 at or above hi (for hi < lo the range is
// descending, as in Postgres). The result is an int. With four ints the arithmetic is exact
// integer arithmetic (128-bit products, so any int64 range works); otherwise it is float64. n must be a positive integer and lo != hi; any
// other argument gives MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "WIDTH_BUCKET", MinArgs: 4, MaxArgs: 4,
		Eval: func(c *Ctx, args []Value) Value {
			n, ok := intArg(args[3])
			if !ok || n <= 0 {
				return Missing()
			}
			v, lo, hi := args[0], args[1], args[2]
			if v.k == KInt && lo.k == KInt && hi.k == KInt {
				if r, ok := widthBucketInt(v.Int(), lo.Int(), hi.Int(), n); ok {
					return Int(r)
				}
			}
			x, ok1 := v.AsFloat()
			l, ok2 := lo.AsFloat()
			h, ok3 := hi.AsFloat()
			if !ok1 || !ok2 || !ok3 || l == h || math.IsNaN(x) || math.IsNaN(l) || math.IsNaN(h) {
				return Missing()
			}
			return Int(widthBucketFloat(x, l, h, n))
		},
	})
}

// widthBucketInt is exact for every int64 input (the products are taken in 128 bits); ok is
// false when lo == hi.
func widthBucketInt(v, lo, hi, n int64) (int64, bool) {
	var off, width uint64
	switch {
	case lo < hi:
		switch {
		case v < lo:
			return 0, true
		case v >= hi:
			return n + 1, true
		}
		off, width = uint64(v)-uint64(lo), uint64(hi)-uint64(lo)
	case lo > hi: // descending
		switch {
		case v > lo:
			return 0, true
		case v <= hi:
			return n + 1, true
		}
		off, width = uint64(lo)-uint64(v), uint64(lo)-uint64(hi)
	default:
		return 0, false
	}
	// off < width, so off·n / width < n and the 128-bit quotient fits in 64 bits
	ph, pl := bits.Mul64(off, uint64(n))
	q, _ := bits.Div64(ph, pl, width)
	return int64(q) + 1, true
}

func widthBucketFloat(v, lo, hi float64, n int64) int64 {
	if lo > hi { // descending: v > lo is bucket 0, v <= hi bucket n+1
		switch {
		case v > lo:
			return 0
		case v <= hi:
			return n + 1
		}
		return min(max(int64((lo-v)/(lo-hi)*float64(n))+1, 1), n)
	}
	switch {
	case v < lo:
		return 0
	case v >= hi:
		return n + 1
	}
	b := int64((v-lo)/(hi-lo)*float64(n)) + 1
	return min(max(b, 1), n)
}
