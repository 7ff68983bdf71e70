package sql

// Node is any node of the syntax tree. Every node embeds the Pos where it starts; String
// prints the node as SQL (see Format).
type Node interface {
	Position() Pos
	String() string
}

// Expr is an expression: one of the pointer types in ast_expr.go.
type Expr interface {
	Node
	exprNode()
}

// Body is the body of a query: a *Select or a *Union.
type Body interface {
	Node
	bodyNode()
}

// From is a source in a FROM clause: *Table, *ReadFile, *TableGlob, *TablePattern,
// *SubqueryFrom, *Append, *Unpivot or *Join.
type From interface {
	Node
	fromNode()
}
