// Package vm is the vectorised executor: column vectors with lanes per type (Vec), bitmaps of
// selected rows, compiled scalar expressions (Expr) evaluated a batch at a time, the scalar
// function and aggregate tables, and the operators that the planner chains into a query.
//
// Every operation has a generic implementation over boxed Values, which defines its
// semantics, and typed loops over the lanes for the common cases; tests run both on random
// mixed-type inputs and compare them. Nothing on the scan path allocates or makes an interface
// call per row: kernels switch once per batch on a column's lanes and run a tight loop.
package vm
