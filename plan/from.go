package plan

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// from plans a FROM clause, adding its bindings to sc.
func (p *planner) from(f sql.From, sc *scope) (node, error) {
	switch f := f.(type) {
	case *sql.Table:
		return p.table(f, sc)
	case *sql.ReadFile:
		src, err := p.env.ReadFile(p.ctx, f.Name)
		if err != nil {
			return nil, wrapf(f, err, "read_file(%s): %v", vm.QuoteString(f.Name), err)
		}
		name := f.Alias
		if name == "" {
			name = "read_file"
		}
		return p.scan(src, "read_file("+vm.QuoteString(f.Name)+")", name, sc), nil
	case *sql.SubqueryFrom:
		pl, err := p.query(f.Query, nil, nil)
		if err != nil {
			return nil, err
		}
		return p.rowsOf(pl, f.Alias, "subquery", sc), nil
	case *sql.Join:
		return p.join(f, sc)
	case *sql.Unpivot:
		return p.unpivot(f, sc)
	case *sql.TableGlob, *sql.TablePattern, *sql.Append:
		return p.tableSet(f, sc)
	}
	return nil, errorf(f, "unsupported FROM item %s", f)
}

// table plans a named table: a CTE, or a table of the environment.
func (p *planner) table(f *sql.Table, sc *scope) (node, error) {
	alias := f.Alias
	parts := []string{f.Path.Root}
	for _, s := range f.Path.Steps {
		if s.IsIndex {
			return nil, errorf(f, "a table name cannot have an index: %s", f.Path)
		}
		parts = append(parts, s.Field)
	}
	if alias == "" {
		alias = parts[len(parts)-1]
	}
	if len(parts) == 1 {
		if c := p.lookupCTE(parts[0]); c != nil {
			return p.rowsOf(c.pl, alias, "with "+c.name, sc), nil
		}
	}
	src, err := p.env.Table(p.ctx, parts)
	if err != nil {
		return nil, wrapf(f, err, "%v", err)
	}
	return p.scan(src, strings.Join(parts, "."), alias, sc), nil
}

// scan adds a scanned table's row binding.
func (p *planner) scan(src vm.Source, what, alias string, sc *scope) node {
	s := &scanNode{src: src, name: what, need: &vm.PathSet{}}
	p.scans = append(p.scans, s)
	sc.add(binding{name: alias, slot: sc.width, scan: s, row: true})
	sc.width++
	return s
}

// rowsOf turns a planned query into a source of rows bound to alias: its output columns
// become the fields of one struct variable.
func (p *planner) rowsOf(pl *planned, alias, what string, sc *scope) node {
	cols := pl.cols
	n := &streamNode{in: pl.root, what: what, make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op { return &vm.Project{Exprs: []vm.Expr{&rowOf{cols: cols}}, Next: next} }
	}}
	known := map[string]bool{}
	for _, c := range cols {
		if c.splice {
			known = nil
			break
		}
		known[c.name] = true
	}
	sc.add(binding{name: alias, slot: sc.width, row: true, cols: known})
	sc.width++
	return n
}

// rowOf builds, from the variables holding a query's output columns, one struct variable
// whose fields are those columns (splicing SELECT * columns).
type rowOf struct{ cols []outCol }

func (r *rowOf) String() string { return "row" }

func (r *rowOf) Eval(c *vm.Ctx, b *vm.Batch, sel vm.Bitmap) (*vm.Vec, error) {
	splice := false
	for _, col := range r.cols {
		splice = splice || col.splice
	}
	if !splice {
		names := make([]string, len(r.cols))
		for i, col := range r.cols {
			names[i] = col.name
		}
		return vm.StructOf(c, b.N, sel, vm.NewColumns(names, b.Vars[:len(r.cols)])), nil
	}
	out := c.Vec(b.N)
	sel.ForEach(func(i int) { out.Put(i, rowValue(r.cols, b.Vars, i)) })
	return out, nil
}

