package deploytest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// PolicyStatement is one statement of a data "aws_iam_policy_document", normalized for
// comparison: references are written ${...}, lists are sorted.
type PolicyStatement struct {
	Sid        string
	Effect     string
	Actions    []string
	Resources  []string
	Principals []string // "Type:identifier"
	Conditions []string // "test variable [values]"
	// Not lists the negated or unsupported keys used (not_actions, not_resources, ...).
	Not []string
}

// String renders the statement on one line.
func (s PolicyStatement) String() string {
	return fmt.Sprintf("%s %v on %v principals %v when %v", s.Effect, s.Actions, s.Resources, s.Principals, s.Conditions)
}

// PolicyDocument parses the statements of data "aws_iam_policy_document" name.
func (m *TFModule) PolicyDocument(name string) ([]PolicyStatement, error) {
	b, ok := m.Data["aws_iam_policy_document."+name]
	if !ok {
		return nil, fmt.Errorf("%w: %s: no aws_iam_policy_document %q", ErrTerraform, m.Dir, name)
	}
	for an := range b.Block.Body.Attributes {
		if an != "version" {
			return nil, fmt.Errorf("%w: %s: policy document %q uses %q (only statements are checked)", ErrTerraform, m.Dir, name, an)
		}
	}
	var out []PolicyStatement
	for _, st := range b.Block.Body.Blocks {
		if st.Type != "statement" {
			return nil, fmt.Errorf("%w: %s: unexpected block %q in policy %q", ErrTerraform, rangeString(st.DefRange()), st.Type, name)
		}
		ps := PolicyStatement{Effect: "Allow"}
		for an, a := range st.Body.Attributes {
			switch an {
			case "sid":
				ps.Sid, _ = literalString(a.Expr)
			case "effect":
				e, ok := literalString(a.Expr)
				if !ok {
					return nil, fmt.Errorf("%w: %s: effect is not a literal", ErrTerraform, rangeString(a.SrcRange))
				}
				ps.Effect = e
			case "actions":
				ps.Actions = m.list(a.Expr)
			case "resources":
				ps.Resources = m.list(a.Expr)
			default:
				ps.Not = append(ps.Not, an)
			}
		}
		for _, nb := range st.Body.Blocks {
			switch nb.Type {
			case "condition":
				test, variable, values := nb.Body.Attributes["test"], nb.Body.Attributes["variable"], nb.Body.Attributes["values"]
				if test == nil || variable == nil || values == nil {
					return nil, fmt.Errorf("%w: %s: incomplete condition", ErrTerraform, rangeString(nb.DefRange()))
				}
				ps.Conditions = append(ps.Conditions, fmt.Sprintf("%s %s %v", m.Normalize(test.Expr), m.Normalize(variable.Expr), m.list(values.Expr)))
			case "principals":
				typ, ids := nb.Body.Attributes["type"], nb.Body.Attributes["identifiers"]
				if typ == nil || ids == nil {
					return nil, fmt.Errorf("%w: %s: incomplete principals", ErrTerraform, rangeString(nb.DefRange()))
				}
				for _, id := range m.list(ids.Expr) {
					ps.Principals = append(ps.Principals, m.Normalize(typ.Expr)+":"+id)
				}
			default:
				ps.Not = append(ps.Not, nb.Type)
			}
		}
		sort.Strings(ps.Conditions)
		sort.Strings(ps.Principals)
		sort.Strings(ps.Not)
		out = append(out, ps)
	}
	return out, nil
}

// list normalizes a tuple expression into sorted element strings.
func (m *TFModule) list(e hclsyntax.Expression) []string {
	t, ok := e.(*hclsyntax.TupleConsExpr)
	if !ok {
		return []string{"<not a list: " + m.Normalize(e) + ">"}
	}
	out := make([]string, len(t.Exprs))
	for i, x := range t.Exprs {
		out[i] = m.Normalize(x)
	}
	sort.Strings(out)
	return out
}

// Grant is one allowed (action, resource, conditions) triple.
type Grant struct {
	Action, Resource, Condition string
}

// Grants flattens statements into allowed triples (every action on every resource), which is
// how the privileges of two policies are compared.
func Grants(sts []PolicyStatement) []Grant {
	var out []Grant
	for _, s := range sts {
		for _, a := range s.Actions {
			for _, r := range s.Resources {
				out = append(out, Grant{Action: a, Resource: r, Condition: strings.Join(s.Conditions, " && ")})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Action != out[j].Action {
			return out[i].Action < out[j].Action
		}
		if out[i].Resource != out[j].Resource {
			return out[i].Resource < out[j].Resource
		}
		return out[i].Condition < out[j].Condition
	})
	return out
}

// RefName returns "type.name" of an expression such as data.aws_iam_policy_document.x.json or
// aws_iam_role.x.id ("" when the expression is no such reference).
func RefName(e hclsyntax.Expression) string {
	t, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return ""
	}
	n := traversalNames(t.Traversal)
	if len(n) >= 3 && n[0] == "data" {
		return "data." + n[1] + "." + n[2]
	}
	if len(n) >= 2 {
		return n[0] + "." + n[1]
	}
	return ""
}
