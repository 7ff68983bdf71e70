package plan

import (
	"context"
	"math/big"
	"strings"

	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// expr compiles an expression in scope sc.
func (p *planner) expr(e sql.Expr, sc *scope) (vm.Expr, error) {
	out, err := p.expr0(e, sc)
	if err != nil {
		return nil, err
	}
	return fold(out), nil
}

func (p *planner) expr0(e sql.Expr, sc *scope) (vm.Expr, error) {
	// after GROUP BY, a group key expression or an aggregate is a variable
	if sc.grouped {
		for _, k := range sc.keys {
			if sql.Equal(k.expr, e) {
				return &vm.Var{Slot: k.slot, Name: e.String()}, nil
			}
		}
		if sc.pre != nil && !isLiteral(e) {
			// the same key written differently (GROUP BY TIME_BUCKET(t, 3600) vs 60*60)
			if x, err := p.expr(e, sc.pre); err == nil {
				s := x.String()
				for i, ks := range sc.keyStrs {
					if ks == s {
						return &vm.Var{Slot: sc.keys[i].slot, Name: e.String()}, nil
					}
				}
			}
		}
	}
	if c, ok := e.(*sql.Call); ok {
		refs := sc.aggs
		if c.Over != nil {
			refs = sc.windows
		}
		for _, a := range refs {
			if sql.Equal(a.call, c) {
				return &vm.Var{Slot: a.slot, Name: c.String()}, nil
			}
		}
	}
	switch e := e.(type) {
	case *sql.Null:
		return &vm.Const{V: vm.Null()}, nil
	case *sql.Missing:
		return &vm.Const{V: vm.Missing()}, nil
	case *sql.Bool:
		return &vm.Const{V: vm.Bool(e.Value)}, nil
	case *sql.Int:
		return &vm.Const{V: vm.Int(e.Value)}, nil
	case *sql.BigInt:
		f, _ := new(big.Float).SetInt(e.Value).Float64()
		return &vm.Const{V: vm.Float(f)}, nil
	case *sql.Float:
		return &vm.Const{V: vm.Float(e.Value)}, nil
	case *sql.String:
		return &vm.Const{V: vm.String(e.Value)}, nil
	case *sql.Timestamp:
		return &vm.Const{V: vm.Time(e.Value)}, nil
	case *sql.Path:
		return p.path(e, sc)
	case *sql.Star:
		return nil, errorf(e, "* is only allowed in a SELECT list or COUNT(*)")
	case *sql.Unary:
		x, err := p.expr(e.X, sc)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case sql.OpNeg:
			return &vm.Neg{X: x}, nil
		case sql.OpBitNot:
			return &vm.BitNot{X: x}, nil
		}
		return &vm.Arith{Op: vm.OpAdd, L: x, R: &vm.Const{V: vm.Int(0)}}, nil
	case *sql.Binary:
		return p.binary(e, sc)
	case *sql.Not:
		x, err := p.expr(e.X, sc)
		if err != nil {
			return nil, err
		}
		return &vm.Not{X: x}, nil
	case *sql.Is:
		x, err := p.expr(e.X, sc)
		if err != nil {
			return nil, err
		}
		var what vm.IsWhat
		switch e.Kind {
		case sql.IsNull:
			what = vm.IsNull
		case sql.IsMissing:
			what = vm.IsMissing
		case sql.IsTrue:
			what = vm.IsTrue
		case sql.IsFalse:
			what = vm.IsFalse
		}
		return &vm.Is{X: x, What: what, Neg: e.Not}, nil
	case *sql.Like:
		return p.like(e, sc)
	case *sql.Between:
		x, err := p.expr(e.X, sc)
		if err != nil {
			return nil, err
		}
		lo, err := p.expr(e.Lo, sc)
		if err != nil {
			return nil, err
		}
		hi, err := p.expr(e.Hi, sc)
		if err != nil {
			return nil, err
		}
		var out vm.Expr = &vm.And{L: &vm.Cmp{Op: vm.OpGe, L: x, R: lo}, R: &vm.Cmp{Op: vm.OpLe, L: x, R: hi}}
		if e.Not {
			out = &vm.Not{X: out}
		}
		return out, nil
	case *sql.In:
		return p.in(e, sc)
	case *sql.Exists:
		return p.subquery(e.Query, sc, subExists, e)
	case *sql.Subquery:
		return p.subquery(e.Query, sc, subScalar, e)
	case *sql.Case:
		return p.caseExpr(e, sc)
	case *sql.Cast:
		x, err := p.expr(e.X, sc)
		if err != nil {
			return nil, err
		}
		to, ok := castTypes[e.Type]
		if !ok {
			return nil, errorf(e, "unsupported CAST target %s", e.Type)
		}
		if to == vm.CastMissing {
			return &vm.Const{V: vm.Missing()}, nil
		}
		strict := (to == vm.CastString || to == vm.CastSymbol) && !isIntExpr(x) && !isBoolExpr(x)
		return &vm.Cast{X: x, To: to, Strict: strict}, nil
	case *sql.Call:
		return p.call(e, sc)
	case *sql.StructLit:
		ms := &vm.MakeStruct{}
		for _, f := range e.Fields {
			v, err := p.expr(f.Value, sc)
			if err != nil {
				return nil, err
			}
			ms.Names = append(ms.Names, f.Key)
			ms.Values = append(ms.Values, v)
		}
		return ms, nil
	case *sql.ListLit:
		ml := &vm.MakeList{}
		for _, x := range e.Elems {
			v, err := p.expr(x, sc)
			if err != nil {
				return nil, err
			}
			ml.Items = append(ml.Items, v)
		}
		return ml, nil
	}
	return nil, errorf(e, "unsupported expression %s", e)
}

