package plan

import (
	"strings"

	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// selectQuery plans one SELECT: FROM, WHERE, GROUP BY and aggregates, window functions,
// HAVING, the select list, DISTINCT, ORDER BY, DISTINCT ON, LIMIT/OFFSET.
func (p *planner) selectQuery(s *sql.Select, outer *scope, params *paramSet) (*planned, error) {
	s = resolveSelectRefs(s)
	sc := &scope{outer: outer, params: params, names: bareNames(s)}
	var n node
	if s.From == nil {
		n = &rowsNode{rows: [][]vm.Value{{}}, width: 0, what: "single row"}
	} else {
		var err error
		if n, err = p.from(s.From, sc); err != nil {
			return nil, err
		}
	}
	if s.Where != nil {
		if err := noAggregates(s.Where, "WHERE"); err != nil {
			return nil, err
		}
		pred, err := p.expr(s.Where, sc)
		if err != nil {
			return nil, err
		}
		p.pushPrune(pred, sc)
		n = filterNode(n, pred)
	}

	// aggregates and windows referenced by the select list, HAVING and ORDER BY
	var exprs []sql.Expr
	for _, it := range s.Items {
		exprs = append(exprs, it.Expr)
	}
	if s.Having != nil {
		exprs = append(exprs, s.Having)
	}
	for _, o := range s.OrderBy {
		exprs = append(exprs, o.Expr)
	}
	aggCalls, winCalls := collectCalls(exprs)
	grouped := len(s.GroupBy) > 0 || len(aggCalls) > 0
	if grouped {
		var err error
		if n, sc, err = p.groupBy(n, s, aggCalls, sc); err != nil {
			return nil, err
		}
	}
	if len(winCalls) > 0 {
		var err error
		if n, err = p.windows(n, winCalls, sc); err != nil {
			return nil, err
		}
	}
	if s.Having != nil {
		pred, err := p.expr(s.Having, sc)
		if err != nil {
			return nil, err
		}
		n = filterNode(n, pred)
	}

	// the select list: computed into variables 0..m-1, the input's variables kept after them
	// for ORDER BY
	var items []vm.Expr
	var cols []outCol
	var names []string
	var explicit []bool
	inline := map[string]vm.Expr{}
	for _, it := range s.Items {
		if _, ok := it.Expr.(*sql.Star); ok {
			for _, b := range sc.bindings {
				items = append(items, &vm.Var{Slot: b.slot, Name: b.name})
				if b.row {
					cols = append(cols, outCol{splice: true})
					p.need(b, nil, true)
				} else {
					cols = append(cols, outCol{})
				}
				names = append(names, b.name)
				explicit = append(explicit, !b.row)
			}
			continue
		}
		x, err := p.exprInline(it.Expr, sc, inline)
		if err != nil {
			return nil, err
		}
		items = append(items, x)
		cols = append(cols, outCol{})
		name := it.Name
		if !it.Explicit {
			name = implicitName(it.Expr)
		}
		names = append(names, name)
		explicit = append(explicit, it.Explicit)
		if it.Explicit && it.Name != "" {
			inline[it.Name] = x
		}
	}
	final := outputNames(s.Items, names, explicit)
	for i := range cols {
		if !cols[i].splice {
			cols[i].name = final[i]
		}
	}
	m := len(items)
	keep := make([]int, sc.width)
	for i := range keep {
		keep[i] = i
	}
	proj := items
	n = &streamNode{in: n, what: "project " + joinVM(proj), make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op { return &vm.Project{Exprs: proj, Keep: keep, Next: next} }
	}}
	// rebase the scope past the select items; select names become aliases
	sc = sc.shift(m)
	sc.aliases = map[string]int{}
	sc.ncols = m
	for i, c := range cols {
		if !c.splice && c.name != "" {
			if _, dup := sc.aliases[c.name]; !dup {
				sc.aliases[c.name] = i
			}
		}
	}

	if s.Distinct {
		keys := make([]vm.Expr, m)
		for i := range keys {
			keys[i] = &vm.Var{Slot: i, Name: final[i]}
		}
		mkDistinct := func() func(vm.Op) vm.Op {
			return func(next vm.Op) vm.Op { return &vm.Distinct{Keys: keys, Next: next} }
		}
		n = &serialNode{in: n, what: "distinct", make: mkDistinct, partial: mkDistinct}
	}
	limit, offset := s.Limit, s.Offset
	var distinctOn []vm.Expr
	for _, e := range s.DistinctOn {
		x, err := p.expr(e, sc)
		if err != nil {
			return nil, err
		}
		distinctOn = append(distinctOn, x)
	}
	if len(distinctOn) > 0 {
		// DISTINCT ON keeps the first row of each key in ORDER BY order: sort first, then
		// de-duplicate, then limit
		var err error
		if n, err = p.orderLimit(n, s.OrderBy, nil, nil, sc, nil); err != nil {
			return nil, err
		}
		keys := distinctOn
		n = &serialNode{in: n, what: "distinct on " + joinVM(keys), make: func() func(vm.Op) vm.Op {
			return func(next vm.Op) vm.Op { return &vm.Distinct{Keys: keys, Next: next} }
		}}
		if n, err = p.orderLimit(n, nil, limit, offset, sc, nil); err != nil {
			return nil, err
		}
	} else {
		var bound *vm.TopKBound
		if !grouped && len(winCalls) == 0 && !s.Distinct {
			bound = &vm.TopKBound{}
		}
		var err error
		if n, err = p.orderLimit(n, s.OrderBy, limit, offset, sc, bound); err != nil {
			return nil, err
		}
	}
	// keep only the output columns
	out := make([]vm.Expr, m)
	for i := range out {
		out[i] = &vm.Var{Slot: i, Name: final[i]}
	}
	n = &streamNode{in: n, what: "output " + strings.Join(final, ", "), make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op { return &vm.Project{Exprs: out, Next: next} }
	}}
	single := (grouped && len(s.GroupBy) == 0) || (s.Limit != nil && s.Limit.Value <= 1)
	return &planned{root: n, cols: cols, singleRow: single}, nil
}

