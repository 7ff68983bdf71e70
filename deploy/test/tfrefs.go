package deploytest

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// TFLoader loads and caches Terraform modules by directory.
type TFLoader struct {
	cache map[string]*TFModule
}

// NewTFLoader returns an empty loader.
func NewTFLoader() *TFLoader { return &TFLoader{cache: map[string]*TFModule{}} }

// Load parses the module in dir (once).
func (l *TFLoader) Load(dir string) (*TFModule, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if m, ok := l.cache[abs]; ok {
		return m, nil
	}
	m, err := LoadTFModule(abs)
	if err != nil {
		return nil, err
	}
	l.cache[abs] = m
	return m, nil
}

// moduleMeta are the meta-arguments of a module call (not input variables).
var moduleMeta = map[string]bool{"source": true, "version": true, "providers": true, "depends_on": true, "count": true, "for_each": true}

// traversalNames returns the root and the attribute names of a traversal (index steps are
// left out).
func traversalNames(t hcl.Traversal) []string {
	var out []string
	for _, s := range t {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			out = append(out, s.Name)
		case hcl.TraverseAttr:
			out = append(out, s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String {
				out = append(out, s.Key.AsString())
			} else {
				return out
			}
		default:
			return out
		}
	}
	return out
}

// CheckRefs verifies that every reference in the module resolves: variables, locals, module
// calls and their outputs (local modules), resources, data sources, step-to-step remote-state
// outputs; that local module calls pass exactly declared variables and every required one;
// that every variable and local is used; and that variables and outputs are described.
func (l *TFLoader) CheckRefs(m *TFModule) error {
	var errs []error
	fail := func(r hcl.Range, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrTerraform, rangeString(r), fmt.Sprintf(format, a...)))
	}
	usedVars, usedLocals := map[string]bool{}, map[string]bool{}
	m.Walk(func(file string, chain []*hclsyntax.Block, name string, a *hclsyntax.Attribute) {
		if len(chain) == 0 {
			return
		}
		top := chain[0]
		last := chain[len(chain)-1]
		switch {
		case top.Type == "terraform", top.Type == "moved", top.Type == "import", top.Type == "removed":
			return
		case top.Type == "variable" && len(chain) == 1 && name == "type":
			return
		case last.Type == "lifecycle" && name == "ignore_changes":
			return
		case top.Type == "module" && len(chain) == 1 && name == "providers":
			return
		case (top.Type == "resource" || top.Type == "data") && len(chain) == 1 && name == "provider":
			return
		}
		extra := map[string]bool{}
		if top.Body.Attributes["for_each"] != nil {
			extra["each"] = true
		}
		if top.Body.Attributes["count"] != nil {
			extra["count"] = true
		}
		for _, b := range chain {
			switch b.Type {
			case "provisioner", "connection", "postcondition":
				extra["self"] = true
			case "dynamic":
				it := label(b, 0)
				if ia := b.Body.Attributes["iterator"]; ia != nil {
					if t, ok := ia.Expr.(*hclsyntax.ScopeTraversalExpr); ok {
						it = t.Traversal.RootName()
					}
				}
				extra[it] = true
			}
		}
		for _, t := range a.Expr.Variables() {
			n := traversalNames(t)
			if err := l.resolve(m, n, extra, usedVars, usedLocals); err != nil {
				fail(t.SourceRange(), "%s: %v", strings.Join(n, "."), err)
			}
		}
	})
	// Module calls of local modules: arguments against the child's variables.
	for name, b := range m.Modules {
		src, err := m.ModuleSource(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !IsLocalSource(src) {
			continue
		}
		child, err := l.Load(filepath.Join(m.Dir, src))
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: module %q: %w", ErrTerraform, name, err))
			continue
		}
		for an, a := range b.Block.Body.Attributes {
			if moduleMeta[an] {
				continue
			}
			if _, ok := child.Variables[an]; !ok {
				fail(a.SrcRange, "module %q: %s declares no variable %q", name, src, an)
			}
		}
		for vn, v := range child.Variables {
			if v.Attr("default") == nil && b.Attr(vn) == nil {
				fail(b.Block.DefRange(), "module %q: required variable %q of %s not passed", name, vn, src)
			}
		}
	}
	for n, v := range m.Variables {
		if !usedVars[n] {
			fail(v.Block.DefRange(), "variable %q is never used", n)
		}
		if d := v.Attr("description"); d == nil {
			fail(v.Block.DefRange(), "variable %q has no description", n)
		}
	}
	for n, a := range m.Locals {
		if !usedLocals[n] {
			fail(a.SrcRange, "local %q is never used", n)
		}
	}
	for n, o := range m.Outputs {
		if o.Attr("description") == nil {
			fail(o.Block.DefRange(), "output %q has no description", n)
		}
		if o.Attr("value") == nil {
			fail(o.Block.DefRange(), "output %q has no value", n)
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

func (l *TFLoader) resolve(m *TFModule, n []string, extra map[string]bool, usedVars, usedLocals map[string]bool) error {
	if len(n) == 0 {
		return fmt.Errorf("empty reference")
	}
	root := n[0]
	need := func(k int) error {
		if len(n) < k {
			return fmt.Errorf("incomplete reference")
		}
		return nil
	}
	switch root {
	case "var":
		if err := need(2); err != nil {
			return err
		}
		usedVars[n[1]] = true
		if _, ok := m.Variables[n[1]]; !ok {
			return fmt.Errorf("no variable %q", n[1])
		}
	case "local":
		if err := need(2); err != nil {
			return err
		}
		usedLocals[n[1]] = true
		if _, ok := m.Locals[n[1]]; !ok {
			return fmt.Errorf("no local %q", n[1])
		}
	case "module":
		if err := need(2); err != nil {
			return err
		}
		if _, ok := m.Modules[n[1]]; !ok {
			return fmt.Errorf("no module %q", n[1])
		}
		src, err := m.ModuleSource(n[1])
		if err != nil {
			return err
		}
		if IsLocalSource(src) && len(n) >= 3 {
			child, err := l.Load(filepath.Join(m.Dir, src))
			if err != nil {
				return err
			}
			if _, ok := child.Outputs[n[2]]; !ok {
				return fmt.Errorf("module %q (%s) has no output %q", n[1], src, n[2])
			}
		}
	case "data":
		if err := need(3); err != nil {
			return err
		}
		key := n[1] + "." + n[2]
		if _, ok := m.Data[key]; !ok {
			return fmt.Errorf("no data source %q", key)
		}
		if n[1] == "terraform_remote_state" && len(n) >= 4 && n[3] == "outputs" {
			if len(n) < 5 {
				return fmt.Errorf("remote state outputs used as a whole")
			}
			other, err := l.RemoteState(m, n[2])
			if err != nil {
				return err
			}
			if _, ok := other.Outputs[n[4]]; !ok {
				return fmt.Errorf("remote state %q (%s) has no output %q", n[2], other.Dir, n[4])
			}
		}
	case "path":
		if err := need(2); err != nil {
			return err
		}
		if n[1] != "module" && n[1] != "root" && n[1] != "cwd" {
			return fmt.Errorf("unknown path.%s", n[1])
		}
	case "terraform":
		if err := need(2); err != nil {
			return err
		}
		if n[1] != "workspace" && n[1] != "applying" {
			return fmt.Errorf("unknown terraform.%s", n[1])
		}
	default:
		if extra[root] {
			return nil
		}
		if !strings.Contains(root, "_") {
			return fmt.Errorf("unknown name %q here", root)
		}
		if err := need(2); err != nil {
			return err
		}
		key := root + "." + n[1]
		if _, ok := m.Resources[key]; !ok {
			return fmt.Errorf("no resource %q", key)
		}
	}
	return nil
}

// RemoteState loads the module whose local state a terraform_remote_state data source reads
// (backend "local", config.path relative to path.module).
func (l *TFLoader) RemoteState(m *TFModule, name string) (*TFModule, error) {
	b, ok := m.Data["terraform_remote_state."+name]
	if !ok {
		return nil, fmt.Errorf("no terraform_remote_state %q", name)
	}
	be := b.Attr("backend")
	if be == nil {
		return nil, fmt.Errorf("terraform_remote_state %q: no backend", name)
	}
	if v, ok := literalString(be.Expr); !ok || v != "local" {
		return nil, fmt.Errorf("terraform_remote_state %q: backend is not \"local\"", name)
	}
	ca := b.Attr("config")
	if ca == nil {
		return nil, fmt.Errorf("terraform_remote_state %q: no config", name)
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{
		"path": cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(m.Dir), "root": cty.StringVal(m.Dir), "cwd": cty.StringVal(m.Dir)}),
	}}
	v, diags := ca.Expr.Value(ctx)
	if diags.HasErrors() {
		return nil, fmt.Errorf("terraform_remote_state %q config: %s", name, diags.Error())
	}
	if !v.Type().IsObjectType() || !v.Type().HasAttribute("path") || v.GetAttr("path").Type() != cty.String {
		return nil, fmt.Errorf("terraform_remote_state %q: config has no path", name)
	}
	p := v.GetAttr("path").AsString()
	if !filepath.IsAbs(p) {
		return nil, fmt.Errorf("terraform_remote_state %q: path %q is relative to the working directory, not path.module", name, p)
	}
	return l.Load(filepath.Dir(p))
}

// LocalBackendDir returns the directory of the state file of a `backend "local"` with a path
// (relative to the module directory), or "" when the module keeps its own state.
func (m *TFModule) LocalBackendDir() (string, error) {
	for _, t := range m.Terraform {
		for _, b := range t.Block.Body.Blocks {
			if b.Type != "backend" {
				continue
			}
			if label(b, 0) != "local" {
				return "", fmt.Errorf("%w: %s: backend %q", ErrTerraform, rangeString(b.DefRange()), label(b, 0))
			}
			a := b.Body.Attributes["path"]
			if a == nil {
				return "", nil
			}
			p, ok := literalString(a.Expr)
			if !ok {
				return "", fmt.Errorf("%w: %s: backend path is not a literal", ErrTerraform, rangeString(a.SrcRange))
			}
			return filepath.Join(m.Dir, filepath.Dir(p)), nil
		}
	}
	return "", nil
}
