package sql

import (
	"math"
	"math/big"
	"testing"
	"time"
)

// Helpers that build trees by hand; positions are left zero (Equal ignores them).
func p(root string, fields ...string) *Path { return NewPath(root, fields...) }
func i64(v int64) *Int                      { return &Int{Value: v} }
func str(s string) *String                  { return &String{Value: s} }
func bin(op BinaryOp, l, r Expr) *Binary    { return &Binary{Op: op, Left: l, Right: r} }
func call(name string, args ...Expr) *Call {
	return &Call{Name: name, Args: args}
}

func mustParse(t *testing.T, src string) *Statement {
	t.Helper()
	st, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return st
}

func mustSelect(t *testing.T, src string) *Select {
	t.Helper()
	st := mustParse(t, src)
	s, ok := st.Query.Body.(*Select)
	if !ok {
		t.Fatalf("%q: body is %T", src, st.Query.Body)
	}
	return s
}

func mustExpr(t *testing.T, src string) Expr {
	t.Helper()
	e, err := ParseExpr(src)
	if err != nil {
		t.Fatalf("ParseExpr(%q): %v", src, err)
	}
	return e
}

func TestParseLiterals(t *testing.T) {
	minInt, _ := new(big.Int).SetString("-9223372036854775809", 10)
	huge, _ := new(big.Int).SetString("99999999999999999999", 10)
	tests := []struct {
		src  string
		want Expr
	}{
		{"NULL", &Null{}},
		{"null", &Null{}},
		{"MISSING", &Missing{}},
		{"TRUE", &Bool{Value: true}},
		{"false", &Bool{Value: false}},
		{"42", i64(42)},
		{"-42", i64(-42)},
		{"- 42", i64(-42)},
		{"+42", i64(42)},
		{"-9223372036854775808", i64(math.MinInt64)},
		{"-9223372036854775809", &BigInt{Value: minInt}},
		{"99999999999999999999", &BigInt{Value: huge}},
		{"1.5", &Float{Value: 1.5}},
		{"-1.5", &Float{Value: -1.5}},
		{"-0.0", &Float{Value: math.Copysign(0, -1)}},
		{"1e3", &Float{Value: 1000}},
		{"'abc'", str("abc")},
		{"`2023-01-04T10:33:54.746Z`", &Timestamp{Value: time.Date(2023, 1, 4, 10, 33, 54, 746e6, time.UTC).UnixMicro()}},
		{"-(1)", &Unary{Op: OpNeg, X: i64(1)}},
		{"-x", &Unary{Op: OpNeg, X: p("x")}},
		{"~0", &Unary{Op: OpBitNot, X: i64(0)}},
		{"[]", &ListLit{}},
		{"[1, 'a', NULL]", &ListLit{Elems: []Expr{i64(1), str("a"), &Null{}}}},
		{"{}", &StructLit{}},
		{"[NULL]", &ListLit{Elems: []Expr{&Null{}}}},                                         // ] after NULL: still a keyword
		{"{'a': TRUE}", &StructLit{Fields: []*Field{{Key: "a", Value: &Bool{Value: true}}}}}, // so is } after TRUE
		{"[null.x]", &ListLit{Elems: []Expr{p("null", "x")}}},                                // but a dot makes it a name
		{"{'a': 1, 'b': {'c': x}}", &StructLit{Fields: []*Field{
			{Key: "a", Value: i64(1)},
			{Key: "b", Value: &StructLit{Fields: []*Field{{Key: "c", Value: p("x")}}}},
		}}},
	}
	for _, tc := range tests {
		if got := mustExpr(t, tc.src); !Equal(got, tc.want) {
			t.Errorf("%s: got %s (%T), want %s", tc.src, got, got, tc.want)
		}
	}
}

func TestParsePaths(t *testing.T) {
	tests := []struct {
		src  string
		want *Path
	}{
		{"a", p("a")},
		{"a.b.c", p("a", "b", "c")},
		{"a[3]", &Path{Root: "a", Steps: []PathStep{IndexStep(3)}}},
		{"a['field']", p("a", "field")}, // same as a.field
		{`a."quoted field"`, p("a", "quoted field")},
		{`"$source"."record"."tags"`, p("$source", "record", "tags")},
		{"a.b[0].c", &Path{Root: "a", Steps: []PathStep{FieldStep("b"), IndexStep(0), FieldStep("c")}}},
		{"x.count", p("x", "count")},
		{"x.select", p("x", "select")}, // a word after a dot is never a keyword
		{"order.id", p("order", "id")}, // a keyword followed by a dot is a name
		{"Case_Sensitive", p("Case_Sensitive")},
	}
	for _, tc := range tests {
		if got := mustExpr(t, tc.src); !Equal(got, tc.want) {
			t.Errorf("%s: got %s, want %s", tc.src, got, tc.want)
		}
	}
}

