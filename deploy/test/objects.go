package deploytest

import (
	"bufio"
	"errors"
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// ErrUnknownKind reports a rendered document whose apiVersion and kind this package cannot
// decode strictly (the chart must render only kinds it knows).
var ErrUnknownKind = errors.New("unknown apiVersion/kind")

// ErrNullValue reports a null in a rendered object (for example an unquoted empty template
// value): the API server's schema rejects null for strings, and it hides a missing value.
var ErrNullValue = errors.New("null value")

// ErrInvalidName reports an object name or label that Kubernetes would reject.
var ErrInvalidName = errors.New("invalid name")

// Object is one rendered Kubernetes object, strictly decoded into its k8s.io/api type.
type Object struct {
	// Source is the template that rendered the object, e.g. "sneller/templates/deployment.yaml".
	Source string
	// Doc is the index of the YAML document within Source (0-based, counting non-empty docs).
	Doc        int
	APIVersion string
	Kind       string
	Name       string
	// Value is a pointer to the typed object, e.g. *appsv1.Deployment.
	Value any
}

// String names the object for messages: "Kind/name (source#doc)".
func (o Object) String() string {
	return fmt.Sprintf("%s/%s (%s#%d)", o.Kind, o.Name, o.Source, o.Doc)
}

// newTyped returns a pointer to the zero value of the k8s.io/api type of apiVersion/kind.
func newTyped(apiVersion, kind string) (any, bool) {
	switch apiVersion + "/" + kind {
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}, true
	case "v1/Secret":
		return &corev1.Secret{}, true
	case "v1/Service":
		return &corev1.Service{}, true
	case "v1/ServiceAccount":
		return &corev1.ServiceAccount{}, true
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}, true
	case "batch/v1/CronJob":
		return &batchv1.CronJob{}, true
	case "batch/v1/Job":
		return &batchv1.Job{}, true
	case "networking.k8s.io/v1/Ingress":
		return &networkingv1.Ingress{}, true
	case "networking.k8s.io/v1/NetworkPolicy":
		return &networkingv1.NetworkPolicy{}, true
	case "policy/v1/PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}, true
	}
	return nil, false
}

// SplitDocuments splits a multi-document YAML stream on lines that are exactly "---" and
// drops documents that hold only comments and blank lines. It returns each document with the
// 1-based line number where it starts.
func SplitDocuments(text string) (docs []string, lines []int) {
	var cur strings.Builder
	start, n := 1, 0
	flush := func() {
		if hasContent(cur.String()) {
			docs = append(docs, cur.String())
			lines = append(lines, start)
		}
		cur.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), len(text)+1)
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimRight(line, " \t") == "---" || strings.HasPrefix(line, "--- ") {
			flush()
			start = n + 1
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	flush()
	return docs, lines
}

func hasContent(doc string) bool {
	for _, l := range strings.Split(doc, "\n") {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}

// DecodeManifest strictly decodes every document of one rendered template. Unknown fields,
// wrong types and duplicate keys are errors, as are kinds this package does not know and
// names or labels that Kubernetes would reject. Errors name the source and document line.
func DecodeManifest(source, text string) ([]Object, error) {
	docs, lines := SplitDocuments(text)
	var out []Object
	for i, doc := range docs {
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			return nil, fmt.Errorf("%s: document %d (line %d): %w", source, i, lines[i], err)
		}
		typed, ok := newTyped(meta.APIVersion, meta.Kind)
		if !ok {
			return nil, fmt.Errorf("%s: document %d (line %d): %w %q %q", source, i, lines[i], ErrUnknownKind, meta.APIVersion, meta.Kind)
		}
		if err := yaml.UnmarshalStrict([]byte(doc), typed); err != nil {
			return nil, fmt.Errorf("%s: document %d (line %d), %s: %w", source, i, lines[i], meta.Kind, err)
		}
		var generic any
		if err := yaml.Unmarshal([]byte(doc), &generic); err != nil {
			return nil, fmt.Errorf("%s: document %d (line %d): %w", source, i, lines[i], err)
		}
		if p := findNull(generic, ""); p != "" {
			return nil, fmt.Errorf("%s: document %d (line %d), %s: %w at %s", source, i, lines[i], meta.Kind, ErrNullValue, p)
		}
		name := objectMeta(typed).Name
		o := Object{Source: source, Doc: i, APIVersion: meta.APIVersion, Kind: meta.Kind, Name: name, Value: typed}
		if err := validateMeta(o); err != nil {
			return nil, fmt.Errorf("%s: document %d (line %d): %w", source, i, lines[i], err)
		}
		out = append(out, o)
	}
	return out, nil
}

// validateMeta applies the API server's rules for names and labels that a strict decode does
// not catch.
func validateMeta(o Object) error {
	m := objectMeta(o.Value)
	var errs []string
	switch o.Kind {
	case "Service":
		// Service names are DNS-1035 labels.
		errs = validation.IsDNS1035Label(m.Name)
	case "CronJob":
		errs = validation.IsDNS1123Subdomain(m.Name)
		if len(m.Name) > 52 {
			errs = append(errs, "a CronJob name must be at most 52 characters")
		}
	default:
		errs = validation.IsDNS1123Subdomain(m.Name)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s %q: %s", ErrInvalidName, o.Kind, m.Name, strings.Join(errs, "; "))
	}
	if err := validateLabels("metadata.labels", m.Labels); err != nil {
		return fmt.Errorf("%s %q: %w", o.Kind, m.Name, err)
	}
	for k := range m.Annotations {
		if e := validation.IsQualifiedName(k); len(e) > 0 {
			return fmt.Errorf("%w: %s %q: annotation key %q: %s", ErrInvalidName, o.Kind, m.Name, k, strings.Join(e, "; "))
		}
	}
	if pt := podTemplate(o.Value); pt != nil {
		if err := validateLabels("pod template labels", pt.Labels); err != nil {
			return fmt.Errorf("%s %q: %w", o.Kind, m.Name, err)
		}
	}
	return nil
}

func validateLabels(where string, labels map[string]string) error {
	for k, v := range labels {
		if e := validation.IsQualifiedName(k); len(e) > 0 {
			return fmt.Errorf("%w: %s key %q: %s", ErrInvalidName, where, k, strings.Join(e, "; "))
		}
		if e := validation.IsValidLabelValue(v); len(e) > 0 {
			return fmt.Errorf("%w: %s %q value %q: %s", ErrInvalidName, where, k, v, strings.Join(e, "; "))
		}
	}
	return nil
}

// findNull returns the path of the first null in v ("" when there is none).
func findNull(v any, path string) string {
	switch t := v.(type) {
	case nil:
		if path == "" {
			return "."
		}
		return path
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p := findNull(t[k], path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range t {
			if p := findNull(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}
