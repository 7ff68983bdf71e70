package sql

import "slices"

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
		if nx != x.X || !same(list, x.List) {
			c := *x
			c.X, c.List = nx, list
			e = &c
		}
	case *Case:
		op, els := Rewrite(x.Operand, f), Rewrite(x.Else, f)
		whens := rewriteEach(x.Whens, func(w *When) *When {
			cond, then := Rewrite(w.Cond, f), Rewrite(w.Then, f)
			if cond == w.Cond && then == w.Then {
				return w
			}
			return &When{Pos: w.Pos, Cond: cond, Then: then}
		})
		if !same(whens, x.Whens) || op != x.Operand || els != x.Else {
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
		if !same(args, x.Args) || filter != x.Filter || over != x.Over {
			c := *x
			c.Args, c.Filter, c.Over = args, filter, over
			e = &c
		}
	case *StructLit:
		fields := rewriteEach(x.Fields, func(fd *Field) *Field {
			if v := Rewrite(fd.Value, f); v != fd.Value {
				return &Field{Pos: fd.Pos, Key: fd.Key, Value: v}
			}
			return fd
		})
		if !same(fields, x.Fields) {
			c := *x
			c.Fields = fields
			e = &c
		}
	case *ListLit:
		if elems := rewriteList(x.Elems, f); !same(elems, x.Elems) {
			c := *x
			c.Elems = elems
			e = &c
		}
	}
	return f(e)
}

// rewriteList rewrites each expression; it returns list itself when nothing changed.
func rewriteList(list []Expr, f func(Expr) Expr) []Expr {
	return rewriteEach(list, func(e Expr) Expr { return Rewrite(e, f) })
}

// rewriteEach applies g to each element of xs. It returns xs itself when g returned every
// element unchanged, else a new slice: xs is never modified.
func rewriteEach[T comparable](xs []T, g func(T) T) []T {
	var out []T
	for i, x := range xs {
		if nx := g(x); nx != x {
			if out == nil {
				out = slices.Clone(xs)
			}
			out[i] = nx
		}
	}
	if out == nil {
		return xs
	}
	return out
}

// same reports whether a and b are the same slice (not merely equal contents).
func same[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// rewriteWindow rewrites the expressions of a window clause; it returns w itself when nothing
// changed.
func rewriteWindow(w *Window, f func(Expr) Expr) *Window {
	if w == nil {
		return nil
	}
	part := rewriteList(w.PartitionBy, f)
	order := rewriteEach(w.OrderBy, func(o *OrderItem) *OrderItem {
		ne := Rewrite(o.Expr, f)
		if ne == o.Expr {
			return o
		}
		c := *o
		c.Expr = ne
		return &c
	})
	if same(order, w.OrderBy) && same(part, w.PartitionBy) {
		return w
	}
	return &Window{Pos: w.Pos, PartitionBy: part, OrderBy: order}
}