func TestParsePredicates(t *testing.T) {
	tests := []struct {
		src  string
		want Expr
	}{
		{"x IS NULL", &Is{X: p("x"), Kind: IsNull}},
		{"x IS NOT NULL", &Is{X: p("x"), Kind: IsNull, Not: true}},
		{"x IS MISSING", &Is{X: p("x"), Kind: IsMissing}},
		{"x IS NOT MISSING", &Is{X: p("x"), Kind: IsMissing, Not: true}},
		{"x IS TRUE", &Is{X: p("x"), Kind: IsTrue}},
		{"x IS NOT FALSE", &Is{X: p("x"), Kind: IsFalse, Not: true}},
		{"s LIKE 'a%'", &Like{X: p("s"), Kind: LikeLike, Pattern: str("a%")}},
		{"s NOT LIKE 'a%'", &Like{X: p("s"), Kind: LikeLike, Pattern: str("a%"), Not: true}},
		{"s LIKE 'a!%' ESCAPE '!'", &Like{X: p("s"), Kind: LikeLike, Pattern: str("a!%"), Escape: str("!")}},
		{"s ILIKE 'a%'", &Like{X: p("s"), Kind: LikeILike, Pattern: str("a%")}},
		{"s NOT ILIKE 'a%'", &Like{X: p("s"), Kind: LikeILike, Pattern: str("a%"), Not: true}},
		{"s ~~ 'a%'", &Like{X: p("s"), Kind: LikeLike, Pattern: str("a%")}},
		{"s ~~* 'a%'", &Like{X: p("s"), Kind: LikeILike, Pattern: str("a%")}},
		{"s SIMILAR TO '(a|b)%'", &Like{X: p("s"), Kind: LikeSimilar, Pattern: str("(a|b)%")}},
		{"s NOT SIMILAR TO 'x'", &Like{X: p("s"), Kind: LikeSimilar, Pattern: str("x"), Not: true}},
		{"s ~ '^a'", &Like{X: p("s"), Kind: LikeRegex, Pattern: str("^a")}},
		{"s ~* '^a'", &Like{X: p("s"), Kind: LikeRegexCI, Pattern: str("^a")}},
		{"x BETWEEN 1 AND 2", &Between{X: p("x"), Lo: i64(1), Hi: i64(2)}},
		{"x NOT BETWEEN a AND b", &Between{X: p("x"), Lo: p("a"), Hi: p("b"), Not: true}},
		{"x IN ('foo', 3, 3.5, FALSE, NULL)", &In{X: p("x"), List: []Expr{str("foo"), i64(3), &Float{Value: 3.5}, &Bool{}, &Null{}}}},
		{"x NOT IN (1)", &In{X: p("x"), List: []Expr{i64(1)}, Not: true}},
	}
	for _, tc := range tests {
		if got := mustExpr(t, tc.src); !Equal(got, tc.want) {
			t.Errorf("%s: got %s, want %s", tc.src, got, tc.want)
		}
	}
	in := mustExpr(t, "x IN (SELECT y FROM t)").(*In)
	if in.Query == nil || in.List != nil {
		t.Errorf("IN (subquery): got list %v query %v", in.List, in.Query)
	}
	ex := mustExpr(t, "NOT EXISTS (SELECT * FROM t WHERE a = b)")
	if n, ok := ex.(*Not); !ok {
		t.Errorf("NOT EXISTS: got %T", ex)
	} else if _, ok := n.X.(*Exists); !ok {
		t.Errorf("NOT EXISTS: operand %T", n.X)
	}
}

