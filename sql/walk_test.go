package sql

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestInspectVisitsEverything(t *testing.T) {
	st := mustParse(t, `WITH c AS (SELECT k FROM src)
		SELECT DISTINCT ON (d1) a.b, CASE WHEN w1 THEN t1 ELSE e1 END, SUM(s1) FILTER (WHERE f1) OVER (PARTITION BY p1 ORDER BY o1),
		       {'k': v1}, [l1], CAST(c1 AS INTEGER), x1 BETWEEN lo1 AND hi1, y1 LIKE pat1 ESCAPE esc1, z1 IN (SELECT q1 FROM c),
		       EXISTS (SELECT 1 FROM u WHERE ex1), (SELECT sq1)
		FROM t AS o, o.arr AS x JOIN UNPIVOT (SELECT * FROM v) AS val AT key ON on1
		WHERE wh1 GROUP BY g1 AS gg HAVING h1 ORDER BY ob1 LIMIT 1`)
	var roots []string
	counts := map[string]int{}
	Inspect(st, func(n Node) bool {
		counts[fmt.Sprintf("%T", n)]++
		if pth, ok := n.(*Path); ok {
			roots = append(roots, pth.Root)
		}
		return true
	})
	// Source order: the WITH query, DISTINCT ON, the items, FROM (o.arr is rooted at o), ...
	want := "k src d1 a w1 t1 e1 s1 f1 p1 o1 v1 l1 c1 x1 lo1 hi1 y1 pat1 esc1 z1 q1 c u ex1 sq1 t o v on1 wh1 g1 h1 ob1"
	if got := strings.Join(roots, " "); got != want {
		t.Errorf("paths visited in order:\n got  %s\n want %s", got, want)
	}
	for _, typ := range []string{"*sql.Statement", "*sql.Query", "*sql.CTE", "*sql.Select", "*sql.SelectItem",
		"*sql.Case", "*sql.When", "*sql.Call", "*sql.Window", "*sql.OrderItem", "*sql.StructLit", "*sql.Field",
		"*sql.ListLit", "*sql.Cast", "*sql.Between", "*sql.Like", "*sql.In", "*sql.Exists", "*sql.Subquery",
		"*sql.Join", "*sql.Table", "*sql.Unpivot", "*sql.SubqueryFrom", "*sql.GroupItem", "*sql.Int", "*sql.Star"} {
		if counts[typ] == 0 {
			t.Errorf("Inspect never visited a %s", typ)
		}
	}
}

func TestInspectSkipsChildren(t *testing.T) {
	st := mustParse(t, "SELECT a, (SELECT b FROM t WHERE c) FROM u WHERE EXISTS (SELECT d)")
	var roots []string
	Inspect(st, func(n Node) bool {
		switch n := n.(type) {
		case *Path:
			roots = append(roots, n.Root)
		case *Query:
			return n == st.Query // do not enter subqueries
		}
		return true
	})
	if got := strings.Join(roots, " "); got != "a u" {
		t.Errorf("got %q, want \"a u\"", got)
	}
}

type depthVisitor struct {
	depth, max *int
}

func (v depthVisitor) Visit(n Node) Visitor {
	if n == nil {
		*v.depth--
		return nil
	}
	*v.depth++
	if *v.depth > *v.max {
		*v.max = *v.depth
	}
	return v
}

func TestWalkCallsVisitNilAfterChildren(t *testing.T) {
	var depth, max int
	Walk(depthVisitor{&depth, &max}, mustExpr(t, "a + (b * (c - d))"))
	// a+(...) → b*(...) → c-d → c: four levels; every Visit(n) was matched by a Visit(nil).
	if depth != 0 || max != 4 {
		t.Errorf("depth %d after the walk, max %d; want 0 and 4", depth, max)
	}
}

