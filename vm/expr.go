package vm

// Expr is a compiled scalar expression. Eval computes it for the rows of sel (other rows of
// the result are MISSING) and returns a vector that stays valid until the caller releases the
// Ctx's scratch. Compiled expressions hold no mutable state, so one tree serves every worker.
type Expr interface {
	Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error)
	// String renders the expression for EXPLAIN and error messages.
	String() string
}

// generic evaluates fn row by row over boxed arguments: the reference implementation every
// operator and function has, and the fallback of every typed kernel.
func generic(c *Ctx, n int, sel Bitmap, args []*Vec, fn func(c *Ctx, args []Value) Value) *Vec {
	out := c.Vec(n)
	vals := make([]Value, len(args))
	sel.ForEach(func(i int) {
		for j, a := range args {
			vals[j] = a.Get(i)
		}
		out.Put(i, fn(c, vals))
	})
	return out
}

// evalArgs evaluates each expression over sel.
func evalArgs(c *Ctx, b *Batch, sel Bitmap, exprs []Expr) ([]*Vec, error) {
	out := make([]*Vec, len(exprs))
	for i, e := range exprs {
		v, err := e.Eval(c, b, sel)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// evalPair evaluates the two operands of a binary operator.
func evalPair(c *Ctx, b *Batch, sel Bitmap, le, re Expr) (l, r *Vec, err error) {
	if l, err = le.Eval(c, b, sel); err != nil {
		return nil, nil, err
	}
	if r, err = re.Eval(c, b, sel); err != nil {
		return nil, nil, err
	}
	return l, r, nil
}

// Const is a constant.
type Const struct{ V Value }

func (k *Const) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	out := c.Vec(b.N)
	switch k.V.k {
	case KMissing:
	case KString:
		// a constant string: one dictionary entry shared by every row
		out.S.Dict = NewDict([][]byte{k.V.b})
		out.S.Codes = sized(out.S.Codes[:0], b.N)
		clear(out.S.Codes)
		out.Strs = CopyBits(out.Strs, sel, b.N)
	default:
		sel.ForEach(func(i int) { out.Put(i, k.V) })
	}
	return out, nil
}

func (k *Const) String() string { return FormatValue(k.V) }

// Var reads a bound variable (a column of the batch).
type Var struct {
	Slot int
	Name string
}

func (x *Var) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	if x.Slot < len(b.Vars) && b.Vars[x.Slot] != nil {
		return b.Vars[x.Slot], nil
	}
	return c.Vec(b.N), nil
}

func (x *Var) String() string { return x.Name }

// Param reads a value of the outer row of a correlated subquery.
type Param struct {
	Index int
	Name  string
}

func (p *Param) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	var v Value
	if p.Index < len(c.Params) {
		v = c.Params[p.Index]
	}
	return (&Const{V: v}).Eval(c, b, sel)
}

func (p *Param) String() string { return p.Name }
