package vm

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

// Table-driven tests of every scalar function's generic implementation (Eval): edge cases of
// types (MISSING, NULL, wrong types), empty strings, Unicode, negative numbers, calendar
// corners. The typed implementations are compared with Eval in fn_vector_test.go.

func ts(s string) Value {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return Time(t.UnixMicro())
}

type fnCase struct {
	fn   string
	args []Value
	want Value
}

func callFn(t *testing.T, name string, args []Value) Value {
	t.Helper()
	f := LookupFunc(name)
	if f == nil {
		t.Fatalf("function %s is not registered", name)
	}
	if err := f.CheckArity(len(args)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f.Eval(NewCtx(context.Background(), nil, 1_700_000_000_123_456), args)
}

func runFnCases(t *testing.T, cases []fnCase) {
	t.Helper()
	for _, c := range cases {
		got := callFn(t, c.fn, c.args)
		if !sameValue(got, c.want) {
			t.Errorf("%s%s = %s (%s), want %s (%s)", c.fn, fmtVals(c.args), FormatValue(got), got.k, FormatValue(c.want), c.want.k)
		}
	}
}

var (
	M   = Missing()
	N   = Null()
	S   = String
	I   = Int
	F   = Float
	B   = Bool
	inf = math.Inf(1)
	nan = math.NaN()
)

func TestDateFunctions(t *testing.T) {
	runFnCases(t, []fnCase{
		// DATE_ADD
		{"DATE_ADD", []Value{S("DAY"), I(1), ts("2024-02-28T10:00:00Z")}, ts("2024-02-29T10:00:00Z")},
		{"DATE_ADD", []Value{S("DAYS"), I(-1), ts("2024-03-01T00:00:00Z")}, ts("2024-02-29T00:00:00Z")},
		{"DATE_ADD", []Value{S("MONTH"), I(1), ts("2024-01-31T00:00:00Z")}, ts("2024-03-02T00:00:00Z")}, // leap year overflow
		{"DATE_ADD", []Value{S("MONTH"), I(1), ts("2023-01-31T00:00:00Z")}, ts("2023-03-03T00:00:00Z")},
		{"DATE_ADD", []Value{S("MONTH"), I(-13), ts("2023-03-15T12:34:56.789Z")}, ts("2022-02-15T12:34:56.789Z")},
		{"DATE_ADD", []Value{S("YEAR"), I(1), ts("2024-02-29T00:00:00Z")}, ts("2025-03-01T00:00:00Z")},
		{"DATE_ADD", []Value{S("YEAR"), I(4), ts("2024-02-29T00:00:00Z")}, ts("2028-02-29T00:00:00Z")},
		{"DATE_ADD", []Value{S("QUARTER"), I(1), ts("2023-11-30T00:00:00Z")}, ts("2024-03-01T00:00:00Z")},
		{"DATE_ADD", []Value{S("WEEK"), I(2), ts("1969-12-25T00:00:00Z")}, ts("1970-01-08T00:00:00Z")},
		{"DATE_ADD", []Value{S("HOUR"), I(25), ts("1900-01-01T00:00:00Z")}, ts("1900-01-02T01:00:00Z")},
		{"DATE_ADD", []Value{S("MINUTE"), I(-1), ts("1970-01-01T00:00:00Z")}, ts("1969-12-31T23:59:00Z")},
		{"DATE_ADD", []Value{S("SECOND"), I(1), ts("1999-12-31T23:59:59Z")}, ts("2000-01-01T00:00:00Z")},
		{"DATE_ADD", []Value{S("MILLISECOND"), I(1500), ts("2000-01-01T00:00:00Z")}, ts("2000-01-01T00:00:01.5Z")},
		{"DATE_ADD", []Value{S("MICROSECONDS"), I(1), ts("2000-01-01T00:00:00Z")}, ts("2000-01-01T00:00:00.000001Z")},
		{"DATE_ADD", []Value{S("DAY"), F(2), ts("2000-01-01T00:00:00Z")}, ts("2000-01-03T00:00:00Z")},
		{"DATE_ADD", []Value{S("DAY"), F(1.5), ts("2000-01-01T00:00:00Z")}, M},
		{"DATE_ADD", []Value{S("DAY"), N, ts("2000-01-01T00:00:00Z")}, M},
		{"DATE_ADD", []Value{S("DAY"), I(1), M}, M},
		{"DATE_ADD", []Value{S("DAY"), I(1), N}, M},
		{"DATE_ADD", []Value{S("DAY"), I(1), S("2000-01-01")}, M},
		{"DATE_ADD", []Value{S("DOW"), I(1), ts("2000-01-01T00:00:00Z")}, M},
		{"DATE_ADD", []Value{S("DAY"), I(math.MaxInt64), ts("2000-01-01T00:00:00Z")}, M}, // overflow
		{"DATE_ADD", []Value{S("YEAR"), I(1 << 50), ts("2000-01-01T00:00:00Z")}, M},
		// DATE_DIFF
		{"DATE_DIFF", []Value{S("DAY"), ts("2000-01-01T00:00:00Z"), ts("2000-01-02T23:59:59Z")}, I(1)},
		{"DATE_DIFF", []Value{S("DAY"), ts("2000-01-02T23:59:59Z"), ts("2000-01-01T00:00:00Z")}, I(-1)},
		{"DATE_DIFF", []Value{S("HOUR"), ts("1969-12-31T23:30:00Z"), ts("1970-01-01T00:29:00Z")}, I(0)},
		{"DATE_DIFF", []Value{S("MONTH"), ts("2000-01-31T00:00:00Z"), ts("2000-02-29T00:00:00Z")}, I(0)},
		{"DATE_DIFF", []Value{S("MONTH"), ts("2000-01-29T00:00:00Z"), ts("2000-02-29T00:00:00Z")}, I(1)},
		{"DATE_DIFF", []Value{S("MONTH"), ts("2000-02-29T00:00:00Z"), ts("2000-01-29T00:00:00Z")}, I(-1)},
		{"DATE_DIFF", []Value{S("QUARTER"), ts("2000-01-01T00:00:00Z"), ts("2000-12-31T00:00:00Z")}, I(3)},
		{"DATE_DIFF", []Value{S("YEAR"), ts("2000-02-29T00:00:00Z"), ts("2001-02-28T00:00:00Z")}, I(0)},
		{"DATE_DIFF", []Value{S("YEAR"), ts("2000-02-29T00:00:00Z"), ts("2004-02-29T00:00:00Z")}, I(4)},
		{"DATE_DIFF", []Value{S("WEEK"), ts("2000-01-01T00:00:00Z"), ts("2000-01-15T00:00:00Z")}, I(2)},
		{"DATE_DIFF", []Value{S("MICROSECOND"), ts("2000-01-01T00:00:00Z"), ts("2000-01-01T00:00:00.5Z")}, I(500000)},
		{"DATE_DIFF", []Value{S("SECOND"), ts("2000-01-01T00:00:00Z"), I(1)}, M},
		{"DATE_DIFF", []Value{S("SECOND"), M, ts("2000-01-01T00:00:00Z")}, M},
		{"DATE_DIFF", []Value{S("DAY"), Time(math.MinInt64), Time(math.MaxInt64)}, I(math.MaxInt64/usPerDay - math.MinInt64/usPerDay)},
		// DATE_TRUNC
		{"DATE_TRUNC", []Value{S("YEAR"), ts("2024-07-15T10:11:12.5Z")}, ts("2024-01-01T00:00:00Z")},
		{"DATE_TRUNC", []Value{S("QUARTER"), ts("2024-08-15T10:11:12.5Z")}, ts("2024-07-01T00:00:00Z")},
		{"DATE_TRUNC", []Value{S("MONTH"), ts("2024-02-29T23:59:59.999999Z")}, ts("2024-02-01T00:00:00Z")},
		{"DATE_TRUNC", []Value{S("DAY"), ts("1969-12-31T23:59:59Z")}, ts("1969-12-31T00:00:00Z")},
		{"DATE_TRUNC", []Value{S("HOUR"), ts("1969-12-31T23:59:59Z")}, ts("1969-12-31T23:00:00Z")},
		{"DATE_TRUNC", []Value{S("MINUTE"), ts("1960-06-01T12:34:56Z")}, ts("1960-06-01T12:34:00Z")},
		{"DATE_TRUNC", []Value{S("SECOND"), ts("1960-06-01T12:34:56.999Z")}, ts("1960-06-01T12:34:56Z")},
		{"DATE_TRUNC", []Value{S("MILLISECOND"), ts("1960-06-01T12:34:56.999999Z")}, ts("1960-06-01T12:34:56.999Z")},
		{"DATE_TRUNC", []Value{S("WEEK(MONDAY)"), ts("2024-01-07T10:00:00Z")}, ts("2024-01-01T00:00:00Z")}, // a Sunday
		{"DATE_TRUNC", []Value{S("WEEK(SUNDAY)"), ts("2024-01-07T10:00:00Z")}, ts("2024-01-07T00:00:00Z")},
		{"DATE_TRUNC", []Value{S("WEEK(SATURDAY)"), ts("2024-01-05T10:00:00Z")}, ts("2023-12-30T00:00:00Z")},
		{"DATE_TRUNC", []Value{S("WEEK"), ts("1970-01-01T10:00:00Z")}, ts("1969-12-29T00:00:00Z")},
		{"DATE_TRUNC", []Value{S("WEEK(FUNDAY)"), ts("2024-01-05T10:00:00Z")}, M},
		{"DATE_TRUNC", []Value{S("DOY"), ts("2024-01-05T10:00:00Z")}, M},
		{"DATE_TRUNC", []Value{S("DAY"), I(3)}, M},
		// EXTRACT
		{"EXTRACT", []Value{S("YEAR"), ts("0001-01-01T00:00:00Z")}, I(1)},
		{"EXTRACT", []Value{S("YEAR"), ts("1969-12-31T23:59:59Z")}, I(1969)},
		{"EXTRACT", []Value{S("MONTH"), ts("2024-02-29T00:00:00Z")}, I(2)},
		{"EXTRACT", []Value{S("DAY"), ts("2024-02-29T00:00:00Z")}, I(29)},
		{"EXTRACT", []Value{S("DOY"), ts("2024-12-31T00:00:00Z")}, I(366)},
		{"EXTRACT", []Value{S("DOY"), ts("2023-12-31T00:00:00Z")}, I(365)},
		{"EXTRACT", []Value{S("DOW"), ts("1970-01-01T00:00:00Z")}, I(4)},
		{"EXTRACT", []Value{S("DOW"), ts("1969-12-28T23:00:00Z")}, I(0)},
		{"EXTRACT", []Value{S("QUARTER"), ts("2024-10-01T00:00:00Z")}, I(4)},
		{"EXTRACT", []Value{S("HOUR"), ts("1969-12-31T22:59:59Z")}, I(22)},
		{"EXTRACT", []Value{S("MINUTE"), ts("1969-12-31T22:59:59Z")}, I(59)},
		{"EXTRACT", []Value{S("SECOND"), ts("1969-12-31T22:59:58.75Z")}, I(58)},
		{"EXTRACT", []Value{S("MILLISECOND"), ts("2000-01-01T00:00:12.345678Z")}, I(12345)},
		{"EXTRACT", []Value{S("MICROSECOND"), ts("2000-01-01T00:00:12.345678Z")}, I(12345678)},
		{"EXTRACT", []Value{S("WEEK"), ts("2000-01-01T00:00:12Z")}, M},
		{"EXTRACT", []Value{S("YEAR"), S("2000")}, M},
		// DATE_BIN and TIME_BUCKET
		{"DATE_BIN", []Value{S("1 hour 30 minutes"), ts("2000-01-01T04:10:00Z"), ts("2000-01-01T00:00:00Z")}, ts("2000-01-01T03:00:00Z")},
		{"DATE_BIN", []Value{S("15 minutes"), ts("1999-12-31T23:59:00Z"), ts("2000-01-01T00:00:00Z")}, ts("1999-12-31T23:45:00Z")},
		{"DATE_BIN", []Value{S("1 week"), ts("2000-01-10T00:00:00Z"), ts("2000-01-03T00:00:00Z")}, ts("2000-01-10T00:00:00Z")},
		{"DATE_BIN", []Value{S("1 month"), ts("2000-01-10T00:00:00Z"), ts("2000-01-03T00:00:00Z")}, M},
		{"DATE_BIN", []Value{S("1 day"), I(1), ts("2000-01-03T00:00:00Z")}, M},
		{"TIME_BUCKET", []Value{ts("1970-01-01T01:29:59Z"), I(3600)}, I(3600)},
		{"TIME_BUCKET", []Value{ts("1969-12-31T23:59:59Z"), I(60)}, I(-60)},
		{"TIME_BUCKET", []Value{ts("1970-01-01T00:00:00.5Z"), I(1)}, I(0)},
		{"TIME_BUCKET", []Value{ts("1970-01-01T01:29:59Z"), I(0)}, M},
		{"TIME_BUCKET", []Value{I(5), I(60)}, M},
		// epoch conversions and UTCNOW
		{"TO_UNIX_EPOCH", []Value{ts("1970-01-01T00:00:01.9Z")}, I(1)},
		{"TO_UNIX_EPOCH", []Value{ts("1969-12-31T23:59:59.5Z")}, I(-1)},
		{"TO_UNIX_MICRO", []Value{ts("1970-01-01T00:00:01.000002Z")}, I(1_000_002)},
		{"TO_UNIX_MICRO", []Value{I(3)}, M},
		{"UTCNOW", nil, Time(1_700_000_000_123_456)},
	})
}

func TestStringFunctions(t *testing.T) {
	runFnCases(t, []fnCase{
		{"TRIM", []Value{S("  a b \t\n")}, S("a b")},
		{"TRIM", []Value{S("")}, S("")},
		{"TRIM", []Value{S("   ")}, S("")},
		{"TRIM", []Value{S("\u00a0x\u00a0")}, S("\u00a0x\u00a0")}, // only ASCII white space by default
		{"TRIM", []Value{S("xxhixx"), S("x")}, S("hi")},
		{"TRIM", []Value{S("żżhiż"), S("ż")}, S("hi")},
		{"TRIM", []Value{S("abc"), S("")}, S("abc")},
		{"TRIM", []Value{I(1)}, M},
		{"TRIM", []Value{N}, M},
		{"TRIM", []Value{S("x"), I(1)}, M},
		{"LTRIM", []Value{S("  a  ")}, S("a  ")},
		{"RTRIM", []Value{S("  a  ")}, S("  a")},
		{"LTRIM", []Value{S("xyxa"), S("xy")}, S("a")},
		{"RTRIM", []Value{S("axyx"), S("xy")}, S("a")},
		{"UPPER", []Value{S("abcż ß ǆ")}, S("ABCŻ ß Ǆ")},
		{"UPPER", []Value{S("")}, S("")},
		{"LOWER", []Value{S("ĄĆĘ KORZEŃ")}, S("ąćę korzeń")},
		{"LOWER", []Value{S("ABC\xff")}, S("abc\uFFFD")},
		{"UPPER", []Value{N}, M},
		{"LOWER", []Value{I(1)}, M},
		{"CHAR_LENGTH", []Value{S("")}, I(0)},
		{"CHAR_LENGTH", []Value{S("żółw")}, I(4)},
		{"CHARACTER_LENGTH", []Value{S("a😀b")}, I(3)},
		{"CHAR_LENGTH", []Value{S("\xff\xfe")}, I(2)},
		{"CHAR_LENGTH", []Value{N}, M},
		{"OCTET_LENGTH", []Value{S("żółw")}, I(7)},
		{"OCTET_LENGTH", []Value{I(1)}, M},
		{"SUBSTRING", []Value{S("abcdef"), I(2), I(3)}, S("bcd")},
		{"SUBSTRING", []Value{S("abcdef"), I(0), I(3)}, S("abc")},
		{"SUBSTRING", []Value{S("abcdef"), I(-5), I(3)}, S("abc")},
		{"SUBSTRING", []Value{S("abcdef"), I(4)}, S("def")},
		{"SUBSTRING", []Value{S("abcdef"), I(7)}, S("")},
		{"SUBSTRING", []Value{S("abcdef"), I(2), I(-1)}, S("")},
		{"SUBSTRING", []Value{S("abcdef"), I(2), I(100)}, S("bcdef")},
		{"SUBSTRING", []Value{S("żółw"), I(2), I(2)}, S("ół")},
		{"SUBSTRING", []Value{S("abc"), F(2)}, S("bc")},
		{"SUBSTRING", []Value{S("abc"), F(1.5)}, M},
		{"SUBSTRING", []Value{S("abc"), N}, M},
		{"SUBSTRING", []Value{I(123), I(1)}, M},
		{"SPLIT_PART", []Value{S("a;b;c"), S(";"), I(1)}, S("a")},
		{"SPLIT_PART", []Value{S("a;b;c"), S(";"), I(3)}, S("c")},
		{"SPLIT_PART", []Value{S("a;b;c"), S(";"), I(4)}, M},
		{"SPLIT_PART", []Value{S("a;b;c"), S(";"), I(0)}, M},
		{"SPLIT_PART", []Value{S(";;"), S(";"), I(2)}, S("")},
		{"SPLIT_PART", []Value{S("a--b"), S("--"), I(2)}, S("b")},
		{"SPLIT_PART", []Value{S("ża;ół"), S(";"), I(2)}, S("ół")},
		{"SPLIT_PART", []Value{S("abc"), S(""), I(1)}, M},
		{"SPLIT_PART", []Value{S("abc"), I(1), I(1)}, M},
		// fuzzy
		{"EQUALS_FUZZY", []Value{S("Nicole Kidman"), S("nicole kidman"), I(0)}, B(true)},
		{"EQUALS_FUZZY", []Value{S("nicol kidman"), S("Nicole Kidman"), I(1)}, B(true)},
		{"EQUALS_FUZZY", []Value{S("nic kidman"), S("Nicole Kidman"), I(2)}, B(false)},
		{"EQUALS_FUZZY", []Value{S("ab"), S("ba"), I(1)}, B(true)},  // transposition
		{"EQUALS_FUZZY", []Value{S("ca"), S("abc"), I(2)}, B(true)}, // unrestricted: ca → ac → abc
		{"EQUALS_FUZZY", []Value{S(""), S("abc"), I(2)}, B(false)},
		{"EQUALS_FUZZY", []Value{S(""), S("abc"), I(3)}, B(true)},
		{"EQUALS_FUZZY", []Value{S("ŻÓŁW"), S("żółw"), I(0)}, B(false)}, // ASCII folding only, bytes
		{"EQUALS_FUZZY_UNICODE", []Value{S("ŻÓŁW"), S("żółw"), I(0)}, B(true)},
		{"EQUALS_FUZZY_UNICODE", []Value{S("żółw"), S("zolw"), I(3)}, B(true)},
		{"EQUALS_FUZZY_UNICODE", []Value{S("żółw"), S("zolw"), I(2)}, B(false)},
		{"CONTAINS_FUZZY", []Value{S("the niclXoe kidman show"), S("Nicole Kidman"), I(2)}, B(true)},
		{"CONTAINS_FUZZY", []Value{S("xxabcxx"), S("abc"), I(0)}, B(true)},
		{"CONTAINS_FUZZY", []Value{S("xxabxx"), S("abc"), I(0)}, B(false)},
		{"CONTAINS_FUZZY", []Value{S("xxabxx"), S("abc"), I(1)}, B(true)},
		{"CONTAINS_FUZZY", []Value{S("anything"), S(""), I(0)}, B(true)},
		{"CONTAINS_FUZZY_UNICODE", []Value{S("w ŻÓŁWIU"), S("żółw"), I(0)}, B(true)},
		{"CONTAINS_FUZZY", []Value{I(1), S("a"), I(1)}, M},
		{"CONTAINS_FUZZY", []Value{S("a"), S("a"), I(-1)}, M},
		// IS_SUBNET_OF
		{"IS_SUBNET_OF", []Value{S("10.0.0.0/8"), S("10.255.1.2")}, B(true)},
		{"IS_SUBNET_OF", []Value{S("10.0.0.0/8"), S("11.0.0.0")}, B(false)},
		{"IS_SUBNET_OF", []Value{S("0.0.0.0/0"), S("1.2.3.4")}, B(true)},
		{"IS_SUBNET_OF", []Value{S("1.2.3.4/32"), S("1.2.3.4")}, B(true)},
		{"IS_SUBNET_OF", []Value{S("1.2.3.4/32"), S("1.2.3.5")}, B(false)},
		{"IS_SUBNET_OF", []Value{S("128.1.2.3"), S("128.1.2.5"), S("128.001.002.005")}, B(true)},
		{"IS_SUBNET_OF", []Value{S("128.1.2.3"), S("128.1.2.5"), S("128.1.2.6")}, B(false)},
		{"IS_SUBNET_OF", []Value{S("10.0.0.0/8"), S("10.0.0")}, B(false)},
		{"IS_SUBNET_OF", []Value{S("10.0.0.0/8"), S("10.0.0.256")}, B(false)},
		{"IS_SUBNET_OF", []Value{S("10.0.0.0/8"), S("10.0.0.1 ")}, B(false)},
		{"IS_SUBNET_OF", []Value{S("10.0.0.0/8"), I(1)}, M},
		{"IS_SUBNET_OF", []Value{S("10.0.0.0/33"), S("10.0.0.1")}, M},
	})
}

func TestMathFunctions(t *testing.T) {
	runFnCases(t, []fnCase{
		{"ABS", []Value{I(-3)}, I(3)},
		{"ABS", []Value{I(math.MinInt64)}, F(9223372036854775808)},
		{"ABS", []Value{F(-0.5)}, F(0.5)},
		{"ABS", []Value{F(math.Inf(-1))}, F(inf)},
		{"ABS", []Value{N}, M},
		{"ABS", []Value{S("-1")}, M},
		{"SIGN", []Value{I(-7)}, I(-1)},
		{"SIGN", []Value{I(0)}, I(0)},
		{"SIGN", []Value{F(2.5)}, F(1)},
		{"SIGN", []Value{F(nan)}, F(nan)},
		{"ROUND", []Value{F(2.5)}, F(3)},
		{"ROUND", []Value{F(-2.5)}, F(-3)},
		{"ROUND", []Value{I(7)}, I(7)},
		{"ROUND_EVEN", []Value{F(2.5)}, F(2)},
		{"ROUND_EVEN", []Value{F(3.5)}, F(4)},
		{"TRUNC", []Value{F(-2.7)}, F(-2)},
		{"FLOOR", []Value{F(-2.1)}, F(-3)},
		{"FLOOR", []Value{I(-2)}, I(-2)},
		{"CEIL", []Value{F(-2.1)}, F(-2)},
		{"CEILING", []Value{F(2.1)}, F(3)},
		{"SQRT", []Value{I(16)}, F(4)},
		{"SQRT", []Value{F(-1)}, F(nan)},
		{"SQRT", []Value{B(true)}, M},
		{"CBRT", []Value{I(-27)}, F(-3)},
		{"EXP", []Value{I(0)}, F(1)},
		{"EXP", []Value{F(1000)}, F(inf)},
		{"EXPM1", []Value{F(0)}, F(0)},
		{"EXP2", []Value{I(10)}, F(1024)},
		{"EXP10", []Value{I(3)}, F(1000)},
		{"LN", []Value{I(1)}, F(0)},
		{"LN", []Value{I(0)}, F(math.Inf(-1))},
		{"LN", []Value{I(-1)}, F(nan)},
		{"LN1P", []Value{F(0)}, F(0)},
		{"LOG2", []Value{I(1024)}, F(10)},
		{"LOG10", []Value{I(1000)}, F(3)},
		{"LOG", []Value{I(100)}, F(2)},
		{"LOG", []Value{I(2), I(8)}, F(3)},
		{"LOG", []Value{I(2), S("8")}, M},
		{"POW", []Value{I(2), I(10)}, F(1024)},
		{"POWER", []Value{F(4), F(0.5)}, F(2)},
		{"POW", []Value{I(0), I(0)}, F(1)},
		{"POW", []Value{N, I(1)}, M},
		{"HYPOT", []Value{I(3), I(4)}, F(5)},
		{"ATAN2", []Value{I(0), I(-1)}, F(math.Pi)},
		{"PI", nil, F(math.Pi)},
		{"DEGREES", []Value{F(math.Pi)}, F(180)},
		{"RADIANS", []Value{I(180)}, F(math.Pi)},
		{"SIN", []Value{I(0)}, F(0)},
		{"COS", []Value{I(0)}, F(1)},
		{"TAN", []Value{I(0)}, F(0)},
		{"ASIN", []Value{I(1)}, F(math.Pi / 2)},
		{"ACOS", []Value{I(1)}, F(0)},
		{"ATAN", []Value{F(inf)}, F(math.Pi / 2)},
		{"ASIN", []Value{I(2)}, F(nan)},
		// PMOD
		{"PMOD", []Value{I(-7), I(3)}, I(2)},
		{"PMOD", []Value{I(7), I(-3)}, I(1)},
		{"PMOD", []Value{I(-7), I(-3)}, I(2)},
		{"PMOD", []Value{I(7), I(0)}, M},
		{"PMOD", []Value{I(math.MinInt64), I(-1)}, I(0)},
		{"PMOD", []Value{I(-1), I(math.MinInt64)}, I(math.MaxInt64)},
		{"PMOD", []Value{F(-7.5), I(2)}, F(0.5)},
		{"PMOD", []Value{F(1), F(0)}, M},
		{"PMOD", []Value{S("1"), I(2)}, M},
		// GREATEST / LEAST
		{"GREATEST", []Value{I(1), F(2.5), I(2)}, F(2.5)},
		{"GREATEST", []Value{I(3), F(3)}, I(3)},
		{"LEAST", []Value{I(1), F(-2.5), I(2)}, F(-2.5)},
		{"LEAST", []Value{ts("2000-01-01T00:00:00Z"), ts("1999-01-01T00:00:00Z")}, ts("1999-01-01T00:00:00Z")},
		{"GREATEST", []Value{I(1), ts("1999-01-01T00:00:00Z")}, M},
		{"GREATEST", []Value{I(1), N}, M},
		{"LEAST", []Value{I(1), M}, M},
		{"GREATEST", []Value{S("a"), S("b")}, M},
		{"GREATEST", []Value{F(nan), I(1)}, F(nan)},
		// WIDTH_BUCKET
		{"WIDTH_BUCKET", []Value{I(5), I(0), I(10), I(5)}, I(3)},
		{"WIDTH_BUCKET", []Value{I(-1), I(0), I(10), I(5)}, I(0)},
		{"WIDTH_BUCKET", []Value{I(10), I(0), I(10), I(5)}, I(6)},
		{"WIDTH_BUCKET", []Value{F(9.99), I(0), I(10), I(5)}, I(5)},
		{"WIDTH_BUCKET", []Value{I(9), I(10), I(0), I(5)}, I(1)}, // descending
		{"WIDTH_BUCKET", []Value{I(1), I(10), I(0), I(5)}, I(5)},
		{"WIDTH_BUCKET", []Value{I(5), I(0), I(10), I(0)}, M},
		{"WIDTH_BUCKET", []Value{I(5), I(3), I(3), I(2)}, M},
		{"WIDTH_BUCKET", []Value{S("5"), I(0), I(10), I(2)}, M},
		{"WIDTH_BUCKET", []Value{I(math.MaxInt64 - 1), I(math.MinInt64), I(math.MaxInt64), I(4)}, I(4)},
		// BIT_COUNT
		{"BIT_COUNT", []Value{I(0)}, I(0)},
		{"BIT_COUNT", []Value{I(-1)}, I(64)},
		{"BIT_COUNT", []Value{I(0b1011)}, I(3)},
		{"BIT_COUNT", []Value{F(3)}, M},
	})
}

func TestOtherFunctions(t *testing.T) {
	list := List([]Value{I(1), S("a"), N, List([]Value{I(2)}), F(3)})
	st := Struct([]Field{{"a", I(1)}, {"b", I(2)}})
	runFnCases(t, []fnCase{
		{"SIZE", []Value{list}, I(5)},
		{"SIZE", []Value{st}, I(2)},
		{"SIZE", []Value{List(nil)}, I(0)},
		{"SIZE", []Value{S("abc")}, M},
		{"ARRAY_SIZE", []Value{list}, I(5)},
		{"ARRAY_SIZE", []Value{st}, M},
		{"ARRAY_SIZE", []Value{N}, M},
		{"ARRAY_CONTAINS", []Value{list, F(1)}, B(true)},
		{"ARRAY_CONTAINS", []Value{list, N}, B(true)},
		{"ARRAY_CONTAINS", []Value{list, List([]Value{I(2)})}, B(true)},
		{"ARRAY_CONTAINS", []Value{list, S("b")}, B(false)},
		{"ARRAY_CONTAINS", []Value{list, M}, M},
		{"ARRAY_CONTAINS", []Value{S("a"), S("a")}, M},
		{"ARRAY_POSITION", []Value{list, I(3)}, I(5)},
		{"ARRAY_POSITION", []Value{list, N}, I(3)},
		{"ARRAY_POSITION", []Value{list, I(9)}, M},
		{"ARRAY_SUM", []Value{list}, F(4)},
		{"ARRAY_SUM", []Value{List(nil)}, F(0)},
		{"ARRAY_SUM", []Value{st}, M},
		{"INNER_PRODUCT", []Value{List([]Value{I(1), I(2)}), List([]Value{F(3), I(4)})}, F(11)},
		{"L1_DISTANCE", []Value{List([]Value{I(1), I(2)}), List([]Value{F(3), I(-4)})}, F(8)},
		{"L2_DISTANCE", []Value{List([]Value{I(0), I(0)}), List([]Value{I(3), I(4)})}, F(5)},
		{"COSINE_DISTANCE", []Value{List([]Value{I(1), I(0)}), List([]Value{I(0), I(5)})}, F(1)},
		{"COSINE_DISTANCE", []Value{List([]Value{I(2), I(2)}), List([]Value{I(1), I(1)})}, F(0)},
		{"INNER_PRODUCT", []Value{List([]Value{I(1)}), List([]Value{I(1), I(2)})}, M},
		{"INNER_PRODUCT", []Value{List([]Value{S("x")}), List([]Value{I(1)})}, M},
		{"L2_DISTANCE", []Value{List(nil), List(nil)}, F(0)},
		{"TYPE_BIT", []Value{M}, I(0)},
		{"TYPE_BIT", []Value{N}, I(1)},
		{"TYPE_BIT", []Value{B(false)}, I(2)},
		{"TYPE_BIT", []Value{I(1)}, I(4)},
		{"TYPE_BIT", []Value{F(1)}, I(4)},
		{"TYPE_BIT", []Value{ts("2000-01-01T00:00:00Z")}, I(8)},
		{"TYPE_BIT", []Value{S("")}, I(16)},
		{"TYPE_BIT", []Value{list}, I(32)},
		{"TYPE_BIT", []Value{st}, I(64)},
		{"TYPE_BIT", []Value{Other([]byte{0x51, 0xC1})}, I(4)},                   // decimal
		{"TYPE_BIT", []Value{Other([]byte{0xE4, 0x81, 0x84, 0x21, 0x01})}, I(4)}, // annotated int
		{"TYPE_BIT", []Value{Other([]byte{0xA0})}, I(0)},                         // blob
		// geo
		{"GEO_HASH", []Value{F(52.37403), F(4.88969), I(8)}, S("u173zq2s")},
		{"GEO_HASH", []Value{F(-90), F(-180), I(3)}, S("000")},
		{"GEO_HASH", []Value{F(90), F(180), I(2)}, S("zz")},
		{"GEO_HASH", []Value{F(91), F(0), I(2)}, M},
		{"GEO_HASH", []Value{F(0), F(0), I(13)}, M},
		{"GEO_TILE_X", []Value{F(-180), I(3)}, I(0)},
		{"GEO_TILE_X", []Value{F(180), I(3)}, I(7)},
		{"GEO_TILE_Y", []Value{F(89.9), I(3)}, I(0)},
		{"GEO_TILE_Y", []Value{F(-89.9), I(3)}, I(7)},
		{"GEO_TILE_Y", []Value{F(0), I(1)}, I(1)},
		{"GEO_TILE_ES", []Value{F(52.37403), F(4.88969), I(8)}, S("8/131/84")},
		{"GEO_TILE_ES", []Value{F(52.37403), S("x"), I(8)}, M},
		{"GEO_DISTANCE", []Value{I(0), I(0), I(0), I(0)}, F(0)},
		{"GEO_DISTANCE", []Value{I(0), I(0), I(0), I(180)}, F(math.Pi * earthRadius)},
		{"GEO_DISTANCE", []Value{I(0), I(0), N, I(180)}, M},
	})
}

// TestChecks covers the plan-time validation of constant arguments.
func TestChecks(t *testing.T) {
	check := func(name string, consts []Value, isConst []bool) error {
		t.Helper()
		f := LookupFunc(name)
		if f.Check == nil {
			t.Fatalf("%s has no Check", name)
		}
		return f.Check(consts, isConst)
	}
	k := []bool{true, false, false}
	for _, c := range []struct {
		fn   string
		part string
		ok   bool
	}{
		{"DATE_ADD", "DAY", true}, {"DATE_ADD", "days", true}, {"DATE_ADD", "DOW", false}, {"DATE_ADD", "FORTNIGHT", false},
		{"DATE_DIFF", "QUARTER", true}, {"DATE_DIFF", "DOY", false},
		{"DATE_TRUNC", "WEEK(MONDAY)", true}, {"DATE_TRUNC", "week( sunday )", true}, {"DATE_TRUNC", "WEEK(MONDAYS)", false},
		{"DATE_TRUNC", "DOW", false}, {"EXTRACT", "DOW", true}, {"EXTRACT", "WEEK", false}, {"EXTRACT", "MICROSECONDS", true},
	} {
		err := check(c.fn, []Value{S(c.part), M, M}, k)
		if (err == nil) != c.ok {
			t.Errorf("%s(%s): error %v", c.fn, c.part, err)
		}
		if err != nil && !strings.Contains(err.Error(), c.fn) {
			t.Errorf("%s(%s): error %q does not name the function", c.fn, c.part, err)
		}
	}
	if err := check("DATE_ADD", []Value{M, M, M}, []bool{false, false, false}); err == nil {
		t.Error("DATE_ADD accepted a non-constant part")
	}
	if err := check("DATE_BIN", []Value{S("5 minutes"), M, M}, k); err != nil {
		t.Error(err)
	}
	if err := check("DATE_BIN", []Value{S("5 moons"), M, M}, k); err == nil {
		t.Error("DATE_BIN accepted '5 moons'")
	}
	if err := check("IS_SUBNET_OF", []Value{S("1.2.3.0/24"), M}, []bool{true, false}); err != nil {
		t.Error(err)
	}
	if err := check("IS_SUBNET_OF", []Value{S("1.2.3.0/24"), M}, []bool{false, false}); err == nil {
		t.Error("IS_SUBNET_OF accepted a non-constant range")
	}
	if err := check("IS_SUBNET_OF", []Value{S("1.2.3.9"), S("1.2.3.1"), M}, []bool{true, true, false}); err == nil {
		t.Error("IS_SUBNET_OF accepted an inverted range")
	}
	if err := check("EQUALS_FUZZY", []Value{M, M, I(-1)}, []bool{false, false, true}); err == nil {
		t.Error("EQUALS_FUZZY accepted a negative distance")
	}
}

// TestFunctionInventory makes sure every callable function of the dialect is registered.
func TestFunctionInventory(t *testing.T) {
	for _, name := range strings.Fields(`TRIM LTRIM RTRIM UPPER LOWER CHAR_LENGTH CHARACTER_LENGTH OCTET_LENGTH
		SUBSTRING SPLIT_PART EQUALS_FUZZY EQUALS_FUZZY_UNICODE CONTAINS_FUZZY CONTAINS_FUZZY_UNICODE IS_SUBNET_OF
		ABS SIGN ROUND ROUND_EVEN TRUNC FLOOR CEIL CEILING SQRT CBRT EXP EXPM1 EXP2 EXP10 HYPOT LN LN1P LOG LOG2
		LOG10 POW POWER PI DEGREES RADIANS SIN COS TAN ASIN ACOS ATAN ATAN2 PMOD LEAST GREATEST WIDTH_BUCKET
		BIT_COUNT DATE_ADD DATE_DIFF DATE_TRUNC EXTRACT DATE_BIN TIME_BUCKET TO_UNIX_EPOCH TO_UNIX_MICRO UTCNOW
		GEO_HASH GEO_TILE_X GEO_TILE_Y GEO_TILE_ES GEO_DISTANCE SIZE ARRAY_SIZE ARRAY_CONTAINS ARRAY_POSITION
		ARRAY_SUM INNER_PRODUCT L1_DISTANCE L2_DISTANCE COSINE_DISTANCE TYPE_BIT`) {
		if LookupFunc(strings.ToLower(name)) == nil {
			t.Errorf("function %s is not registered", name)
		}
	}
	for _, name := range strings.Fields(`COUNT SUM AVG MIN MAX EARLIEST LATEST VARIANCE VARIANCE_POP STDDEV
		STDDEV_POP BIT_AND BIT_OR BIT_XOR BOOL_AND EVERY BOOL_OR APPROX_COUNT_DISTINCT APPROX_PERCENTILE
		APPROX_MEDIAN SNELLER_DATASHAPE`) {
		if LookupAgg(name) == nil {
			t.Errorf("aggregate %s is not registered", name)
		}
	}
	if !LookupFunc("UTCNOW").Volatile {
		t.Error("UTCNOW must be volatile")
	}
}
