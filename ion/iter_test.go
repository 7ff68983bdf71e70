package ion

import (
	"errors"
	"testing"
)

func TestIterators(t *testing.T) {
	// {a:1, pad, b:[true, pad, "x"], c:{}} with symbols 10, 11, 12; pads in both forms
	v := hexBytes(t, "de 93 8a 21 01 80 01 ff 8b b6 11 00 0e 80 81 78 8c d0 8d 01 00")
	// (the last field is $13 followed by a one-byte pad)
	it, err := Fields(v)
	if err != nil {
		t.Fatal(err)
	}
	var syms []Symbol
	var offs []int
	for it.Next() {
		syms = append(syms, it.Symbol())
		offs = append(offs, it.Offset())
		if it.Symbol() == 11 {
			el, err := Elements(it.Value())
			if err != nil {
				t.Fatal(err)
			}
			var types []Type
			for el.Next() {
				types = append(types, el.Head().Type)
			}
			if el.Err() != nil || len(types) != 2 || types[0] != BoolType || types[1] != StringType {
				t.Fatalf("list elements %v, err %v", types, el.Err())
			}
		}
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	if len(syms) != 3 || syms[0] != 10 || syms[1] != 11 || syms[2] != 12 {
		t.Fatalf("fields %v", syms)
	}
	if offs[0] != 3 || offs[1] != 9 || offs[2] != 17 {
		t.Fatalf("offsets %v", offs)
	}

	// errors carry the offset of the fault relative to the struct given
	bad := hexBytes(t, "d7 8a 21 01 8b 22 01")
	if _, err = Fields(bad); !errors.Is(err, ErrTruncated) {
		t.Fatal("Fields accepted a struct longer than its input")
	}
	bad = hexBytes(t, "d5 8a 21 01 8b 22")
	it, err = Fields(bad)
	if err != nil {
		t.Fatal(err)
	}
	for it.Next() {
	}
	var se *SyntaxError
	if !errors.As(it.Err(), &se) || se.Offset != 5 || !errors.Is(it.Err(), ErrTruncated) {
		t.Fatalf("truncated field: %v", it.Err())
	}
	if se := AddOffset(it.Err(), 100).(*SyntaxError); se.Offset != 105 {
		t.Fatalf("AddOffset: %d", se.Offset)
	}
}
