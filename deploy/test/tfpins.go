package deploytest

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// ProviderReq is one entry of required_providers.
type ProviderReq struct {
	Source  string
	Version string
}

// RequiredVersion returns terraform.required_version ("" when absent).
func (m *TFModule) RequiredVersion() string {
	for _, t := range m.Terraform {
		if a := t.Attr("required_version"); a != nil {
			if v, ok := literalString(a.Expr); ok {
				return v
			}
		}
	}
	return ""
}

// RequiredProviders returns terraform.required_providers by local name.
func (m *TFModule) RequiredProviders() (map[string]ProviderReq, error) {
	out := map[string]ProviderReq{}
	for _, t := range m.Terraform {
		for _, b := range t.Block.Body.Blocks {
			if b.Type != "required_providers" {
				continue
			}
			for name, a := range b.Body.Attributes {
				obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
				if !ok {
					return nil, fmt.Errorf("%w: %s: provider %q: want {source, version}", ErrTerraform, rangeString(a.SrcRange), name)
				}
				var req ProviderReq
				for _, item := range obj.Items {
					k := hcl.ExprAsKeyword(item.KeyExpr)
					v, ok := literalString(item.ValueExpr)
					if !ok {
						return nil, fmt.Errorf("%w: %s: provider %q %s is not a literal", ErrTerraform, rangeString(item.ValueExpr.Range()), name, k)
					}
					switch k {
					case "source":
						req.Source = v
					case "version":
						req.Version = v
					}
				}
				out[name] = req
			}
		}
	}
	return out, nil
}

var (
	constraintRe = regexp.MustCompile(`^\s*(~>|>=|<=|!=|=|>|<)?\s*v?[0-9]+(\.[0-9]+){0,2}(-[0-9A-Za-z.-]+)?\s*$`)
	exactRe      = regexp.MustCompile(`^\s*=?\s*v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?\s*$`)
)

// Pinned reports whether a version constraint is well formed and has both a lower and an
// upper bound (`~> 6.0`, `5.60.0`, `>= 1.6.0, < 2.0.0`), so that a new major release cannot
// be picked up by a fresh `terraform init`.
func Pinned(constraint string) bool {
	if strings.TrimSpace(constraint) == "" {
		return false
	}
	lower, upper := false, false
	for _, c := range strings.Split(constraint, ",") {
		if !constraintRe.MatchString(c) {
			return false
		}
		c = strings.TrimSpace(c)
		switch {
		case exactRe.MatchString(c):
			lower, upper = true, true
		case strings.HasPrefix(c, "~>"):
			// Only the rightmost component may grow: "~> 6.0" is >= 6.0, < 7.0, but "~> 6"
			// allows every later major, so at least major.minor is required.
			if strings.Count(c, ".") >= 1 {
				lower, upper = true, true
			}
		case strings.HasPrefix(c, "<"):
			upper = true
		case strings.HasPrefix(c, ">"):
			lower = true
		}
	}
	return lower && upper
}

// providerOf returns the provider local name implied by a resource or data type.
func providerOf(typ string) string {
	if typ == "terraform_remote_state" || typ == "terraform_data" {
		return "terraform"
	}
	p, _, _ := strings.Cut(typ, "_")
	return p
}

// CheckPins verifies that Terraform, every provider used and every registry module and
// remote Helm chart are pinned with bounded version constraints.
func (m *TFModule) CheckPins() error {
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrTerraform, m.Dir, fmt.Sprintf(format, a...)))
	}
	if v := m.RequiredVersion(); !Pinned(v) {
		fail("required_version %q is not a bounded constraint", v)
	}
	req, err := m.RequiredProviders()
	if err != nil {
		return err
	}
	for name, r := range req {
		if r.Source == "" || !strings.Contains(r.Source, "/") {
			fail("provider %q: source %q", name, r.Source)
		}
		if !Pinned(r.Version) {
			fail("provider %q: version %q is not a bounded constraint", name, r.Version)
		}
	}
	used := map[string]string{}
	for k, b := range m.Resources {
		used[providerOf(strings.Split(k, ".")[0])] = rangeString(b.Block.DefRange())
	}
	for k, b := range m.Data {
		used[providerOf(strings.Split(k, ".")[0])] = rangeString(b.Block.DefRange())
	}
	for k, b := range m.Providers {
		used[strings.Split(k, ".")[0]] = rangeString(b.Block.DefRange())
	}
	for p, where := range used {
		if p == "terraform" {
			continue
		}
		if _, ok := req[p]; !ok {
			fail("provider %q (used at %s) is not in required_providers", p, where)
		}
	}
	for name, b := range m.Modules {
		src, err := m.ModuleSource(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if IsLocalSource(src) {
			if b.Attr("version") != nil {
				fail("module %q: a local module takes no version", name)
			}
			continue
		}
		v := ""
		if a := b.Attr("version"); a != nil {
			v, _ = literalString(a.Expr)
		}
		if !Pinned(v) {
			fail("module %q (%s): version %q is not a bounded constraint", name, src, v)
		}
	}
	for k, b := range m.Resources {
		if !strings.HasPrefix(k, "helm_release.") || b.Attr("repository") == nil {
			continue
		}
		v := ""
		if a := b.Attr("version"); a != nil {
			v, _ = literalString(a.Expr)
		}
		if !exactRe.MatchString(v) {
			fail("%s: chart from a repository without an exact version (%q)", k, v)
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}
