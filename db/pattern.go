package db

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxCaptures is the largest number of {name} captures in a pattern.
const MaxCaptures = 8

// Pattern is a compiled input pattern: a slash-separated key pattern in which
//
//   - matches any run of characters within one path segment (possibly empty),
//     ?        matches one character other than '/',
//     [abc]    matches one character of the class; [a-z] ranges, [^...] negation, \c escapes,
//     \c       matches the character c literally,
//     {name}   matches a non-empty run within one segment and captures it as name
//     (name is [A-Za-z0-9_]+; at most 8 captures, names unique).
//
// Nothing matches across '/', and "**" is refused. A capture may not directly follow '*' or
// another capture and '*' may not directly follow a capture, because such a split would be
// ambiguous. Where several matches exist, '*' and captures take the shortest run
// (leftmost-shortest), so {a}-{b} captures a="x", b="y-z" from "x-y-z".
//
// A Pattern is immutable and safe for concurrent use.
type Pattern struct {
	src    string
	segs   []segment
	prefix string
	names  []string
}

type segment struct {
	toks    []token
	literal bool // every token is a literal: match by comparison
	lit     string
}

type tokKind uint8

const (
	tokLit tokKind = iota
	tokAny
	tokClass
	tokStar
	tokCapture
)

type token struct {
	kind  tokKind
	lit   string     // tokLit
	class *charClass // tokClass
	cap   int        // tokCapture: index into names
}

type charClass struct {
	neg    bool
	ranges []runeRange
}

type runeRange struct{ lo, hi rune }

func (c *charClass) match(r rune) bool {
	in := false
	for _, rg := range c.ranges {
		if r >= rg.lo && r <= rg.hi {
			in = true
			break
		}
	}
	return in != c.neg
}

// Capture is one captured value of a match.
type Capture struct {
	Name, Value string
}

// Captures are the values a match captured, in the order of the pattern.
type Captures []Capture

// Get returns the value captured under name.
func (c Captures) Get(name string) (string, bool) {
	for i := range c {
		if c[i].Name == name {
			return c[i].Value, true
		}
	}
	return "", false
}

// CompilePattern compiles a key pattern (without any s3:// or file:// scheme). The error
// wraps [ErrBadPattern] and gives the byte offset of the fault.
func CompilePattern(src string) (*Pattern, error) {
	p := &Pattern{src: src}
	fail := func(off int, format string, args ...any) (*Pattern, error) {
		return nil, fmt.Errorf("%w %q at offset %d: %s", ErrBadPattern, src, off, fmt.Sprintf(format, args...))
	}
	if src == "" {
		return fail(0, "empty pattern")
	}
	if !utf8.ValidString(src) {
		return fail(0, "not valid UTF-8")
	}
	if len(src) > MaxPathLen {
		return fail(MaxPathLen, "longer than %d bytes", MaxPathLen)
	}
	var (
		seg     segment
		lit     strings.Builder
		segOff  int
		litOnly = true // still in the literal prefix
		prefix  strings.Builder
	)
	flushLit := func() {
		if lit.Len() > 0 {
			seg.toks = append(seg.toks, token{kind: tokLit, lit: lit.String()})
			lit.Reset()
		}
	}
	last := func() tokKind {
		if lit.Len() > 0 || len(seg.toks) == 0 {
			return tokLit
		}
		return seg.toks[len(seg.toks)-1].kind
	}
	empty := func() bool { return lit.Len() == 0 && len(seg.toks) == 0 }
	endSeg := func(off int) error {
		if empty() {
			return fmt.Errorf("%w %q at offset %d: empty path segment", ErrBadPattern, src, off)
		}
		flushLit()
		if len(seg.toks) == 1 && seg.toks[0].kind == tokLit {
			if l := seg.toks[0].lit; l == "." || l == ".." {
				return fmt.Errorf("%w %q at offset %d: segment %q", ErrBadPattern, src, segOff, l)
			}
		}
		seg.literal = true
		for _, t := range seg.toks {
			if t.kind != tokLit {
				seg.literal = false
			}
		}
		if seg.literal {
			seg.lit = seg.toks[0].lit
		}
		p.segs = append(p.segs, seg)
		seg = segment{}
		return nil
	}
	addLit := func(r rune) {
		lit.WriteRune(r)
		if litOnly {
			prefix.WriteRune(r)
		}
	}
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch r {
		case '/':
			if err := endSeg(i); err != nil {
				return nil, err
			}
			if litOnly {
				prefix.WriteByte('/')
			}
			i++
			segOff = i
			continue
		case '\\':
			if i+1 >= len(src) {
				return fail(i, "trailing '\\'")
			}
			e, esz := utf8.DecodeRuneInString(src[i+1:])
			if e == '/' {
				return fail(i, "'/' cannot be escaped")
			}
			if e == 0 {
				return fail(i, "NUL character")
			}
			addLit(e)
			i += 1 + esz
			continue
		case 0:
			return fail(i, "NUL character")
		case '*':
			switch last() {
			case tokStar:
				return fail(i, "'**' is not supported")
			case tokCapture:
				return fail(i, "'*' directly after a capture")
			}
			flushLit()
			seg.toks = append(seg.toks, token{kind: tokStar})
		case '?':
			flushLit()
			seg.toks = append(seg.toks, token{kind: tokAny})
		case '[':
			class, n, err := parseClass(src, i)
			if err != nil {
				return nil, err
			}
			flushLit()
			seg.toks = append(seg.toks, token{kind: tokClass, class: class})
			i += n
			litOnly = false
			continue
		case '{':
			end := strings.IndexByte(src[i:], '}')
			if end < 0 {
				return fail(i, "unterminated capture")
			}
			name := src[i+1 : i+end]
			if name == "" {
				return fail(i, "empty capture name")
			}
			if !isIdent(name) {
				return fail(i, "capture name %q is not [A-Za-z0-9_]+", name)
			}
			switch last() {
			case tokStar:
				return fail(i, "capture {%s} directly after '*'", name)
			case tokCapture:
				return fail(i, "capture {%s} directly after another capture", name)
			}
			for _, n := range p.names {
				if n == name {
					return fail(i, "capture {%s} appears twice", name)
				}
			}
			if len(p.names) == MaxCaptures {
				return fail(i, "more than %d captures", MaxCaptures)
			}
			flushLit()
			seg.toks = append(seg.toks, token{kind: tokCapture, cap: len(p.names)})
			p.names = append(p.names, name)
			i += end + 1
			litOnly = false
			continue
		default:
			addLit(r)
			i += size
			continue
		}
		litOnly = false
		i += size
	}
	if err := endSeg(len(src)); err != nil {
		return nil, err
	}
	p.prefix = prefix.String()
	return p, nil
}

