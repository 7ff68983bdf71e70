package db

import (
	"container/list"
	"sync"

	"github.com/sneller-re/sneller/pack"
)

// hashCache keeps immutable decoded documents by the SHA-256 of their bytes (input segments,
// blob trailers), least recently used first out once their total weight passes max. Concurrent
// requests for an absent document share one load.
type hashCache[V any] struct {
	mu      sync.Mutex
	max     int64
	total   int64
	weight  func(V) int64
	lru     *list.List
	byHash  map[[32]byte]*list.Element
	loading map[[32]byte]*hashLoad[V]
}

type hashEntry[V any] struct {
	hash   [32]byte
	v      V
	weight int64
}

type hashLoad[V any] struct {
	done chan struct{}
	v    V
	err  error
}

func newHashCache[V any](max int64, weight func(V) int64) *hashCache[V] {
	return &hashCache[V]{max: max, weight: weight, lru: list.New(),
		byHash: map[[32]byte]*list.Element{}, loading: map[[32]byte]*hashLoad[V]{}}
}

// get returns the document with hash h, calling load when it is absent. Errors are not
// cached.
func (c *hashCache[V]) get(h [32]byte, load func() (V, error)) (V, error) {
	c.mu.Lock()
	if e, ok := c.byHash[h]; ok {
		c.lru.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*hashEntry[V]).v, nil
	}
	if l, ok := c.loading[h]; ok {
		c.mu.Unlock()
		<-l.done
		if l.err != nil {
			return c.get(h, load) // the other load failed (perhaps its context ended): try ours
		}
		return l.v, nil
	}
	l := &hashLoad[V]{done: make(chan struct{})}
	c.loading[h] = l
	c.mu.Unlock()
	l.v, l.err = load()
	c.mu.Lock()
	delete(c.loading, h)
	if l.err == nil {
		w := c.weight(l.v)
		if w <= c.max {
			c.byHash[h] = c.lru.PushFront(&hashEntry[V]{hash: h, v: l.v, weight: w})
			c.total += w
			for c.total > c.max {
				last := c.lru.Back()
				e := last.Value.(*hashEntry[V])
				c.lru.Remove(last)
				delete(c.byHash, e.hash)
				c.total -= e.weight
			}
		}
	}
	c.mu.Unlock()
	close(l.done)
	return l.v, l.err
}

// segmentCache keeps decoded input segments (weight: entries).
var segmentCache = newHashCache(1<<20, func(v []InputInfo) int64 { return int64(len(v)) + 1 })

// trailerCache keeps decoded blob trailers (weight: about their decoded size).
var trailerCache = newHashCache(256<<20, func(t *pack.Trailer) int64 {
	n := int64(256)
	for i := range t.Blocks {
		n += 128 + int64(len(t.Blocks[i].Columns))*256
		for _, s := range t.Blocks[i].Symbols {
			n += 16 + int64(len(s))
		}
	}
	return n
})
