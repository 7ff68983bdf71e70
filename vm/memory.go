package vm

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// ErrMemoryLimit is returned (wrapped) when a query needs more memory than its limit allows.
var ErrMemoryLimit = errors.New("query memory limit exceeded")

// Memory accounts the memory a query holds in its stateful operators (hash tables, sort
// buffers, DISTINCT sets, join build sides, window partitions, materialised results). The
// scan path's per-block buffers are bounded by the block size and not counted. Safe for
// concurrent use.
type Memory struct {
	limit int64 // 0: unlimited
	used  atomic.Int64
	peak  atomic.Int64
}

// NewMemory returns an account with the given limit in bytes (0 or less: unlimited).
func NewMemory(limit int64) *Memory {
	if limit < 0 {
		limit = 0
	}
	return &Memory{limit: limit}
}

// Grow records n more bytes in use; it fails with ErrMemoryLimit (leaving the account
// unchanged) when that would pass the limit.
func (m *Memory) Grow(n int64) error {
	if m == nil {
		return nil
	}
	u := m.used.Add(n)
	if m.limit > 0 && u > m.limit {
		m.used.Add(-n)
		return fmt.Errorf("%w: the query needs more than %d bytes for its intermediate state (GROUP BY, ORDER BY, DISTINCT, JOIN or window functions); add filters, a LIMIT, or raise the limit", ErrMemoryLimit, m.limit)
	}
	for {
		p := m.peak.Load()
		if u <= p || m.peak.CompareAndSwap(p, u) {
			break
		}
	}
	return nil
}

// Shrink records n bytes released.
func (m *Memory) Shrink(n int64) {
	if m != nil {
		m.used.Add(-n)
	}
}

// Used returns the bytes currently accounted.
func (m *Memory) Used() int64 { return m.used.Load() }

// Peak returns the largest number of bytes accounted at once.
func (m *Memory) Peak() int64 { return m.peak.Load() }

// Limit returns the limit (0: unlimited).
func (m *Memory) Limit() int64 { return m.limit }

// valueSize estimates the bytes a retained Value holds.
func valueSize(v Value) int64 {
	n := int64(48) + int64(len(v.b))
	if v.c != nil {
		for _, x := range v.c.list {
			n += valueSize(x)
		}
		for _, f := range v.c.fields {
			n += valueSize(f.Value) + int64(len(f.Name)) + 16
		}
	}
	return n
}
