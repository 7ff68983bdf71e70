package sql

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// lexer turns SQL text into tokens (docs/sql.md, "Lexical structure"), one at a time as the
// parser asks for them, so that memory does not grow with the number of tokens.
type lexer struct {
	src       string
	off       int
	line      int
	lineStart int
	colOff    int // a byte offset on the current line whose column is known...
	col       int // ...and that column
	// prevDot and prevAS record whether the last token was a dot or the keyword AS: the word
	// after either is never a keyword.
	prevDot, prevAS bool
	err             error // sticky: once set, every call returns it
	errPos          Pos
}

func newLexer(src string) *lexer {
	return &lexer{src: src, line: 1, col: 1}
}

// next returns the next token; at the end of the input it keeps returning a tEOF token. After a
// lexical error it keeps returning a tError token and the error.
func (l *lexer) next() (token, error) {
	if l.err != nil {
		return token{kind: tError, pos: l.errPos}, l.err
	}
	t, err := l.scan()
	if err != nil {
		l.err = err
		if e, ok := err.(*Error); ok {
			l.errPos = e.Pos
		}
		return token{kind: tError, pos: l.errPos}, err
	}
	l.prevDot, l.prevAS = t.kind == tDot, t.is(kwAs)
	return t, nil
}

func (l *lexer) scan() (token, error) {
	if err := l.skipSpace(); err != nil {
		return token{}, err
	}
	if l.off >= len(l.src) {
		return token{kind: tEOF, pos: l.pos(l.off)}, nil
	}
	return l.token()
}

// lex returns all the tokens of src, ending with a tEOF token.
func lex(src string) ([]token, error) {
	l := newLexer(src)
	var toks []token
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == tEOF {
			return toks, nil
		}
	}
}

// pos returns the position of byte offset off, which is on the current line and not before
// any offset asked for earlier on this line.
func (l *lexer) pos(off int) Pos {
	if l.colOff < l.lineStart {
		l.colOff, l.col = l.lineStart, 1
	}
	l.col += utf8.RuneCountInString(l.src[l.colOff:off])
	l.colOff = off
	return Pos{Offset: off, Line: l.line, Col: l.col}
}

func (l *lexer) errorf(off int, format string, args ...any) error {
	return &Error{Pos: l.pos(off), Msg: fmt.Sprintf(format, args...)}
}

// newline records that the byte at off is a line feed.
func (l *lexer) newline(off int) {
	l.line++
	l.lineStart = off + 1
}

// skipSpace skips white space and comments: `-- ...` and `# ...` to the end of the line, and
// `/* ... */`, which nests.
func (l *lexer) skipSpace() error {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == '\n':
			l.newline(l.off)
			l.off++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			l.off++
		case c == '#' || (c == '-' && l.peek(1) == '-'):
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.off++
			}
		case c == '/' && l.peek(1) == '*':
			if err := l.blockComment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

func (l *lexer) blockComment() error {
	start := l.pos(l.off)
	depth := 0
	for l.off < len(l.src) {
		switch c := l.src[l.off]; {
		case c == '/' && l.peek(1) == '*':
			depth++
			l.off += 2
		case c == '*' && l.peek(1) == '/':
			depth--
			l.off += 2
			if depth == 0 {
				return nil
			}
		case c == '\n':
			l.newline(l.off)
			l.off++
		default:
			l.off++
		}
	}
	return &Error{Pos: start, Msg: "unterminated /* comment"}
}

