package deploytest

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// valueSet is one file of charts/sneller/ci with what a render of it must contain. The
// expectations are written from the contract (deploy brief, brief.md §2), not from the
// templates.
type valueSet struct {
	file string

	replicas      int32
	snellerdImage string
	sdbImage      string
	pullPolicy    corev1.PullPolicy
	serviceType   corev1.ServiceType

	// names of the workload objects (release `sneller`)
	snellerdName string
	sdbName      string
	configMap    string
	s3Secret     string
	tokenSecret  string
	indexSecret  string

	// service accounts: the pods' names, and those the chart creates with their role ARN
	snellerdSA string
	sdbSA      string
	createdSAs map[string]string

	// environment
	region     string
	bucket     string
	endpoint   string // "" means S3_ENDPOINT must be absent
	staticKeys bool
	token      string // "" means generated (32 characters)
	indexKey   string // "" means generated
	existing   Existing

	// sdb
	schedule  string
	database  string
	pattern   string
	batchSize string

	// ingress
	ingressHosts []string // nil means no Ingress; "" is a rule without a host
	ingressClass string
	tlsHosts     []string

	podLabels    map[string]string
	nodeSelector map[string]string
	tolerations  int
	affinity     bool
	pdb          bool
	netpol       bool
}

var defaults = valueSet{
	replicas:      3,
	snellerdImage: "ghcr.io/sneller-re/snellerd:0.1.0",
	sdbImage:      "ghcr.io/sneller-re/sdb:0.1.0",
	pullPolicy:    corev1.PullIfNotPresent,
	serviceType:   corev1.ServiceTypeClusterIP,
	snellerdName:  "sneller-snellerd",
	sdbName:       "sneller-sdb",
	configMap:     "sneller-s3",
	s3Secret:      "sneller-s3",
	tokenSecret:   "sneller-token",
	indexSecret:   "sneller-index",
	region:        "us-east-1",
	schedule:      "* * * * *",
	database:      "default",
	pattern:       "*",
	batchSize:     "1073741824",
}

func valueSets() []valueSet {
	def := defaults
	def.file = "defaults-values.yaml"

	irsa := defaults
	irsa.file = "irsa-values.yaml"
	irsa.snellerdImage = "123456789012.dkr.ecr.us-west-2.amazonaws.com/snellerd:0.1.0"
	irsa.sdbImage = "123456789012.dkr.ecr.us-west-2.amazonaws.com/sdb:0.1.0"
	irsa.snellerdSA, irsa.sdbSA = "snellerd", "sdb"
	irsa.createdSAs = map[string]string{
		"snellerd": "arn:aws:iam::123456789012:role/abcd-snellerd",
		"sdb":      "arn:aws:iam::123456789012:role/abcd-sdb",
	}
	irsa.region = "us-west-2"
	irsa.bucket = "s3://abcd-sneller-ingest"
	irsa.token = "0123456789abcdefghijABCDEFGHIJxy"
	irsa.indexKey = "4AiJmIzLvMAP8A/1XdmbuzdwDduxHdu4hVRO7//7vd8="
	irsa.database, irsa.pattern = "tutorial", "table1"

	ing := defaults
	ing.file = "ingress-tls-values.yaml"
	ing.serviceType = corev1.ServiceTypeNodePort
	ing.ingressHosts = []string{"sneller.example.com", "query.example.com"}
	ing.ingressClass = "alb"
	ing.tlsHosts = []string{"sneller.example.com", "query.example.com"}
	ing.bucket = "s3://abcd-sneller-ingest" // the trailing slash of the value is dropped

	ex := defaults
	ex.file = "existing-secrets-values.yaml"
	ex.snellerdSA, ex.sdbSA = "snellerd", "sdb"
	ex.configMap, ex.s3Secret, ex.tokenSecret, ex.indexSecret = "my-storage", "my-aws", "my-token", "my-index"
	ex.endpoint = "http://minio.storage.svc:9000"
	ex.bucket = "s3://test"
	ex.existing = Existing{Secrets: map[string]map[string]string{
		"my-aws":   {"awsRegion": "eu-central-1", "awsAccessKeyId": "AK", "awsSecretAccessKey": "SK"},
		"my-token": {"snellerToken": "existing-token"},
		"my-index": {"snellerIndexKey": "4AiJmIzLvMAP8A/1XdmbuzdwDduxHdu4hVRO7//7vd8="},
	}}
	ex.region = "eu-central-1"
	ex.staticKeys = true
	ex.token = "existing-token"
	ex.indexKey = "4AiJmIzLvMAP8A/1XdmbuzdwDduxHdu4hVRO7//7vd8="

	sched := defaults
	sched.file = "scheduling-values.yaml"
	sched.podLabels = map[string]string{"team": "analytics", "app.kubernetes.io/part-of": "sneller"}
	sched.nodeSelector = map[string]string{"kubernetes.io/arch": "amd64", "node.kubernetes.io/instance-type": "m7i.large"}
	sched.tolerations = 1
	sched.affinity = true
	sched.pdb = true
	sched.netpol = true

	leg := defaults
	leg.file = "legacy-values.yaml"
	leg.replicas = 2
	leg.snellerdImage = "snellerinc/snellerd:latest"
	leg.sdbImage = "snellerinc/sdb:latest"
	leg.pullPolicy = corev1.PullAlways
	leg.snellerdSA, leg.sdbSA = "snellerd", "sdb"
	leg.region = "eu-west-1"
	leg.staticKeys = true
	leg.endpoint = "http://minio:9000"
	leg.bucket = "s3://test"
	leg.token = "legacy-token"
	leg.schedule = "*/5 * * * *"
	leg.database, leg.pattern, leg.batchSize = "tutorial", "table*", "104857600"
	leg.ingressHosts = []string{"sneller.example.org"}

	return []valueSet{def, irsa, ing, ex, sched, leg}
}

