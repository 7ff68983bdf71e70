package ion

import (
	"errors"
	"testing"
)

func TestValidate(t *testing.T) {
	var st Symtab
	st.Intern("a") // $10
	cases := []struct {
		in  string
		err error
		off int64
	}{
		{"d3 8a 21 01", nil, 0},
		{"d3 8b 21 01", ErrSymbol, 1},
		{"b4 21 01 71 0b", ErrSymbol, 3},
		{"b3 21 01 00", nil, 0}, // trailing pad in a list
		{"b2 31 00", ErrInvalid, 1},
		{"c3 82 c3 ff", ErrInvalid, 1}, // string not UTF-8
		{"e4 81 8b 21 01", ErrSymbol, 2},
		{"e4 81 8a 21 01", nil, 0},
		{"d6 8a e4 81 8a 21 01", nil, 0},
		{"b6 65 c0 0f df 89 9f", ErrInvalid, 1}, // September 31st
		{"b6 65 c0 0f df 89 9e", nil, 0},
		{"00", ErrInvalid, 0},
	}
	for _, c := range cases {
		_, err := Validate(hexBytes(t, c.in), &st)
		if c.err == nil {
			if err != nil {
				t.Errorf("%s: %v", c.in, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.Is(err, c.err) || !errors.As(err, &se) || se.Offset < c.off {
			t.Errorf("%s: %v, want %v at or after %d", c.in, err, c.err, c.off)
		}
	}
	// nesting beyond MaxDepth
	nest := func(levels int) []byte {
		v := []byte{0x20}
		for i := 0; i < levels; i++ {
			v = append(lengthHeader(ListType, len(v)), v...)
		}
		return v
	}
	v := nest(MaxDepth + 1)
	if _, err := Validate(v, nil); !errors.Is(err, ErrTooDeep) {
		t.Errorf("depth %d: %v", MaxDepth+1, err)
	}
	if _, _, err := DecodeDatum(v, nil); !errors.Is(err, ErrTooDeep) {
		t.Errorf("DecodeDatum depth %d: %v", MaxDepth+1, err)
	}
	if _, _, err := AppendJSON(nil, v, nil); !errors.Is(err, ErrTooDeep) {
		t.Errorf("AppendJSON depth %d: %v", MaxDepth+1, err)
	}
	if _, err := Validate(nest(MaxDepth), nil); err != nil {
		t.Errorf("depth %d rejected: %v", MaxDepth, err)
	}
}
