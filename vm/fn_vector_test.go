package vm

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The typed (Vector) implementations against Eval on random inputs: for every function that
// has one, random batches (homogeneous columns, which take the typed path, and mixed ones,
// which may fall back) are evaluated through Call and compared row by row with Eval on the
// boxed values; unselected rows must come out MISSING.

type vecArg struct {
	konst *Value                   // a constant argument
	gen   func(r *rand.Rand) Value // else a column of these
}

func constArg(v Value) vecArg                  { return vecArg{konst: &v} }
func colArg(g func(r *rand.Rand) Value) vecArg { return vecArg{gen: g} }

func genTime(r *rand.Rand) Value {
	// around the epoch, with negative values and sub-second parts, up to a few centuries
	return Time(r.Int64N(400*365*usPerDay) - 200*365*usPerDay)
}

func genString(r *rand.Rand) Value {
	parts := []string{"", " ", "a", "B", "ż", "Ó", "xyz", " \t", "KORZEŃ", "ß", "😀", "\xff"}
	var sb strings.Builder
	for n := r.IntN(5); n > 0; n-- {
		sb.WriteString(parts[r.IntN(len(parts))])
	}
	return String(sb.String())
}

func genNumber(r *rand.Rand) Value {
	switch r.IntN(4) {
	case 0:
		return Float([]float64{-2.5, -0.5, 0, 0.5, 2.5, 1e300, math.NaN(), math.Inf(-1)}[r.IntN(8)])
	case 1:
		return Float(r.NormFloat64() * 1000)
	case 2:
		return Int([]int64{math.MinInt64, math.MaxInt64, 0, -1, 1}[r.IntN(5)])
	}
	return Int(r.Int64N(2000) - 1000)
}

// mixed wraps a generator so that some rows are MISSING or of another type.
func mixed(g func(r *rand.Rand) Value) func(r *rand.Rand) Value {
	return func(r *rand.Rand) Value {
		if r.IntN(4) == 0 {
			return randValue(r)
		}
		return g(r)
	}
}

func TestVectorMatchesEval(t *testing.T) {
	type spec struct {
		fn   string
		args []vecArg
	}
	var specs []spec
	for _, p := range []string{"MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"} {
		specs = append(specs,
			spec{"DATE_ADD", []vecArg{constArg(String(p)), colArg(func(r *rand.Rand) Value { return Int(r.Int64N(200) - 100) }), colArg(genTime)}},
			spec{"DATE_DIFF", []vecArg{constArg(String(p)), colArg(genTime), colArg(genTime)}},
			spec{"DATE_TRUNC", []vecArg{constArg(String(p)), colArg(genTime)}},
		)
		if p != "WEEK" {
			specs = append(specs, spec{"EXTRACT", []vecArg{constArg(String(p)), colArg(genTime)}})
		}
	}
	specs = append(specs,
		spec{"EXTRACT", []vecArg{constArg(String("DOW")), colArg(genTime)}},
		spec{"EXTRACT", []vecArg{constArg(String("DOY")), colArg(genTime)}},
		spec{"DATE_TRUNC", []vecArg{constArg(String("WEEK(SUNDAY)")), colArg(genTime)}},
		spec{"DATE_TRUNC", []vecArg{constArg(String("WEEK(WEDNESDAY)")), colArg(genTime)}},
		spec{"DATE_ADD", []vecArg{constArg(String("YEAR")), colArg(func(r *rand.Rand) Value { return Int(r.Int64() >> r.IntN(64)) }), colArg(genTime)}},
		spec{"DATE_BIN", []vecArg{constArg(String("1 hour 30 minutes")), colArg(genTime), colArg(genTime)}},
		spec{"DATE_BIN", []vecArg{constArg(String("13 microseconds")), colArg(genTime), constArg(Time(123))}},
		spec{"TIME_BUCKET", []vecArg{colArg(genTime), constArg(Int(3600))}},
		spec{"TIME_BUCKET", []vecArg{colArg(genTime), constArg(Int(7))}},
		spec{"UPPER", []vecArg{colArg(genString)}},
		spec{"LOWER", []vecArg{colArg(genString)}},
		spec{"TRIM", []vecArg{colArg(genString)}},
		spec{"LTRIM", []vecArg{colArg(genString), constArg(String("aż "))}},
		spec{"RTRIM", []vecArg{colArg(genString)}},
		spec{"CHAR_LENGTH", []vecArg{colArg(genString)}},
		spec{"OCTET_LENGTH", []vecArg{colArg(genString)}},
		spec{"SUBSTRING", []vecArg{colArg(genString), constArg(Int(2)), constArg(Int(3))}},
		spec{"SUBSTRING", []vecArg{colArg(genString), constArg(Int(0))}},
		spec{"PMOD", []vecArg{colArg(func(r *rand.Rand) Value { return Int(r.Int64() >> r.IntN(64)) }), colArg(func(r *rand.Rand) Value { return Int(r.Int64N(20) - 10) })}},
		spec{"PMOD", []vecArg{colArg(func(r *rand.Rand) Value { return Int(r.Int64()) }), constArg(Int(math.MinInt64))}},
	)
	for _, name := range []string{"ABS", "SIGN", "ROUND", "ROUND_EVEN", "TRUNC", "FLOOR", "CEIL", "SQRT", "CBRT", "EXP", "LN",
		"LOG10", "SIN", "ATAN", "DEGREES"} {
		specs = append(specs, spec{name, []vecArg{colArg(genNumber)}})
	}

	r := rand.New(rand.NewPCG(31, 32))
	for _, sp := range specs {
		f := LookupFunc(sp.fn)
		if f == nil || f.Vector == nil {
			t.Fatalf("%s has no typed implementation", sp.fn)
		}
		for iter := 0; iter < 12; iter++ {
			n := 1 + r.IntN(300)
			homogeneous := iter%2 == 0
			var vars []*Vec
			var exprs []Expr
			cols := make([][]Value, len(sp.args))
			for j, a := range sp.args {
				if a.konst != nil {
					exprs = append(exprs, &Const{V: *a.konst})
					continue
				}
				g := a.gen
				if !homogeneous {
					g = mixed(g)
				}
				vals := make([]Value, n)
				for i := range vals {
					vals[i] = g(r)
				}
				cols[j] = vals
				exprs = append(exprs, &Var{Slot: len(vars)})
				if iter%4 == 3 {
					// every value through Put: strings land in the boxed lane, as a
					// generic implementation's output does
					v := &Vec{}
					v.Reset(n)
					for i, x := range vals {
						v.Put(i, x)
					}
					vars = append(vars, v)
					continue
				}
				vars = append(vars, vecOf(vals, iter%3 == 0))
			}
			b := batchOf(n, vars...)
			sel := randSel(r, n)
			c := newTestCtx()
			if homogeneous && sel.Any() {
				// the typed path must apply to homogeneous input
				args, err := evalArgs(c, b, sel, exprs)
				if err != nil {
					t.Fatal(err)
				}
				if f.Vector(c, args, sel, n) == nil {
					t.Fatalf("%s: the typed implementation declined homogeneous input", sp.fn)
				}
			}
			got, err := (&Call{Fn: f, Args: exprs}).Eval(c, b, sel)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]Value, n)
			args := make([]Value, len(sp.args))
			for i := range want {
				for j, a := range sp.args {
					if a.konst != nil {
						args[j] = *a.konst
					} else {
						args[j] = cols[j][i]
					}
				}
				want[i] = f.Eval(c, args)
			}
			checkVec(t, sp.fn+fmtVals(args[:0]), got, want, sel)
		}
	}
}

