package vm

import "math"

// WIDTH_BUCKET(v, lo, hi, n) splits [lo, hi) into n equal buckets and returns the 1-based
// number of the one that holds v: 0 below lo, n+1 at or above hi (for hi < lo the range is
// descending, as in Postgres). The result is an int. With four ints the arithmetic is exact
// integer arithmetic; otherwise it is float64. n must be a positive integer and lo != hi; any
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

// widthBucketInt is exact when the products fit in an int64; ok is false otherwise (the
// caller falls back to float64).
func widthBucketInt(v, lo, hi, n int64) (int64, bool) {
	if lo == hi {
		return 0, false
	}
	if lo > hi {
		// descending: mirror
		v, lo, hi = -v, -lo, -hi
		if v == math.MinInt64 || lo == math.MinInt64 || hi == math.MinInt64 {
			return 0, false
		}
	}
	switch {
	case v < lo:
		return 0, true
	case v >= hi:
		return n + 1, true
	}
	off, ok1 := addCheck(v, -lo)
	width, ok2 := addCheck(hi, -lo)
	p, ok3 := mulCheck(off, n)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	return p/width + 1, true
}

func widthBucketFloat(v, lo, hi float64, n int64) int64 {
	if lo > hi {
		v, lo, hi = -v, -lo, -hi
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
