package sql

import "strings"

// call parses name(args) with its FILTER and OVER suffixes. The keyword forms (DATE_ADD,
// DATE_DIFF, DATE_TRUNC, EXTRACT, TRIM, SUBSTRING, POSITION) have their own argument syntax;
// every other name takes [DISTINCT] e, ... or a lone *.
func (p *parser) call() (Expr, error) {
	t := p.advance()
	p.advance() // (
	c := &Call{Pos: t.pos, Name: strings.ToUpper(t.text)}
	var err error
	switch c.Name {
	case "DATE_ADD", "DATE_DIFF":
		err = p.dateArith(c)
	case "DATE_TRUNC":
		err = p.dateTrunc(c)
	case "EXTRACT":
		err = p.extract(c)
	case "TRIM":
		err = p.trim(c)
	case "SUBSTRING":
		err = p.substring(c)
	case "POSITION":
		err = p.position(c)
	default:
		err = p.args(c)
	}
	if err != nil {
		return nil, err
	}
	if p.tok().isWord("FILTER") && p.peek(1).kind == tLParen {
		p.skip()
		p.skip()
		if _, err := p.expectKw(kwWhere); err != nil {
			return nil, err
		}
		if c.Filter, err = p.expr(precOr); err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen); err != nil {
			return nil, err
		}
	}
	if p.tok().isWord("OVER") && p.peek(1).kind == tLParen {
		if c.Over, err = p.window(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// args parses the rest of an ordinary call after "(": ), *), or [DISTINCT] e {, e}).
func (p *parser) args(c *Call) error {
	if p.accept(tRParen) {
		return nil
	}
	if p.tok().kind == tStar && p.peek(1).kind == tRParen {
		p.skip()
		p.skip()
		c.Star = true
		return nil
	}
	c.Distinct = p.acceptKw(kwDistinct)
	var err error
	if c.Args, err = p.exprList(); err != nil {
		return err
	}
	_, err = p.expect(tRParen)
	return err
}

// window := OVER ( [PARTITION BY e {, e}] [ORDER BY item {, item}] )
func (p *parser) window() (*Window, error) {
	w := &Window{Pos: p.advance().pos}
	p.advance() // (
	var err error
	if p.acceptWord("PARTITION") {
		if _, err := p.expectKw(kwBy); err != nil {
			return nil, err
		}
		if w.PartitionBy, err = p.exprList(); err != nil {
			return nil, err
		}
	}
	if w.OrderBy, err = p.orderBy(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen); err != nil {
		return nil, err
	}
	return w, nil
}

// datePart parses the date part word that starts a keyword form of fn.
func (p *parser) datePart(fn string) (DatePart, error) {
	t := p.tok()
	if t.kind != tIdent || !t.word {
		return NoDatePart, p.unexpected("date part (MICROSECOND, MILLISECOND, SECOND, MINUTE, HOUR, DAY, DOW, DOY, WEEK, MONTH, QUARTER or YEAR) in " + fn)
	}
	d := lookupDatePart(t.text)
	switch {
	case d == NoDatePart:
		return d, p.errorAt(t.pos, "unknown date part %q in %s", t.text, fn)
	case (d == DOW || d == DOY) && fn != "EXTRACT":
		return d, p.errorAt(t.pos, "date part %s is valid only in EXTRACT, not in %s", d, fn)
	case d == Week && fn == "EXTRACT":
		return d, p.errorAt(t.pos, "date part WEEK is not valid in EXTRACT")
	}
	p.skip()
	return d, nil
}

// dateArith parses DATE_ADD(part, n, ts) and DATE_DIFF(part, a, b) after "(".
func (p *parser) dateArith(c *Call) error {
	var err error
	if c.Part, err = p.datePart(c.Name); err != nil {
		return err
	}
	for range 2 {
		if _, err := p.expect(tComma); err != nil {
			return err
		}
		a, err := p.expr(precOr)
		if err != nil {
			return err
		}
		c.Args = append(c.Args, a)
	}
	_, err = p.expect(tRParen)
	return err
}

// dateTrunc parses DATE_TRUNC(part, ts) after "(", with WEEK(day) as a part.
func (p *parser) dateTrunc(c *Call) error {
	var err error
	if c.Part, err = p.datePart(c.Name); err != nil {
		return err
	}
	if c.Part == Week && p.accept(tLParen) {
		t := p.tok()
		if t.kind == tIdent {
			c.WeekStart = lookupWeekday(t.text)
		}
		if c.WeekStart == NoWeekday {
			return p.unexpected("day of the week (SUNDAY to SATURDAY) in WEEK(...)")
		}
		p.skip()
		if _, err := p.expect(tRParen); err != nil {
			return err
		}
	}
	if _, err := p.expect(tComma); err != nil {
		return err
	}
	return p.lastArg(c, nil)
}

// extract parses EXTRACT(part FROM ts) after "(".
func (p *parser) extract(c *Call) error {
	var err error
	if c.Part, err = p.datePart(c.Name); err != nil {
		return err
	}
	if _, err := p.expectKw(kwFrom); err != nil {
		return err
	}
	return p.lastArg(c, nil)
}

// trim parses, after "(": s | s, chars | [LEADING|TRAILING|BOTH] [chars] FROM s. LEADING turns
// the call into LTRIM and TRAILING into RTRIM; the arguments are always [s] or [s, chars].
func (p *parser) trim(c *Call) error {
	if t := p.tok(); (t.isWord("LEADING") || t.isWord("TRAILING") || t.isWord("BOTH")) &&
		(p.peek(1).is(kwFrom) || startsOperand(p.peek(1))) {
		p.skip()
		switch strings.ToUpper(t.text) {
		case "LEADING":
			c.Name = "LTRIM"
		case "TRAILING":
			c.Name = "RTRIM"
		}
		var chars Expr
		if !p.tok().is(kwFrom) {
			var err error
			if chars, err = p.expr(precOr); err != nil {
				return err
			}
		}
		if _, err := p.expectKw(kwFrom); err != nil {
			return err
		}
		return p.lastArg(c, chars)
	}
	if p.acceptKw(kwFrom) {
		return p.lastArg(c, nil)
	}
	first, err := p.expr(precOr)
	if err != nil {
		return err
	}
	if p.acceptKw(kwFrom) {
		return p.lastArg(c, first)
	}
	c.Args = []Expr{first}
	if p.accept(tComma) {
		chars, err := p.expr(precOr)
		if err != nil {
			return err
		}
		c.Args = append(c.Args, chars)
	}
	_, err = p.expect(tRParen)
	return err
}

// lastArg parses the expression that ends a keyword form (the timestamp of DATE_TRUNC and
// EXTRACT, the string after FROM in TRIM) and the closing parenthesis, and sets c.Args to it,
// followed by then when not nil (TRIM's characters).
func (p *parser) lastArg(c *Call, then Expr) error {
	s, err := p.expr(precOr)
	if err != nil {
		return err
	}
	c.Args = []Expr{s}
	if then != nil {
		c.Args = append(c.Args, then)
	}
	_, err = p.expect(tRParen)
	return err
}

// startsOperand reports whether t can start an expression other than by a sign (which would
// also read as a binary operator).
func startsOperand(t *token) bool {
	switch t.kind {
	case tIdent, tQIdent, tString, tInt, tBigInt, tFloat, tTimestamp, tLParen, tLBrack, tLBrace, tTilde, tBang:
		return true
	case tKeyword:
		switch t.kw {
		case kwNull, kwMissing, kwTrue, kwFalse, kwCase, kwCast, kwExists, kwNot:
			return true
		}
	}
	return false
}

// substring parses, after "(": s, a [, n] | s FROM a [FOR n] | s FOR n.
func (p *parser) substring(c *Call) error {
	s, err := p.expr(precOr)
	if err != nil {
		return err
	}
	c.Args = []Expr{s}
	switch {
	case p.acceptKw(kwFrom):
		a, err := p.expr(precOr)
		if err != nil {
			return err
		}
		c.Args = append(c.Args, a)
		if p.acceptWord("FOR") {
			n, err := p.expr(precOr)
			if err != nil {
				return err
			}
			c.Args = append(c.Args, n)
		}
	case p.tok().isWord("FOR"):
		one := &Int{Pos: p.advance().pos, Value: 1}
		n, err := p.expr(precOr)
		if err != nil {
			return err
		}
		c.Args = append(c.Args, one, n)
	case p.accept(tComma):
		rest, err := p.exprList()
		if err != nil {
			return err
		}
		c.Args = append(c.Args, rest...)
	}
	_, err = p.expect(tRParen)
	return err
}

// position parses, after "(": a IN b, or ordinary arguments.
func (p *parser) position(c *Call) error {
	if p.accept(tRParen) {
		return nil
	}
	a, err := p.expr(precPredicate + 1)
	if err != nil {
		return err
	}
	if p.acceptKw(kwIn) {
		b, err := p.expr(precPredicate + 1)
		if err != nil {
			return err
		}
		c.Args = []Expr{a, b}
		_, err = p.expect(tRParen)
		return err
	}
	if a, err = p.infix(a, precOr); err != nil {
		return err
	}
	c.Args = []Expr{a}
	if p.accept(tComma) {
		rest, err := p.exprList()
		if err != nil {
			return err
		}
		c.Args = append(c.Args, rest...)
	}
	_, err = p.expect(tRParen)
	return err
}
