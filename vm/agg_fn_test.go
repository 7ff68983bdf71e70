package vm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Tests shared by every aggregate of this package: random mixed-type inputs in several
// groups, checked against a boxed reference implementation; a two-worker split merged with
// Merge and a split sent through State/MergeState must give the same results as one pass.

// aggRef is the reference semantics of an aggregate over the values of one group.
type aggRef func(vals []Value) Value

type aggCase struct {
	name   string
	opt    AggOptions
	ref    aggRef
	gen    func(r *rand.Rand) Value // value generator (default randValue)
	approx float64                  // relative tolerance on float results (0 = exact)
}

func numbersOf(vals []Value) []Value {
	var out []Value
	for _, v := range vals {
		if v.IsNumber() {
			out = append(out, v)
		}
	}
	return out
}

func ofKind(vals []Value, k Kind) []Value {
	var out []Value
	for _, v := range vals {
		if v.k == k {
			out = append(out, v)
		}
	}
	return out
}

func refExtreme(vals []Value, max bool) Value {
	if len(vals) == 0 {
		return Null()
	}
	best := vals[0]
	for _, v := range vals[1:] {
		c := Compare(v, best)
		if (max && c > 0) || (!max && c < 0) {
			best = v
		}
	}
	return best
}

func refMinMax(max bool) aggRef {
	return func(vals []Value) Value {
		var q []Value
		for _, v := range vals {
			if v.IsNumber() || v.k == KTime {
				q = append(q, v)
			}
		}
		return refExtreme(q, max)
	}
}

func refAvg(vals []Value) Value {
	nums := numbersOf(vals)
	if len(nums) == 0 {
		return Null()
	}
	var si int64
	var sf float64
	for _, v := range nums {
		if v.k == KInt {
			si += v.Int()
		} else {
			sf += v.Float()
		}
	}
	return Float((float64(si) + sf) / float64(len(nums)))
}

func refVariance(sqrt bool) aggRef {
	return func(vals []Value) Value {
		nums := numbersOf(vals)
		if len(nums) == 0 {
			return Null()
		}
		mean := 0.0
		for _, v := range nums {
			f, _ := v.AsFloat()
			mean += f
		}
		mean /= float64(len(nums))
		ss := 0.0
		for _, v := range nums {
			f, _ := v.AsFloat()
			ss += (f - mean) * (f - mean)
		}
		r := ss / float64(len(nums))
		if sqrt {
			r = math.Sqrt(r)
		}
		return Float(r)
	}
}

func refBits(op int) aggRef {
	return func(vals []Value) Value {
		ints := ofKind(vals, KInt)
		if len(ints) == 0 {
			return Null()
		}
		x := ints[0].Int()
		for _, v := range ints[1:] {
			switch op {
			case 0:
				x &= v.Int()
			case 1:
				x |= v.Int()
			default:
				x ^= v.Int()
			}
		}
		return Int(x)
	}
}

func refBool(and bool) aggRef {
	return func(vals []Value) Value {
		bs := ofKind(vals, KBool)
		if len(bs) == 0 {
			return Null()
		}
		r := and
		for _, v := range bs {
			if and {
				r = r && v.Bool()
			} else {
				r = r || v.Bool()
			}
		}
		return Bool(r)
	}
}

func refCountDistinct(vals []Value) Value {
	var seen []Value
outer:
	for _, v := range vals {
		if v.k == KMissing {
			continue
		}
		for _, s := range seen {
			if Equal(s, v) {
				continue outer
			}
		}
		seen = append(seen, v)
	}
	return Int(int64(len(seen)))
}

// numGen draws numbers only (ints and floats with ties), for the numeric aggregates.
func numGen(r *rand.Rand) Value {
	switch r.IntN(6) {
	case 0:
		return Missing()
	case 1:
		return Float(float64(r.IntN(2000)-1000) / 8)
	case 2:
		return String("x")
	}
	return Int(int64(r.IntN(2000) - 1000))
}

func timeGen(r *rand.Rand) Value {
	switch r.IntN(5) {
	case 0:
		return Missing()
	case 1:
		return Int(int64(r.IntN(10)))
	}
	return Time(int64(r.IntN(1_000_000)) * 1_000_003)
}