func TestParseCaseCast(t *testing.T) {
	tests := []struct {
		src  string
		want Expr
	}{
		{"CASE WHEN a THEN 1 ELSE 2 END", &Case{Whens: []*When{{Cond: p("a"), Then: i64(1)}}, Else: i64(2)}},
		{"CASE x WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", &Case{Operand: p("x"), Whens: []*When{
			{Cond: i64(1), Then: str("one")}, {Cond: i64(2), Then: str("two")}}}},
		{"CAST(x AS INTEGER)", &Cast{X: p("x"), Type: CastInteger}},
		{"CAST(x AS int)", &Cast{X: p("x"), Type: CastInteger}},
		{"CAST(x AS float)", &Cast{X: p("x"), Type: CastFloat}},
		{"CAST(x AS DOUBLE)", &Cast{X: p("x"), Type: CastFloat}},
		{"CAST(x AS boolean)", &Cast{X: p("x"), Type: CastBoolean}},
		{"CAST(x AS BOOL)", &Cast{X: p("x"), Type: CastBoolean}},
		{"CAST(x AS string)", &Cast{X: p("x"), Type: CastString}},
		{"CAST(x AS VARCHAR)", &Cast{X: p("x"), Type: CastString}},
		{"CAST(x AS TIMESTAMP)", &Cast{X: p("x"), Type: CastTimestamp}},
		{"CAST(x AS STRUCT)", &Cast{X: p("x"), Type: CastStruct}},
		{"CAST(x AS LIST)", &Cast{X: p("x"), Type: CastList}},
		{"CAST(x AS DECIMAL)", &Cast{X: p("x"), Type: CastDecimal}},
		{"CAST(x AS SYMBOL)", &Cast{X: p("x"), Type: CastSymbol}},
		{"CAST(x AS NULL)", &Cast{X: p("x"), Type: CastNull}},
		{"CAST(x AS MISSING)", &Cast{X: p("x"), Type: CastMissing}},
	}
	for _, tc := range tests {
		if got := mustExpr(t, tc.src); !Equal(got, tc.want) {
			t.Errorf("%s: got %s, want %s", tc.src, got, tc.want)
		}
	}
}

