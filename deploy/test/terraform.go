package deploytest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// ErrTerraform reports Terraform configuration that breaks a rule of the offline checks.
var ErrTerraform = errors.New("terraform check failed")

// TFBlock is one top-level (or nested) block with the file it came from.
type TFBlock struct {
	File  string
	Block *hclsyntax.Block
}

// Attr returns the block's attribute name, or nil.
func (b TFBlock) Attr(name string) *hclsyntax.Attribute {
	return b.Block.Body.Attributes[name]
}

// TFModule is one Terraform module directory parsed with hcl/v2.
type TFModule struct {
	Dir   string
	Files map[string][]byte // file name -> source
	// Declarations by name: variables, outputs, locals, module calls, resources and data
	// sources ("type.name"), provider configurations ("name" or "name.alias").
	Variables map[string]TFBlock
	Outputs   map[string]TFBlock
	Locals    map[string]*hclsyntax.Attribute
	LocalFile map[string]string
	Modules   map[string]TFBlock
	Resources map[string]TFBlock
	Data      map[string]TFBlock
	Providers map[string]TFBlock
	Terraform []TFBlock

	bodies map[string]*hclsyntax.Body
}

var ctyString = cty.String

// LoadTFModule parses every *.tf file of dir. Syntax errors and duplicate declarations are
// errors naming the file and line.
func LoadTFModule(dir string) (*TFModule, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: %s: no .tf files", ErrTerraform, dir)
	}
	sort.Strings(names)
	m := &TFModule{
		Dir: dir, Files: map[string][]byte{},
		Variables: map[string]TFBlock{}, Outputs: map[string]TFBlock{}, Locals: map[string]*hclsyntax.Attribute{},
		LocalFile: map[string]string{}, Modules: map[string]TFBlock{}, Resources: map[string]TFBlock{},
		Data: map[string]TFBlock{}, Providers: map[string]TFBlock{}, bodies: map[string]*hclsyntax.Body{},
	}
	var errs []error
	for _, path := range names {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		name := filepath.Base(path)
		m.Files[name] = src
		f, diags := hclsyntax.ParseConfig(src, path, hcl.Pos{Line: 1, Column: 1})
		if diags.HasErrors() {
			errs = append(errs, fmt.Errorf("%w: %s", ErrTerraform, diags.Error()))
			continue
		}
		body := f.Body.(*hclsyntax.Body)
		m.bodies[name] = body
		for an, a := range body.Attributes {
			errs = append(errs, fmt.Errorf("%w: %s: unexpected top-level attribute %q", ErrTerraform, rangeString(a.SrcRange), an))
		}
		for _, b := range body.Blocks {
			tb := TFBlock{File: name, Block: b}
			add := func(into map[string]TFBlock, key string) {
				if prev, ok := into[key]; ok {
					errs = append(errs, fmt.Errorf("%w: %s: %s %q already declared at %s", ErrTerraform, rangeString(b.DefRange()), b.Type, key, rangeString(prev.Block.DefRange())))
					return
				}
				into[key] = tb
			}
			switch b.Type {
			case "variable":
				add(m.Variables, label(b, 0))
			case "output":
				add(m.Outputs, label(b, 0))
			case "module":
				add(m.Modules, label(b, 0))
			case "resource":
				add(m.Resources, label(b, 0)+"."+label(b, 1))
			case "data":
				add(m.Data, label(b, 0)+"."+label(b, 1))
			case "provider":
				key := label(b, 0)
				if a := b.Body.Attributes["alias"]; a != nil {
					if v, ok := literalString(a.Expr); ok {
						key += "." + v
					}
				}
				add(m.Providers, key)
			case "terraform":
				m.Terraform = append(m.Terraform, tb)
			case "locals":
				for an, a := range b.Body.Attributes {
					if prev, ok := m.Locals[an]; ok {
						errs = append(errs, fmt.Errorf("%w: %s: local %q already declared at %s", ErrTerraform, rangeString(a.SrcRange), an, rangeString(prev.SrcRange)))
						continue
					}
					m.Locals[an] = a
					m.LocalFile[an] = name
				}
			case "moved", "import", "check", "removed":
			default:
				errs = append(errs, fmt.Errorf("%w: %s: unknown block type %q", ErrTerraform, rangeString(b.DefRange()), b.Type))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return m, nil
}

func label(b *hclsyntax.Block, i int) string {
	if i < len(b.Labels) {
		return b.Labels[i]
	}
	return ""
}

func rangeString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", r.Filename, r.Start.Line, r.Start.Column)
}

// literalString returns the value of a string literal or a template of literals only.
func literalString(e hclsyntax.Expression) (string, bool) {
	switch t := e.(type) {
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, p := range t.Parts {
			l, ok := p.(*hclsyntax.LiteralValueExpr)
			if !ok || !l.Val.Type().Equals(ctyString) {
				return "", false
			}
			b.WriteString(l.Val.AsString())
		}
		return b.String(), true
	case *hclsyntax.LiteralValueExpr:
		if t.Val.Type().Equals(ctyString) && t.Val.IsKnown() && !t.Val.IsNull() {
			return t.Val.AsString(), true
		}
	case *hclsyntax.TemplateWrapExpr:
		return literalString(t.Wrapped)
	}
	return "", false
}

// Source returns the source text of an expression.
func (m *TFModule) Source(e hclsyntax.Expression) string {
	r := e.Range()
	src := m.Files[filepath.Base(r.Filename)]
	if r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		return ""
	}
	return string(src[r.Start.Byte:r.End.Byte])
}

