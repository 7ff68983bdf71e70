package vm

// A small test-only SQL evaluator, enough to run the simple conformance cases of the scalar
// functions and aggregates (SELECT exprs FROM input [WHERE] [GROUP BY]) directly against the
// function and aggregate tables, without the planner. It is not the product's parser: it
// exists so that the functions are checked against the upstream expectations row by row.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ---- JSON → Value with the conformance loading rules ----

var tsPattern = regexp.MustCompile(`^\s*(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?\s*$`)

// parseTimestampText parses an RFC 3339-like date-time (zone optional, UTC by default).
func parseTimestampText(s string) (Value, bool) {
	m := tsPattern.FindStringSubmatch(s)
	if m == nil {
		return Value{}, false
	}
	zone := m[4]
	if zone == "" {
		zone = "Z"
	}
	t, err := time.Parse(time.RFC3339Nano, m[1]+"T"+m[2]+m[3]+zone)
	if err != nil {
		return Value{}, false
	}
	return Time(t.UnixMicro()), true
}

func jsonNumber(s string) Value {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return Int(i)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Missing()
	}
	if !strings.ContainsAny(s, ".eE") {
		return Float(f) // integer out of the int64 range
	}
	if f == math.Trunc(f) && f >= -9.223372036854775808e18 && f < 9.223372036854775808e18 {
		return Int(int64(f))
	}
	return Float(f)
}

func jsonString(s string) Value {
	switch s {
	case "float64:inf", "float64:+inf":
		return Float(math.Inf(1))
	case "float64:-inf":
		return Float(math.Inf(-1))
	case "float64:nan", "float64:NaN":
		return Float(math.NaN())
	case "float64:-0":
		return Float(math.Copysign(0, -1))
	}
	if t, ok := parseTimestampText(s); ok {
		return t
	}
	return String(s)
}

// decodeJSONValue reads one JSON value, keeping struct field order.
func decodeJSONValue(d *json.Decoder) (Value, error) {
	tok, err := d.Token()
	if err != nil {
		return Value{}, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			items := []Value{}
			for d.More() {
				v, err := decodeJSONValue(d)
				if err != nil {
					return Value{}, err
				}
				items = append(items, v)
			}
			_, err := d.Token()
			return List(items), err
		case '{':
			fields := []Field{}
			for d.More() {
				k, err := d.Token()
				if err != nil {
					return Value{}, err
				}
				v, err := decodeJSONValue(d)
				if err != nil {
					return Value{}, err
				}
				fields = append(fields, Field{Name: k.(string), Value: v})
			}
			_, err := d.Token()
			return Struct(fields), err
		}
	case json.Number:
		return jsonNumber(string(t)), nil
	case string:
		return jsonString(t), nil
	case bool:
		return Bool(t), nil
	case nil:
		return Null(), nil
	}
	return Value{}, fmt.Errorf("unexpected token %v", tok)
}

func parseJSONValue(raw []byte) (Value, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	v, err := decodeJSONValue(d)
	if err != nil {
		return v, err
	}
	if _, err := d.Token(); err != io.EOF {
		return v, fmt.Errorf("trailing data")
	}
	return v, nil
}

// ---- lexer ----

type sqlTok struct {
	kind byte // 'i' ident, 'q' quoted ident, 's' string, 'n' number, 't' timestamp, 'p' punct, 0 EOF
	text string
}

