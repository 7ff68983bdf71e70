package ion

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInteropIonJS checks that another implementation (ion-js) reads what Buffer and Symtab
// write, and that what it writes back decodes to equal values. Opt in with SNELLER_IONJS set
// to a directory holding node_modules/ion-js (npm install ion-js jsbi).
func TestInteropIonJS(t *testing.T) {
	dir := os.Getenv("SNELLER_IONJS")
	node, err := exec.LookPath("node")
	if dir == "" || err != nil {
		t.Skip("set SNELLER_IONJS to a directory with node_modules/ion-js (and have node) to run")
	}
	r := rand.New(rand.NewSource(99))
	var vals []Datum
	var st Symtab
	var body Buffer
	for len(vals) < 2000 {
		d := randDatum(r, 0)
		if strings.Contains(d.String(), "$0") {
			continue // ion-js does not support symbol zero
		}
		vals = append(vals, d)
		d.Encode(&body, &st)
	}
	var out Buffer
	st.Marshal(&out, true)
	out.WriteRaw(body.Bytes())
	since := st.Len()
	body.Reset()
	d := Struct(F("appended1", SymbolValue("appended2")))
	d.Encode(&body, &st)
	vals = append(vals, d)
	st.MarshalSince(&out, since) // the appending form
	out.WriteRaw(body.Bytes())

	tmp := t.TempDir()
	in, back := filepath.Join(tmp, "in.10n"), filepath.Join(tmp, "out.10n")
	if err := os.WriteFile(in, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("testdata/ionjs_roundtrip.js")
	cmd := exec.Command(node, script, in, back)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ion-js: %v\n%s", err, o)
	}
	data, err := os.ReadFile(back)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeAll(data)
	if err != nil {
		t.Fatalf("decoding ion-js output: %v", err)
	}
	if len(got) != len(vals) {
		t.Fatalf("ion-js wrote %d values, want %d", len(got), len(vals))
	}
	for i := range vals {
		if !vals[i].Equal(got[i]) {
			t.Errorf("value %d: wrote %s, ion-js gave back %s", i, vals[i], got[i])
		}
	}
}
