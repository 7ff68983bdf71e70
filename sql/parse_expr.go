package sql

import (
	"math"
	"math/big"
)

// expr parses an expression whose operators all bind at least as tightly as level min
// (precedence climbing; the levels are in ops.go).
func (p *parser) expr(min int) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	return p.infix(left, min)
}

// prefix parses NOT x / !x (whose operand extends over comparisons and predicates, as in
// NOT a = b) and otherwise a unary expression.
func (p *parser) prefix() (Expr, error) {
	t := p.tok()
	if t.is(kwNot) || t.kind == tBang {
		p.skip()
		x, err := p.expr(precNot)
		if err != nil {
			return nil, err
		}
		return &Not{Pos: t.pos, X: x}, nil
	}
	return p.unary()
}

// unary := (- | + | ~) unary | primary. A sign directly before a numeric literal is folded
// into the literal.
func (p *parser) unary() (Expr, error) {
	t := p.tok()
	var op UnaryOp
	switch t.kind {
	case tMinus:
		op = OpNeg
	case tPlus:
		op = OpPlus
	case tTilde:
		op = OpBitNot
	default:
		return p.primary()
	}
	p.skip()
	if op != OpBitNot {
		if lit := p.signedNumber(t.pos, op == OpNeg); lit != nil {
			return lit, nil
		}
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &Unary{Pos: t.pos, Op: op, X: x}, nil
}

// signedNumber consumes a numeric literal after a sign at pos and returns it with the sign
// applied, or returns nil when no numeric literal follows.
func (p *parser) signedNumber(pos Pos, neg bool) Expr {
	t := p.tok()
	switch t.kind {
	case tInt:
		p.skip()
		if neg {
			return &Int{Pos: pos, Value: -t.i}
		}
		return &Int{Pos: pos, Value: t.i}
	case tBigInt:
		p.skip()
		v := new(big.Int).Set(t.big)
		if neg {
			v.Neg(v)
		}
		if v.IsInt64() {
			return &Int{Pos: pos, Value: v.Int64()}
		}
		return &BigInt{Pos: pos, Value: v}
	case tFloat:
		p.skip()
		if neg {
			return &Float{Pos: pos, Value: -t.f}
		}
		return &Float{Pos: pos, Value: t.f}
	}
	return nil
}

// infix extends left with binary operators and postfix predicates of level min or tighter.
func (p *parser) infix(left Expr, min int) (Expr, error) {
	for {
		t := p.tok()
		prec, op := p.infixOp(t)
		if prec == precNone || prec < min {
			return left, nil
		}
		var err error
		switch {
		case op != OpInvalid:
			p.skip()
			right, err := p.expr(prec + 1)
			if err != nil {
				return nil, err
			}
			left = &Binary{Pos: left.Position(), Op: op, Left: left, Right: right}
			continue
		case t.is(kwIs):
			left, err = p.isPredicate(left)
		default:
			left, err = p.predicate(left)
		}
		if err != nil {
			return nil, err
		}
	}
}

// infixOp returns the level of the operator at t (precNone if t is no infix operator) and,
// for binary operators, the operator.
func (p *parser) infixOp(t *token) (int, BinaryOp) {
	switch t.kind {
	case tKeyword:
		switch t.kw {
		case kwOr:
			return precOr, OpOr
		case kwAnd:
			return precAnd, OpAnd
		case kwIs:
			return precIs, OpInvalid
		case kwLike, kwILike, kwSimilar, kwBetween, kwIn:
			return precPredicate, OpInvalid
		case kwNot:
			switch n := p.peek(1); {
			case n.is(kwLike), n.is(kwILike), n.is(kwSimilar), n.is(kwBetween), n.is(kwIn):
				return precPredicate, OpInvalid
			}
		}
		return precNone, OpInvalid
	case tTilde, tRegexCI, tLike, tILike:
		return precPredicate, OpInvalid
	}
	if op, ok := tokenBinaryOp[t.kind]; ok {
		return binaryPrec[op], op
	}
	return precNone, OpInvalid
}

// isPredicate parses IS [NOT] NULL|MISSING|TRUE|FALSE after x.
func (p *parser) isPredicate(x Expr) (Expr, error) {
	p.skip() // IS
	is := &Is{Pos: x.Position(), X: x, Not: p.acceptKw(kwNot)}
	switch t := p.tok(); {
	case t.is(kwNull):
		is.Kind = IsNull
	case t.is(kwMissing):
		is.Kind = IsMissing
	case t.is(kwTrue):
		is.Kind = IsTrue
	case t.is(kwFalse):
		is.Kind = IsFalse
	default:
		return nil, p.unexpected("NULL, MISSING, TRUE or FALSE after IS")
	}
	p.skip()
	return is, nil
}

// predicate parses [NOT] LIKE|ILIKE|SIMILAR TO|BETWEEN|IN and the ~ operators after x. Their
// operands bind more tightly than the predicate itself, so a BETWEEN bound or a LIKE pattern
// may be an arithmetic or || expression.
func (p *parser) predicate(x Expr) (Expr, error) {
	not := p.acceptKw(kwNot)
	t := p.advance()
	operand := func() (Expr, error) { return p.expr(precPredicate + 1) }
	switch {
	case t.is(kwBetween):
		lo, err := operand()
		if err != nil {
			return nil, err
		}
		if _, err := p.expectKw(kwAnd); err != nil {
			return nil, err
		}
		hi, err := operand()
		if err != nil {
			return nil, err
		}
		return &Between{Pos: x.Position(), X: x, Lo: lo, Hi: hi, Not: not}, nil
	case t.is(kwIn):
		return p.inPredicate(x, not)
	}
	like := &Like{Pos: x.Position(), X: x, Not: not}
	escapable := true
	switch {
	case t.is(kwLike), t.kind == tLike:
		like.Kind = LikeLike
	case t.is(kwILike), t.kind == tILike:
		like.Kind = LikeILike
	case t.is(kwSimilar):
		if err := p.expectWord("TO"); err != nil {
			return nil, err
		}
		like.Kind = LikeSimilar
	case t.kind == tTilde:
		like.Kind, escapable = LikeRegex, false
	case t.kind == tRegexCI:
		like.Kind, escapable = LikeRegexCI, false
	}
	var err error
	if like.Pattern, err = operand(); err != nil {
		return nil, err
	}
	if escapable && p.acceptWord("ESCAPE") {
		if like.Escape, err = operand(); err != nil {
			return nil, err
		}
	}
	return like, nil
}

// inPredicate parses the part of x [NOT] IN after IN: (e, ...) or (query).
func (p *parser) inPredicate(x Expr, not bool) (Expr, error) {
	if _, err := p.expect(tLParen); err != nil {
		return nil, err
	}
	in := &In{Pos: x.Position(), X: x, Not: not}
	var err error
	if t := p.tok(); t.is(kwSelect) || t.is(kwWith) {
		if in.Query, err = p.query(); err != nil {
			return nil, err
		}
	} else if in.List, err = p.exprList(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen); err != nil {
		return nil, err
	}
	return in, nil
}

// primary parses literals, paths, calls, CASE, CAST, EXISTS, subqueries, parenthesised
// expressions and the struct and list constructors.
func (p *parser) primary() (Expr, error) {
	t := p.tok()
	switch t.kind {
	case tInt, tBigInt, tFloat:
		return p.signedNumber(t.pos, false), nil
	case tString:
		p.skip()
		return &String{Pos: t.pos, Value: t.text}, nil
	case tTimestamp:
		p.skip()
		return &Timestamp{Pos: t.pos, Value: t.i}, nil
	case tIdent:
		if p.peek(1).kind == tLParen {
			return p.call()
		}
		p.skip()
		return p.pathSteps(&Path{Pos: t.pos, Root: t.text})
	case tQIdent:
		p.skip()
		return p.pathSteps(&Path{Pos: t.pos, Root: t.text})
	case tLParen:
		p.skip()
		if n := p.tok(); n.is(kwSelect) || n.is(kwWith) {
			q, err := p.query()
			if err != nil {
				return nil, err
			}
			if _, err := p.expect(tRParen); err != nil {
				return nil, err
			}
			return &Subquery{Pos: t.pos, Query: q}, nil
		}
		e, err := p.expr(precOr)
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen); err != nil {
			return nil, err
		}
		return e, nil
	case tLBrack:
		return p.listLit()
	case tLBrace:
		return p.structLit()
	case tKeyword:
		switch t.kw {
		case kwNull:
			p.skip()
			return &Null{Pos: t.pos}, nil
		case kwMissing:
			p.skip()
			return &Missing{Pos: t.pos}, nil
		case kwTrue, kwFalse:
			p.skip()
			return &Bool{Pos: t.pos, Value: t.kw == kwTrue}, nil
		case kwCase:
			return p.caseExpr()
		case kwCast:
			return p.cast()
		case kwExists:
			p.skip()
			if _, err := p.expect(tLParen); err != nil {
				return nil, err
			}
			if n := p.tok(); !n.is(kwSelect) && !n.is(kwWith) {
				return nil, p.unexpected("subquery after EXISTS (")
			}
			q, err := p.query()
			if err != nil {
				return nil, err
			}
			if _, err := p.expect(tRParen); err != nil {
				return nil, err
			}
			return &Exists{Pos: t.pos, Query: q}, nil
		}
	}
	return nil, p.unexpected("expression")
}