var aggCases = []aggCase{
	{name: "MIN", ref: refMinMax(false)},
	{name: "MAX", ref: refMinMax(true)},
	{name: "MIN", ref: refMinMax(false), gen: numGen},
	{name: "MAX", ref: refMinMax(true), gen: numGen},
	{name: "EARLIEST", ref: func(v []Value) Value { return refExtreme(ofKind(v, KTime), false) }, gen: timeGen},
	{name: "LATEST", ref: func(v []Value) Value { return refExtreme(ofKind(v, KTime), true) }, gen: timeGen},
	{name: "AVG", ref: refAvg, gen: numGen, approx: 1e-12},
	{name: "AVG", ref: refAvg, approx: 1e-12},
	{name: "VARIANCE_POP", ref: refVariance(false), gen: numGen, approx: 1e-9},
	{name: "STDDEV", ref: refVariance(true), gen: numGen, approx: 1e-9},
	{name: "BIT_AND", ref: refBits(0), gen: numGen},
	{name: "BIT_OR", ref: refBits(1), gen: numGen},
	{name: "BIT_XOR", ref: refBits(2), gen: numGen},
	{name: "BOOL_AND", ref: refBool(true)},
	{name: "EVERY", ref: refBool(true)},
	{name: "BOOL_OR", ref: refBool(false)},
	{name: "APPROX_COUNT_DISTINCT", ref: refCountDistinct}, // small counts are exact
}

// runAgg folds vals (row i in group groups[i]) into a new aggregate state over rows [lo, hi).
func runAgg(t *testing.T, fn *AggFunc, opt AggOptions, vals []Value, groups []uint32, ngroups, lo, hi int, dict bool) Agg {
	t.Helper()
	a := fn.New(opt)
	a.Resize(ngroups)
	sel := MakeBitmap(nil, len(vals))
	for i := lo; i < hi; i++ {
		sel.Set(i)
	}
	if err := a.Update(newTestCtx(), []*Vec{vecOf(vals, dict)}, sel, groups); err != nil {
		t.Fatal(err)
	}
	return a
}

func aggResultsMatch(got, want Value, tol float64) bool {
	if tol > 0 && got.k == KFloat && want.k == KFloat {
		x, y := got.Float(), want.Float()
		return x == y || (math.IsNaN(x) && math.IsNaN(y)) || math.Abs(x-y) <= tol*math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
	}
	return sameValue(got, want)
}

func TestAggregatesAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, ac := range aggCases {
		fn := LookupAgg(ac.name)
		if fn == nil {
			t.Fatalf("%s is not registered", ac.name)
		}
		gen := ac.gen
		if gen == nil {
			gen = randValue
		}
		for iter := 0; iter < 30; iter++ {
			n := 1 + r.IntN(300)
			ngroups := 1 + r.IntN(5)
			vals := make([]Value, n)
			groups := make([]uint32, n)
			for i := range vals {
				vals[i] = gen(r)
				groups[i] = uint32(r.IntN(ngroups))
			}
			var g []uint32
			if ngroups > 1 || iter%2 == 0 {
				g = groups
			} else {
				clear(groups)
			}
			dict := iter%3 == 0
			single := runAgg(t, fn, ac.opt, vals, g, ngroups, 0, n, dict)
			split := r.IntN(n + 1)
			left := runAgg(t, fn, ac.opt, vals, g, ngroups, 0, split, dict)
			right := runAgg(t, fn, ac.opt, vals, g, ngroups, split, n, dict)
			viaState := runAgg(t, fn, ac.opt, vals, g, ngroups, 0, split, dict)
			for gi := 0; gi < ngroups; gi++ {
				left.Merge(gi, right, gi)
				if err := viaState.MergeState(gi, right.State(gi)); err != nil {
					t.Fatalf("%s: MergeState: %v", ac.name, err)
				}
			}
			for gi := 0; gi < ngroups; gi++ {
				var gv []Value
				for i, v := range vals {
					if groups[i] == uint32(gi) {
						gv = append(gv, v)
					}
				}
				want := ac.ref(gv)
				for _, c := range []struct {
					what string
					a    Agg
				}{{"single pass", single}, {"Merge", left}, {"MergeState", viaState}} {
					if got := c.a.Result(gi); !aggResultsMatch(got, want, ac.approx) {
						t.Fatalf("%s (%s), group %d of %s: got %s, want %s", ac.name, c.what, gi, fmtVals(gv), FormatValue(got), FormatValue(want))
					}
				}
			}
			if single.Size() <= 0 {
				t.Fatalf("%s: Size %d", ac.name, single.Size())
			}
		}
	}
}