func TestParseCalls(t *testing.T) {
	tests := []struct {
		src  string
		want Expr
	}{
		{"f()", call("F")},
		{"lower(s)", call("LOWER", p("s"))},
		{"Log(4, 11)", call("LOG", i64(4), i64(11))},
		{"COUNT(*)", &Call{Name: "COUNT", Star: true}},
		{"sneller_datashape(*)", &Call{Name: "SNELLER_DATASHAPE", Star: true}},
		{"COUNT(DISTINCT d)", &Call{Name: "COUNT", Distinct: true, Args: []Expr{p("d")}}},
		{"SUM(x) FILTER (WHERE x > 0)", &Call{Name: "SUM", Args: []Expr{p("x")}, Filter: bin(OpGt, p("x"), i64(0))}},
		{"COUNT(*) OVER (PARTITION BY x)", &Call{Name: "COUNT", Star: true, Over: &Window{PartitionBy: []Expr{p("x")}}}},
		{"ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY COUNT(*) DESC, c)", &Call{Name: "ROW_NUMBER", Over: &Window{
			PartitionBy: []Expr{p("a"), p("b")},
			OrderBy:     []*OrderItem{{Expr: &Call{Name: "COUNT", Star: true}, Desc: true}, {Expr: p("c")}},
		}}},
		{"RANK() OVER (ORDER BY SUM(v))", &Call{Name: "RANK", Over: &Window{OrderBy: []*OrderItem{{Expr: call("SUM", p("v"))}}}}},
		{"SUM(x) FILTER (WHERE b) OVER (PARTITION BY g)", &Call{Name: "SUM", Args: []Expr{p("x")}, Filter: p("b"), Over: &Window{PartitionBy: []Expr{p("g")}}}},
		{"DATE_ADD(MICROSECOND, 1, t)", &Call{Name: "DATE_ADD", Part: Microsecond, Args: []Expr{i64(1), p("t")}}},
		{"date_add(microseconds, 1, t)", &Call{Name: "DATE_ADD", Part: Microsecond, Args: []Expr{i64(1), p("t")}}},
		{"DATE_ADD(DAY, -1, `2022-01-03T00:00:00Z`)", &Call{Name: "DATE_ADD", Part: Day, Args: []Expr{i64(-1), &Timestamp{Value: 1641168000000000}}}},
		{"DATE_DIFF(QUARTER, t1, t2)", &Call{Name: "DATE_DIFF", Part: Quarter, Args: []Expr{p("t1"), p("t2")}}},
		{"DATE_DIFF(MILLISECONDS, a, b)", &Call{Name: "DATE_DIFF", Part: Millisecond, Args: []Expr{p("a"), p("b")}}},
		{"DATE_TRUNC(MONTH, t)", &Call{Name: "DATE_TRUNC", Part: Month, Args: []Expr{p("t")}}},
		{"DATE_TRUNC(WEEK(MONDAY), t)", &Call{Name: "DATE_TRUNC", Part: Week, WeekStart: Monday, Args: []Expr{p("t")}}},
		{"DATE_TRUNC(week(sunday), t)", &Call{Name: "DATE_TRUNC", Part: Week, WeekStart: Sunday, Args: []Expr{p("t")}}},
		{"EXTRACT(DOW FROM t)", &Call{Name: "EXTRACT", Part: DOW, Args: []Expr{p("t")}}},
		{"EXTRACT(year FROM DATE_ADD(SECOND, 1, t))", &Call{Name: "EXTRACT", Part: Year, Args: []Expr{
			&Call{Name: "DATE_ADD", Part: Second, Args: []Expr{i64(1), p("t")}}}}},
		{"TRIM(s)", call("TRIM", p("s"))},
		{"TRIM(s, 'XYZ')", call("TRIM", p("s"), str("XYZ"))},
		{"TRIM(BOTH FROM s)", call("TRIM", p("s"))},
		{"TRIM('x' FROM s)", call("TRIM", p("s"), str("x"))},
		{"TRIM(BOTH 'x' FROM s)", call("TRIM", p("s"), str("x"))},
		{"TRIM(LEADING FROM s)", call("LTRIM", p("s"))},
		{"TRIM(leading 'x' FROM s)", call("LTRIM", p("s"), str("x"))},
		{"TRIM(TRAILING 'x' FROM s)", call("RTRIM", p("s"), str("x"))},
		{"TRIM(leading)", call("TRIM", p("leading"))}, // a field that happens to be called leading
		{"SUBSTRING(s, 2, 2)", call("SUBSTRING", p("s"), i64(2), i64(2))},
		{"SUBSTRING(s, 3)", call("SUBSTRING", p("s"), i64(3))},
		{"SUBSTRING(s FROM 2 FOR 3)", call("SUBSTRING", p("s"), i64(2), i64(3))},
		{"SUBSTRING(s FROM 2)", call("SUBSTRING", p("s"), i64(2))},
		{"SUBSTRING(s FOR 3)", call("SUBSTRING", p("s"), i64(1), i64(3))},
		{"POSITION('a' IN s)", call("POSITION", str("a"), p("s"))},
		{"POSITION('a', s)", call("POSITION", str("a"), p("s"))},
		{"UTCNOW()", call("UTCNOW")},
		{"NULLIF(a, b)", call("NULLIF", p("a"), p("b"))},
		{"COALESCE(a, b, 1)", call("COALESCE", p("a"), p("b"), i64(1))},
		{"DATE_BIN('1 day', ts, `1990-01-01T00:00:30`)", call("DATE_BIN", str("1 day"), p("ts"), &Timestamp{Value: 631152030000000})},
	}
	for _, tc := range tests {
		if got := mustExpr(t, tc.src); !Equal(got, tc.want) {
			t.Errorf("%s: got %s, want %s", tc.src, got, tc.want)
		}
	}
}

