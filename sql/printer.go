package sql

import (
	"math"
	"strconv"
	"strings"
)

// Format returns the SQL text of any node. The text parses back to a tree that is Equal to n
// whenever n came from the parser (and for any tree the grammar can express). Operators are
// parenthesised only where precedence requires it; keywords are upper case; names that are not
// plain identifiers, or that are spelled like a keyword, are double-quoted.
func Format(n Node) string {
	var pr printer
	pr.node(n)
	return pr.b.String()
}

type printer struct {
	b strings.Builder
}

func (pr *printer) str(s string) { pr.b.WriteString(s) }

func (pr *printer) node(n Node) {
	switch n := n.(type) {
	case Expr:
		pr.expr(n, precOr)
	case *Statement:
		pr.statement(n)
	case *Explain:
		pr.explain(n)
	case *Query:
		pr.query(n)
	case *Select:
		pr.selectBlock(n)
	case *Union:
		pr.union(n)
	case *CTE:
		pr.cte(n)
	case *SelectItem:
		pr.selectItem(n)
	case *GroupItem:
		pr.groupItem(n)
	case *OrderItem:
		pr.orderItem(n)
	case *When:
		pr.when(n)
	case *Field:
		pr.field(n)
	case *Window:
		pr.window(n)
	case From:
		pr.from(n)
	}
}

// ident writes a name: bare when it is a plain identifier that no rule could read as a keyword,
// double-quoted otherwise.
func (pr *printer) ident(s string) {
	if isBareIdent(s) {
		pr.str(s)
	} else {
		pr.str(quoteIdent(s))
	}
}

func isBareIdent(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	u := strings.ToUpper(s)
	return keywords[u] == kwNone && !contextualWords[u]
}

// exprPrec is the precedence level of the operator at the top of e.
func exprPrec(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		if e.Op < numBinaryOps && binaryPrec[e.Op] != 0 {
			return binaryPrec[e.Op]
		}
		return precNone
	case *Not:
		return precNot
	case *Is:
		return precIs
	case *Like, *Between, *In:
		return precPredicate
	case *Unary:
		return precUnary
	}
	return precPrimary
}

// expr writes e, in parentheses when its operator binds more loosely than min.
func (pr *printer) expr(e Expr, min int) {
	if e == nil {
		pr.str("MISSING")
		return
	}
	if exprPrec(e) < min {
		pr.str("(")
		pr.expr(e, precOr)
		pr.str(")")
		return
	}
	switch e := e.(type) {
	case *Null:
		pr.str("NULL")
	case *Missing:
		pr.str("MISSING")
	case *Bool:
		if e.Value {
			pr.str("TRUE")
		} else {
			pr.str("FALSE")
		}
	case *Int:
		pr.str(strconv.FormatInt(e.Value, 10))
	case *BigInt:
		if e.Value == nil {
			pr.str("0")
		} else {
			pr.str(e.Value.String())
		}
	case *Float:
		pr.float(e.Value)
	case *String:
		pr.str(quoteString(e.Value))
	case *Timestamp:
		pr.str("`" + FormatTimestamp(e.Value) + "`")
	case *Path:
		pr.path(e)
	case *Star:
		pr.str("*")
	case *Unary:
		pr.unary(e)
	case *Binary:
		pr.expr(e.Left, binaryPrec[e.Op])
		pr.str(" " + e.Op.String() + " ")
		pr.expr(e.Right, binaryPrec[e.Op]+1)
	case *Not:
		pr.str("NOT ")
		pr.expr(e.X, precNot)
	case *Is:
		pr.expr(e.X, precIs)
		pr.str(" IS ")
		if e.Not {
			pr.str("NOT ")
		}
		pr.str(e.Kind.String())
	case *Like:
		pr.like(e)
	case *Between:
		pr.expr(e.X, precPredicate)
		if e.Not {
			pr.str(" NOT")
		}
		pr.str(" BETWEEN ")
		pr.expr(e.Lo, precPredicate+1)
		pr.str(" AND ")
		pr.expr(e.Hi, precPredicate+1)
	case *In:
		pr.expr(e.X, precPredicate)
		if e.Not {
			pr.str(" NOT")
		}
		pr.str(" IN (")
		if e.Query != nil {
			pr.query(e.Query)
		} else {
			pr.exprs(e.List)
		}
		pr.str(")")
	case *Exists:
		pr.str("EXISTS (")
		pr.query(e.Query)
		pr.str(")")
	case *Subquery:
		pr.str("(")
		pr.query(e.Query)
		pr.str(")")
	case *Case:
		pr.caseExpr(e)
	case *Cast:
		pr.str("CAST(")
		pr.expr(e.X, precOr)
		pr.str(" AS " + e.Type.String() + ")")
	case *Call:
		pr.call(e)
	case *StructLit:
		pr.str("{")
		join(pr, ", ", e.Fields, pr.field)
		pr.str("}")
	case *ListLit:
		pr.str("[")
		pr.exprs(e.Elems)
		pr.str("]")
	}
}

