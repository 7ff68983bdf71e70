package deploytest

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	"helm.sh/helm/v3/pkg/strvals"
)

// ErrLint reports that `helm lint --strict` would fail: at least one warning or error.
var ErrLint = errors.New("helm lint --strict failed")

// Module is the product's module path; RepoRoot looks for its go.mod.
const Module = "github.com/sneller-re/sneller"

// RepoRoot returns the repository root: the nearest directory at or above dir whose go.mod
// declares Module.
func RepoRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("repo root from %s: %w", dir, err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && modulePath(string(b)) == Module {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod of module %s at or above %s: %w", Module, dir, os.ErrNotExist)
		}
		d = parent
	}
}

func modulePath(gomod string) string {
	for _, l := range strings.Split(gomod, "\n") {
		f := strings.Fields(l)
		if len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// RenderOptions selects what Render renders, like the flags of `helm template`.
type RenderOptions struct {
	// ChartDir is the chart directory (charts/sneller).
	ChartDir string
	// Release and Namespace default to "sneller".
	Release   string
	Namespace string
	// ValueFiles are merged in order (-f), then Values (deep-merged), then Set (--set syntax).
	ValueFiles []string
	Values     map[string]any
	Set        []string
	// Upgrade renders as `helm upgrade` does (.Release.IsUpgrade).
	Upgrade bool
	// Live holds the objects that exist in the cluster, served to the chart's `lookup`
	// calls. Nil renders without a cluster, as `helm template` and `helm lint` do.
	Live []map[string]any
	// KubeVersion overrides the Kubernetes version of .Capabilities (e.g. "v1.33.0").
	KubeVersion string
}

// Rendered is the output of one render.
type Rendered struct {
	// Manifests maps template paths ("sneller/templates/deployment.yaml") to rendered text.
	Manifests map[string]string
	// Objects are the strictly decoded objects of every manifest, in template-path order.
	Objects []Object
	// Notes is the rendered NOTES.txt.
	Notes string
	// Values are the coalesced values the templates saw.
	Values chartutil.Values
	// Namespace is the release namespace.
	Namespace string
}

// MergeValues reads the value files in order and deep-merges them, then vals, then the
// --set style assignments, the way helm combines -f, --set-json and --set.
func MergeValues(files []string, vals map[string]any, set []string) (map[string]any, error) {
	out := map[string]any{}
	for _, f := range files {
		v, err := chartutil.ReadValuesFile(f)
		if err != nil {
			return nil, fmt.Errorf("values file %s: %w", f, err)
		}
		out = mergeMaps(out, v.AsMap())
	}
	out = mergeMaps(out, deepCopyMap(vals))
	for _, s := range set {
		if err := strvals.ParseInto(s, out); err != nil {
			return nil, fmt.Errorf("--set %q: %w", s, err)
		}
	}
	return out, nil
}

// mergeMaps merges b into a (b wins; maps merge recursively), as helm does for -f files.
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if vm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, vm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

func deepCopyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopyValue(v)
	}
	return out
}

func deepCopyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return deepCopyMap(t)
	case []any:
		c := make([]any, len(t))
		for i := range t {
			c[i] = deepCopyValue(t[i])
		}
		return c
	}
	return v
}

// LoadChart loads the chart directory.
func LoadChart(dir string) (*chart.Chart, error) {
	ch, err := loader.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load chart %s: %w", dir, err)
	}
	return ch, nil
}

// Render renders the chart as `helm template` (or, with Live objects, as `helm install` or
// `helm upgrade` against a cluster holding them) and strictly decodes every object.
func Render(opts RenderOptions) (*Rendered, error) {
	if opts.Release == "" {
		opts.Release = "sneller"
	}
	if opts.Namespace == "" {
		opts.Namespace = "sneller"
	}
	ch, err := LoadChart(opts.ChartDir)
	if err != nil {
		return nil, err
	}
	user, err := MergeValues(opts.ValueFiles, opts.Values, opts.Set)
	if err != nil {
		return nil, err
	}
	caps := chartutil.DefaultCapabilities.Copy()
	if opts.KubeVersion != "" {
		kv, err := chartutil.ParseKubeVersion(opts.KubeVersion)
		if err != nil {
			return nil, fmt.Errorf("kube version %q: %w", opts.KubeVersion, err)
		}
		caps.KubeVersion = *kv
	}
	relOpts := chartutil.ReleaseOptions{
		Name:      opts.Release,
		Namespace: opts.Namespace,
		Revision:  1,
		IsInstall: !opts.Upgrade,
		IsUpgrade: opts.Upgrade,
	}
	if opts.Upgrade {
		relOpts.Revision = 2
	}
	vals, err := chartutil.ToRenderValues(ch, user, relOpts, caps)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", opts.ChartDir, err)
	}
	var files map[string]string
	if opts.Live != nil {
		cp, err := newFakeClientProvider(opts.Live)
		if err != nil {
			return nil, err
		}
		files, err = engine.RenderWithClientProvider(ch, vals, cp)
		if err != nil {
			return nil, fmt.Errorf("render chart %s: %w", opts.ChartDir, err)
		}
	} else {
		files, err = engine.Render(ch, vals)
		if err != nil {
			return nil, fmt.Errorf("render chart %s: %w", opts.ChartDir, err)
		}
	}
	r := &Rendered{Manifests: map[string]string{}, Namespace: opts.Namespace}
	if v, ok := vals["Values"].(chartutil.Values); ok {
		r.Values = v
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		text := files[name]
		base := path.Base(name)
		switch {
		case base == "NOTES.txt":
			r.Notes = text
			continue
		case strings.HasPrefix(base, "_"), !strings.HasSuffix(base, ".yaml"):
			continue
		}
		r.Manifests[name] = text
		objs, err := DecodeManifest(name, text)
		if err != nil {
			return nil, err
		}
		r.Objects = append(r.Objects, objs...)
	}
	if err := checkUnique(r.Objects); err != nil {
		return nil, err
	}
	return r, nil
}

// checkUnique fails when two objects share kind and name (the API server would keep one).
func checkUnique(objs []Object) error {
	seen := map[string]Object{}
	for _, o := range objs {
		k := o.Kind + "/" + o.Name
		if prev, ok := seen[k]; ok {
			return fmt.Errorf("duplicate object %s: rendered by %s and %s", k, prev, o)
		}
		seen[k] = o
	}
	return nil
}

// Lint runs the checks of `helm lint --strict` on the chart directory with the given value
// files merged over the chart's defaults. It returns every message; the error wraps ErrLint
// when any message is a warning or an error.
func Lint(chartDir, namespace string, valueFiles []string, set []string) ([]support.Message, error) {
	user, err := MergeValues(valueFiles, nil, set)
	if err != nil {
		return nil, err
	}
	l := lint.AllWithKubeVersion(chartDir, user, namespace, nil)
	var bad []string
	for _, m := range l.Messages {
		if m.Severity >= support.WarningSev {
			bad = append(bad, m.Error())
		}
	}
	if len(bad) > 0 {
		return l.Messages, fmt.Errorf("%w: %s", ErrLint, strings.Join(bad, "; "))
	}
	return l.Messages, nil
}

// Get returns the rendered object of kind and name.
func (r *Rendered) Get(kind, name string) (Object, bool) {
	for _, o := range r.Objects {
		if o.Kind == kind && o.Name == name {
			return o, true
		}
	}
	return Object{}, false
}

// OfKind returns the rendered objects of one kind.
func (r *Rendered) OfKind(kind string) []Object {
	var out []Object
	for _, o := range r.Objects {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}
