package ion

import (
	"math"
	"math/big"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// randNumber returns random JSON number text: short and long mantissas, fractions and
// exponents around the fast-path boundaries.
func randNumber(r *rand.Rand) string {
	var sb strings.Builder
	if r.Intn(2) == 0 {
		sb.WriteByte('-')
	}
	digits := func(n int, lead bool) {
		for i := 0; i < n; i++ {
			c := byte('0' + r.Intn(10))
			if i == 0 && lead && c == '0' {
				c = '1'
			}
			if r.Intn(6) == 0 {
				c = '0' // zeros are interesting
			}
			if i == 0 && lead && c == '0' {
				c = '9'
			}
			sb.WriteByte(c)
		}
	}
	if r.Intn(5) == 0 {
		sb.WriteByte('0')
	} else {
		digits(1+r.Intn(22), true)
	}
	if r.Intn(2) == 0 {
		sb.WriteByte('.')
		digits(1+r.Intn(22), false)
	}
	if r.Intn(2) == 0 {
		sb.WriteByte("eE"[r.Intn(2)])
		switch r.Intn(3) {
		case 0:
			sb.WriteByte('-')
		case 1:
			sb.WriteByte('+')
		}
		sb.WriteString(strconv.Itoa(r.Intn(40)))
		if r.Intn(20) == 0 {
			sb.WriteString(strconv.Itoa(r.Intn(400)))
		}
	}
	return sb.String()
}

// TestJSONNumbersExact checks every number against an exact reference: integral values that
// fit int64 must be ints with that value, anything else the float64 strconv.ParseFloat gives,
// bit for bit.
func TestJSONNumbersExact(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	n := 200000
	if testing.Short() {
		n = 20000
	}
	minInt, maxInt := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	var b Buffer
	var st Symtab
	for i := 0; i < n; i++ {
		text := randNumber(r)
		b.Reset()
		if err := FromJSON(&b, &st, []byte(text)); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		// the reference: exact rational value
		rat, ok := new(big.Rat).SetString(text)
		if !ok {
			t.Fatalf("big.Rat cannot parse %s", text)
		}
		isInt := rat.IsInt() && rat.Num().Cmp(minInt) >= 0 && rat.Num().Cmp(maxInt) <= 0
		negZeroFloat := rat.Sign() == 0 && text[0] == '-' && strings.ContainsAny(text, ".eE")
		h, _ := ReadHead(b.Bytes())
		switch {
		case isInt && !negZeroFloat:
			v, _, err := ReadInt(b.Bytes())
			if err != nil || v != rat.Num().Int64() {
				t.Fatalf("%s: got %v (%v), want int %s", text, v, err, rat.Num())
			}
		default:
			if h.Type != FloatType {
				t.Fatalf("%s: got %s, want a float", text, h.Type)
			}
			f, _, _ := ReadFloat(b.Bytes())
			want, _ := strconv.ParseFloat(text, 64)
			if math.Float64bits(f) != math.Float64bits(want) {
				t.Fatalf("%s: got %v (%#x), want %v (%#x)", text, f, math.Float64bits(f), want, math.Float64bits(want))
			}
		}
	}
}
