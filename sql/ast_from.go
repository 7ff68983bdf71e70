package sql

// Table is a table or a path in FROM: input, db.table, "quoted", or a path rooted at an
// earlier binding (FROM t AS o, o.arr AS x unnests o.arr). The planner tells them apart.
type Table struct {
	Pos
	Path  *Path
	Alias string // "" when absent
}

// ReadFile is read_file('path'): a single packed blob named by its path (our extension).
type ReadFile struct {
	Pos
	Name  string
	Alias string
}

// TableGlob is TABLE_GLOB("pattern"): every table whose name matches the shell glob.
type TableGlob struct {
	Pos
	Pattern string
	Alias   string
}

// TablePattern is TABLE_PATTERN("regex"): every table whose name matches the regular
// expression.
type TablePattern struct {
	Pos
	Pattern string
	Alias   string
}

// SubqueryFrom is (query) [AS alias] in FROM.
type SubqueryFrom struct {
	Pos
	Query *Query
	Alias string
}

// Append is a ++ b ++ ...: the rows of every item, one after the other (UNION ALL). The items
// carry no aliases; Alias names the whole.
type Append struct {
	Pos
	Items []From
	Alias string
}

// Unpivot is UNPIVOT Source AS As AT At: one row per field of each struct of Source, with the
// value bound to As and the field name to At. At least one of As and At is set. Source is a
// *Table, *SubqueryFrom or another source without an alias.
type Unpivot struct {
	Pos
	Source From
	As     string
	At     string
}

// JoinKind is the kind of a Join.
type JoinKind uint8

// Join kinds. JoinComma and JoinCross mean the same (a cross join that unnests when the right
// side is a path of an earlier binding); the printer keeps the spelling.
const (
	JoinComma JoinKind = iota + 1 // a, b
	JoinCross                     // a CROSS JOIN b
	JoinInner                     // a [INNER] JOIN b ON cond
	JoinLeft                      // a LEFT [OUTER] JOIN b ON cond
	JoinRight                     // a RIGHT [OUTER] JOIN b ON cond
	JoinFull                      // a FULL [OUTER] JOIN b ON cond
)

// String returns the SQL spelling of the join operator.
func (k JoinKind) String() string {
	switch k {
	case JoinComma:
		return ","
	case JoinCross:
		return "CROSS JOIN"
	case JoinInner:
		return "JOIN"
	case JoinLeft:
		return "LEFT JOIN"
	case JoinRight:
		return "RIGHT JOIN"
	case JoinFull:
		return "FULL JOIN"
	}
	return "?"
}

// Join combines two FROM sources. A list of sources nests to the left:
// FROM a, b JOIN c ON x is Join{Join{a, b, JoinComma}, c, JoinInner, x}. On is nil for
// JoinComma and JoinCross.
type Join struct {
	Pos
	Kind        JoinKind
	Left, Right From
	On          Expr
}

func (*Table) fromNode()        {}
func (*ReadFile) fromNode()     {}
func (*TableGlob) fromNode()    {}
func (*TablePattern) fromNode() {}
func (*SubqueryFrom) fromNode() {}
func (*Append) fromNode()       {}
func (*Unpivot) fromNode()      {}
func (*Join) fromNode()         {}
