package sql

// Statement is what Parse returns: a query, possibly under EXPLAIN.
type Statement struct {
	Pos
	Explain *Explain // nil unless the statement starts with EXPLAIN
	Query   *Query
}

// Explain is the EXPLAIN [AS format] prefix. Format is the word after AS as written, or "".
type Explain struct {
	Pos
	Format string
}

// Query is a full query: an optional WITH list and a body. For a single SELECT the ORDER BY,
// LIMIT and OFFSET live in the Select; Query.OrderBy, Limit and Offset are used only when the
// body is a Union, where a trailing ORDER BY/LIMIT/OFFSET applies to the whole union.
type Query struct {
	Pos
	With    []*CTE
	Body    Body
	OrderBy []*OrderItem
	Limit   *Int
	Offset  *Int
}

// CTE is one name AS (query) entry of a WITH list.
type CTE struct {
	Pos
	Name  string
	Query *Query
}

// Select is one SELECT block. Distinct is plain SELECT DISTINCT; DistinctOn holds the
// expressions of SELECT DISTINCT ON (...) (then Distinct is false). From is nil for a SELECT
// without FROM. Limit and Offset are non-negative integer literals.
type Select struct {
	Pos
	Distinct   bool
	DistinctOn []Expr
	Items      []*SelectItem
	Into       *Path
	From       From
	Where      Expr
	GroupBy    []*GroupItem
	Having     Expr
	OrderBy    []*OrderItem
	Limit      *Int
	Offset     *Int
}

// SelectItem is one item of a SELECT list: an expression (*Star for *) and its output name.
// Explicit is true when the query gave the name (expr AS name or expr name); otherwise the
// parser leaves Name empty and the planner derives one.
type SelectItem struct {
	Pos
	Expr     Expr
	Name     string
	Explicit bool
}

// GroupItem is one GROUP BY expression with its optional AS name.
type GroupItem struct {
	Pos
	Expr Expr
	Name string
}

// OrderItem is one ORDER BY expression. Without NULLS LAST nulls sort first in either direction.
type OrderItem struct {
	Pos
	Expr      Expr
	Desc      bool
	NullsLast bool
}

// Union is Left UNION [ALL] Right. A chain nests to the right: A UNION B UNION C is
// Union{A, Union{B, C}}. An operand that carries its own ORDER BY/LIMIT/OFFSET was written in
// parentheses.
type Union struct {
	Pos
	All         bool
	Left, Right Body
}

func (*Select) bodyNode() {}
func (*Union) bodyNode()  {}
