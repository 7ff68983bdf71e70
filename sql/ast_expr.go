package sql

import "math/big"

// Null is the literal NULL.
type Null struct{ Pos }

// Missing is the literal MISSING (no value).
type Missing struct{ Pos }

// Bool is the literal TRUE or FALSE.
type Bool struct {
	Pos
	Value bool
}

// Int is an integer literal that fits int64. A minus sign written before the digits is
// folded in (-1 is an Int of value -1).
type Int struct {
	Pos
	Value int64
}

// BigInt is an integer literal outside the int64 range, kept exactly.
type BigInt struct {
	Pos
	Value *big.Int
}

// Float is a literal with a fraction or an exponent (1.5, 1e3).
type Float struct {
	Pos
	Value float64
}

// String is a 'single quoted' string literal, escapes decoded.
type String struct {
	Pos
	Value string
}

// Timestamp is a `backtick` timestamp literal, in Unix microseconds (UTC).
type Timestamp struct {
	Pos
	Value int64
}

// Path is a reference to a field or a binding: a root name and zero or more steps, as in
// a.b[3]['c']."d". Names are case-sensitive; a['c'] is the same step as a.c.
type Path struct {
	Pos
	Root  string
	Steps []PathStep
}

// PathStep is one step of a Path: a field name (.name, ."name", ['name']) or a constant list
// index ([3]).
type PathStep struct {
	Field   string // the field name when IsIndex is false
	Index   int    // the 0-based index when IsIndex is true
	IsIndex bool
}

// FieldStep returns the step .name.
func FieldStep(name string) PathStep { return PathStep{Field: name} }

// IndexStep returns the step [i].
func IndexStep(i int) PathStep { return PathStep{Index: i, IsIndex: true} }

// NewPath returns the path root.f1.f2... with field steps.
func NewPath(root string, fields ...string) *Path {
	p := &Path{Root: root}
	for _, f := range fields {
		p.Steps = append(p.Steps, FieldStep(f))
	}
	return p
}

// Star is * as a SELECT list item.
type Star struct{ Pos }

// Unary is -x, +x or ~x.
type Unary struct {
	Pos
	Op UnaryOp
	X  Expr
}

// Binary is a binary operation, including the logical AND and OR.
type Binary struct {
	Pos
	Op          BinaryOp
	Left, Right Expr
}

// Not is NOT x (also written !x).
type Not struct {
	Pos
	X Expr
}

// Is is x IS [NOT] NULL|MISSING|TRUE|FALSE.
type Is struct {
	Pos
	X    Expr
	Not  bool
	Kind IsKind
}

// Like is a pattern match: x [NOT] LIKE|ILIKE|SIMILAR TO p [ESCAPE c], x ~ p, x ~* p,
// x ~~ p (LIKE) and x ~~* p (ILIKE).
type Like struct {
	Pos
	X       Expr
	Not     bool
	Kind    LikeKind
	Pattern Expr
	Escape  Expr // nil without ESCAPE
}

// Between is x [NOT] BETWEEN Lo AND Hi.
type Between struct {
	Pos
	X, Lo, Hi Expr
	Not       bool
}

// In is x [NOT] IN (list) or x [NOT] IN (subquery): exactly one of List and Query is set.
type In struct {
	Pos
	X     Expr
	Not   bool
	List  []Expr
	Query *Query
}

// Exists is EXISTS (subquery).
type Exists struct {
	Pos
	Query *Query
}

// Subquery is a (SELECT ...) used as a value.
type Subquery struct {
	Pos
	Query *Query
}

// Case is CASE [Operand] WHEN ... THEN ... [ELSE Else] END. With an Operand (the simple form)
// each When.Cond is a value compared to it; without, each When.Cond is a predicate. Else is nil
// when absent.
type Case struct {
	Pos
	Operand Expr
	Whens   []*When
	Else    Expr
}

// When is one WHEN Cond THEN Then arm of a Case.
type When struct {
	Pos
	Cond, Then Expr
}

// Cast is CAST(X AS Type).
type Cast struct {
	Pos
	X    Expr
	Type CastType
}

// Call is a function call. Name is upper-cased; the parser does not know which names exist or
// which are aggregates. Aggregate and window forms set Distinct (f(DISTINCT x)), Star (f(*)),
// Filter (f(x) FILTER (WHERE cond)) and Over (f(x) OVER (...)).
//
// The keyword forms normalise to calls:
//
//	DATE_ADD(part, n, ts)    Name DATE_ADD, Part, Args [n, ts]
//	DATE_DIFF(part, a, b)    Name DATE_DIFF, Part, Args [a, b]
//	DATE_TRUNC(part, ts)     Name DATE_TRUNC, Part (WeekStart for WEEK(day)), Args [ts]
//	EXTRACT(part FROM ts)    Name EXTRACT, Part, Args [ts]
//	TRIM([BOTH] [c] FROM s)  Name TRIM, Args [s] or [s, c]; LEADING gives LTRIM, TRAILING RTRIM
//	SUBSTRING(s FROM a FOR n)  Name SUBSTRING, Args [s, a, n] (FOR alone gives a = 1)
//	POSITION(a IN b)         Name POSITION, Args [a, b]
type Call struct {
	Pos
	Name      string
	Args      []Expr
	Distinct  bool
	Star      bool
	Part      DatePart // NoDatePart unless a keyword form
	WeekStart Weekday  // DATE_TRUNC(WEEK(day), ts) only
	Filter    Expr
	Over      *Window
}

// Window is the OVER ([PARTITION BY ...] [ORDER BY ...]) clause of a window call.
type Window struct {
	Pos
	PartitionBy []Expr
	OrderBy     []*OrderItem
}

// StructLit is a struct constructor {'k': e, ...}.
type StructLit struct {
	Pos
	Fields []*Field
}

// Field is one 'key': value member of a StructLit.
type Field struct {
	Pos
	Key   string
	Value Expr
}

// ListLit is a list constructor [e, ...].
type ListLit struct {
	Pos
	Elems []Expr
}

func (*Null) exprNode()      {}
func (*Missing) exprNode()   {}
func (*Bool) exprNode()      {}
func (*Int) exprNode()       {}
func (*BigInt) exprNode()    {}
func (*Float) exprNode()     {}
func (*String) exprNode()    {}
func (*Timestamp) exprNode() {}
func (*Path) exprNode()      {}
func (*Star) exprNode()      {}
func (*Unary) exprNode()     {}
func (*Binary) exprNode()    {}
func (*Not) exprNode()       {}
func (*Is) exprNode()        {}
func (*Like) exprNode()      {}
func (*Between) exprNode()   {}
func (*In) exprNode()        {}
func (*Exists) exprNode()    {}
func (*Subquery) exprNode()  {}
func (*Case) exprNode()      {}
func (*Cast) exprNode()      {}
func (*Call) exprNode()      {}
func (*StructLit) exprNode() {}
func (*ListLit) exprNode()   {}