// pathSteps parses the steps after a path root: .name, ."name", [index] and ['name'].
func (p *parser) pathSteps(path *Path) (*Path, error) {
	for {
		switch p.tok().kind {
		case tDot:
			p.skip()
			t := p.tok()
			if t.kind != tIdent && t.kind != tQIdent {
				return nil, p.unexpected("field name after \".\"")
			}
			p.skip()
			path.Steps = append(path.Steps, FieldStep(t.text))
		case tLBrack:
			p.skip()
			t := p.tok()
			switch t.kind {
			case tInt:
				if t.i > math.MaxInt32 {
					return nil, p.errorAt(t.pos, "list index %d out of range", t.i)
				}
				path.Steps = append(path.Steps, IndexStep(int(t.i)))
			case tString:
				path.Steps = append(path.Steps, FieldStep(t.text))
			default:
				return nil, p.errorAt(t.pos, "unexpected %s (expected a non-negative integer or a string in [])", t.describe())
			}
			p.skip()
			if _, err := p.expect(tRBrack); err != nil {
				return nil, err
			}
		default:
			return path, nil
		}
	}
}

// caseExpr := CASE [operand] WHEN e THEN e {WHEN e THEN e} [ELSE e] END
func (p *parser) caseExpr() (Expr, error) {
	t := p.advance()
	c := &Case{Pos: t.pos}
	var err error
	if p.tok().is(kwEnd) {
		return nil, p.unexpected("WHEN")
	}
	if !p.tok().is(kwWhen) {
		if c.Operand, err = p.expr(precOr); err != nil {
			return nil, err
		}
	}
	for p.tok().is(kwWhen) {
		w := &When{Pos: p.advance().pos}
		if w.Cond, err = p.expr(precOr); err != nil {
			return nil, err
		}
		if _, err := p.expectKw(kwThen); err != nil {
			return nil, err
		}
		if w.Then, err = p.expr(precOr); err != nil {
			return nil, err
		}
		c.Whens = append(c.Whens, w)
	}
	if len(c.Whens) == 0 {
		return nil, p.unexpected("WHEN")
	}
	if p.acceptKw(kwElse) {
		if c.Else, err = p.expr(precOr); err != nil {
			return nil, err
		}
	}
	if _, err := p.expectKw(kwEnd); err != nil {
		return nil, err
	}
	return c, nil
}

