package db

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// defParser decodes a definition.json strictly: it walks the JSON tokens so that every error
// (syntax, unknown or duplicate key, wrong type) can name the key path and the line and column.
type defParser struct {
	name string
	src  []byte
	dec  *json.Decoder
	// offs records the offset of the value at each key path, for errors found after
	// decoding.
	offs map[string]int64
}

// valueStart returns the offset of the next value: the decoder's offset moved past
// whitespace and the separators ':' and ','.
func (p *defParser) valueStart() int64 {
	off := p.dec.InputOffset()
	for off < int64(len(p.src)) {
		switch p.src[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off
}

// lineCol converts a byte offset into a 1-based line and column (in bytes).
func lineCol(src []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(src)))
	line, col := 1, 1
	for _, c := range src[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

func (p *defParser) errAt(off int64, path string, err error) error {
	line, col := lineCol(p.src, off)
	if path == "" {
		return fmt.Errorf("%w: %s:%d:%d: %w", ErrBadDefinition, p.name, line, col, err)
	}
	return fmt.Errorf("%w: %s:%d:%d: %s: %w", ErrBadDefinition, p.name, line, col, path, err)
}

// token reads the next token, turning syntax errors into positioned ones.
func (p *defParser) token(path string) (json.Token, int64, error) {
	off := p.valueStart()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return nil, se.Offset, p.errAt(se.Offset, path, fmt.Errorf("syntax error: %s", se.Error()))
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			return nil, int64(len(p.src)), p.errAt(int64(len(p.src)), path, errors.New("unexpected end of JSON"))
		}
		return nil, off, p.errAt(off, path, err)
	}
	return tok, off, nil
}

func typeName(tok json.Token) string {
	switch tok.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case json.Delim:
		if tok == json.Delim('{') {
			return "an object"
		}
		return "an array"
	}
	return fmt.Sprintf("%v", tok)
}

// skip consumes the rest of a value whose first token was tok.
func (p *defParser) skip(tok json.Token, path string) error {
	d, ok := tok.(json.Delim)
	if !ok || (d != '{' && d != '[') {
		return nil
	}
	for depth := 1; depth > 0; {
		t, _, err := p.token(path)
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
	}
	return nil
}

// object reads an object at path, calling field for each key with the key's offset; field
// must consume the value. Duplicate keys are errors. null counts as absent when nullOK.
func (p *defParser) object(path string, nullOK bool, field func(key string, off int64) error) error {
	tok, off, err := p.token(path)
	if err != nil {
		return err
	}
	if tok == nil && nullOK {
		return nil
	}
	if tok != json.Delim('{') {
		what := path
		if what == "" {
			what = "the definition"
		}
		if err := p.skip(tok, path); err != nil {
			return err
		}
		return p.errAt(off, path, fmt.Errorf("%s must be an object, not %s", what, typeName(tok)))
	}
	seen := map[string]bool{}
	for p.dec.More() {
		kt, koff, err := p.token(path)
		if err != nil {
			return err
		}
		key := kt.(string) // the decoder guarantees a string key here
		if seen[key] {
			return p.errAt(koff, path, fmt.Errorf("duplicate key %q", key))
		}
		seen[key] = true
		if err := field(key, koff); err != nil {
			return err
		}
	}
	_, _, err = p.token(path)
	return err
}

// array reads an array at path, calling elem for each element index; elem must consume it.
// null counts as an empty array.
func (p *defParser) array(path string, elem func(i int) error) error {
	tok, off, err := p.token(path)
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('[') {
		if err := p.skip(tok, path); err != nil {
			return err
		}
		return p.errAt(off, path, fmt.Errorf("must be an array, not %s", typeName(tok)))
	}
	for i := 0; p.dec.More(); i++ {
		if err := elem(i); err != nil {
			return err
		}
	}
	_, _, err = p.token(path)
	return err
}

// str reads a string (null gives "").
func (p *defParser) str(path string) (string, error) {
	tok, off, err := p.token(path)
	if err != nil {
		return "", err
	}
	p.offs[path] = off
	switch v := tok.(type) {
	case string:
		return v, nil
	case nil:
		return "", nil
	}
	if err := p.skip(tok, path); err != nil {
		return "", err
	}
	return "", p.errAt(off, path, fmt.Errorf("must be a string, not %s", typeName(tok)))
}

func (p *defParser) boolean(path string) (bool, error) {
	tok, off, err := p.token(path)
	if err != nil {
		return false, err
	}
	p.offs[path] = off
	switch v := tok.(type) {
	case bool:
		return v, nil
	case nil:
		return false, nil
	}
	if err := p.skip(tok, path); err != nil {
		return false, err
	}
	return false, p.errAt(off, path, fmt.Errorf("must be true or false, not %s", typeName(tok)))
}

