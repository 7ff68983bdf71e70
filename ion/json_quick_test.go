package ion

import "testing"

func TestJSONQuick(t *testing.T) {
	for _, in := range []string{`{"a":1,"b":[1,2.5,"x"],"c":"2024-01-01T00:00:00Z","a":2}`, `3.0`, `-0.0`, `1e400`, `"\u00e9\ud83d\ude00"`} {
		var b Buffer
		var st Symtab
		if err := FromJSON(&b, &st, []byte(in)); err != nil {
			t.Fatal(err)
		}
		d, _, err := DecodeDatum(b.Bytes(), &st)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s -> %s", in, d)
	}
}