// TestAggregateSpots checks documented behaviour on hand-picked inputs.
func TestAggregateSpots(t *testing.T) {
	cases := []struct {
		name string
		opt  AggOptions
		in   []Value
		want Value
	}{
		{"AVG", AggOptions{}, []Value{Int(1), Int(2)}, Float(1.5)},
		{"AVG", AggOptions{IntArg: true}, []Value{Int(1), Int(2)}, Int(1)},
		{"AVG", AggOptions{IntArg: true}, []Value{Int(-7), Int(0)}, Int(-3)},
		{"AVG", AggOptions{}, []Value{String("a"), Null()}, Null()},
		{"AVG", AggOptions{}, nil, Null()},
		{"MIN", AggOptions{}, []Value{Int(2), Float(1.5), Int(1)}, Int(1)},
		{"MIN", AggOptions{}, []Value{Int(2), Float(1.5)}, Float(1.5)},
		{"MAX", AggOptions{}, []Value{Int(2), Float(2)}, Int(2)},
		{"MAX", AggOptions{}, []Value{Float(math.NaN()), Int(3)}, Float(math.NaN())},
		{"MIN", AggOptions{}, []Value{Float(math.NaN()), Int(3)}, Int(3)},
		{"MIN", AggOptions{}, []Value{Time(5), Time(3)}, Time(3)},
		{"MAX", AggOptions{}, []Value{Time(5), Time(3), Int(7)}, Time(5)},
		{"MIN", AggOptions{}, []Value{Time(5), Int(7)}, Int(7)},
		{"MAX", AggOptions{}, []Value{String("z"), Null()}, Null()},
		{"MAX", AggOptions{}, []Value{Int(math.MinInt64)}, Int(math.MinInt64)},
		{"MIN", AggOptions{}, []Value{Int(math.MaxInt64)}, Int(math.MaxInt64)},
		{"EARLIEST", AggOptions{}, []Value{Int(1), Time(9)}, Time(9)},
		{"LATEST", AggOptions{}, []Value{Int(1)}, Null()},
		{"VARIANCE", AggOptions{}, []Value{Int(2), Int(4), Int(4), Int(4), Int(5), Int(5), Int(7), Int(9)}, Float(4)},
		{"STDDEV_POP", AggOptions{}, []Value{Int(2), Int(4), Int(4), Int(4), Int(5), Int(5), Int(7), Int(9)}, Float(2)},
		{"STDDEV_POP", AggOptions{}, []Value{Int(1e15 + 1), Int(1e15 + 3)}, Float(1)},
		{"VARIANCE_POP", AggOptions{}, []Value{Int(5)}, Float(0)},
		{"BIT_AND", AggOptions{}, []Value{Int(6), Int(3), Float(1)}, Int(2)},
		{"BIT_OR", AggOptions{}, []Value{Float(1)}, Null()},
		{"BOOL_AND", AggOptions{}, []Value{Bool(true), Int(0), String("x")}, Bool(true)},
		{"BOOL_OR", AggOptions{}, []Value{Bool(false), Null()}, Bool(false)},
		{"BOOL_OR", AggOptions{}, []Value{Null()}, Null()},
		{"APPROX_COUNT_DISTINCT", AggOptions{}, []Value{Int(1), Float(1), Null(), Null(), String("1")}, Int(3)},
		{"APPROX_COUNT_DISTINCT", AggOptions{}, []Value{Missing()}, Int(0)},
		{"APPROX_PERCENTILE", AggOptions{Consts: []Value{Float(0.5)}}, []Value{Int(1), Int(2), Int(3), Int(4), Int(5), Int(6)}, Float(3.5)},
		{"APPROX_PERCENTILE", AggOptions{Consts: []Value{Float(0.25)}}, []Value{Int(1), Int(2), Int(3), Int(4), Int(5), Int(6)}, Float(2)},
		{"APPROX_PERCENTILE", AggOptions{Consts: []Value{Float(0)}}, []Value{Int(4), Int(-2), Int(9)}, Float(-2)},
		{"APPROX_PERCENTILE", AggOptions{Consts: []Value{Float(1)}}, []Value{Int(4), Int(-2), Int(9)}, Float(9)},
		{"APPROX_PERCENTILE", AggOptions{Consts: []Value{Float(0.3)}}, []Value{Float(7.25)}, Float(7.25)},
		{"APPROX_PERCENTILE", AggOptions{Consts: []Value{Float(0.3)}}, []Value{String("x")}, Null()},
		{"APPROX_MEDIAN", AggOptions{}, []Value{Int(10), Int(1), Int(5)}, Float(5)},
		{"APPROX_MEDIAN", AggOptions{}, []Value{Float(1e300), Float(3e300)}, Float(2e300)},
	}
	for _, c := range cases {
		fn := LookupAgg(c.name)
		a := runAgg(t, fn, c.opt, c.in, nil, 1, 0, len(c.in), false)
		if got := a.Result(0); !sameValue(got, c.want) {
			t.Errorf("%s%s = %s, want %s", c.name, fmtVals(c.in), FormatValue(got), FormatValue(c.want))
		}
	}
}

