package pack

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

// FuzzBlob feeds arbitrary bytes to the blob reader: opening, reading every column of every
// block, evaluating rows and reassembling them must give data or an error, never a panic or
// an allocation beyond a small multiple of the input.
func FuzzBlob(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 3, 40} {
		rows := make([]vm.Value, n)
		for i := range rows {
			rows[i] = randRow(r, 0)
		}
		f.Add(buildBlob(f, rows, 16))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		blob, err := Open(ctx, "fuzz", BytesFetcher(data), int64(len(data)), nil)
		if err != nil {
			return
		}
		for i := 0; i < blob.Blocks(); i++ {
			m := &blob.Trailer.Blocks[i]
			if m.Rows > 1<<20 {
				continue
			}
			for c := range m.Columns {
				if m.Columns[c].Raw > int64(64*len(data)+1<<16) {
					continue // a claimed size far beyond the input: the reader would refuse to inflate it
				}
				v, err := blob.ReadColumn(ctx, i, c)
				if err != nil {
					continue
				}
				for row := 0; row < m.Rows; row++ {
					v.Get(row)
				}
			}
			var st ion.Symtab
			blob.Rows(ctx, i, &st, func([]byte) error { return nil })
		}
	})
}