func TestParseSelectClauses(t *testing.T) {
	s := mustSelect(t, `SELECT DISTINCT a, b AS bee, c "see", d dee, COUNT(*) AS all, *
		INTO db.out FROM input WHERE a > 1 GROUP BY a, b AS g HAVING COUNT(*) > 2
		ORDER BY a DESC NULLS LAST, b ASC NULLS FIRST, c LIMIT 10 OFFSET 5`)
	if !s.Distinct || s.DistinctOn != nil {
		t.Errorf("distinct: %v %v", s.Distinct, s.DistinctOn)
	}
	wantItems := []struct {
		name     string
		explicit bool
	}{{"", false}, {"bee", true}, {"see", true}, {"dee", true}, {"all", true}, {"", false}}
	if len(s.Items) != len(wantItems) {
		t.Fatalf("got %d items", len(s.Items))
	}
	for i, w := range wantItems {
		if s.Items[i].Name != w.name || s.Items[i].Explicit != w.explicit {
			t.Errorf("item %d: name %q explicit %v, want %q %v", i, s.Items[i].Name, s.Items[i].Explicit, w.name, w.explicit)
		}
	}
	if _, ok := s.Items[5].Expr.(*Star); !ok {
		t.Errorf("item 5: %T, want *Star", s.Items[5].Expr)
	}
	if !Equal(s.Into, p("db", "out")) {
		t.Errorf("into: %v", s.Into)
	}
	if !Equal(s.From, &Table{Path: p("input")}) {
		t.Errorf("from: %v", s.From)
	}
	if !Equal(s.Where, bin(OpGt, p("a"), i64(1))) {
		t.Errorf("where: %v", s.Where)
	}
	if len(s.GroupBy) != 2 || s.GroupBy[0].Name != "" || s.GroupBy[1].Name != "g" || !Equal(s.GroupBy[1].Expr, p("b")) {
		t.Errorf("group by: %v", s.GroupBy)
	}
	if !Equal(s.Having, bin(OpGt, &Call{Name: "COUNT", Star: true}, i64(2))) {
		t.Errorf("having: %v", s.Having)
	}
	wantOrder := []*OrderItem{{Expr: p("a"), Desc: true, NullsLast: true}, {Expr: p("b")}, {Expr: p("c")}}
	if len(s.OrderBy) != 3 {
		t.Fatalf("order by: %v", s.OrderBy)
	}
	for i, o := range wantOrder {
		if !Equal(s.OrderBy[i], o) {
			t.Errorf("order item %d: %v, want %v", i, s.OrderBy[i], o)
		}
	}
	if s.Limit == nil || s.Limit.Value != 10 || s.Offset == nil || s.Offset.Value != 5 {
		t.Errorf("limit/offset: %v %v", s.Limit, s.Offset)
	}

	on := mustSelect(t, "SELECT DISTINCT ON (x, y) * FROM t")
	if on.Distinct || len(on.DistinctOn) != 2 || !Equal(on.DistinctOn[1], p("y")) {
		t.Errorf("distinct on: %v %v", on.Distinct, on.DistinctOn)
	}
	nofrom := mustSelect(t, "SELECT 'foo' || 'bar' AS x")
	if nofrom.From != nil || len(nofrom.Items) != 1 {
		t.Errorf("select without from: %v", nofrom)
	}
	// ASC, DESC, NULLS, FIRST and LAST are contextual: they remain usable as names.
	ctx := mustSelect(t, "SELECT desc, first, last, nulls FROM t ORDER BY desc DESC")
	if len(ctx.Items) != 4 || !Equal(ctx.Items[0].Expr, p("desc")) || ctx.Items[0].Explicit || !ctx.OrderBy[0].Desc {
		t.Errorf("contextual words: %s", ctx)
	}
}

