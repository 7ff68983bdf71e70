package ion

import (
	"math"
	"math/big"
	"math/rand"
	"strings"
	"testing"
)

// randText returns a random string mixing ASCII, escapes-worthy and multi-byte characters.
func randText(r *rand.Rand) string {
	const alpha = "abcXYZ09 _-\"\\\n\t/é€😀\x00\x1f"
	runes := []rune(alpha)
	n := r.Intn(20)
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.WriteRune(runes[r.Intn(len(runes))])
	}
	return sb.String()
}

func randTimestamp(r *rand.Rand) Timestamp {
	t := Timestamp{Year: uint16(1 + r.Intn(9999)), Month: 1, Day: 1, Precision: Precision(1 + r.Intn(6))}
	if t.Precision >= PrecisionMonth {
		t.Month = uint8(1 + r.Intn(12))
	}
	if t.Precision >= PrecisionDay {
		t.Day = uint8(1 + r.Intn(daysIn(int(t.Month), int(t.Year))))
	}
	if t.Precision >= PrecisionMinute {
		t.Hour, t.Minute = uint8(r.Intn(24)), uint8(r.Intn(60))
		if r.Intn(4) > 0 {
			t.OffsetKnown = true
			t.Offset = int16(r.Intn(2*1439+1) - 1439)
		}
	}
	if t.Precision >= PrecisionSecond {
		t.Second = uint8(r.Intn(60))
	}
	if t.Precision == PrecisionFraction {
		t.FracDigits = uint8(1 + r.Intn(30))
		switch {
		case t.FracDigits < 19:
			t.Frac = uint64(r.Int63n(int64(pow10u64[t.FracDigits])))
		case t.FracDigits == 19:
			t.Frac = r.Uint64() % pow10u64[19]
		default:
			t.Frac = r.Uint64()
		}
	}
	return t
}

func randDecimal(r *rand.Rand) Decimal {
	d := Decimal{Exp: int32(r.Intn(200) - 100)}
	switch r.Intn(4) {
	case 0:
		d.NegZero = r.Intn(2) == 0
	case 1:
		d.Coef = big.NewInt(r.Int63n(1000) - 500)
	default:
		c := new(big.Int).Rand(r, new(big.Int).Lsh(big.NewInt(1), uint(r.Intn(300)+1)))
		if r.Intn(2) == 0 {
			c.Neg(c)
		}
		d.Coef = c
	}
	if d.Coef != nil && d.Coef.Sign() == 0 {
		d.Coef = nil
	}
	return d
}

var specialFloats = []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64, 1e-7, 1e21, 0.1, -2.5}

// randDatum returns a random value of any type.
func randDatum(r *rand.Rand, depth int) Datum {
	var d Datum
	k := r.Intn(17)
	if depth > 3 && k >= 13 {
		k = r.Intn(13)
	}
	switch k {
	case 0:
		d = TypedNull(Type(r.Intn(14)))
	case 1:
		d = Bool(r.Intn(2) == 0)
	case 2:
		d = Int(r.Int63() >> uint(r.Intn(64)) * int64(1-2*r.Intn(2)))
	case 3:
		b := new(big.Int).Rand(r, new(big.Int).Lsh(big.NewInt(1), uint(64+r.Intn(200))))
		if r.Intn(2) == 0 {
			b.Neg(b)
		}
		d = BigInt(b)
	case 4:
		if r.Intn(3) == 0 {
			d = Float(specialFloats[r.Intn(len(specialFloats))])
		} else {
			d = Float(math.Float64frombits(r.Uint64()))
		}
	case 5:
		d = DecimalValue(randDecimal(r))
	case 6:
		d = TimestampValue(randTimestamp(r))
	case 7:
		if r.Intn(8) == 0 {
			d = UnknownSymbol()
		} else {
			d = SymbolValue(randText(r))
		}
	case 8, 9:
		d = String(randText(r))
	case 10:
		d = Clob([]byte(randText(r)))
	case 11:
		b := make([]byte, r.Intn(40))
		r.Read(b)
		d = Blob(b)
	case 12:
		d = Null()
	case 13, 14:
		items := make([]Datum, r.Intn(6))
		for i := range items {
			items[i] = randDatum(r, depth+1)
		}
		if k == 13 {
			d = List(items...)
		} else {
			d = Sexp(items...)
		}
	default:
		fields := make([]Field, r.Intn(6))
		for i := range fields {
			fields[i] = F(randText(r), randDatum(r, depth+1))
			if i > 0 && r.Intn(5) == 0 {
				fields[i].Name = fields[i-1].Name // duplicate names are allowed
			}
		}
		d = Struct(fields...)
	}
	if r.Intn(10) == 0 {
		d = d.WithAnnotations(randText(r), "b")
	}
	return d
}

