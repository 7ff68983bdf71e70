package vm

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
)

func pushAll(t testing.TB, op Op, c *Ctx, batches ...*Batch) {
	t.Helper()
	for _, b := range batches {
		if err := op.Push(c, b); err != nil && err != ErrDone {
			t.Fatal(err)
		}
	}
	if err := op.Close(c); err != nil {
		t.Fatal(err)
	}
}

func TestSortAndTopK(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 21))
	for iter := 0; iter < 50; iter++ {
		n := 1 + r.IntN(400)
		vals := randVals(r, n)
		ids := make([]Value, n)
		for i := range ids {
			ids[i] = Int(int64(i))
		}
		bt := batchOf(n, vecOf(vals, false), vecOf(ids, false))
		desc := iter%2 == 1
		nullsFirst := iter%3 != 0
		keys := []SortKey{{X: &Var{Slot: 0}, Desc: desc, NullsFirst: nullsFirst}}
		// reference: stable sort of indices
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool {
			return cmpKeys(keys, []Value{vals[idx[a]]}, []Value{vals[idx[b]]}) < 0
		})
		for _, limit := range []int64{-1, 0, 1, 7} {
			offset := int64(0)
			if limit > 0 {
				offset = int64(iter % 3)
			}
			out := &Collect{}
			s := &Sort{Keys: keys, Limit: limit, Offset: offset, Next: out}
			pushAll(t, s, newTestCtx(), bt)
			want := idx
			if offset > 0 {
				want = want[min(int(offset), len(want)):]
			}
			if limit >= 0 && int64(len(want)) > limit {
				want = want[:limit]
			}
			if len(out.Rows) != len(want) {
				t.Fatalf("limit %d offset %d: %d rows, want %d", limit, offset, len(out.Rows), len(want))
			}
			for i, row := range out.Rows {
				if row[1].Int() != int64(want[i]) {
					t.Fatalf("limit %d: row %d is input %d, want %d", limit, i, row[1].Int(), want[i])
				}
			}
		}
	}
}

func TestHashAggMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 23))
	count, sum := LookupAgg("COUNT"), LookupAgg("SUM")
	for iter := 0; iter < 40; iter++ {
		n := 1 + r.IntN(500)
		keys := make([]Value, n)
		nums := make([]Value, n)
		for i := range keys {
			if iter%2 == 0 {
				keys[i] = String([]string{"a", "b", "c", "d"}[r.IntN(4)])
			} else {
				keys[i] = randValue(r)
			}
			switch r.IntN(4) {
			case 0:
				nums[i] = Float(float64(r.IntN(10)))
			case 1:
				nums[i] = String("x")
			default:
				nums[i] = Int(int64(r.IntN(10)))
			}
		}
		// reference
		type acc struct {
			key   Value
			count int64
			isum  int64
			fsum  float64
			seen  int
		}
		var ref []*acc
		for i := range keys {
			if keys[i].k == KMissing {
				continue
			}
			var a *acc
			for _, x := range ref {
				if Equal(x.key, keys[i]) {
					a = x
				}
			}
			if a == nil {
				a = &acc{key: keys[i]}
				ref = append(ref, a)
			}
			a.count++
			switch nums[i].k {
			case KInt:
				a.isum += nums[i].Int()
				a.seen |= 1
			case KFloat:
				a.fsum += nums[i].Float()
				a.seen |= 2
			}
		}
		// split into two workers sharing the table, with batches of various sizes
		shared := &AggShared{Workers: 2}
		out := &Collect{}
		mk := func() *HashAgg {
			return &HashAgg{Keys: []Expr{&Var{Slot: 0}}, Aggs: []AggSpec{
				{Func: count, Args: nil}, {Func: sum, Args: []Expr{&Var{Slot: 1}}},
			}, Next: out, Shared: shared}
		}
		w1, w2 := mk(), mk()
		half := n / 2
		c1, c2 := newTestCtx(), newTestCtx()
		pushAll(t, w1, c1, batchOf(half, vecOf(keys[:half], iter%4 == 0), vecOf(nums[:half], false)))
		pushAll(t, w2, c2, batchOf(n-half, vecOf(keys[half:], false), vecOf(nums[half:], false)))
		if len(out.Rows) != len(ref) {
			t.Fatalf("%d groups, want %d", len(out.Rows), len(ref))
		}
		for _, a := range ref {
			found := false
			for _, row := range out.Rows {
				if Equal(row[0], a.key) {
					found = true
					if row[1].Int() != a.count {
						t.Fatalf("group %s: count %d, want %d", FormatValue(a.key), row[1].Int(), a.count)
					}
					var want Value
					switch a.seen {
					case 0:
						want = Null()
					case 1:
						want = Int(a.isum)
					default:
						want = Float(float64(a.isum) + a.fsum)
					}
					if !sameValue(row[2], want) {
						t.Fatalf("group %s: sum %s, want %s", FormatValue(a.key), FormatValue(row[2]), FormatValue(want))
					}
				}
			}
			if !found {
				t.Fatalf("group %s missing", FormatValue(a.key))
			}
		}
	}
}

func TestAggNoGroupsEmptyInput(t *testing.T) {
	out := &Collect{}
	h := &HashAgg{Aggs: []AggSpec{{Func: LookupAgg("COUNT")}, {Func: LookupAgg("SUM"), Args: []Expr{&Var{Slot: 0}}}}, Next: out}
	pushAll(t, h, newTestCtx())
	if len(out.Rows) != 1 || out.Rows[0][0].Int() != 0 || out.Rows[0][1].k != KNull {
		t.Fatalf("got %v", out.Rows)
	}
}

func TestMemoryLimit(t *testing.T) {
	c := NewCtx(context.Background(), NewMemory(10_000), 0)
	n := 5000
	keys := make([]Value, n)
	for i := range keys {
		keys[i] = Int(int64(i))
	}
	h := &HashAgg{Keys: []Expr{&Var{Slot: 0}}, Aggs: []AggSpec{{Func: LookupAgg("COUNT")}}, Next: &Collect{}}
	err := h.Push(c, batchOf(n, vecOf(keys, false)))
	if err == nil {
		t.Fatal("no error past the memory limit")
	}
	if !errorsIs(err, ErrMemoryLimit) {
		t.Fatalf("error %v is not ErrMemoryLimit", err)
	}
}

// TestTopKTiesKeepInputOrder pushes batches out of input order (as workers, or a scan reading
// blocks best first, do): among rows tied at the cut, a top-k keeps those first in input
// order (by Base), as a full sort followed by a limit does.
func TestTopKTiesKeepInputOrder(t *testing.T) {
	keys := []SortKey{{X: &Var{Slot: 0}}}
	for _, limit := range []int64{-1, 1, 2} {
		out := &Collect{}
		s := &Sort{Keys: keys, Limit: limit, Next: out}
		c := newTestCtx()
		for _, base := range []int64{3 << 32, 1 << 32, 2 << 32} {
			b := batchOf(1, vecOf([]Value{Int(7)}, false), vecOf([]Value{Int(base >> 32)}, false))
			b.Base = base
			if err := s.Push(c, b); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(c); err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, r := range out.Rows {
			got = append(got, r[1].Int())
		}
		want := []int64{1, 2, 3}
		if limit >= 0 {
			want = want[:limit]
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("limit %d: rows from batches %v, want %v", limit, got, want)
		}
	}
}
