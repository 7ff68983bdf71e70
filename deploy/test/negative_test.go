package deploytest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// TestLintRejectsBrokenValues proves the lint check can fail: every file of
// testdata/broken-values breaks the schema.
func TestLintRejectsBrokenValues(t *testing.T) {
	files, err := filepath.Glob("testdata/broken-values/*.yaml")
	if err != nil || len(files) < 5 {
		t.Fatalf("broken value sets: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := Lint(chartDir(t), "sneller", []string{f}, nil)
			if !errors.Is(err, ErrLint) {
				t.Fatalf("lint passed a broken value set (err %v)", err)
			}
			// helm template/install validate the same schema.
			if _, err := Render(RenderOptions{ChartDir: chartDir(t), ValueFiles: []string{f}}); err == nil {
				t.Fatalf("render passed a broken value set")
			}
		})
	}
}

// copyChart copies the chart to a temporary directory and applies edits (file -> old -> new)
// there, so a test can reintroduce a bug and check that the checks catch it.
func copyChart(t *testing.T, edits map[string][2]string) string {
	t.Helper()
	src := chartDir(t)
	dst := filepath.Join(t.TempDir(), "sneller")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if e, ok := edits[filepath.ToSlash(rel)]; ok {
			if !strings.Contains(string(b), e[0]) {
				t.Fatalf("%s does not contain %q: the negative test is stale", rel, e[0])
			}
			b = []byte(strings.Replace(string(b), e[0], e[1], 1))
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestChecksCatchOriginalBugs puts the original chart's bugs back into a copy of the chart
// and expects lint, render or the contract checks to fail.
func TestChecksCatchOriginalBugs(t *testing.T) {
	cases := []struct {
		name   string
		edits  map[string][2]string
		values []string
		// stage that must fail: "lint", "render" or "indexkey"
		fails string
	}{
		{
			name: "unguarded-lookup",
			edits: map[string][2]string{"templates/secret-token.yaml": {
				`{{ include "sneller.secretData" (dict "root" $ "name" $name "key" "snellerToken" "value" .Values.secrets.token.values.snellerToken "generate" "token") | quote }}`,
				`{{ (lookup "v1" "Secret" .Release.Namespace $name).data.snellerToken | quote }}`,
			}},
			fails: "lint",
		},
		{
			name: "hex-index-key",
			edits: map[string][2]string{"templates/_helpers.tpl": {
				`{{- randBytes 32 | b64enc -}}`,
				`{{- sha256sum (randAlphaNum 64) | b64enc -}}`,
			}, "templates/secret-index.yaml": {
				`{{- if or (not (regexMatch "^[A-Za-z0-9+/]{43}=$" $key)) (ne (len (b64dec $key)) 32) }}`,
				`{{- if false }}`,
			}},
			fails: "indexkey",
		},
		{
			name: "labels-as-annotations",
			edits: map[string][2]string{"templates/service.yaml": {
				`  {{- with $v.serviceAnnotations }}`,
				"  {{- with $v.serviceLabels }}\n  annotations:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n  {{- with $v.serviceAnnotations }}",
			}},
			values: []string{"snellerd.serviceLabels.a=b", "snellerd.serviceAnnotations.c=d"},
			fails:  "render",
		},
		{
			name: "pod-labels-indent",
			edits: map[string][2]string{"templates/deployment.yaml": {
				`{{- include "sneller.podLabels" (dict "root" $ "component" "snellerd") | nindent 8 }}`,
				"{{- include \"sneller.selectorLabels\" (dict \"root\" $ \"component\" \"snellerd\") | nindent 8 }}\n        {{ toYaml .Values.snellerd.podLabels | indent 8 }}",
			}},
			values: []string{"snellerd.podLabels.team=x", "snellerd.podLabels.tier=y"},
			fails:  "render",
		},
		{
			name: "null-configmap-value",
			edits: map[string][2]string{"templates/configmap.yaml": {
				`bucket: {{ include "sneller.bucket" . | quote }}`,
				`bucket: {{ .Values.configuration.values.s3Bucket }}`,
			}},
			fails: "render",
		},
		{
			name: "unknown-field",
			edits: map[string][2]string{"templates/service-headless.yaml": {
				`publishNotReadyAddresses: true`,
				`publishNotReadyAddress: true`,
			}},
			fails: "render",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyChart(t, c.edits)
			_, lintErr := Lint(dir, "sneller", nil, c.values)
			r, renderErr := Render(RenderOptions{ChartDir: dir, Set: c.values})
			t.Logf("lint: %v\nrender: %v", lintErr, renderErr)
			switch c.fails {
			case "lint":
				if lintErr == nil {
					t.Fatal("lint passed")
				}
			case "render":
				if renderErr == nil {
					t.Fatal("render passed")
				}
			case "indexkey":
				if renderErr != nil {
					t.Fatal(renderErr)
				}
				s, err := r.Secret("sneller-index")
				if err != nil {
					t.Fatal(err)
				}
				if err := CheckIndexKey(string(s.Data["snellerIndexKey"])); !errors.Is(err, ErrBadIndexKey) {
					t.Fatalf("CheckIndexKey accepted %q", s.Data["snellerIndexKey"])
				}
			}
		})
	}
}

// TestGenericChecksFail mutates a good render and expects the generic checks to fail.
func TestGenericChecksFail(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(r *Rendered)
		want   error
	}{
		{"selector-mismatch", func(r *Rendered) {
			d, _ := r.Deployment("sneller-snellerd")
			d.Spec.Template.Labels["app"] = "other"
		}, ErrContract},
		{"service-selects-sdb", func(r *Rendered) {
			s, _ := r.Service("sneller-snellerd")
			s.Spec.Selector = map[string]string{"release": "sneller"}
		}, ErrContract},
		{"missing-secret-key", func(r *Rendered) {
			d, _ := r.Deployment("sneller-snellerd")
			for i, e := range d.Spec.Template.Spec.Containers[0].Env {
				if e.Name == "SNELLER_TOKEN" {
					d.Spec.Template.Spec.Containers[0].Env[i].ValueFrom.SecretKeyRef.Key = "token"
				}
			}
		}, ErrDanglingRef},
		{"missing-configmap", func(r *Rendered) {
			cj, _ := r.CronJob("sneller-sdb")
			for i, e := range cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env {
				if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
					cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env[i].ValueFrom.ConfigMapKeyRef.Name = "nope"
				}
			}
		}, ErrDanglingRef},
		{"writable-root", func(r *Rendered) {
			d, _ := r.Deployment("sneller-snellerd")
			f := false
			d.Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem = &f
		}, ErrContract},
		{"capabilities-kept", func(r *Rendered) {
			cj, _ := r.CronJob("sneller-sdb")
			cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].SecurityContext.Capabilities = &corev1.Capabilities{}
		}, ErrContract},
		{"root-user", func(r *Rendered) {
			d, _ := r.Deployment("sneller-snellerd")
			var zero int64
			d.Spec.Template.Spec.SecurityContext.RunAsUser = &zero
		}, ErrContract},
		{"probe-port", func(r *Rendered) {
			d, _ := r.Deployment("sneller-snellerd")
			d.Spec.Template.Spec.Containers[0].ReadinessProbe.HTTPGet.Port = intstr.FromString("http")
		}, ErrContract},
		{"service-target-port", func(r *Rendered) {
			s, _ := r.Service("sneller-snellerd-headless")
			s.Spec.Ports[0].TargetPort = intstr.FromInt32(9999)
		}, ErrContract},
		{"no-tmp", func(r *Rendered) {
			cj, _ := r.CronJob("sneller-sdb")
			cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].VolumeMounts = nil
		}, ErrContract},
		{"namespace-set", func(r *Rendered) {
			s, _ := r.Service("sneller-snellerd")
			s.Namespace = "default"
		}, ErrContract},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := render(t, RenderOptions{ValueFiles: []string{ciFile(t, "irsa-values.yaml")}})
			if err := CheckGeneric(r, Existing{}); err != nil {
				t.Fatalf("good render fails: %v", err)
			}
			c.mutate(r)
			err := CheckGeneric(r, Existing{})
			t.Logf("checks: %v", err)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
		})
	}
}