func TestParseFrom(t *testing.T) {
	tests := []struct {
		src  string
		want From
	}{
		{"SELECT * FROM input", &Table{Path: p("input")}},
		{"SELECT * FROM db.tbl", &Table{Path: p("db", "tbl")}},
		{`SELECT * FROM "my db"."my table" AS t`, &Table{Path: p("my db", "my table"), Alias: "t"}},
		{"SELECT * FROM input i", &Table{Path: p("input"), Alias: "i"}},
		{"SELECT * FROM read_file('db/x/packed-1.zion') AS r", &ReadFile{Name: "db/x/packed-1.zion", Alias: "r"}},
		{`SELECT * FROM TABLE_GLOB("inp?t[02]")`, &TableGlob{Pattern: "inp?t[02]"}},
		{`SELECT * FROM table_pattern('(a|b)[1-2]') x`, &TablePattern{Pattern: "(a|b)[1-2]", Alias: "x"}},
		{"SELECT * FROM input0 ++ input1 ++ input2", &Append{Items: []From{
			&Table{Path: p("input0")}, &Table{Path: p("input1")}, &Table{Path: p("input2")}}}},
		{"SELECT * FROM a ++ b AS ab", &Append{Items: []From{&Table{Path: p("a")}, &Table{Path: p("b")}}, Alias: "ab"}},
		{"SELECT * FROM t AS o, o.arr AS x", &Join{Kind: JoinComma,
			Left: &Table{Path: p("t"), Alias: "o"}, Right: &Table{Path: p("o", "arr"), Alias: "x"}}},
		{"SELECT out FROM input as l0, l0.arr as l1, l1 as out", &Join{Kind: JoinComma,
			Left:  &Join{Kind: JoinComma, Left: &Table{Path: p("input"), Alias: "l0"}, Right: &Table{Path: p("l0", "arr"), Alias: "l1"}},
			Right: &Table{Path: p("l1"), Alias: "out"}}},
		{"SELECT * FROM a CROSS JOIN b", &Join{Kind: JoinCross, Left: &Table{Path: p("a")}, Right: &Table{Path: p("b")}}},
		{"SELECT * FROM a JOIN b ON a.x = b.y", &Join{Kind: JoinInner, Left: &Table{Path: p("a")}, Right: &Table{Path: p("b")},
			On: bin(OpEq, p("a", "x"), p("b", "y"))}},
		{"SELECT * FROM a INNER JOIN b ON x", &Join{Kind: JoinInner, Left: &Table{Path: p("a")}, Right: &Table{Path: p("b")}, On: p("x")}},
		{"SELECT * FROM a LEFT JOIN b ON x", &Join{Kind: JoinLeft, Left: &Table{Path: p("a")}, Right: &Table{Path: p("b")}, On: p("x")}},
		{"SELECT * FROM a LEFT OUTER JOIN b ON x", &Join{Kind: JoinLeft, Left: &Table{Path: p("a")}, Right: &Table{Path: p("b")}, On: p("x")}},
		{"SELECT * FROM a RIGHT JOIN b ON x", &Join{Kind: JoinRight, Left: &Table{Path: p("a")}, Right: &Table{Path: p("b")}, On: p("x")}},
		{"SELECT * FROM a FULL OUTER JOIN b ON x", &Join{Kind: JoinFull, Left: &Table{Path: p("a")}, Right: &Table{Path: p("b")}, On: p("x")}},
		{"SELECT * FROM UNPIVOT input AS val AT key", &Unpivot{Source: &Table{Path: p("input")}, As: "val", At: "key"}},
		{"SELECT * FROM UNPIVOT input AT key AS val", &Unpivot{Source: &Table{Path: p("input")}, As: "val", At: "key"}},
		{"SELECT * FROM UNPIVOT input AS val", &Unpivot{Source: &Table{Path: p("input")}, As: "val"}},
		{"SELECT * FROM UNPIVOT input AT k", &Unpivot{Source: &Table{Path: p("input")}, At: "k"}},
		{"SELECT * FROM UNPIVOT x.y AS v", &Unpivot{Source: &Table{Path: p("x", "y")}, As: "v"}},
		{"SELECT * FROM UNPIVOT input AS v, t", &Join{Kind: JoinComma,
			Left: &Unpivot{Source: &Table{Path: p("input")}, As: "v"}, Right: &Table{Path: p("t")}}},
	}
	for _, tc := range tests {
		if got := mustSelect(t, tc.src).From; !Equal(got, tc.want) {
			t.Errorf("%s:\n got  %s\n want %s", tc.src, got, tc.want)
		}
	}
	sub := mustSelect(t, "SELECT * FROM (SELECT a FROM t) AS s").From.(*SubqueryFrom)
	if sub.Alias != "s" || sub.Query == nil {
		t.Errorf("subquery from: %v", sub)
	}
	up := mustSelect(t, "SELECT DISTINCT cols, vals FROM UNPIVOT (SELECT * FROM UNPIVOT input AS a AT b) AT cols AS vals").From.(*Unpivot)
	if _, ok := up.Source.(*SubqueryFrom); !ok || up.As != "vals" || up.At != "cols" {
		t.Errorf("unpivot of a subquery: %v", up)
	}
}

