// Package plan turns a parsed statement into an executable plan: it resolves names against
// the FROM bindings (and, for correlated subqueries, the outer query), types and folds
// constants, compiles expressions into vm.Expr trees, pushes projections and filters down to
// the scans (only referenced columns are decompressed; blocks whose summaries prove a filter
// false are skipped), pushes LIMIT into sorts as top-k, splits aggregates into per-worker
// partial states merged at the end, and executes the result over the vm operators.
package plan
