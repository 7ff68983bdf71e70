package deploytest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzDecodeManifest: the strict decoder never panics, whatever the YAML; seeded with the
// chart's rendered manifests.
func FuzzDecodeManifest(f *testing.F) {
	if r, err := Render(RenderOptions{ChartDir: filepath.Join("..", "..", "charts", "sneller"), ValueFiles: []string{filepath.Join("..", "..", "charts", "sneller", "ci", "scheduling-values.yaml")}}); err == nil {
		for _, m := range r.Manifests {
			f.Add(m)
		}
	}
	f.Add("apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  k: !!binary x\n---\n--- x\n")
	f.Fuzz(func(t *testing.T, s string) {
		objs, err := DecodeManifest("fuzz.yaml", s)
		if err != nil {
			return
		}
		for _, o := range objs {
			if o.Value == nil || o.Kind == "" {
				t.Fatalf("decoded object without value or kind: %+v", o)
			}
		}
	})
}

// FuzzDockerIgnore: pattern parsing and matching never panic.
func FuzzDockerIgnore(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", ".dockerignore")); err == nil {
		f.Add(string(b), "cmd/snellerd/main.go")
	}
	f.Add("**/x\n![a-c]?\n\\*", "a/b/x")
	f.Fuzz(func(t *testing.T, patterns, path string) {
		di, err := ParseDockerIgnore("fuzz", strings.NewReader(patterns))
		if err != nil {
			return
		}
		_ = di.Excluded(path)
	})
}

// FuzzSplitSetName: helm --set names never panic the splitter, and split keys are non-empty.
func FuzzSplitSetName(f *testing.F) {
	f.Add(`ingress.annotations.alb\.ingress\.kubernetes\.io/scheme`)
	f.Add("ingress.hosts[0]")
	f.Fuzz(func(t *testing.T, s string) {
		keys, err := SplitSetName(s)
		if err != nil {
			return
		}
		for _, k := range keys {
			if k == "" {
				t.Fatalf("%q: empty key in %q", s, keys)
			}
		}
	})
}