func TestRewrite(t *testing.T) {
	// A small constant folder: integer + and * on literals, applied bottom-up.
	fold := func(e Expr) Expr {
		b, ok := e.(*Binary)
		if !ok {
			return e
		}
		l, lok := b.Left.(*Int)
		r, rok := b.Right.(*Int)
		if !lok || !rok {
			return e
		}
		switch b.Op {
		case OpAdd:
			return &Int{Pos: b.Pos, Value: l.Value + r.Value}
		case OpMul:
			return &Int{Pos: b.Pos, Value: l.Value * r.Value}
		}
		return e
	}
	src := "f(1 + 2 * 3, x + 2 * 2) FILTER (WHERE y = 1 + 1) OVER (PARTITION BY 2 * 5 ORDER BY 3 + 3)"
	orig := mustExpr(t, src)
	got := Rewrite(orig, fold)
	want := mustExpr(t, "f(7, x + 4) FILTER (WHERE y = 2) OVER (PARTITION BY 10 ORDER BY 6)")
	if !Equal(got, want) {
		t.Errorf("got %s, want %s", got, want)
	}
	if !Equal(orig, mustExpr(t, src)) {
		t.Errorf("Rewrite modified its input: %s", orig)
	}

	// Nothing to change: the very same tree comes back.
	same := mustExpr(t, "CASE WHEN a THEN [b, {'c': d}] END BETWEEN x AND y")
	if Rewrite(same, fold) != same {
		t.Error("a rewrite that changes nothing returned a copy")
	}

	// Rewrite does not enter subqueries.
	rename := func(e Expr) Expr {
		if pth, ok := e.(*Path); ok && pth.Root == "x" {
			return &Path{Pos: pth.Pos, Root: "renamed", Steps: pth.Steps}
		}
		return e
	}
	q := Rewrite(mustExpr(t, "x + (SELECT x FROM t) + CASE x WHEN x THEN x END + (x IN (SELECT x))"), rename)
	if got, want := q.String(), "renamed + (SELECT x FROM t) + CASE renamed WHEN renamed THEN renamed END + (renamed IN (SELECT x))"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	// Every kind of child is reached.
	all := mustExpr(t, "-x AND NOT x IS NULL OR x LIKE x ESCAPE x OR x IN (x) OR CAST(x AS INT) OR {'k': x} OR [x] OR x BETWEEN x AND x")
	count := 0
	Rewrite(all, func(e Expr) Expr {
		if pth, ok := e.(*Path); ok && pth.Root == "x" {
			count++
		}
		return e
	})
	if count != 13 {
		t.Errorf("visited %d x paths, want 13", count)
	}
	// And replacing them changes every one.
	replaced := Rewrite(all, rename).String()
	if strings.Contains(replaced, "x") {
		t.Errorf("some x not rewritten: %s", replaced)
	}
}

func TestEqual(t *testing.T) {
	// Positions do not matter.
	a := mustParse(t, "SELECT a+1 FROM t WHERE b")
	b := mustParse(t, "select\n\n  a   +   1\nfrom t   where b -- comment")
	if !Equal(a, b) {
		t.Error("same query with other spacing is not Equal")
	}
	tests := []struct {
		x, y Node
		want bool
	}{
		{i64(1), i64(1), true},
		{i64(1), i64(2), false},
		{i64(1), &Float{Value: 1}, false},
		{&Float{Value: math.NaN()}, &Float{Value: math.NaN()}, true},
		{&Float{Value: 0}, &Float{Value: math.Copysign(0, -1)}, false},
		{&BigInt{Value: big.NewInt(5)}, &BigInt{Value: new(big.Int).SetInt64(5)}, true},
		{&BigInt{Value: big.NewInt(5)}, &BigInt{Value: big.NewInt(6)}, false},
		{str("a"), str("a"), true},
		{str("a"), p("a"), false},
		{p("a", "b"), p("a", "b"), true},
		{p("a", "b"), p("a", "c"), false},
		{p("a"), &Path{Root: "a", Steps: []PathStep{}}, true}, // nil and empty slices are equal
		{&Path{Root: "a", Steps: []PathStep{IndexStep(0)}}, &Path{Root: "a", Steps: []PathStep{FieldStep("")}}, false},
		{&Call{Name: "F", Star: true}, &Call{Name: "F"}, false},
		{&SelectItem{Expr: p("a"), Name: "a", Explicit: true}, &SelectItem{Expr: p("a"), Name: "a"}, false},
		{nil, nil, true},
		{(*Path)(nil), nil, true},
		{p("a"), nil, false},
	}
	for _, tc := range tests {
		if got := Equal(tc.x, tc.y); got != tc.want {
			t.Errorf("Equal(%v, %v) = %v", tc.x, tc.y, got)
		}
	}
}
