package vm

import (
	"math"
	"math/rand"
	"testing"
)

func TestLogSpecialValues(t *testing.T) {
	for _, f := range []struct {
		name string
		fn   func(float64) float64
	}{{"log2", log2}, {"log10", log10}} {
		for _, c := range []struct{ x, want float64 }{
			{0, math.Inf(-1)}, {math.Copysign(0, -1), math.Inf(-1)}, {math.Inf(1), math.Inf(1)},
			{1, 0},
		} {
			if got := f.fn(c.x); got != c.want {
				t.Errorf("%s(%v) = %v, want %v", f.name, c.x, got, c.want)
			}
		}
		for _, x := range []float64{-1, math.Inf(-1), math.NaN(), -0x1p-1074} {
			if got := f.fn(x); !math.IsNaN(got) {
				t.Errorf("%s(%v) = %v, want NaN", f.name, x, got)
			}
		}
	}
	for e := -1074; e <= 1023; e++ {
		if got := log2(math.Ldexp(1, e)); got != float64(e) {
			t.Fatalf("log2(2^%d) = %v", e, got)
		}
	}
	for e := -300; e <= 300; e++ {
		x, _ := new10(e)
		if got := log10(x); got != float64(e) {
			t.Fatalf("log10(1e%d) = %v", e, got)
		}
	}
}

func new10(e int) (float64, bool) { return math.Pow10(e), true }

// TestLogAccuracy checks the double-double logarithms against math.Log2 and math.Log10 over
// normal and subnormal arguments: both are within an ulp of the true value, so they may differ
// by at most 2 ulp (a little more for subnormals, where the reference is itself a sum).
func TestLogAccuracy(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	ulps := func(a, b float64) float64 {
		if a == b {
			return 0
		}
		return math.Abs(a-b) / math.Abs(math.Nextafter(b, math.Inf(1))-b)
	}
	for i := 0; i < 200000; i++ {
		x := math.Float64frombits(r.Uint64() &^ (1 << 63))
		if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
			continue
		}
		want2, tol2 := math.Log2(x), 2.0
		if x > 0.5 && x < 2 {
			// math.Log2 loses digits near 1 (exponent plus log of a fraction near 1/2).
			want2, tol2 = math.Log1p(x-1)/math.Ln2, 3
		}
		if d := ulps(log2(x), want2); d > tol2 {
			t.Fatalf("log2(%v) = %v, want %v (%.1f ulp)", x, log2(x), want2, d)
		}
		want10, tol := math.Log10(x), 2.0
		if x < 0x1p-1022 {
			// math.Log10 is not accurate for subnormals on every platform: scale first.
			want10, tol = math.Log10(x*0x1p64)-64*math.Log10(2), 4
		}
		if d := ulps(log10(x), want10); d > tol {
			t.Fatalf("log10(%v) = %v, want %v (%.1f ulp)", x, log10(x), want10, d)
		}
		b := math.Float64frombits(r.Uint64()&^(1<<63)) + 2
		want := math.Log2(x) / math.Log2(b)
		if got := logBase(b, x); math.Abs(got-want) > 1e-14*math.Abs(want)+1e-300 {
			t.Fatalf("logBase(%v, %v) = %v, want about %v", b, x, got, want)
		}
	}
}

func BenchmarkLog10(b *testing.B) {
	x, s := 1.2345, 0.0
	for i := 0; i < b.N; i++ {
		s += log10(x)
		x += 1e-3
	}
	_ = s
}

