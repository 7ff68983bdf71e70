package deploytest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTerraform copies terraform/ into a temporary repository (with a link to the real
// chart) and applies edits: file (relative to terraform/) -> {old, new}.
func copyTerraform(t *testing.T, edits map[string][2]string) string {
	t.Helper()
	tmp := t.TempDir()
	src := tfRoot(t)
	dst := filepath.Join(tmp, "terraform")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for f, e := range edits {
		p := filepath.Join(dst, filepath.FromSlash(f))
		b, err := os.ReadFile(p)
		if err != nil && e[0] != "" {
			t.Fatal(err)
		}
		if e[0] == "" {
			b = append(b, []byte(e[1])...)
		} else {
			if !strings.Contains(string(b), e[0]) {
				t.Fatalf("%s does not contain %q: the negative test is stale", f, e[0])
			}
			b = []byte(strings.Replace(string(b), e[0], e[1], 1))
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(tmp, "charts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(chartDir(t), filepath.Join(tmp, "charts", "sneller")); err != nil {
		t.Fatal(err)
	}
	return dst
}

// allTerraformChecks runs every Terraform check on a terraform/ tree.
func allTerraformChecks(root string) error {
	l := NewTFLoader()
	var errs []error
	for _, d := range tfDirs {
		errs = append(errs, checkTFModule(l, filepath.Join(root, d)))
	}
	for _, step := range []string{"step2", "step3"} {
		_, _, err := checkChartSets(l, filepath.Join(root, step))
		errs = append(errs, err)
		m, err := l.Load(filepath.Join(root, step))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if _, err := l.RemoteState(m, "step1"); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, checkIAM(l, filepath.Join(root, "step2")))
	if m, err := l.Load(filepath.Join(root, "modules/sneller")); err == nil {
		errs = append(errs, checkBuckets(m))
	} else {
		errs = append(errs, err)
	}
	s2, err2 := l.Load(filepath.Join(root, "step2"))
	s3, err3 := l.Load(filepath.Join(root, "step3"))
	if err2 == nil && err3 == nil {
		errs = append(errs, checkStep3Extends(s2, s3))
	}
	return errors.Join(errs...)
}

// TestTerraformChecksFail breaks the Terraform in one place at a time and expects the checks
// to notice.
func TestTerraformChecksFail(t *testing.T) {
	if err := allTerraformChecks(copyTerraform(t, nil)); err != nil {
		t.Fatalf("the unmodified copy fails: %v", err)
	}
	cases := []struct {
		name  string
		edits map[string][2]string
		want  string // a substring of the error
	}{
		{"unformatted", map[string][2]string{"step1/outputs.tf": {`  value       = var.region`, `  value = var.region`}}, "not formatted"},
		{"unknown-variable", map[string][2]string{"step1/vpc.tf": {`cidr = local.cidr`, `cidr = var.cidr`}}, `no variable "cidr"`},
		{"unknown-local", map[string][2]string{"modules/sneller/iam.tf": {`${local.sdb_service_account}"]`, `${local.sdb_sa}"]`}}, `no local "sdb_sa"`},
		{"unknown-resource", map[string][2]string{"modules/sneller/s3-ingest.tf": {`bucket                  = aws_s3_bucket.ingest.id`, `bucket                  = aws_s3_bucket.ingested.id`}}, `no resource "aws_s3_bucket.ingested"`},
		{"unknown-module-output", map[string][2]string{"step2/outputs.tf": {`module.sneller.table`, `module.sneller.tables`}}, `has no output "tables"`},
		{"remote-output-not-declared", map[string][2]string{"step2/step1.tf": {`outputs.cluster_name`, `outputs.cluster`}}, `has no output "cluster"`},
		{"remote-state-cwd-relative", map[string][2]string{"step3/step1.tf": {`"${path.module}/../step1/terraform.tfstate"`, `"../step1/terraform.tfstate"`}}, "relative to the working directory"},
		{"unused-variable", map[string][2]string{"step2/variables.tf": {"", "\nvariable \"unused\" {\n  type        = string\n  description = \"x\"\n  default     = \"\"\n}\n"}}, `variable "unused" is never used`},
		{"module-unknown-argument", map[string][2]string{"step2/sneller.tf": {`  sdb_image         = var.sdb_image`, "  sdb_image         = var.sdb_image\n  replicaCount      = 3"}}, `declares no variable "replicaCount"`},
		{"module-missing-argument", map[string][2]string{"step2/sneller.tf": {"  table             = var.table\n", ""}}, `required variable "table"`},
		{"module-unpinned", map[string][2]string{"step1/eks.tf": {`version = "~> 21.0"`, `version = ">= 21.0"`}}, "not a bounded constraint"},
		{"module-major-only", map[string][2]string{"step1/vpc.tf": {`version = "~> 6.0"`, `version = "~> 6"`}}, "not a bounded constraint"},
		{"provider-unpinned", map[string][2]string{"modules/sneller/versions.tf": {`version = "~> 2.38"`, `version = ">= 2.0"`}}, "not a bounded constraint"},
		{"provider-undeclared", map[string][2]string{"step3/certificate.tf": {"", "\nresource \"time_sleep\" \"wait\" {\n  create_duration = \"30s\"\n}\n"}}, `provider "time"`},
		{"chart-unpinned", map[string][2]string{"step3/lb-controller.tf": {`version    = "1.14.0"`, `version    = "~> 1.14"`}}, "without an exact version"},
		{"set-unknown-value", map[string][2]string{"modules/sneller/release.tf": {`"snellerd.replicaCount"`, `"snellerd.replicas"`}}, `no value "snellerd.replicas"`},
		{"set-unknown-value-step3", map[string][2]string{"step3/sneller.tf": {`"ingress.ingressClassName"`, `"ingress.className"`}}, `no value "ingress.className"`},
		{"set-twice", map[string][2]string{"step3/sneller.tf": {`{ name = "ingress.enabled", value = "true" },`, `{ name = "sdb.cronJob", value = "true" },`}}, "set twice"},
		{"set-invalid-value", map[string][2]string{"modules/sneller/release.tf": {`{ name = "sdb.cronJob", value = "* * * * *" },`, `{ name = "snellerd.serviceType", value = "Internal" },`}}, "schema"},
		{"iam-wildcard", map[string][2]string{"modules/sneller/iam.tf": {`actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.ingest.arn}/db/*"]`, `actions   = ["s3:Get*"]
    resources = ["${aws_s3_bucket.ingest.arn}/db/*"]`}}, "wildcard action"},
		{"iam-whole-bucket", map[string][2]string{"modules/sneller/iam.tf": {`resources = ["${aws_s3_bucket.ingest.arn}/db/*"]
  }
}

resource`, `resources = ["${aws_s3_bucket.ingest.arn}/*"]
  }
}

resource`}}, "role snellerd grants"},
		{"iam-snellerd-writes", map[string][2]string{"modules/sneller/iam.tf": {`sid       = "ReadIngestDb"
    effect    = "Allow"
    actions   = ["s3:GetObject"]`, `sid       = "ReadIngestDb"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject"]`}}, "role snellerd grants"},
		{"iam-no-prefix-condition", map[string][2]string{"modules/sneller/iam.tf": {`      values   = ["db/*"]`, `      values   = ["*"]`}}, "role sdb grants"},
		{"iam-trust-other-sa", map[string][2]string{"modules/sneller/iam.tf": {`${local.sdb_service_account}"]`, `default"]`}}, "trust policy"},
		{"iam-extra-attachment", map[string][2]string{"modules/sneller/iam.tf": {"", "\nresource \"aws_iam_role_policy_attachment\" \"admin\" {\n  role       = aws_iam_role.sdb.name\n  policy_arn = \"arn:aws:iam::aws:policy/AdministratorAccess\"\n}\n"}}, "outside the two role policies"},
		{"bucket-public", map[string][2]string{"modules/sneller/s3-source.tf": {`restrict_public_buckets = true`, `restrict_public_buckets = false`}}, "restrict_public_buckets is not true"},
		{"definition-wrong-bucket", map[string][2]string{"modules/sneller/s3-ingest.tf": {`s3://${aws_s3_bucket.source.bucket}/`, `s3://${aws_s3_bucket.ingest.bucket}/`}}, "definition"},
		{"samples-cwd-relative", map[string][2]string{"modules/sneller/s3-source.tf": {`sample_dir    = "${path.module}/sample_data"`, `sample_dir    = "sample_data"`}}, "relative to path.module"},
		{"step3-drops-step2-resource", map[string][2]string{"step3/step1.tf": {"data \"aws_eks_cluster\" \"this\" {\n  name = local.cluster_name\n}\n", ""}}, "lacks data aws_eks_cluster.this"},
		{"step3-own-state", map[string][2]string{"step3/versions.tf": {`path = "../step2/terraform.tfstate"`, `path = "terraform.tfstate"`}}, "keeps its state"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := allTerraformChecks(copyTerraform(t, c.edits))
			if err == nil {
				t.Fatal("checks passed")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error does not mention %q:\n%v", c.want, err)
			}
		})
	}
}

// TestPinned documents which constraints count as pinned.
func TestPinned(t *testing.T) {
	cases := map[string]bool{
		"~> 6.0": true, "~> 2.38": true, "5.60.0": true, "= 5.60.0": true, ">= 1.6.0, < 2.0.0": true, "~> 3.0.1": true,
		"~> 6": false, ">= 6.0": false, "< 7.0": false, "": false, "latest": false, ">= 1.6, !=": false,
	}
	for c, want := range cases {
		if got := Pinned(c); got != want {
			t.Errorf("Pinned(%q) = %v, want %v", c, got, want)
		}
	}
}

// TestSplitSetName covers helm's --set key syntax.
func TestSplitSetName(t *testing.T) {
	cases := map[string]string{
		"a.b": "a|b",
		`ingress.annotations.alb\.ingress\.kubernetes\.io/scheme`: "ingress|annotations|alb.ingress.kubernetes.io/scheme",
		"ingress.hosts[0]": "ingress|hosts|[0]",
		"x.list[2].name":   "x|list|[2]|name",
	}
	for in, want := range cases {
		got, err := SplitSetName(in)
		if err != nil || strings.Join(got, "|") != want {
			t.Errorf("SplitSetName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "a..b", ".a", "a[x]", "a[1"} {
		if _, err := SplitSetName(bad); err == nil {
			t.Errorf("SplitSetName(%q) accepted", bad)
		}
	}
}
