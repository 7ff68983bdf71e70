package vm

import (
	"encoding/binary"
	"math"
	"testing"
)

// Partial aggregate states arrive from other replicas; decoding them must never panic, and
// a state that decodes must leave the aggregate usable.

func FuzzHLLState(f *testing.F) {
	var s hll
	for i := 0; i < 10; i++ {
		s.add(HashInt(int64(i)), 6)
	}
	f.Add(s.state(6).List()[1].Ion(), uint8(6))
	for i := 0; i < 100; i++ {
		s.add(HashInt(int64(i)), 6)
	}
	f.Add(s.state(6).List()[1].Ion(), uint8(6))
	f.Add([]byte{0xAE, 0x90}, uint8(4))
	f.Fuzz(func(t *testing.T, blob []byte, p uint8) {
		p = HLLMinPrecision + p%(HLLMaxPrecision-HLLMinPrecision+1)
		var d hll
		if err := d.mergeState(List([]Value{Int(int64(p)), Other(blob)}), p); err == nil {
			d.add(HashInt(1), p)
			if d.estimate(p) < 0 {
				t.Fatal("negative estimate")
			}
		}
		// the same bytes as a list of hashes
		var hs []Value
		for i := 0; i+8 <= len(blob); i += 8 {
			hs = append(hs, Int(int64(binary.LittleEndian.Uint64(blob[i:]))))
		}
		var e hll
		if err := e.mergeState(List([]Value{Int(int64(p)), List(hs)}), p); err != nil {
			t.Fatalf("a list of hashes was refused: %v", err)
		}
		_ = e.estimate(p)
	})
}

func FuzzTDigestState(f *testing.F) {
	var d tdigest
	for i := 0; i < 50; i++ {
		d.add(float64(i * i))
	}
	seed := func(v Value) []byte {
		var b []byte
		l := v.List()
		for _, x := range append([]Value{l[0], l[1]}, l[2].List()...) {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x.Float()))
		}
		return b
	}
	f.Add(seed(d.state()))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var fs []float64
		for i := 0; i+8 <= len(b); i += 8 {
			fs = append(fs, math.Float64frombits(binary.LittleEndian.Uint64(b[i:])))
		}
		if len(fs) < 2 {
			return
		}
		var cs []Value
		for _, x := range fs[2:] {
			cs = append(cs, Float(x))
		}
		var t1 tdigest
		if err := t1.mergeState(List([]Value{Float(fs[0]), Float(fs[1]), List(cs)})); err != nil {
			return
		}
		for _, q := range []float64{0, 0.3, 0.5, 1} {
			if _, ok := t1.quantile(q); !ok {
				t.Fatal("a decoded digest is empty")
			}
		}
		t1.add(1)
		t1.compress()
	})
}
