package ingest

import (
	"context"
	"sync"
)

// taskQueue holds the chunks read and not yet taken by a worker, one queue per input, with a
// bound on the total. A worker takes the next chunk of the input it is working on when there
// is one (so that its block fills up with rows of one input instead of being cut at every
// switch between inputs read at the same time), else the oldest chunk of another input.
type taskQueue struct {
	mu     sync.Mutex
	cond   sync.Cond
	queues map[*inputState][]*chunk
	order  []*inputState // inputs with queued chunks, in the order their first chunk came
	n, max int
	closed bool  // no more puts
	dead   bool  // the context is done
	pokes  int64 // generation of pokes
}

func newTaskQueue(ctx context.Context, max int) *taskQueue {
	q := &taskQueue{queues: map[*inputState][]*chunk{}, max: max}
	q.cond.L = &q.mu
	context.AfterFunc(ctx, func() {
		q.mu.Lock()
		q.dead = true
		q.cond.Broadcast()
		q.mu.Unlock()
	})
	return q
}

// put queues a chunk of st, waiting for room; it fails when the context is done.
func (q *taskQueue) put(ctx context.Context, st *inputState, ch *chunk) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n >= q.max && !q.dead {
		q.cond.Wait()
	}
	if q.dead {
		return ctx.Err()
	}
	if len(q.queues[st]) == 0 {
		q.order = append(q.order, st)
	}
	q.queues[st] = append(q.queues[st], ch)
	q.n++
	q.cond.Broadcast()
	return nil
}

// close says no more chunks will come.
func (q *taskQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// poke wakes the workers waiting for chunks so they look at their unfinished blocks.
func (q *taskQueue) poke() {
	q.mu.Lock()
	q.pokes++
	q.cond.Broadcast()
	q.mu.Unlock()
}

// get returns the next chunk for a worker busy with prefer (nil for none). It waits while
// there is none; it returns poked when a poke came since seen (a generation the worker keeps),
// and ok false once the queue is closed and empty.
func (q *taskQueue) get(prefer *inputState, seen *int64) (t task, poked, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		if q.n > 0 {
			st := prefer
			if len(q.queues[st]) == 0 {
				st = q.order[0]
			}
			chs := q.queues[st]
			t = task{st: st, ch: chs[0]}
			chs[0] = nil
			chs = chs[1:]
			if len(chs) == 0 {
				delete(q.queues, st)
				for i, s := range q.order {
					if s == st {
						q.order = append(q.order[:i], q.order[i+1:]...)
						break
					}
				}
			} else {
				q.queues[st] = chs
			}
			q.n--
			q.cond.Broadcast()
			return t, false, true
		}
		if *seen != q.pokes {
			*seen = q.pokes
			return task{}, true, true
		}
		if q.closed {
			return task{}, false, false
		}
		q.cond.Wait()
	}
}
