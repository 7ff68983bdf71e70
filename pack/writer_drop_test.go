package pack

import (
	"bytes"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

func TestDropBlocks(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	b := NewBlockBuilder(BuilderOptions{})
	var buf ion.Buffer
	for blk := 0; blk < 4; blk++ {
		for i := 0; i < 10; i++ {
			buf.Reset()
			vm.EncodeIon(&buf, b.Symtab(), vm.Struct([]vm.Field{{Name: "blk", Value: vm.Int(int64(blk))}}))
			if err := b.Add(buf.Bytes(), b.Symtab()); err != nil {
				t.Fatal(err)
			}
		}
		e, err := b.Finish()
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteBlock(e); err != nil {
			t.Fatal(err)
		}
	}
	w.DropBlocks([]int{1})
	w.DropBlocks([]int{3, 1, 7, -1}) // positions stay those of WriteBlock; repeats and strays are ignored
	info, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if info.Rows != 20 || len(info.Trailer.Blocks) != 2 {
		t.Fatalf("%d rows in %d blocks", info.Rows, len(info.Trailer.Blocks))
	}
	rows := readAll(t, out.Bytes())
	if len(rows) != 20 {
		t.Fatalf("%d rows read back", len(rows))
	}
	for i, r := range rows {
		if want := int64(i / 10 * 2); r.Field("blk").Int() != want {
			t.Fatalf("row %d from block %d, want %d", i, r.Field("blk").Int(), want)
		}
	}
}
