package ingest

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/sneller-re/sneller/ion"
)

// TestSimpleNumber checks the allocation-free number path against ion's JSON loader.
func TestSimpleNumber(t *testing.T) {
	texts := []string{"0", "-0", "0.0", "-0.0", "1", "-1", "3.0", "3.50", "0.1", "-0.25", "123456789012345",
		"12345678901234.5", "999999999999999", "1.000000000000", "00", "01", "1.", ".5", "-", "1e3", "1.5e2", "+1", "1..2", "0x10", "١"}
	r := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 2000; i++ {
		s := strconv.FormatInt(r.Int64N(1e15), 10)
		if k := r.IntN(len(s) + 1); k > 0 && k < len(s) {
			s = s[:k] + "." + s[k:]
		}
		if r.IntN(2) == 0 {
			s = "-" + s
		}
		texts = append(texts, s)
	}
	for _, text := range texts {
		i, f, isInt, ok := simpleNumber([]byte(text))
		var want ion.Buffer
		err := ion.FromJSON(&want, &ion.Symtab{}, []byte(text))
		if !ok {
			continue // the slow path decides
		}
		if err != nil {
			t.Errorf("%q: simple path accepts what the loader rejects (%v)", text, err)
			continue
		}
		v := want.Bytes()
		switch ion.TypeOf(v) {
		case ion.IntType, ion.UintType:
			wi, _, _ := ion.ReadInt(v)
			if !isInt || i != wi {
				t.Errorf("%q: got %v %v %v, want int %d", text, i, f, isInt, wi)
			}
		case ion.FloatType:
			wf, _, _ := ion.ReadFloat(v)
			if isInt || math.Float64bits(f) != math.Float64bits(wf) {
				t.Errorf("%q: got %v %v %v, want float %v", text, i, f, isInt, wf)
			}
		}
	}
	var b, s ion.Buffer
	f, i := []byte("12.34"), []byte("-1234")
	if n := testing.AllocsPerRun(100, func() {
		b.Reset()
		writeText(&b, tNumber, f, nil, &s)
		writeText(&b, tInt, i, nil, &s)
	}); n != 0 {
		t.Errorf("%v allocations converting numbers", n)
	}
}