// TestCIValueSetsCovered makes sure every file in charts/sneller/ci has expectations here.
func TestCIValueSetsCovered(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(chartDir(t), "ci", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, vs := range valueSets() {
		want = append(want, vs.file)
	}
	var got []string
	for _, f := range files {
		got = append(got, filepath.Base(f))
	}
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ci value sets %v, expectations for %v", got, want)
	}
}

// TestLintStrict is `helm lint --strict` with the defaults and every ci value set.
func TestLintStrict(t *testing.T) {
	t.Run("no-values", func(t *testing.T) {
		if _, err := Lint(chartDir(t), "sneller", nil, nil); err != nil {
			t.Fatal(err)
		}
	})
	for _, vs := range valueSets() {
		t.Run(vs.file, func(t *testing.T) {
			if _, err := Lint(chartDir(t), "sneller", []string{ciFile(t, vs.file)}, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestRenderContract renders every ci value set, decodes it strictly and checks the
// contract of the snellerd and sdb binaries and the objects users rely on.
func TestRenderContract(t *testing.T) {
	for _, vs := range valueSets() {
		t.Run(vs.file, func(t *testing.T) {
			r := render(t, RenderOptions{ValueFiles: []string{ciFile(t, vs.file)}})
			if err := CheckGeneric(r, vs.existing); err != nil {
				t.Fatal(err)
			}
			checkObjectSet(t, r, vs)
			checkSecrets(t, r, vs)
			checkServices(t, r, vs)
			checkSnellerd(t, r, vs)
			checkSdb(t, r, vs)
			checkIngress(t, r, vs)
			checkServiceAccounts(t, r, vs)
			checkScheduling(t, r, vs)
			checkNotes(t, r, vs)
		})
	}
}

// checkObjectSet: exactly the expected objects, no more.
func checkObjectSet(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	want := []string{
		"ConfigMap/" + vs.configMap,
		"Deployment/" + vs.snellerdName,
		"Service/" + vs.snellerdName,
		"Service/" + vs.snellerdName + "-headless",
		"CronJob/" + vs.sdbName,
	}
	if vs.existing.Secrets[vs.s3Secret] == nil {
		want = append(want, "Secret/"+vs.s3Secret)
	}
	if vs.existing.Secrets[vs.tokenSecret] == nil {
		want = append(want, "Secret/"+vs.tokenSecret)
	}
	if vs.existing.Secrets[vs.indexSecret] == nil {
		want = append(want, "Secret/"+vs.indexSecret)
	}
	for name := range vs.createdSAs {
		want = append(want, "ServiceAccount/"+name)
	}
	if vs.ingressHosts != nil {
		want = append(want, "Ingress/"+vs.snellerdName)
	}
	if vs.pdb {
		want = append(want, "PodDisruptionBudget/"+vs.snellerdName)
	}
	if vs.netpol {
		want = append(want, "NetworkPolicy/"+vs.snellerdName)
	}
	var got []string
	for _, o := range r.Objects {
		got = append(got, o.Kind+"/"+o.Name)
	}
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("objects:\n got %v\nwant %v", got, want)
	}
}

func checkSecrets(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	if vs.existing.Secrets[vs.tokenSecret] == nil {
		s, err := r.Secret(vs.tokenSecret)
		if err != nil {
			t.Fatal(err)
		}
		tok := string(s.Data["snellerToken"])
		if vs.token != "" && tok != vs.token {
			t.Errorf("token %q, want %q", tok, vs.token)
		}
		if vs.token == "" && len(tok) != 32 {
			t.Errorf("generated token %q: want 32 characters", tok)
		}
		if keys := mapKeys(s.Data); !reflect.DeepEqual(keys, []string{"snellerToken"}) {
			t.Errorf("token secret keys %v", keys)
		}
	}
	if vs.existing.Secrets[vs.indexSecret] == nil {
		s, err := r.Secret(vs.indexSecret)
		if err != nil {
			t.Fatal(err)
		}
		key := string(s.Data["snellerIndexKey"])
		if err := CheckIndexKey(key); err != nil {
			t.Error(err)
		}
		if vs.indexKey != "" && key != vs.indexKey {
			t.Errorf("index key %q, want %q", key, vs.indexKey)
		}
	}
	if vs.existing.Secrets[vs.s3Secret] == nil {
		s, err := r.Secret(vs.s3Secret)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(s.Data["awsRegion"]); got != vs.region {
			t.Errorf("awsRegion %q, want %q", got, vs.region)
		}
		_, id := s.Data["awsAccessKeyId"]
		_, secret := s.Data["awsSecretAccessKey"]
		if id != vs.staticKeys || secret != vs.staticKeys {
			t.Errorf("static keys present: id %v secret %v, want %v", id, secret, vs.staticKeys)
		}
	}
	if _, ok := r.Get("ConfigMap", vs.configMap); !ok {
		t.Errorf("ConfigMap %s not rendered", vs.configMap)
	}
}

func checkServices(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	svc, err := r.Service(vs.snellerdName)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Spec.Type != vs.serviceType {
		t.Errorf("service type %q, want %q", svc.Spec.Type, vs.serviceType)
	}
	wantPort := []corev1.ServicePort{{Name: "snellerd", Port: 8000, TargetPort: intstr.FromString("snellerd"), Protocol: corev1.ProtocolTCP}}
	if !reflect.DeepEqual(svc.Spec.Ports, wantPort) {
		t.Errorf("service ports %+v", svc.Spec.Ports)
	}
	h, err := r.Service(vs.snellerdName + "-headless")
	if err != nil {
		t.Fatal(err)
	}
	if h.Spec.ClusterIP != corev1.ClusterIPNone || !h.Spec.PublishNotReadyAddresses {
		t.Errorf("headless service: clusterIP %q publishNotReadyAddresses %v", h.Spec.ClusterIP, h.Spec.PublishNotReadyAddresses)
	}
	wantPort = []corev1.ServicePort{{Name: "internode", Port: 8001, TargetPort: intstr.FromString("internode"), Protocol: corev1.ProtocolTCP}}
	if !reflect.DeepEqual(h.Spec.Ports, wantPort) {
		t.Errorf("headless ports %+v", h.Spec.Ports)
	}
}

func checkSnellerd(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	d, err := r.Deployment(vs.snellerdName)
	if err != nil {
		t.Fatal(err)
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas != vs.replicas {
		t.Errorf("replicas %v, want %d", d.Spec.Replicas, vs.replicas)
	}
	cmd, err := r.SnellerdCommand(vs.snellerdName, vs.existing)
	if err != nil {
		t.Fatal(err)
	}
	wantArgs := []string{"daemon", "-e", "0.0.0.0:8000", "-r", "0.0.0.0:8001", "-peers", "dns:" + vs.snellerdName + "-headless:8001"}
	if !reflect.DeepEqual(cmd.Args, wantArgs) || len(cmd.Command) != 0 {
		t.Errorf("snellerd command %q args %q, want args %q", cmd.Command, cmd.Args, wantArgs)
	}
	if cmd.Image != vs.snellerdImage {
		t.Errorf("snellerd image %q, want %q", cmd.Image, vs.snellerdImage)
	}
	want := wantStorageEnv(vs)
	want["CACHEDIR"] = "/var/cache/sneller"
	want["SNELLER_TOKEN"] = vs.token
	if vs.token == "" {
		want["SNELLER_TOKEN"] = cmd.Env["SNELLER_TOKEN"]
		if len(cmd.Env["SNELLER_TOKEN"]) != 32 {
			t.Errorf("SNELLER_TOKEN %q: want a generated 32-character token", cmd.Env["SNELLER_TOKEN"])
		}
	}
	if vs.file == "scheduling-values.yaml" {
		want["GOMAXPROCS"] = "2"
	}
	checkEnv(t, "snellerd", cmd, want, vs)

	c := d.Spec.Template.Spec.Containers[0]
	if len(d.Spec.Template.Spec.Containers) != 1 {
		t.Errorf("%d containers, want 1", len(d.Spec.Template.Spec.Containers))
	}
	if c.ImagePullPolicy != vs.pullPolicy {
		t.Errorf("pull policy %q, want %q", c.ImagePullPolicy, vs.pullPolicy)
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if !reflect.DeepEqual(ports, map[string]int32{"snellerd": 8000, "internode": 8001}) {
		t.Errorf("container ports %v", ports)
	}
	for name, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/ping" {
			t.Errorf("%s probe %+v: want GET /ping", name, p)
			continue
		}
		if port, ok := containerPort(c, p.HTTPGet.Port); !ok || port != 8000 {
			t.Errorf("%s probe port %s resolves to %d, want 8000", name, p.HTTPGet.Port.String(), port)
		}
		if p.HTTPGet.HTTPHeaders != nil {
			t.Errorf("%s probe sends headers (no token is needed for /ping)", name)
		}
	}
	// The cache directory is an emptyDir mounted where CACHEDIR points.
	var cacheVol string
	for _, m := range c.VolumeMounts {
		if m.MountPath == "/var/cache/sneller" {
			cacheVol = m.Name
		}
	}
	found := false
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Name == cacheVol && v.EmptyDir != nil {
			found = true
			if v.EmptyDir.SizeLimit == nil || v.EmptyDir.SizeLimit.IsZero() {
				t.Errorf("cache emptyDir without sizeLimit")
			}
		}
	}
	if !found {
		t.Errorf("no emptyDir mounted at /var/cache/sneller")
	}
	if d.Spec.Template.Spec.AutomountServiceAccountToken == nil || *d.Spec.Template.Spec.AutomountServiceAccountToken {
		t.Errorf("snellerd pods mount the Kubernetes API token; they never use it")
	}
	// The pods carry the legacy selector labels and the user's pod labels.
	pl := d.Spec.Template.Labels
	if pl["app"] != "snellerd" || pl["release"] != "sneller" {
		t.Errorf("pod labels %v lack app=snellerd,release=sneller", pl)
	}
	if !reflect.DeepEqual(d.Spec.Selector.MatchLabels, map[string]string{"app": "snellerd", "release": "sneller"}) {
		t.Errorf("selector %v: must stay app=snellerd,release=sneller (selectors are immutable)", d.Spec.Selector.MatchLabels)
	}
	for k, v := range vs.podLabels {
		if pl[k] != v {
			t.Errorf("pod label %s=%q, want %q", k, pl[k], v)
		}
	}
}

func checkSdb(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	cj, err := r.CronJob(vs.sdbName)
	if err != nil {
		t.Fatal(err)
	}
	s := cj.Spec
	if s.Schedule != vs.schedule {
		t.Errorf("schedule %q, want %q", s.Schedule, vs.schedule)
	}
	if s.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("concurrencyPolicy %q, want Forbid", s.ConcurrencyPolicy)
	}
	if s.StartingDeadlineSeconds == nil || *s.StartingDeadlineSeconds <= 0 {
		t.Errorf("no startingDeadlineSeconds")
	}
	if s.SuccessfulJobsHistoryLimit == nil || s.FailedJobsHistoryLimit == nil {
		t.Errorf("history limits unset")
	}
	js := s.JobTemplate.Spec
	if js.BackoffLimit == nil || *js.BackoffLimit > 6 {
		t.Errorf("backoffLimit %v: want a small explicit limit", js.BackoffLimit)
	}
	if js.Template.Spec.RestartPolicy != corev1.RestartPolicyNever && js.Template.Spec.RestartPolicy != corev1.RestartPolicyOnFailure {
		t.Errorf("restartPolicy %q", js.Template.Spec.RestartPolicy)
	}
	cmd, err := r.SdbCommand(vs.sdbName, vs.existing)
	if err != nil {
		t.Fatal(err)
	}
	wantArgs := []string{"sync", "-m", vs.batchSize, vs.database, vs.pattern}
	if !reflect.DeepEqual(cmd.Args, wantArgs) || len(cmd.Command) != 0 {
		t.Errorf("sdb command %q args %q, want args %q", cmd.Command, cmd.Args, wantArgs)
	}
	if cmd.Image != vs.sdbImage {
		t.Errorf("sdb image %q, want %q", cmd.Image, vs.sdbImage)
	}
	checkEnv(t, "sdb", cmd, wantStorageEnv(vs), vs)
	if l := js.Template.Labels; l["app"] != "sdb" || l["release"] != "sneller" {
		t.Errorf("sdb pod labels %v", l)
	}
}

// wantStorageEnv is the environment both binaries share.
func wantStorageEnv(vs valueSet) map[string]string {
	want := map[string]string{
		"AWS_REGION":        vs.region,
		"SNELLER_BUCKET":    vs.bucket,
		"SNELLER_INDEX_KEY": vs.indexKey,
	}
	if vs.endpoint != "" {
		want["S3_ENDPOINT"] = vs.endpoint
	}
	if vs.staticKeys {
		want["AWS_ACCESS_KEY_ID"] = "set"
		want["AWS_SECRET_ACCESS_KEY"] = "set"
	}
	return want
}

// checkEnv compares names exactly and values where the expectation is known ("set" means
// any non-empty value; an empty expected index key means a generated valid one).
func checkEnv(t *testing.T, who string, cmd Command, want map[string]string, vs valueSet) {
	t.Helper()
	if got, w := mapKeys(cmd.Env), mapKeys(want); !reflect.DeepEqual(got, w) {
		t.Errorf("%s env names %v, want %v", who, got, w)
	}
	for k, w := range want {
		g := cmd.Env[k]
		switch {
		case w == "set":
			if g == "" {
				t.Errorf("%s env %s empty", who, k)
			}
		case k == "SNELLER_INDEX_KEY" && w == "":
			if err := CheckIndexKey(g); err != nil {
				t.Errorf("%s SNELLER_INDEX_KEY: %v", who, err)
			}
		case g != w:
			t.Errorf("%s env %s=%q, want %q", who, k, g, w)
		}
	}
}

func checkIngress(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	o, ok := r.Get("Ingress", vs.snellerdName)
	if vs.ingressHosts == nil {
		if ok {
			t.Errorf("Ingress rendered although disabled")
		}
		return
	}
	if !ok {
		t.Fatalf("Ingress %s not rendered", vs.snellerdName)
	}
	ing := o.Value.(*networkingv1.Ingress)
	var hosts []string
	for _, rule := range ing.Spec.Rules {
		hosts = append(hosts, rule.Host)
		if len(rule.HTTP.Paths) != 1 {
			t.Errorf("rule %q: %d paths", rule.Host, len(rule.HTTP.Paths))
			continue
		}
		p := rule.HTTP.Paths[0]
		if p.Path != "/" || p.PathType == nil || *p.PathType != networkingv1.PathTypePrefix {
			t.Errorf("rule %q path %q type %v", rule.Host, p.Path, p.PathType)
		}
		if b := p.Backend.Service; b == nil || b.Name != vs.snellerdName || b.Port.Number != 8000 {
			t.Errorf("rule %q backend %+v", rule.Host, p.Backend)
		}
	}
	if !reflect.DeepEqual(hosts, vs.ingressHosts) {
		t.Errorf("ingress hosts %q, want %q", hosts, vs.ingressHosts)
	}
	class := ""
	if ing.Spec.IngressClassName != nil {
		class = *ing.Spec.IngressClassName
	}
	if class != vs.ingressClass {
		t.Errorf("ingressClassName %q, want %q", class, vs.ingressClass)
	}
	var tls []string
	for _, e := range ing.Spec.TLS {
		tls = append(tls, e.Hosts...)
		if e.SecretName == "" {
			t.Errorf("tls entry %v without secretName", e.Hosts)
		}
	}
	if !reflect.DeepEqual(tls, vs.tlsHosts) {
		t.Errorf("tls hosts %q, want %q", tls, vs.tlsHosts)
	}
}

// workloads returns the snellerd Deployment and the sdb CronJob.
func workloads(t *testing.T, r *Rendered, vs valueSet) (*appsv1.Deployment, *batchv1.CronJob) {
	t.Helper()
	d, err := r.Deployment(vs.snellerdName)
	if err != nil {
		t.Fatal(err)
	}
	cj, err := r.CronJob(vs.sdbName)
	if err != nil {
		t.Fatal(err)
	}
	return d, cj
}

func checkServiceAccounts(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	d, cj := workloads(t, r, vs)
	if got := d.Spec.Template.Spec.ServiceAccountName; got != vs.snellerdSA {
		t.Errorf("snellerd serviceAccountName %q, want %q", got, vs.snellerdSA)
	}
	if got := cj.Spec.JobTemplate.Spec.Template.Spec.ServiceAccountName; got != vs.sdbSA {
		t.Errorf("sdb serviceAccountName %q, want %q", got, vs.sdbSA)
	}
	for name, arn := range vs.createdSAs {
		o, ok := r.Get("ServiceAccount", name)
		if !ok {
			t.Errorf("ServiceAccount %s not rendered", name)
			continue
		}
		sa := o.Value.(*corev1.ServiceAccount)
		if got := sa.Annotations["eks.amazonaws.com/role-arn"]; got != arn {
			t.Errorf("ServiceAccount %s role-arn %q, want %q", name, got, arn)
		}
	}
}

func checkScheduling(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	d, cj := workloads(t, r, vs)
	ds := d.Spec.Template.Spec
	if vs.nodeSelector != nil && !reflect.DeepEqual(ds.NodeSelector, vs.nodeSelector) {
		t.Errorf("nodeSelector %v, want %v", ds.NodeSelector, vs.nodeSelector)
	}
	if len(ds.Tolerations) != vs.tolerations {
		t.Errorf("%d tolerations, want %d", len(ds.Tolerations), vs.tolerations)
	}
	if (ds.Affinity != nil) != vs.affinity {
		t.Errorf("affinity %v, want set=%v", ds.Affinity, vs.affinity)
	}
	js := cj.Spec.JobTemplate.Spec.Template.Spec
	if (js.Affinity != nil) != vs.affinity || len(js.Tolerations) != vs.tolerations {
		t.Errorf("sdb scheduling: affinity %v tolerations %v", js.Affinity, js.Tolerations)
	}
	if vs.pdb {
		pdb, err := typed[*policyv1.PodDisruptionBudget](r, "PodDisruptionBudget", vs.snellerdName)
		if err != nil {
			t.Fatal(err)
		}
		if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != 2 || pdb.Spec.MaxUnavailable != nil {
			t.Errorf("pdb spec %+v: want minAvailable 2 only", pdb.Spec)
		}
	}
	if vs.netpol {
		np, err := typed[*networkingv1.NetworkPolicy](r, "NetworkPolicy", vs.snellerdName)
		if err != nil {
			t.Fatal(err)
		}
		checkNetworkPolicy(t, np)
	}
}

// checkNetworkPolicy: the internode port is reachable only from snellerd pods.
func checkNetworkPolicy(t *testing.T, np *networkingv1.NetworkPolicy) {
	t.Helper()
	if !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) {
		t.Errorf("policyTypes %v lack Ingress", np.Spec.PolicyTypes)
	}
	internode := 0
	for _, rule := range np.Spec.Ingress {
		opensInternode := len(rule.Ports) == 0
		for _, p := range rule.Ports {
			if p.Port == nil || p.Port.IntValue() == 8001 || p.Port.String() == "internode" {
				opensInternode = true
			}
		}
		if !opensInternode {
			continue
		}
		internode++
		if len(rule.From) == 0 {
			t.Errorf("internode port open to everyone")
		}
		for _, f := range rule.From {
			if f.PodSelector == nil || f.NamespaceSelector != nil || f.IPBlock != nil ||
				!reflect.DeepEqual(f.PodSelector.MatchLabels, map[string]string{"app": "snellerd", "release": "sneller"}) {
				t.Errorf("internode port open to %+v, want only snellerd pods", f)
			}
		}
	}
	if internode != 1 {
		t.Errorf("%d rules open the internode port, want 1", internode)
	}
}

func checkNotes(t *testing.T, r *Rendered, vs valueSet) {
	t.Helper()
	for _, want := range []string{
		"kubectl get secret -n sneller " + vs.tokenSecret + " --template={{.data.snellerToken}} | base64 --decode",
		"kubectl port-forward -n sneller service/" + vs.snellerdName + " 8000",
		"curl http://localhost:8000",
		`-H "Authorization: Bearer $SNELLER_TOKEN"`,
		"http://" + vs.snellerdName + ".sneller.svc.cluster.local:8000",
	} {
		if !strings.Contains(r.Notes, want) {
			t.Errorf("NOTES.txt lacks %q", want)
		}
	}
	for _, h := range vs.tlsHosts {
		if !strings.Contains(r.Notes, "https://"+h+"/query") {
			t.Errorf("NOTES.txt lacks https://%s", h)
		}
	}
	if strings.Contains(r.Notes, "<no value>") {
		t.Errorf("NOTES.txt has <no value>")
	}
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestEveryValueKeyDocumented: each leaf key of values.yaml appears in the values README and
// in values.schema.json, so users can find it and helm validates it.
func TestEveryValueKeyDocumented(t *testing.T) {
	ch, err := LoadChart(chartDir(t))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(chartDir(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	schema := ch.Schema
	if len(schema) == 0 {
		t.Fatal("no values.schema.json")
	}
	var paths []string
	collectPaths("", ch.Values, &paths)
	if len(paths) < 50 {
		t.Fatalf("only %d value paths found", len(paths))
	}
	for _, p := range paths {
		if !strings.Contains(string(readme), "`"+p+"`") {
			t.Errorf("values README does not document `%s`", p)
		}
		if !schemaHasPath(t, schema, p) {
			t.Errorf("values.schema.json has no property for %s", p)
		}
	}
	// The original's keys that values.yaml only mentions in comments are documented too.
	for _, p := range []string{"snellerd.name", "snellerd.serviceAccountName", "sdb.name", "sdb.serviceAccountName",
		"ingress.ingressClassName", "secrets.s3.secretName", "secrets.token.secretName", "secrets.index.secretName", "configuration.name"} {
		if !strings.Contains(string(readme), "`"+p+"`") {
			t.Errorf("values README does not document `%s`", p)
		}
		if !schemaHasPath(t, schema, p) {
			t.Errorf("values.schema.json has no property for %s", p)
		}
	}
}

// collectPaths lists the leaf paths of a values tree; empty maps and lists are leaves.
func collectPaths(prefix string, v map[string]any, out *[]string) {
	for k, val := range v {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if m, ok := val.(map[string]any); ok && len(m) > 0 && !isFreeMap(p) {
			collectPaths(p, m, out)
			continue
		}
		*out = append(*out, p)
	}
}

// isFreeMap: maps whose keys are data (Kubernetes objects given verbatim), not chart keys.
func isFreeMap(p string) bool {
	for _, s := range []string{"resources", "podSecurityContext", "securityContext", "readinessProbe", "livenessProbe"} {
		if strings.HasSuffix(p, "."+s) {
			return true
		}
	}
	return false
}