// rowValue assembles output row i from the column variables: MISSING columns are left out,
// splice columns contribute their fields.
func rowValue(cols []outCol, vars []*vm.Vec, i int) vm.Value {
	fields := make([]vm.Field, 0, len(cols))
	for j, col := range cols {
		v := vars[j].Get(i)
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

// setField sets a field, replacing an earlier one with the same name.
func setField(fields []vm.Field, name string, v vm.Value) []vm.Field {
	for i := range fields {
		if fields[i].Name == name {
			fields[i].Value = v
			return fields
		}
	}
	return append(fields, vm.Field{Name: name, Value: v})
}

// join plans comma joins, CROSS JOIN and INNER JOIN. A comma or CROSS JOIN whose right side
// is a path rooted at a binding unnests that path.
func (p *planner) join(j *sql.Join, sc *scope) (node, error) {
	left, err := p.from(j.Left, sc)
	if err != nil {
		return nil, err
	}
	switch j.Kind {
	case sql.JoinLeft, sql.JoinRight, sql.JoinFull:
		return nil, errorf(j, "%s is not supported (only inner equi-joins, CROSS JOIN and unnesting)", j.Kind)
	}
	if t, ok := j.Right.(*sql.Table); ok && (j.Kind == sql.JoinComma || j.Kind == sql.JoinCross) {
		if _, bound := sc.lookup(t.Path.Root); bound {
			return p.unnest(left, t, sc)
		}
	}
	// an independent right side: planned in its own scope, appended after the left variables
	rsc := &scope{outer: sc.outer, params: sc.params}
	right, err := p.from(j.Right, rsc)
	if err != nil {
		return nil, err
	}
	base := sc.width
	for _, b := range rsc.bindings {
		b.slot += base
		sc.add(b)
	}
	sc.width += rsc.width
	jn := &joinNode{left: left, right: right, rightWidth: rsc.width}
	if j.Kind != sql.JoinInner || j.On == nil {
		return jn, nil
	}
	// split ON into equalities between the two sides and a residual filter
	var residual []sql.Expr
	for _, c := range conjuncts(j.On) {
		b, ok := c.(*sql.Binary)
		if ok && b.Op == sql.OpEq {
			ls, rs := sideOf(b.Left, sc, base), sideOf(b.Right, sc, base)
			if ls == 1 && rs == 2 || ls == 2 && rs == 1 {
				le, re := b.Left, b.Right
				if ls == 2 {
					le, re = re, le
				}
				lx, err := p.expr(le, sc)
				if err != nil {
					return nil, err
				}
				rx, err := p.expr(re, rsc)
				if err != nil {
					return nil, err
				}
				jn.leftKeys = append(jn.leftKeys, lx)
				jn.rightKeys = append(jn.rightKeys, rx)
				continue
			}
		}
		residual = append(residual, c)
	}
	if len(jn.leftKeys) == 0 {
		return nil, errorf(j.On, "JOIN ... ON needs an equality between the two sides")
	}
	var n node = jn
	for _, c := range residual {
		pred, err := p.expr(c, sc)
		if err != nil {
			return nil, err
		}
		n = filterNode(n, pred)
	}
	return n, nil
}

// sideOf tells which side of a join the bindings of e belong to: 1 left, 2 right, 0 neither,
// 3 both.
func sideOf(e sql.Expr, sc *scope, base int) int {
	side := 0
	sql.Inspect(e, func(n sql.Node) bool {
		if pth, ok := n.(*sql.Path); ok {
			if b, ok := sc.lookup(pth.Root); ok {
				if b.slot < base {
					side |= 1
				} else {
					side |= 2
				}
			}
			return false
		}
		return true
	})
	return side
}

func conjuncts(e sql.Expr) []sql.Expr {
	if b, ok := e.(*sql.Binary); ok && b.Op == sql.OpAnd {
		return append(conjuncts(b.Left), conjuncts(b.Right)...)
	}
	return []sql.Expr{e}
}

// unnest plans `FROM ..., path AS x`: one row per element of the list at path.
func (p *planner) unnest(left node, t *sql.Table, sc *scope) (node, error) {
	list, err := p.expr(t.Path, sc)
	if err != nil {
		return nil, err
	}
	alias := t.Alias
	if alias == "" {
		alias = t.Path.Root
		if len(t.Path.Steps) > 0 {
			alias = t.Path.Steps[len(t.Path.Steps)-1].Field
		}
	}
	sc.add(binding{name: alias, slot: sc.width})
	sc.width++
	return &streamNode{in: left, what: "unnest " + list.String() + " AS " + alias, make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op { return &vm.Unnest{List: list, Next: next} }
	}}, nil
}

// unpivot plans `UNPIVOT src AS v AT k`: one row per field of each row of src.
func (p *planner) unpivot(u *sql.Unpivot, sc *scope) (node, error) {
	ssc := &scope{outer: sc.outer, params: sc.params}
	src, err := p.from(u.Source, ssc)
	if err != nil {
		return nil, err
	}
	b, ok := ssc.defaultBinding()
	if !ok {
		return nil, errorf(u, "UNPIVOT needs a source")
	}
	p.need(b, nil, true)
	row := &vm.Var{Slot: b.slot, Name: b.name}
	as, at := u.As, u.At
	if as != "" {
		sc.add(binding{name: as, slot: sc.width})
	}
	if at != "" {
		sc.add(binding{name: at, slot: sc.width + 1})
	}
	sc.width += 2
	return &streamNode{in: src, what: "unpivot AS " + as + " AT " + at, make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op { return &vm.Unpivot{Src: row, Next: next} }
	}}, nil
}

