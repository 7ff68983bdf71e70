package sql

import "strings"

// from := term {(, | CROSS JOIN | [INNER] JOIN | LEFT|RIGHT|FULL [OUTER] JOIN) term [ON e]}
func (p *parser) from() (From, error) {
	left, err := p.fromTerm()
	if err != nil {
		return nil, err
	}
	for {
		kind := JoinKind(0)
		switch t := p.tok(); {
		case t.kind == tComma:
			p.skip()
			kind = JoinComma
		case t.is(kwCross):
			p.skip()
			if _, err := p.expectKw(kwJoin); err != nil {
				return nil, err
			}
			kind = JoinCross
		case t.is(kwJoin):
			p.skip()
			kind = JoinInner
		case t.is(kwInner):
			p.skip()
			if _, err := p.expectKw(kwJoin); err != nil {
				return nil, err
			}
			kind = JoinInner
		case t.is(kwLeft), t.is(kwRight), t.is(kwFull):
			p.skip()
			switch t.kw {
			case kwLeft:
				kind = JoinLeft
			case kwRight:
				kind = JoinRight
			default:
				kind = JoinFull
			}
			p.acceptKw(kwOuter)
			if _, err := p.expectKw(kwJoin); err != nil {
				return nil, err
			}
		default:
			return left, nil
		}
		right, err := p.fromTerm()
		if err != nil {
			return nil, err
		}
		j := &Join{Pos: left.Position(), Kind: kind, Left: left, Right: right}
		if kind != JoinComma && kind != JoinCross {
			if _, err := p.expectKw(kwOn); err != nil {
				return nil, err
			}
			if j.On, err = p.expr(precOr); err != nil {
				return nil, err
			}
		}
		left = j
	}
}

// fromTerm := primary {++ primary} [[AS] alias]
func (p *parser) fromTerm() (From, error) {
	f, err := p.fromPrimary()
	if err != nil {
		return nil, err
	}
	if p.tok().kind == tAppend {
		app := &Append{Pos: f.Position(), Items: []From{f}}
		for p.accept(tAppend) {
			g, err := p.fromPrimary()
			if err != nil {
				return nil, err
			}
			app.Items = append(app.Items, g)
		}
		f = app
	}
	var alias string
	aliasPos := p.tok().pos
	switch t := p.tok(); {
	case t.is(kwAs):
		p.skip()
		if alias, _, err = p.name("alias after AS"); err != nil {
			return nil, err
		}
	case t.kind == tIdent || t.kind == tQIdent:
		p.skip()
		alias = t.text
	default:
		return f, nil
	}
	switch f := f.(type) {
	case *Table:
		f.Alias = alias
	case *ReadFile:
		f.Alias = alias
	case *TableGlob:
		f.Alias = alias
	case *TablePattern:
		f.Alias = alias
	case *SubqueryFrom:
		f.Alias = alias
	case *Append:
		f.Alias = alias
	default:
		return nil, p.errorAt(aliasPos, "UNPIVOT takes no alias (name its value with AS and its key with AT)")
	}
	return f, nil
}

// fromPrimary := path | (query) | UNPIVOT primary {AS name | AT name}
//
//	| TABLE_GLOB(pattern) | TABLE_PATTERN(pattern) | READ_FILE('path')
func (p *parser) fromPrimary() (From, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.tok()
	switch {
	case t.kind == tLParen:
		p.skip()
		if n := p.tok(); !n.is(kwSelect) && !n.is(kwWith) && n.kind != tLParen {
			return nil, p.unexpected("subquery")
		}
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen); err != nil {
			return nil, err
		}
		return &SubqueryFrom{Pos: t.pos, Query: q}, nil
	case t.is(kwUnpivot):
		p.skip()
		src, err := p.fromPrimary()
		if err != nil {
			return nil, err
		}
		u := &Unpivot{Pos: t.pos, Source: src}
		seenAs, seenAt := false, false
		for {
			switch a := p.tok(); {
			case a.is(kwAs) && !seenAs:
				p.skip()
				seenAs = true
				if u.As, _, err = p.name("name of the UNPIVOT value after AS"); err != nil {
					return nil, err
				}
				continue
			case a.isWord("AT") && !seenAt:
				seenAt = true
				p.skip()
				if u.At, _, err = p.name("name of the UNPIVOT key after AT"); err != nil {
					return nil, err
				}
				continue
			}
			break
		}
		if !seenAs && !seenAt {
			return nil, p.unexpected("AS or AT after the UNPIVOT source")
		}
		if u.As == "" && u.At == "" {
			return nil, p.errorAt(t.pos, "UNPIVOT needs a non-empty name after AS or AT")
		}
		return u, nil
	case t.kind == tIdent && p.peek(1).kind == tLParen:
		return p.tableFunction()
	case t.kind == tIdent || t.kind == tQIdent:
		path, err := p.tablePath()
		if err != nil {
			return nil, err
		}
		return &Table{Pos: path.Pos, Path: path}, nil
	case t.kind == tKeyword:
		return nil, p.errorAt(t.pos, "unexpected keyword %s (expected table; quote a keyword to use it as a name: \"%s\")",
			keywordText[t.kw], t.text)
	}
	return nil, p.unexpected("table, subquery or UNPIVOT")
}

// tableFunction parses TABLE_GLOB(p), TABLE_PATTERN(p) and READ_FILE('path'). The argument
// is a string or a double-quoted identifier (the dialect writes TABLE_GLOB("inp?t[02]")).
func (p *parser) tableFunction() (From, error) {
	t := p.advance()
	p.advance() // (
	name := strings.ToUpper(t.text)
	switch name {
	case "TABLE_GLOB", "TABLE_PATTERN", "READ_FILE":
	default:
		return nil, p.errorAt(t.pos, "unknown table function %s (expected TABLE_GLOB, TABLE_PATTERN or READ_FILE)", name)
	}
	a := p.tok()
	if a.kind != tString && a.kind != tQIdent {
		return nil, p.unexpected("quoted argument of " + name)
	}
	p.skip()
	if _, err := p.expect(tRParen); err != nil {
		return nil, err
	}
	switch name {
	case "TABLE_GLOB":
		return &TableGlob{Pos: t.pos, Pattern: a.text}, nil
	case "TABLE_PATTERN":
		return &TablePattern{Pos: t.pos, Pattern: a.text}, nil
	}
	return &ReadFile{Pos: t.pos, Name: a.text}, nil
}

// tablePath parses a path in table position (FROM, INTO): name {.name | [index]}.
func (p *parser) tablePath() (*Path, error) {
	t := p.tok()
	if t.kind != tIdent && t.kind != tQIdent {
		if _, _, err := p.name("table"); err != nil {
			return nil, err
		}
	}
	p.skip()
	return p.pathSteps(&Path{Pos: t.pos, Root: t.text})
}