// CheckFormat fails for files that are not in canonical form (hclwrite.Format, the formatter
// behind `terraform fmt`).
func (m *TFModule) CheckFormat() error {
	var errs []error
	for name, src := range m.Files {
		if out := hclwrite.Format(src); string(out) != string(src) {
			errs = append(errs, fmt.Errorf("%w: %s: not formatted (terraform fmt): first difference at line %d", ErrTerraform, filepath.Join(m.Dir, name), firstDiffLine(src, out)))
		}
	}
	return errors.Join(errs...)
}

func firstDiffLine(a, b []byte) int {
	line := 1
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return line
		}
		if a[i] == '\n' {
			line++
		}
	}
	return line
}

// IsLocalSource reports whether a module source is a local path.
func IsLocalSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../")
}

// ModuleSource returns the literal source of a module call.
func (m *TFModule) ModuleSource(name string) (string, error) {
	b, ok := m.Modules[name]
	if !ok {
		return "", fmt.Errorf("%w: %s: no module %q", ErrTerraform, m.Dir, name)
	}
	a := b.Attr("source")
	if a == nil {
		return "", fmt.Errorf("%w: %s: module %q has no source", ErrTerraform, rangeString(b.Block.DefRange()), name)
	}
	s, ok := literalString(a.Expr)
	if !ok {
		return "", fmt.Errorf("%w: %s: module %q source is not a literal", ErrTerraform, rangeString(a.SrcRange), name)
	}
	return s, nil
}

// Walk calls fn for every attribute of every block of the module (nested blocks included),
// with the chain of enclosing blocks (outermost first).
func (m *TFModule) Walk(fn func(file string, chain []*hclsyntax.Block, name string, a *hclsyntax.Attribute)) {
	var walk func(file string, chain []*hclsyntax.Block, body *hclsyntax.Body)
	walk = func(file string, chain []*hclsyntax.Block, body *hclsyntax.Body) {
		names := make([]string, 0, len(body.Attributes))
		for n := range body.Attributes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fn(file, chain, n, body.Attributes[n])
		}
		for _, b := range body.Blocks {
			walk(file, append(append([]*hclsyntax.Block(nil), chain...), b), b.Body)
		}
	}
	files := make([]string, 0, len(m.Files))
	for f := range m.Files {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, name := range files {
		walk(name, nil, m.bodies[name])
	}
}