// raw reads any value as raw JSON (null gives nil).
func (p *defParser) raw(path string) (json.RawMessage, error) {
	off := p.valueStart()
	p.offs[path] = off
	var m json.RawMessage
	if err := p.dec.Decode(&m); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, p.errAt(se.Offset, path, fmt.Errorf("syntax error: %s", se.Error()))
		}
		return nil, p.errAt(off, path, err)
	}
	if string(m) == "null" {
		return nil, nil
	}
	return m, nil
}

// unknown reports an unknown key, suggesting the known key it most resembles.
func (p *defParser) unknown(off int64, path, key string, known ...string) error {
	msg := fmt.Sprintf("unknown key %q", key)
	if s := suggest(key, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		msg += fmt.Sprintf(" (known: %s)", strings.Join(known, ", "))
	}
	return p.errAt(off, path, errors.New(msg))
}

// suggest returns the known key within edit distance 2 of key (case-insensitively), or one
// that starts with key or that key starts with, if any.
func suggest(key string, known []string) string {
	lower := strings.ToLower(key)
	best, bestD := "", 3
	for _, k := range known {
		d := editDistance(lower, k)
		if len(lower) >= 3 && (strings.HasPrefix(k, lower) || strings.HasPrefix(lower, k)) {
			d = min(d, 2)
		}
		if d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (p *defParser) definition() (*Definition, error) {
	d := &Definition{}
	err := p.object("", false, func(key string, off int64) error {
		switch key {
		case "input":
			return p.array("input", func(i int) error {
				in, err := p.input(fmt.Sprintf("input[%d]", i))
				d.Inputs = append(d.Inputs, in)
				return err
			})
		case "partitions":
			return p.array("partitions", func(i int) error {
				pt, err := p.partition(fmt.Sprintf("partitions[%d]", i))
				d.Partitions = append(d.Partitions, pt)
				return err
			})
		case "retention_policy":
			return p.retention(&d.Retention)
		case "beta_features":
			return p.array("beta_features", func(i int) error {
				s, err := p.str(fmt.Sprintf("beta_features[%d]", i))
				d.BetaFeatures = append(d.BetaFeatures, s)
				return err
			})
		case "skip_backfill":
			v, err := p.boolean("skip_backfill")
			d.SkipBackfill = v
			return err
		}
		return p.unknown(off, "", key, "input", "partitions", "retention_policy", "beta_features", "skip_backfill")
	})
	if err != nil {
		return nil, err
	}
	// Nothing may follow the object.
	off := p.valueStart()
	tok, err := p.dec.Token()
	switch {
	case err == io.EOF:
	case err != nil:
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		return nil, p.errAt(off, "", fmt.Errorf("unexpected data after the definition: %v", err))
	default:
		return nil, p.errAt(off, "", fmt.Errorf("unexpected %s after the definition", typeName(tok)))
	}
	return d, nil
}

func (p *defParser) input(path string) (Input, error) {
	var in Input
	p.offs[path] = p.valueStart()
	err := p.object(path, false, func(key string, off int64) error {
		var err error
		switch key {
		case "pattern":
			in.Pattern, err = p.str(path + ".pattern")
		case "format":
			in.Format, err = p.str(path + ".format")
		case "hints":
			in.Hints, err = p.raw(path + ".hints")
		default:
			err = p.unknown(off, path, key, "pattern", "format", "hints")
		}
		return err
	})
	return in, err
}

func (p *defParser) partition(path string) (Partition, error) {
	var pt Partition
	p.offs[path] = p.valueStart()
	err := p.object(path, false, func(key string, off int64) error {
		var err error
		switch key {
		case "field":
			pt.Field, err = p.str(path + ".field")
		case "type":
			pt.Type, err = p.str(path + ".type")
		case "value":
			pt.Value, err = p.str(path + ".value")
		default:
			err = p.unknown(off, path, key, "field", "type", "value")
		}
		return err
	})
	return pt, err
}

func (p *defParser) retention(dst **RetentionPolicy) error {
	const path = "retention_policy"
	p.offs[path] = p.valueStart()
	r := &RetentionPolicy{}
	present := false
	err := p.object(path, true, func(key string, off int64) error {
		present = true
		switch key {
		case "field":
			s, err := p.str(path + ".field")
			r.Field = s
			return err
		case "valid_for":
			s, err := p.str(path + ".valid_for")
			if err != nil {
				return err
			}
			v, err := ParsePeriod(s)
			if err != nil {
				return p.errAt(p.offs[path+".valid_for"], path+".valid_for", err)
			}
			r.ValidFor = v
			return nil
		}
		return p.unknown(off, path, key, "field", "valid_for")
	})
	if err != nil {
		return err
	}
	if present || r.Field != "" {
		*dst = r
	} else {
		// "retention_policy": {} says nothing; null too.
		*dst = nil
	}
	return nil
}
