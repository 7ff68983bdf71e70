package vm

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchKind selects the pattern language of a Matcher.
type MatchKind uint8

const (
	MatchLike    MatchKind = iota // LIKE: % any run, _ one character, optional escape
	MatchILike                    // ILIKE: LIKE with Unicode simple case folding
	MatchSimilar                  // SIMILAR TO: anchored; % _ | * + ? {m,n} () [] with '.' literal
	MatchRegex                    // ~: Go RE2 syntax, unanchored
	MatchRegexCI                  // ~*: case-insensitive regex
)

// Matcher is a compiled string pattern.
type Matcher struct {
	Kind    MatchKind
	Pattern string
	Escape  rune // LIKE escape character, or 0

	re *regexp.Regexp
	// LIKE: the pattern as tokens; when it has no '_' it is a list of literal segments
	// separated by '%' (simple), which bytes.Index can search.
	toks         []likeTok
	simple       bool
	segs         [][]byte
	lead, trail  bool // pattern starts / ends with %
	containsOnly []byte
}

type likeTok struct {
	kind uint8 // 0 literal rune, 1 any one, 2 any run
	r    rune
}

// NewLikeMatcher compiles a LIKE (or, with fold, ILIKE) pattern. escape is the ESCAPE
// character, or 0.
func NewLikeMatcher(pattern string, escape rune, fold bool) (*Matcher, error) {
	m := &Matcher{Kind: MatchLike, Pattern: pattern, Escape: escape}
	if fold {
		m.Kind = MatchILike
	}
	esc := false
	for _, r := range pattern {
		switch {
		case esc:
			m.toks = append(m.toks, likeTok{0, r})
			esc = false
		case escape != 0 && r == escape:
			esc = true
		case r == '%':
			if len(m.toks) == 0 || m.toks[len(m.toks)-1].kind != 2 {
				m.toks = append(m.toks, likeTok{kind: 2})
			}
		case r == '_':
			m.toks = append(m.toks, likeTok{kind: 1})
		default:
			m.toks = append(m.toks, likeTok{0, r})
		}
	}
	if esc {
		return nil, fmt.Errorf("LIKE pattern %q ends with the escape character", pattern)
	}
	if fold {
		for i := range m.toks {
			if m.toks[i].kind == 0 {
				m.toks[i].r = foldRune(m.toks[i].r)
			}
		}
		return m, nil
	}
	// simple form: literal segments separated by %
	m.simple = true
	var cur []byte
	for i, t := range m.toks {
		switch t.kind {
		case 1:
			m.simple = false
		case 2:
			if i == 0 {
				m.lead = true
			}
			if i == len(m.toks)-1 {
				m.trail = true
			}
			m.segs = append(m.segs, cur)
			cur = nil
		default:
			cur = utf8.AppendRune(cur, t.r)
		}
	}
	m.segs = append(m.segs, cur)
	if m.simple && m.lead && m.trail && len(m.segs) == 3 && len(m.segs[0]) == 0 && len(m.segs[2]) == 0 && len(m.segs[1]) > 0 {
		m.containsOnly = m.segs[1]
	}
	return m, nil
}

// NewRegexMatcher compiles a `~` (or, with fold, `~*`) pattern.
func NewRegexMatcher(pattern string, fold bool) (*Matcher, error) {
	p := pattern
	kind := MatchRegex
	if fold {
		p = "(?i)" + p
		kind = MatchRegexCI
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("bad regular expression %q: %w", pattern, err)
	}
	return &Matcher{Kind: kind, Pattern: pattern, re: re}, nil
}

