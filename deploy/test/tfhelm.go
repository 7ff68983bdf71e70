package deploytest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// HelmSet is one `set`/`set_sensitive` entry of a helm_release: a helm --set name and the
// value expression.
type HelmSet struct {
	Name      string
	Value     hclsyntax.Expression
	Module    *TFModule
	Sensitive bool
}

// ValueSource returns the value in a comparable form: literal text, or the expression with
// references written as ${...} (so `x.arn` and "${x.arn}" compare equal).
func (s HelmSet) ValueSource() string { return s.Module.Normalize(s.Value) }

// Literal returns the value when it is a literal string.
func (s HelmSet) Literal() (string, bool) { return literalString(s.Value) }

// Normalize renders an expression for comparison: literals as text, template parts and
// references as ${source}, tuples as [a, b].
func (m *TFModule) Normalize(e hclsyntax.Expression) string {
	switch t := e.(type) {
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, p := range t.Parts {
			if l, ok := p.(*hclsyntax.LiteralValueExpr); ok && l.Val.Type().Equals(ctyString) {
				b.WriteString(l.Val.AsString())
				continue
			}
			b.WriteString("${" + m.Source(p) + "}")
		}
		return b.String()
	case *hclsyntax.TemplateWrapExpr:
		return m.Normalize(t.Wrapped)
	case *hclsyntax.LiteralValueExpr:
		if s, ok := literalString(t); ok {
			return s
		}
		return m.Source(t)
	case *hclsyntax.TupleConsExpr:
		parts := make([]string, len(t.Exprs))
		for i, x := range t.Exprs {
			parts[i] = m.Normalize(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return "${" + m.Source(e) + "}"
}

// HelmSets collects the set entries of a helm_release attribute expression: object
// constructors {name, value} inside tuples, concat(...), conditionals and locals. References
// to input variables are returned by name so that the caller can follow them into the
// module call.
func (m *TFModule) HelmSets(e hclsyntax.Expression, sensitive bool) (sets []HelmSet, vars []string, err error) {
	var walk func(e hclsyntax.Expression, depth int) error
	walk = func(e hclsyntax.Expression, depth int) error {
		if depth > 16 {
			return fmt.Errorf("%w: %s: set expression too deep", ErrTerraform, rangeString(e.Range()))
		}
		switch t := e.(type) {
		case *hclsyntax.TupleConsExpr:
			for _, x := range t.Exprs {
				if err := walk(x, depth+1); err != nil {
					return err
				}
			}
		case *hclsyntax.FunctionCallExpr:
			if t.Name != "concat" {
				return fmt.Errorf("%w: %s: set built with %s()", ErrTerraform, rangeString(t.Range()), t.Name)
			}
			for _, x := range t.Args {
				if err := walk(x, depth+1); err != nil {
					return err
				}
			}
		case *hclsyntax.ConditionalExpr:
			if err := walk(t.TrueResult, depth+1); err != nil {
				return err
			}
			return walk(t.FalseResult, depth+1)
		case *hclsyntax.ObjectConsExpr:
			s := HelmSet{Module: m, Sensitive: sensitive}
			haveName := false
			for _, item := range t.Items {
				switch hcl.ExprAsKeyword(item.KeyExpr) {
				case "name":
					n, ok := literalString(item.ValueExpr)
					if !ok {
						return fmt.Errorf("%w: %s: set name is not a literal", ErrTerraform, rangeString(item.ValueExpr.Range()))
					}
					s.Name, haveName = n, true
				case "value":
					s.Value = item.ValueExpr
				case "type":
				default:
					return fmt.Errorf("%w: %s: unknown key %q in a set entry", ErrTerraform, rangeString(item.KeyExpr.Range()), hcl.ExprAsKeyword(item.KeyExpr))
				}
			}
			if !haveName || s.Value == nil {
				return fmt.Errorf("%w: %s: set entry without name or value", ErrTerraform, rangeString(t.Range()))
			}
			sets = append(sets, s)
		case *hclsyntax.ScopeTraversalExpr:
			n := traversalNames(t.Traversal)
			switch {
			case len(n) == 2 && n[0] == "var":
				vars = append(vars, n[1])
			case len(n) == 2 && n[0] == "local":
				a, ok := m.Locals[n[1]]
				if !ok {
					return fmt.Errorf("%w: %s: no local %q", ErrTerraform, rangeString(t.Range()), n[1])
				}
				return walk(a.Expr, depth+1)
			default:
				return fmt.Errorf("%w: %s: set list from %s", ErrTerraform, rangeString(t.Range()), strings.Join(n, "."))
			}
		default:
			return fmt.Errorf("%w: %s: unsupported set expression %T", ErrTerraform, rangeString(e.Range()), e)
		}
		return nil
	}
	return sets, vars, walk(e, 0)
}

// SplitSetName splits a helm --set name into keys, honouring `\.` escapes and `[n]` list
// indexes (returned as "[n]").
func SplitSetName(name string) ([]string, error) {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '\\' && i+1 < len(name):
			i++
			cur.WriteByte(name[i])
		case c == '.':
			if cur.Len() == 0 && (len(out) == 0 || !strings.HasPrefix(out[len(out)-1], "[")) {
				return nil, fmt.Errorf("set name %q: empty key", name)
			}
			flush()
		case c == '[':
			flush()
			end := strings.IndexByte(name[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("set name %q: unterminated [", name)
			}
			if _, err := strconv.Atoi(name[i+1 : i+end]); err != nil {
				return nil, fmt.Errorf("set name %q: index %q", name, name[i+1:i+end])
			}
			out = append(out, name[i:i+end+1])
			i += end
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	if len(out) == 0 {
		return nil, fmt.Errorf("set name %q: empty", name)
	}
	return out, nil
}

// CheckValuePath verifies that a helm --set name addresses a key the chart knows: present in
// the chart's default values, or declared by its values.schema.json. Keys below an empty map
// or a list (labels, annotations, hosts) are the user's.
func CheckValuePath(defaults map[string]any, schema []byte, name string) error {
	keys, err := SplitSetName(name)
	if err != nil {
		return err
	}
	var sch map[string]any
	if len(schema) > 0 {
		if err := json.Unmarshal(schema, &sch); err != nil {
			return fmt.Errorf("values.schema.json: %w", err)
		}
	}
	var node any = defaults
	for i, k := range keys {
		isIndex := strings.HasPrefix(k, "[")
		// The schema side.
		if sch != nil {
			if isIndex {
				items, _ := sch["items"].(map[string]any)
				sch = items
			} else if props, ok := sch["properties"].(map[string]any); ok {
				next, _ := props[k].(map[string]any)
				sch = next
			} else {
				sch = nil
			}
		}
		// The defaults side.
		switch n := node.(type) {
		case map[string]any:
			if isIndex {
				return fmt.Errorf("%w: %s: %s is a map, not a list", ErrTerraform, name, strings.Join(keys[:i], "."))
			}
			v, ok := n[k]
			switch {
			case ok:
				node = v
			case len(n) == 0:
				return nil // free map: annotations, labels
			case sch != nil:
				node = nil // declared by the schema only (commented in values.yaml)
			default:
				return fmt.Errorf("%w: %s: the chart has no value %q", ErrTerraform, name, strings.Join(keys[:i+1], "."))
			}
		case []any:
			if !isIndex {
				return fmt.Errorf("%w: %s: %s is a list", ErrTerraform, name, strings.Join(keys[:i], "."))
			}
			return nil
		case nil:
			if sch == nil {
				return fmt.Errorf("%w: %s: the chart has no value %q", ErrTerraform, name, strings.Join(keys[:i+1], "."))
			}
		default:
			return fmt.Errorf("%w: %s: %s is a scalar", ErrTerraform, name, strings.Join(keys[:i], "."))
		}
	}
	if m, ok := node.(map[string]any); ok && len(m) > 0 {
		return fmt.Errorf("%w: %s: sets a whole map of chart values with a scalar", ErrTerraform, name)
	}
	return nil
}
