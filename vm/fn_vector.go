package vm

import "math"

// Functions of numeric vectors (lists of numbers of the same length), for embeddings:
// INNER_PRODUCT(a, b) = Σ aᵢbᵢ, L1_DISTANCE(a, b) = Σ |aᵢ − bᵢ|, L2_DISTANCE(a, b) =
// √Σ (aᵢ − bᵢ)², COSINE_DISTANCE(a, b) = 1 − a·b / (‖a‖‖b‖). All are float64, accumulated in
// element order with fused multiply-adds (as the original's kernels do, which makes the
// results bit-identical to them). Lists of different lengths, non-numeric elements or non-list arguments give
// MISSING.
func init() {
	for _, f := range []struct {
		name string
		fn   func(a, b []float64) float64
	}{
		{"INNER_PRODUCT", func(a, b []float64) float64 {
			s := 0.0
			for i := range a {
				s = math.FMA(a[i], b[i], s)
			}
			return s
		}},
		{"L1_DISTANCE", func(a, b []float64) float64 {
			s := 0.0
			for i := range a {
				s += math.Abs(a[i] - b[i])
			}
			return s
		}},
		{"L2_DISTANCE", func(a, b []float64) float64 {
			s := 0.0
			for i := range a {
				d := a[i] - b[i]
				s = math.FMA(d, d, s)
			}
			return math.Sqrt(s)
		}},
		{"COSINE_DISTANCE", func(a, b []float64) float64 {
			var dot, na, nb float64
			for i := range a {
				dot = math.FMA(a[i], b[i], dot)
				na = math.FMA(a[i], a[i], na)
				nb = math.FMA(b[i], b[i], nb)
			}
			den := math.Sqrt(na * nb)
			if math.IsInf(na*nb, 0) {
				den = math.Sqrt(na) * math.Sqrt(nb)
			}
			return 1 - dot/den
		}},
	} {
		fn := f.fn
		RegisterFunc(&Func{
			Name: f.name, MinArgs: 2, MaxArgs: 2,
			Eval: func(c *Ctx, args []Value) Value {
				a, ok1 := floatList(args[0])
				b, ok2 := floatList(args[1])
				if !ok1 || !ok2 || len(a) != len(b) {
					return Missing()
				}
				return Float(fn(a, b))
			},
		})
	}
}

// floatList converts a list of numbers to float64s.
func floatList(v Value) ([]float64, bool) {
	if v.k != KList {
		return nil, false
	}
	l := v.List()
	out := make([]float64, len(l))
	for i, x := range l {
		f, ok := x.AsFloat()
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}
