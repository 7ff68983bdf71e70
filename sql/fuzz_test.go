package sql

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are hand-picked inputs that reach the corners of the lexer and the parser; the
// public conformance queries are added to them when the corpus is present.
var fuzzSeeds = []string{
	"SELECT 1",
	"SELECT a.b[0]['c'].\"d\" AS x FROM db.t AS o, o.arr AS y WHERE x IS NOT MISSING",
	"WITH a AS (SELECT 1) SELECT * FROM a UNION ALL (SELECT 2 LIMIT 1) ORDER BY 1 LIMIT 2 OFFSET 1",
	"EXPLAIN AS text SELECT DISTINCT ON (a) * INTO x FROM UNPIVOT t AS v AT k GROUP BY a AS b HAVING c",
	"SELECT COUNT(DISTINCT x) FILTER (WHERE y) OVER (PARTITION BY z ORDER BY w DESC NULLS LAST)",
	"SELECT DATE_TRUNC(WEEK(MONDAY), t), EXTRACT(DOY FROM t), DATE_ADD(DAY, -1, `2022-01-03T00:00:00Z`)",
	"SELECT TRIM(LEADING 'x' FROM s), SUBSTRING(s FROM 1 FOR 2), POSITION('a' IN s), CAST(x AS int)",
	"SELECT x-1, -9223372036854775808, 0x1F, 0b1, 1_000, 1.5e-3, .5, 99999999999999999999",
	"SELECT 'a\\n\\u00e9\\U0001F600\\x41\\101''', \"q\\\"\"\"",
	"SELECT /* a /* nested */ comment */ 1 -- line\n# hash\n",
	"SELECT a ~ 'x', a ~* 'y', a ~~ 'z', a ~~* 'w', a !~ b, a <> b, a != b, a >>> 1, a || b, a ++ b",
	"SELECT * FROM a ++ b, TABLE_GLOB(\"x*\"), TABLE_PATTERN('y'), read_file('f') LEFT JOIN c ON TRUE",
	"SELECT CASE x WHEN 1 THEN {'a': [1, NULL]} ELSE MISSING END BETWEEN 1 AND 2 IN (1) LIKE 'x' ESCAPE '!'",
	"SELECT ((((((1))))))",
	"SELECT 'unterminated",
	"SELECT `2023-02-29`",
	"SELECT 1 /* open",
	"SELECT \xff",
}

// FuzzParse checks that any input either parses or fails with an *Error, never panics, and
// that a tree that parses prints to text that parses to an equal tree and prints the same.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	if path := conformancePath(f); path != "" {
		if cases, err := readConformance(path); err == nil {
			for _, c := range cases {
				f.Add(c.Query)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		st, err := Parse(src)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			if se.Pos.Offset < 0 || se.Pos.Offset > len(src) || se.Pos.Line < 1 || se.Pos.Col < 1 {
				t.Fatalf("bad error position %+v for input of %d bytes", se.Pos, len(src))
			}
			if se.Pos.Col > utf8.RuneCountInString(src)+1 {
				t.Fatalf("error column %d beyond the input", se.Pos.Col)
			}
			return
		}
		text := st.String()
		again, err := Parse(text)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", src, text, err)
		}
		if !Equal(st, again) {
			t.Fatalf("%q printed as %q, which reads back as %q", src, text, again.String())
		}
		if t2 := again.String(); t2 != text {
			t.Fatalf("printing not stable: %q then %q", text, t2)
		}
	})
}
