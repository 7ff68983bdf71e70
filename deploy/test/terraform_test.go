package deploytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

var tfDirs = []string{"step1", "step2", "step3", "modules/sneller"}

func tfRoot(t testing.TB) string { return filepath.Join(repoRoot(t), "terraform") }

func loadTF(t *testing.T, l *TFLoader, dir string) *TFModule {
	t.Helper()
	m, err := l.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTerraformStatic: every module parses, is canonically formatted, has every reference
// resolved and every version pinned.
func TestTerraformStatic(t *testing.T) {
	l := NewTFLoader()
	for _, d := range tfDirs {
		t.Run(d, func(t *testing.T) {
			if err := checkTFModule(l, filepath.Join(tfRoot(t), d)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func checkTFModule(l *TFLoader, dir string) error {
	m, err := l.Load(dir)
	if err != nil {
		return err
	}
	return errors.Join(m.CheckFormat(), l.CheckRefs(m), m.CheckPins())
}

// TestTerraformTreeFormatted: every .tf file under terraform/ is covered and formatted (a
// new directory cannot escape the checks).
func TestTerraformTreeFormatted(t *testing.T) {
	covered := map[string]bool{}
	for _, d := range tfDirs {
		covered[filepath.Join(tfRoot(t), filepath.FromSlash(d))] = true
	}
	err := filepath.WalkDir(tfRoot(t), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") && !covered[filepath.Dir(p)] {
			t.Errorf("%s is in no checked module directory", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTerraformProviderConstraintsAgree: the roots and the shared module ask for the same
// provider versions (terraform init would otherwise intersect them unexpectedly).
func TestTerraformProviderConstraintsAgree(t *testing.T) {
	l := NewTFLoader()
	seen := map[string]ProviderReq{}
	for _, d := range tfDirs {
		m := loadTF(t, l, filepath.Join(tfRoot(t), d))
		req, err := m.RequiredProviders()
		if err != nil {
			t.Fatal(err)
		}
		for name, r := range req {
			if prev, ok := seen[name]; ok && prev != r {
				t.Errorf("%s: provider %s %+v differs from %+v", d, name, r, prev)
			}
			seen[name] = r
		}
	}
	want := []string{"aws", "helm", "kubernetes", "random"}
	if got := mapKeys(seen); !reflect.DeepEqual(got, want) {
		t.Errorf("providers %v, want %v", got, want)
	}
}

type tfVar struct {
	name     string
	def      string // literal default; "<none>" means required
	validate func(string) bool
}

// TestTerraformInterface: the variables and outputs the guide relies on.
func TestTerraformInterface(t *testing.T) {
	avx512 := regexp.MustCompile(`^(m7i|c7i|r7i|m6i|c6i|r6i|m5|c5|r5|m7i-flex|c7i-flex)\.[a-z0-9]+$`)
	cases := []struct {
		dir     string
		vars    []tfVar
		outputs []string
	}{
		{"step1", []tfVar{
			{name: "region", def: "us-east-1"},
			{name: "instance_type", validate: avx512.MatchString},
			{name: "prefix", def: ""},
			{name: "kubernetes_version", validate: regexp.MustCompile(`^1\.[0-9]+$`).MatchString},
		}, []string{"cluster_name", "prefix", "provider_arn", "region", "vpc_id"}},
		{"step2", []tfVar{
			{name: "namespace", def: "sneller"},
			{name: "database", def: "tutorial"},
			{name: "table", def: "table1"},
			{name: "snellerd_image", def: ""},
			{name: "sdb_image", def: ""},
		}, []string{"database", "namespace", "table"}},
		{"step3", []tfVar{
			{name: "namespace", def: "sneller"},
			{name: "database", def: "tutorial"},
			{name: "table", def: "table1"},
			{name: "snellerd_image", def: ""},
			{name: "sdb_image", def: ""},
			{name: "hostname", def: "<none>"},
			{name: "domain", def: "<none>"},
		}, []string{"database", "fqdn", "namespace", "table"}},
	}
	l := NewTFLoader()
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			m := loadTF(t, l, filepath.Join(tfRoot(t), c.dir))
			var names []string
			for _, v := range c.vars {
				names = append(names, v.name)
				b, ok := m.Variables[v.name]
				if !ok {
					t.Errorf("no variable %q", v.name)
					continue
				}
				d := b.Attr("default")
				switch {
				case v.def == "<none>":
					if d != nil {
						t.Errorf("variable %q has a default; it must be given", v.name)
					}
				case d == nil:
					t.Errorf("variable %q has no default", v.name)
				default:
					s, ok := literalString(d.Expr)
					if !ok {
						t.Errorf("variable %q default is not a literal", v.name)
					} else if v.validate != nil && !v.validate(s) {
						t.Errorf("variable %q default %q is not acceptable", v.name, s)
					} else if v.validate == nil && s != v.def {
						t.Errorf("variable %q default %q, want %q", v.name, s, v.def)
					}
				}
			}
			sort.Strings(names)
			if got := mapKeys(m.Variables); !reflect.DeepEqual(got, names) {
				t.Errorf("variables %v, want %v", got, names)
			}
			if got := mapKeys(m.Outputs); !reflect.DeepEqual(got, c.outputs) {
				t.Errorf("outputs %v, want %v", got, c.outputs)
			}
		})
	}
}

// TestTerraformRemoteState: steps 2 and 3 read step 1's state (relative to path.module) and
// use only outputs step 1 declares.
func TestTerraformRemoteState(t *testing.T) {
	l := NewTFLoader()
	step1 := loadTF(t, l, filepath.Join(tfRoot(t), "step1"))
	for _, d := range []string{"step2", "step3"} {
		m := loadTF(t, l, filepath.Join(tfRoot(t), d))
		other, err := l.RemoteState(m, "step1")
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if other != step1 {
			t.Errorf("%s reads the state of %s, want step1", d, other.Dir)
		}
		used := remoteOutputsUsed(m, "step1")
		if len(used) < 4 {
			t.Errorf("%s uses step1 outputs %v", d, used)
		}
		for _, o := range used {
			if _, ok := step1.Outputs[o]; !ok {
				t.Errorf("%s uses step1 output %q, which step1 does not declare", d, o)
			}
		}
	}
}

func remoteOutputsUsed(m *TFModule, name string) []string {
	set := map[string]bool{}
	m.Walk(func(_ string, _ []*hclsyntax.Block, _ string, a *hclsyntax.Attribute) {
		for _, tr := range a.Expr.Variables() {
			n := traversalNames(tr)
			if len(n) >= 5 && n[0] == "data" && n[1] == "terraform_remote_state" && n[2] == name && n[3] == "outputs" {
				set[n[4]] = true
			}
		}
	})
	return mapKeys(set)
}

// TestStep3ExtendsStep2: step 3 works on step 2's state, so its configuration must contain
// every address of step 2 (nothing of step 2 gets destroyed) with the same module source and
// arguments, the same variables and the same provider configuration.
func TestStep3ExtendsStep2(t *testing.T) {
	l := NewTFLoader()
	s2 := loadTF(t, l, filepath.Join(tfRoot(t), "step2"))
	s3 := loadTF(t, l, filepath.Join(tfRoot(t), "step3"))
	if err := checkStep3Extends(s2, s3); err != nil {
		t.Fatal(err)
	}
}

func checkStep3Extends(s2, s3 *TFModule) error {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	dir, err := s3.LocalBackendDir()
	if err != nil {
		return err
	}
	if filepath.Clean(dir) != filepath.Clean(s2.Dir) {
		fail("step3 keeps its state in %q, want step2's directory", dir)
	}
	if d, _ := s2.LocalBackendDir(); d != "" {
		fail("step2 must keep its state in its own directory, not %q", d)
	}
	for k := range s2.Resources {
		if _, ok := s3.Resources[k]; !ok {
			fail("step3 lacks resource %s of step2", k)
		}
	}
	for k := range s2.Data {
		if _, ok := s3.Data[k]; !ok {
			fail("step3 lacks data %s of step2", k)
		}
	}
	for k, b := range s2.Modules {
		b3, ok := s3.Modules[k]
		if !ok {
			fail("step3 lacks module %s of step2", k)
			continue
		}
		for an, a := range b.Block.Body.Attributes {
			a3 := b3.Attr(an)
			if a3 == nil || s2.Source(a.Expr) != s3.Source(a3.Expr) {
				fail("module %s argument %s differs in step3", k, an)
			}
		}
	}
	d2, d3 := s2.VariableDefaults(), s3.VariableDefaults()
	for n := range s2.Variables {
		if _, ok := s3.Variables[n]; !ok {
			fail("step3 lacks variable %s", n)
		} else if v2, ok := d2[n]; ok && !v2.RawEquals(d3[n]) {
			fail("variable %s: default differs in step3", n)
		}
	}
	if !reflect.DeepEqual(s2.Files["providers.tf"], s3.Files["providers.tf"]) {
		fail("providers.tf differs between step2 and step3")
	}
	return errors.Join(errs...)
}

// chartSets is what one root passes to the chart: the sneller module's helm_release entries
// with the root's arguments followed.
type chartSets struct {
	root, child *TFModule
	release     TFBlock
	sets        []HelmSet
	vars        map[string]cty.Value
}

func loadChartSets(l *TFLoader, rootDir string) (*chartSets, error) {
	root, err := l.Load(rootDir)
	if err != nil {
		return nil, err
	}
	src, err := root.ModuleSource("sneller")
	if err != nil {
		return nil, err
	}
	child, err := l.Load(filepath.Join(root.Dir, src))
	if err != nil {
		return nil, err
	}
	rel, ok := child.Resources["helm_release.sneller"]
	if !ok {
		return nil, fmt.Errorf("%s: no helm_release.sneller", child.Dir)
	}
	cs := &chartSets{root: root, child: child, release: rel, vars: CallVariables(root, "sneller", child)}
	for _, attr := range []string{"set", "set_sensitive"} {
		a := rel.Attr(attr)
		if a == nil {
			continue
		}
		sets, vars, err := child.HelmSets(a.Expr, attr == "set_sensitive")
		if err != nil {
			return nil, err
		}
		cs.sets = append(cs.sets, sets...)
		for _, v := range vars {
			arg := root.Modules["sneller"].Attr(v)
			if arg == nil {
				continue // the module's default (an empty list)
			}
			more, _, err := root.HelmSets(arg.Expr, false)
			if err != nil {
				return nil, err
			}
			cs.sets = append(cs.sets, more...)
		}
	}
	return cs, nil
}

// chartDirOf evaluates the release's chart attribute (a local path from path.module).
func (cs *chartSets) chartDirOf() (string, error) {
	a := cs.release.Attr("chart")
	if a == nil {
		return "", fmt.Errorf("helm_release.sneller has no chart")
	}
	e := a.Expr
	if t, ok := e.(*hclsyntax.ScopeTraversalExpr); ok {
		n := traversalNames(t.Traversal)
		if len(n) == 2 && n[0] == "local" && cs.child.Locals[n[1]] != nil {
			e = cs.child.Locals[n[1]].Expr
		}
	}
	p, ok := cs.child.EvalString(e, nil)
	if !ok {
		return "", fmt.Errorf("chart %q is not a path relative to path.module", cs.child.Source(a.Expr))
	}
	return filepath.Clean(p), nil
}

// value returns the value of a set entry: evaluated when it only depends on variables,
// else a placeholder of the right shape.
func (cs *chartSets) value(s HelmSet) string {
	m := s.Module
	vars := cs.vars
	if m == cs.root {
		vars = cs.root.VariableDefaults()
	}
	if v, ok := m.EvalString(s.Value, vars); ok {
		return v
	}
	return placeholder(s.Name)
}

func placeholder(name string) string {
	switch {
	case strings.HasSuffix(name, ".roleArn"):
		return "arn:aws:iam::123456789012:role/tf-" + strings.Split(name, ".")[0]
	case strings.HasSuffix(name, ".snellerIndexKey"):
		return "4AiJmIzLvMAP8A/1XdmbuzdwDduxHdu4hVRO7//7vd8="
	case strings.HasSuffix(name, ".snellerToken"):
		return "tf-token-0123456789abcdefghijklm"
	case strings.HasSuffix(name, ".s3Bucket"):
		return "s3://tf-sneller-ingest"
	case strings.HasSuffix(name, ".awsRegion"):
		return "eu-west-3"
	case strings.HasSuffix(name, ".image"):
		return "registry.example.com/sneller/x:1"
	case strings.HasPrefix(name, "ingress.hosts"):
		return "sneller.example.com"
	}
	return "placeholder"
}

// setArgs turns the entries into helm --set assignments, escaping commas as helm needs.
func (cs *chartSets) setArgs() []string {
	var out []string
	for _, s := range cs.sets {
		out = append(out, s.Name+"="+strings.ReplaceAll(cs.value(s), ",", `\,`))
	}
	return out
}

// checkChartSets: every set name addresses a value of the chart, no name is set twice, and
// the chart renders with them and passes the generic checks.
func checkChartSets(l *TFLoader, rootDir string) (*chartSets, *Rendered, error) {
	cs, err := loadChartSets(l, rootDir)
	if err != nil {
		return nil, nil, err
	}
	dir, err := cs.chartDirOf()
	if err != nil {
		return nil, nil, err
	}
	ch, err := LoadChart(dir)
	if err != nil {
		return nil, nil, err
	}
	var errs []error
	seen := map[string]bool{}
	for _, s := range cs.sets {
		if seen[s.Name] {
			errs = append(errs, fmt.Errorf("%w: %s: %s set twice", ErrTerraform, rootDir, s.Name))
		}
		seen[s.Name] = true
		if err := CheckValuePath(ch.Values, ch.Schema, s.Name); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", rootDir, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	r, err := Render(RenderOptions{ChartDir: dir, Namespace: "sneller", Set: cs.setArgs()})
	if err != nil {
		return nil, nil, err
	}
	return cs, r, CheckGeneric(r, Existing{})
}

func (cs *chartSets) get(name string) (HelmSet, bool) {
	for _, s := range cs.sets {
		if s.Name == name {
			return s, true
		}
	}
	return HelmSet{}, false
}

// TestTerraformHelmRelease: what steps 2 and 3 pass to the chart.
func TestTerraformHelmRelease(t *testing.T) {
	l := NewTFLoader()
	// The values of step 2, as expressions of the module (the contract with IAM and S3).
	want2 := map[string]string{
		"snellerd.replicaCount":                "${tostring(var.replicas)}",
		"snellerd.serviceAccount.create":       "true",
		"snellerd.serviceAccount.name":         "${local.snellerd_service_account}",
		"snellerd.serviceAccount.roleArn":      "${aws_iam_role.snellerd.arn}",
		"sdb.serviceAccount.create":            "true",
		"sdb.serviceAccount.name":              "${local.sdb_service_account}",
		"sdb.serviceAccount.roleArn":           "${aws_iam_role.sdb.arn}",
		"sdb.cronJob":                          "* * * * *",
		"sdb.database":                         "${var.database}",
		"sdb.tablePattern":                     "${var.table}",
		"secrets.s3.values.awsRegion":          "${var.region}",
		"configuration.values.s3Bucket":        "s3://${aws_s3_bucket.ingest.bucket}",
		"snellerd.image":                       "${var.snellerd_image}",
		"sdb.image":                            "${var.sdb_image}",
		"secrets.token.values.snellerToken":    "${random_password.token.result}",
		"secrets.index.values.snellerIndexKey": "${random_id.index_key.b64_std}",
	}
	for _, step := range []string{"step2", "step3"} {
		t.Run(step, func(t *testing.T) {
			cs, r, err := checkChartSets(l, filepath.Join(tfRoot(t), step))
			if err != nil {
				t.Fatal(err)
			}
			if dir, _ := cs.chartDirOf(); dir != chartDir(t) {
				t.Errorf("chart %s, want %s", dir, chartDir(t))
			}
			for name, want := range want2 {
				s, ok := cs.get(name)
				if !ok {
					t.Errorf("no set %s", name)
					continue
				}
				if got := s.ValueSource(); got != want {
					t.Errorf("set %s = %q, want %q", name, got, want)
				}
				sensitive := strings.HasPrefix(name, "secrets.token.") || strings.HasPrefix(name, "secrets.index.")
				if s.Sensitive != sensitive {
					t.Errorf("set %s sensitive=%v, want %v", name, s.Sensitive, sensitive)
				}
			}
			// The rendered release: the guide's names, the module's defaults.
			cmd, err := r.SdbCommand("sneller-sdb", Existing{})
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"sync", "-m", "1073741824", "tutorial", "table1"}; !reflect.DeepEqual(cmd.Args, want) {
				t.Errorf("sdb args %q, want %q", cmd.Args, want)
			}
			d, err := r.Deployment("sneller-snellerd")
			if err != nil {
				t.Fatal(err)
			}
			if *d.Spec.Replicas != 3 || d.Spec.Template.Spec.ServiceAccountName != "snellerd" {
				t.Errorf("replicas %d, service account %q", *d.Spec.Replicas, d.Spec.Template.Spec.ServiceAccountName)
			}
			for _, sa := range []string{"snellerd", "sdb"} {
				o, ok := r.Get("ServiceAccount", sa)
				if !ok || o.Value.(*corev1.ServiceAccount).Annotations["eks.amazonaws.com/role-arn"] != placeholder(sa+".serviceAccount.roleArn") {
					t.Errorf("ServiceAccount %s with its role annotation not rendered", sa)
				}
			}
			scmd, err := r.SnellerdCommand("sneller-snellerd", Existing{})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "S3_ENDPOINT"} {
				if _, ok := scmd.Env[k]; ok {
					t.Errorf("%s set with IRSA on AWS S3", k)
				}
			}
			if scmd.Env["SNELLER_INDEX_KEY"] != placeholder(".snellerIndexKey") || scmd.Env["SNELLER_TOKEN"] != placeholder(".snellerToken") {
				t.Errorf("the release does not use Terraform's token and index key")
			}
			svc, _ := r.Service("sneller-snellerd")
			ing, hasIngress := r.Get("Ingress", "sneller-snellerd")
			switch step {
			case "step2":
				if svc.Spec.Type != corev1.ServiceTypeClusterIP || hasIngress {
					t.Errorf("step2: service type %s, ingress %v", svc.Spec.Type, hasIngress)
				}
			case "step3":
				if svc.Spec.Type != corev1.ServiceTypeNodePort || !hasIngress {
					t.Fatalf("step3: service type %s, ingress %v", svc.Spec.Type, hasIngress)
				}
				in := ing.Value.(*networkingv1.Ingress)
				if in.Spec.IngressClassName == nil || *in.Spec.IngressClassName != "alb" {
					t.Errorf("ingress class %v", in.Spec.IngressClassName)
				}
				if len(in.Spec.Rules) != 1 || in.Spec.Rules[0].Host != "sneller.example.com" {
					t.Errorf("ingress rules %+v", in.Spec.Rules)
				}
				a := in.Annotations
				if a["alb.ingress.kubernetes.io/scheme"] != "internet-facing" || a["alb.ingress.kubernetes.io/listen-ports"] != `[{"HTTPS":443}]` ||
					a["alb.ingress.kubernetes.io/healthcheck-path"] != "/ping" || a["alb.ingress.kubernetes.io/certificate-arn"] == "" {
					t.Errorf("ingress annotations %v", a)
				}
				if s, _ := cs.get("ingress.annotations.alb\\.ingress\\.kubernetes\\.io/certificate-arn"); s.ValueSource() != "${aws_acm_certificate_validation.sneller.certificate_arn}" {
					t.Errorf("certificate-arn = %q: must wait for the validated certificate", s.ValueSource())
				}
			}
		})
	}
}

// TestTerraformIAM: the roles grant exactly the privileges of the brief, to exactly the
// service accounts the chart runs the pods as.
func TestTerraformIAM(t *testing.T) {
	l := NewTFLoader()
	if err := checkIAM(l, filepath.Join(tfRoot(t), "step2")); err != nil {
		t.Fatal(err)
	}
}

var wantGrants = map[string][]Grant{
	"sdb": {
		{Action: "s3:AbortMultipartUpload", Resource: "${aws_s3_bucket.ingest.arn}/db/*"},
		{Action: "s3:DeleteObject", Resource: "${aws_s3_bucket.ingest.arn}/db/*"},
		{Action: "s3:GetObject", Resource: "${aws_s3_bucket.ingest.arn}/db/*"},
		{Action: "s3:GetObject", Resource: "${aws_s3_bucket.source.arn}/*"},
		{Action: "s3:ListBucket", Resource: "${aws_s3_bucket.ingest.arn}", Condition: "StringLike s3:prefix [db/*]"},
		{Action: "s3:ListBucket", Resource: "${aws_s3_bucket.source.arn}"},
		{Action: "s3:PutObject", Resource: "${aws_s3_bucket.ingest.arn}/db/*"},
	},
	"snellerd": {
		{Action: "s3:GetObject", Resource: "${aws_s3_bucket.ingest.arn}/db/*"},
		{Action: "s3:ListBucket", Resource: "${aws_s3_bucket.ingest.arn}", Condition: "StringLike s3:prefix [db/*]"},
	},
}

func checkIAM(l *TFLoader, rootDir string) error {
	cs, err := loadChartSets(l, rootDir)
	if err != nil {
		return err
	}
	m := cs.child
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: %s", ErrTerraform, fmt.Sprintf(format, a...)))
	}
	// Nothing else grants anything.
	for k := range m.Resources {
		typ := strings.Split(k, ".")[0]
		switch {
		case typ == "aws_iam_role", typ == "aws_iam_role_policy":
		case strings.HasPrefix(typ, "aws_iam_"), typ == "aws_s3_bucket_policy", typ == "aws_s3_bucket_acl":
			fail("%s grants privileges outside the two role policies", k)
		}
	}
	policies := map[string][]string{} // role -> policy documents
	for k, b := range m.Resources {
		if !strings.HasPrefix(k, "aws_iam_role_policy.") {
			continue
		}
		role, doc := RefName(b.Attr("role").Expr), RefName(b.Attr("policy").Expr)
		if !strings.HasPrefix(role, "aws_iam_role.") || !strings.HasPrefix(doc, "data.aws_iam_policy_document.") {
			fail("%s: role %q policy %q must reference a role and a policy document", k, m.Source(b.Attr("role").Expr), m.Source(b.Attr("policy").Expr))
			continue
		}
		policies[strings.TrimPrefix(role, "aws_iam_role.")] = append(policies[strings.TrimPrefix(role, "aws_iam_role.")], strings.TrimPrefix(doc, "data.aws_iam_policy_document."))
	}
	var roles []string
	for k := range m.Resources {
		if strings.HasPrefix(k, "aws_iam_role.") {
			roles = append(roles, strings.TrimPrefix(k, "aws_iam_role."))
		}
	}
	sort.Strings(roles)
	if !reflect.DeepEqual(roles, []string{"sdb", "snellerd"}) {
		fail("roles %v, want [sdb snellerd]", roles)
	}
	for _, role := range roles {
		// Privileges.
		var grants []Grant
		for _, doc := range policies[role] {
			sts, err := m.PolicyDocument(doc)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, s := range sts {
				if s.Effect != "Allow" || len(s.Not) > 0 || len(s.Principals) > 0 {
					fail("policy %s statement %s: only plain Allow statements are expected (%v)", doc, s, s.Not)
				}
				for _, a := range s.Actions {
					if strings.Contains(a, "*") {
						fail("policy %s: wildcard action %s", doc, a)
					}
				}
			}
			grants = append(grants, Grants(sts)...)
		}
		if want := wantGrants[role]; !equalGrants(grants, want) {
			fail("role %s grants\n%v\nwant\n%v", role, fmtGrants(grants), fmtGrants(want))
		}
		// Trust: only the chart's service account of this component, via the cluster's OIDC.
		rb := m.Resources["aws_iam_role."+role]
		ar := rb.Attr("assume_role_policy")
		if ar == nil {
			fail("role %s has no assume_role_policy", role)
			continue
		}
		trustDoc := strings.TrimPrefix(RefName(ar.Expr), "data.aws_iam_policy_document.")
		sts, err := m.PolicyDocument(trustDoc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		saSet, ok := cs.get(role + ".serviceAccount.name")
		if !ok {
			fail("the chart is not told the %s service account name", role)
			continue
		}
		want := PolicyStatement{
			Effect:     "Allow",
			Actions:    []string{"sts:AssumeRoleWithWebIdentity"},
			Principals: []string{"Federated:${var.oidc_provider_arn}"},
			Conditions: []string{
				"StringEquals ${local.oidc_issuer}:aud [sts.amazonaws.com]",
				"StringEquals ${local.oidc_issuer}:sub [system:serviceaccount:${var.namespace}:" + saSet.ValueSource() + "]",
			},
		}
		if len(sts) != 1 || !reflect.DeepEqual(sts[0], want) {
			fail("role %s trust policy %v, want %v", role, sts, want)
		}
		if arn, _ := cs.get(role + ".serviceAccount.roleArn"); arn.ValueSource() != "${aws_iam_role."+role+".arn}" {
			fail("the %s service account is annotated with %q, want this role", role, arn.ValueSource())
		}
		if c, _ := cs.get(role + ".serviceAccount.create"); c.ValueSource() != "true" {
			fail("the chart does not create the %s service account", role)
		}
	}
	// The OIDC issuer is derived from the provider ARN.
	if a := m.Locals["oidc_issuer"]; a == nil || !strings.Contains(m.Source(a.Expr), "var.oidc_provider_arn") {
		fail("local.oidc_issuer must come from var.oidc_provider_arn")
	}
	return errors.Join(errs...)
}

func equalGrants(a, b []Grant) bool {
	if len(a) != len(b) {
		return false
	}
	a = append([]Grant(nil), a...)
	b = append([]Grant(nil), b...)
	less := func(s []Grant) func(i, j int) bool {
		return func(i, j int) bool { return fmt.Sprint(s[i]) < fmt.Sprint(s[j]) }
	}
	sort.Slice(a, less(a))
	sort.Slice(b, less(b))
	return reflect.DeepEqual(a, b)
}

func fmtGrants(g []Grant) string {
	var lines []string
	for _, x := range g {
		lines = append(lines, fmt.Sprintf("  %s %s %s", x.Action, x.Resource, x.Condition))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestTerraformBuckets: both buckets block public access and are encrypted; the definition
// points at the sample data of the source bucket; the sample data has 6 rows.
func TestTerraformBuckets(t *testing.T) {
	l := NewTFLoader()
	m := loadTF(t, l, filepath.Join(tfRoot(t), "modules/sneller"))
	if err := checkBuckets(m); err != nil {
		t.Fatal(err)
	}
}

func checkBuckets(m *TFModule) error {
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: %s", ErrTerraform, fmt.Sprintf(format, a...)))
	}
	var buckets []string
	for k := range m.Resources {
		if strings.HasPrefix(k, "aws_s3_bucket.") {
			buckets = append(buckets, k)
		}
	}
	sort.Strings(buckets)
	if !reflect.DeepEqual(buckets, []string{"aws_s3_bucket.ingest", "aws_s3_bucket.source"}) {
		fail("buckets %v", buckets)
	}
	for _, b := range buckets {
		pab, sse := false, false
		for k, r := range m.Resources {
			a := r.Attr("bucket")
			if a == nil || !strings.HasPrefix(m.Normalize(a.Expr), "${"+b+".") {
				continue
			}
			switch strings.Split(k, ".")[0] {
			case "aws_s3_bucket_public_access_block":
				pab = true
				for _, f := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
					if x := r.Attr(f); x == nil || m.Source(x.Expr) != "true" {
						fail("%s: %s is not true", k, f)
					}
				}
			case "aws_s3_bucket_server_side_encryption_configuration":
				sse = strings.Contains(string(m.Files[r.File]), "sse_algorithm")
			}
		}
		if !pab {
			fail("%s has no public access block", b)
		}
		if !sse {
			fail("%s has no server-side encryption configuration", b)
		}
	}
	// definition.json.
	def, ok := m.Resources["aws_s3_object.definition"]
	if !ok {
		return errors.Join(append(errs, fmt.Errorf("%w: no aws_s3_object.definition", ErrTerraform))...)
	}
	if got := m.Normalize(def.Attr("bucket").Expr); got != "${aws_s3_bucket.ingest.id}" {
		fail("definition in bucket %s, want the ingest bucket", got)
	}
	if got := m.Normalize(def.Attr("key").Expr); got != "db/${var.database}/${var.table}/definition.json" {
		fail("definition key %s", got)
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"aws_s3_bucket": cty.ObjectVal(map[string]cty.Value{"source": cty.ObjectVal(map[string]cty.Value{"bucket": cty.StringVal("SRC")})}),
			"local":         cty.ObjectVal(map[string]cty.Value{"sample_prefix": mustLiteral(m, "sample_prefix")}),
		},
		Functions: evalFuncs,
	}
	v, diags := def.Attr("content").Expr.Value(ctx)
	if diags.HasErrors() {
		fail("definition content: %s", diags.Error())
	} else {
		var got any
		if err := json.Unmarshal([]byte(v.AsString()), &got); err != nil {
			fail("definition content: %v", err)
		}
		want := map[string]any{"input": []any{map[string]any{"pattern": "s3://SRC/sample_data/*.ndjson", "format": "json"}}}
		if !reflect.DeepEqual(got, want) {
			fail("definition %v, want %v", got, want)
		}
	}
	// The sample objects: the files the for_each picks, uploaded under sample_data/.
	so, ok := m.Resources["aws_s3_object.sample"]
	if !ok {
		return errors.Join(append(errs, fmt.Errorf("%w: no aws_s3_object.sample", ErrTerraform))...)
	}
	if got := m.Normalize(so.Attr("bucket").Expr); got != "${aws_s3_bucket.source.id}" {
		fail("samples in bucket %s, want the source bucket", got)
	}
	if got := m.Normalize(so.Attr("key").Expr); got != "${local.sample_prefix}${each.value}" {
		fail("sample key %s", got)
	}
	fe := m.Normalize(so.Attr("for_each").Expr)
	if fe != `${fileset(local.sample_dir, "*.ndjson")}` {
		fail("samples for_each %s", fe)
	}
	if d := m.Normalize(m.Locals["sample_dir"].Expr); d != "${path.module}/sample_data" {
		fail("sample_dir %s must be relative to path.module", d)
	}
	return errors.Join(errs...)
}

func mustLiteral(m *TFModule, local string) cty.Value {
	if a := m.Locals[local]; a != nil {
		if s, ok := literalString(a.Expr); ok {
			return cty.StringVal(s)
		}
	}
	return cty.StringVal("<" + local + " is not a literal>")
}

// TestSampleData: the guide's three files, 1 + 2 + 3 rows of {"value":N}, N = 1..6.
func TestSampleData(t *testing.T) {
	dir := filepath.Join(tfRoot(t), "modules/sneller/sample_data")
	files, err := filepath.Glob(filepath.Join(dir, "*.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var values []int
	for _, f := range files {
		names = append(names, filepath.Base(f))
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var row map[string]int
			if err := json.Unmarshal([]byte(line), &row); err != nil || len(row) != 1 {
				t.Fatalf("%s: row %q: %v", f, line, err)
			}
			values = append(values, row["value"])
			rows++
		}
		want := map[string]int{"test1.ndjson": 1, "test2.ndjson": 2, "test3.ndjson": 3}[filepath.Base(f)]
		if rows != want {
			t.Errorf("%s: %d rows, want %d", f, rows, want)
		}
	}
	sort.Ints(values)
	if !reflect.DeepEqual(names, []string{"test1.ndjson", "test2.ndjson", "test3.ndjson"}) || !slices.Equal(values, []int{1, 2, 3, 4, 5, 6}) {
		t.Errorf("files %v values %v", names, values)
	}
}
