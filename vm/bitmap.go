package vm

import "math/bits"

// Bitmap is a set of row numbers, one bit per row, 64 rows a word. Batches are at most a few
// hundred thousand rows, so bitmaps are small and every set operation is a tight word loop.
// A nil or empty Bitmap is the empty set.
type Bitmap []uint64

// words returns the number of words that n bits need.
func words(n int) int { return (n + 63) >> 6 }

// MakeBitmap returns an empty bitmap able to hold n rows, reusing dst's storage.
func MakeBitmap(dst Bitmap, n int) Bitmap {
	w := words(n)
	if cap(dst) < w {
		return make(Bitmap, w)
	}
	dst = dst[:w]
	clear(dst)
	return dst
}

// FullBitmap returns a bitmap with rows [0, n) set, reusing dst's storage.
func FullBitmap(dst Bitmap, n int) Bitmap {
	dst = MakeBitmap(dst, n)
	for i := range dst {
		dst[i] = ^uint64(0)
	}
	if r := n & 63; r != 0 {
		dst[len(dst)-1] = (1 << r) - 1
	}
	return dst
}

// Get reports whether row i is in the set.
func (b Bitmap) Get(i int) bool {
	w := i >> 6
	return w < len(b) && b[w]&(1<<(i&63)) != 0
}

// Set adds row i; b must be large enough.
func (b Bitmap) Set(i int) { b[i>>6] |= 1 << (i & 63) }

// Clear removes row i; b must be large enough.
func (b Bitmap) Clear(i int) { b[i>>6] &^= 1 << (i & 63) }

// SetTo sets or clears row i.
func (b Bitmap) SetTo(i int, v bool) {
	if v {
		b.Set(i)
	} else {
		b.Clear(i)
	}
}

// Count returns the number of rows in the set.
func (b Bitmap) Count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// Any reports whether the set is non-empty.
func (b Bitmap) Any() bool {
	for _, w := range b {
		if w != 0 {
			return true
		}
	}
	return false
}

// First returns the smallest row in the set, or -1.
func (b Bitmap) First() int {
	for i, w := range b {
		if w != 0 {
			return i<<6 + bits.TrailingZeros64(w)
		}
	}
	return -1
}

// wordAt returns word i, or 0 beyond the end (bitmaps of different lengths combine as if padded
// with zeros).
func (b Bitmap) wordAt(i int) uint64 {
	if i < len(b) {
		return b[i]
	}
	return 0
}

// AndBits sets dst = a ∩ b over n rows and returns dst.
func AndBits(dst, a, b Bitmap, n int) Bitmap {
	dst = grow(dst, n)
	for i := range dst {
		dst[i] = a.wordAt(i) & b.wordAt(i)
	}
	return dst
}

// OrBits sets dst = a ∪ b over n rows and returns dst.
func OrBits(dst, a, b Bitmap, n int) Bitmap {
	dst = grow(dst, n)
	for i := range dst {
		dst[i] = a.wordAt(i) | b.wordAt(i)
	}
	return dst
}

// AndNotBits sets dst = a \ b over n rows and returns dst.
func AndNotBits(dst, a, b Bitmap, n int) Bitmap {
	dst = grow(dst, n)
	for i := range dst {
		dst[i] = a.wordAt(i) &^ b.wordAt(i)
	}
	return dst
}

// Intersects reports whether a ∩ b is non-empty.
func Intersects(a, b Bitmap) bool {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i]&b[i] != 0 {
			return true
		}
	}
	return false
}

// CountAnd returns |a ∩ b|.
func CountAnd(a, b Bitmap) int {
	n := min(len(a), len(b))
	c := 0
	for i := 0; i < n; i++ {
		c += bits.OnesCount64(a[i] & b[i])
	}
	return c
}

func grow(dst Bitmap, n int) Bitmap {
	w := words(n)
	if cap(dst) < w {
		return make(Bitmap, w)
	}
	return dst[:w]
}

// Clone returns a copy of b.
func (b Bitmap) Clone() Bitmap {
	if b == nil {
		return nil
	}
	return append(Bitmap(nil), b...)
}

// ForEach calls fn for every row in the set, in increasing order.
func (b Bitmap) ForEach(fn func(i int)) {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			fn(wi<<6 + t)
			w &= w - 1
		}
	}
}

// AppendRows appends the rows of the set to dst in increasing order.
func (b Bitmap) AppendRows(dst []int32) []int32 {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			dst = append(dst, int32(wi<<6+t))
			w &= w - 1
		}
	}
	return dst
}

// CopyBits sets dst = src over n rows and returns dst.
func CopyBits(dst, src Bitmap, n int) Bitmap {
	dst = grow(dst, n)
	for i := range dst {
		dst[i] = src.wordAt(i)
	}
	return dst
}

// trailing returns the index of the lowest set bit of w (w != 0).
func trailing(w uint64) int { return bits.TrailingZeros64(w) }
