package deploytest

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// objectMeta returns the metadata of a typed object (zero metadata for other values).
func objectMeta(v any) metav1.ObjectMeta {
	if a, ok := v.(metav1.ObjectMetaAccessor); ok {
		if m, ok := a.GetObjectMeta().(*metav1.ObjectMeta); ok && m != nil {
			return *m
		}
	}
	return metav1.ObjectMeta{}
}

// podTemplate returns the pod template of a workload object, or nil for other kinds.
func podTemplate(v any) *corev1.PodTemplateSpec {
	switch o := v.(type) {
	case *appsv1.Deployment:
		return &o.Spec.Template
	case *batchv1.CronJob:
		return &o.Spec.JobTemplate.Spec.Template
	case *batchv1.Job:
		return &o.Spec.Template
	}
	return nil
}
