package ingest

import (
	"context"
	"os"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/sneller-re/sneller/pack"
)

func BenchmarkExp(b *testing.B) {
	data, _ := os.ReadFile(benchData(b, 200_000))
	for _, c := range []struct {
		name string
		opt  pack.BuilderOptions
	}{
		{"d64k", pack.BuilderOptions{}},
		{"d128k", pack.BuilderOptions{MaxRows: 1 << 17}},
		{"d256k", pack.BuilderOptions{MaxRows: 1 << 18, MaxBytes: 256 << 20}},
		{"f256k", pack.BuilderOptions{MaxRows: 1 << 18, MaxBytes: 256 << 20, Level: zstd.SpeedFastest}},
		{"b64k", pack.BuilderOptions{Level: zstd.SpeedBetterCompression}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var out int64
			m := startCPU()
			for i := 0; i < b.N; i++ {
				sink := &discardSink{}
				if _, err := Convert(context.Background(), benchInputs(data, "x.json"), sink, Options{Block: c.opt, ChunkBytes: 16 << 20}); err != nil {
					b.Fatal(err)
				}
				out = sink.n
			}
			m.report(b, int64(len(data)))
			b.ReportMetric(float64(len(data))/float64(out), "ratio")
		})
	}
}
