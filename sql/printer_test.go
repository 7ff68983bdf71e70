package sql

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// roundTrip checks that src parses, that its printed form parses to an equal tree, and that
// printing that tree gives the same text again.
func roundTrip(t *testing.T, src string) string {
	t.Helper()
	st, err := Parse(src)
	if err != nil {
		t.Errorf("Parse(%q): %v", src, err)
		return ""
	}
	text := Format(st)
	again, err := Parse(text)
	if err != nil {
		t.Errorf("%q printed as %q, which does not parse: %v", src, text, err)
		return text
	}
	if !Equal(st, again) {
		t.Errorf("%q printed as %q, which parses to a different tree (%q)", src, text, Format(again))
	}
	if t2 := Format(again); t2 != text {
		t.Errorf("printing is not stable: %q then %q", text, t2)
	}
	return text
}

func TestPrinterRoundTrip(t *testing.T) {
	queries := []string{
		"SELECT 1",
		"SELECT -1, - 1, -(1), - -1, -(-x), +x, +1, ~x, ~ ~x, ~(~x), -~x, ~-1",
		"SELECT x - -1, x-1, 2 * -3, -9223372036854775808, 9223372036854775808, -99999999999999999999",
		"SELECT 1.0, 0.5, -0.0, 1e300, 1e-300, 5e-324, 1.7976931348623157e308, 100000000000000000000.0",
		"SELECT 'it''s', 'a\\nb', 'tab\\t', 'é', '\\x00', '\\xff', \"quoted id\", \"dq\\\"\"",
		"SELECT `2023-01-04T10:33:54.746Z`, `2000-01-01`, `1999-12-31T23:59:59.999999+05:30`, `0000-01-01T00:00:00Z`, `9999-12-31T23:59:59.999999Z`",
		"SELECT a.b.c, a[0], a['x y'], a.\"select\", \"select\".x, order.id, x.count, \"$x\"[1].y",
		"SELECT * FROM t WHERE a AND b OR NOT c AND NOT (d OR e)",
		"SELECT (a OR b) AND c, NOT NOT a, (NOT a) = b, NOT a = b, !a",
		"SELECT a + b * c, (a + b) * c, a - (b - c), a - b - c, a / (b * c), a % b % c",
		"SELECT 1 & 1 | 2 & 2, 1 & (1 | 2) & 2, a << b >> c >>> d, a ^ b ^ c, a | (b | c)",
		"SELECT 'a' || b || c, 'a' || (b || c), a || b < c || d, (a < b) || c",
		"SELECT a IS NULL, a IS NOT MISSING, (a = b) IS TRUE, a IS NULL IS FALSE, (NOT a) IS NULL, NOT a IS NULL",
		"SELECT a LIKE 'x%' ESCAPE '!', a NOT ILIKE 'y', a ~~ 'z', a ~~* 'w', a ~ '^a', a ~* 'b', a SIMILAR TO '(a|b)', a NOT SIMILAR TO 'c' ESCAPE '#'",
		"SELECT (a LIKE 'x') LIKE 'y', a LIKE ('x' || y), (a = b) LIKE c, a = (b LIKE c)",
		"SELECT a BETWEEN 1 AND 2, a NOT BETWEEN b + 1 AND c * 2, a BETWEEN (b AND c) AND d, (a BETWEEN 1 AND 2) BETWEEN 3 AND 4",
		"SELECT a IN (1, 'x', NULL), a NOT IN (SELECT b FROM t), (a IN (1)) IN (TRUE), a + 1 IN (2)",
		"SELECT EXISTS (SELECT 1), NOT EXISTS (SELECT * FROM t WHERE t.x = y), (SELECT MAX(x) FROM t) + 1",
		"SELECT CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END, CASE x WHEN 1 THEN 'a' END, CASE WHEN a OR b THEN c AND d END",
		"SELECT CAST(x AS int), CAST(x + 1 AS FLOAT), CAST(CAST(x AS STRING) AS TIMESTAMP), CAST(x AS NULL), CAST(x AS MISSING)",
		"SELECT COUNT(*), COUNT(DISTINCT x), COUNT(DISTINCT x, y), f(), SUM(x) FILTER (WHERE x > 0 AND y), RANK() OVER (ORDER BY SUM(v) DESC NULLS LAST)",
		"SELECT COUNT(*) FILTER (WHERE a) OVER (PARTITION BY b, c ORDER BY d, e DESC), ROW_NUMBER() OVER ()",
		"SELECT DATE_ADD(MICROSECONDS, 1, t), DATE_DIFF(WEEK, a, b), DATE_TRUNC(WEEK(MONDAY), t), DATE_TRUNC(WEEK, t), EXTRACT(DOY FROM t)",
		"SELECT TRIM(s), TRIM(s, 'x'), TRIM(LEADING 'x' FROM s), TRIM(TRAILING FROM s), TRIM(BOTH FROM s), TRIM('x' FROM s), TRIM(FROM s)",
		"SELECT TRIM(x FROM both(y)), TRIM(leading), TRIM(\"both\" || 'x')",
		"SELECT SUBSTRING(s, 1, 2), SUBSTRING(s FROM 2 FOR 3), SUBSTRING(s FOR 3), POSITION('a' IN s), POSITION((a IN (1, 2)), b), POSITION(x = 1, y)",
		"SELECT {'a': 1, 'b': [1, 2, {'c': NULL}]}, {}, [], [[]], {'': MISSING}",
		"SELECT DISTINCT a FROM t",
		"SELECT DISTINCT ON (a, b) * FROM t",
		"SELECT a AS x, b y, c \"z w\", d AS \"select\", e AS desc, COUNT(*) AS all FROM t",
		"SELECT * INTO db.out FROM db.t",
		"SELECT * FROM t AS o, o.arr AS x, x.inner AS y",
		"SELECT * FROM a CROSS JOIN b JOIN c ON a.x = c.y LEFT JOIN d ON TRUE RIGHT OUTER JOIN e ON 1 FULL JOIN f ON 2",
		"SELECT * FROM a ++ b ++ c AS abc, d",
		"SELECT * FROM TABLE_GLOB('inp?t[02]') AS g, TABLE_PATTERN(\"(a|b)[1-2]\"), READ_FILE('x/y.zion')",
		"SELECT * FROM UNPIVOT t AS v AT k, UNPIVOT (SELECT * FROM u) AT k2, UNPIVOT a.b AS v2",
		"SELECT * FROM UNPIVOT x AS v ++ y",
		"SELECT * FROM (SELECT * FROM t) s, (SELECT 1) AS \"the one\"",
		"SELECT a FROM t WHERE x GROUP BY a, b AS c HAVING COUNT(*) > 1 ORDER BY a DESC, b NULLS LAST LIMIT 10 OFFSET 20",
		"SELECT a FROM t OFFSET 3",
		"WITH a AS (SELECT 1), \"b\" AS (SELECT * FROM a) SELECT * FROM b",
		"SELECT a FROM x UNION SELECT b FROM y",
		"SELECT a FROM x UNION ALL SELECT b FROM y UNION SELECT c FROM z ORDER BY a LIMIT 1",
		"(SELECT a FROM x ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM y LIMIT 2) ORDER BY 1",
		"SELECT a FROM x LIMIT 1 UNION SELECT b FROM y",
		"(SELECT a FROM t) ORDER BY a LIMIT 2",
		"(SELECT a FROM t LIMIT 3)",
		"SELECT (SELECT a FROM x UNION SELECT b FROM y LIMIT 3)",
		"EXPLAIN SELECT 1",
		"EXPLAIN AS json SELECT 1",
		"EXPLAIN AS \"select\" SELECT 1",
		"SELECT first, last, nulls, desc, asc, filter, over, partition, at, to, escape, year, day FROM t ORDER BY year DESC",
		"SELECT f(x) FILTER (WHERE y), filter(x), over(y) FROM t",
		"SELECT LEADING(1), both(2), FOR(3) FROM t",
	}
	for _, q := range queries {
		roundTrip(t, q)
	}
}