// exprInline compiles a select item; a bare name that is an earlier item's alias means that
// item's expression.
func (p *planner) exprInline(e sql.Expr, sc *scope, inline map[string]vm.Expr) (vm.Expr, error) {
	if len(inline) == 0 {
		return p.expr(e, sc)
	}
	saved := sc.aliases
	defer func() { sc.aliases = saved }()
	// aliases resolve to variables; the inline ones are substituted afterwards
	sub := map[string]int{}
	for k, v := range saved {
		sub[k] = v
	}
	fake := map[int]vm.Expr{}
	next := -1000
	for name, x := range inline {
		if _, isBinding := sc.lookup(name); isBinding {
			continue
		}
		sub[name] = next
		fake[next] = x
		next--
	}
	sc.aliases = sub
	x, err := p.expr(e, sc)
	if err != nil {
		return nil, err
	}
	return substVars(x, fake), nil
}

// substVars replaces the variables in fake by their expressions.
func substVars(e vm.Expr, fake map[int]vm.Expr) vm.Expr {
	return rewriteVM(e, func(x vm.Expr) vm.Expr {
		if v, ok := x.(*vm.Var); ok {
			if r, ok := fake[v.Slot]; ok {
				return r
			}
		}
		return x
	})
}

func filterNode(n node, pred vm.Expr) node {
	return &streamNode{in: n, what: "filter " + pred.String(), make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op { return &vm.Filter{Pred: pred, Next: next} }
	}}
}

