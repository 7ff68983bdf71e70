package deploytest

import (
	"errors"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// ErrContract reports a rendered object that breaks a rule every render must keep.
var ErrContract = errors.New("chart contract violated")

// workloads returns every rendered object that has a pod template.
func (r *Rendered) workloads() []Object {
	var out []Object
	for _, o := range r.Objects {
		if podTemplate(o.Value) != nil {
			out = append(out, o)
		}
	}
	return out
}

// CheckGeneric runs the checks every render must pass, whatever the values: selectors match
// their pods, references resolve, pods are locked down, probes and mounts point at real
// ports and volumes, no object sets its own namespace.
func CheckGeneric(r *Rendered, ex Existing) error {
	return errors.Join(
		CheckSelectors(r),
		CheckRefs(r, ex),
		CheckPodSecurity(r),
		CheckPodWiring(r),
		CheckNoNamespace(r),
	)
}

// CheckNoNamespace fails for objects that hard-code metadata.namespace (the release namespace
// must apply).
func CheckNoNamespace(r *Rendered) error {
	var errs []error
	for _, o := range r.Objects {
		if ns := objectMeta(o.Value).Namespace; ns != "" {
			errs = append(errs, fmt.Errorf("%w: %s sets metadata.namespace %q", ErrContract, o, ns))
		}
	}
	return errors.Join(errs...)
}

// CheckSelectors verifies that every Deployment selector matches its own pod labels, that
// every Service, PodDisruptionBudget and NetworkPolicy selects the pods of exactly one
// workload (and never the sdb jobs' pods), and that Ingress backends name a rendered Service
// port.
func CheckSelectors(r *Rendered) error {
	var errs []error
	pods := map[string]labels.Set{}
	for _, o := range r.workloads() {
		pods[o.Kind+"/"+o.Name] = labels.Set(podTemplate(o.Value).Labels)
	}
	matching := func(sel labels.Selector) []string {
		var out []string
		for k, l := range pods {
			if sel.Matches(l) {
				out = append(out, k)
			}
		}
		return out
	}
	for _, o := range r.Objects {
		switch v := o.Value.(type) {
		case *appsv1.Deployment:
			sel, err := metav1.LabelSelectorAsSelector(v.Spec.Selector)
			if err != nil || v.Spec.Selector == nil || sel.Empty() {
				errs = append(errs, fmt.Errorf("%w: %s: empty or bad selector: %v", ErrContract, o, err))
				continue
			}
			if !sel.Matches(labels.Set(v.Spec.Template.Labels)) {
				errs = append(errs, fmt.Errorf("%w: %s: selector %s does not match pod labels %v", ErrContract, o, sel, v.Spec.Template.Labels))
			}
		case *corev1.Service:
			if len(v.Spec.Selector) == 0 {
				errs = append(errs, fmt.Errorf("%w: %s: no selector", ErrContract, o))
				continue
			}
			m := matching(labels.SelectorFromSet(v.Spec.Selector))
			if len(m) != 1 || m[0][:len("Deployment/")] != "Deployment/" {
				errs = append(errs, fmt.Errorf("%w: %s: selector %v matches %v, want exactly the Deployment", ErrContract, o, v.Spec.Selector, m))
			}
		case *policyv1.PodDisruptionBudget:
			errs = append(errs, checkOneDeployment(o, v.Spec.Selector, matching))
		case *networkingv1.NetworkPolicy:
			errs = append(errs, checkOneDeployment(o, &v.Spec.PodSelector, matching))
		case *networkingv1.Ingress:
			errs = append(errs, checkIngressBackends(r, o, v))
		}
	}
	return errors.Join(errs...)
}

func checkOneDeployment(o Object, ls *metav1.LabelSelector, matching func(labels.Selector) []string) error {
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil || ls == nil || sel.Empty() {
		return fmt.Errorf("%w: %s: empty or bad selector: %v", ErrContract, o, err)
	}
	m := matching(sel)
	if len(m) != 1 || m[0][:len("Deployment/")] != "Deployment/" {
		return fmt.Errorf("%w: %s: selector %s matches %v, want exactly the Deployment", ErrContract, o, sel, m)
	}
	return nil
}

func checkIngressBackends(r *Rendered, o Object, ing *networkingv1.Ingress) error {
	var errs []error
	if len(ing.Spec.Rules) == 0 {
		errs = append(errs, fmt.Errorf("%w: %s: no rules", ErrContract, o))
	}
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil || len(rule.HTTP.Paths) == 0 {
			errs = append(errs, fmt.Errorf("%w: %s: rule %q has no paths", ErrContract, o, rule.Host))
			continue
		}
		for _, p := range rule.HTTP.Paths {
			b := p.Backend.Service
			if b == nil {
				errs = append(errs, fmt.Errorf("%w: %s: path %s has no service backend", ErrContract, o, p.Path))
				continue
			}
			so, ok := r.Get("Service", b.Name)
			if !ok {
				errs = append(errs, fmt.Errorf("%w: %s: backend Service %q not rendered", ErrContract, o, b.Name))
				continue
			}
			found := false
			for _, sp := range so.Value.(*corev1.Service).Spec.Ports {
				if (b.Port.Number != 0 && sp.Port == b.Port.Number) || (b.Port.Name != "" && sp.Name == b.Port.Name) {
					found = true
				}
			}
			if !found {
				errs = append(errs, fmt.Errorf("%w: %s: backend port %+v not a port of Service %s", ErrContract, o, b.Port, b.Name))
			}
		}
	}
	return errors.Join(errs...)
}

