package vm

import (
	"context"
	"math/rand/v2"
	"testing"
)

func newTestCtx() *Ctx { return NewCtx(context.Background(), NewMemory(0), 0) }

// TestCmpTypedMatchesGeneric runs every comparison over random mixed-type columns, against a
// constant and against another column, and checks each row against CompareValues.
func TestCmpTypedMatchesGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 200; iter++ {
		n := 1 + r.IntN(300)
		a, b := randVals(r, n), randVals(r, n)
		va, vb := vecOf(a, iter%2 == 0), vecOf(b, iter%3 == 0)
		sel := randSel(r, n)
		k := randValue(r)
		for op := OpEq; op <= OpGe; op++ {
			c := newTestCtx()
			bt := batchOf(n, va, vb)
			want := make([]Value, n)
			for i := range want {
				want[i] = CompareValues(op, a[i], k)
			}
			got, err := (&Cmp{Op: op, L: &Var{Slot: 0}, R: &Const{V: k}}).Eval(c, bt, sel)
			if err != nil {
				t.Fatal(err)
			}
			checkVec(t, "col "+op.String()+" "+FormatValue(k), got, want, sel)
			got, err = (&Cmp{Op: op.Flip(), L: &Const{V: k}, R: &Var{Slot: 0}}).Eval(c, bt, sel)
			if err != nil {
				t.Fatal(err)
			}
			checkVec(t, FormatValue(k)+" "+op.Flip().String()+" col", got, want, sel)
			for i := range want {
				want[i] = CompareValues(op, a[i], b[i])
			}
			got, err = (&Cmp{Op: op, L: &Var{Slot: 0}, R: &Var{Slot: 1}}).Eval(c, bt, sel)
			if err != nil {
				t.Fatal(err)
			}
			checkVec(t, "col "+op.String()+" col", got, want, sel)
		}
	}
}

// TestCmpSingleLane exercises the typed column-vs-column loops with homogeneous columns.
func TestCmpSingleLane(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	gens := []func() Value{
		func() Value { return Int(int64(r.IntN(5))) },
		func() Value { return Float(float64(r.IntN(5)) / 2) },
		func() Value { return Time(int64(r.IntN(5))) },
		func() Value { return String([]string{"a", "b", "c"}[r.IntN(3)]) },
	}
	for _, g := range gens {
		n := 200
		a, b := make([]Value, n), make([]Value, n)
		for i := range a {
			a[i], b[i] = g(), g()
		}
		va, vb := vecOf(a, false), vecOf(b, true)
		sel := randSel(r, n)
		for op := OpEq; op <= OpGe; op++ {
			want := make([]Value, n)
			for i := range want {
				want[i] = CompareValues(op, a[i], b[i])
			}
			got, err := (&Cmp{Op: op, L: &Var{Slot: 0}, R: &Var{Slot: 1}}).Eval(newTestCtx(), batchOf(n, va, vb), sel)
			if err != nil {
				t.Fatal(err)
			}
			checkVec(t, a[0].k.String()+" "+op.String(), got, want, sel)
		}
	}
}

// truthOf is the reference three-valued logic: TRUE, FALSE, NULL, or MISSING.
func refAnd(a, b Value) Value {
	isF := func(v Value) bool { return v.k == KBool && !v.Bool() }
	isT := func(v Value) bool { return v.k == KBool && v.Bool() }
	switch {
	case isF(a) || isF(b):
		return Bool(false)
	case isT(a) && isT(b):
		return Bool(true)
	case (isT(a) || a.k == KNull) && (isT(b) || b.k == KNull):
		return Null()
	}
	return Missing()
}

func refOr(a, b Value) Value {
	isF := func(v Value) bool { return v.k == KBool && !v.Bool() }
	isT := func(v Value) bool { return v.k == KBool && v.Bool() }
	switch {
	case isT(a) || isT(b):
		return Bool(true)
	case isF(a) && isF(b):
		return Bool(false)
	case (isF(a) || a.k == KNull) && (isF(b) || b.k == KNull):
		return Null()
	}
	return Missing()
}