func joinVM(es []vm.Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

// shift returns the scope after m new variables were put in front of the existing ones.
func (s *scope) shift(m int) *scope {
	c := s.clone()
	for i := range c.bindings {
		c.bindings[i].slot += m
	}
	for i := range c.keys {
		c.keys[i].slot += m
	}
	for i := range c.aggs {
		c.aggs[i].slot += m
	}
	for i := range c.windows {
		c.windows[i].slot += m
	}
	c.width += m
	return c
}

// noAggregates reports an error when e contains an aggregate call outside a subquery.
func noAggregates(e sql.Expr, clause string) error {
	aggs, wins := collectCalls([]sql.Expr{e})
	if len(aggs) > 0 {
		return errorf(aggs[0], "aggregate %s is not allowed in %s", strings.ToUpper(aggs[0].Name), clause)
	}
	if len(wins) > 0 {
		return errorf(wins[0], "window function %s is not allowed in %s", strings.ToUpper(wins[0].Name), clause)
	}
	return nil
}

// collectCalls finds the distinct aggregate calls and window calls in exprs, not looking
// into subqueries nor into the arguments of aggregates; the arguments and the OVER clause of a
// window call are searched for aggregates (`RANK() OVER (ORDER BY SUM(x))`).
func collectCalls(exprs []sql.Expr) (aggs, wins []*sql.Call) {
	add := func(list []*sql.Call, c *sql.Call) []*sql.Call {
		for _, x := range list {
			if sql.Equal(x, c) {
				return list
			}
		}
		return append(list, c)
	}
	var visit func(e sql.Node)
	visit = func(e sql.Node) {
		sql.Inspect(e, func(n sql.Node) bool {
			switch n := n.(type) {
			case *sql.Subquery, *sql.Exists:
				return false
			case *sql.In:
				if n.Query != nil {
					visit(n.X)
					return false
				}
			case *sql.Call:
				if n.Over != nil {
					wins = add(wins, n)
					for _, a := range n.Args {
						visit(a)
					}
					for _, a := range n.Over.PartitionBy {
						visit(a)
					}
					for _, o := range n.Over.OrderBy {
						visit(o.Expr)
					}
					if n.Filter != nil {
						visit(n.Filter)
					}
					return false
				}
				if vm.LookupAgg(n.Name) != nil {
					aggs = add(aggs, n)
					return false
				}
			}
			return true
		})
	}
	for _, e := range exprs {
		visit(e)
	}
	return aggs, wins
}

// bareNames collects the roots of the paths a SELECT uses outside its subqueries.
func bareNames(s *sql.Select) map[string]bool {
	out := map[string]bool{}
	var exprs []sql.Node
	for _, it := range s.Items {
		exprs = append(exprs, it.Expr)
	}
	for _, e := range []sql.Expr{s.Where, s.Having} {
		if e != nil {
			exprs = append(exprs, e)
		}
	}
	for _, g := range s.GroupBy {
		exprs = append(exprs, g.Expr)
	}
	for _, o := range s.OrderBy {
		exprs = append(exprs, o.Expr)
	}
	for _, e := range exprs {
		sql.Inspect(e, func(n sql.Node) bool {
			switch n := n.(type) {
			case *sql.Subquery, *sql.Exists:
				return false
			case *sql.In:
				if n.Query != nil {
					return false
				}
			case *sql.Path:
				out[n.Root] = true
			}
			return true
		})
	}
	return out
}

// resolveSelectRefs returns s with GROUP BY items that name a select item (by its alias, or by
// its 1-based position) replaced by that item's expression, and HAVING's references to select
// aliases replaced the same way (`SELECT TIME_BUCKET(t, 60) AS b, COUNT(*) AS n ... GROUP BY b
// HAVING n > 1`). A name that the FROM clause binds keeps its meaning.
func resolveSelectRefs(s *sql.Select) *sql.Select {
	aliases := map[string]sql.Expr{}
	for _, it := range s.Items {
		if it.Explicit && it.Name != "" {
			if _, star := it.Expr.(*sql.Star); !star {
				aliases[it.Name] = it.Expr
			}
		}
	}
	bound := fromNames(s.From)
	byAlias := func(e sql.Expr) (sql.Expr, bool) {
		pth, ok := e.(*sql.Path)
		if !ok || len(pth.Steps) > 0 || bound[pth.Root] {
			return nil, false
		}
		x, ok := aliases[pth.Root]
		return x, ok
	}
	changed := false
	groups := s.GroupBy
	for i, g := range s.GroupBy {
		var repl sql.Expr
		if x, ok := byAlias(g.Expr); ok {
			if pth, same := x.(*sql.Path); !same || pth.Root != g.Expr.(*sql.Path).Root || len(pth.Steps) > 0 {
				repl = x
			}
		} else if n, ok := g.Expr.(*sql.Int); ok && n.Value >= 1 && int(n.Value) <= len(s.Items) {
			if _, star := s.Items[n.Value-1].Expr.(*sql.Star); !star {
				repl = s.Items[n.Value-1].Expr
			}
		}
		if repl == nil {
			continue
		}
		if !changed {
			groups = append([]*sql.GroupItem(nil), s.GroupBy...)
			changed = true
		}
		gi := *g
		gi.Expr = repl
		if gi.Name == "" {
			if pth, ok := g.Expr.(*sql.Path); ok {
				gi.Name = pth.Root
			}
		}
		groups[i] = &gi
	}
	having := s.Having
	if having != nil && len(aliases) > 0 {
		having = sql.Rewrite(having, func(e sql.Expr) sql.Expr {
			if x, ok := byAlias(e); ok {
				changed = true
				return x
			}
			return e
		})
	}
	if !changed {
		return s
	}
	c := *s
	c.GroupBy, c.Having = groups, having
	return &c
}

// fromNames returns the binding names a FROM clause introduces.
func fromNames(f sql.From) map[string]bool {
	out := map[string]bool{}
	var walk func(f sql.From)
	walk = func(f sql.From) {
		switch f := f.(type) {
		case *sql.Table:
			if f.Alias != "" {
				out[f.Alias] = true
			} else if len(f.Path.Steps) > 0 {
				out[f.Path.Steps[len(f.Path.Steps)-1].Field] = true
			} else {
				out[f.Path.Root] = true
			}
		case *sql.SubqueryFrom:
			out[f.Alias] = true
		case *sql.ReadFile:
			out[f.Alias] = true
		case *sql.Join:
			walk(f.Left)
			walk(f.Right)
		case *sql.Unpivot:
			out[f.As] = true
			out[f.At] = true
		case *sql.Append:
			out[f.Alias] = true
		}
	}
	if f != nil {
		walk(f)
	}
	delete(out, "")
	return out
}
