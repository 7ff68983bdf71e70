package vm

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// likeToRegexp is an independent reference translation of LIKE into an anchored regexp.
func likeToRegexp(p string, escape rune, fold bool) *regexp.Regexp {
	var sb strings.Builder
	if fold {
		sb.WriteString("(?i)")
	}
	sb.WriteString(`(?s)\A`)
	esc := false
	for _, r := range p {
		switch {
		case esc:
			sb.WriteString(regexp.QuoteMeta(string(r)))
			esc = false
		case escape != 0 && r == escape:
			esc = true
		case r == '%':
			sb.WriteString(".*")
		case r == '_':
			sb.WriteString(".")
		default:
			sb.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	sb.WriteString(`\z`)
	return regexp.MustCompile(sb.String())
}

func TestLikeMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	alpha := []string{"a", "b", "A", "%", "_", "é", "É", "\\", "ab"}
	salpha := []string{"a", "b", "A", "é", "É", "%", "_", "x", "\\"}
	for iter := 0; iter < 20000; iter++ {
		var p, s strings.Builder
		for range r.IntN(6) {
			p.WriteString(alpha[r.IntN(len(alpha))])
		}
		for range r.IntN(8) {
			s.WriteString(salpha[r.IntN(len(salpha))])
		}
		pat := p.String()
		escape := rune(0)
		if iter%3 == 0 {
			escape = '\\'
		}
		for _, fold := range []bool{false, true} {
			m, err := NewLikeMatcher(pat, escape, fold)
			if err != nil {
				if escape != 0 && strings.HasSuffix(pat, "\\") {
					continue
				}
				t.Fatal(err)
			}
			want := likeToRegexp(pat, escape, fold).MatchString(s.String())
			if got := m.Match([]byte(s.String())); got != want {
				t.Fatalf("%q LIKE %q (escape %q, fold %v) = %v, want %v", s.String(), pat, escape, fold, got, want)
			}
		}
	}
}

func TestContainsLane(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	words := []string{"timeout", "time", "out", "x", "timeou", "ttimeout", ""}
	for iter := 0; iter < 200; iter++ {
		n := 1 + r.IntN(300)
		vals := make([]Value, n)
		for i := range vals {
			if r.IntN(6) == 0 {
				vals[i] = Int(1)
				continue
			}
			var sb strings.Builder
			for range r.IntN(3) {
				sb.WriteString(words[r.IntN(len(words))])
			}
			vals[i] = String(sb.String())
		}
		v := vecOf(vals, false)
		sel := randSel(r, n)
		m, _ := NewLikeMatcher("%timeout%", 0, false)
		got, err := (&Like{X: &Var{Slot: 0}, M: m}).Eval(newTestCtx(), batchOf(n, v), sel)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]Value, n)
		for i, x := range vals {
			if x.k == KString {
				want[i] = Bool(strings.Contains(x.String(), "timeout"))
			}
		}
		checkVec(t, "LIKE %timeout%", got, want, sel)
	}
}

func TestSimilarAndRegex(t *testing.T) {
	for _, c := range []struct {
		kind    string
		pattern string
		s       string
		want    bool
	}{
		{"similar", "a%", "abc", true},
		{"similar", "a.c", "abc", false},
		{"similar", "a.c", "a.c", true},
		{"similar", "(ab|cd)+", "abcdab", true},
		{"similar", "(ab|cd)+", "abce", false},
		{"similar", "[0-9]{3}", "123", true},
		{"similar", "[0-9]{3}", "1234", false},
		{"similar", "_b_", "abc", true},
		{"regex", "b.", "abc", true},
		{"regex", "^b", "abc", false},
		{"regexci", "B", "abc", true},
	} {
		var m *Matcher
		var err error
		switch c.kind {
		case "similar":
			m, err = NewSimilarMatcher(c.pattern)
		case "regex":
			m, err = NewRegexMatcher(c.pattern, false)
		default:
			m, err = NewRegexMatcher(c.pattern, true)
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Match([]byte(c.s)); got != c.want {
			t.Errorf("%s %q %q = %v", c.kind, c.pattern, c.s, got)
		}
	}
}
