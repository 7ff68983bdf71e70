package sql_test

import (
	"fmt"

	"github.com/sneller-re/sneller/sql"
)

// Parse a query, look at its parts, and print it back.
func ExampleParse() {
	st, err := sql.Parse(`SELECT region, COUNT(*) AS n
		FROM logs AS l, l.tags AS tag   # unnest the tags
		WHERE tag.key = 'env' AND l.status <> 200
		GROUP BY region ORDER BY n DESC LIMIT 3`)
	if err != nil {
		fmt.Println(err)
		return
	}
	sel := st.Query.Body.(*sql.Select)
	for _, it := range sel.Items {
		fmt.Printf("item %s named %q (explicit %v)\n", it.Expr, it.Name, it.Explicit)
	}
	fmt.Println("limit:", sel.Limit.Value)
	fmt.Println(st)
	// Output:
	// item region named "" (explicit false)
	// item COUNT(*) named "n" (explicit true)
	// limit: 3
	// SELECT region, COUNT(*) AS n FROM logs AS l, l.tags AS tag WHERE tag.key = 'env' AND l.status <> 200 GROUP BY region ORDER BY n DESC LIMIT 3
}

// Syntax errors name the line, the column and the offending token.
func ExampleError() {
	_, err := sql.Parse("SELECT a,\n  FROM t")
	fmt.Println(err)
	// Output:
	// line 2, column 3: unexpected keyword FROM (expected expression)
}

// Rewrite transforms expressions bottom-up; here it replaces a name by a literal.
func ExampleRewrite() {
	e, _ := sql.ParseExpr("x > lim + 1")
	out := sql.Rewrite(e, func(e sql.Expr) sql.Expr {
		if p, ok := e.(*sql.Path); ok && p.Root == "lim" && len(p.Steps) == 0 {
			return &sql.Int{Pos: p.Pos, Value: 10}
		}
		return e
	})
	fmt.Println(out)
	// Output:
	// x > 10 + 1
}

// Inspect visits every node; returning false skips the children (here: subqueries).
func ExampleInspect() {
	st, _ := sql.Parse("SELECT a, (SELECT b FROM u) FROM t WHERE c > 1")
	sql.Inspect(st, func(n sql.Node) bool {
		switch n := n.(type) {
		case *sql.Subquery:
			return false
		case *sql.Path:
			fmt.Println("path", n)
		}
		return true
	})
	// Output:
	// path a
	// path t
	// path c
}