func (pr *printer) exprs(list []Expr) {
	join(pr, ", ", list, func(e Expr) { pr.expr(e, precOr) })
}

// join writes each element of xs with each, separated by sep.
func join[T any](pr *printer, sep string, xs []T, each func(T)) {
	for i, x := range xs {
		if i > 0 {
			pr.str(sep)
		}
		each(x)
	}
}

// float writes a float literal so that it lexes as a float again (1.0, not 1). NaN and the
// infinities have no literal; they print as the divisions that produce them.
func (pr *printer) float(f float64) {
	switch {
	case math.IsNaN(f):
		pr.str("(0.0 / 0.0)")
		return
	case math.IsInf(f, 1):
		pr.str("(1.0 / 0.0)")
		return
	case math.IsInf(f, -1):
		pr.str("(-1.0 / 0.0)")
		return
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	pr.str(s)
}

func (pr *printer) path(p *Path) {
	pr.ident(p.Root)
	for _, s := range p.Steps {
		if s.IsIndex {
			pr.str("[" + strconv.Itoa(s.Index) + "]")
		} else {
			pr.str(".")
			pr.ident(s.Field)
		}
	}
}

// unary writes -x, +x or ~x. An operand that would fuse with the operator (a number after a
// sign would fold into a literal, -(-x) would start a comment, ~(~x) would read as ~~) is
// parenthesised.
func (pr *printer) unary(u *Unary) {
	pr.str(u.Op.String())
	wrap := false
	switch x := u.X.(type) {
	case *Int, *BigInt, *Float:
		wrap = u.Op != OpBitNot
	case *Unary:
		wrap = x.Op == u.Op || (u.Op != OpBitNot && x.Op != OpBitNot)
	}
	if wrap {
		pr.str("(")
		pr.expr(u.X, precOr)
		pr.str(")")
		return
	}
	pr.expr(u.X, precUnary)
}

func (pr *printer) like(l *Like) {
	pr.expr(l.X, precPredicate)
	if l.Not { // the ~ and ~* forms have no negated spelling: a tree built by hand may not reparse
		pr.str(" NOT")
	}
	pr.str(" " + l.Kind.String() + " ")
	pr.expr(l.Pattern, precPredicate+1)
	if l.Escape != nil {
		pr.str(" ESCAPE ")
		pr.expr(l.Escape, precPredicate+1)
	}
}

func (pr *printer) caseExpr(c *Case) {
	pr.str("CASE")
	if c.Operand != nil {
		pr.str(" ")
		pr.expr(c.Operand, precOr)
	}
	for _, w := range c.Whens {
		pr.str(" ")
		pr.when(w)
	}
	if c.Else != nil {
		pr.str(" ELSE ")
		pr.expr(c.Else, precOr)
	}
	pr.str(" END")
}

func (pr *printer) when(w *When) {
	pr.str("WHEN ")
	pr.expr(w.Cond, precOr)
	pr.str(" THEN ")
	pr.expr(w.Then, precOr)
}

func (pr *printer) field(f *Field) {
	pr.str(quoteString(f.Key))
	pr.str(": ")
	pr.expr(f.Value, precOr)
}

func (pr *printer) call(c *Call) {
	pr.str(c.Name)
	pr.str("(")
	switch {
	case c.Part != NoDatePart && c.Name == "EXTRACT" && len(c.Args) == 1:
		pr.str(c.Part.String() + " FROM ")
		pr.expr(c.Args[0], precOr)
	case c.Part != NoDatePart:
		pr.str(c.Part.String())
		if c.WeekStart != NoWeekday {
			pr.str("(" + c.WeekStart.String() + ")")
		}
		for _, a := range c.Args {
			pr.str(", ")
			pr.expr(a, precOr)
		}
	case c.Star:
		pr.str("*")
	default:
		if c.Distinct {
			pr.str("DISTINCT ")
		}
		for i, a := range c.Args {
			if i > 0 {
				pr.str(", ")
			}
			min := precOr
			if i == 0 && c.Name == "POSITION" {
				min = precPredicate + 1 // keep a IN b from reading as POSITION(a IN b)
			}
			if i == 0 && isTrimName(c.Name) && leadsWithTrimSpec(a) {
				min = precPrimary + 1
			}
			pr.expr(a, min)
		}
	}
	pr.str(")")
	if c.Filter != nil {
		pr.str(" FILTER (WHERE ")
		pr.expr(c.Filter, precOr)
		pr.str(")")
	}
	if c.Over != nil {
		pr.str(" ")
		pr.window(c.Over)
	}
}

func isTrimName(name string) bool { return name == "TRIM" || name == "LTRIM" || name == "RTRIM" }

// leadsWithTrimSpec reports whether e prints starting with the word LEADING, TRAILING or BOTH
// (a call of that name), which TRIM would read as its keyword form.
func leadsWithTrimSpec(e Expr) bool {
	for {
		switch x := e.(type) {
		case *Call:
			return x.Name == "LEADING" || x.Name == "TRAILING" || x.Name == "BOTH"
		case *Binary:
			e = x.Left
		case *Is:
			e = x.X
		case *Like:
			e = x.X
		case *Between:
			e = x.X
		case *In:
			e = x.X
		default:
			return false
		}
	}
}

func (pr *printer) window(w *Window) {
	pr.str("OVER (")
	if len(w.PartitionBy) > 0 {
		pr.str("PARTITION BY ")
		pr.exprs(w.PartitionBy)
	}
	if len(w.OrderBy) > 0 {
		if len(w.PartitionBy) > 0 {
			pr.str(" ")
		}
		pr.str("ORDER BY ")
		join(pr, ", ", w.OrderBy, pr.orderItem)
	}
	pr.str(")")
}

func (pr *printer) statement(s *Statement) {
	if s.Explain != nil {
		pr.explain(s.Explain)
		pr.str(" ")
	}
	if s.Query != nil {
		pr.query(s.Query)
	}
}

func (pr *printer) explain(e *Explain) {
	pr.str("EXPLAIN")
	if e.Format != "" {
		pr.str(" AS ")
		pr.ident(e.Format)
	}
}

func (pr *printer) query(q *Query) {
	if len(q.With) > 0 {
		pr.str("WITH ")
		join(pr, ", ", q.With, pr.cte)
		pr.str(" ")
	}
	pr.body(q.Body)
	pr.tail(q.OrderBy, q.Limit, q.Offset)
}

func (pr *printer) cte(c *CTE) {
	pr.ident(c.Name)
	pr.str(" AS (")
	pr.query(c.Query)
	pr.str(")")
}

func (pr *printer) body(b Body) {
	switch b := b.(type) {
	case *Select:
		pr.selectBlock(b)
	case *Union:
		pr.union(b)
	}
}

// union writes a UNION chain. An operand SELECT with its own ORDER BY, LIMIT or OFFSET is
// parenthesised so that they stay with it.
func (pr *printer) union(u *Union) {
	pr.unionOperand(u.Left, true)
	pr.str(" UNION ")
	if u.All {
		pr.str("ALL ")
	}
	pr.unionOperand(u.Right, false)
}

func (pr *printer) unionOperand(b Body, left bool) {
	switch b := b.(type) {
	case *Select:
		if len(b.OrderBy) > 0 || b.Limit != nil || b.Offset != nil {
			pr.str("(")
			pr.selectBlock(b)
			pr.str(")")
			return
		}
		pr.selectBlock(b)
	case *Union:
		if left { // the grammar nests to the right; only a hand-built tree gets here
			pr.str("(")
			pr.union(b)
			pr.str(")")
			return
		}
		pr.union(b)
	}
}

func (pr *printer) selectBlock(s *Select) {
	pr.str("SELECT ")
	switch {
	case len(s.DistinctOn) > 0:
		pr.str("DISTINCT ON (")
		pr.exprs(s.DistinctOn)
		pr.str(") ")
	case s.Distinct:
		pr.str("DISTINCT ")
	}
	join(pr, ", ", s.Items, pr.selectItem)
	if s.Into != nil {
		pr.str(" INTO ")
		pr.path(s.Into)
	}
	if s.From != nil {
		pr.str(" FROM ")
		pr.from(s.From)
	}
	if s.Where != nil {
		pr.str(" WHERE ")
		pr.expr(s.Where, precOr)
	}
	if len(s.GroupBy) > 0 {
		pr.str(" GROUP BY ")
		join(pr, ", ", s.GroupBy, pr.groupItem)
	}
	if s.Having != nil {
		pr.str(" HAVING ")
		pr.expr(s.Having, precOr)
	}
	pr.tail(s.OrderBy, s.Limit, s.Offset)
}

// tail writes ORDER BY, LIMIT and OFFSET.
func (pr *printer) tail(order []*OrderItem, limit, offset *Int) {
	if len(order) > 0 {
		pr.str(" ORDER BY ")
		join(pr, ", ", order, pr.orderItem)
	}
	if limit != nil {
		pr.str(" LIMIT " + strconv.FormatInt(limit.Value, 10))
	}
	if offset != nil {
		pr.str(" OFFSET " + strconv.FormatInt(offset.Value, 10))
	}
}

func (pr *printer) selectItem(it *SelectItem) {
	pr.expr(it.Expr, precOr)
	if it.Explicit {
		pr.str(" AS ")
		pr.ident(it.Name)
	}
}

func (pr *printer) groupItem(g *GroupItem) {
	pr.expr(g.Expr, precOr)
	if g.Name != "" {
		pr.str(" AS ")
		pr.ident(g.Name)
	}
}

func (pr *printer) orderItem(o *OrderItem) {
	pr.expr(o.Expr, precOr)
	if o.Desc {
		pr.str(" DESC")
	}
	if o.NullsLast {
		pr.str(" NULLS LAST")
	}
}

func (pr *printer) from(f From) {
	switch f := f.(type) {
	case *Table:
		pr.path(f.Path)
		pr.alias(f.Alias)
	case *ReadFile:
		pr.str("READ_FILE(" + quoteString(f.Name) + ")")
		pr.alias(f.Alias)
	case *TableGlob:
		pr.str("TABLE_GLOB(" + quoteString(f.Pattern) + ")")
		pr.alias(f.Alias)
	case *TablePattern:
		pr.str("TABLE_PATTERN(" + quoteString(f.Pattern) + ")")
		pr.alias(f.Alias)
	case *SubqueryFrom:
		pr.str("(")
		pr.query(f.Query)
		pr.str(")")
		pr.alias(f.Alias)
	case *Append:
		join(pr, " ++ ", f.Items, pr.from)
		pr.alias(f.Alias)
	case *Unpivot:
		pr.str("UNPIVOT ")
		pr.from(f.Source)
		if f.As != "" {
			pr.str(" AS ")
			pr.ident(f.As)
		}
		if f.At != "" {
			pr.str(" AT ")
			pr.ident(f.At)
		}
	case *Join:
		pr.from(f.Left)
		if f.Kind == JoinComma {
			pr.str(", ")
		} else {
			pr.str(" " + f.Kind.String() + " ")
		}
		pr.from(f.Right)
		if f.On != nil {
			pr.str(" ON ")
			pr.expr(f.On, precOr)
		}
	}
}

func (pr *printer) alias(a string) {
	if a != "" {
		pr.str(" AS ")
		pr.ident(a)
	}
}

// String methods: every node prints as SQL.

func (n *Null) String() string         { return Format(n) }
func (n *Missing) String() string      { return Format(n) }
func (n *Bool) String() string         { return Format(n) }
func (n *Int) String() string          { return Format(n) }
func (n *BigInt) String() string       { return Format(n) }
func (n *Float) String() string        { return Format(n) }
func (n *String) String() string       { return Format(n) }
func (n *Timestamp) String() string    { return Format(n) }
func (n *Path) String() string         { return Format(n) }
func (n *Star) String() string         { return Format(n) }
func (n *Unary) String() string        { return Format(n) }
func (n *Binary) String() string       { return Format(n) }
func (n *Not) String() string          { return Format(n) }
func (n *Is) String() string           { return Format(n) }
func (n *Like) String() string         { return Format(n) }
func (n *Between) String() string      { return Format(n) }
func (n *In) String() string           { return Format(n) }
func (n *Exists) String() string       { return Format(n) }
func (n *Subquery) String() string     { return Format(n) }
func (n *Case) String() string         { return Format(n) }
func (n *When) String() string         { return Format(n) }
func (n *Cast) String() string         { return Format(n) }
func (n *Call) String() string         { return Format(n) }
func (n *Window) String() string       { return Format(n) }
func (n *StructLit) String() string    { return Format(n) }
func (n *Field) String() string        { return Format(n) }
func (n *ListLit) String() string      { return Format(n) }
func (n *Statement) String() string    { return Format(n) }
func (n *Explain) String() string      { return Format(n) }
func (n *Query) String() string        { return Format(n) }
func (n *CTE) String() string          { return Format(n) }
func (n *Select) String() string       { return Format(n) }
func (n *SelectItem) String() string   { return Format(n) }
func (n *GroupItem) String() string    { return Format(n) }
func (n *OrderItem) String() string    { return Format(n) }
func (n *Union) String() string        { return Format(n) }
func (n *Table) String() string        { return Format(n) }
func (n *ReadFile) String() string     { return Format(n) }
func (n *TableGlob) String() string    { return Format(n) }
func (n *TablePattern) String() string { return Format(n) }
func (n *SubqueryFrom) String() string { return Format(n) }
func (n *Append) String() string       { return Format(n) }
func (n *Unpivot) String() string      { return Format(n) }
func (n *Join) String() string         { return Format(n) }