func TestLogicAndIs(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for iter := 0; iter < 100; iter++ {
		n := 1 + r.IntN(200)
		a, b := randVals(r, n), randVals(r, n)
		bt := batchOf(n, vecOf(a, false), vecOf(b, false))
		sel := randSel(r, n)
		c := newTestCtx()
		x, y := &Var{Slot: 0}, &Var{Slot: 1}
		check := func(e Expr, ref func(a, b Value) Value) {
			got, err := e.Eval(c, bt, sel)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]Value, n)
			for i := range want {
				want[i] = ref(a[i], b[i])
			}
			checkVec(t, e.String(), got, want, sel)
		}
		check(&And{x, y}, refAnd)
		check(&Or{x, y}, refOr)
		check(&Not{x}, func(a, _ Value) Value {
			if a.k == KBool {
				return Bool(!a.Bool())
			}
			return Missing()
		})
		check(&Is{X: x, What: IsNull}, func(a, _ Value) Value { return Bool(a.k == KNull) })
		check(&Is{X: x, What: IsNull, Neg: true}, func(a, _ Value) Value { return Bool(a.k != KNull && a.k != KMissing) })
		check(&Is{X: x, What: IsMissing}, func(a, _ Value) Value { return Bool(a.k == KMissing) })
		check(&Is{X: x, What: IsMissing, Neg: true}, func(a, _ Value) Value { return Bool(a.k != KMissing) })
		check(&Is{X: x, What: IsTrue}, func(a, _ Value) Value { return Bool(a.IsTrue()) })
		check(&Is{X: x, What: IsTrue, Neg: true}, func(a, _ Value) Value { return Bool(!a.IsTrue()) })
		check(&Is{X: x, What: IsFalse}, func(a, _ Value) Value { return Bool(a.k == KBool && !a.Bool()) })
		check(&Is{X: x, What: IsFalse, Neg: true}, func(a, _ Value) Value { return Bool(a.IsTrue() || a.k == KMissing) })
	}
}

func TestArith(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for iter := 0; iter < 100; iter++ {
		n := 1 + r.IntN(200)
		var a, b []Value
		if iter%2 == 0 { // homogeneous numbers to reach the typed loops
			a, b = make([]Value, n), make([]Value, n)
			for i := range a {
				a[i], b[i] = Int(int64(r.IntN(9)-4)), Int(int64(r.IntN(9)-4))
				if iter%4 == 0 {
					b[i] = Float(float64(r.IntN(9)-4) / 2)
				}
			}
		} else {
			a, b = randVals(r, n), randVals(r, n)
		}
		bt := batchOf(n, vecOf(a, false), vecOf(b, false))
		sel := randSel(r, n)
		for op := OpAdd; op <= OpShrU; op++ {
			got, err := (&Arith{Op: op, L: &Var{Slot: 0}, R: &Var{Slot: 1}}).Eval(newTestCtx(), bt, sel)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]Value, n)
			for i := range want {
				want[i] = ArithValues(op, a[i], b[i])
			}
			checkVec(t, op.String(), got, want, sel)
		}
	}
	// spot values
	for _, c := range []struct {
		op   ArithOp
		a, b Value
		want Value
	}{
		{OpDiv, Int(7), Int(3), Int(2)},
		{OpDiv, Int(-7), Int(3), Int(-2)},
		{OpMod, Int(-7), Int(3), Int(-1)},
		{OpDiv, Int(1), Int(0), Float(1 / zero())},
		{OpAdd, Int(1), Float(0.5), Float(1.5)},
		{OpAdd, Int(1), String("x"), Missing()},
		{OpShl, Int(1), Int(64), Int(0)},
		{OpShr, Int(-8), Int(1), Int(-4)},
		{OpShrU, Int(-1), Int(60), Int(15)},
		{OpBitAnd, Int(6), Int(3), Int(2)},
	} {
		if got := ArithValues(c.op, c.a, c.b); !sameValue(got, c.want) {
			t.Errorf("%s %s %s = %s, want %s", FormatValue(c.a), c.op, FormatValue(c.b), FormatValue(got), FormatValue(c.want))
		}
	}
}

func zero() float64 { return 0 }