// CheckRefs resolves every container environment of every workload: each secretKeyRef and
// configMapKeyRef names a rendered (or declared existing) object and, unless optional, a key
// it has. It also checks that service accounts exist when the chart creates them.
func CheckRefs(r *Rendered, ex Existing) error {
	var errs []error
	for _, o := range r.workloads() {
		spec := &podTemplate(o.Value).Spec
		for _, c := range append(append([]corev1.Container(nil), spec.InitContainers...), spec.Containers...) {
			if _, err := r.containerCommand(o, spec, c.Name, ex); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// CheckPodSecurity verifies the restrictive security context of every pod and container:
// non-root, read-only root filesystem, no privilege escalation, all capabilities dropped,
// RuntimeDefault seccomp, and resources set.
func CheckPodSecurity(r *Rendered) error {
	var errs []error
	for _, o := range r.workloads() {
		spec := podTemplate(o.Value).Spec
		psc := spec.SecurityContext
		if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
			errs = append(errs, fmt.Errorf("%w: %s: pod securityContext.runAsNonRoot is not true", ErrContract, o))
		}
		if psc != nil && psc.RunAsUser != nil && *psc.RunAsUser == 0 {
			errs = append(errs, fmt.Errorf("%w: %s: pod runs as uid 0", ErrContract, o))
		}
		podSeccomp := psc != nil && psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
		for _, c := range spec.Containers {
			where := fmt.Sprintf("%s container %s", o, c.Name)
			sc := c.SecurityContext
			if sc == nil {
				errs = append(errs, fmt.Errorf("%w: %s: no securityContext", ErrContract, where))
				continue
			}
			if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				errs = append(errs, fmt.Errorf("%w: %s: readOnlyRootFilesystem is not true", ErrContract, where))
			}
			if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				errs = append(errs, fmt.Errorf("%w: %s: allowPrivilegeEscalation is not false", ErrContract, where))
			}
			if sc.Privileged != nil && *sc.Privileged {
				errs = append(errs, fmt.Errorf("%w: %s: privileged", ErrContract, where))
			}
			if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
				errs = append(errs, fmt.Errorf("%w: %s: runs as uid 0", ErrContract, where))
			}
			dropAll := false
			if sc.Capabilities != nil {
				for _, d := range sc.Capabilities.Drop {
					dropAll = dropAll || d == "ALL"
				}
				if len(sc.Capabilities.Add) > 0 {
					errs = append(errs, fmt.Errorf("%w: %s: adds capabilities %v", ErrContract, where, sc.Capabilities.Add))
				}
			}
			if !dropAll {
				errs = append(errs, fmt.Errorf("%w: %s: capabilities do not drop ALL", ErrContract, where))
			}
			seccomp := podSeccomp
			if sc.SeccompProfile != nil {
				seccomp = sc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
			}
			if !seccomp {
				errs = append(errs, fmt.Errorf("%w: %s: seccomp profile is not RuntimeDefault", ErrContract, where))
			}
			if len(c.Resources.Requests) == 0 {
				errs = append(errs, fmt.Errorf("%w: %s: no resource requests", ErrContract, where))
			}
		}
	}
	return errors.Join(errs...)
}