func (l *lexer) peek(k int) byte {
	if l.off+k < len(l.src) {
		return l.src[l.off+k]
	}
	return 0
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '@'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// token lexes one token at l.off (not white space).
func (l *lexer) token() (token, error) {
	start := l.off
	c := l.src[start]
	switch {
	case isIdentStart(c):
		return l.word(), nil
	case isDigit(c) || (c == '.' && isDigit(l.peek(1))):
		return l.number()
	case c == '\'':
		return l.quoted(tString)
	case c == '"':
		return l.quoted(tQIdent)
	case c == '`':
		return l.timestamp()
	}
	kind, n := l.operator()
	if n == 0 {
		r, _ := utf8.DecodeRuneInString(l.src[start:])
		if r == utf8.RuneError {
			return token{}, l.errorf(start, "invalid UTF-8 byte 0x%02x", c)
		}
		return token{}, l.errorf(start, "unexpected character %q", r)
	}
	l.off += n
	return token{kind: kind, pos: l.pos(start), text: l.src[start:l.off]}, nil
}

// operator recognises the operator or punctuation at l.off (longest match first) and returns
// its kind and length, or length 0.
func (l *lexer) operator() (tokKind, int) {
	c, d, e := l.peek(0), l.peek(1), l.peek(2)
	switch c {
	case '(':
		return tLParen, 1
	case ')':
		return tRParen, 1
	case '[':
		return tLBrack, 1
	case ']':
		return tRBrack, 1
	case '{':
		return tLBrace, 1
	case '}':
		return tRBrace, 1
	case ',':
		return tComma, 1
	case '.':
		return tDot, 1
	case ':':
		return tColon, 1
	case ';':
		return tSemicolon, 1
	case '*':
		return tStar, 1
	case '/':
		return tSlash, 1
	case '%':
		return tPercent, 1
	case '=':
		return tEq, 1
	case '&':
		return tAmp, 1
	case '^':
		return tCaret, 1
	case '-':
		return tMinus, 1
	case '+':
		if d == '+' {
			return tAppend, 2
		}
		return tPlus, 1
	case '|':
		if d == '|' {
			return tConcat, 2
		}
		return tPipe, 1
	case '!':
		if d == '=' {
			return tNe, 2
		}
		return tBang, 1
	case '<':
		switch d {
		case '=':
			return tLe, 2
		case '>':
			return tNe, 2
		case '<':
			return tShl, 2
		}
		return tLt, 1
	case '>':
		switch {
		case d == '=':
			return tGe, 2
		case d == '>' && e == '>':
			return tUshr, 3
		case d == '>':
			return tShr, 2
		}
		return tGt, 1
	case '~':
		switch {
		case d == '~' && e == '*':
			return tILike, 3
		case d == '~':
			return tLike, 2
		case d == '*':
			return tRegexCI, 2
		}
		return tTilde, 1
	}
	return tEOF, 0
}

// word lexes an unquoted identifier or keyword. A word is never a keyword right after AS or a
// dot, nor when a dot or a bracket follows it (it then starts a path such as order.id).
func (l *lexer) word() token {
	start := l.off
	for l.off < len(l.src) && isIdentChar(l.src[l.off]) {
		l.off++
	}
	text := l.src[start:l.off]
	t := token{kind: tIdent, pos: l.pos(start), text: text, word: !l.prevDot && !l.prevAS}
	if c := l.peek(0); c == '.' || c == '[' {
		t.word = false
	}
	if t.word {
		if kw := lookupKeyword(text); kw != kwNone {
			t.kind, t.kw = tKeyword, kw
		}
	}
	return t
}

// lookupKeyword returns the reserved keyword spelled (in any case) by s, or kwNone.
func lookupKeyword(s string) keyword {
	var buf [8]byte
	if len(s) < 2 || len(s) > len(buf) {
		return kwNone
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	return keywords[string(buf[:len(s)])]
}

// number lexes a numeric literal. Digits alone (with Go's 0x, 0b, 0o and 0 prefixes and _
// separators) make an integer: int64 when it fits, *big.Int when it does not. A fraction or
// an exponent makes a float64. A minus sign is never part of the literal: the parser folds
// unary minus into the literal that follows it, so x-1 and x -1 are both subtractions.
func (l *lexer) number() (token, error) {
	start := l.off
	isFloat := false
	if l.src[l.off] == '0' && strings.IndexByte("xXbBoO", l.peek(1)) >= 0 {
		l.off += 2
		for l.off < len(l.src) && isIdentChar(l.src[l.off]) {
			l.off++
		}
	} else {
		l.digits()
		if l.peek(0) == '.' && l.peek(1) != '.' {
			isFloat = true
			l.off++
			l.digits()
		}
		if c := l.peek(0); c == 'e' || c == 'E' {
			d := l.peek(1)
			if d == '+' || d == '-' {
				d = l.peek(2)
				l.off++
			}
			if !isDigit(d) {
				return token{}, l.errorf(start, "bad number %q (exponent without digits)", l.src[start:l.off+1])
			}
			isFloat = true
			l.off++
			l.digits()
		}
		if l.off < len(l.src) && isIdentChar(l.src[l.off]) {
			for l.off < len(l.src) && isIdentChar(l.src[l.off]) {
				l.off++
			}
			return token{}, l.errorf(start, "bad number %q", l.src[start:l.off])
		}
	}
	text := l.src[start:l.off]
	t := token{pos: l.pos(start), text: text}
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return token{}, l.errorf(start, "number %s out of the float64 range", abbreviate(text))
			}
			return token{}, l.errorf(start, "bad number %q", text)
		}
		t.kind, t.f = tFloat, f
	} else {
		i, err := strconv.ParseInt(text, 0, 64)
		switch {
		case err == nil:
			t.kind, t.i = tInt, i
		case errors.Is(err, strconv.ErrRange):
			b, ok := new(big.Int).SetString(text, 0)
			if !ok {
				return token{}, l.errorf(start, "bad number %q", text)
			}
			t.kind, t.big = tBigInt, b
		default:
			if len(text) > 1 && text[0] == '0' && isDigit(text[1]) {
				return token{}, l.errorf(start, "bad number %q (a leading 0 makes an octal number)", text)
			}
			return token{}, l.errorf(start, "bad number %q", abbreviate(text))
		}
	}
	return t, nil
}

