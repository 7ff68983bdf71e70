package server

// likeMatch reports whether s matches a SQL LIKE pattern: `%` matches any run of characters,
// `_` exactly one, `\` escapes the next character; everything else matches itself. An empty
// pattern matches everything (the original daemon's /databases and /tables `pattern`).
func likeMatch(pattern, s string) bool {
	if pattern == "" {
		return true
	}
	p, t := []rune(pattern), []rune(s)
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
