package plan

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// outCol is one column of a query's output: the batch variable at its position; a splice
// column is a struct whose fields become output columns (SELECT *).
type outCol struct {
	name   string
	splice bool
}

// planned is a planned query: a node whose batches hold exactly the output columns.
type planned struct {
	root      node
	cols      []outCol
	singleRow bool // statically at most one row (LIMIT 1 or an aggregate without GROUP BY)
}

// planner holds the state of planning one statement.
type planner struct {
	ctx   context.Context
	env   Env
	now   int64
	opt   Options
	ctes  []*cteScope
	stats *Stats
	mem   *vm.Memory
	scans []*scanNode // every table scan planned (for MaxScanned)
}

type cteScope struct {
	defs map[string]*cte
}

type cte struct {
	name string
	pl   *planned
}

func (p *planner) lookupCTE(name string) *cte {
	for i := len(p.ctes) - 1; i >= 0; i-- {
		if c, ok := p.ctes[i].defs[name]; ok {
			return c
		}
	}
	return nil
}

// query plans a query (WITH, UNION, ORDER BY, LIMIT around the bodies).
func (p *planner) query(q *sql.Query, outer *scope, params *paramSet) (*planned, error) {
	if len(q.With) > 0 {
		cs := &cteScope{defs: map[string]*cte{}}
		p.ctes = append(p.ctes, cs)
		defer func() { p.ctes = p.ctes[:len(p.ctes)-1] }()
		for _, w := range q.With {
			pl, err := p.query(w.Query, outer, params)
			if err != nil {
				return nil, err
			}
			cs.defs[w.Name] = &cte{name: w.Name, pl: pl}
		}
	}
	pl, err := p.body(q.Body, outer, params)
	if err != nil {
		return nil, err
	}
	if len(q.OrderBy) == 0 && q.Limit == nil && q.Offset == nil {
		return pl, nil
	}
	// ORDER BY / LIMIT over a union: in terms of the output columns
	sc := &scope{outer: outer, params: params, aliases: map[string]int{}, width: len(pl.cols), ncols: len(pl.cols)}
	for i, c := range pl.cols {
		if !c.splice {
			sc.aliases[c.name] = i
		}
	}
	out := *pl
	out.root, err = p.orderLimit(pl.root, q.OrderBy, q.Limit, q.Offset, sc, nil)
	if err != nil {
		return nil, err
	}
	if q.Limit != nil && q.Limit.Value <= 1 {
		out.singleRow = true
	}
	return &out, nil
}

func (p *planner) body(b sql.Body, outer *scope, params *paramSet) (*planned, error) {
	switch b := b.(type) {
	case *sql.Select:
		return p.selectQuery(b, outer, params)
	case *sql.Union:
		l, err := p.body(b.Left, outer, params)
		if err != nil {
			return nil, err
		}
		r, err := p.body(b.Right, outer, params)
		if err != nil {
			return nil, err
		}
		// align the right side's columns with the left's by position; rows become structs
		// so that differing column names still work
		width := len(l.cols)
		if len(r.cols) != width {
			return nil, errorf(b, "UNION sides have %d and %d columns", width, len(r.cols))
		}
		var root node = &unionNode{inputs: []node{l.root, r.root}, width: width}
		if !b.All {
			keys := make([]vm.Expr, width)
			for i := range keys {
				keys[i] = &vm.Var{Slot: i, Name: l.cols[i].name}
			}
			root = &serialNode{in: root, what: "distinct", make: func() func(vm.Op) vm.Op {
				return func(next vm.Op) vm.Op { return &vm.Distinct{Keys: keys, Next: next} }
			}}
		}
		return &planned{root: root, cols: l.cols}, nil
	}
	return nil, errorf(b, "unsupported query body %T", b)
}

