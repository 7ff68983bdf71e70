package vm

import (
	"testing"
)

func TestDatashape(t *testing.T) {
	rows := []Value{
		Struct([]Field{{"x", String("foo")}, {"y", Struct([]Field{{"bar", Int(1)}, {"baz", Bool(true)}})}}),
		Struct([]Field{{"x", String("xyż")}, {"y", Struct([]Field{{"bar", Int(5)}, {"baz", Bool(false)}})}, {"l", List([]Value{Int(1), Int(2)})}}),
		Struct([]Field{{"x", Null()}, {"y", Struct([]Field{{"bar", Float(3.5)}})}, {"l", List(nil)}, {"t", Time(7)}}),
	}
	want := Struct([]Field{
		{"total", Int(3)},
		{"fields", Struct([]Field{
			{"x", Struct([]Field{{"null", Int(1)}, {"string", Int(2)}, {"string-min-length", Int(3)}, {"string-max-length", Int(3)}})},
			{"y", Struct([]Field{{"struct", Int(3)}})},
			{"y.bar", Struct([]Field{{"int", Int(2)}, {"int-min-value", Int(1)}, {"int-max-value", Int(5)}, {"float", Int(1)}, {"float-min-value", Float(3.5)}, {"float-max-value", Float(3.5)}})},
			{"y.baz", Struct([]Field{{"bool", Int(2)}})},
			{"l", Struct([]Field{{"list", Int(2)}, {"list-min-length", Int(0)}, {"list-max-length", Int(2)}})},
			{"t", Struct([]Field{{"timestamp", Int(1)}})},
		})},
	})
	fn := LookupAgg("SNELLER_DATASHAPE")
	run := func(lo, hi int) Agg {
		a := fn.New(AggOptions{})
		a.Resize(1)
		v := &Vec{}
		v.Reset(len(rows))
		for i, r := range rows {
			v.Put(i, r)
		}
		sel := MakeBitmap(nil, len(rows))
		for i := lo; i < hi; i++ {
			sel.Set(i)
		}
		if err := a.Update(newTestCtx(), []*Vec{v}, sel, nil); err != nil {
			t.Fatal(err)
		}
		return a
	}
	single := run(0, 3)
	if got := single.Result(0); !confEqual(got, want, 0) {
		t.Fatalf("got %s\nwant %s", FormatValue(got), FormatValue(want))
	}
	left, right, viaState := run(0, 1), run(1, 3), run(0, 1)
	left.Merge(0, right, 0)
	if err := viaState.MergeState(0, right.State(0)); err != nil {
		t.Fatal(err)
	}
	for what, a := range map[string]Agg{"Merge": left, "MergeState": viaState} {
		if got := a.Result(0); !confEqual(got, want, 0) {
			t.Errorf("%s: got %s\nwant %s", what, FormatValue(got), FormatValue(want))
		}
	}
	empty := fn.New(AggOptions{})
	empty.Resize(1)
	if got := empty.Result(0); !confEqual(got, Struct([]Field{{"total", Int(0)}, {"fields", Struct(nil)}}), 0) {
		t.Errorf("empty: %s", FormatValue(got))
	}
}

// TestDatashapeFieldLimit checks that a flood of distinct paths is cut off and flagged.
func TestDatashapeFieldLimit(t *testing.T) {
	var s shape
	fields := make([]Field, datashapeMaxFields+10)
	for i := range fields {
		fields[i] = Field{Name: "f" + itoa(i), Value: Int(1)}
	}
	s.walk("", Struct(fields), 0)
	if len(s.fields) != datashapeMaxFields || !s.truncated {
		t.Fatalf("%d fields, truncated=%v", len(s.fields), s.truncated)
	}
}