func TestAtanAgainstMath(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	ulps := func(a, b float64) float64 {
		if a == b {
			return 0
		}
		return math.Abs(a-b) / math.Abs(math.Nextafter(b, math.Inf(1))-b)
	}
	for i := 0; i < 200000; i++ {
		x := math.Float64frombits(r.Uint64())
		y := math.Float64frombits(r.Uint64())
		if i%2 == 0 { // ordinary magnitudes too
			x, y = r.NormFloat64()*10, r.NormFloat64()
		}
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		if d := ulps(atan(x), math.Atan(x)); d > 2 {
			t.Fatalf("atan(%v) = %v, math.Atan %v", x, atan(x), math.Atan(x))
		}
		want := math.Atan2(y, x)
		if y/x == 0 && y != 0 {
			// math.Atan2 takes the sign from the underflowed ratio; the angle's sign is y's.
			want = math.Copysign(want, y)
		}
		if d := ulps(atan2(y, x), want); d > 2 && math.Abs(want) > 1e-300 {
			t.Fatalf("atan2(%v, %v) = %v, math.Atan2 %v (%.1f ulp)", y, x, atan2(y, x), want, d)
		}
	}
	inf := math.Inf(1)
	for _, c := range [][3]float64{
		{0, -1, math.Pi}, {math.Copysign(0, -1), -1, -math.Pi}, {0, 1, 0}, {1, 0, math.Pi / 2},
		{-1, 0, -math.Pi / 2}, {inf, inf, math.Pi / 4}, {inf, -inf, 3 * math.Pi / 4}, {1, -inf, math.Pi},
		{1, -1, 3 * math.Pi / 4}, {-1, -1, -3 * math.Pi / 4},
	} {
		if got := atan2(c[0], c[1]); got != c[2] {
			t.Errorf("atan2(%v, %v) = %v, want %v", c[0], c[1], got, c[2])
		}
	}
	if got := atan(inf); got != math.Pi/2 {
		t.Errorf("atan(+Inf) = %v", got)
	}
	if got := atan(math.Copysign(0, -1)); got != 0 || !math.Signbit(got) {
		t.Errorf("atan(-0) = %v", got)
	}
}

func TestLnAgainstMath(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	ulps := func(a, b float64) float64 {
		if a == b {
			return 0
		}
		return math.Abs(a-b) / math.Abs(math.Nextafter(b, math.Inf(1))-b)
	}
	for i := 0; i < 200000; i++ {
		x := math.Float64frombits(r.Uint64() &^ (1 << 63))
		if i%2 == 0 {
			x = math.Abs(r.NormFloat64())
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
			continue
		}
		want := math.Log1p(x - 1)
		if x < 0.5 || x > 2 {
			want = math.Log2(x) * math.Ln2
		}
		if d := ulps(ln(x), want); d > 3 {
			t.Fatalf("ln(%v) = %v, want %v (%.1f ulp)", x, ln(x), want, d)
		}
		y := x - 1
		if i%4 == 1 {
			y = r.NormFloat64() * 1e-3
		}
		if d := ulps(ln1p(y), math.Log1p(y)); d > 2 {
			t.Fatalf("ln1p(%v) = %v, math.Log1p %v (%.1f ulp)", y, ln1p(y), math.Log1p(y), d)
		}
	}
	for _, c := range [][2]float64{{0, math.Inf(-1)}, {1, 0}, {math.Inf(1), math.Inf(1)}, {math.E, 1}} {
		if got := ln(c[0]); got != c[1] {
			t.Errorf("ln(%v) = %v, want %v", c[0], got, c[1])
		}
	}
	for _, c := range [][2]float64{{-1, math.Inf(-1)}, {0, 0}, {math.Inf(1), math.Inf(1)}, {math.MaxFloat64, math.Log(math.MaxFloat64)}} {
		if got := ln1p(c[0]); got != c[1] {
			t.Errorf("ln1p(%v) = %v, want %v", c[0], got, c[1])
		}
	}
	if got := ln1p(math.Copysign(0, -1)); !math.Signbit(got) {
		t.Errorf("ln1p(-0) = %v", got)
	}
	for _, x := range []float64{-2, math.NaN(), math.Inf(-1)} {
		if !math.IsNaN(ln1p(x)) || (x != -2 && !math.IsNaN(ln(x))) {
			t.Errorf("ln/ln1p(%v) not NaN", x)
		}
	}
}
