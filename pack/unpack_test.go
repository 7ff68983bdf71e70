package pack

import (
	"bytes"
	"context"
	"math/big"
	"testing"

	"github.com/sneller-re/sneller/ion"
)

// TestRowsExact packs Ion rows holding every kind of value and reads them back with Rows:
// each row must be equal (as Ion data) to the one packed, field order aside.
func TestRowsExact(t *testing.T) {
	ts := func(s string) ion.Timestamp {
		var st ion.Symtab
		var b ion.Buffer
		if err := ion.FromJSON(&b, &st, []byte(`"`+s+`"`)); err != nil {
			t.Fatal(err)
		}
		v, _, err := ion.ReadTimestamp(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	rows := []ion.Datum{
		ion.Struct(ion.F("i", ion.Int(-5)), ion.F("f", ion.Float(2.5)), ion.F("s", ion.String("x")),
			ion.F("b", ion.Bool(true)), ion.F("n", ion.Null()), ion.F("t", ion.TimestampValue(ts("2024-01-02T03:04:05Z")))),
		ion.Struct(ion.F("i", ion.BigInt(new(big.Int).Lsh(big.NewInt(1), 80))), ion.F("d", ion.DecimalValue(mustDecimal(t, "1.50"))),
			ion.F("sym", ion.SymbolValue("sym")), ion.F("blob", ion.Blob([]byte{1, 2})), ion.F("clob", ion.Clob([]byte("c")))),
		ion.Struct(ion.F("t", ion.TimestampValue(ts("2024-01-02T03:04:05.123456789+02:00"))), ion.F("l", ion.List(ion.Int(1), ion.String("a"))),
			ion.F("nested", ion.Struct(ion.F("a", ion.Struct(ion.F("b", ion.Int(1)))), ion.F("x", ion.Sexp(ion.Int(2))))),
			ion.F("ann", ion.Int(3).WithAnnotations("a1"))),
		ion.Struct(),
		ion.Struct(ion.F("nested", ion.String("not a struct here")), ion.F("s", ion.Int(9))),
	}
	var out bytes.Buffer
	w := NewWriter(&out)
	bb := NewBlockBuilder(BuilderOptions{})
	var buf ion.Buffer
	for _, r := range rows {
		buf.Reset()
		r.Encode(&buf, bb.Symtab())
		if err := bb.Add(buf.Bytes(), bb.Symtab()); err != nil {
			t.Fatal(err)
		}
	}
	blk, err := bb.Finish()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteBlock(blk)
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	blob, err := Open(context.Background(), "t", BytesFetcher(out.Bytes()), int64(out.Len()), nil)
	if err != nil {
		t.Fatal(err)
	}
	var st ion.Symtab
	var got []ion.Datum
	err = blob.Rows(context.Background(), 0, &st, func(row []byte) error {
		d, _, err := ion.DecodeDatum(row, &st)
		got = append(got, d)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("%d rows back, want %d", len(got), len(rows))
	}
	for i := range rows {
		if !sameStruct(got[i], rows[i]) {
			t.Errorf("row %d:\n got %s\nwant %s", i, got[i], rows[i])
		}
	}
}

// sameStruct compares structs ignoring field order (recursively), everything else exactly.
func sameStruct(a, b ion.Datum) bool {
	if a.Type() != ion.StructType || b.Type() != ion.StructType {
		return a.Equal(b)
	}
	fa, fb := a.Fields(), b.Fields()
	if len(fa) != len(fb) {
		return false
	}
	for _, f := range fa {
		g, ok := b.Field(f.Name.Text)
		if !ok || !sameStruct(f.Value, g) {
			return false
		}
	}
	return true
}

func mustDecimal(t *testing.T, s string) ion.Decimal {
	if s != "1.50" {
		t.Fatalf("unsupported decimal %s", s)
	}
	return ion.NewDecimal(150, -2)
}
