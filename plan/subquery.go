package plan

import (
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

type subMode uint8

const (
	subScalar subMode = iota // (SELECT ...) as a value
	subList                  // x IN (SELECT ...): the first column as a list
	subExists                // EXISTS (SELECT ...)
)

// subquery plans a subquery used as an expression. An uncorrelated one runs once, now, and
// becomes a constant; a correlated one (it refers to the outer query) runs for each outer row.
func (p *planner) subquery(q *sql.Query, sc *scope, mode subMode, at sql.Node) (vm.Expr, error) {
	ps := &paramSet{outer: sc}
	pl, err := p.query(q, sc, ps)
	if err != nil {
		return nil, err
	}
	if mode == subList && len(pl.cols) != 1 {
		return nil, errorf(at, "the subquery of IN must return one column, not %d", len(pl.cols))
	}
	if len(ps.exprs) == 0 {
		rows, err := p.run(pl, nil)
		if err != nil {
			return nil, err
		}
		return &vm.Const{V: coerce(pl, rows, mode)}, nil
	}
	return &correlated{p: p, pl: pl, params: ps.exprs, mode: mode}, nil
}

// coerce turns a subquery's rows into the value the expression stands for: EXISTS is whether
// there is a row; IN takes the list of the first column; a scalar subquery with one column
// and at most one row (LIMIT 1, or an aggregate without GROUP BY) is that value, with several
// columns and one row a struct, and otherwise a list of structs.
func coerce(pl *planned, rows [][]vm.Value, mode subMode) vm.Value {
	switch mode {
	case subExists:
		return vm.Bool(len(rows) > 0)
	case subList:
		out := make([]vm.Value, 0, len(rows))
		for _, r := range rows {
			if !r[0].IsMissing() {
				out = append(out, r[0])
			}
		}
		return vm.List(out)
	}
	structs := func() []vm.Value {
		out := make([]vm.Value, len(rows))
		for i, r := range rows {
			out[i] = tupleRow(pl.cols, r)
		}
		return out
	}
	if pl.singleRow {
		if len(rows) == 0 {
			return vm.Missing()
		}
		if len(pl.cols) == 1 && !pl.cols[0].splice {
			return rows[0][0]
		}
		return tupleRow(pl.cols, rows[0])
	}
	return vm.List(structs())
}

// tupleRow assembles an output row from a tuple of column values.
func tupleRow(cols []outCol, t []vm.Value) vm.Value {
	fields := make([]vm.Field, 0, len(cols))
	for j, col := range cols {
		v := t[j]
		if col.splice {
			for _, f := range v.Fields() {
				fields = setField(fields, f.Name, f.Value)
			}
			continue
		}
		if !v.IsMissing() {
			fields = setField(fields, col.name, v)
		}
	}
	return vm.Struct(fields)
}

// correlated evaluates a correlated subquery for each selected row.
type correlated struct {
	p      *planner
	pl     *planned
	params []vm.Expr
	mode   subMode
}

func (c *correlated) String() string { return "(correlated subquery)" }

func (c *correlated) Eval(ctx *vm.Ctx, b *vm.Batch, sel vm.Bitmap) (*vm.Vec, error) {
	args := make([]*vm.Vec, len(c.params))
	for i, e := range c.params {
		v, err := e.Eval(ctx, b, sel)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	out := ctx.Vec(b.N)
	var err error
	sel.ForEach(func(i int) {
		if err != nil {
			return
		}
		vals := make([]vm.Value, len(args))
		for j, a := range args {
			vals[j] = a.Get(i).Clone()
		}
		var rows [][]vm.Value
		rows, err = c.p.run(c.pl, vals)
		if err == nil {
			out.Put(i, coerce(c.pl, rows, c.mode))
		}
	})
	return out, err
}

// run executes a planned query and returns its rows as tuples of the output columns.
func (p *planner) run(pl *planned, params []vm.Value) ([][]vm.Value, error) {
	ex := &executor{ctx: p.ctx, mem: p.mem, now: p.now, params: params, workers: p.opt.workers(), stats: p.stats}
	return collect(ex, pl.root)
}

// pushPrune attaches to the scans the conjuncts of a WHERE predicate that block summaries can
// check: `path op constant` on a scanned row binding.
func (p *planner) pushPrune(pred vm.Expr, sc *scope) {
	var walk func(e vm.Expr)
	walk = func(e vm.Expr) {
		switch e := e.(type) {
		case *vm.And:
			walk(e.L)
			walk(e.R)
		case *vm.Cmp:
			l, r, op := e.L, e.R, e.Op
			if _, ok := l.(*vm.Const); ok {
				l, r, op = r, l, op.Flip()
			}
			k, ok := r.(*vm.Const)
			if !ok {
				return
			}
			pth, ok := l.(*vm.Path)
			if !ok {
				return
			}
			v, ok := pth.X.(*vm.Var)
			if !ok {
				return
			}
			var names []string
			for _, s := range pth.Steps {
				if s.IsIndex {
					return
				}
				names = append(names, s.Field)
			}
			for _, b := range sc.bindings {
				if b.slot == v.Slot && b.scan != nil {
					b.scan.prune = append(b.scan.prune, pruneTerm{path: names, op: op, k: k.V})
				}
			}
		}
	}
	walk(pred)
}

// rewriteVM applies f bottom-up to the nodes of a compiled expression that can hold
// variables.
func rewriteVM(e vm.Expr, f func(vm.Expr) vm.Expr) vm.Expr {
	r := func(x vm.Expr) vm.Expr { return rewriteVM(x, f) }
	switch e := e.(type) {
	case *vm.Cmp:
		e = &vm.Cmp{Op: e.Op, L: r(e.L), R: r(e.R)}
		return f(e)
	case *vm.Arith:
		return f(&vm.Arith{Op: e.Op, L: r(e.L), R: r(e.R)})
	case *vm.And:
		return f(&vm.And{L: r(e.L), R: r(e.R)})
	case *vm.Or:
		return f(&vm.Or{L: r(e.L), R: r(e.R)})
	case *vm.Concat:
		return f(&vm.Concat{L: r(e.L), R: r(e.R)})
	case *vm.Not:
		return f(&vm.Not{X: r(e.X)})
	case *vm.Neg:
		return f(&vm.Neg{X: r(e.X)})
	case *vm.BitNot:
		return f(&vm.BitNot{X: r(e.X)})
	case *vm.Is:
		return f(&vm.Is{X: r(e.X), What: e.What, Neg: e.Neg})
	case *vm.Cast:
		return f(&vm.Cast{X: r(e.X), To: e.To})
	case *vm.Like:
		return f(&vm.Like{X: r(e.X), M: e.M, Neg: e.Neg})
	case *vm.In:
		return f(&vm.In{X: r(e.X), Set: e.Set})
	case *vm.Path:
		return f(&vm.Path{X: r(e.X), Steps: e.Steps})
	case *vm.Call:
		args := make([]vm.Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = r(a)
		}
		return f(&vm.Call{Fn: e.Fn, Args: args})
	case *vm.Coalesce:
		args := make([]vm.Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = r(a)
		}
		return f(&vm.Coalesce{Args: args})
	case *vm.NullIf:
		return f(&vm.NullIf{A: r(e.A), B: r(e.B)})
	case *vm.MakeList:
		items := make([]vm.Expr, len(e.Items))
		for i, a := range e.Items {
			items[i] = r(a)
		}
		return f(&vm.MakeList{Items: items})
	case *vm.MakeStruct:
		vals := make([]vm.Expr, len(e.Values))
		for i, a := range e.Values {
			vals[i] = r(a)
		}
		return f(&vm.MakeStruct{Names: e.Names, Values: vals})
	case *vm.Case:
		c := &vm.Case{}
		for _, w := range e.Whens {
			c.Whens = append(c.Whens, vm.When{Cond: r(w.Cond), Then: r(w.Then)})
		}
		if e.Else != nil {
			c.Else = r(e.Else)
		}
		return f(c)
	}
	return f(e)
}
