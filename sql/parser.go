package sql

import "fmt"

// maxDepth bounds the nesting of expressions and queries, so that hostile input cannot exhaust
// the stack. Real queries nest a few levels deep.
const maxDepth = 1000

// Parse parses one statement: [EXPLAIN [AS format]] query, optionally followed by a semicolon.
// On failure the error is an *Error (and wraps ErrSyntax).
func Parse(text string) (*Statement, error) {
	p := newParser(text)
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	return st, nil
}

// ParseQuery parses a query (no EXPLAIN), optionally followed by a semicolon.
func ParseQuery(text string) (*Query, error) {
	p := newParser(text)
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	return q, nil
}

// ParseExpr parses a lone expression.
func ParseExpr(text string) (Expr, error) {
	p := newParser(text)
	e, err := p.expr(precOr)
	if err != nil {
		return nil, err
	}
	if t := p.tok(); t.kind != tEOF {
		return nil, p.unexpected("end of expression")
	}
	return e, nil
}

// parser is a recursive-descent parser; expressions use precedence climbing (see ops.go for the
// levels). It pulls tokens from the lexer into a lookahead queue of at most three tokens.
type parser struct {
	lx     *lexer
	la     [3]*token // la[0] is the current token, then up to two tokens of lookahead
	n      int       // how many entries of la are filled
	slab   []token   // tokens are carved from small slabs so that pointers to them stay valid
	lexErr error     // the lexical error, once the lookahead reached it
	depth  int
}

func newParser(text string) *parser {
	return &parser{lx: newLexer(text)}
}

// fill makes sure la[k] holds a token.
func (p *parser) fill(k int) {
	for p.n <= k {
		if len(p.slab) == 0 {
			p.slab = make([]token, 32)
		}
		t := &p.slab[0]
		p.slab = p.slab[1:]
		var err error
		if *t, err = p.lx.next(); err != nil && p.lexErr == nil {
			p.lexErr = err
		}
		p.la[p.n] = t
		p.n++
	}
}

// tok returns the current token.
func (p *parser) tok() *token {
	p.fill(0)
	return p.la[0]
}

// peek returns the token k places after the current one (k <= 2).
func (p *parser) peek(k int) *token {
	p.fill(k)
	return p.la[k]
}

// advance consumes the current token and returns it. At the end of the input (or at a lexical
// error) it stays in place.
func (p *parser) advance() *token {
	t := p.tok()
	if t.kind != tEOF && t.kind != tError {
		copy(p.la[:], p.la[1:p.n])
		p.n--
		p.la[p.n] = nil
	}
	return t
}

// skip consumes the current token.
func (p *parser) skip() { p.advance() }

// accept consumes the current token if it has the given kind.
func (p *parser) accept(k tokKind) bool {
	if p.tok().kind == k {
		p.skip()
		return true
	}
	return false
}

// acceptKw consumes the current token if it is the reserved keyword k.
func (p *parser) acceptKw(k keyword) bool {
	if p.tok().is(k) {
		p.skip()
		return true
	}
	return false
}

// acceptWord consumes the current token if it is the contextual word w.
func (p *parser) acceptWord(w string) bool {
	if p.tok().isWord(w) {
		p.skip()
		return true
	}
	return false
}

// expect consumes a token of kind k or fails naming what was expected.
func (p *parser) expect(k tokKind) (*token, error) {
	if t := p.tok(); t.kind == k {
		return p.advance(), nil
	}
	return nil, p.unexpected(fmt.Sprintf("%q", punctText[k]))
}

// expectKw consumes the reserved keyword k or fails.
func (p *parser) expectKw(k keyword) (*token, error) {
	if t := p.tok(); t.is(k) {
		return p.advance(), nil
	}
	return nil, p.unexpected(keywordText[k])
}

// expectWord consumes the contextual word w or fails.
func (p *parser) expectWord(w string) error {
	if p.acceptWord(w) {
		return nil
	}
	return p.unexpected(w)
}

// unexpected reports the current token, saying what was expected instead. A lexical error
// in the lookahead takes precedence: it is what went wrong.
func (p *parser) unexpected(expected string) error {
	t := p.tok()
	if p.lexErr != nil {
		return p.lexErr
	}
	return &Error{Pos: t.pos, Msg: fmt.Sprintf("unexpected %s (expected %s)", t.describe(), expected)}
}