// tableSet plans TABLE_GLOB, TABLE_PATTERN and `a ++ b`: the rows of several tables.
func (p *planner) tableSet(f sql.From, sc *scope) (node, error) {
	var names [][]string
	alias := ""
	switch f := f.(type) {
	case *sql.TableGlob:
		alias = f.Alias
		all, err := p.env.Tables(p.ctx)
		if err != nil {
			return nil, wrapf(f, err, "%v", err)
		}
		for _, t := range all {
			if ok, err := path.Match(f.Pattern, t); err != nil {
				return nil, errorf(f, "bad TABLE_GLOB pattern %q: %v", f.Pattern, err)
			} else if ok {
				names = append(names, []string{t})
			}
		}
	case *sql.TablePattern:
		alias = f.Alias
		re, err := regexp.Compile(`\A(?:` + f.Pattern + `)\z`)
		if err != nil {
			return nil, errorf(f, "bad TABLE_PATTERN pattern %q: %v", f.Pattern, err)
		}
		all, err := p.env.Tables(p.ctx)
		if err != nil {
			return nil, wrapf(f, err, "%v", err)
		}
		for _, t := range all {
			if re.MatchString(t) {
				names = append(names, []string{t})
			}
		}
	case *sql.Append:
		alias = f.Alias
		var inputs []node
		for _, item := range f.Items {
			isc := &scope{outer: sc.outer, params: sc.params}
			n, err := p.from(item, isc)
			if err != nil {
				return nil, err
			}
			b, _ := isc.defaultBinding()
			p.need(b, nil, true)
			inputs = append(inputs, projectSlot(n, b.slot))
		}
		if alias == "" {
			alias = "$append"
		}
		sc.add(binding{name: alias, slot: sc.width, row: true})
		sc.width++
		return &unionNode{inputs: inputs, width: 1}, nil
	}
	sort.Slice(names, func(i, j int) bool { return strings.Join(names[i], ".") < strings.Join(names[j], ".") })
	var inputs []node
	for _, parts := range names {
		src, err := p.env.Table(p.ctx, parts)
		if err != nil {
			return nil, wrapf(f, err, "%v", err)
		}
		s := &scanNode{src: src, name: strings.Join(parts, "."), need: &vm.PathSet{All: true}}
		p.scans = append(p.scans, s)
		inputs = append(inputs, s)
	}
	if alias == "" {
		alias = "$tables"
	}
	sc.add(binding{name: alias, slot: sc.width, row: true})
	sc.width++
	return &unionNode{inputs: inputs, width: 1}, nil
}

// projectSlot keeps only variable slot of n's batches.
func projectSlot(n node, slot int) node {
	if slot == 0 {
		return n
	}
	return &streamNode{in: n, what: "keep", make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op { return &vm.Project{Exprs: []vm.Expr{&vm.Var{Slot: slot}}, Next: next} }
	}}
}