func (l *lexer) digits() {
	for l.off < len(l.src) && (isDigit(l.src[l.off]) || l.src[l.off] == '_') {
		l.off++
	}
}

// quoted lexes a 'string' or a "quoted identifier". Backslash escapes are decoded Go-style, and
// a quote character written twice stands for one quote character.
func (l *lexer) quoted(kind tokKind) (token, error) {
	start := l.off
	q := l.src[start]
	var b strings.Builder
	plain := start + 1 // start of the run not yet copied to b
	escaped := false
	i := start + 1
	for {
		if i >= len(l.src) {
			if kind == tString {
				return token{}, l.errorf(start, "unterminated string")
			}
			return token{}, l.errorf(start, "unterminated quoted identifier")
		}
		switch c := l.src[i]; c {
		case q:
			if i+1 < len(l.src) && l.src[i+1] == q {
				escaped = true
				b.WriteString(l.src[plain : i+1])
				i += 2
				plain = i
				continue
			}
			t := token{kind: kind, pos: l.pos(start)}
			if escaped {
				b.WriteString(l.src[plain:i])
				t.text = b.String()
			} else {
				t.text = l.src[start+1 : i]
			}
			l.off = i + 1
			// Newlines inside the literal: account for them after taking the position.
			for j := start + 1; j < i; j++ {
				if l.src[j] == '\n' {
					l.newline(j)
				}
			}
			return t, nil
		case '\\':
			escaped = true
			b.WriteString(l.src[plain:i])
			next, err := decodeEscape(&b, l.src, i)
			if err != nil {
				l.advanceLines(start, err.off)
				return token{}, l.errorf(err.off, "%s", err.msg)
			}
			i = next
			plain = i
		default:
			i++
		}
	}
}

// advanceLines accounts for the line feeds in src[from:to] so that pos(to) is right.
func (l *lexer) advanceLines(from, to int) {
	for j := from; j < to; j++ {
		if l.src[j] == '\n' {
			l.newline(j)
		}
	}
}

// timestamp lexes a `backtick` timestamp literal.
func (l *lexer) timestamp() (token, error) {
	start := l.off
	end := strings.IndexByte(l.src[start+1:], '`')
	if end < 0 {
		return token{}, l.errorf(start, "unterminated timestamp literal")
	}
	end += start + 1
	body := l.src[start+1 : end]
	us, msg := parseTimestamp(body)
	if msg != "" {
		return token{}, l.errorf(start, "bad timestamp literal `%s`: %s", abbreviate(body), msg)
	}
	t := token{kind: tTimestamp, pos: l.pos(start), text: body, i: us}
	l.advanceLines(start, end)
	l.off = end + 1
	return t, nil
}
