package sql

import "testing"

// TestPrecedence checks operator precedence and associativity by comparing the tree of each
// expression with the tree of the same expression written with explicit parentheses.
func TestPrecedence(t *testing.T) {
	tests := []struct{ src, same string }{
		// arithmetic
		{"a + b * c", "a + (b * c)"},
		{"a * b + c", "(a * b) + c"},
		{"a - b - c", "(a - b) - c"},
		{"a / b / c", "(a / b) / c"},
		{"a % b * c", "(a % b) * c"},
		{"a - b + c", "(a - b) + c"},
		{"-a * b", "(-a) * b"},
		{"-a.b", "-(a.b)"},
		{"~a + b", "(~a) + b"},
		{"- - a", "-(-a)"},
		// bitwise: & above ^ above |; shifts above &; + above shifts
		{"1 & 1 | 2 & 2", "(1 & 1) | (2 & 2)"},
		{"1 & 1 + 2 & 2", "(1 & (1 + 2)) & 2"},
		{"a | b ^ c", "a | (b ^ c)"},
		{"a ^ b & c", "a ^ (b & c)"},
		{"a & b << c", "a & (b << c)"},
		{"a << b + c", "a << (b + c)"},
		{"a >> b >>> c", "(a >> b) >>> c"},
		{"-1 >> 8", "(-1) >> 8"},
		// concatenation: below arithmetic and bitwise, above comparison
		{"'_' || x < '_' || y", "('_' || x) < ('_' || y)"},
		{"a || b || c", "(a || b) || c"},
		{"a || b + c", "a || (b + c)"},
		{"a || b | c", "a || (b | c)"},
		// comparisons and predicates
		{"a = b AND c = d", "(a = b) AND (c = d)"},
		{"a = b OR c AND d", "(a = b) OR (c AND d)"},
		{"a OR b OR c", "(a OR b) OR c"},
		{"a AND b AND c", "(a AND b) AND c"},
		{"a < b = c", "(a < b) = c"},
		{"val IN (1, 2) <> expected", "(val IN (1, 2)) <> expected"},
		{"a LIKE 'x' = b", "(a LIKE 'x') = b"},
		{"a = b LIKE 'x'", "a = (b LIKE 'x')"},
		{"a || 'x' LIKE 'p' || 'q'", "(a || 'x') LIKE ('p' || 'q')"},
		{"a BETWEEN b + 1 AND c * 2", "a BETWEEN (b + 1) AND (c * 2)"},
		{"a BETWEEN 1 AND 2 AND c", "(a BETWEEN 1 AND 2) AND c"},
		{"a NOT BETWEEN 1 AND 2 OR c", "(a NOT BETWEEN 1 AND 2) OR c"},
		{"a ~ 'x' AND b", "(a ~ 'x') AND b"},
		{"a + 1 IN (1, 2)", "(a + 1) IN (1, 2)"},
		// IS binds below comparisons
		{"a = b IS TRUE", "(a = b) IS TRUE"},
		{"a IS NULL = b", "a IS NULL = b"}, // IS is postfix: a IS NULL, then nothing binds tighter
		{"a IS NULL AND b IS NOT MISSING", "(a IS NULL) AND (b IS NOT MISSING)"},
		{"a IS NULL IS FALSE", "(a IS NULL) IS FALSE"},
		// NOT and !
		{"NOT a = b", "NOT (a = b)"},
		{"NOT a AND b", "(NOT a) AND b"},
		{"NOT a OR b", "(NOT a) OR b"},
		{"NOT a IS NULL", "NOT (a IS NULL)"},
		{"NOT NOT a", "NOT (NOT a)"},
		{"!a AND b", "(NOT a) AND b"},
		{"!a = b", "NOT (a = b)"},
		{"a AND NOT b OR c", "(a AND (NOT b)) OR c"},
		// folding a sign into a literal does not change precedence
		{"x-1", "x - 1"},
		{"x -1", "x - 1"},
		{"x - -1", "x - (-1)"},
		{"2 * -3", "2 * (-3)"},
	}
	for _, tc := range tests {
		got, err := ParseExpr(tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
			continue
		}
		want, err := ParseExpr(tc.same)
		if err != nil {
			t.Errorf("%s: %v", tc.same, err)
			continue
		}
		if !Equal(got, want) {
			t.Errorf("%s parsed as %s, want %s", tc.src, dump(got), dump(want))
		}
	}
}

// TestPrecedenceDiffers guards the test above against an Equal that accepts everything: these
// pairs must give different trees.
func TestPrecedenceDiffers(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"a + b * c", "(a + b) * c"},
		{"a - b - c", "a - (b - c)"},
		{"NOT a = b", "(NOT a) = b"},
		{"a OR b AND c", "(a OR b) AND c"},
		{"1 & 1 | 2 & 2", "1 & (1 | 2) & 2"},
		{"x - 1", "x + 1"},
		{"-1", "-(1)"},
	} {
		a, err := ParseExpr(tc.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ParseExpr(tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if Equal(a, b) {
			t.Errorf("%s and %s should differ", tc.a, tc.b)
		}
	}
}

// dump prints an expression fully parenthesised, for failure messages.
func dump(e Expr) string {
	switch e := e.(type) {
	case *Binary:
		return "(" + dump(e.Left) + " " + e.Op.String() + " " + dump(e.Right) + ")"
	case *Unary:
		return "(" + e.Op.String() + dump(e.X) + ")"
	case *Not:
		return "(NOT " + dump(e.X) + ")"
	case *Is:
		return "(" + dump(e.X) + " IS ...)"
	case *Like:
		return "(" + dump(e.X) + " " + e.Kind.String() + " " + dump(e.Pattern) + ")"
	case *Between:
		return "(" + dump(e.X) + " BETWEEN " + dump(e.Lo) + " AND " + dump(e.Hi) + ")"
	case *In:
		return "(" + dump(e.X) + " IN ...)"
	}
	return e.String()
}
