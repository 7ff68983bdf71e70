package deploytest

import (
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// ErrDanglingRef reports an env reference to a Secret or ConfigMap (or a key of one) that
// neither the chart renders nor the caller declares as existing.
var ErrDanglingRef = errors.New("reference to a missing object or key")

// ErrNotRendered reports that an expected object is absent from a render.
var ErrNotRendered = errors.New("object not rendered")

// Command is what a container of the chart runs: image, arguments and the environment with
// every reference resolved to its value. It is what a local test needs to start the real
// binary the way the cluster would.
type Command struct {
	// Object is the workload ("Deployment/sneller-snellerd").
	Object    string
	Container string
	Image     string
	Command   []string
	Args      []string
	// Env holds the resolved variables. Optional references to an absent key are left out,
	// as the kubelet does.
	Env map[string]string
	// EnvOrder lists the variable names in declaration order.
	EnvOrder []string
	// External lists the variables whose value comes from an object the chart does not
	// render (an existing Secret or ConfigMap); their value is the one given in Existing.
	External []string
}

// Existing describes Secrets and ConfigMaps that exist in the cluster without being rendered
// (useExistingSecret). Maps are name -> key -> value (plain text, not base64).
type Existing struct {
	Secrets    map[string]map[string]string
	ConfigMaps map[string]map[string]string
}

// SnellerdCommand returns the snellerd container of the Deployment named name.
func (r *Rendered) SnellerdCommand(name string, ex Existing) (Command, error) {
	return r.workloadCommand("Deployment", name, ex)
}

// SdbCommand returns the sdb container of the CronJob named name.
func (r *Rendered) SdbCommand(name string, ex Existing) (Command, error) {
	return r.workloadCommand("CronJob", name, ex)
}

// workloadCommand returns the container named name (or the only container) of the workload
// object of kind and name.
func (r *Rendered) workloadCommand(kind, name string, ex Existing) (Command, error) {
	o, ok := r.Get(kind, name)
	if !ok {
		return Command{}, fmt.Errorf("%s %s: %w", kind, name, ErrNotRendered)
	}
	return r.containerCommand(o, &podTemplate(o.Value).Spec, name, ex)
}

func (r *Rendered) containerCommand(o Object, spec *corev1.PodSpec, container string, ex Existing) (Command, error) {
	var ct *corev1.Container
	for i := range spec.Containers {
		if spec.Containers[i].Name == container {
			ct = &spec.Containers[i]
		}
	}
	if ct == nil {
		if len(spec.Containers) != 1 {
			return Command{}, fmt.Errorf("%s: container %s: %w", o, container, ErrNotRendered)
		}
		ct = &spec.Containers[0]
	}
	cmd := Command{
		Object:    o.Kind + "/" + o.Name,
		Container: ct.Name,
		Image:     ct.Image,
		Command:   append([]string(nil), ct.Command...),
		Args:      append([]string(nil), ct.Args...),
		Env:       map[string]string{},
	}
	for _, e := range ct.Env {
		val, present, external, err := r.resolveEnv(e, ex)
		if err != nil {
			return Command{}, fmt.Errorf("%s container %s: env %s: %w", o, ct.Name, e.Name, err)
		}
		if !present {
			continue
		}
		if _, dup := cmd.Env[e.Name]; dup {
			return Command{}, fmt.Errorf("%s container %s: env %s declared twice", o, ct.Name, e.Name)
		}
		cmd.Env[e.Name] = val
		cmd.EnvOrder = append(cmd.EnvOrder, e.Name)
		if external {
			cmd.External = append(cmd.External, e.Name)
		}
	}
	if len(ct.EnvFrom) > 0 {
		return Command{}, fmt.Errorf("%s container %s: envFrom is not resolved by this package", o, ct.Name)
	}
	return cmd, nil
}

// resolveEnv returns the value of one variable. present is false for an optional reference
// to an absent key. The referenced object must exist even for optional references: a chart
// that points at an object it never creates is wrong.
func (r *Rendered) resolveEnv(e corev1.EnvVar, ex Existing) (val string, present, external bool, err error) {
	if e.ValueFrom == nil {
		return e.Value, true, false, nil
	}
	var (
		kind, name, key string
		optional        *bool
		data            map[string]string
		found           bool
	)
	switch {
	case e.ValueFrom.SecretKeyRef != nil:
		ref := e.ValueFrom.SecretKeyRef
		kind, name, key, optional = "Secret", ref.Name, ref.Key, ref.Optional
		data, external, found = r.secretData(name, ex)
	case e.ValueFrom.ConfigMapKeyRef != nil:
		ref := e.ValueFrom.ConfigMapKeyRef
		kind, name, key, optional = "ConfigMap", ref.Name, ref.Key, ref.Optional
		data, external, found = r.configMapData(name, ex)
	default:
		return "", false, false, fmt.Errorf("valueFrom kind not resolved by this package")
	}
	if !found {
		return "", false, false, fmt.Errorf("%w: %s %q", ErrDanglingRef, kind, name)
	}
	v, ok := data[key]
	if !ok {
		if optional != nil && *optional {
			return "", false, external, nil
		}
		return "", false, external, fmt.Errorf("%w: %s %q has no key %q", ErrDanglingRef, kind, name, key)
	}
	return v, true, external, nil
}

func (r *Rendered) secretData(name string, ex Existing) (map[string]string, bool, bool) {
	if o, ok := r.Get("Secret", name); ok {
		s := o.Value.(*corev1.Secret)
		out := map[string]string{}
		for k, v := range s.Data {
			out[k] = string(v)
		}
		for k, v := range s.StringData {
			out[k] = v
		}
		return out, false, true
	}
	if d, ok := ex.Secrets[name]; ok {
		return d, true, true
	}
	return nil, false, false
}

func (r *Rendered) configMapData(name string, ex Existing) (map[string]string, bool, bool) {
	if o, ok := r.Get("ConfigMap", name); ok {
		return o.Value.(*corev1.ConfigMap).Data, false, true
	}
	if d, ok := ex.ConfigMaps[name]; ok {
		return d, true, true
	}
	return nil, false, false
}

// ReleaseCommands renders the chart at chartDir as release `sneller` in namespace `sneller`
// with the given values (helm --set style assignments in set) and returns what the snellerd
// and sdb containers run, with every environment reference resolved. It is the entry point
// for tests that start the real binaries the way the cluster would.
func ReleaseCommands(chartDir string, values map[string]any, set []string) (snellerd, sdb Command, err error) {
	r, err := Render(RenderOptions{ChartDir: chartDir, Values: values, Set: set})
	if err != nil {
		return Command{}, Command{}, err
	}
	dep := r.OfKind("Deployment")
	cj := r.OfKind("CronJob")
	if len(dep) != 1 || len(cj) != 1 {
		return Command{}, Command{}, fmt.Errorf("%w: want one Deployment and one CronJob, have %d and %d", ErrNotRendered, len(dep), len(cj))
	}
	if snellerd, err = r.SnellerdCommand(dep[0].Name, Existing{}); err != nil {
		return Command{}, Command{}, err
	}
	if sdb, err = r.SdbCommand(cj[0].Name, Existing{}); err != nil {
		return Command{}, Command{}, err
	}
	return snellerd, sdb, nil
}
