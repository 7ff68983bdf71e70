package deploytest

import (
	"strings"
	"testing"
)

// TestRenderVariants renders value combinations users are likely to pass with --set and
// release names other than `sneller`; each must render, decode strictly and pass the generic
// checks, with the names the naming rules give.
func TestRenderVariants(t *testing.T) {
	cases := []struct {
		name     string
		release  string
		set      []string
		snellerd string // expected Deployment name ("" means none)
		sdb      string // expected CronJob name ("" means none)
		check    func(t *testing.T, r *Rendered)
	}{
		{name: "other-release", release: "prod", snellerd: "prod-sneller-snellerd", sdb: "prod-sneller-sdb", check: func(t *testing.T, r *Rendered) {
			for _, s := range []string{"prod-sneller-token", "prod-sneller-index", "prod-sneller-s3"} {
				if _, ok := r.Get("Secret", s); !ok {
					t.Errorf("no Secret %s", s)
				}
			}
			cmd, _ := r.SnellerdCommand("prod-sneller-snellerd", Existing{})
			if cmd.Args[len(cmd.Args)-1] != "dns:prod-sneller-snellerd-headless:8001" {
				t.Errorf("peers %q", cmd.Args)
			}
		}},
		{name: "release-containing-chart-name", release: "my-sneller", snellerd: "my-sneller-snellerd", sdb: "my-sneller-sdb"},
		{name: "name-override", set: []string{"nameOverride=analytics"}, snellerd: "sneller-analytics-snellerd", sdb: "sneller-analytics-sdb"},
		{name: "long-release", release: strings.Repeat("r", 50), snellerd: (strings.Repeat("r", 50) + "-sneller")[:58] + "-snel", sdb: (strings.Repeat("r", 50) + "-sneller-sdb")[:52]},
		{name: "no-cronjob", set: []string{"sdb.cronJob="}, snellerd: "sneller-snellerd"},
		{name: "ingress-no-hosts", set: []string{"ingress.enabled=true"}, snellerd: "sneller-snellerd", sdb: "sneller-sdb", check: func(t *testing.T, r *Rendered) {
			if _, ok := r.Get("Ingress", "sneller-snellerd"); !ok {
				t.Error("no Ingress")
			}
		}},
		{name: "ingress-set-syntax", set: []string{"ingress.enabled=true", "ingress.hosts[0]=a.example.com", "ingress.tls[0].secretName=tls", "ingress.tls[0].hosts[0]=a.example.com", "ingress.annotations.a\\.b/c=d"}, snellerd: "sneller-snellerd", sdb: "sneller-sdb"},
		{name: "legacy-hosts-map", set: []string{"ingress.enabled=true", "ingress.hosts.0=a.example.com", "ingress.hosts.1=b.example.com"}, snellerd: "sneller-snellerd", sdb: "sneller-sdb"},
		{name: "sa-created-default-names", set: []string{"snellerd.serviceAccount.create=true", "sdb.serviceAccount.create=true"}, snellerd: "sneller-snellerd", sdb: "sneller-sdb", check: func(t *testing.T, r *Rendered) {
			for _, sa := range []string{"sneller-snellerd", "sneller-sdb"} {
				if _, ok := r.Get("ServiceAccount", sa); !ok {
					t.Errorf("no ServiceAccount %s", sa)
				}
			}
		}},
		{name: "pdb-defaults", set: []string{"snellerd.podDisruptionBudget.enabled=true"}, snellerd: "sneller-snellerd", sdb: "sneller-sdb"},
		{name: "disk-cache-no-limit", set: []string{"snellerd.cacheMedium=", "snellerd.maxCacheDirSize="}, snellerd: "sneller-snellerd", sdb: "sneller-sdb"},
		{name: "set-labels-and-scheduling", set: []string{"snellerd.podLabels.team=x", "snellerd.nodeSelector.disk=ssd", "snellerd.tolerations[0].key=k", "snellerd.tolerations[0].operator=Exists", "sdb.podLabels.team=x", "snellerd.serviceLabels.a=b", "snellerd.serviceAnnotations.c=d", "snellerd.headlessServiceLabels.e=f", "snellerd.headlessServiceAnnotations.g=h"}, snellerd: "sneller-snellerd", sdb: "sneller-sdb"},
		{name: "numbers", set: []string{"sdb.batchSize=107374182400", "snellerd.replicaCount=1", "snellerd.tag=1.2"}, snellerd: "sneller-snellerd", sdb: "sneller-sdb", check: func(t *testing.T, r *Rendered) {
			cmd, _ := r.SdbCommand("sneller-sdb", Existing{})
			if cmd.Args[2] != "107374182400" {
				t.Errorf("batch %q", cmd.Args[2])
			}
			d, _ := r.SnellerdCommand("sneller-snellerd", Existing{})
			if d.Image != "ghcr.io/sneller-re/snellerd:1.2" {
				t.Errorf("image %q", d.Image)
			}
		}},
		{name: "no-resources", set: []string{"snellerd.resources=null"}, snellerd: "sneller-snellerd", sdb: "sneller-sdb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := render(t, RenderOptions{Release: c.release, Set: c.set})
			err := CheckGeneric(r, Existing{})
			if c.name == "no-resources" {
				// Users may drop resources; only the requests check complains.
				if err == nil || !strings.Contains(err.Error(), "no resource requests") {
					t.Fatalf("err %v, want only the resource requests complaint", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			deps, cjs := r.OfKind("Deployment"), r.OfKind("CronJob")
			if len(deps) != 1 || deps[0].Name != c.snellerd {
				t.Errorf("Deployments %v, want %s", deps, c.snellerd)
			}
			if c.sdb == "" && len(cjs) != 0 || c.sdb != "" && (len(cjs) != 1 || cjs[0].Name != c.sdb) {
				t.Errorf("CronJobs %v, want %q", cjs, c.sdb)
			}
			if strings.Contains(r.Notes, "<no value>") {
				t.Error("NOTES.txt has <no value>")
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}
