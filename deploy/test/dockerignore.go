package deploytest

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
)

// DockerIgnore is a parsed .dockerignore: patterns in order, later ones winning, `!`
// re-including. Patterns follow Docker's rules: `*` and `?` within a path segment, `**` across
// segments, `[...]` classes, and a match on a directory excludes everything under it.
type DockerIgnore struct {
	rules []ignoreRule
}

type ignoreRule struct {
	pattern string
	negate  bool
	re      *regexp.Regexp
}

// ParseDockerIgnore reads a .dockerignore. Errors name the file and line.
func ParseDockerIgnore(name string, r io.Reader) (*DockerIgnore, error) {
	di := &DockerIgnore{}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		neg := strings.HasPrefix(line, "!")
		if neg {
			line = strings.TrimSpace(line[1:])
		}
		p := path.Clean(strings.TrimPrefix(line, "/"))
		re, err := ignoreRegexp(p)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: pattern %q: %w", name, n, line, err)
		}
		di.rules = append(di.rules, ignoreRule{pattern: p, negate: neg, re: re})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, n, err)
	}
	return di, nil
}

func ignoreRegexp(p string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '*' && i+1 < len(p) && p[i+1] == '*':
			i++
			if i+1 < len(p) && p[i+1] == '/' {
				i++
				b.WriteString("(.*/)?")
			} else {
				b.WriteString(".*")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unterminated character class")
			}
			class := p[i+1 : i+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + class + "]")
			i += end
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteString(regexp.QuoteMeta(string(p[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Excluded reports whether the context-relative path (slash-separated) is left out of the
// build context: the last rule matching the path or one of its parent directories decides.
func (di *DockerIgnore) Excluded(p string) bool {
	p = path.Clean(strings.TrimPrefix(p, "/"))
	var candidates []string
	for q := p; q != "." && q != "/" && q != ""; q = path.Dir(q) {
		candidates = append(candidates, q)
	}
	excluded := false
	for _, r := range di.rules {
		for _, c := range candidates {
			if r.re.MatchString(c) {
				excluded = !r.negate
				break
			}
		}
	}
	return excluded
}