// TestDecodeStrict: the decoder refuses what the API server (or a strict client) would.
func TestDecodeStrict(t *testing.T) {
	const svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n"
	cases := []struct {
		name, doc string
		want      error // nil means any error
		ok        bool
	}{
		{name: "ok", doc: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n", ok: true},
		{name: "comments-only", doc: "# nothing\n---\n# still nothing\n", ok: true},
		{name: "unknown-field", doc: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndatum:\n  k: v\n"},
		{name: "wrong-type", doc: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: three\n"},
		{name: "duplicate-key", doc: "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    x: y\n  annotations:\n    z: w\n"},
		{name: "null", doc: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k:\n", want: ErrNullValue},
		{name: "unknown-kind", doc: "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n", want: ErrUnknownKind},
		{name: "bad-name", doc: strings.Replace(svc, "%s", "Sneller_Snellerd", 1), want: ErrInvalidName},
		{name: "service-name-digit", doc: strings.Replace(svc, "%s", "1sneller", 1), want: ErrInvalidName},
		{name: "long-cronjob", doc: "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: " + strings.Repeat("a", 53) + "\nspec:\n  schedule: '* * * * *'\n  jobTemplate: {}\n", want: ErrInvalidName},
		{name: "bad-label", doc: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    x: \"has space\"\n", want: ErrInvalidName},
		{name: "bad-pod-label", doc: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      labels:\n        \"bad key!\": v\n", want: ErrInvalidName},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeManifest("test.yaml", c.doc)
			if c.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("decoded without error")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), "test.yaml") {
				t.Errorf("error %q does not name the source", err)
			}
		})
	}
}

// TestRenderRejectsDuplicates: two objects with one kind and name are an error.
func TestRenderRejectsDuplicates(t *testing.T) {
	dir := copyChart(t, map[string][2]string{"templates/service-headless.yaml": {
		`name: {{ include "sneller.headlessName" . }}`,
		`name: {{ include "sneller.snellerdName" . }}`,
	}})
	if _, err := Render(RenderOptions{ChartDir: dir}); err == nil || !strings.Contains(err.Error(), "duplicate object") {
		t.Fatalf("err %v, want duplicate object", err)
	}
}
