package vm

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// randValue returns a random scalar or small composite value drawn from a small domain, so that
// equalities and ties are frequent.
func randValue(r *rand.Rand) Value {
	switch r.IntN(11) {
	case 0:
		return Missing()
	case 1:
		return Null()
	case 2:
		return Bool(r.IntN(2) == 0)
	case 3, 4:
		return Int(int64(r.IntN(7) - 3))
	case 5:
		return Float([]float64{-1.5, 0, 1, 2.5, math.NaN(), math.Inf(1), math.Copysign(0, -1), 3}[r.IntN(8)])
	case 6:
		return Time(int64(r.IntN(5)) * 1_000_000)
	case 7, 8:
		return String([]string{"", "a", "b", "ab", "foo", "Foo"}[r.IntN(6)])
	case 9:
		return List([]Value{Int(int64(r.IntN(2)))})
	}
	return Struct([]Field{{"a", Int(int64(r.IntN(2)))}})
}

// vecOf builds a Vec holding vals, with strings in a string lane (dictionary form when dict).
func vecOf(vals []Value, dict bool) *Vec {
	n := len(vals)
	v := &Vec{}
	v.Reset(n)
	var strs [][]byte
	codes := map[string]uint16{}
	v.S.Start = make([]uint32, Pad(n))
	v.S.End = make([]uint32, Pad(n))
	v.S.Codes = nil
	var cs []uint16
	if dict {
		cs = make([]uint16, Pad(n))
	}
	for i, x := range vals {
		if x.k != KString {
			v.Put(i, x)
			continue
		}
		v.laneBits(&v.Strs).Set(i)
		if dict {
			c, ok := codes[string(x.b)]
			if !ok {
				c = uint16(len(strs))
				codes[string(x.b)] = c
				strs = append(strs, x.b)
			}
			cs[i] = c
			continue
		}
		v.S.Start[i] = uint32(len(v.S.Data))
		v.S.Data = append(v.S.Data, x.b...)
		v.S.End[i] = uint32(len(v.S.Data))
	}
	if dict {
		v.S.Codes = cs
		v.S.Dict = NewDict(strs)
	}
	return v
}

func randVals(r *rand.Rand, n int) []Value {
	out := make([]Value, n)
	for i := range out {
		out[i] = randValue(r)
	}
	return out
}

func randSel(r *rand.Rand, n int) Bitmap {
	sel := MakeBitmap(nil, n)
	for i := 0; i < n; i++ {
		if r.IntN(5) != 0 {
			sel.Set(i)
		}
	}
	return sel
}

// sameValue is Equal extended to MISSING and to the type (an int result must not come back a float).
func sameValue(a, b Value) bool {
	if a.k != b.k {
		return false
	}
	if a.k == KFloat && math.IsNaN(a.Float()) && math.IsNaN(b.Float()) {
		return true
	}
	return Equal(a, b)
}

// checkVec compares a result vector with the expected values on the selected rows, and checks
// unselected rows are MISSING.
func checkVec(t testing.TB, what string, got *Vec, want []Value, sel Bitmap) {
	t.Helper()
	for i := range want {
		g := got.Get(i)
		w := want[i]
		if !sel.Get(i) {
			w = Missing()
		}
		if !sameValue(g, w) {
			t.Fatalf("%s: row %d: got %s (%s), want %s (%s)", what, i, FormatValue(g), g.k, FormatValue(w), w.k)
		}
	}
}

func batchOf(n int, vars ...*Vec) *Batch {
	return &Batch{N: n, Vars: vars, Sel: FullBitmap(nil, n)}
}

func fmtVals(vals []Value) string {
	s := "["
	for i, v := range vals {
		if i > 0 {
			s += " "
		}
		s += FormatValue(v)
	}
	return s + "]"
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