var castTypes = map[sql.CastType]vm.CastType{
	sql.CastInteger: vm.CastInt, sql.CastFloat: vm.CastFloat, sql.CastBoolean: vm.CastBool,
	sql.CastString: vm.CastString, sql.CastTimestamp: vm.CastTimestamp, sql.CastStruct: vm.CastStruct,
	sql.CastList: vm.CastList, sql.CastDecimal: vm.CastDecimal, sql.CastSymbol: vm.CastSymbol,
	sql.CastNull: vm.CastNull, sql.CastMissing: vm.CastMissing,
}

var cmpOps = map[sql.BinaryOp]vm.CmpOp{
	sql.OpEq: vm.OpEq, sql.OpNe: vm.OpNe, sql.OpLt: vm.OpLt, sql.OpLe: vm.OpLe, sql.OpGt: vm.OpGt, sql.OpGe: vm.OpGe,
}

var arithOps = map[sql.BinaryOp]vm.ArithOp{
	sql.OpAdd: vm.OpAdd, sql.OpSub: vm.OpSub, sql.OpMul: vm.OpMul, sql.OpDiv: vm.OpDiv, sql.OpMod: vm.OpMod,
	sql.OpBitAnd: vm.OpBitAnd, sql.OpBitOr: vm.OpBitOr, sql.OpBitXor: vm.OpBitXor,
	sql.OpShl: vm.OpShl, sql.OpShr: vm.OpShr, sql.OpUshr: vm.OpShrU,
}

func (p *planner) binary(e *sql.Binary, sc *scope) (vm.Expr, error) {
	l, err := p.expr(e.Left, sc)
	if err != nil {
		return nil, err
	}
	r, err := p.expr(e.Right, sc)
	if err != nil {
		return nil, err
	}
	switch e.Op {
	case sql.OpAnd:
		return &vm.And{L: l, R: r}, nil
	case sql.OpOr:
		return &vm.Or{L: l, R: r}, nil
	case sql.OpConcat:
		return &vm.Concat{L: l, R: r}, nil
	}
	if op, ok := cmpOps[e.Op]; ok {
		return &vm.Cmp{Op: op, L: l, R: r}, nil
	}
	if op, ok := arithOps[e.Op]; ok {
		return &vm.Arith{Op: op, L: l, R: r}, nil
	}
	return nil, errorf(e, "unsupported operator %s", e.Op)
}