// orderLimit adds ORDER BY (a sort, top-k with a LIMIT) and LIMIT/OFFSET.
func (p *planner) orderLimit(n node, order []*sql.OrderItem, limit, offset *sql.Int, sc *scope, bound *vm.TopKBound) (node, error) {
	lim, off := int64(-1), int64(0)
	if limit != nil {
		lim = limit.Value
		if lim < 0 {
			return nil, errorf(limit, "LIMIT must not be negative")
		}
	}
	if offset != nil {
		off = offset.Value
		if off < 0 {
			return nil, errorf(offset, "OFFSET must not be negative")
		}
	}
	if len(order) > 0 {
		keys := make([]vm.SortKey, len(order))
		var desc []string
		for i, o := range order {
			x, err := p.orderExpr(o.Expr, sc)
			if err != nil {
				return nil, err
			}
			keys[i] = vm.SortKey{X: x, Desc: o.Desc, NullsFirst: !o.NullsLast}
			d := x.String()
			if o.Desc {
				d += " DESC"
			}
			desc = append(desc, d)
		}
		what := "sort " + strings.Join(desc, ", ")
		if lim >= 0 {
			what += fmt.Sprintf(" top %d", lim+off)
		}
		if bound != nil && lim >= 0 {
			if b, path, ok := scanKey(keys[0].X, sc); ok {
				bound.Desc = keys[0].Desc
				bound.Ties = len(keys) > 1
				b.scan.topk, b.scan.topkPath = bound, path
			} else {
				bound = nil
			}
		} else {
			bound = nil
		}
		sn := &serialNode{in: n, what: what, make: func() func(vm.Op) vm.Op {
			return func(next vm.Op) vm.Op {
				return &vm.Sort{Keys: keys, Limit: lim, Offset: off, Next: next, Bound: bound}
			}
		}}
		if lim >= 0 {
			// a replica keeps its best lim+off rows, with their positions for ties
			sn.partial = func() func(vm.Op) vm.Op {
				return func(next vm.Op) vm.Op {
					return &vm.Sort{Keys: keys, Limit: satAdd(lim, off), Next: next, Bound: bound, EmitIDs: true}
				}
			}
			sn.partialIDs = true
		}
		return sn, nil
	}
	if lim >= 0 || off > 0 {
		if lim < 0 {
			lim = 1<<63 - 1 - off
		}
		return &serialNode{in: n, what: fmt.Sprintf("limit %d offset %d", lim, off), make: func() func(vm.Op) vm.Op {
			return func(next vm.Op) vm.Op { return &vm.Limit{N: lim, Offset: off, Next: next} }
		}, partial: func() func(vm.Op) vm.Op {
			return func(next vm.Op) vm.Op { return &vm.Limit{N: satAdd(lim, off), Next: next} }
		}}, nil
	}
	return n, nil
}

// orderExpr compiles an ORDER BY expression: a select alias, a 1-based column number, or an
// expression of the query.
func (p *planner) orderExpr(e sql.Expr, sc *scope) (vm.Expr, error) {
	if i, ok := e.(*sql.Int); ok && i.Value >= 1 && int(i.Value) <= sc.ncols {
		return &vm.Var{Slot: int(i.Value) - 1, Name: i.String()}, nil
	}
	return p.expr(e, sc)
}

// implicitName is the output name of an unnamed select item: the last field of a path
// (`a.b` → b, `a[2]` → a_2), the default name of an aggregate, or "".
func implicitName(e sql.Expr) string {
	switch e := e.(type) {
	case *sql.Path:
		name := e.Root
		for _, s := range e.Steps {
			if s.IsIndex {
				name += "_" + strconv.Itoa(s.Index)
			} else {
				name = s.Field
			}
		}
		return name
	case *sql.Call:
		name := strings.ToUpper(e.Name)
		if e.Over != nil {
			switch name {
			case "ROW_NUMBER", "RANK", "DENSE_RANK":
				return strings.ToLower(name)
			}
		}
		if a := vm.LookupAgg(name); a != nil {
			return a.DefaultName
		}
	}
	return ""
}

// outputNames applies the naming rules: explicit names as written; an implicit name that is
// empty or repeats an earlier column's name gets the suffix _N (N the 1-based position).
func outputNames(items []*sql.SelectItem, names []string, explicit []bool) []string {
	out := make([]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		switch {
		case explicit[i]:
			out[i] = n
		case n == "":
			out[i] = "_" + strconv.Itoa(i+1)
		case seen[n]:
			out[i] = n + "_" + strconv.Itoa(i+1)
		default:
			out[i] = n
		}
		seen[out[i]] = true
	}
	return out
}

// scanKey reports whether e is a field path of a scanned table's row binding.
func scanKey(e vm.Expr, sc *scope) (binding, []string, bool) {
	pth, ok := e.(*vm.Path)
	if !ok {
		return binding{}, nil, false
	}
	v, ok := pth.X.(*vm.Var)
	if !ok {
		return binding{}, nil, false
	}
	var names []string
	for _, s := range pth.Steps {
		if s.IsIndex {
			return binding{}, nil, false
		}
		names = append(names, s.Field)
	}
	for _, b := range sc.bindings {
		if b.slot == v.Slot && b.scan != nil {
			return b, names, true
		}
	}
	return binding{}, nil, false
}
