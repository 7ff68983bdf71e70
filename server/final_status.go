package server

import (
	"time"

	"github.com/sneller-re/sneller/output"
	"github.com/sneller-re/sneller/vm"
)

// Names of the final status record. In Ion the record is the annotated struct
// final_status::{...} (always written, as the original daemon does); in ND-JSON and JSON it
// is the object {"$sneller_final_status$": {...}}, written when the request has the stats
// parameter.
const (
	finalStatusLabel = "final_status"
	finalStatusKey   = "$sneller_final_status$"
	resultSetKey     = "result_set"
)

// finalStatus is the content of the final status record.
type finalStatus struct {
	hits, misses  int64 // block cache hits and misses
	scanned       int64 // decompressed bytes of the columns read
	rows          int64 // rows returned
	blocks        int64 // blocks of the tables scanned
	blocksSkipped int64 // blocks skipped by their summaries
	elapsed       time.Duration
	resultSet     []resultColumn // the types of each output column
}

func (f *finalStatus) value() vm.Value {
	return vm.Struct([]vm.Field{
		{Name: "hits", Value: vm.Int(f.hits)},
		{Name: "misses", Value: vm.Int(f.misses)},
		{Name: "scanned", Value: vm.Int(f.scanned)},
		{Name: "rows", Value: vm.Int(f.rows)},
		{Name: "blocks", Value: vm.Int(f.blocks)},
		{Name: "blocks_skipped", Value: vm.Int(f.blocksSkipped)},
		{Name: "elapsed_ms", Value: vm.Float(float64(f.elapsed.Microseconds()) / 1000)},
	})
}

// resultSetValue returns the result set as a struct: column → bitmask (Ion), or column →
// type names joined with '|' (JSON).
func (f *finalStatus) resultSetValue(names bool) vm.Value {
	fields := make([]vm.Field, 0, len(f.resultSet))
	for _, c := range f.resultSet {
		v := vm.Int(int64(c.set))
		if names {
			v = vm.String(c.set.String())
		}
		fields = append(fields, vm.Field{Name: c.name, Value: v})
	}
	return vm.Struct(fields)
}

// writeFinalStatus appends the record to a result in format f: in Ion
// final_status::{hits: ..., result_set: {col: bitmask}}, in the JSON formats
// {"$sneller_final_status$": {"hits": ...}, "result_set": {"col": "int|missing"}}.
func writeFinalStatus(w output.Writer, f output.Format, st *finalStatus) error {
	if f == output.Ion {
		v := st.value()
		v = vm.Struct(append(v.Fields(), vm.Field{Name: resultSetKey, Value: st.resultSetValue(false)}))
		return output.WriteIonAnnotated(w, finalStatusLabel, v)
	}
	return w.Row(vm.Struct([]vm.Field{
		{Name: finalStatusKey, Value: st.value()},
		{Name: resultSetKey, Value: st.resultSetValue(true)},
	}))
}