func TestPrinterOutput(t *testing.T) {
	// The printed form is canonical SQL: keywords in upper case, minimal parentheses, and
	// quoting only where a name needs it.
	tests := []struct{ src, want string }{
		{"select a from t where a=1 and not b", "SELECT a FROM t WHERE a = 1 AND NOT b"},
		{"select (a + b) * c, a + (b * c)", "SELECT (a + b) * c, a + b * c"},
		{"select - -x, -(1), ~(~x)", "SELECT -(-x), -(1), ~(~x)"},
		{"select x-1", "SELECT x - 1"},
		{"select 1.0, 1e3, 2.50", "SELECT 1.0, 1000.0, 2.5"},
		{"select a AS \"plain\", b AS \"two words\", c AS \"from\"", "SELECT a AS plain, b AS \"two words\", c AS \"from\""},
		{"select x from t order by x asc nulls first", "SELECT x FROM t ORDER BY x"},
		{"select x from t t1 cross join u", "SELECT x FROM t AS t1 CROSS JOIN u"},
		{"select s ~~ 'a', s ~~* 'b'", "SELECT s LIKE 'a', s ILIKE 'b'"},
		{"select !a", "SELECT NOT a"},
		{"select x <> 1, x != 1", "SELECT x <> 1, x <> 1"},
		{"select trim(leading 'x' from s)", "SELECT LTRIM(s, 'x')"},
		{"select a['b']", "SELECT a.b"},
		{"select 'it''s'", "SELECT 'it\\'s'"},
		{"select `2023-01-04 10:33:54+01:00`", "SELECT `2023-01-04T09:33:54Z`"},
	}
	for _, tc := range tests {
		st, err := Parse(tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
			continue
		}
		if got := st.String(); got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.src, got, tc.want)
		}
	}
}

