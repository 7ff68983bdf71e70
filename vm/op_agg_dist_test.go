package vm

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
)

// distAggs are aggregates of every kind of partial state.
func distAggs() []AggSpec {
	return []AggSpec{
		{Func: LookupAgg("COUNT")},
		{Func: LookupAgg("SUM"), Args: []Expr{&Var{Slot: 1}}},
		{Func: LookupAgg("AVG"), Args: []Expr{&Var{Slot: 1}}},
		{Func: LookupAgg("MIN"), Args: []Expr{&Var{Slot: 1}}},
		{Func: LookupAgg("MAX"), Args: []Expr{&Var{Slot: 1}}},
		{Func: LookupAgg("COUNT"), Args: []Expr{&Var{Slot: 1}}, NewAgg: func() Agg { return NewDistinctAgg(LookupAgg("COUNT"), AggOptions{}) }},
	}
}

// aggRows runs a HashAgg over the batches (one worker each) and returns its sorted rows.
func aggRows(t testing.TB, keys []Expr, batches []*Batch, partials [][2][]Value) []string {
	out := &Collect{}
	shared := &AggShared{Workers: len(batches) + 1}
	c := newTestCtx()
	for _, b := range batches {
		h := &HashAgg{Keys: keys, Aggs: distAggs(), Next: out, Shared: shared}
		pushAll(t, h, c, b)
	}
	h := &HashAgg{Keys: keys, Aggs: distAggs(), Next: out, Shared: shared}
	for _, p := range partials {
		if err := h.MergeStates(c, p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Close(c); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, r := range out.Rows {
		rows = append(rows, FormatValue(List(r)))
	}
	sort.Strings(rows)
	return rows
}

// partialStates runs a HashAgg over the batches with EmitStates and returns what it emits.
func partialStates(t testing.TB, keys []Expr, batches []*Batch) [][2][]Value {
	var got [][2][]Value
	shared := &AggShared{Workers: len(batches), EmitStates: func(key, states []Value) error {
		k := make([]Value, len(key))
		for i := range key {
			k[i] = key[i].Clone()
		}
		s := make([]Value, len(states))
		for i := range states {
			s[i] = states[i].Clone()
		}
		got = append(got, [2][]Value{k, s})
		return nil
	}}
	c := newTestCtx()
	for _, b := range batches {
		pushAll(t, &HashAgg{Keys: keys, Aggs: distAggs(), Shared: shared}, c, b)
	}
	return got
}

func distBatches(r *rand.Rand, nbatch, rows, groups int) []*Batch {
	var out []*Batch
	for range nbatch {
		ks := make([]Value, rows)
		xs := make([]Value, rows)
		for i := range ks {
			ks[i] = Int(int64(r.IntN(groups)))
			if r.IntN(3) == 0 {
				ks[i] = String(fmt.Sprintf("g%d", r.IntN(groups)))
			}
			xs[i] = Int(int64(r.IntN(100)))
		}
		out = append(out, batchOf(rows, vecOf(ks, false), vecOf(xs, false)))
	}
	return out
}

// TestMergeStates: aggregating part of the input here and merging the partial states of the
// rest (emitted by another HashAgg) gives the answer of aggregating everything here.
func TestMergeStates(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	for _, grouped := range []bool{true, false} {
		var keys []Expr
		if grouped {
			keys = []Expr{&Var{Slot: 0}}
		}
		all := distBatches(r, 6, 300, 40)
		want := aggRows(t, keys, all, nil)
		states := partialStates(t, keys, all[3:])
		if grouped && len(states) < 40 {
			t.Fatalf("%d partial groups", len(states))
		}
		if !grouped && len(states) != 1 {
			t.Fatalf("%d partial groups without GROUP BY", len(states))
		}
		got := aggRows(t, keys, all[:3], states)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("grouped %v:\ngot  %v\nwant %v", grouped, got, want)
		}
	}
	// bad partial states are errors
	h := &HashAgg{Keys: []Expr{&Var{Slot: 0}}, Aggs: distAggs()}
	c := newTestCtx()
	for _, p := range [][2][]Value{
		{{Int(1)}, {Int(1)}},
		{{}, {Int(1), Null(), Null(), Null(), Null(), List(nil)}},
		{{Missing()}, {Int(1), Null(), Null(), Null(), Null(), List(nil)}},
		{{Int(1)}, {String("x"), Null(), Null(), Null(), Null(), List(nil)}},
	} {
		if err := h.MergeStates(c, p[0], p[1]); err == nil {
			t.Errorf("MergeStates(%v, %v): no error", p[0], p[1])
		}
	}
}

// BenchmarkMergeStates measures folding another replica's partial group states (10 000
// groups of COUNT, SUM, AVG, MIN, MAX) into a HashAgg.
func BenchmarkMergeStates(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 5))
	keys := []Expr{&Var{Slot: 0}}
	aggs := distAggs()[:5]
	var states [][2][]Value
	shared := &AggShared{Workers: 1, EmitStates: func(key, st []Value) error {
		states = append(states, [2][]Value{append([]Value(nil), key...), append([]Value(nil), st...)})
		return nil
	}}
	c := newTestCtx()
	ks := make([]Value, 20000)
	xs := make([]Value, len(ks))
	for i := range ks {
		ks[i] = Int(int64(r.IntN(10000)))
		xs[i] = Int(int64(r.IntN(1000)))
	}
	bt := batchOf(len(ks), vecOf(ks, false), vecOf(xs, false))
	pushAll(b, &HashAgg{Keys: keys, Aggs: aggs, Shared: shared}, c, bt)
	// merged, the states give what aggregating the rows directly gives
	direct, merged := &Collect{}, &Collect{}
	pushAll(b, &HashAgg{Keys: keys, Aggs: aggs, Next: direct}, c, bt)
	h := &HashAgg{Keys: keys, Aggs: aggs, Next: merged}
	for _, s := range states {
		if err := h.MergeStates(c, s[0], s[1]); err != nil {
			b.Fatal(err)
		}
	}
	pushAll(b, h, c)
	if len(merged.Rows) != len(direct.Rows) {
		b.Fatalf("merged states give %d groups, the direct aggregation %d", len(merged.Rows), len(direct.Rows))
	}
	for i := range direct.Rows {
		if got, want := FormatValue(List(merged.Rows[i])), FormatValue(List(direct.Rows[i])); got != want {
			b.Fatalf("group %d: merged states give %s, the direct aggregation %s", i, got, want)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		h := &HashAgg{Keys: keys, Aggs: aggs, Next: &Collect{}}
		for _, s := range states {
			if err := h.MergeStates(c, s[0], s[1]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(states)), "groups/op")
}