// TestAggregateBadStates makes sure MergeState refuses malformed partial states instead of
// panicking or corrupting the group.
func TestAggregateBadStates(t *testing.T) {
	bad := []Value{Missing(), Null(), Int(1), String("x"), List(nil), List([]Value{Int(1)}),
		List([]Value{Int(1), Int(2), Int(3), Int(4), Int(5)}), Struct(nil)}
	for _, name := range []string{"AVG", "MIN", "MAX", "EARLIEST", "VARIANCE_POP", "BIT_AND", "BOOL_OR",
		"APPROX_COUNT_DISTINCT", "APPROX_PERCENTILE", "SNELLER_DATASHAPE"} {
		fn := LookupAgg(name)
		opt := AggOptions{}
		if name == "APPROX_PERCENTILE" {
			opt.Consts = []Value{Float(0.5)}
		}
		for _, s := range bad {
			a := fn.New(opt)
			a.Resize(1)
			err := a.MergeState(0, s)
			// NULL is a valid (empty) state for some aggregates; everything else must fail
			if err == nil && s.k != KNull && !(name == "BIT_AND" && s.k == KInt) && !(name == "BOOL_OR" && s.k == KInt) {
				t.Errorf("%s accepted the partial state %s", name, FormatValue(s))
			}
		}
	}
}

func TestAggregateNamesAndChecks(t *testing.T) {
	for name, want := range map[string]string{"AVG": "avg", "MIN": "min", "MAX": "max", "EARLIEST": "min",
		"LATEST": "max", "VARIANCE": "variance_pop", "VARIANCE_POP": "variance_pop", "STDDEV": "stddev_pop",
		"STDDEV_POP": "stddev_pop", "APPROX_COUNT_DISTINCT": "count", "APPROX_PERCENTILE": "approx_percentile",
		"SNELLER_DATASHAPE": "datashape", "BIT_AND": "", "BOOL_OR": "", "EVERY": ""} {
		fn := LookupAgg(name)
		if fn == nil {
			t.Fatalf("%s not registered", name)
		}
		if fn.DefaultName != want {
			t.Errorf("%s: default name %q, want %q", name, fn.DefaultName, want)
		}
	}
	pct := LookupAgg("APPROX_PERCENTILE")
	for _, c := range []struct {
		arg Value
		ok  bool
	}{{Float(0.5), true}, {Float(0), true}, {Float(1), true}, {Int(1), false}, {Float(1.5), false}, {Float(-0.1), false}, {String("x"), false}} {
		err := pct.Check([]Value{Missing(), c.arg}, []bool{false, true})
		if (err == nil) != c.ok {
			t.Errorf("APPROX_PERCENTILE(x, %s): Check error %v", FormatValue(c.arg), err)
		}
	}
	if pct.Check([]Value{Missing(), Missing()}, []bool{false, false}) == nil {
		t.Error("APPROX_PERCENTILE accepted a non-constant percentile")
	}
	acd := LookupAgg("APPROX_COUNT_DISTINCT")
	for p := int64(0); p < 20; p++ {
		err := acd.Check([]Value{Missing(), Int(p)}, []bool{false, true})
		if ok := p >= 4 && p <= 16; (err == nil) != ok {
			t.Errorf("APPROX_COUNT_DISTINCT(x, %d): Check error %v", p, err)
		}
	}
}