func lexSQL(src string) ([]sqlTok, error) {
	var out []sqlTok
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#' || (c == '-' && strings.HasPrefix(src[i:], "--")):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return nil, fmt.Errorf("unterminated comment")
			}
			i += j + 4
		case c == '\'':
			var sb strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != '\''; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
					switch src[j] {
					case 'n':
						sb.WriteByte('\n')
					case 't':
						sb.WriteByte('\t')
					default:
						sb.WriteByte(src[j])
					}
					continue
				}
				sb.WriteByte(src[j])
			}
			out = append(out, sqlTok{'s', sb.String()})
			i = j + 1
		case c == '"':
			j := strings.IndexByte(src[i+1:], '"')
			if j < 0 {
				return nil, fmt.Errorf("unterminated identifier")
			}
			out = append(out, sqlTok{'q', src[i+1 : i+1+j]})
			i += j + 2
		case c == '`':
			j := strings.IndexByte(src[i+1:], '`')
			if j < 0 {
				return nil, fmt.Errorf("unterminated timestamp")
			}
			out = append(out, sqlTok{'t', src[i+1 : i+1+j]})
			i += j + 2
		case c >= '0' && c <= '9' || (c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9'):
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == 'e' || src[j] == 'E' ||
				((src[j] == '-' || src[j] == '+') && (src[j-1] == 'e' || src[j-1] == 'E'))) {
				j++
			}
			out = append(out, sqlTok{'n', src[i:j]})
			i = j
		case c == '_' || c == '@' || unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '@' || src[j] >= '0' && src[j] <= '9' || unicode.IsLetter(rune(src[j]))) {
				j++
			}
			out = append(out, sqlTok{'i', src[i:j]})
			i = j
		default:
			for _, p := range []string{"<>", "!=", "<=", ">=", "||"} {
				if strings.HasPrefix(src[i:], p) {
					out = append(out, sqlTok{'p', p})
					i += 2
					goto next
				}
			}
			out = append(out, sqlTok{'p', string(c)})
			i++
		next:
		}
	}
	return append(out, sqlTok{}), nil
}

// ---- AST ----

// sqlEnv is the evaluation environment of one row: the row itself, and for grouped
// queries the group whose aggregate results are being read.
type sqlEnv struct {
	c     *Ctx
	row   Value
	group int
}

type sqlExpr interface {
	eval(env *sqlEnv) Value
}

type (
	sqlConst struct{ v Value }
	sqlPath  struct{ steps []string }
	sqlCall  struct {
		fn   *Func
		args []sqlExpr
	}
	sqlArith struct {
		op   ArithOp
		l, r sqlExpr
	}
	sqlConcat struct{ l, r sqlExpr }
	sqlCmp    struct {
		op   string
		l, r sqlExpr
	}
	sqlIs struct {
		x    sqlExpr
		what string
		neg  bool
	}
	sqlLogic struct {
		and  bool
		l, r sqlExpr
	}
	sqlNot  struct{ x sqlExpr }
	sqlNeg  struct{ x sqlExpr }
	sqlCast struct {
		x  sqlExpr
		to string
	}
	sqlList struct{ items []sqlExpr }
	sqlAgg  struct {
		fn     *AggFunc
		star   bool
		args   []sqlExpr
		filter sqlExpr
		state  Agg
	}
)

func (e *sqlConst) eval(env *sqlEnv) Value { return e.v }

func (e *sqlPath) eval(env *sqlEnv) Value {
	v := env.row
	for _, s := range e.steps {
		v = v.Field(s)
	}
	return v
}

func (e *sqlCall) eval(env *sqlEnv) Value {
	args := make([]Value, len(e.args))
	for i, a := range e.args {
		args[i] = a.eval(env)
	}
	return e.fn.Eval(env.c, args)
}

func (e *sqlArith) eval(env *sqlEnv) Value { return ArithValues(e.op, e.l.eval(env), e.r.eval(env)) }

func (e *sqlConcat) eval(env *sqlEnv) Value {
	a, b := e.l.eval(env), e.r.eval(env)
	if a.k != KString || b.k != KString {
		return Missing()
	}
	return String(a.String() + b.String())
}

func (e *sqlCmp) eval(env *sqlEnv) Value {
	a, b := e.l.eval(env), e.r.eval(env)
	if a.k == KMissing || b.k == KMissing {
		return Missing()
	}
	switch e.op {
	case "=":
		return Bool(Equal(a, b))
	case "<>", "!=":
		return Bool(!Equal(a, b))
	}
	if a.k.class() != b.k.class() {
		return Missing()
	}
	c := Compare(a, b)
	switch e.op {
	case "<":
		return Bool(c < 0)
	case "<=":
		return Bool(c <= 0)
	case ">":
		return Bool(c > 0)
	}
	return Bool(c >= 0)
}

