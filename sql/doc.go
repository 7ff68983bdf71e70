// Package sql owns the text form of the Sneller SQL dialect: the lexer, the recursive-descent
// parser, the abstract syntax tree (AST) and the printer that turns any tree back into SQL.
//
// The entry points are [Parse] for a whole statement (an optional EXPLAIN around a query),
// [ParseQuery] for a query and [ParseExpr] for a lone expression. Every node records where it
// starts in the source ([Pos]); every syntax error is an [*Error] naming the line, the column
// and the offending token.
//
// The tree is shaped for the planner: expressions are small pointer structs behind the [Expr]
// interface, a query is a [Query] holding its WITH list and a [Body] (a [Select] or a [Union]),
// and FROM sources implement [From]. [Walk], [Inspect] and [Rewrite] traverse and transform
// trees, [Equal] compares two trees ignoring positions, and [Format] (also every node's String
// method) prints a tree back to SQL text that parses to an equal tree.
//
// The package decides syntax only. Which names are functions or aggregates, whether a path
// names a table or an earlier binding, and which types mix are questions for the planner.
// docs/sql.md describes the grammar as implemented.
package sql
