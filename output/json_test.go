package output

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

func TestAppendJSONBlobs(t *testing.T) {
	// short bodies have their length in the descriptor, long ones (14 bytes on) in a VarUInt
	for _, n := range []int{0, 1, 13, 14, 200} {
		data := bytes.Repeat([]byte{0xfe}, n)
		for _, write := range []func(*ion.Buffer, []byte){(*ion.Buffer).WriteBlob, (*ion.Buffer).WriteClob} {
			var b ion.Buffer
			write(&b, data)
			got := string(AppendJSON(nil, vm.Other(b.Bytes())))
			if want := `"` + base64.StdEncoding.EncodeToString(data) + `"`; got != want {
				t.Errorf("%d bytes: got %s, want %s", n, got, want)
			}
		}
	}
}

func TestIonWriterWithoutRows(t *testing.T) {
	var out bytes.Buffer
	w, err := New(Ion, &out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var want ion.Buffer
	var st ion.Symtab
	st.Marshal(&want, true)
	if !bytes.Equal(out.Bytes(), want.Bytes()) {
		t.Fatalf("got % x, want the bare symbol table % x", out.Bytes(), want.Bytes())
	}
}

func TestIonWriterSymbols(t *testing.T) {
	// the second row's new field names extend the symbol table before it
	var out bytes.Buffer
	w, _ := New(Ion, &out, nil)
	w.Row(vm.Struct([]vm.Field{{Name: "a", Value: vm.Int(1)}}))
	w.Row(vm.Struct([]vm.Field{{Name: "a", Value: vm.Int(2)}, {Name: "b", Value: vm.String("x")}}))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	vals, err := ion.DecodeAll(out.Bytes())
	if err != nil || len(vals) != 2 {
		t.Fatalf("%d values, %v", len(vals), err)
	}
	if got, want := vals[0].String()+" "+vals[1].String(), `{'a': 1} {'a': 2, 'b': "x"}`; got != want {
		t.Fatalf("decoded %s, want %s", got, want)
	}
}