func (e *sqlIs) eval(env *sqlEnv) Value {
	v := e.x.eval(env)
	var r bool
	switch e.what {
	case "NULL":
		if e.neg {
			return Bool(v.k != KNull && v.k != KMissing)
		}
		r = v.k == KNull
	case "MISSING":
		r = v.k == KMissing
	case "TRUE":
		r = v.IsTrue()
	case "FALSE":
		if e.neg {
			return Bool(v.IsTrue() || v.k == KMissing)
		}
		r = v.k == KBool && !v.Bool()
	}
	return Bool(r != e.neg)
}

func (e *sqlLogic) eval(env *sqlEnv) Value {
	a, b := e.l.eval(env), e.r.eval(env)
	if e.and {
		return refAnd(a, b)
	}
	return refOr(a, b)
}

func (e *sqlNot) eval(env *sqlEnv) Value {
	v := e.x.eval(env)
	if v.k != KBool {
		return Missing()
	}
	return Bool(!v.Bool())
}

func (e *sqlNeg) eval(env *sqlEnv) Value {
	v := e.x.eval(env)
	switch v.k {
	case KInt:
		return Int(-v.Int())
	case KFloat:
		return Float(-v.Float())
	}
	return Missing()
}

func (e *sqlCast) eval(env *sqlEnv) Value {
	v := e.x.eval(env)
	switch e.to {
	case "INTEGER", "INT":
		switch v.k {
		case KInt:
			return v
		case KFloat:
			return Int(int64(v.Float()))
		case KBool:
			return Int(int64(v.n))
		}
	case "FLOAT":
		switch v.k {
		case KInt:
			return Float(float64(v.Int()))
		case KFloat:
			return v
		case KBool:
			return Float(float64(v.n))
		}
	}
	return Missing()
}

func (e *sqlList) eval(env *sqlEnv) Value {
	var items []Value
	for _, x := range e.items {
		if v := x.eval(env); v.k != KMissing {
			items = append(items, v)
		}
	}
	return List(items)
}

func (e *sqlAgg) eval(env *sqlEnv) Value { return e.state.Result(env.group) }

// ---- parser ----

type sqlParser struct {
	toks []sqlTok
	pos  int
	aggs []*sqlAgg
}

func (p *sqlParser) peek() sqlTok { return p.toks[p.pos] }
func (p *sqlParser) next() sqlTok { t := p.toks[p.pos]; p.pos++; return t }

func (p *sqlParser) isKw(kw string) bool {
	t := p.peek()
	return t.kind == 'i' && strings.EqualFold(t.text, kw)
}

func (p *sqlParser) acceptKw(kw string) bool {
	if p.isKw(kw) {
		p.pos++
		return true
	}
	return false
}

func (p *sqlParser) acceptP(s string) bool {
	if t := p.peek(); t.kind == 'p' && t.text == s {
		p.pos++
		return true
	}
	return false
}

func (p *sqlParser) expectP(s string) error {
	if !p.acceptP(s) {
		return fmt.Errorf("expected %q at %q", s, p.peek().text)
	}
	return nil
}

var sqlReserved = map[string]bool{"FROM": true, "WHERE": true, "GROUP": true, "ORDER": true, "LIMIT": true,
	"AS": true, "AND": true, "OR": true, "IS": true, "NOT": true, "SELECT": true, "HAVING": true,
	"LIKE": true, "IN": true, "BETWEEN": true, "CASE": true, "OVER": true, "JOIN": true, "FILTER": true,
	"UNION": true, "DISTINCT": true, "ILIKE": true, "WHEN": true, "WITH": true}

func (p *sqlParser) expr() (sqlExpr, error) { return p.or() }

func (p *sqlParser) or() (sqlExpr, error) {
	l, err := p.and()
	for err == nil && p.acceptKw("OR") {
		var r sqlExpr
		r, err = p.and()
		l = &sqlLogic{and: false, l: l, r: r}
	}
	return l, err
}

func (p *sqlParser) and() (sqlExpr, error) {
	l, err := p.not()
	for err == nil && p.acceptKw("AND") {
		var r sqlExpr
		r, err = p.not()
		l = &sqlLogic{and: true, l: l, r: r}
	}
	return l, err
}

func (p *sqlParser) not() (sqlExpr, error) {
	if p.acceptKw("NOT") {
		x, err := p.not()
		return &sqlNot{x}, err
	}
	return p.cmp()
}

