package sql

import "reflect"

// Visitor is called by Walk for every node; see go/ast.Visitor. Visit(n) returns the visitor
// for the children of n, or nil to skip them; Walk then calls Visit(nil) after the children.
type Visitor interface {
	Visit(n Node) (w Visitor)
}

// Walk traverses the tree rooted at n depth-first in source order, descending into every child
// node, including subqueries, FROM sources, window clauses and CASE arms.
func Walk(v Visitor, n Node) {
	if n == nil || isNilNode(n) {
		return
	}
	if v = v.Visit(n); v == nil {
		return
	}
	for _, c := range children(n) {
		Walk(v, c)
	}
	v.Visit(nil)
}

type inspector func(Node) bool

func (f inspector) Visit(n Node) Visitor {
	if n != nil && f(n) {
		return f
	}
	return nil
}

// Inspect calls f for every node of the tree rooted at n, depth-first in source order. If f
// returns false, Inspect skips the children of that node.
func Inspect(n Node, f func(Node) bool) { Walk(inspector(f), n) }

// isNilNode reports whether n holds a typed nil pointer.
func isNilNode(n Node) bool {
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// children lists the direct children of n in source order.
func children(n Node) []Node {
	var out []Node
	add := func(ns ...Node) {
		for _, c := range ns {
			if c != nil && !isNilNode(c) {
				out = append(out, c)
			}
		}
	}
	addExprs := func(es []Expr) {
		for _, e := range es {
			add(e)
		}
	}
	addOrder := func(os []*OrderItem) {
		for _, o := range os {
			add(o)
		}
	}
	switch n := n.(type) {
	case *Unary:
		add(n.X)
	case *Binary:
		add(n.Left, n.Right)
	case *Not:
		add(n.X)
	case *Is:
		add(n.X)
	case *Like:
		add(n.X, n.Pattern)
		add(n.Escape)
	case *Between:
		add(n.X, n.Lo, n.Hi)
	case *In:
		add(n.X)
		addExprs(n.List)
		add(n.Query)
	case *Exists:
		add(n.Query)
	case *Subquery:
		add(n.Query)
	case *Case:
		add(n.Operand)
		for _, w := range n.Whens {
			add(w)
		}
		add(n.Else)
	case *When:
		add(n.Cond, n.Then)
	case *Cast:
		add(n.X)
	case *Call:
		addExprs(n.Args)
		add(n.Filter)
		add(n.Over)
	case *Window:
		addExprs(n.PartitionBy)
		addOrder(n.OrderBy)
	case *StructLit:
		for _, f := range n.Fields {
			add(f)
		}
	case *Field:
		add(n.Value)
	case *ListLit:
		addExprs(n.Elems)
	case *Statement:
		add(n.Explain, n.Query)
	case *Query:
		for _, c := range n.With {
			add(c)
		}
		add(n.Body)
		addOrder(n.OrderBy)
		add(n.Limit, n.Offset)
	case *CTE:
		add(n.Query)
	case *Select:
		addExprs(n.DistinctOn)
		for _, it := range n.Items {
			add(it)
		}
		add(n.Into)
		add(n.From)
		add(n.Where)
		for _, g := range n.GroupBy {
			add(g)
		}
		add(n.Having)
		addOrder(n.OrderBy)
		add(n.Limit, n.Offset)
	case *SelectItem:
		add(n.Expr)
	case *GroupItem:
		add(n.Expr)
	case *OrderItem:
		add(n.Expr)
	case *Union:
		add(n.Left, n.Right)
	case *Table:
		add(n.Path)
	case *SubqueryFrom:
		add(n.Query)
	case *Append:
		for _, f := range n.Items {
			add(f)
		}
	case *Unpivot:
		add(n.Source)
	case *Join:
		add(n.Left, n.Right)
		add(n.On)
	}
	return out
}