// CheckPodWiring verifies that volume mounts name volumes of the pod, that probe and Service
// target ports name container ports, and that a read-only root filesystem still leaves a
// writable /tmp.
func CheckPodWiring(r *Rendered) error {
	var errs []error
	for _, o := range r.workloads() {
		spec := podTemplate(o.Value).Spec
		vols := map[string]bool{}
		for _, v := range spec.Volumes {
			vols[v.Name] = true
			if v.VolumeSource == (corev1.VolumeSource{}) {
				errs = append(errs, fmt.Errorf("%w: %s: volume %s has no source", ErrContract, o, v.Name))
			}
		}
		for _, c := range spec.Containers {
			where := fmt.Sprintf("%s container %s", o, c.Name)
			mounts := map[string]bool{}
			for _, m := range c.VolumeMounts {
				mounts[m.MountPath] = true
				if !vols[m.Name] {
					errs = append(errs, fmt.Errorf("%w: %s: mount %s names no volume", ErrContract, where, m.Name))
				}
			}
			if c.SecurityContext != nil && c.SecurityContext.ReadOnlyRootFilesystem != nil && *c.SecurityContext.ReadOnlyRootFilesystem && !mounts["/tmp"] {
				errs = append(errs, fmt.Errorf("%w: %s: read-only root filesystem without a /tmp volume", ErrContract, where))
			}
			for _, p := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
				if p == nil || p.HTTPGet == nil {
					continue
				}
				if _, ok := containerPort(c, p.HTTPGet.Port); !ok {
					errs = append(errs, fmt.Errorf("%w: %s: probe port %s is not a container port", ErrContract, where, p.HTTPGet.Port.String()))
				}
			}
		}
	}
	for _, o := range r.OfKind("Service") {
		svc := o.Value.(*corev1.Service)
		pods := r.podsSelectedBy(svc.Spec.Selector)
		for _, sp := range svc.Spec.Ports {
			for _, pod := range pods {
				ok := false
				for _, c := range pod.Spec.Containers {
					if _, found := containerPort(c, sp.TargetPort); found {
						ok = true
					}
				}
				if !ok {
					errs = append(errs, fmt.Errorf("%w: %s: targetPort %s of port %s is not a port of the selected pods", ErrContract, o, sp.TargetPort.String(), sp.Name))
				}
			}
		}
	}
	return errors.Join(errs...)
}

func (r *Rendered) podsSelectedBy(sel map[string]string) []*corev1.PodTemplateSpec {
	var out []*corev1.PodTemplateSpec
	if len(sel) == 0 {
		return nil
	}
	s := labels.SelectorFromSet(sel)
	for _, o := range r.workloads() {
		pt := podTemplate(o.Value)
		if s.Matches(labels.Set(pt.Labels)) {
			out = append(out, pt)
		}
	}
	return out
}

// containerPort resolves a named or numeric port against the container's ports. A zero
// target port means "same as the service port" and is not resolved here.
func containerPort(c corev1.Container, p intstr.IntOrString) (int32, bool) {
	for _, cp := range c.Ports {
		if (p.Type == intstr.String && cp.Name == p.StrVal) || (p.Type == intstr.Int && cp.ContainerPort == p.IntVal) {
			return cp.ContainerPort, true
		}
	}
	return 0, false
}

// typed returns the rendered object of kind and name, as its k8s.io/api type T.
func typed[T any](r *Rendered, kind, name string) (T, error) {
	o, ok := r.Get(kind, name)
	v, isT := o.Value.(T)
	if !ok || !isT {
		return v, fmt.Errorf("%s %s: %w", kind, name, ErrNotRendered)
	}
	return v, nil
}

// Deployment returns the typed Deployment of name.
func (r *Rendered) Deployment(name string) (*appsv1.Deployment, error) {
	return typed[*appsv1.Deployment](r, "Deployment", name)
}

// CronJob returns the typed CronJob of name.
func (r *Rendered) CronJob(name string) (*batchv1.CronJob, error) {
	return typed[*batchv1.CronJob](r, "CronJob", name)
}

// Service returns the typed Service of name.
func (r *Rendered) Service(name string) (*corev1.Service, error) {
	return typed[*corev1.Service](r, "Service", name)
}

// Secret returns the typed Secret of name.
func (r *Rendered) Secret(name string) (*corev1.Secret, error) {
	return typed[*corev1.Secret](r, "Secret", name)
}
