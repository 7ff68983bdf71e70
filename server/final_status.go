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
)

// finalStatus is the content of the final status record.
type finalStatus struct {
	hits, misses  int64 // block cache hits and misses
	scanned       int64 // decompressed bytes of the columns read
	rows          int64 // rows returned
	blocks        int64 // blocks of the tables scanned
	blocksSkipped int64 // blocks skipped by their summaries
	elapsed       time.Duration
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

// writeFinalStatus appends the record to a result in format f.
func writeFinalStatus(w output.Writer, f output.Format, st *finalStatus) error {
	if f == output.Ion {
		return output.WriteIonAnnotated(w, finalStatusLabel, st.value())
	}
	return w.Row(vm.Struct([]vm.Field{{Name: finalStatusKey, Value: st.value()}}))
}