// path resolves a path expression: a binding, a group-by alias, a select alias, a field of
// the default binding, or (in a correlated subquery) an outer reference.
func (p *planner) path(e *sql.Path, sc *scope) (vm.Expr, error) {
	steps := make([]vm.PathStep, len(e.Steps))
	for i, s := range e.Steps {
		steps[i] = vm.PathStep{Field: s.Field, Index: s.Index, IsIndex: s.IsIndex}
	}
	with := func(root vm.Expr, steps []vm.PathStep) vm.Expr {
		if len(steps) == 0 {
			return root
		}
		return &vm.Path{X: root, Steps: steps}
	}
	if sc.grouped {
		for _, k := range sc.keys {
			if k.alias == e.Root {
				return with(&vm.Var{Slot: k.slot, Name: e.Root}, steps), nil
			}
		}
	}
	if b, ok := sc.lookup(e.Root); ok {
		if sc.grouped {
			return nil, errorf(e, "%s must appear in GROUP BY or be used in an aggregate", e)
		}
		p.need(b, e.Steps, true)
		return with(&vm.Var{Slot: b.slot, Name: e.Root}, steps), nil
	}
	if slot, ok := sc.aliases[e.Root]; ok {
		return with(&vm.Var{Slot: slot, Name: e.Root}, steps), nil
	}
	if sc.params != nil && sc.params.outer.usesName(e.Root) {
		// an unqualified name of a correlated subquery: the outer query's field, unless the
		// subquery's source is known to have that column
		if b, ok := sc.defaultBinding(); !ok || b.cols == nil || !b.cols[e.Root] {
			return p.outerRef(e, sc)
		}
	}
	if b, ok := sc.defaultBinding(); ok {
		if sc.grouped {
			return nil, errorf(e, "%s must appear in GROUP BY or be used in an aggregate", e)
		}
		all := append([]vm.PathStep{{Field: e.Root}}, steps...)
		p.need(b, append([]sql.PathStep{{Field: e.Root}}, e.Steps...), false)
		return with(&vm.Var{Slot: b.slot, Name: b.name}, all), nil
	}
	if sc.params != nil {
		return p.outerRef(e, sc)
	}
	if sc.grouped {
		return nil, errorf(e, "%s must appear in GROUP BY or be used in an aggregate", e)
	}
	// no FROM: every field reference is MISSING
	return &vm.Const{V: vm.Missing()}, nil
}

// need records that the scan under binding b reads the column at the path's field prefix.
func (p *planner) need(b binding, steps []sql.PathStep, whole bool) {
	if b.scan == nil || b.scan.need == nil {
		return
	}
	var path []string
	for _, s := range steps {
		if s.IsIndex {
			break
		}
		path = append(path, s.Field)
	}
	if len(path) == 0 {
		b.scan.need.All = true
		b.scan.need.Paths = nil
		return
	}
	b.scan.need.Add(path)
}

// outerRef compiles a reference to the outer query of a correlated subquery as a parameter.
func (p *planner) outerRef(e sql.Expr, sc *scope) (vm.Expr, error) {
	ps := sc.params
	for i, k := range ps.keys {
		if sql.Equal(k, e) {
			return &vm.Param{Index: i, Name: e.String()}, nil
		}
	}
	x, err := p.expr(e, ps.outer)
	if err != nil {
		return nil, err
	}
	ps.keys = append(ps.keys, e)
	ps.exprs = append(ps.exprs, x)
	return &vm.Param{Index: len(ps.exprs) - 1, Name: e.String()}, nil
}

func (p *planner) like(e *sql.Like, sc *scope) (vm.Expr, error) {
	x, err := p.expr(e.X, sc)
	if err != nil {
		return nil, err
	}
	pat, err := p.constString(e.Pattern, sc, "pattern of "+e.Kind.String())
	if err != nil {
		return nil, err
	}
	var m *vm.Matcher
	switch e.Kind {
	case sql.LikeLike, sql.LikeILike:
		esc := rune(0)
		if e.Escape != nil {
			s, err := p.constString(e.Escape, sc, "ESCAPE character")
			if err != nil {
				return nil, err
			}
			r := []rune(s)
			if len(r) != 1 {
				return nil, errorf(e.Escape, "ESCAPE must be a single character, not %q", s)
			}
			esc = r[0]
		}
		m, err = vm.NewLikeMatcher(pat, esc, e.Kind == sql.LikeILike)
	case sql.LikeSimilar:
		m, err = vm.NewSimilarMatcher(pat)
	case sql.LikeRegex:
		m, err = vm.NewRegexMatcher(pat, false)
	case sql.LikeRegexCI:
		m, err = vm.NewRegexMatcher(pat, true)
	}
	if err != nil {
		return nil, errorf(e.Pattern, "%v", err)
	}
	return &vm.Like{X: x, M: m, Neg: e.Not}, nil
}

// constString compiles an expression that must be a constant string.
func (p *planner) constString(e sql.Expr, sc *scope, what string) (string, error) {
	x, err := p.expr(e, sc)
	if err != nil {
		return "", err
	}
	k, ok := x.(*vm.Const)
	if !ok || k.V.Kind() != vm.KString {
		return "", errorf(e, "the %s must be a constant string, not %s", what, e)
	}
	return k.V.String(), nil
}