// benchVecFn times the call of a function over a batch, after checking once that the typed
// implementation takes it and agrees with Eval on every row.
func benchVecFn(b *testing.B, name string, n int, exprs []Expr, vars []*Vec, bytesPerRow int) {
	f := LookupFunc(name)
	bt := batchOf(n, vars...)
	c := newTestCtx()
	call := &Call{Fn: f, Args: exprs}
	args, err := evalArgs(c, bt, bt.Sel, exprs)
	if err != nil {
		b.Fatal(err)
	}
	if f.Vector(c, args, bt.Sel, n) == nil {
		b.Fatalf("%s: the typed implementation declined the input", name)
	}
	got, err := call.Eval(c, bt, bt.Sel)
	if err != nil {
		b.Fatal(err)
	}
	want := make([]Value, n)
	row := make([]Value, len(args))
	for i := range want {
		for j, a := range args {
			row[j] = a.Get(i)
		}
		want[i] = f.Eval(c, row)
	}
	checkVec(b, name, got, want, bt.Sel)
	c.Release(0)
	b.SetBytes(int64(n * bytesPerRow))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := c.Mark()
		if _, err := call.Eval(c, bt, bt.Sel); err != nil {
			b.Fatal(err)
		}
		c.Release(m)
	}
}

func BenchmarkDateTruncDay(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 4096
	vals := make([]Value, n)
	for i := range vals {
		vals[i] = genTime(r)
	}
	benchVecFn(b, "DATE_TRUNC", n, []Expr{&Const{V: String("DAY")}, &Var{Slot: 0}}, []*Vec{vecOf(vals, false)}, 8)
}

func BenchmarkDateTruncMonth(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 4096
	vals := make([]Value, n)
	for i := range vals {
		vals[i] = genTime(r)
	}
	benchVecFn(b, "DATE_TRUNC", n, []Expr{&Const{V: String("MONTH")}, &Var{Slot: 0}}, []*Vec{vecOf(vals, false)}, 8)
}

func BenchmarkExtractYear(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 4096
	vals := make([]Value, n)
	for i := range vals {
		vals[i] = genTime(r)
	}
	benchVecFn(b, "EXTRACT", n, []Expr{&Const{V: String("YEAR")}, &Var{Slot: 0}}, []*Vec{vecOf(vals, false)}, 8)
}

func BenchmarkLowerASCII(b *testing.B) {
	const n = 4096
	vals := make([]Value, n)
	for i := range vals {
		vals[i] = String("Some Mixed Case ASCII Text")
	}
	benchVecFn(b, "LOWER", n, []Expr{&Var{Slot: 0}}, []*Vec{vecOf(vals, false)}, 26)
}

func BenchmarkCharLength(b *testing.B) {
	const n = 4096
	vals := make([]Value, n)
	for i := range vals {
		vals[i] = String("zażółć gęślą jaźń")
	}
	benchVecFn(b, "CHAR_LENGTH", n, []Expr{&Var{Slot: 0}}, []*Vec{vecOf(vals, false)}, len("zażółć gęślą jaźń"))
}

func BenchmarkFloorFloat(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 4096
	vals := make([]Value, n)
	for i := range vals {
		vals[i] = Float(r.NormFloat64() * 100)
	}
	benchVecFn(b, "FLOOR", n, []Expr{&Var{Slot: 0}}, []*Vec{vecOf(vals, false)}, 8)
}
