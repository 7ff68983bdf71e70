package server

import "unicode/utf8"

// likeMatch reports whether s matches a SQL LIKE pattern: `%` matches any run of characters,
// `_` exactly one, `\` escapes the next character; everything else matches itself. An empty
// pattern matches everything (the original daemon's /databases and /tables `pattern`).
func likeMatch(pattern, s string) bool {
	if pattern == "" {
		return true
	}
	p, t := runes(pattern), runes(s)
	// iterative matching with backtracking to the last %
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == '%':
				star, mark = pi, ti
				pi++
				continue
			case c == '\\' && pi+1 < len(p):
				if p[pi+1] == t[ti] {
					pi += 2
					ti++
					continue
				}
			case c == '_' || c == t[ti]:
				pi++
				ti++
				continue
			}
		}
		if star < 0 {
			return false
		}
		pi = star + 1
		mark++
		ti = mark
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

// runes decodes s; each byte of an invalid UTF-8 sequence becomes a distinct negative value, so
// that different invalid bytes never compare equal.
func runes(s string) []rune {
	out := make([]rune, 0, len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = -rune(s[i]) - 1
		}
		out = append(out, r)
		i += n
	}
	return out
}