func (p *planner) in(e *sql.In, sc *scope) (vm.Expr, error) {
	x, err := p.expr(e.X, sc)
	if err != nil {
		return nil, err
	}
	var out vm.Expr
	if e.Query != nil {
		sub, err := p.subquery(e.Query, sc, subList, e)
		if err != nil {
			return nil, err
		}
		if k, ok := sub.(*vm.Const); ok {
			out = &vm.In{X: x, Set: vm.NewValueSet(k.V.List())}
		} else {
			out = &vm.Call{Fn: inListFunc, Args: []vm.Expr{x, sub}}
		}
	} else {
		var consts []vm.Value
		var others []vm.Expr
		for _, item := range e.List {
			v, err := p.expr(item, sc)
			if err != nil {
				return nil, err
			}
			if k, ok := v.(*vm.Const); ok {
				consts = append(consts, k.V)
			} else {
				others = append(others, v)
			}
		}
		if len(consts) > 0 {
			out = &vm.In{X: x, Set: vm.NewValueSet(consts)}
		}
		for _, o := range others {
			eq := &vm.Cmp{Op: vm.OpEq, L: x, R: o}
			if out == nil {
				out = eq
			} else {
				out = &vm.Or{L: out, R: eq}
			}
		}
		if out == nil {
			out = &vm.Const{V: vm.Bool(false)}
		}
	}
	if e.Not {
		out = &vm.Not{X: out}
	}
	return out, nil
}

// inListFunc is `x IN list` for a list computed per row (a correlated IN subquery).
var inListFunc = &vm.Func{Name: "IN_LIST", MinArgs: 2, MaxArgs: 2, Eval: func(_ *vm.Ctx, a []vm.Value) vm.Value {
	if a[0].IsMissing() {
		return vm.Missing()
	}
	for _, v := range a[1].List() {
		if vm.Equal(a[0], v) {
			return vm.Bool(true)
		}
	}
	return vm.Bool(false)
}}

func (p *planner) caseExpr(e *sql.Case, sc *scope) (vm.Expr, error) {
	out := &vm.Case{}
	var operand vm.Expr
	if e.Operand != nil {
		var err error
		if operand, err = p.expr(e.Operand, sc); err != nil {
			return nil, err
		}
	}
	for _, w := range e.Whens {
		cond, err := p.expr(w.Cond, sc)
		if err != nil {
			return nil, err
		}
		if operand != nil {
			cond = &vm.Cmp{Op: vm.OpEq, L: operand, R: cond}
		}
		then, err := p.expr(w.Then, sc)
		if err != nil {
			return nil, err
		}
		out.Whens = append(out.Whens, vm.When{Cond: cond, Then: then})
	}
	if e.Else != nil {
		els, err := p.expr(e.Else, sc)
		if err != nil {
			return nil, err
		}
		out.Else = els
	}
	return out, nil
}