// errorAt reports a problem at pos (or the lexical error in the lookahead, if there is one).
func (p *parser) errorAt(pos Pos, format string, args ...any) error {
	if p.lexErr != nil {
		return p.lexErr
	}
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// enter guards recursion; every call must be paired with leave.
func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorAt(p.tok().pos, "query nested too deeply (more than %d levels)", maxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// end accepts an optional semicolon and then requires the end of the input.
func (p *parser) end() error {
	p.accept(tSemicolon)
	if p.tok().kind != tEOF {
		return p.unexpected("end of input")
	}
	return nil
}

// name consumes an identifier (bare or quoted) and returns it. A reserved keyword is refused
// with a hint to quote it.
func (p *parser) name(what string) (string, Pos, error) {
	t := p.tok()
	switch t.kind {
	case tIdent, tQIdent:
		p.skip()
		return t.text, t.pos, nil
	case tKeyword:
		return "", t.pos, p.errorAt(t.pos, "unexpected keyword %s (expected %s; quote a keyword to use it as a name: \"%s\")",
			keywordText[t.kw], what, t.text)
	}
	return "", t.pos, p.unexpected(what)
}

// statement := [EXPLAIN [AS format]] query [;]
func (p *parser) statement() (*Statement, error) {
	st := &Statement{Pos: p.tok().pos}
	if t := p.tok(); t.is(kwExplain) {
		p.skip()
		st.Explain = &Explain{Pos: t.pos}
		if p.acceptKw(kwAs) {
			f, _, err := p.name("EXPLAIN format")
			if err != nil {
				return nil, err
			}
			st.Explain.Format = f
		}
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	st.Query = q
	if err := p.end(); err != nil {
		return nil, err
	}
	return st, nil
}

// query := [WITH name AS (query) {, name AS (query)}] body
//
// When the body is a UNION, the ORDER BY/LIMIT/OFFSET after its last SELECT apply to the whole
// union and go to the Query (unless that SELECT is parenthesised, which keeps its own). For a
// lone SELECT they stay in the Select, even when it is parenthesised.
func (p *parser) query() (*Query, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	q := &Query{Pos: p.tok().pos}
	if p.acceptKw(kwWith) {
		for {
			name, pos, err := p.name("name of a WITH query")
			if err != nil {
				return nil, err
			}
			if _, err := p.expectKw(kwAs); err != nil {
				return nil, err
			}
			if _, err := p.expect(tLParen); err != nil {
				return nil, err
			}
			sub, err := p.query()
			if err != nil {
				return nil, err
			}
			if _, err := p.expect(tRParen); err != nil {
				return nil, err
			}
			q.With = append(q.With, &CTE{Pos: pos, Name: name, Query: sub})
			if !p.accept(tComma) {
				break
			}
		}
	}
	body, last, err := p.body()
	if err != nil {
		return nil, err
	}
	q.Body = body
	if last != nil {
		if _, ok := body.(*Union); ok {
			q.OrderBy, q.Limit, q.Offset = last.OrderBy, last.Limit, last.Offset
			last.OrderBy, last.Limit, last.Offset = nil, nil, nil
		}
		return q, nil
	}
	// The body ends with a parenthesised SELECT: ORDER BY, LIMIT and OFFSET may follow.
	pos := p.tok().pos
	if q.OrderBy, err = p.orderBy(); err != nil {
		return nil, err
	}
	if q.Limit, q.Offset, err = p.limitOffset(); err != nil {
		return nil, err
	}
	if s, ok := body.(*Select); ok && (q.OrderBy != nil || q.Limit != nil || q.Offset != nil) {
		if s.OrderBy != nil || s.Limit != nil || s.Offset != nil {
			return nil, p.errorAt(pos, "ORDER BY, LIMIT or OFFSET after a parenthesised SELECT that has its own; use a subquery in FROM")
		}
		s.OrderBy, s.Limit, s.Offset = q.OrderBy, q.Limit, q.Offset
		q.OrderBy, q.Limit, q.Offset = nil, nil, nil
	}
	return q, nil
}

// body := operand [UNION [ALL] body]
//
// It also returns the last SELECT of the chain when that one was not parenthesised.
func (p *parser) body() (Body, *Select, error) {
	left, paren, err := p.unionOperand()
	if err != nil {
		return nil, nil, err
	}
	if !p.acceptKw(kwUnion) {
		if paren {
			return left, nil, nil
		}
		return left, left, nil
	}
	all := p.acceptKw(kwAll)
	if err := p.enter(); err != nil {
		return nil, nil, err
	}
	defer p.leave()
	right, last, err := p.body()
	if err != nil {
		return nil, nil, err
	}
	return &Union{Pos: left.Pos, All: all, Left: left, Right: right}, last, nil
}

// unionOperand := select | ( select )
func (p *parser) unionOperand() (*Select, bool, error) {
	if p.tok().kind == tLParen && p.peek(1).is(kwSelect) {
		p.skip()
		s, err := p.selectBlock()
		if err != nil {
			return nil, false, err
		}
		if _, err := p.expect(tRParen); err != nil {
			return nil, false, err
		}
		return s, true, nil
	}
	if !p.tok().is(kwSelect) {
		return nil, false, p.unexpected("SELECT")
	}
	s, err := p.selectBlock()
	return s, false, err
}

// selectBlock := SELECT [DISTINCT [ON (e, ...)]] items [INTO path] [FROM from] [WHERE e]
//
//	[GROUP BY e [AS name], ...] [HAVING e] [ORDER BY ...] [LIMIT n] [OFFSET n]
func (p *parser) selectBlock() (*Select, error) {
	t, err := p.expectKw(kwSelect)
	if err != nil {
		return nil, err
	}
	s := &Select{Pos: t.pos}
	if p.acceptKw(kwDistinct) {
		if p.acceptKw(kwOn) {
			if _, err := p.expect(tLParen); err != nil {
				return nil, err
			}
			if s.DistinctOn, err = p.exprList(); err != nil {
				return nil, err
			}
			if _, err := p.expect(tRParen); err != nil {
				return nil, err
			}
		} else {
			s.Distinct = true
		}
	}
	for {
		item, err := p.selectItem()
		if err != nil {
			return nil, err
		}
		s.Items = append(s.Items, item)
		if !p.accept(tComma) {
			break
		}
	}
	if p.acceptKw(kwInto) {
		if s.Into, err = p.tablePath(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw(kwFrom) {
		if s.From, err = p.from(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw(kwWhere) {
		if s.Where, err = p.expr(precOr); err != nil {
			return nil, err
		}
	}
	if p.acceptKw(kwGroup) {
		if _, err := p.expectKw(kwBy); err != nil {
			return nil, err
		}
		for {
			g := &GroupItem{Pos: p.tok().pos}
			if g.Expr, err = p.expr(precOr); err != nil {
				return nil, err
			}
			if p.acceptKw(kwAs) {
				if g.Name, _, err = p.name("name after AS"); err != nil {
					return nil, err
				}
			}
			s.GroupBy = append(s.GroupBy, g)
			if !p.accept(tComma) {
				break
			}
		}
	}
	if p.acceptKw(kwHaving) {
		if s.Having, err = p.expr(precOr); err != nil {
			return nil, err
		}
	}
	if s.OrderBy, err = p.orderBy(); err != nil {
		return nil, err
	}
	if s.Limit, s.Offset, err = p.limitOffset(); err != nil {
		return nil, err
	}
	return s, nil
}

// selectItem := * | expr [[AS] name]
func (p *parser) selectItem() (*SelectItem, error) {
	t := p.tok()
	item := &SelectItem{Pos: t.pos}
	if t.kind == tStar {
		p.skip()
		item.Expr = &Star{Pos: t.pos}
		return item, nil
	}
	e, err := p.expr(precOr)
	if err != nil {
		return nil, err
	}
	item.Expr = e
	switch t := p.tok(); {
	case t.is(kwAs):
		p.skip()
		if item.Name, _, err = p.name("name after AS"); err != nil {
			return nil, err
		}
		item.Explicit = true
	case t.kind == tIdent || t.kind == tQIdent:
		p.skip()
		item.Name, item.Explicit = t.text, true
	}
	return item, nil
}

// orderBy := [ORDER BY e [ASC|DESC] [NULLS FIRST|LAST], ...]
func (p *parser) orderBy() ([]*OrderItem, error) {
	if !p.acceptKw(kwOrder) {
		return nil, nil
	}
	if _, err := p.expectKw(kwBy); err != nil {
		return nil, err
	}
	return p.orderItems()
}

func (p *parser) orderItems() ([]*OrderItem, error) {
	var items []*OrderItem
	for {
		o := &OrderItem{Pos: p.tok().pos}
		e, err := p.expr(precOr)
		if err != nil {
			return nil, err
		}
		o.Expr = e
		if p.acceptWord("DESC") {
			o.Desc = true
		} else {
			p.acceptWord("ASC")
		}
		if p.acceptWord("NULLS") {
			switch {
			case p.acceptWord("LAST"):
				o.NullsLast = true
			case p.acceptWord("FIRST"):
			default:
				return nil, p.unexpected("FIRST or LAST after NULLS")
			}
		}
		items = append(items, o)
		if !p.accept(tComma) {
			return items, nil
		}
	}
}

// limitOffset := [LIMIT n] [OFFSET n], n a non-negative integer literal.
func (p *parser) limitOffset() (limit, offset *Int, err error) {
	if p.acceptKw(kwLimit) {
		if limit, err = p.count("LIMIT"); err != nil {
			return nil, nil, err
		}
	}
	if p.acceptKw(kwOffset) {
		if offset, err = p.count("OFFSET"); err != nil {
			return nil, nil, err
		}
	}
	return limit, offset, nil
}

func (p *parser) count(clause string) (*Int, error) {
	t := p.tok()
	switch t.kind {
	case tInt:
		p.skip()
		return &Int{Pos: t.pos, Value: t.i}, nil
	case tBigInt:
		return nil, p.errorAt(t.pos, "%s %s is out of range", clause, abbreviate(t.text))
	case tMinus:
		return nil, p.errorAt(t.pos, "%s must be a non-negative integer literal", clause)
	}
	return nil, p.errorAt(t.pos, "%s must be an integer literal, not %s", clause, t.describe())
}

// exprList := expr {, expr}
func (p *parser) exprList() ([]Expr, error) {
	var list []Expr
	for {
		e, err := p.expr(precOr)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
		if !p.accept(tComma) {
			return list, nil
		}
	}
}
