package plan

import (
	"strings"

	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// groupBy plans GROUP BY and the aggregates: the output variables are the keys followed by
// the aggregates, and the returned scope resolves key expressions, key aliases and aggregate
// calls to them.
func (p *planner) groupBy(n node, s *sql.Select, calls []*sql.Call, sc *scope) (node, *scope, error) {
	var keys []vm.Expr
	out := &scope{outer: sc.outer, params: sc.params, grouped: true, pre: sc, names: sc.names}
	for i, g := range s.GroupBy {
		if err := noAggregates(g.Expr, "GROUP BY"); err != nil {
			return nil, nil, err
		}
		x, err := p.expr(g.Expr, sc)
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, x)
		out.keyStrs = append(out.keyStrs, x.String())
		alias := g.Name
		if alias == "" {
			// a grouped path is also known by its last field (GROUP BY a.b → b)
			if pth, ok := g.Expr.(*sql.Path); ok && len(pth.Steps) > 0 && !pth.Steps[len(pth.Steps)-1].IsIndex {
				alias = pth.Steps[len(pth.Steps)-1].Field
			}
		}
		out.keys = append(out.keys, groupKey{expr: g.Expr, alias: alias, slot: i})
	}
	var specs []vm.AggSpec
	for i, c := range calls {
		spec, err := p.aggSpec(c, sc)
		if err != nil {
			return nil, nil, err
		}
		specs = append(specs, spec)
		out.aggs = append(out.aggs, aggRef{call: c, slot: len(keys) + i})
	}
	out.width = len(keys) + len(specs)
	return &aggNode{in: n, keys: keys, aggs: specs}, out, nil
}

// aggSpec compiles an aggregate call in the scope of its input rows.
func (p *planner) aggSpec(c *sql.Call, sc *scope) (vm.AggSpec, error) {
	name := strings.ToUpper(c.Name)
	a := vm.LookupAgg(name)
	if a == nil {
		return vm.AggSpec{}, errorf(c, "unknown aggregate %s", name)
	}
	if a.Window {
		return vm.AggSpec{}, errorf(c, "%s is a window function: it needs OVER (ORDER BY ...)", name)
	}
	if err := a.CheckArity(len(c.Args), c.Star); err != nil {
		return vm.AggSpec{}, errorf(c, "%v", err)
	}
	spec := vm.AggSpec{Func: a}
	if c.Star {
		if name != "COUNT" {
			// SNELLER_DATASHAPE(*): the whole row
			b, ok := sc.defaultBinding()
			if !ok {
				return spec, errorf(c, "%s(*) needs a FROM clause", name)
			}
			p.need(b, nil, true)
			spec.Args = []vm.Expr{&vm.Var{Slot: b.slot, Name: b.name}}
		}
	} else {
		for i, arg := range c.Args {
			if err := noAggregates(arg, "an aggregate's arguments"); err != nil {
				return spec, err
			}
			x, err := p.expr(arg, sc)
			if err != nil {
				return spec, err
			}
			if i == 0 {
				spec.Args = []vm.Expr{x}
				spec.Opt.IntArg = isIntExpr(x)
				continue
			}
			k, ok := x.(*vm.Const)
			if !ok {
				return spec, errorf(arg, "argument %d of %s must be a constant", i+1, name)
			}
			spec.Opt.Consts = append(spec.Opt.Consts, k.V)
		}
		if a.Check != nil {
			consts := append([]vm.Value{vm.Missing()}, spec.Opt.Consts...)
			isConst := make([]bool, len(consts))
			for i := 1; i < len(isConst); i++ {
				isConst[i] = true
			}
			// the parser keeps float literals as floats: a percentile written `1` is an int
			if err := a.Check(consts, isConst); err != nil {
				return spec, errorf(c, "%s: %v", name, err)
			}
		}
	}
	if c.Filter != nil {
		f, err := p.expr(c.Filter, sc)
		if err != nil {
			return spec, err
		}
		spec.Filter = f
	}
	if c.Distinct {
		opt := spec.Opt
		spec.NewAgg = func() vm.Agg { return vm.NewDistinctAgg(a, opt) }
	}
	return spec, nil
}

// isIntExpr reports whether e is statically an integer (or MISSING).
func isIntExpr(e vm.Expr) bool {
	switch e := e.(type) {
	case *vm.Cast:
		return e.To == vm.CastInt
	case *vm.Const:
		return e.V.Kind() == vm.KInt
	}
	return false
}

// windows plans the window function calls: each adds a variable to the scope.
func (p *planner) windows(n node, calls []*sql.Call, sc *scope) (node, error) {
	var funcs []vm.WindowFunc
	var descr []string
	for _, c := range calls {
		name := strings.ToUpper(c.Name)
		f := vm.WindowFunc{}
		switch name {
		case "ROW_NUMBER":
			f.Kind = vm.WinRowNumber
		case "RANK":
			f.Kind = vm.WinRank
		case "DENSE_RANK":
			f.Kind = vm.WinDenseRank
		default:
			f.Kind = vm.WinAgg
			plain := *c
			plain.Over = nil
			spec, err := p.aggSpec(&plain, sc)
			if err != nil {
				return nil, err
			}
			f.Agg = &spec
		}
		if f.Kind != vm.WinAgg {
			if len(c.Args) != 0 {
				return nil, errorf(c, "%s takes no arguments", name)
			}
			if len(c.Over.OrderBy) == 0 {
				return nil, errorf(c, "%s needs OVER (ORDER BY ...)", name)
			}
		}
		for _, e := range c.Over.PartitionBy {
			x, err := p.expr(e, sc)
			if err != nil {
				return nil, err
			}
			f.Partition = append(f.Partition, x)
		}
		for _, o := range c.Over.OrderBy {
			x, err := p.expr(o.Expr, sc)
			if err != nil {
				return nil, err
			}
			f.Order = append(f.Order, vm.SortKey{X: x, Desc: o.Desc, NullsFirst: !o.NullsLast})
		}
		funcs = append(funcs, f)
		sc.windows = append(sc.windows, aggRef{call: c, slot: sc.width})
		sc.width++
		descr = append(descr, c.String())
	}
	return &serialNode{in: n, what: "window " + strings.Join(descr, ", "), make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op { return &vm.Window{Funcs: funcs, Next: next} }
	}}, nil
}