func TestPrinterHandBuilt(t *testing.T) {
	// Trees a planner builds need not come from the parser; the printer still parenthesises
	// and quotes them so that they read back the same.
	x := p("x")
	tests := []Expr{
		bin(OpMul, bin(OpAdd, x, i64(1)), i64(2)),
		bin(OpSub, x, bin(OpSub, x, x)),
		bin(OpEq, &Not{X: x}, x),
		&Not{X: bin(OpAnd, x, x)},
		&Unary{Op: OpNeg, X: i64(5)},
		&Unary{Op: OpNeg, X: i64(-5)},
		&Unary{Op: OpNeg, X: &Float{Value: 2.5}},
		&Unary{Op: OpPlus, X: i64(5)},
		&Unary{Op: OpNeg, X: &Unary{Op: OpNeg, X: x}},
		&Unary{Op: OpBitNot, X: &Unary{Op: OpBitNot, X: x}},
		&Unary{Op: OpNeg, X: bin(OpAdd, x, x)},
		&Is{X: &Is{X: x, Kind: IsNull}, Kind: IsTrue, Not: true},
		&Like{X: bin(OpEq, x, x), Kind: LikeLike, Pattern: bin(OpConcat, str("a"), x)},
		&Between{X: x, Lo: bin(OpAnd, x, x), Hi: &Between{X: x, Lo: x, Hi: x}},
		&In{X: &In{X: x, List: []Expr{x}}, List: []Expr{bin(OpOr, x, x)}},
		&Path{Root: "from", Steps: []PathStep{FieldStep("two words"), IndexStep(7), FieldStep("")}},
		call("TRIM", &Call{Name: "BOTH", Args: []Expr{x}}, str("c")),
		call("LTRIM", bin(OpConcat, &Call{Name: "LEADING"}, x)),
		call("POSITION", &In{X: x, List: []Expr{x}}, x),
		&BigInt{Value: new(big.Int).Lsh(big.NewInt(1), 100)},
		&BigInt{Value: new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 100))},
		&Float{Value: math.Copysign(0, -1)},
		&String{Value: "\x00\xff\u2028'\"\\"},
	}
	for _, e := range tests {
		text := Format(e)
		back, err := ParseExpr(text)
		if err != nil {
			t.Errorf("%#v printed as %q: %v", e, text, err)
			continue
		}
		if !Equal(e, back) {
			t.Errorf("printed as %q, which reads back as %q", text, Format(back))
		}
	}
	// Non-finite floats have no literal; they print as the divisions that produce them.
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		text := Format(&Float{Value: f})
		if _, err := ParseExpr(text); err != nil || !strings.Contains(text, "/ 0.0") {
			t.Errorf("%v printed as %q (%v)", f, text, err)
		}
	}
}

// TestPrinterRandomTrees builds random expression trees over every node type, prints them,
// and checks that the text parses back to an equal tree.
func TestPrinterRandomTrees(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n; i++ {
		e := randExpr(r, 4)
		text := Format(e)
		back, err := ParseExpr(text)
		if err != nil {
			t.Fatalf("printed as %q: %v", text, err)
		}
		if !Equal(e, back) {
			t.Fatalf("printed as %q, reads back as %q", text, Format(back))
		}
	}
}

var randNames = []string{"x", "y", "a_b", "@ts", "from", "desc", "two words", "", "é", "Q\"uote", "order", "nulls", "TRUE"}

func randName(r *rand.Rand) string { return randNames[r.IntN(len(randNames))] }

func randLeaf(r *rand.Rand) Expr {
	switch r.IntN(11) {
	case 0:
		return &Null{}
	case 1:
		return &Missing{}
	case 2:
		return &Bool{Value: r.IntN(2) == 0}
	case 3:
		return i64(int64(r.Uint64()))
	case 4:
		v := new(big.Int).Lsh(big.NewInt(int64(r.IntN(1000)+1)), 64)
		if r.IntN(2) == 0 {
			v.Neg(v)
		}
		return &BigInt{Value: v}
	case 5:
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			f = math.Copysign(0, -1)
		}
		return &Float{Value: f}
	case 6:
		b := make([]byte, r.IntN(6))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return str(string(b))
	case 7:
		return &Timestamp{Value: minTimestamp + r.Int64N(maxTimestamp-minTimestamp)}
	}
	path := &Path{Root: randName(r)}
	for k := r.IntN(3); k > 0; k-- {
		if r.IntN(2) == 0 {
			path.Steps = append(path.Steps, IndexStep(r.IntN(100)))
		} else {
			path.Steps = append(path.Steps, FieldStep(randName(r)))
		}
	}
	return path
}