// parseClass parses the character class starting at src[start] == '[' and returns it with its
// length in bytes.
func parseClass(src string, start int) (*charClass, int, error) {
	fail := func(off int, msg string) (*charClass, int, error) {
		return nil, 0, fmt.Errorf("%w %q at offset %d: %s", ErrBadPattern, src, off, msg)
	}
	c := &charClass{}
	i := start + 1
	if i < len(src) && src[i] == '^' {
		c.neg = true
		i++
	}
	// next reads one class character (possibly escaped) at i.
	next := func() (rune, int, error) {
		if i >= len(src) {
			return 0, 0, fmt.Errorf("%w %q at offset %d: unterminated character class", ErrBadPattern, src, start)
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == '\\' {
			if i+1 >= len(src) {
				return 0, 0, fmt.Errorf("%w %q at offset %d: trailing '\\'", ErrBadPattern, src, i)
			}
			e, esz := utf8.DecodeRuneInString(src[i+1:])
			return e, 1 + esz, nil
		}
		return r, size, nil
	}
	for {
		if i >= len(src) {
			return fail(start, "unterminated character class")
		}
		if src[i] == ']' {
			i++
			break
		}
		lo, n, err := next()
		if err != nil {
			return nil, 0, err
		}
		if lo == '/' || lo == 0 {
			return fail(i, "character class cannot hold '/' or NUL")
		}
		i += n
		hi := lo
		// A '-' between two characters makes a range; first or last it is literal.
		if i+1 < len(src) && src[i] == '-' && src[i+1] != ']' {
			i++
			hi, n, err = next()
			if err != nil {
				return nil, 0, err
			}
			if hi == '/' || hi == 0 {
				return fail(i, "character class cannot hold '/' or NUL")
			}
			if hi < lo {
				return fail(i, fmt.Sprintf("range %q-%q is reversed", lo, hi))
			}
			i += n
		}
		c.ranges = append(c.ranges, runeRange{lo, hi})
	}
	if len(c.ranges) == 0 {
		return fail(start, "empty character class")
	}
	return c, i - start, nil
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return s != ""
}

// MustCompilePattern is CompilePattern for patterns known to be valid (tests, constants); it
// panics on error.
func MustCompilePattern(src string) *Pattern {
	p, err := CompilePattern(src)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the source of the pattern.
func (p *Pattern) String() string { return p.src }

// Prefix returns the longest literal prefix of every key the pattern matches (escapes
// resolved); listing starts there and stops once keys no longer share it.
func (p *Pattern) Prefix() string { return p.prefix }

// Names returns the capture names in the order they appear.
func (p *Pattern) Names() []string { return p.names }

// Segments returns the number of path segments of every matching key.
func (p *Pattern) Segments() int { return len(p.segs) }

// Match reports whether key matches the pattern and returns the captured values.
func (p *Pattern) Match(key string) (Captures, bool) {
	caps, ok, _ := p.match(key)
	return caps, ok
}

// match matches key and, when it fails, also returns a "dead" prefix ending in '/' under
// which no key can match (because the segments it covers already fail), or "".
func (p *Pattern) match(key string) (Captures, bool, string) {
	var vals [MaxCaptures]string
	rest := key
	off := 0
	for i := range p.segs {
		j := strings.IndexByte(rest, '/')
		last := i == len(p.segs)-1
		var s string
		switch {
		case last && j >= 0:
			// More segments than the pattern: everything below this directory fails.
			return nil, false, key[:off+j+1]
		case last:
			s = rest
		case j < 0:
			return nil, false, ""
		default:
			s = rest[:j]
		}
		if !p.segs[i].match(s, vals[:]) {
			if last {
				return nil, false, ""
			}
			return nil, false, key[:off+j+1]
		}
		if !last {
			rest = rest[j+1:]
			off += j + 1
		}
	}
	var caps Captures
	if len(p.names) > 0 {
		caps = make(Captures, len(p.names))
		for i, n := range p.names {
			caps[i] = Capture{Name: n, Value: vals[i]}
		}
	}
	return caps, true, ""
}

func (g *segment) match(s string, vals []string) bool {
	if g.literal {
		return s == g.lit
	}
	m := segMatcher{toks: g.toks, s: s, vals: vals}
	return m.match(0, 0)
}

// segMatcher matches one segment by backtracking over '*' and captures, shortest run first,
// remembering the (token, position) states that failed so that the work is bounded by
// tokens × positions × positions.
type segMatcher struct {
	toks []token
	s    string
	vals []string
	fail []uint64 // bitset over (token, position), allocated on first use
}

func (m *segMatcher) failed(ti, pos int) bool {
	if m.fail == nil {
		return false
	}
	b := ti*(len(m.s)+1) + pos
	return m.fail[b>>6]&(1<<(b&63)) != 0
}

func (m *segMatcher) setFailed(ti, pos int) {
	if m.fail == nil {
		m.fail = make([]uint64, ((len(m.toks)+1)*(len(m.s)+1)+63)/64)
	}
	b := ti*(len(m.s)+1) + pos
	m.fail[b>>6] |= 1 << (b & 63)
}

func (m *segMatcher) match(ti, pos int) bool {
	s := m.s
	for ti < len(m.toks) {
		t := &m.toks[ti]
		switch t.kind {
		case tokLit:
			if !strings.HasPrefix(s[pos:], t.lit) {
				return false
			}
			pos += len(t.lit)
		case tokAny, tokClass:
			if pos >= len(s) {
				return false
			}
			r, size := utf8.DecodeRuneInString(s[pos:])
			if t.kind == tokClass && !t.class.match(r) {
				return false
			}
			pos += size
		case tokStar, tokCapture:
			if m.failed(ti, pos) {
				return false
			}
			end := pos
			if t.kind == tokCapture {
				if pos >= len(s) {
					return false
				}
				_, size := utf8.DecodeRuneInString(s[pos:])
				end += size
			}
			// When a literal follows, only the positions where it occurs can end the run.
			var next string
			if ti+1 < len(m.toks) && m.toks[ti+1].kind == tokLit {
				next = m.toks[ti+1].lit
			}
			for end <= len(s) {
				if next != "" {
					k := strings.Index(s[end:], next)
					if k < 0 {
						break
					}
					end += k
				}
				if m.match(ti+1, end) {
					if t.kind == tokCapture {
						m.vals[t.cap] = s[pos:end]
					}
					return true
				}
				if end == len(s) {
					break
				}
				_, size := utf8.DecodeRuneInString(s[end:])
				end += size
			}
			m.setFailed(ti, pos)
			return false
		}
		ti++
	}
	return pos == len(s)
}