func TestParseQueries(t *testing.T) {
	st := mustParse(t, `WITH a AS (SELECT 1 AS x), "b c" AS (SELECT x FROM a) SELECT * FROM "b c"`)
	if st.Explain != nil || len(st.Query.With) != 2 || st.Query.With[1].Name != "b c" {
		t.Errorf("with: %v", st)
	}

	ex := mustParse(t, "EXPLAIN AS graphviz SELECT 1")
	if ex.Explain == nil || ex.Explain.Format != "graphviz" {
		t.Errorf("explain: %v", ex.Explain)
	}
	if ex := mustParse(t, "explain SELECT 1;"); ex.Explain == nil || ex.Explain.Format != "" {
		t.Errorf("explain without format: %v", ex.Explain)
	}

	// UNION chains nest to the right; a trailing ORDER BY/LIMIT applies to the whole union.
	u := mustParse(t, "SELECT a FROM x UNION ALL SELECT b FROM y UNION SELECT c FROM z ORDER BY a LIMIT 3").Query
	top, ok := u.Body.(*Union)
	if !ok || !top.All {
		t.Fatalf("union: %T %v", u.Body, u.Body)
	}
	inner, ok := top.Right.(*Union)
	if !ok || inner.All {
		t.Fatalf("right of union: %T", top.Right)
	}
	last := inner.Right.(*Select)
	if len(last.OrderBy) != 0 || last.Limit != nil || len(u.OrderBy) != 1 || u.Limit == nil || u.Limit.Value != 3 {
		t.Errorf("trailing ORDER BY/LIMIT of a union: select %v %v, query %v %v", last.OrderBy, last.Limit, u.OrderBy, u.Limit)
	}
	// A parenthesised operand keeps its own clauses.
	u2 := mustParse(t, "(SELECT a FROM x ORDER BY a LIMIT 1) UNION (SELECT b FROM y LIMIT 2)").Query
	b := u2.Body.(*Union)
	if l := b.Left.(*Select); l.Limit == nil || l.Limit.Value != 1 || len(l.OrderBy) != 1 {
		t.Errorf("left operand lost its clauses: %v", l)
	}
	if r := b.Right.(*Select); r.Limit == nil || r.Limit.Value != 2 || u2.Limit != nil {
		t.Errorf("parenthesised right operand: %v, query limit %v", r, u2.Limit)
	}
	// Without UNION, ORDER BY stays in the SELECT.
	q := mustParse(t, "SELECT a FROM t ORDER BY a LIMIT 5").Query
	if q.OrderBy != nil || q.Limit != nil || q.Body.(*Select).Limit.Value != 5 {
		t.Errorf("plain select: %v", q)
	}
	// Scalar subqueries, correlated or not.
	s := mustSelect(t, "SELECT x, (SELECT y FROM input1 WHERE f = x LIMIT 1) AS y FROM input0")
	if _, ok := s.Items[1].Expr.(*Subquery); !ok || s.Items[1].Name != "y" {
		t.Errorf("scalar subquery: %T", s.Items[1].Expr)
	}
}

func TestParseKeywordAfterAS(t *testing.T) {
	s := mustSelect(t, "SELECT COUNT(*) AS all, SUM(x) AS sum, BIT_OR(y) AS or, x AS from, y AS select FROM input AS outer, outer.fields AS x")
	if w := mustSelect(t, "SELECT * FROM t AS select WHERE select.x"); w.From.(*Table).Alias != "select" || !Equal(w.Where, p("select", "x")) {
		t.Errorf("alias select: %s", w)
	}
	for i, want := range []string{"all", "sum", "or", "from", "select"} {
		if s.Items[i].Name != want {
			t.Errorf("item %d: %q, want %q", i, s.Items[i].Name, want)
		}
	}
	j := s.From.(*Join)
	if j.Left.(*Table).Alias != "outer" || !Equal(j.Right.(*Table).Path, p("outer", "fields")) {
		t.Errorf("from: %s", s.From)
	}
}

func TestParseComments(t *testing.T) {
	src := `SELECT
  MAX(id) AS max_id, # symbol ID 8
  version,           -- symbol ID 5
  /* a /* nested */ comment */ name
FROM input # trailing
`
	s := mustSelect(t, src)
	if len(s.Items) != 3 || !Equal(s.Items[2].Expr, p("name")) {
		t.Errorf("got %s", s)
	}
}

func TestParseSemicolon(t *testing.T) {
	mustParse(t, "SELECT 1;")
	if _, err := Parse("SELECT 1;;"); err == nil {
		t.Error("two semicolons accepted")
	}
	if _, err := ParseQuery("SELECT 1; SELECT 2"); err == nil {
		t.Error("two statements accepted")
	}
}