// call compiles a scalar function call (aggregates and window calls were replaced by
// variables before this point; one that is left is misplaced).
func (p *planner) call(e *sql.Call, sc *scope) (vm.Expr, error) {
	name := strings.ToUpper(e.Name)
	if e.Over != nil {
		return nil, errorf(e, "window function %s is not allowed here", name)
	}
	if a := vm.LookupAgg(name); a != nil {
		return nil, errorf(e, "aggregate %s is not allowed here", name)
	}
	if e.Star {
		return nil, errorf(e, "%s(*) is not a function call", name)
	}
	if e.Distinct || e.Filter != nil {
		return nil, errorf(e, "DISTINCT and FILTER apply only to aggregates, and %s is not one", name)
	}
	switch name {
	case "COALESCE", "NULLIF", "UTCNOW", "TABLE_GLOB", "TABLE_PATTERN":
	default:
		if vm.LookupFunc(name) == nil {
			return nil, errorf(e, "unknown function %s", name)
		}
	}
	args := make([]vm.Expr, 0, len(e.Args)+1)
	if e.Part != sql.NoDatePart {
		part := e.Part.String()
		if e.WeekStart != sql.NoWeekday {
			part = "WEEK(" + e.WeekStart.String() + ")"
		}
		args = append(args, &vm.Const{V: vm.String(part)})
	}
	for _, a := range e.Args {
		x, err := p.expr(a, sc)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	switch name {
	case "COALESCE":
		return &vm.Coalesce{Args: args}, nil
	case "NULLIF":
		if len(args) != 2 {
			return nil, errorf(e, "NULLIF takes 2 arguments, not %d", len(args))
		}
		return &vm.NullIf{A: args[0], B: args[1]}, nil
	case "UTCNOW":
		if len(args) != 0 {
			return nil, errorf(e, "UTCNOW takes no arguments")
		}
		return &vm.Const{V: vm.Time(p.now)}, nil
	case "TABLE_GLOB", "TABLE_PATTERN":
		return nil, errorf(e, "%s is only allowed in FROM", name)
	}
	fn := vm.LookupFunc(name)
	if fn == nil {
		return nil, errorf(e, "unknown function %s", name)
	}
	if err := fn.CheckArity(len(args)); err != nil {
		return nil, errorf(e, "%v", err)
	}
	if fn.Check != nil {
		consts := make([]vm.Value, len(args))
		isConst := make([]bool, len(args))
		for i, a := range args {
			if k, ok := a.(*vm.Const); ok {
				consts[i], isConst[i] = k.V, true
			}
		}
		if err := fn.Check(consts, isConst); err != nil {
			return nil, errorf(e, "%s: %v", name, err)
		}
	}
	return &vm.Call{Fn: fn, Args: args}, nil
}

// fold evaluates an expression whose inputs are all constants.
func fold(e vm.Expr) vm.Expr {
	if _, ok := e.(*vm.Const); ok {
		return e
	}
	if !constInputs(e) {
		return e
	}
	c := vm.NewCtx(context.Background(), vm.NewMemory(0), 0)
	b := &vm.Batch{N: 1, Sel: vm.FullBitmap(nil, 1)}
	v, err := e.Eval(c, b, b.Sel)
	if err != nil {
		return e
	}
	return &vm.Const{V: v.Get(0).Clone()}
}

// constInputs reports whether e depends on nothing but constants.
func constInputs(e vm.Expr) bool {
	switch e := e.(type) {
	case *vm.Const:
		return true
	case *vm.Var, *vm.Param:
		return false
	case *vm.Cmp:
		return constInputs(e.L) && constInputs(e.R)
	case *vm.Arith:
		return constInputs(e.L) && constInputs(e.R)
	case *vm.And:
		return constInputs(e.L) && constInputs(e.R)
	case *vm.Or:
		return constInputs(e.L) && constInputs(e.R)
	case *vm.Concat:
		return constInputs(e.L) && constInputs(e.R)
	case *vm.Not:
		return constInputs(e.X)
	case *vm.Neg:
		return constInputs(e.X)
	case *vm.BitNot:
		return constInputs(e.X)
	case *vm.Is:
		return constInputs(e.X)
	case *vm.Cast:
		return constInputs(e.X)
	case *vm.Like:
		return constInputs(e.X)
	case *vm.In:
		return constInputs(e.X)
	case *vm.Path:
		return constInputs(e.X)
	case *vm.Call:
		if e.Fn.Volatile {
			return false
		}
		for _, a := range e.Args {
			if !constInputs(a) {
				return false
			}
		}
		return true
	case *vm.Coalesce:
		for _, a := range e.Args {
			if !constInputs(a) {
				return false
			}
		}
		return true
	case *vm.NullIf:
		return constInputs(e.A) && constInputs(e.B)
	case *vm.MakeList:
		for _, a := range e.Items {
			if !constInputs(a) {
				return false
			}
		}
		return true
	case *vm.MakeStruct:
		for _, a := range e.Values {
			if !constInputs(a) {
				return false
			}
		}
		return true
	case *vm.Case:
		for _, w := range e.Whens {
			if !constInputs(w.Cond) || !constInputs(w.Then) {
				return false
			}
		}
		return e.Else == nil || constInputs(e.Else)
	}
	return false
}

func isLiteral(e sql.Expr) bool {
	switch e.(type) {
	case *sql.Null, *sql.Missing, *sql.Bool, *sql.Int, *sql.BigInt, *sql.Float, *sql.String, *sql.Timestamp:
		return true
	}
	return false
}

// usesName reports whether the query of scope s (or an enclosing one) uses the bare field
// name n.
func (s *scope) usesName(n string) bool {
	for ; s != nil; s = s.outer {
		if s.names[n] {
			return true
		}
	}
	return false
}

// isBoolExpr reports whether e statically gives a bool (or MISSING).
func isBoolExpr(e vm.Expr) bool {
	switch e := e.(type) {
	case *vm.Cast:
		return e.To == vm.CastBool
	case *vm.Const:
		return e.V.Kind() == vm.KBool
	case *vm.Cmp, *vm.And, *vm.Or, *vm.Not, *vm.Is, *vm.Like, *vm.In:
		return true
	}
	return false
}
