package vm

import "strings"

// When is one arm of a searched CASE.
type When struct {
	Cond, Then Expr
}

// Case is the searched CASE: the first arm whose condition is TRUE gives the value; without a
// matching arm the value is Else, or MISSING when there is no ELSE. (The simple form `CASE x
// WHEN v ...` is planned as `x = v` conditions.)
type Case struct {
	Whens []When
	Else  Expr
}

func (e *Case) String() string {
	var sb strings.Builder
	sb.WriteString("CASE")
	for _, w := range e.Whens {
		sb.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Then.String())
	}
	if e.Else != nil {
		sb.WriteString(" ELSE " + e.Else.String())
	}
	sb.WriteString(" END")
	return sb.String()
}

func (e *Case) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	n := b.N
	out := c.Vec(n)
	rest := sel.Clone()
	for _, w := range e.Whens {
		if !rest.Any() {
			break
		}
		cv, err := w.Cond.Eval(c, b, rest)
		if err != nil {
			return nil, err
		}
		t, _, _ := truth(cv, rest, n)
		if !t.Any() {
			continue
		}
		tv, err := w.Then.Eval(c, b, t)
		if err != nil {
			return nil, err
		}
		CopyRows(out, tv, t)
		rest = AndNotBits(rest, rest, t, n)
	}
	if e.Else != nil && rest.Any() {
		ev, err := e.Else.Eval(c, b, rest)
		if err != nil {
			return nil, err
		}
		CopyRows(out, ev, rest)
	}
	return out, nil
}

// CopyRows stores the rows of src selected by rows into dst (same row numbering).
func CopyRows(dst, src *Vec, rows Bitmap) {
	rows.ForEach(func(i int) { dst.Put(i, src.Get(i)) })
}

// Coalesce returns its first argument that is neither NULL nor MISSING, else NULL.
type Coalesce struct{ Args []Expr }

func (e *Coalesce) String() string { return "COALESCE(" + joinExprs(e.Args) + ")" }

func (e *Coalesce) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	n := b.N
	out := c.Vec(n)
	rest := sel.Clone()
	for _, a := range e.Args {
		if !rest.Any() {
			break
		}
		v, err := a.Eval(c, b, rest)
		if err != nil {
			return nil, err
		}
		got := AndNotBits(nil, v.Present(nil), v.Nulls, n)
		got = AndBits(got, got, rest, n)
		CopyRows(out, v, got)
		rest = AndNotBits(rest, rest, got, n)
	}
	rest.ForEach(out.SetNull)
	return out, nil
}

// NullIf is NULLIF(a, b): NULL when a = b, else a.
type NullIf struct{ A, B Expr }

func (e *NullIf) String() string { return "NULLIF(" + e.A.String() + ", " + e.B.String() + ")" }

func (e *NullIf) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	a, err := e.A.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	bv, err := e.B.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	return generic(c, b.N, sel, []*Vec{a, bv}, func(_ *Ctx, v []Value) Value {
		if v[0].k != KMissing && v[1].k != KMissing && Equal(v[0], v[1]) {
			return Null()
		}
		return v[0]
	}), nil
}

func joinExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, x := range es {
		parts[i] = x.String()
	}
	return strings.Join(parts, ", ")
}

// MakeStruct builds a struct from (name, value) pairs; fields whose value is MISSING are left
// out.
type MakeStruct struct {
	Names  []string
	Values []Expr
}

func (e *MakeStruct) String() string {
	parts := make([]string, len(e.Names))
	for i := range e.Names {
		parts[i] = QuoteString(e.Names[i]) + ": " + e.Values[i].String()
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (e *MakeStruct) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	args, err := evalArgs(c, b, sel, e.Values)
	if err != nil {
		return nil, err
	}
	names := e.Names
	return generic(c, b.N, sel, args, func(_ *Ctx, v []Value) Value {
		fields := make([]Field, 0, len(v))
		for i, x := range v {
			if x.k != KMissing {
				fields = append(fields, Field{Name: names[i], Value: x.Clone()})
			}
		}
		return Value{k: KStruct, c: &composite{fields: fields}}
	}), nil
}

// MakeList builds a list; MISSING elements are left out.
type MakeList struct{ Items []Expr }

func (e *MakeList) String() string { return "[" + joinExprs(e.Items) + "]" }

func (e *MakeList) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	args, err := evalArgs(c, b, sel, e.Items)
	if err != nil {
		return nil, err
	}
	return generic(c, b.N, sel, args, func(_ *Ctx, v []Value) Value {
		items := make([]Value, 0, len(v))
		for _, x := range v {
			if x.k != KMissing {
				items = append(items, x.Clone())
			}
		}
		return List(items)
	}), nil
}
