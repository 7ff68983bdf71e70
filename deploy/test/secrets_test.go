package deploytest

import (
	"encoding/base64"
	"strings"
	"testing"
)

func secretValues(t *testing.T, r *Rendered) (token, key string) {
	t.Helper()
	ts, err := r.Secret("sneller-token")
	if err != nil {
		t.Fatal(err)
	}
	ks, err := r.Secret("sneller-index")
	if err != nil {
		t.Fatal(err)
	}
	token, key = string(ts.Data["snellerToken"]), string(ks.Data["snellerIndexKey"])
	if err := CheckIndexKey(key); err != nil {
		t.Fatal(err)
	}
	if len(token) != 32 {
		t.Fatalf("token %q: want 32 characters", token)
	}
	return token, key
}

func liveSecret(name string, data map[string]string) map[string]any {
	d := map[string]any{}
	for k, v := range data {
		d[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	return map[string]any{
		"apiVersion": "v1",
		"kind":       "Secret",
		"metadata":   map[string]any{"name": name, "namespace": "sneller"},
		"type":       "Opaque",
		"data":       d,
	}
}

// TestSecretsGenerated: without a cluster (helm template, lint, dry runs, including
// --is-upgrade, which made the original chart fail) both secrets are generated, differently
// on each render, and valid.
func TestSecretsGenerated(t *testing.T) {
	for _, upgrade := range []bool{false, true} {
		a := render(t, RenderOptions{Upgrade: upgrade})
		b := render(t, RenderOptions{Upgrade: upgrade})
		ta, ka := secretValues(t, a)
		tb, kb := secretValues(t, b)
		if ta == tb || ka == kb {
			t.Errorf("upgrade=%v: two renders produced the same token or key: not random", upgrade)
		}
	}
}

// TestSecretsKeptOnUpgrade simulates `helm upgrade` against a cluster that holds the secrets
// of the first install: the chart's lookup (the Helm engine's real lookup function, served by
// a fake dynamic client) must find them and keep both values.
func TestSecretsKeptOnUpgrade(t *testing.T) {
	install := render(t, RenderOptions{Live: []map[string]any{}})
	token, key := secretValues(t, install)
	live, err := install.Live("Secret")
	if err != nil {
		t.Fatal(err)
	}
	if len(live) != 3 {
		t.Fatalf("%d live secrets, want 3", len(live))
	}

	up := render(t, RenderOptions{Upgrade: true, Live: live})
	t2, k2 := secretValues(t, up)
	if t2 != token || k2 != key {
		t.Errorf("upgrade changed the secrets: token %q -> %q, key %q -> %q", token, t2, key, k2)
	}
	// A new install into a namespace where the kept secrets survived (resource-policy keep).
	re := render(t, RenderOptions{Live: live})
	if t3, k3 := secretValues(t, re); t3 != token || k3 != key {
		t.Errorf("reinstall changed the secrets")
	}
	// The same for the Deployment's resolved environment.
	cmd, err := up.SnellerdCommand("sneller-snellerd", Existing{})
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Env["SNELLER_TOKEN"] != token || cmd.Env["SNELLER_INDEX_KEY"] != key {
		t.Errorf("snellerd env after upgrade does not carry the kept secrets")
	}
}

// TestSecretsExplicitWins: an explicit value replaces the existing one; the other secret is
// still kept.
func TestSecretsExplicitWins(t *testing.T) {
	const oldKey = "4AiJmIzLvMAP8A/1XdmbuzdwDduxHdu4hVRO7//7vd8="
	live := []map[string]any{
		liveSecret("sneller-token", map[string]string{"snellerToken": "old-token-0123456789abcdefghijkl"}),
		liveSecret("sneller-index", map[string]string{"snellerIndexKey": oldKey}),
	}
	r := render(t, RenderOptions{Upgrade: true, Live: live, Set: []string{"secrets.token.values.snellerToken=new-token-0123456789abcdefghijkl"}})
	tok, key := secretValues(t, r)
	if tok != "new-token-0123456789abcdefghijkl" {
		t.Errorf("token %q: the explicit value must win", tok)
	}
	if key != oldKey {
		t.Errorf("index key %q: the existing key must be kept", key)
	}
}

// TestSecretsTable covers the lookup guard: a live Secret without data or without the key
// is treated as absent; an existing invalid index key (as the original chart generated) and
// an explicit invalid key are refused.
func TestSecretsTable(t *testing.T) {
	const valid = "4AiJmIzLvMAP8A/1XdmbuzdwDduxHdu4hVRO7//7vd8="
	noData := liveSecret("sneller-index", nil)
	delete(noData, "data")
	cases := []struct {
		name    string
		live    []map[string]any
		set     []string
		wantKey string // "" means any valid generated key
		wantErr string
	}{
		{name: "no-data", live: []map[string]any{noData}},
		{name: "other-key", live: []map[string]any{liveSecret("sneller-index", map[string]string{"x": valid})}},
		{name: "empty-value", live: []map[string]any{liveSecret("sneller-index", map[string]string{"snellerIndexKey": ""})}},
		{name: "kept", live: []map[string]any{liveSecret("sneller-index", map[string]string{"snellerIndexKey": valid})}, wantKey: valid},
		{name: "other-namespace", live: []map[string]any{func() map[string]any {
			s := liveSecret("sneller-index", map[string]string{"snellerIndexKey": valid})
			s["metadata"].(map[string]any)["namespace"] = "elsewhere"
			return s
		}()}},
		{name: "original-hex-key", live: []map[string]any{liveSecret("sneller-index", map[string]string{"snellerIndexKey": strings.Repeat("ab", 32)})}, wantErr: "not the std base64 of 32 bytes"},
		{name: "explicit-hex", set: []string{"secrets.index.values.snellerIndexKey=" + strings.Repeat("ab", 32)}, wantErr: "snellerIndexKey"},
		{name: "explicit-31-bytes", set: []string{"secrets.index.values.snellerIndexKey=" + base64.StdEncoding.EncodeToString(make([]byte, 31))}, wantErr: "snellerIndexKey"},
		{name: "explicit-33-bytes", set: []string{"secrets.index.values.snellerIndexKey=" + base64.StdEncoding.EncodeToString(make([]byte, 33))}, wantErr: "snellerIndexKey"},
		{name: "explicit-valid", set: []string{"secrets.index.values.snellerIndexKey=" + valid}, wantKey: valid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			live := c.live
			if live == nil {
				live = []map[string]any{}
			}
			r, err := Render(RenderOptions{ChartDir: chartDir(t), Upgrade: true, Live: live, Set: c.set})
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, key := secretValues(t, r)
			if c.wantKey != "" && key != c.wantKey {
				t.Errorf("key %q, want %q", key, c.wantKey)
			}
			if c.wantKey == "" && key == valid {
				t.Errorf("key %q kept although the live secret should not count", key)
			}
		})
	}
}
