package vm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestHLLAccuracy counts large random sets and checks the estimate stays within 3 standard
// errors (1.04/√m) of the exact count, for several precisions and value types.
func TestHLLAccuracy(t *testing.T) {
	sizes := []int{1000, 20_000, 100_000}
	if testing.Short() {
		sizes = []int{1000, 20_000}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, p := range []uint8{8, 11, 14} {
		for _, n := range sizes {
			for _, kind := range []string{"int", "string", "float"} {
				var s hll
				seen := map[uint64]bool{}
				for len(seen) < n {
					var v Value
					switch kind {
					case "int":
						v = Int(r.Int64())
					case "string":
						v = String(fmt.Sprintf("user-%d", r.Uint64()))
					default:
						v = Float(r.NormFloat64())
					}
					h := HashValue(v)
					seen[h] = true
					s.add(h, p)
					if r.IntN(4) == 0 { // duplicates must not count
						s.add(h, p)
					}
				}
				est := float64(s.estimate(p))
				se := 1.04 / math.Sqrt(float64(int(1)<<p))
				if rel := math.Abs(est-float64(n)) / float64(n); rel > 3*se {
					t.Errorf("p=%d n=%d %s: estimate %.0f, relative error %.4f > 3σ = %.4f", p, n, kind, est, rel, 3*se)
				}
			}
		}
	}
}

// TestHLLSequential uses consecutive integers, the worst case for a weak hash.
func TestHLLSequential(t *testing.T) {
	var s hll
	const n = 50_000
	for i := 0; i < n; i++ {
		s.add(HashInt(int64(i)), HLLDefaultPrecision)
	}
	se := 1.04 / math.Sqrt(1<<HLLDefaultPrecision)
	if rel := math.Abs(float64(s.estimate(HLLDefaultPrecision))-n) / n; rel > 3*se {
		t.Fatalf("relative error %.4f", rel)
	}
}

// TestHLLSmallExact checks the sparse (exact) regime and its switch to registers.
func TestHLLSmallExact(t *testing.T) {
	for _, p := range []uint8{4, 11, 16} {
		var s hll
		limit := (1 << p) / 8
		for i := 0; i < limit; i++ {
			s.add(HashInt(int64(i)), p)
			s.add(HashInt(int64(i)), p)
			if got := s.estimate(p); got != int64(i+1) {
				t.Fatalf("p=%d: after %d distinct values the estimate is %d", p, i+1, got)
			}
		}
		if s.dense != nil {
			t.Fatalf("p=%d: densified too early", p)
		}
		s.add(HashInt(-1), p)
		if s.dense == nil {
			t.Fatalf("p=%d: still sparse past the limit", p)
		}
	}
}

// TestHLLMerge checks that merging sketches (sparse and dense, both ways, and through the
// encoded state) equals one sketch of the union.
func TestHLLMerge(t *testing.T) {
	const p = 10
	r := rand.New(rand.NewPCG(5, 6))
	for _, sizes := range [][2]int{{10, 20}, {10, 5000}, {5000, 10}, {3000, 4000}, {0, 7}} {
		var a, b, all hll
		for i := 0; i < sizes[0]; i++ {
			h := HashInt(r.Int64N(1 << 40))
			a.add(h, p)
			all.add(h, p)
		}
		for i := 0; i < sizes[1]; i++ {
			h := HashInt(r.Int64N(1 << 40))
			b.add(h, p)
			all.add(h, p)
		}
		var viaState hll
		if err := viaState.mergeState(a.state(p), p); err != nil {
			t.Fatal(err)
		}
		if err := viaState.mergeState(b.state(p), p); err != nil {
			t.Fatal(err)
		}
		a.merge(&b, p)
		want := all.estimate(p)
		if got := a.estimate(p); got != want {
			t.Errorf("sizes %v: merged estimate %d, single sketch %d", sizes, got, want)
		}
		if got := viaState.estimate(p); got != want {
			t.Errorf("sizes %v: estimate through states %d, single sketch %d", sizes, got, want)
		}
	}
}

func TestHLLBadState(t *testing.T) {
	var s hll
	for _, v := range []Value{
		List([]Value{Int(11)}),
		List([]Value{Int(12), List(nil)}),
		List([]Value{Int(11), List([]Value{String("x")})}),
		List([]Value{Int(11), Other(ionBlob(make([]byte, 10)))}),
		List([]Value{Int(11), Other(ionBlob(append(make([]byte, 2047), 99)))}),
		List([]Value{Int(11), Other([]byte{0xAE, 0x01})}),
	} {
		if err := s.mergeState(v, 11); err == nil {
			t.Errorf("accepted %s", FormatValue(v))
		}
	}
}

func TestIonBlobRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 13, 14, 127, 128, 2048, 65536} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 7)
		}
		got, ok := parseIonBlob(ionBlob(b))
		if !ok || string(got) != string(b) {
			t.Fatalf("n=%d: round trip failed", n)
		}
	}
}

func BenchmarkHLLAdd(b *testing.B) {
	var s hll
	b.SetBytes(8)
	for i := 0; i < b.N; i++ {
		s.add(HashInt(int64(i)), HLLDefaultPrecision)
	}
	b.StopTimer()
	se := 1.04 / math.Sqrt(1<<HLLDefaultPrecision)
	if est := float64(s.estimate(HLLDefaultPrecision)); math.Abs(est-float64(b.N)) > 3*se*float64(b.N) {
		b.Fatalf("%d distinct values estimated at %.0f", b.N, est)
	}
}