// benchAgg times folding vals (row i in group groups[i], or all in group 0 when groups is nil)
// into an aggregate, after checking once that each group's result is ref's, within the
// relative tolerance tol (for floats and, for an approximate count, ints).
func benchAgg(b *testing.B, name string, vals []Value, groups []uint32, ngroups int, ref aggRef, tol float64) {
	fn := LookupAgg(name)
	a := fn.New(AggOptions{})
	a.Resize(ngroups)
	v := vecOf(vals, false)
	sel := FullBitmap(nil, len(vals))
	c := newTestCtx()
	if err := a.Update(c, []*Vec{v}, sel, groups); err != nil {
		b.Fatal(err)
	}
	for g := 0; g < ngroups; g++ {
		var gv []Value
		for i, x := range vals {
			if groups == nil || groups[i] == uint32(g) {
				gv = append(gv, x)
			}
		}
		got, want := a.Result(g), ref(gv)
		ok := aggResultsMatch(got, want, tol)
		if !ok && tol > 0 && got.k == KInt && want.k == KInt {
			ok = math.Abs(float64(got.Int()-want.Int())) <= tol*float64(want.Int())
		}
		if !ok {
			b.Fatalf("%s, group %d: got %s, want %s", name, g, FormatValue(got), FormatValue(want))
		}
	}
	b.SetBytes(int64(8 * len(vals)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := a.Update(c, []*Vec{v}, sel, groups); err != nil {
			b.Fatal(err)
		}
	}
}

func benchInts(n int) []Value {
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]Value, n)
	for i := range vals {
		vals[i] = Int(r.Int64N(1 << 40))
	}
	return vals
}

func benchGroups(n, ngroups int) []uint32 {
	r := rand.New(rand.NewPCG(3, 4))
	g := make([]uint32, n)
	for i := range g {
		g[i] = uint32(r.IntN(ngroups))
	}
	return g
}

func BenchmarkMaxInts(b *testing.B) { benchAgg(b, "MAX", benchInts(4096), nil, 1, refMinMax(true), 0) }
func BenchmarkMaxIntsGrouped(b *testing.B) {
	benchAgg(b, "MAX", benchInts(4096), benchGroups(4096, 100), 100, refMinMax(true), 0)
}
func BenchmarkAvgInts(b *testing.B) { benchAgg(b, "AVG", benchInts(4096), nil, 1, refAvg, 1e-12) }
func BenchmarkAvgIntsGrouped(b *testing.B) {
	benchAgg(b, "AVG", benchInts(4096), benchGroups(4096, 100), 100, refAvg, 1e-12)
}

func BenchmarkLatestTimes(b *testing.B) {
	vals := benchInts(4096)
	for i, v := range vals {
		vals[i] = Time(v.Int())
	}
	benchAgg(b, "LATEST", vals, nil, 1, func(v []Value) Value { return refExtreme(ofKind(v, KTime), true) }, 0)
}

func BenchmarkApproxCountDistinctInts(b *testing.B) {
	// about 410 distinct values a group: within 3 standard errors of the default precision
	se := 1.04 / math.Sqrt(1<<HLLDefaultPrecision)
	benchAgg(b, "APPROX_COUNT_DISTINCT", benchInts(4096), benchGroups(4096, 10), 10, refCountDistinct, 3*se)
}
