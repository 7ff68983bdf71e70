package vm

// And is three-valued conjunction: FALSE if either side is FALSE, TRUE if both are TRUE, NULL if
// the rest are TRUE or NULL, MISSING otherwise (a non-bool operand is MISSING). The right side
// is evaluated only on rows where the left is not FALSE.
type And struct{ L, R Expr }

// Or is three-valued disjunction, the dual of And; the right side is evaluated only where the
// left is not TRUE.
type Or struct{ L, R Expr }

// Not negates a bool; anything else gives MISSING.
type Not struct{ X Expr }

func (e *And) String() string { return "(" + e.L.String() + " AND " + e.R.String() + ")" }
func (e *Or) String() string  { return "(" + e.L.String() + " OR " + e.R.String() + ")" }
func (e *Not) String() string { return "(NOT " + e.X.String() + ")" }

// truth splits the selected rows of a vector into TRUE, FALSE and NULL.
func truth(v *Vec, sel Bitmap, n int) (t, f, nl Bitmap) {
	w := words(n)
	t, f, nl = make(Bitmap, w), make(Bitmap, w), make(Bitmap, w)
	for i := 0; i < w; i++ {
		s := sel.wordAt(i)
		b := v.Bools.wordAt(i) & s
		tv := v.BoolV.wordAt(i)
		t[i] = b & tv
		f[i] = b &^ tv
		nl[i] = v.Nulls.wordAt(i) & s
	}
	return
}

func logicResult(c *Ctx, n int, t, f, nl Bitmap) *Vec {
	out := c.Vec(n)
	out.Bools = OrBits(out.Bools, t, f, n)
	out.BoolV = CopyBits(out.BoolV, t, n)
	if nl.Any() {
		out.Nulls = CopyBits(out.Nulls, nl, n)
	}
	return out
}

func (e *And) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	return evalLogic(c, b, sel, e.L, e.R, false)
}

func (e *Or) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	return evalLogic(c, b, sel, e.L, e.R, true)
}

// evalLogic evaluates l AND r, or l OR r as its dual: with TRUE and FALSE swapped on the way in
// and out, OR is AND (the deciding value is FALSE for AND, TRUE for OR).
func evalLogic(c *Ctx, b *Batch, sel Bitmap, l, r Expr, or bool) (*Vec, error) {
	lv, err := l.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	lt, lf, ln := truth(lv, sel, b.N)
	if or {
		lt, lf = lf, lt
	}
	rest := AndNotBits(nil, sel, lf, b.N)
	var rt, rf, rn Bitmap
	if rest.Any() {
		rv, err := r.Eval(c, b, rest)
		if err != nil {
			return nil, err
		}
		rt, rf, rn = truth(rv, rest, b.N)
		if or {
			rt, rf = rf, rt
		}
	}
	w := words(b.N)
	t, f, nl := make(Bitmap, w), make(Bitmap, w), make(Bitmap, w)
	for i := 0; i < w; i++ {
		t[i] = lt[i] & rt.wordAt(i)
		f[i] = lf[i] | rf.wordAt(i)
		nl[i] = ((lt[i] | ln[i]) & (rt.wordAt(i) | rn.wordAt(i))) &^ t[i] &^ f[i]
	}
	if or {
		t, f = f, t
	}
	return logicResult(c, b.N, t, f, nl), nil
}

func (e *Not) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	x, err := e.X.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	t, f, _ := truth(x, sel, b.N)
	return logicResult(c, b.N, f, t, nil), nil
}

// IsWhat selects the test of an Is expression.
type IsWhat uint8

const (
	IsNull IsWhat = iota
	IsMissing
	IsTrue
	IsFalse
)

// Is is `x IS [NOT] NULL|MISSING|TRUE|FALSE`; it always gives a bool:
//   - IS NULL: TRUE only for NULL; IS NOT NULL: TRUE only for a present, non-null value (so
//     MISSING IS NOT NULL is FALSE).
//   - IS MISSING / IS NOT MISSING: absence.
//   - IS TRUE / IS FALSE: TRUE only for that bool; IS NOT TRUE is NOT (IS TRUE); IS NOT FALSE is
//     TRUE only for TRUE or MISSING.
type Is struct {
	X    Expr
	What IsWhat
	Neg  bool
}

func (e *Is) String() string {
	s := "(" + e.X.String() + " IS "
	if e.Neg {
		s += "NOT "
	}
	return s + [...]string{"NULL", "MISSING", "TRUE", "FALSE"}[e.What] + ")"
}

func (e *Is) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	x, err := e.X.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	n := b.N
	present := x.Present(nil)
	w := words(n)
	res := make(Bitmap, w)
	for i := 0; i < w; i++ {
		s := sel.wordAt(i)
		nulls := x.Nulls.wordAt(i)
		t := x.Bools.wordAt(i) & x.BoolV.wordAt(i)
		f := x.Bools.wordAt(i) &^ x.BoolV.wordAt(i)
		p := present[i]
		var r uint64
		switch e.What {
		case IsNull:
			if e.Neg {
				r = p &^ nulls
			} else {
				r = nulls
			}
		case IsMissing:
			if e.Neg {
				r = p
			} else {
				r = ^p
			}
		case IsTrue:
			if e.Neg {
				r = ^t
			} else {
				r = t
			}
		case IsFalse:
			if e.Neg {
				r = t | ^p
			} else {
				r = f
			}
		}
		res[i] = r & s
	}
	out := c.Vec(n)
	out.Bools = CopyBits(out.Bools, sel, n)
	out.BoolV = CopyBits(out.BoolV, res, n)
	return out, nil
}
