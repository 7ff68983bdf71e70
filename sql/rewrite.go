package sql

// Rewrite transforms the expression e bottom-up: it first rewrites the children of e, then
// returns f applied to e (or to a copy of e holding the rewritten children). Nodes whose
// children did not change are passed to f as they are, so a rewrite that changes nothing
// returns e itself; changed nodes are shallow copies, and e is never modified.
//
// Rewrite covers every expression reachable without crossing a query boundary: the operands of
// operators and predicates, call arguments with their FILTER and OVER clauses, CASE arms, and
// struct and list members. It does not descend into subqueries (Subquery, Exists, In.Query),
// whose names live in another scope; rewrite their queries separately.
func Rewrite(e Expr, f func(Expr) Expr) Expr {
	if e == nil {
		return nil
	}
	switch x := e.(type) {
	case *Unary:
		if nx := Rewrite(x.X, f); nx != x.X {
			c := *x
			c.X = nx
			e = &c
		}
	case *Binary:
		l, r := Rewrite(x.Left, f), Rewrite(x.Right, f)
		if l != x.Left || r != x.Right {
			c := *x
			c.Left, c.Right = l, r
			e = &c
		}
	case *Not:
		if nx := Rewrite(x.X, f); nx != x.X {
			c := *x
			c.X = nx
			e = &c
		}
	case *Is:
		if nx := Rewrite(x.X, f); nx != x.X {
			c := *x
			c.X = nx
			e = &c
		}
	case *Like:
		nx, np, ne := Rewrite(x.X, f), Rewrite(x.Pattern, f), Rewrite(x.Escape, f)
		if nx != x.X || np != x.Pattern || ne != x.Escape {
			c := *x
			c.X, c.Pattern, c.Escape = nx, np, ne
			e = &c
		}
	case *Between:
		nx, lo, hi := Rewrite(x.X, f), Rewrite(x.Lo, f), Rewrite(x.Hi, f)
		if nx != x.X || lo != x.Lo || hi != x.Hi {
			c := *x
			c.X, c.Lo, c.Hi = nx, lo, hi
			e = &c
		}
	case *In:
		nx, list := Rewrite(x.X, f), rewriteList(x.List, f)
		if nx != x.X || !sameList(list, x.List) {
			c := *x
			c.X, c.List = nx, list
			e = &c
		}
	case *Case:
		op, els := Rewrite(x.Operand, f), Rewrite(x.Else, f)
		whens, changed := x.Whens, false
		for i, w := range x.Whens {
			cond, then := Rewrite(w.Cond, f), Rewrite(w.Then, f)
			if cond != w.Cond || then != w.Then {
				if !changed {
					whens = append([]*When(nil), x.Whens...)
					changed = true
				}
				whens[i] = &When{Pos: w.Pos, Cond: cond, Then: then}
			}
		}
		if changed || op != x.Operand || els != x.Else {
			c := *x
			c.Operand, c.Whens, c.Else = op, whens, els
			e = &c
		}
	case *Cast:
		if nx := Rewrite(x.X, f); nx != x.X {
			c := *x
			c.X = nx
			e = &c
		}
	case *Call:
		args, filter, over := rewriteList(x.Args, f), Rewrite(x.Filter, f), rewriteWindow(x.Over, f)
		if !sameList(args, x.Args) || filter != x.Filter || over != x.Over {
			c := *x
			c.Args, c.Filter, c.Over = args, filter, over
			e = &c
		}
	case *StructLit:
		fields, changed := x.Fields, false
		for i, fd := range x.Fields {
			if v := Rewrite(fd.Value, f); v != fd.Value {
				if !changed {
					fields = append([]*Field(nil), x.Fields...)
					changed = true
				}
				fields[i] = &Field{Pos: fd.Pos, Key: fd.Key, Value: v}
			}
		}
		if changed {
			c := *x
			c.Fields = fields
			e = &c
		}
	case *ListLit:
		if elems := rewriteList(x.Elems, f); !sameList(elems, x.Elems) {
			c := *x
			c.Elems = elems
			e = &c
		}
	}
	return f(e)
}

// rewriteList rewrites each expression; it returns list itself when nothing changed.
func rewriteList(list []Expr, f func(Expr) Expr) []Expr {
	out := list
	for i, e := range list {
		if ne := Rewrite(e, f); ne != e {
			if sameList(out, list) {
				out = append([]Expr(nil), list...)
			}
			out[i] = ne
		}
	}
	return out
}

// sameList reports whether a and b are the same slice (not merely equal contents).
func sameList(a, b []Expr) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// rewriteWindow rewrites the expressions of a window clause; it returns w itself when nothing
// changed.
func rewriteWindow(w *Window, f func(Expr) Expr) *Window {
	if w == nil {
		return nil
	}
	part := rewriteList(w.PartitionBy, f)
	order, changed := w.OrderBy, false
	for i, o := range w.OrderBy {
		if ne := Rewrite(o.Expr, f); ne != o.Expr {
			if !changed {
				order = append([]*OrderItem(nil), w.OrderBy...)
				changed = true
			}
			c := *o
			c.Expr = ne
			order[i] = &c
		}
	}
	if !changed && sameList(part, w.PartitionBy) {
		return w
	}
	return &Window{Pos: w.Pos, PartitionBy: part, OrderBy: order}
}
