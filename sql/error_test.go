package sql

import (
	"errors"
	"strings"
	"testing"
)

func TestErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string // the whole message after "line L, column C: ", or a prefix ending in "..."
	}{
		// lexical errors
		{"SELECT 'abc", 1, 8, "unterminated string"},
		{"SELECT \"abc", 1, 8, "unterminated quoted identifier"},
		{"SELECT 1 /* never closed", 1, 10, "unterminated /* comment"},
		{"SELECT 1 /* outer /* inner */ still open", 1, 10, "unterminated /* comment"},
		{"SELECT 'a\\qb'", 1, 10, `unknown escape \q`},
		{"SELECT 'a\\xZZ'", 1, 10, `bad escape \x (want two hex digits)`},
		{"SELECT 'a\\u12'", 1, 10, `bad escape \u (want 4 hex digits)`},
		{"SELECT 'a\\uD800'", 1, 10, `bad escape \uD800 (not a valid code point)`},
		{"SELECT 'a\\U00110000'", 1, 10, `bad escape \U00110000 (not a valid code point)`},
		{"SELECT 'a\\400'", 1, 10, `bad octal escape \400 (above 255)`},
		{"SELECT\n  'line one\nline \\z'", 3, 6, `unknown escape \z`},
		{"SELECT \"bad\\", 1, 12, "backslash at end of input"},
		{"SELECT 12abc", 1, 8, `bad number "12abc"`},
		{"SELECT 1e", 1, 8, `bad number "1e" (exponent without digits)`},
		{"SELECT 1e+x", 1, 8, `bad number "1e+" (exponent without digits)`},
		{"SELECT 08", 1, 8, `bad number "08" (a leading 0 makes an octal number)`},
		{"SELECT 0x", 1, 8, `bad number "0x"`},
		{"SELECT 0b102", 1, 8, `bad number "0b102"`},
		{"SELECT 1__0", 1, 8, `bad number "1__0"`},
		{"SELECT 1e999", 1, 8, "number 1e999 out of the float64 range"},
		{"SELECT `2023-13-01T00:00:00Z`", 1, 8, "bad timestamp literal `2023-13-01T00:00:00Z`: month out of range"},
		{"SELECT `2023-02-29`", 1, 8, "bad timestamp literal `2023-02-29`: day out of range"},
		{"SELECT `2023-01-01T24:00:00`", 1, 8, "bad timestamp literal `2023-01-01T24:00:00`: time of day out of range"},
		{"SELECT `2023-01-01T10`", 1, 8, "bad timestamp literal `2023-01-01T10`: want :"},
		{"SELECT `2023-01-01T10:00:5`", 1, 8, "bad timestamp literal `2023-01-01T10:00:5`: want 2 digits of second"},
		{"SELECT `2023-01-01T10:00.5`", 1, 8, "bad timestamp literal `2023-01-01T10:00.5`: want Z, +hh:mm or -hh:mm after the time"},
		{"SELECT `2023-01-01T10:00:00.`", 1, 8, "bad timestamp literal `2023-01-01T10:00:00.`: want digits after the decimal point"},
		{"SELECT `2023-01-01T10:00:00.1234567891`", 1, 8, "bad timestamp literal `2023-01-01T10:00:00.1234567891`: fraction of a second longer than 9 digits"},
		{"SELECT `2023-01-01T10:00:00+5`", 1, 8, "bad timestamp literal `2023-01-01T10:00:00+5`: want 2 digits of zone hour"},
		{"SELECT `2023-01-01T10:00:00 UTC`", 1, 8, "bad timestamp literal `2023-01-01T10:00:00 UTC`: want Z, +hh:mm or -hh:mm after the time"},
		{"SELECT `2023-01-01T10:00:00Zulu`", 1, 8, "bad timestamp literal `2023-01-01T10:00:00Zulu`: unexpected text after the time"},
		{"SELECT `0000-01-01T00:00:00+01:00`", 1, 8, "bad timestamp literal `0000-01-01T00:00:00+01:00`: the time in UTC falls outside the years 0000 to 9999"},
		{"SELECT `yesterday`", 1, 8, "bad timestamp literal `yesterday`: want 4 digits of year"},
		{"SELECT `2023-01-01", 1, 8, "unterminated timestamp literal"},
		{"SELECT $x", 1, 8, `unexpected character '$'`},
		{"SELECT a ? b", 1, 10, `unexpected character '?'`},
		{"SELECT café", 1, 11, `unexpected character 'é'`},
		{"SELECT \xff", 1, 8, "invalid UTF-8 byte 0xff"},

		// syntax errors
		{"SELECT", 1, 7, "unexpected end of input (expected expression)"},
		{"SELECT\n  a,\n  )", 3, 3, `unexpected ")" (expected expression)`},
		{"SELECT a, FROM t", 1, 11, "unexpected keyword FROM (expected expression)"},
		{"SELECT a FROM", 1, 14, "unexpected end of input (expected table, subquery or UNPIVOT)"},
		{"SELECT a FROM select", 1, 15, `unexpected keyword SELECT (expected table; quote a keyword to use it as a name: "select")`},
		{"SELECT a FROM t WHERE", 1, 22, "unexpected end of input (expected expression)"},
		{"SELECT 1 )", 1, 10, `unexpected ")" (expected end of input)`},
		{"SELECT 1 garbage more", 1, 18, `unexpected identifier "more" (expected end of input)`},
		{"SELECT a FROM t LIMIT 1.5", 1, 23, "LIMIT must be an integer literal, not number 1.5"},
		{"SELECT a FROM t LIMIT -1", 1, 23, "LIMIT must be a non-negative integer literal"},
		{"SELECT a FROM t LIMIT n", 1, 23, `LIMIT must be an integer literal, not identifier "n"`},
		{"SELECT a FROM t LIMIT 99999999999999999999", 1, 23, "LIMIT 99999999999999999999 is out of range"},
		{"SELECT a FROM t LIMIT 1 OFFSET 'x'", 1, 32, "OFFSET must be an integer literal, not string 'x'"},
		{"SELECT a FROM t GROUP a", 1, 23, `unexpected identifier "a" (expected BY)`},
		{"SELECT a FROM t ORDER BY a NULLS", 1, 33, "unexpected end of input (expected FIRST or LAST after NULLS)"},
		{"SELECT DISTINCT ON x FROM t", 1, 20, `unexpected identifier "x" (expected "(")`},
		{"SELECT x AS", 1, 12, "unexpected end of input (expected name after AS)"},
		{"SELECT 1 UNION", 1, 15, "unexpected end of input (expected SELECT)"},
		{"WITH a (SELECT 1) SELECT * FROM a", 1, 8, `unexpected "(" (expected AS)`},
		{"WITH select AS (SELECT 1) SELECT 1", 1, 6, `unexpected keyword SELECT (expected name of a WITH query; quote a keyword to use it as a name: "select")`},
		{"EXPLAIN AS SELECT 1", 1, 19, `unexpected number 1 (expected SELECT)`}, // SELECT is the format name
		{"SELECT DATE_ADD(FORTNIGHT, 1, t)", 1, 17, `unknown date part "FORTNIGHT" in DATE_ADD`},
		{"SELECT DATE_ADD('day', 1, t)", 1, 17, "unexpected string 'day' (expected date part (MICROSECOND, MILLISECOND, SECOND, MINUTE, HOUR, DAY, DOW, DOY, WEEK, MONTH, QUARTER or YEAR) in DATE_ADD)"},
		{"SELECT DATE_ADD(DAY, 1)", 1, 23, `unexpected ")" (expected ",")`},
		{"SELECT EXTRACT(WEEK FROM t)", 1, 16, "date part WEEK is not valid in EXTRACT"},
		{"SELECT EXTRACT(DAY, t)", 1, 19, `unexpected "," (expected FROM)`},
		{"SELECT DATE_TRUNC(DOW, t)", 1, 19, "date part DOW is valid only in EXTRACT, not in DATE_TRUNC"},
		{"SELECT DATE_DIFF(DOY, a, b)", 1, 18, "date part DOY is valid only in EXTRACT, not in DATE_DIFF"},
		{"SELECT DATE_TRUNC(WEEK(FUNDAY), t)", 1, 24, `unexpected identifier "FUNDAY" (expected day of the week (SUNDAY to SATURDAY) in WEEK(...))`},
		{"SELECT CAST(x AS BLOB)", 1, 18, `unknown type "BLOB" in CAST (expected INTEGER, FLOAT, BOOLEAN, STRING, TIMESTAMP, STRUCT, LIST, DECIMAL, SYMBOL, NULL or MISSING)`},
		{"SELECT CAST(x INTEGER)", 1, 15, `unexpected identifier "INTEGER" (expected AS)`},
		{"SELECT CASE END", 1, 13, "unexpected keyword END (expected WHEN)"},
		{"SELECT CASE WHEN a 1 END", 1, 20, "unexpected number 1 (expected THEN)"},
		{"SELECT CASE WHEN a THEN 1", 1, 26, "unexpected end of input (expected END)"},
		{"SELECT x IS 3", 1, 13, "unexpected number 3 (expected NULL, MISSING, TRUE or FALSE after IS)"},
		{"SELECT x BETWEEN 1 OR 2", 1, 20, "unexpected keyword OR (expected AND)"},
		{"SELECT x IN 3", 1, 13, `unexpected number 3 (expected "(")`},
		{"SELECT x IN ()", 1, 14, `unexpected ")" (expected expression)`},
		{"SELECT x SIMILAR 'a'", 1, 18, "unexpected string 'a' (expected TO)"},
		{"SELECT a[x]", 1, 10, `unexpected identifier "x" (expected a non-negative integer or a string in [])`},
		{"SELECT a[-1]", 1, 10, `unexpected "-" (expected a non-negative integer or a string in [])`},
		{"SELECT a[1", 1, 11, `unexpected end of input (expected "]")`},
		{"SELECT a.", 1, 10, `unexpected end of input (expected field name after ".")`},
		{"SELECT {a: 1}", 1, 9, `unexpected identifier "a" (expected string key of a struct field)`},
		{"SELECT {'a' 1}", 1, 13, `unexpected number 1 (expected ":")`},
		{"SELECT [1, 2", 1, 13, `unexpected end of input (expected "]")`},
		{"SELECT COUNT(*, x)", 1, 14, `unexpected "*" (expected expression)`},
		{"SELECT f(x", 1, 11, `unexpected end of input (expected ")")`},
		{"SELECT SUM(x) FILTER (x > 1)", 1, 23, `unexpected identifier "x" (expected WHERE)`},
		{"SELECT RANK() OVER (PARTITION x)", 1, 31, `unexpected identifier "x" (expected BY)`},
		{"SELECT EXISTS x", 1, 15, `unexpected identifier "x" (expected "(")`},
		{"SELECT EXISTS (1)", 1, 16, "unexpected number 1 (expected subquery after EXISTS ()"},
		{"SELECT (1", 1, 10, `unexpected end of input (expected ")")`},
		{"SELECT * FROM UNPIVOT t", 1, 24, "unexpected end of input (expected AS or AT after the UNPIVOT source)"},
		{"SELECT * FROM UNPIVOT t AS v x", 1, 30, "UNPIVOT takes no alias (name its value with AS and its key with AT)"},
		{"SELECT * FROM UNPIVOT t AS \"\"", 1, 15, "UNPIVOT needs a non-empty name after AS or AT"},
		{"SELECT * FROM UNPIVOT t AS a AS b", 1, 30, "UNPIVOT takes no alias (name its value with AS and its key with AT)"},
		{"SELECT * FROM a JOIN b", 1, 23, "unexpected end of input (expected ON)"},
		{"SELECT * FROM a CROSS b", 1, 23, `unexpected identifier "b" (expected JOIN)`},
		{"SELECT * FROM a LEFT b ON x", 1, 22, `unexpected identifier "b" (expected JOIN)`},
		{"SELECT * FROM foo(1)", 1, 15, "unknown table function FOO (expected TABLE_GLOB, TABLE_PATTERN or READ_FILE)"},
		{"SELECT * FROM TABLE_GLOB(x)", 1, 26, `unexpected identifier "x" (expected quoted argument of TABLE_GLOB)`},
		{"SELECT * FROM (1)", 1, 16, "unexpected number 1 (expected subquery)"},
		{"SELECT * FROM t AS", 1, 19, "unexpected end of input (expected alias after AS)"},
		{"SELECT 1 INTO", 1, 14, "unexpected end of input (expected table)"},
		{"SELECT a FROM t WHERE a = 1 2", 1, 29, "unexpected number 2 (expected end of input)"},
		{"SELECT POSITION('a' IN)", 1, 23, `unexpected ")" (expected expression)`},
		{"SELECT TRIM(LEADING 'x' s)", 1, 25, `unexpected identifier "s" (expected FROM)`},
		{"SELECT SUBSTRING(s FROM)", 1, 24, `unexpected ")" (expected expression)`},
		{"(SELECT a FROM t LIMIT 1) LIMIT 2", 1, 27, "ORDER BY, LIMIT or OFFSET after a parenthesised SELECT that has its own; use a subquery in FROM"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.src)
		if err == nil {
			t.Errorf("%q: no error", tc.src)
			continue
		}
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%q: error %T is not an *Error: %v", tc.src, err, err)
			continue
		}
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: error does not wrap ErrSyntax", tc.src)
		}
		if se.Pos.Line != tc.line || se.Pos.Col != tc.col {
			t.Errorf("%q: at line %d, column %d, want line %d, column %d (%v)", tc.src, se.Pos.Line, se.Pos.Col, tc.line, tc.col, err)
		}
		if se.Msg != tc.msg {
			t.Errorf("%q: message\n got  %s\n want %s", tc.src, se.Msg, tc.msg)
		}
		if want := se.Pos.Describe() + ": " + se.Msg; err.Error() != want || !strings.HasPrefix(err.Error(), "line ") {
			t.Errorf("%q: Error() = %q", tc.src, err.Error())
		}
	}
}

func TestErrorOffsets(t *testing.T) {
	// The byte offset, line and column all point at the offending token.
	src := "SELECT 'é',\n  x FROM t LIMIT y"
	_, err := Parse(src)
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("got %v", err)
	}
	if se.Pos.Offset != strings.Index(src, "y") || se.Pos.Line != 2 || se.Pos.Col != 18 {
		t.Errorf("got %+v", se.Pos)
	}
}

func TestErrorNesting(t *testing.T) {
	deep := strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000)
	_, err := ParseExpr(deep)
	if err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep parentheses: %v", err)
	}
	deepq := "SELECT " + strings.Repeat("(SELECT ", 2000) + "1" + strings.Repeat(")", 2000)
	if _, err := Parse(deepq); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep subqueries: %v", err)
	}
	deepu := strings.Repeat("- ", 5000) + "x"
	if _, err := ParseExpr(deepu); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep unary: %v", err)
	}
	// Moderate nesting is fine.
	if _, err := ParseExpr(strings.Repeat("(", 200) + "1" + strings.Repeat(")", 200)); err != nil {
		t.Errorf("200 parentheses: %v", err)
	}
}
