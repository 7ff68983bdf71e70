package db

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPatternMatch(t *testing.T) {
	cases := []struct {
		pattern, key string
		match        bool
		caps         []string // name=value
	}{
		{"a/b.json", "a/b.json", true, nil},
		{"a/b.json", "a/b.jso", false, nil},
		{"a/b.json", "a/b.json/c", false, nil},
		{"a/*.json", "a/x.json", true, nil},
		{"a/*.json", "a/.json", true, nil},
		{"a/*.json", "a/x/y.json", false, nil},
		{"a/*.json", "a/x.json.gz", false, nil},
		{"a/*", "a/", true, nil},
		{"a/*", "a", false, nil},
		{"*/*", "x/y", true, nil},
		{"*/*", "x/y/z", false, nil},
		{"a/?.json", "a/x.json", true, nil},
		{"a/?.json", "a/é.json", true, nil},
		{"a/?.json", "a/xy.json", false, nil},
		{"a/?.json", "a/.json", false, nil},
		{"a/[abc].json", "a/b.json", true, nil},
		{"a/[abc].json", "a/d.json", false, nil},
		{"a/[^abc].json", "a/d.json", true, nil},
		{"a/[^abc].json", "a/a.json", false, nil},
		{"a/[a-c0-9].json", "a/7.json", true, nil},
		{"a/[a-c0-9].json", "a/x.json", false, nil},
		{"a/[-a].x", "a/-.x", true, nil},
		{"a/[a-].x", "a/-.x", true, nil},
		{`a/[\]].x`, "a/].x", true, nil},
		{`a/[^\]].x`, "a/].x", false, nil},
		{"a/[é-ü]", "a/ö", true, nil},
		{`a/\*.json`, "a/*.json", true, nil},
		{`a/\*.json`, "a/x.json", false, nil},
		{`a/\{x\}`, "a/{x}", true, nil},
		{`a/\\`, `a/\`, true, nil},
		{"a/{x}", "a/val", true, []string{"x=val"}},
		{"a/{x}", "a/", false, nil},
		{"a/{x}/b", "a/v/b", true, []string{"x=v"}},
		{"a/{x}/b", "a/v/w/b", false, nil},
		{"logs/{yyyy}/{mm}/{dd}/*.json.gz", "logs/2024/01/31/x.json.gz", true,
			[]string{"yyyy=2024", "mm=01", "dd=31"}},
		{"logs/{yyyy}-{mm}-{dd}.json", "logs/2024-01-31.json", true, []string{"yyyy=2024", "mm=01", "dd=31"}},
		{"{a}-{b}", "x-y-z", true, []string{"a=x", "b=y-z"}},
		{"{a}.{b}.gz", "x.y.z.gz", true, []string{"a=x", "b=y.z"}},
		{"{a}x", "xxx", true, []string{"a=xx"}},
		{"p-{a}", "p-", false, nil},
		{"?{a}", "xyz", true, []string{"a=yz"}},
		{"{a}?", "xyz", true, []string{"a=xy"}},
		{"{a}[0-9]", "ab12", true, []string{"a=ab1"}},
		{"*.json", "a.json.json", true, nil},
		{"*a*a*a*b", strings.Repeat("a", 60), false, nil},
		{"*a*a*a*b", strings.Repeat("a", 60) + "b", true, nil},
		{"db/{d}/{t}/index", "db/x/y/index", true, []string{"d=x", "t=y"}},
		{"x*y", "xy", true, nil},
		{"x*y", "xay", true, nil},
		{"x*y", "xaz", false, nil},
	}
	for _, c := range cases {
		p, err := CompilePattern(c.pattern)
		if err != nil {
			t.Errorf("compile %q: %v", c.pattern, err)
			continue
		}
		caps, ok := p.Match(c.key)
		if ok != c.match {
			t.Errorf("%q match %q = %v, want %v", c.pattern, c.key, ok, c.match)
			continue
		}
		var got []string
		for _, cp := range caps {
			got = append(got, cp.Name+"="+cp.Value)
		}
		if ok && !slices.Equal(got, c.caps) {
			t.Errorf("%q match %q captures %q, want %q", c.pattern, c.key, got, c.caps)
		}
		if ok && !strings.HasPrefix(c.key, p.Prefix()) {
			t.Errorf("%q matched %q outside its prefix %q", c.pattern, c.key, p.Prefix())
		}
	}
}

func TestPatternPrefix(t *testing.T) {
	cases := []struct{ pattern, prefix string }{
		{"a/b/c.json", "a/b/c.json"},
		{"logs/{yyyy}/*.json", "logs/"},
		{"logs/2024-*.json", "logs/2024-"},
		{"*.json", ""},
		{`a\*b/*`, "a*b/"},
		{"a/[xy]/b", "a/"},
		{"a/?", "a/"},
		{"{x}/a", ""},
	}
	for _, c := range cases {
		p, err := CompilePattern(c.pattern)
		if err != nil {
			t.Fatalf("compile %q: %v", c.pattern, err)
		}
		if p.Prefix() != c.prefix {
			t.Errorf("%q prefix %q, want %q", c.pattern, p.Prefix(), c.prefix)
		}
	}
}

func TestPatternErrors(t *testing.T) {
	cases := []struct{ pattern, msg string }{
		{"", "empty pattern"},
		{"/a", "empty path segment"},
		{"a//b", "empty path segment"},
		{"a/", "empty path segment"},
		{"a/**/b", "'**'"},
		{"a/**", "'**'"},
		{"a/{x}*", "'*' directly after a capture"},
		{"a/*{x}", "directly after '*'"},
		{"a/{x}{y}", "directly after another capture"},
		{"a/{}", "empty capture name"},
		{"a/{x-y}", "not [A-Za-z0-9_]+"},
		{"a/{x", "unterminated capture"},
		{"{a}/{a}", "appears twice"},
		{"{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", "more than 8 captures"},
		{"a/[abc", "unterminated character class"},
		{"a/[]", "empty character class"},
		{"a/[^]", "empty character class"},
		{"a/[z-a]", "reversed"},
		{"a/[a/b]", "'/'"},
		{`a/b\`, "trailing"},
		{`a\/b`, "cannot be escaped"},
		{"a/../b", `segment ".."`},
		{"./a", `segment "."`},
		{"a\x00b", "NUL"},
		{"bad\xff", "UTF-8"},
	}
	for _, c := range cases {
		_, err := CompilePattern(c.pattern)
		if !errors.Is(err, ErrBadPattern) {
			t.Errorf("compile %q: %v, want ErrBadPattern", c.pattern, err)
			continue
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("compile %q: %q does not say %q", c.pattern, err, c.msg)
		}
	}
	// Exactly MaxCaptures is fine.
	if _, err := CompilePattern("{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}"); err != nil {
		t.Errorf("8 captures: %v", err)
	}
}

func TestPatternDeadPrefix(t *testing.T) {
	p := MustCompilePattern("logs/*/2024/*.json")
	cases := []struct{ key, dead string }{
		{"logs/a/2023/x.json", "logs/a/2023/"},
		{"logs/a/2024/x.json/y", "logs/a/2024/x.json/"},
		{"logs/a/2024/x.txt", ""},
		{"logs/a", ""},
		{"other/a/2024/x.json", "other/"},
	}
	for _, c := range cases {
		if _, ok, dead := p.match(c.key); ok || dead != c.dead {
			t.Errorf("match %q = %v, dead %q; want false, %q", c.key, ok, dead, c.dead)
		}
	}
}

// patternRegexp translates a pattern into an equivalent regular expression with lazy
// quantifiers, an independent oracle for Match (leftmost-first backtracking with lazy
// quantifiers gives the same captures as the leftmost-shortest rule).
func patternRegexp(src string) (*regexp.Regexp, []string) {
	var b strings.Builder
	var names []string
	b.WriteString(`^`)
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch r {
		case '*':
			b.WriteString(`[^/]*?`)
		case '?':
			b.WriteString(`[^/]`)
		case '\\':
			e, esz := utf8.DecodeRuneInString(src[i+1:])
			fmt.Fprintf(&b, `\x{%x}`, e)
			i += 1 + esz
			continue
		case '{':
			end := strings.IndexByte(src[i:], '}')
			names = append(names, src[i+1:i+end])
			b.WriteString(`([^/]+?)`)
			i += end + 1
			continue
		case '[':
			j := i + 1
			b.WriteString(`[`)
			if src[j] == '^' {
				b.WriteString(`^/`)
				j++
			}
			for src[j] != ']' {
				c, n := utf8.DecodeRuneInString(src[j:])
				if c == '\\' {
					c, n = utf8.DecodeRuneInString(src[j+1:])
					n++
				}
				if c == '-' {
					b.WriteString(`\-`)
				} else {
					fmt.Fprintf(&b, `\x{%x}`, c)
				}
				j += n
				// Ranges: the '-' between two characters.
				if src[j] == '-' && src[j+1] != ']' {
					b.WriteString(`-`)
					j++
				}
			}
			b.WriteString(`]`)
			i = j + 1
			continue
		default:
			fmt.Fprintf(&b, `\x{%x}`, r)
		}
		i += size
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String()), names
}

func checkAgainstRegexp(t *testing.T, src, key string) {
	p, err := CompilePattern(src)
	if err != nil {
		return
	}
	caps, ok := p.Match(key)
	if ok && (!strings.HasPrefix(key, p.Prefix()) || strings.Count(key, "/")+1 != p.Segments()) {
		t.Fatalf("%q matched %q outside its prefix %q or segment count", src, key, p.Prefix())
	}
	if !utf8.ValidString(key) {
		return
	}
	re, names := patternRegexp(src)
	m := re.FindStringSubmatch(key)
	if (m != nil) != ok {
		t.Fatalf("%q match %q = %v, regexp %s says %v", src, key, ok, re, m != nil)
	}
	if !ok {
		return
	}
	for i, n := range names {
		if v, _ := caps.Get(n); v != m[i+1] {
			t.Fatalf("%q match %q: capture %s = %q, regexp %s says %q", src, key, n, v, re, m[i+1])
		}
	}
}

func TestPatternAgainstRegexp(t *testing.T) {
	patterns := []string{
		"a/*b*/{x}.c", "{a}-{b}-*", "?{a}?", "[a-c]*{x}[^x]", "*.{ext}", "x*y*z", "{a}.{b}",
	}
	keys := []string{
		"a/bb/q.c", "a/b/.c", "a/xbx/yy.c", "1-2-3", "1--3", "-1-2", "abc", "ab", "axyzz", "cccx",
		"f.tar.gz", "xyzyz", "x.y", ".y", "x.",
	}
	for _, p := range patterns {
		for _, k := range keys {
			checkAgainstRegexp(t, p, k)
		}
	}
}

func FuzzPattern(f *testing.F) {
	f.Add("logs/{yyyy}/{mm}/*.json.gz", "logs/2024/01/x.json.gz")
	f.Add("{a}-{b}", "x-y-z")
	f.Add("a/[^a-c]?*", "a/dxy")
	f.Add(`a/\*[\]x]`, "a/*]")
	f.Add("*a*a*b", "aaaaab")
	f.Fuzz(func(t *testing.T, src, key string) {
		checkAgainstRegexp(t, src, key)
	})
}

func BenchmarkPatternMatch(b *testing.B) {
	p := MustCompilePattern("logs/{yyyy}/{mm}/{dd}/*-{host}.json.gz")
	key := "logs/2024/01/31/events-1706659200-web-17.json.gz"
	b.SetBytes(int64(len(key)))
	for b.Loop() {
		if _, ok := p.Match(key); !ok {
			b.Fatal("no match")
		}
	}
}