func (p *sqlParser) cmp() (sqlExpr, error) {
	l, err := p.add()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == 'p' {
		switch t.text {
		case "=", "<>", "!=", "<", "<=", ">", ">=":
			p.pos++
			r, err := p.add()
			return &sqlCmp{op: t.text, l: l, r: r}, err
		}
	}
	if p.acceptKw("IS") {
		neg := p.acceptKw("NOT")
		t := p.next()
		what := strings.ToUpper(t.text)
		switch what {
		case "NULL", "MISSING", "TRUE", "FALSE":
			return &sqlIs{x: l, what: what, neg: neg}, nil
		}
		return nil, fmt.Errorf("IS %s", t.text)
	}
	if t := p.peek(); t.kind == 'i' && sqlReserved[strings.ToUpper(t.text)] {
		switch strings.ToUpper(t.text) {
		case "LIKE", "ILIKE", "IN", "BETWEEN":
			return nil, fmt.Errorf("unsupported %s", t.text)
		}
	}
	return l, nil
}

func (p *sqlParser) add() (sqlExpr, error) {
	l, err := p.mul()
	for err == nil {
		t := p.peek()
		if t.kind != 'p' || (t.text != "+" && t.text != "-" && t.text != "||") {
			break
		}
		p.pos++
		var r sqlExpr
		r, err = p.mul()
		switch t.text {
		case "+":
			l = &sqlArith{op: OpAdd, l: l, r: r}
		case "-":
			l = &sqlArith{op: OpSub, l: l, r: r}
		default:
			l = &sqlConcat{l: l, r: r}
		}
	}
	return l, err
}

func (p *sqlParser) mul() (sqlExpr, error) {
	l, err := p.unary()
	for err == nil {
		t := p.peek()
		if t.kind != 'p' || (t.text != "*" && t.text != "/" && t.text != "%") {
			break
		}
		p.pos++
		var r sqlExpr
		r, err = p.unary()
		op := map[string]ArithOp{"*": OpMul, "/": OpDiv, "%": OpMod}[t.text]
		l = &sqlArith{op: op, l: l, r: r}
	}
	return l, err
}

func (p *sqlParser) unary() (sqlExpr, error) {
	if p.acceptP("-") {
		if t := p.peek(); t.kind == 'n' {
			p.pos++
			return &sqlConst{jsonNumberLiteral("-" + t.text)}, nil
		}
		x, err := p.unary()
		return &sqlNeg{x}, err
	}
	return p.primary()
}

// jsonNumberLiteral converts a SQL number literal: digits only → int, else float.
func jsonNumberLiteral(s string) Value {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return Int(i)
		}
	}
	f, _ := strconv.ParseFloat(s, 64)
	return Float(f)
}

var datePartFuncs = map[string]bool{"DATE_ADD": true, "DATE_DIFF": true, "DATE_TRUNC": true}

func (p *sqlParser) primary() (sqlExpr, error) {
	t := p.next()
	switch t.kind {
	case 'n':
		return &sqlConst{jsonNumberLiteral(t.text)}, nil
	case 's':
		return &sqlConst{String(t.text)}, nil
	case 't':
		v, ok := parseTimestampText(t.text)
		if !ok {
			return nil, fmt.Errorf("bad timestamp %q", t.text)
		}
		return &sqlConst{v}, nil
	case 'q':
		return p.path(t.text)
	case 'p':
		switch t.text {
		case "(":
			if p.isKw("SELECT") {
				return nil, fmt.Errorf("unsupported subquery")
			}
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			return x, p.expectP(")")
		case "[":
			var items []sqlExpr
			for !p.acceptP("]") {
				x, err := p.expr()
				if err != nil {
					return nil, err
				}
				items = append(items, x)
				p.acceptP(",")
			}
			return &sqlList{items}, nil
		}
		return nil, fmt.Errorf("unexpected %q", t.text)
	case 'i':
		up := strings.ToUpper(t.text)
		switch up {
		case "NULL":
			return &sqlConst{Null()}, nil
		case "TRUE":
			return &sqlConst{Bool(true)}, nil
		case "FALSE":
			return &sqlConst{Bool(false)}, nil
		case "MISSING":
			return &sqlConst{Missing()}, nil
		}
		if sqlReserved[up] {
			return nil, fmt.Errorf("unsupported %s", t.text)
		}
		if !p.acceptP("(") {
			return p.path(t.text)
		}
		return p.call(up)
	}
	return nil, fmt.Errorf("unexpected end of query")
}

