package ingest

import (
	"errors"
	"testing"

	"github.com/sneller-re/sneller/ion"
)

func TestConvertFields(t *testing.T) {
	ts, ok := ion.ParseRFC3339([]byte("2024-03-01T00:00:00Z"))
	if !ok {
		t.Fatal("bad timestamp")
	}
	a := bytesInput("a.json", "", []byte(`{"x":1,"day":"overridden"}`+"\n"+`{"x":2}`), "")
	a.Fields = []ion.Field{ion.F("day", ion.TimestampValue(ts)), ion.F("region", ion.String("eu"))}
	c := bytesInput("c.csv", "", []byte("1,2\n"), "") // CSV without hints: fails
	c.Fields = []ion.Field{ion.F("k", ion.Int(7))}
	inputs := []Input{a, bytesInput("b.json", "", []byte(`{"x":3}`), ""), c}
	res, sink, err := convert(t, inputs, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs[0].Status != Accepted || res.Inputs[1].Status != Accepted || res.Inputs[2].Status == Accepted {
		t.Fatalf("statuses %v %v %v", res.Inputs[0].Status, res.Inputs[1].Status, res.Inputs[2].Status)
	}
	want, err := referenceRows(t, []byte(`{"x":1,"day":"2024-03-01T00:00:00Z","region":"eu"}
{"x":2,"day":"2024-03-01T00:00:00Z","region":"eu"}
{"x":3}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff, ok := sameMultiset(allBlobRows(t, sink), want); !ok {
		t.Fatal(diff)
	}
}

func TestConvertFieldsInvalid(t *testing.T) {
	for _, fields := range [][]ion.Field{
		{ion.F("", ion.Int(1))},
		{ion.F("a", ion.Int(1)), ion.F("a", ion.Int(2))},
	} {
		in := bytesInput("a.json", "", []byte(`{"x":1}`), "")
		in.Fields = fields
		res, sink, err := convert(t, []Input{in}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Inputs[0]; r.Status != Failed || !errors.Is(r.Err, ErrBadFields) {
			t.Fatalf("fields %v: status %v err %v", fields, r.Status, r.Err)
		}
		if len(sink.blobs) != 0 {
			t.Fatal("a blob was committed")
		}
	}
}
