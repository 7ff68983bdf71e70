package deploytest

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// evalFuncs are the Terraform functions the offline evaluation understands.
var evalFuncs = map[string]function.Function{
	"tostring": function.New(&function.Spec{
		Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowNull: true}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return convert.Convert(args[0], cty.String)
		},
	}),
	"jsonencode": stdlib.JSONEncodeFunc,
	"concat":     stdlib.ConcatFunc,
	"substr":     stdlib.SubstrFunc,
}

// VariableDefaults evaluates the literal defaults of a module's variables (variables without
// a default, or with a default that needs more than literals, are left out).
func (m *TFModule) VariableDefaults() map[string]cty.Value {
	out := map[string]cty.Value{}
	for n, v := range m.Variables {
		if d := v.Attr("default"); d != nil {
			if val, diags := d.Expr.Value(nil); !diags.HasErrors() {
				out[n] = val
			}
		}
	}
	return out
}

// CallVariables returns the values the variables of child take in the module call `call` of
// root, as far as they can be known offline: arguments that evaluate from the root's
// variable defaults, else the child's defaults.
func CallVariables(root *TFModule, call string, child *TFModule) map[string]cty.Value {
	rootCtx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(root.VariableDefaults())}, Functions: evalFuncs}
	out := child.VariableDefaults()
	b, ok := root.Modules[call]
	if !ok {
		return out
	}
	for n := range child.Variables {
		a := b.Attr(n)
		if a == nil {
			continue
		}
		if v, diags := a.Expr.Value(rootCtx); !diags.HasErrors() && v.IsWhollyKnown() {
			out[n] = v
		} else {
			delete(out, n)
		}
	}
	return out
}

// EvalString evaluates e with the given variables, the module's literal locals and
// path.module; ok is false when the value depends on anything else (resources, other locals,
// data sources).
func (m *TFModule) EvalString(e hclsyntax.Expression, vars map[string]cty.Value) (string, bool) {
	locals := map[string]cty.Value{}
	for n, a := range m.Locals {
		if s, ok := literalString(a.Expr); ok {
			locals[n] = cty.StringVal(s)
		}
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":   cty.ObjectVal(vars),
			"local": cty.ObjectVal(locals),
			"path":  cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(m.Dir)}),
		},
		Functions: evalFuncs,
	}
	v, diags := e.Value(ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", false
	}
	return s.AsString(), true
}
