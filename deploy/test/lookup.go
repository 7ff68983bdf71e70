package deploytest

import (
	"fmt"
	"strings"

	"helm.sh/helm/v3/pkg/engine"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	dynamicfake "k8s.io/client-go/dynamic/fake"
)

// fakeClientProvider serves the chart's `lookup` calls from an in-memory cluster: the Helm
// engine's real lookup function runs against a fake dynamic client holding the live objects,
// so the guarded-lookup code path of an upgrade is exercised without a cluster.
type fakeClientProvider struct {
	client *dynamicfake.FakeDynamicClient
}

var _ engine.ClientProvider = fakeClientProvider{}

// namespacedKinds maps the kinds the chart may look up to their resource names.
var namespacedKinds = map[string]string{
	"Secret":         "secrets",
	"ConfigMap":      "configmaps",
	"ServiceAccount": "serviceaccounts",
	"Service":        "services",
	"Deployment":     "deployments",
	"CronJob":        "cronjobs",
}

func newFakeClientProvider(live []map[string]any) (fakeClientProvider, error) {
	listKinds := map[schema.GroupVersionResource]string{}
	var objs []runtime.Object
	for i, m := range live {
		u := &unstructured.Unstructured{Object: deepCopyMap(m)}
		gvk := u.GroupVersionKind()
		res, ok := namespacedKinds[gvk.Kind]
		if !ok || gvk.Version == "" {
			return fakeClientProvider{}, fmt.Errorf("live object %d (%s %q): %w %q %q", i, gvk.Kind, u.GetName(), ErrUnknownKind, u.GetAPIVersion(), gvk.Kind)
		}
		listKinds[gvk.GroupVersion().WithResource(res)] = gvk.Kind + "List"
		objs = append(objs, u)
	}
	// Register list kinds for every kind the chart may ask for, even without live objects.
	for kind, res := range namespacedKinds {
		gv := schema.GroupVersion{Version: "v1"}
		switch kind {
		case "Deployment":
			gv.Group = "apps"
		case "CronJob":
			gv.Group = "batch"
		}
		listKinds[gv.WithResource(res)] = kind + "List"
	}
	return fakeClientProvider{client: dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), listKinds, objs...)}, nil
}

// GetClientFor implements engine.ClientProvider.
func (p fakeClientProvider) GetClientFor(apiVersion, kind string) (dynamic.NamespaceableResourceInterface, bool, error) {
	res, ok := namespacedKinds[kind]
	if !ok {
		return nil, false, fmt.Errorf("lookup %s %s: %w", apiVersion, kind, ErrUnknownKind)
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, false, fmt.Errorf("lookup %s %s: %w", apiVersion, kind, err)
	}
	return p.client.Resource(gv.WithResource(strings.ToLower(res))), true, nil
}

// Live returns the rendered objects of the given kinds as the cluster would hold them after
// an install (in the release namespace), ready for RenderOptions.Live of an upgrade render.
func (r *Rendered) Live(kinds ...string) ([]map[string]any, error) {
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var out []map[string]any
	for _, o := range r.Objects {
		if !want[o.Kind] {
			continue
		}
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o, err)
		}
		u := &unstructured.Unstructured{Object: m}
		u.SetAPIVersion(o.APIVersion)
		u.SetKind(o.Kind)
		u.SetNamespace(r.Namespace)
		out = append(out, u.Object)
	}
	return out, nil
}
