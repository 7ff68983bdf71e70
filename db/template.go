package db

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadTemplate means a partition value template does not parse or names a capture that is
// not available.
var ErrBadTemplate = errors.New("invalid template")

// Template is a compiled partition value template: literal text in which "$name" and
// "${name}" stand for the value of the capture name ([A-Za-z0-9_]+; "$name" takes the longest
// such run) and "$$" for a literal '$'.
type Template struct {
	src   string
	parts []tmplPart
}

type tmplPart struct {
	lit  string
	name string // non-empty: a capture reference
}

// ParseTemplate compiles a template. The error wraps [ErrBadTemplate] and gives the offset.
func ParseTemplate(src string) (*Template, error) {
	t := &Template{src: src}
	fail := func(off int, msg string) (*Template, error) {
		return nil, fmt.Errorf("%w %q at offset %d: %s", ErrBadTemplate, src, off, msg)
	}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, tmplPart{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(src); {
		c := src[i]
		if c != '$' {
			lit.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(src) {
			return fail(i, "'$' at the end (write $$ for a literal '$')")
		}
		switch n := src[i+1]; {
		case n == '$':
			lit.WriteByte('$')
			i += 2
		case n == '{':
			end := strings.IndexByte(src[i:], '}')
			if end < 0 {
				return fail(i, "unterminated ${")
			}
			name := src[i+2 : i+end]
			if !isIdent(name) {
				return fail(i, fmt.Sprintf("capture name %q is not [A-Za-z0-9_]+", name))
			}
			flush()
			t.parts = append(t.parts, tmplPart{name: name})
			i += end + 1
		default:
			j := i + 1
			for j < len(src) && isIdent(src[j:j+1]) {
				j++
			}
			if j == i+1 {
				return fail(i, fmt.Sprintf("'$' followed by %q (write $$ for a literal '$')", n))
			}
			flush()
			t.parts = append(t.parts, tmplPart{name: src[i+1 : j]})
			i = j
		}
	}
	flush()
	return t, nil
}

// String returns the source of the template.
func (t *Template) String() string { return t.src }

// Names returns the capture names the template refers to, in order of appearance (with
// repetitions).
func (t *Template) Names() []string {
	var out []string
	for _, p := range t.parts {
		if p.name != "" {
			out = append(out, p.name)
		}
	}
	return out
}

// Eval substitutes the captures. A reference to a capture that caps lacks fails with
// [ErrBadTemplate].
func (t *Template) Eval(caps Captures) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := caps.Get(p.name)
		if !ok {
			return "", fmt.Errorf("%w %q: no capture named %q", ErrBadTemplate, t.src, p.name)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}