// cast := CAST(e AS type)
func (p *parser) cast() (Expr, error) {
	t := p.advance()
	if _, err := p.expect(tLParen); err != nil {
		return nil, err
	}
	x, err := p.expr(precOr)
	if err != nil {
		return nil, err
	}
	if _, err := p.expectKw(kwAs); err != nil {
		return nil, err
	}
	tt := p.tok()
	if tt.kind != tIdent {
		return nil, p.unexpected("type name")
	}
	typ := lookupCastType(tt.text)
	if typ == CastInvalid {
		return nil, p.errorAt(tt.pos, "unknown type %q in CAST (expected INTEGER, FLOAT, BOOLEAN, STRING, TIMESTAMP, STRUCT, LIST, DECIMAL, SYMBOL, NULL or MISSING)", tt.text)
	}
	p.skip()
	if _, err := p.expect(tRParen); err != nil {
		return nil, err
	}
	return &Cast{Pos: t.pos, X: x, Type: typ}, nil
}

// listLit := [ [e {, e}] ]
func (p *parser) listLit() (Expr, error) {
	t := p.advance()
	l := &ListLit{Pos: t.pos}
	if !p.accept(tRBrack) {
		var err error
		if l.Elems, err = p.exprList(); err != nil {
			return nil, err
		}
		if _, err := p.expect(tRBrack); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// structLit := { ['key': e {, 'key': e}] }
func (p *parser) structLit() (Expr, error) {
	t := p.advance()
	s := &StructLit{Pos: t.pos}
	if p.accept(tRBrace) {
		return s, nil
	}
	for {
		k := p.tok()
		if k.kind != tString && k.kind != tQIdent {
			return nil, p.unexpected("string key of a struct field")
		}
		p.skip()
		if _, err := p.expect(tColon); err != nil {
			return nil, err
		}
		v, err := p.expr(precOr)
		if err != nil {
			return nil, err
		}
		s.Fields = append(s.Fields, &Field{Pos: k.pos, Key: k.text, Value: v})
		if !p.accept(tComma) {
			break
		}
	}
	if _, err := p.expect(tRBrace); err != nil {
		return nil, err
	}
	return s, nil
}