// TestDatumRoundTrip: random values → encode (with their symbol table) → decode → equal.
func TestDatumRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(42))
	n := 3000
	if testing.Short() {
		n = 500
	}
	for i := 0; i < n; i++ {
		d := randDatum(r, 0)
		var body Buffer
		var st Symtab
		d.Encode(&body, &st)
		if _, err := Validate(body.Bytes(), &st); err != nil {
			t.Fatalf("encoding of %s does not validate: %v", d, err)
		}
		var stream Buffer
		st.Marshal(&stream, true)
		stream.WriteRaw(body.Bytes())
		got, err := DecodeAll(stream.Bytes())
		if err != nil {
			t.Fatalf("decode of %s: %v", d, err)
		}
		if len(got) != 1 || !got[0].Equal(d) {
			t.Fatalf("round trip of %s gave %v", d, got)
		}
		if !d.Equal(d) {
			t.Fatalf("%s not equal to itself", d)
		}
	}
}

func TestDatumEqual(t *testing.T) {
	ts := Timestamp{Year: 2020, Month: 1, Day: 1, Precision: PrecisionDay}
	diff := []struct{ a, b Datum }{
		{Int(1), Float(1)},
		{Int(1), DecimalValue(NewDecimal(1, 0))},
		{Float(0), Float(math.Copysign(0, -1))},
		{DecimalValue(NewDecimal(10, -1)), DecimalValue(NewDecimal(100, -2))},
		{DecimalValue(Decimal{}), DecimalValue(Decimal{NegZero: true})},
		{String("a"), SymbolValue("a")},
		{Blob([]byte("a")), Clob([]byte("a"))},
		{Null(), TypedNull(IntType)},
		{TypedNull(IntType), TypedNull(FloatType)},
		{List(Int(1)), Sexp(Int(1))},
		{List(Int(1), Int(2)), List(Int(2), Int(1))},
		{Struct(F("a", Int(1))), Struct(F("a", Int(1)), F("a", Int(1)))},
		{Int(1).WithAnnotations("x"), Int(1)},
		{Int(1).WithAnnotations("x", "y"), Int(1).WithAnnotations("y", "x")},
		{TimestampValue(ts), TimestampValue(Timestamp{Year: 2020, Month: 1, Day: 1, Precision: PrecisionMonth})},
		{UnknownSymbol(), SymbolValue("")},
	}
	for _, c := range diff {
		if c.a.Equal(c.b) || c.b.Equal(c.a) {
			t.Errorf("%s == %s", c.a, c.b)
		}
	}
	b1, _ := new(big.Int).SetString("-9223372036854775808", 10)
	same := []struct{ a, b Datum }{
		{Int(math.MinInt64), BigInt(b1)},
		{Uint(5), Int(5)},
		{Float(math.NaN()), Float(math.NaN())},
		{Struct(F("a", Int(1)), F("b", Int(2))), Struct(F("b", Int(2)), F("a", Int(1)))},
		{Struct(F("a", Int(1)), F("a", Int(2))), Struct(F("a", Int(2)), F("a", Int(1)))},
		{TypedNull(UintType), TypedNull(IntType)},
		{Struct(), Struct()},
	}
	for _, c := range same {
		if !c.a.Equal(c.b) {
			t.Errorf("%s != %s", c.a, c.b)
		}
	}
}

func TestDecimalText(t *testing.T) {
	big1, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	cases := []struct {
		d         Decimal
		ion, json string
	}{
		{Decimal{}, "0d0", "0"},
		{Decimal{NegZero: true}, "-0d0", "-0"},
		{Decimal{NegZero: true, Exp: -1}, "-0.0", "-0.0"},
		{NewDecimal(10, -1), "1.0", "1.0"},
		{NewDecimal(-5, -3), "-0.005", "-0.005"},
		{NewDecimal(5, 2), "5d2", "5e2"},
		{NewDecimal(12, -50), "12d-50", "12e-50"},
		{Decimal{Coef: big1, Exp: -10}, "-12345678901234567890.1234567890", "-12345678901234567890.1234567890"},
	}
	for _, c := range cases {
		if got := c.d.String(); got != c.ion {
			t.Errorf("String = %s, want %s", got, c.ion)
		}
		if got := string(c.d.AppendJSON(nil)); got != c.json {
			t.Errorf("AppendJSON = %s, want %s", got, c.json)
		}
	}
	if f := NewDecimal(15, -1).Float64(); f != 1.5 {
		t.Errorf("Float64 = %v", f)
	}
}
