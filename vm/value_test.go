package vm

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/sneller-re/sneller/ion"
)

func TestEqualCompareHash(t *testing.T) {
	cases := []struct {
		a, b  Value
		equal bool
		cmp   int
	}{
		{Int(3), Float(3), true, 0},
		{Int(3), Float(3.5), false, -1},
		{Float(math.Copysign(0, -1)), Int(0), true, 0},
		{Float(math.NaN()), Float(math.NaN()), true, 0},
		{Float(math.NaN()), Int(1 << 62), false, 1},
		{Int(math.MaxInt64), Float(9.223372036854775807e18), false, -1},
		{Int(math.MinInt64), Float(-9.223372036854775808e18), true, 0},
		{Null(), Null(), true, 0},
		{Null(), Int(0), false, -1},
		{Bool(false), Bool(true), false, -1},
		{String("a"), String("b"), false, -1},
		{String("b"), Int(5), false, 1},
		{Time(5), Int(7), false, 1},
		{List([]Value{Int(1), String("x")}), List([]Value{Float(1), String("x")}), true, 0},
		{Struct([]Field{{"a", Int(1)}, {"b", Int(2)}}), Struct([]Field{{"b", Int(2)}, {"a", Int(1)}}), true, 0},
		{Struct([]Field{{"a", Int(1)}}), Struct([]Field{{"a", Int(2)}}), false, -1},
	}
	for i, c := range cases {
		if got := Equal(c.a, c.b); got != c.equal {
			t.Errorf("%d: Equal(%s, %s) = %v", i, FormatValue(c.a), FormatValue(c.b), got)
		}
		if c.equal && HashValue(c.a) != HashValue(c.b) {
			t.Errorf("%d: equal values %s, %s hash differently", i, FormatValue(c.a), FormatValue(c.b))
		}
		if c.cmp != 0 || c.a.k != KStruct {
			if got := Compare(c.a, c.b); got != c.cmp {
				t.Errorf("%d: Compare(%s, %s) = %d, want %d", i, FormatValue(c.a), FormatValue(c.b), got, c.cmp)
			}
			if got := Compare(c.b, c.a); got != -c.cmp {
				t.Errorf("%d: Compare(%s, %s) = %d, want %d", i, FormatValue(c.b), FormatValue(c.a), got, -c.cmp)
			}
		}
	}
}

func TestCmpFloatIntExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		i := r.Int64() >> r.IntN(64)
		if r.IntN(2) == 0 {
			i = -i
		}
		f := float64(i) + float64(r.IntN(5)-2)
		if r.IntN(4) == 0 {
			f += 0.5
		}
		got := cmpFloatInt(f, i)
		want := big.NewFloat(f).Cmp(new(big.Float).SetInt64(i)) // exact reference
		if got != want {
			t.Fatalf("cmpFloatInt(%v, %d) = %d, want %d", f, i, got, want)
		}
	}
}

func TestIonRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(30, 31))
	for i := 0; i < 2000; i++ {
		v := randValue(r)
		if v.k == KMissing {
			continue
		}
		if i%3 == 0 {
			v = Struct([]Field{{"a", v}, {"b", List([]Value{v, Int(7)})}, {"c", Time(int64(r.IntN(1 << 40)))}})
		}
		var buf ion.Buffer
		var st ion.Symtab
		EncodeIon(&buf, &st, v)
		got, err := DecodeIon(buf.Bytes(), &st)
		if err != nil {
			t.Fatalf("%s: %v", FormatValue(v), err)
		}
		if !sameValue(got, v) {
			t.Fatalf("round trip of %s gave %s", FormatValue(v), FormatValue(got))
		}
	}
}