// NewSimilarMatcher compiles a SIMILAR TO pattern (anchored at both ends).
func NewSimilarMatcher(pattern string) (*Matcher, error) {
	var sb strings.Builder
	sb.WriteString(`\A(?:`)
	inClass := false
	for _, r := range pattern {
		switch {
		case inClass:
			if r == ']' {
				inClass = false
			}
			sb.WriteRune(r)
		case r == '%':
			sb.WriteString(`(?s:.*)`)
		case r == '_':
			sb.WriteString(`(?s:.)`)
		case r == '[':
			inClass = true
			sb.WriteRune(r)
		case strings.ContainsRune("|*+?{}(),0123456789", r):
			sb.WriteRune(r)
		default:
			sb.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	sb.WriteString(`)\z`)
	re, err := regexp.Compile(sb.String())
	if err != nil {
		return nil, fmt.Errorf("bad SIMILAR TO pattern %q: %w", pattern, err)
	}
	return &Matcher{Kind: MatchSimilar, Pattern: pattern, re: re}, nil
}

// foldRune maps r to the smallest rune of its simple case-folding orbit, so two runes match
// case-insensitively exactly when their folds are equal.
func foldRune(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	return m
}

// Match reports whether s matches.
func (m *Matcher) Match(s []byte) bool {
	switch m.Kind {
	case MatchRegex, MatchRegexCI, MatchSimilar:
		return m.re.Match(s)
	}
	if m.simple {
		return m.matchSimple(s)
	}
	return m.matchTokens(s)
}

func (m *Matcher) matchSimple(s []byte) bool {
	segs := m.segs
	if len(segs) == 1 { // no %: exact
		return bytes.Equal(s, segs[0])
	}
	first, last := segs[0], segs[len(segs)-1]
	if !bytes.HasPrefix(s, first) {
		return false
	}
	s = s[len(first):]
	if len(s) < len(last) || !bytes.HasSuffix(s, last) {
		return false
	}
	s = s[:len(s)-len(last)]
	for _, seg := range segs[1 : len(segs)-1] {
		i := bytes.Index(s, seg)
		if i < 0 {
			return false
		}
		s = s[i+len(seg):]
	}
	return true
}

// matchTokens is the general LIKE matcher (with '_' and case folding): iterative, with
// backtracking to the last '%'.
func (m *Matcher) matchTokens(s []byte) bool {
	toks := m.toks
	fold := m.Kind == MatchILike
	ti, si := 0, 0
	starT, starS := -1, 0
	for si < len(s) {
		r, size := utf8.DecodeRune(s[si:])
		if ti < len(toks) {
			t := toks[ti]
			switch t.kind {
			case 2:
				starT, starS = ti, si
				ti++
				continue
			case 1:
				ti++
				si += size
				continue
			default:
				rr := r
				if fold {
					rr = foldRune(r)
				}
				if rr == t.r {
					ti++
					si += size
					continue
				}
			}
		}
		if starT < 0 {
			return false
		}
		// let the last % absorb one more character
		_, sz := utf8.DecodeRune(s[starS:])
		starS += sz
		si = starS
		ti = starT + 1
	}
	for ti < len(toks) && toks[ti].kind == 2 {
		ti++
	}
	return ti == len(toks)
}

// Like applies a Matcher: TRUE or FALSE for strings (negated with Neg), MISSING otherwise.
type Like struct {
	X   Expr
	M   *Matcher
	Neg bool
}

func (e *Like) String() string {
	op := [...]string{"LIKE", "ILIKE", "SIMILAR TO", "~", "~*"}[e.M.Kind]
	not := ""
	if e.Neg {
		not = "NOT "
	}
	return "(" + e.X.String() + " " + not + op + " " + QuoteString(e.M.Pattern) + ")"
}

func (e *Like) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	x, err := e.X.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	n := b.N
	out := c.Vec(n)
	strs := AndBits(nil, x.Strs, sel, n)
	out.Bools = CopyBits(out.Bools, strs, n)
	out.BoolV = MakeBitmap(out.BoolV, n)
	if strs.Any() {
		matchLane(e.M, &x.S, strs, out.BoolV)
	}
	// strings in the boxed lane
	if bx := AndBits(nil, x.Boxed, sel, n); bx.Any() {
		bx.ForEach(func(i int) {
			v := x.B[i]
			if v.k == KString {
				out.SetBool(i, e.M.Match(v.b))
			}
		})
	}
	if e.Neg {
		for w := range out.BoolV {
			out.BoolV[w] = ^out.BoolV[w] & out.Bools[w]
		}
	}
	return out, nil
}

// matchLane sets in res the rows of mask whose string matches.
func matchLane(m *Matcher, s *Strings, mask, res Bitmap) {
	if s.Codes != nil {
		d := s.Dict
		hit := make([]bool, d.Len())
		for i := range hit {
			hit[i] = m.Match(d.Get(i))
		}
		mask.ForEach(func(i int) {
			if hit[s.Codes[i]] {
				res.Set(i)
			}
		})
		return
	}
	if m.containsOnly != nil && s.contiguous(mask) {
		containsLane(m.containsOnly, s, mask, res)
		return
	}
	mask.ForEach(func(i int) {
		if m.Match(s.Get(i)) {
			res.Set(i)
		}
	})
}

// contiguous reports whether the plain lane's rows lie in Data in row order without overlap
// (true of a lane read from a blob), which lets a substring search scan Data once.
func (s *Strings) contiguous(mask Bitmap) bool {
	last := -1
	ok := true
	mask.ForEach(func(i int) {
		if last >= 0 && s.Start[i] < s.End[last] {
			ok = false
		}
		last = i
	})
	return ok
}

// containsLane finds every row of mask containing lit by searching the lane's bytes in one
// pass instead of row by row.
func containsLane(lit []byte, s *Strings, mask, res Bitmap) {
	rows := mask.AppendRows(make([]int32, 0, mask.Count()))
	if len(rows) == 0 {
		return
	}
	data := s.Data
	pos := int(s.Start[rows[0]])
	ri := 0
	for ri < len(rows) {
		j := bytes.Index(data[pos:], lit)
		if j < 0 {
			return
		}
		p := pos + j
		for ri < len(rows) && int(s.End[rows[ri]]) < p+len(lit) {
			ri++
		}
		if ri == len(rows) {
			return
		}
		r := rows[ri]
		if int(s.Start[r]) <= p {
			res.Set(int(r))
			ri++
			if ri == len(rows) {
				return
			}
			pos = int(s.Start[rows[ri]])
		} else {
			pos = int(s.Start[r])
		}
	}
}