var randSubquery = &Query{Body: &Select{Items: []*SelectItem{{Expr: i64(1)}}}}

func randExpr(r *rand.Rand, depth int) Expr {
	if depth == 0 || r.IntN(4) == 0 {
		return randLeaf(r)
	}
	sub := func() Expr { return randExpr(r, depth-1) }
	subs := func(min int) []Expr {
		out := make([]Expr, min+r.IntN(3))
		for i := range out {
			out[i] = sub()
		}
		return out
	}
	switch r.IntN(17) {
	case 0:
		return &Unary{Op: UnaryOp(1 + r.IntN(3)), X: sub()}
	case 1, 2, 3:
		return bin(BinaryOp(1+r.IntN(int(numBinaryOps)-1)), sub(), sub())
	case 4:
		return &Not{X: sub()}
	case 5:
		return &Is{X: sub(), Kind: IsKind(1 + r.IntN(4)), Not: r.IntN(2) == 0}
	case 6:
		l := &Like{X: sub(), Kind: LikeKind(1 + r.IntN(5)), Pattern: sub()}
		if l.Kind <= LikeSimilar {
			l.Not = r.IntN(2) == 0
			if r.IntN(2) == 0 {
				l.Escape = sub()
			}
		}
		return l
	case 7:
		return &Between{X: sub(), Lo: sub(), Hi: sub(), Not: r.IntN(2) == 0}
	case 8:
		in := &In{X: sub(), Not: r.IntN(2) == 0}
		if r.IntN(4) == 0 {
			in.Query = randSubquery
		} else {
			in.List = subs(1)
		}
		return in
	case 9:
		c := &Case{}
		if r.IntN(2) == 0 {
			c.Operand = sub()
		}
		for k := 1 + r.IntN(2); k > 0; k-- {
			c.Whens = append(c.Whens, &When{Cond: sub(), Then: sub()})
		}
		if r.IntN(2) == 0 {
			c.Else = sub()
		}
		return c
	case 10:
		return &Cast{X: sub(), Type: CastType(1 + r.IntN(int(numCastTypes)-1))}
	case 11:
		s := &StructLit{}
		for k := r.IntN(3); k > 0; k-- {
			s.Fields = append(s.Fields, &Field{Key: randName(r), Value: sub()})
		}
		return s
	case 12:
		return &ListLit{Elems: subs(0)}
	case 13:
		if r.IntN(2) == 0 {
			return &Subquery{Query: randSubquery}
		}
		return &Exists{Query: randSubquery}
	}
	return randCall(r, depth)
}

var randCallNames = []string{"F", "COUNT", "SUM", "FILTER", "OVER", "LEADING", "BOTH", "LOG", "TRIM", "LTRIM", "SUBSTRING", "POSITION"}

func randCall(r *rand.Rand, depth int) Expr {
	sub := func() Expr { return randExpr(r, depth-1) }
	switch r.IntN(6) {
	case 0:
		c := &Call{Name: []string{"DATE_ADD", "DATE_DIFF"}[r.IntN(2)], Args: []Expr{sub(), sub()}}
		c.Part = []DatePart{Microsecond, Millisecond, Second, Minute, Hour, Day, Week, Month, Quarter, Year}[r.IntN(10)]
		return c
	case 1:
		c := &Call{Name: "DATE_TRUNC", Part: Week, Args: []Expr{sub()}}
		if r.IntN(2) == 0 {
			c.WeekStart = Weekday(1 + r.IntN(7))
		} else {
			c.Part = Year
		}
		return c
	case 2:
		return &Call{Name: "EXTRACT", Part: []DatePart{DOW, DOY, Microsecond, Year}[r.IntN(4)], Args: []Expr{sub()}}
	}
	c := &Call{Name: randCallNames[r.IntN(len(randCallNames))]}
	switch c.Name {
	case "TRIM", "LTRIM", "RTRIM", "SUBSTRING", "POSITION":
		for k := 1 + r.IntN(2); k > 0; k-- {
			c.Args = append(c.Args, sub())
		}
	default:
		switch r.IntN(3) {
		case 0:
			c.Star = true
		case 1:
			c.Distinct = true
			c.Args = []Expr{sub()}
		default:
			for k := r.IntN(3); k > 0; k-- {
				c.Args = append(c.Args, sub())
			}
		}
	}
	if r.IntN(3) == 0 {
		c.Filter = sub()
	}
	if r.IntN(3) == 0 {
		c.Over = &Window{PartitionBy: []Expr{sub()}, OrderBy: []*OrderItem{{Expr: sub(), Desc: r.IntN(2) == 0, NullsLast: r.IntN(2) == 0}}}
	}
	return c
}
