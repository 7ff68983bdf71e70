package plan

import (
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// binding is a name a FROM clause introduces (a table alias, an unnested element, UNPIVOT's
// AS/AT names) and the batch variable that holds it.
type binding struct {
	name string
	slot int
	// table is set for bindings that are rows of a scanned table (their fields are columns).
	scan *scanNode
	// row is set when the binding is a whole row (a table or a subquery): SELECT * expands
	// its fields; otherwise SELECT * includes it as a field named after the binding.
	row bool
	// cols lists the fields of a binding whose columns are known (a CTE or a subquery); nil
	// for tables, whose rows may hold any field.
	cols map[string]bool
}

// scope is what names mean at one point of a query.
type scope struct {
	bindings []binding
	width    int // variables in the batch at this point
	outer    *scope
	// params collects the outer references of a correlated subquery: outer expressions
	// evaluated per outer row and read as vm.Param in here.
	params *paramSet

	// after GROUP BY: the keys and aggregates are variables
	grouped bool
	keys    []groupKey
	aggs    []aggRef
	windows []aggRef
	// select aliases (for ORDER BY and later select items), and the number of output columns
	// (variables 0..ncols-1 after the projection: ORDER BY 2)
	aliases map[string]int
	ncols   int
	// pre is the scope before GROUP BY (to match expressions against the keys)
	pre     *scope
	keyStrs []string
	// names are the bare field names the query uses outside its subqueries: a subquery's
	// unqualified name that is one of them refers to the outer query (correlation).
	names map[string]bool
}

type groupKey struct {
	expr  sql.Expr
	alias string
	slot  int
}

type aggRef struct {
	call *sql.Call
	slot int
}

type paramSet struct {
	outer *scope
	exprs []vm.Expr // compiled in the outer scope
	keys  []sql.Expr
}

func (s *scope) lookup(name string) (binding, bool) {
	for i := len(s.bindings) - 1; i >= 0; i-- {
		if s.bindings[i].name == name {
			return s.bindings[i], true
		}
	}
	return binding{}, false
}

// defaultBinding is the binding an unqualified field name refers to: the first row binding.
func (s *scope) defaultBinding() (binding, bool) {
	for _, b := range s.bindings {
		if b.row {
			return b, true
		}
	}
	if len(s.bindings) > 0 {
		return s.bindings[0], true
	}
	return binding{}, false
}

func (s *scope) add(b binding) {
	s.bindings = append(s.bindings, b)
}

func (s *scope) clone() *scope {
	c := *s
	c.bindings = append([]binding(nil), s.bindings...)
	c.keys = append([]groupKey(nil), s.keys...)
	c.aggs = append([]aggRef(nil), s.aggs...)
	c.windows = append([]aggRef(nil), s.windows...)
	if s.aliases != nil {
		c.aliases = make(map[string]int, len(s.aliases))
		for k, v := range s.aliases {
			c.aliases[k] = v
		}
	}
	return &c
}
