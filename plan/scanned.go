package plan

// MaxScanned returns an upper bound of the bytes the query's table scans will read when it
// runs: the decompressed size of the columns each scan needs, over the blocks that block
// summaries do not skip (blocks without a summary count nothing). Scans that run once per
// outer row (correlated subqueries) are counted once. Servers compare it with a tenant's scan
// limit before running the query.
func (q *Query) MaxScanned() int64 {
	var n int64
	for _, s := range q.p.scans {
		nb := s.src.Blocks()
		for i := 0; i < nb; i++ {
			sum := s.src.Summary(i)
			if sum == nil || (len(s.prune) > 0 && !mayMatch(s.prune, sum)) {
				continue
			}
			n += sum.Bytes(s.need)
		}
	}
	return n
}
