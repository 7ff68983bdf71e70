package sql

// BinaryOp is the operator of a Binary expression.
type BinaryOp uint8

// Binary operators. Ne covers both != and <>.
const (
	OpInvalid BinaryOp = iota
	OpOr               // OR
	OpAnd              // AND
	OpEq               // =
	OpNe               // != or <>
	OpLt               // <
	OpLe               // <=
	OpGt               // >
	OpGe               // >=
	OpConcat           // ||
	OpBitOr            // |
	OpBitXor           // ^
	OpBitAnd           // &
	OpShl              // <<
	OpShr              // >> (arithmetic)
	OpUshr             // >>> (logical)
	OpAdd              // +
	OpSub              // -
	OpMul              // *
	OpDiv              // /
	OpMod              // %
	numBinaryOps
)

var binaryOpText = [numBinaryOps]string{
	OpOr: "OR", OpAnd: "AND", OpEq: "=", OpNe: "<>", OpLt: "<", OpLe: "<=", OpGt: ">",
	OpGe: ">=", OpConcat: "||", OpBitOr: "|", OpBitXor: "^", OpBitAnd: "&", OpShl: "<<",
	OpShr: ">>", OpUshr: ">>>", OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpMod: "%",
}

// String returns the operator as written in SQL (OR, <>, ||, ...).
func (op BinaryOp) String() string {
	if op < numBinaryOps && binaryOpText[op] != "" {
		return binaryOpText[op]
	}
	return "?"
}

// IsComparison reports whether op is one of = <> < <= > >=.
func (op BinaryOp) IsComparison() bool { return op >= OpEq && op <= OpGe }

// IsLogical reports whether op is AND or OR.
func (op BinaryOp) IsLogical() bool { return op == OpAnd || op == OpOr }

// UnaryOp is the operator of a Unary expression. Logical negation (NOT, !) is the Not node.
type UnaryOp uint8

// Unary operators.
const (
	OpNeg    UnaryOp = iota + 1 // -x
	OpPlus                      // +x
	OpBitNot                    // ~x
)

// String returns the operator as written in SQL.
func (op UnaryOp) String() string {
	switch op {
	case OpNeg:
		return "-"
	case OpPlus:
		return "+"
	case OpBitNot:
		return "~"
	}
	return "?"
}

// Precedence levels, loosest first (docs/sql.md, "Operator precedence"). All binary operators
// are left-associative.
const (
	precNone      = iota
	precOr        // OR
	precAnd       // AND
	precNot       // NOT x, !x (prefix)
	precIs        // x IS [NOT] NULL|MISSING|TRUE|FALSE (postfix)
	precCompare   // = != <> < <= > >=
	precPredicate // [NOT] LIKE|ILIKE|SIMILAR TO|BETWEEN|IN, ~ ~* ~~ ~~*
	precConcat    // ||
	precBitOr     // |
	precBitXor    // ^
	precBitAnd    // &
	precShift     // << >> >>>
	precAdd       // + -
	precMul       // * / %
	precUnary     // -x +x ~x (prefix)
	precPrimary   // literals, paths, calls, parenthesised expressions
)

// binaryPrec is the precedence level of each binary operator.
var binaryPrec = [numBinaryOps]int{
	OpOr: precOr, OpAnd: precAnd, OpEq: precCompare, OpNe: precCompare, OpLt: precCompare,
	OpLe: precCompare, OpGt: precCompare, OpGe: precCompare, OpConcat: precConcat,
	OpBitOr: precBitOr, OpBitXor: precBitXor, OpBitAnd: precBitAnd, OpShl: precShift,
	OpShr: precShift, OpUshr: precShift, OpAdd: precAdd, OpSub: precAdd, OpMul: precMul,
	OpDiv: precMul, OpMod: precMul,
}

// tokenBinaryOp maps operator tokens to binary operators.
var tokenBinaryOp = map[tokKind]BinaryOp{
	tEq: OpEq, tNe: OpNe, tLt: OpLt, tLe: OpLe, tGt: OpGt, tGe: OpGe, tConcat: OpConcat,
	tPipe: OpBitOr, tCaret: OpBitXor, tAmp: OpBitAnd, tShl: OpShl, tShr: OpShr, tUshr: OpUshr,
	tPlus: OpAdd, tMinus: OpSub, tStar: OpMul, tSlash: OpDiv, tPercent: OpMod,
}

// LikeKind says which pattern-matching predicate a Like node is.
type LikeKind uint8

// Pattern-matching predicates.
const (
	LikeLike    LikeKind = iota + 1 // LIKE or ~~: % and _ wildcards
	LikeILike                       // ILIKE or ~~*: LIKE with case folding
	LikeSimilar                     // SIMILAR TO: anchored SQL regular expression
	LikeRegex                       // ~: RE2 regular expression, unanchored
	LikeRegexCI                     // ~*: case-insensitive RE2, unanchored
)

// String returns the SQL spelling of the predicate.
func (k LikeKind) String() string {
	switch k {
	case LikeLike:
		return "LIKE"
	case LikeILike:
		return "ILIKE"
	case LikeSimilar:
		return "SIMILAR TO"
	case LikeRegex:
		return "~"
	case LikeRegexCI:
		return "~*"
	}
	return "?"
}

// IsKind says what an Is predicate tests for.
type IsKind uint8

// IS predicates.
const (
	IsNull    IsKind = iota + 1 // IS NULL
	IsMissing                   // IS MISSING
	IsTrue                      // IS TRUE
	IsFalse                     // IS FALSE
)

// String returns the SQL word after IS [NOT].
func (k IsKind) String() string {
	switch k {
	case IsNull:
		return "NULL"
	case IsMissing:
		return "MISSING"
	case IsTrue:
		return "TRUE"
	case IsFalse:
		return "FALSE"
	}
	return "?"
}