func (p *sqlParser) path(first string) (sqlExpr, error) {
	steps := []string{first}
	for p.acceptP(".") {
		t := p.next()
		if t.kind != 'i' && t.kind != 'q' {
			return nil, fmt.Errorf("bad path")
		}
		steps = append(steps, t.text)
	}
	if p.peek().kind == 'p' && p.peek().text == "[" {
		return nil, fmt.Errorf("unsupported index")
	}
	return &sqlPath{steps}, nil
}

func (p *sqlParser) call(name string) (sqlExpr, error) {
	var args []sqlExpr
	switch {
	case name == "CAST":
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if !p.acceptKw("AS") {
			return nil, fmt.Errorf("CAST without AS")
		}
		to := strings.ToUpper(p.next().text)
		return &sqlCast{x: x, to: to}, p.expectP(")")
	case name == "EXTRACT":
		part := p.next()
		if !p.acceptKw("FROM") {
			return nil, fmt.Errorf("EXTRACT without FROM")
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = []sqlExpr{&sqlConst{String(strings.ToUpper(part.text))}, x}
		if err := p.expectP(")"); err != nil {
			return nil, err
		}
	case name == "TRIM" && (p.isKw("LEADING") || p.isKw("TRAILING") || p.isKw("BOTH")):
		how := strings.ToUpper(p.next().text)
		var chars sqlExpr
		if !p.acceptKw("FROM") {
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			chars = x
			if !p.acceptKw("FROM") {
				return nil, fmt.Errorf("TRIM without FROM")
			}
		}
		s, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = []sqlExpr{s}
		if chars != nil {
			args = append(args, chars)
		}
		name = map[string]string{"LEADING": "LTRIM", "TRAILING": "RTRIM", "BOTH": "TRIM"}[how]
		if err := p.expectP(")"); err != nil {
			return nil, err
		}
	default:
		if datePartFuncs[name] {
			t := p.peek()
			if t.kind == 'i' {
				part := strings.ToUpper(t.text)
				p.pos++
				if p.acceptP("(") { // WEEK(MONDAY)
					d := p.next().text
					if err := p.expectP(")"); err != nil {
						return nil, err
					}
					part += "(" + strings.ToUpper(d) + ")"
				}
				args = append(args, &sqlConst{String(part)})
				if err := p.expectP(","); err != nil {
					return nil, err
				}
			}
		}
		star := false
		if p.acceptP("*") {
			star = true
			if err := p.expectP(")"); err != nil {
				return nil, err
			}
		} else if !p.acceptP(")") {
			for {
				x, err := p.expr()
				if err != nil {
					return nil, err
				}
				args = append(args, x)
				if p.acceptP(")") {
					break
				}
				if err := p.expectP(","); err != nil {
					return nil, err
				}
			}
		}
		if a := LookupAgg(name); a != nil {
			if p.isKw("OVER") {
				return nil, fmt.Errorf("unsupported window")
			}
			ag := &sqlAgg{fn: a, star: star, args: args}
			if p.acceptKw("FILTER") {
				if err := p.expectP("("); err != nil {
					return nil, err
				}
				if !p.acceptKw("WHERE") {
					return nil, fmt.Errorf("FILTER without WHERE")
				}
				f, err := p.expr()
				if err != nil {
					return nil, err
				}
				ag.filter = f
				if err := p.expectP(")"); err != nil {
					return nil, err
				}
			}
			p.aggs = append(p.aggs, ag)
			return ag, nil
		}
		if star {
			return nil, fmt.Errorf("%s(*)", name)
		}
	}
	f := LookupFunc(name)
	if f == nil {
		return nil, fmt.Errorf("unknown function %s", name)
	}
	if err := f.CheckArity(len(args)); err != nil {
		return nil, err
	}
	return &sqlCall{fn: f, args: args}, nil
}

// sqlQuery is a parsed SELECT.
type sqlQuery struct {
	items   []sqlExpr
	names   []string
	from    bool
	where   sqlExpr
	groupBy []sqlExpr
	limit   int
	aggs    []*sqlAgg
}

func parseSQLQuery(src string) (*sqlQuery, error) {
	toks, err := lexSQL(src)
	if err != nil {
		return nil, err
	}
	p := &sqlParser{toks: toks}
	if !p.acceptKw("SELECT") {
		return nil, fmt.Errorf("not a SELECT")
	}
	if p.isKw("DISTINCT") {
		return nil, fmt.Errorf("unsupported DISTINCT")
	}
	q := &sqlQuery{limit: -1}
	for i := 1; ; i++ {
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		name := ""
		if p.acceptKw("AS") {
			name = p.next().text
		} else if t := p.peek(); (t.kind == 'i' && !sqlReserved[strings.ToUpper(t.text)]) || t.kind == 'q' {
			name = t.text
			p.pos++
		} else {
			switch e := x.(type) {
			case *sqlPath:
				name = e.steps[len(e.steps)-1]
			case *sqlAgg:
				name = e.fn.DefaultName
			}
		}
		q.items = append(q.items, x)
		q.names = append(q.names, name)
		if !p.acceptP(",") {
			break
		}
	}
	// unnamed and duplicate implicit names get a positional suffix
	seen := map[string]int{}
	for _, n := range q.names {
		seen[n]++
	}
	for i, n := range q.names {
		if n == "" {
			q.names[i] = "_" + strconv.Itoa(i+1)
		} else if seen[n] > 1 {
			q.names[i] = n + "_" + strconv.Itoa(i+1)
		}
	}
	if p.acceptKw("FROM") {
		t := p.next()
		if t.kind != 'i' || t.text != "input" {
			return nil, fmt.Errorf("unsupported FROM %q", t.text)
		}
		q.from = true
		if t := p.peek(); t.kind == 'i' && !sqlReserved[strings.ToUpper(t.text)] || (t.kind == 'p' && t.text == ",") {
			return nil, fmt.Errorf("unsupported FROM alias or join")
		}
	}
	if p.acceptKw("WHERE") {
		if q.where, err = p.expr(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("GROUP") {
		if !p.acceptKw("BY") {
			return nil, fmt.Errorf("GROUP without BY")
		}
		for {
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			if p.acceptKw("AS") {
				return nil, fmt.Errorf("unsupported GROUP BY alias")
			}
			q.groupBy = append(q.groupBy, x)
			if !p.acceptP(",") {
				break
			}
		}
	}
	if p.acceptKw("ORDER") { // rows are compared as a multiset: skip the ORDER BY
		for t := p.peek(); t.kind != 0 && !p.isKw("LIMIT"); t = p.peek() {
			p.pos++
		}
	}
	if p.acceptKw("LIMIT") {
		n, err := strconv.Atoi(p.next().text)
		if err != nil {
			return nil, err
		}
		q.limit = n
	}
	if p.peek().kind != 0 {
		return nil, fmt.Errorf("unsupported trailing %q", p.peek().text)
	}
	q.aggs = p.aggs
	return q, nil
}

// run evaluates the query over rows.
func (q *sqlQuery) run(c *Ctx, rows []Value) ([]Value, error) {
	if !q.from {
		rows = []Value{Struct(nil)}
	}
	if q.where != nil {
		var kept []Value
		for _, r := range rows {
			if q.where.eval(&sqlEnv{c: c, row: r}).IsTrue() {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	var out []Value
	emit := func(env *sqlEnv) {
		if a, ok := q.items[0].(*sqlAgg); ok && len(q.items) == 1 && a.fn.Name == "SNELLER_DATASHAPE" {
			out = append(out, a.eval(env)) // the row is the shape itself, as in the original
			return
		}
		var fields []Field
		for i, it := range q.items {
			fields = append(fields, Field{Name: q.names[i], Value: it.eval(env)})
		}
		out = append(out, Struct(fields))
	}
	if len(q.aggs) == 0 && len(q.groupBy) == 0 {
		for _, r := range rows {
			emit(&sqlEnv{c: c, row: r})
		}
		return out, nil
	}
	// group the rows
	var keys []Value
	var firstRow []Value
	group := make([]uint32, len(rows))
	for i, r := range rows {
		var k []Value
		for _, g := range q.groupBy {
			k = append(k, g.eval(&sqlEnv{c: c, row: r}))
		}
		key := List(k)
		if len(k) > 0 && allMissing(k) {
			group[i] = math.MaxUint32 // rows whose group key is MISSING are dropped
			continue
		}
		found := -1
		for j, kk := range keys {
			if sameValueDeep(kk, key) {
				found = j
				break
			}
		}
		if found < 0 {
			found = len(keys)
			keys = append(keys, key)
			firstRow = append(firstRow, r)
		}
		group[i] = uint32(found)
	}
	ngroups := len(keys)
	if len(q.groupBy) == 0 {
		ngroups = 1
		firstRow = []Value{Struct(nil)}
		if len(rows) > 0 {
			firstRow[0] = rows[0]
		}
	}
	for _, a := range q.aggs {
		var opt AggOptions
		for _, x := range a.args[min(1, len(a.args)):] {
			k, ok := x.(*sqlConst)
			if !ok {
				return nil, fmt.Errorf("non-constant aggregate argument")
			}
			opt.Consts = append(opt.Consts, k.v)
		}
		if len(a.args) > 0 {
			if cst, ok := a.args[0].(*sqlCast); ok && (cst.to == "INTEGER" || cst.to == "INT") {
				opt.IntArg = true
			}
		}
		if a.fn.Check != nil {
			consts := make([]Value, len(a.args))
			isConst := make([]bool, len(a.args))
			for i, x := range a.args {
				if k, ok := x.(*sqlConst); ok && i > 0 {
					consts[i], isConst[i] = k.v, true
				}
			}
			if err := a.fn.Check(consts, isConst); err != nil {
				return nil, err
			}
		}
		a.state = a.fn.New(opt)
		a.state.Resize(ngroups)
		// feed the rows in one batch; the aggregate's own arguments (the first one, or the
		// whole row for `*`)
		n := len(rows)
		if n == 0 {
			continue
		}
		var vals []Value
		sel := MakeBitmap(nil, n)
		for i, r := range rows {
			env := &sqlEnv{c: c, row: r}
			if group[i] == math.MaxUint32 {
				vals = append(vals, Missing())
				continue
			}
			if a.filter != nil && !a.filter.eval(env).IsTrue() {
				vals = append(vals, Missing())
				continue
			}
			sel.Set(i)
			switch {
			case a.star && a.fn.Name == "COUNT":
				vals = append(vals, Missing())
			case a.star:
				vals = append(vals, r)
			default:
				vals = append(vals, a.args[0].eval(env))
			}
		}
		var args []*Vec
		if !(a.star && a.fn.Name == "COUNT") {
			args = []*Vec{vecOf(vals, false)}
			for range a.args[min(1, len(a.args)):] {
				args = append(args, &Vec{N: n})
			}
		}
		g := group
		if len(q.groupBy) == 0 {
			g = nil
		}
		if err := a.state.Update(c, args, sel, g); err != nil {
			return nil, err
		}
	}
	for g := 0; g < ngroups; g++ {
		emit(&sqlEnv{c: c, row: firstRow[g], group: g})
	}
	return out, nil
}

// sameValueDeep is Equal that also treats MISSING = MISSING (for grouping keys).
func sameValueDeep(a, b Value) bool {
	if a.k == KList && b.k == KList {
		la, lb := a.List(), b.List()
		if len(la) != len(lb) {
			return false
		}
		for i := range la {
			if !sameValueDeep(la[i], lb[i]) {
				return false
			}
		}
		return true
	}
	if a.k == KMissing || b.k == KMissing {
		return a.k == b.k
	}
	return a.k.class() == b.k.class() && sameValue2(a, b)
}

func sameValue2(a, b Value) bool {
	if a.k == KFloat && b.k == KFloat && math.IsNaN(a.Float()) && math.IsNaN(b.Float()) {
		return true
	}
	return Equal(a, b)
}

func allMissing(vals []Value) bool {
	for _, v := range vals {
		if v.k != KMissing {
			return false
		}
	}
	return true
}
