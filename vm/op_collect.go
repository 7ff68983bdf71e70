package vm

import "sync"

// Collect gathers every row it receives as tuples of Values (owning their bytes): the sink of
// subqueries, tests and small results.
type Collect struct {
	mu   sync.Mutex
	Rows [][]Value
	buf  rowBuf
}

func (k *Collect) Push(c *Ctx, b *Batch) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.buf.mem = c.Mem
	var err error
	b.Sel.ForEach(func(i int) {
		if err == nil {
			err = k.buf.add(tupleAt(b.Vars, i))
		}
	})
	k.Rows = k.buf.rows
	return err
}

func (k *Collect) Close(c *Ctx) error { return nil }

// Release returns the collected rows' memory to the query's account.
func (k *Collect) Release() { k.buf.release() }
