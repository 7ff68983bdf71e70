package vm

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// t-digest: the mergeable quantile sketch behind APPROX_PERCENTILE and APPROX_MEDIAN
// (Dunning & Ertl, "Computing extremely accurate quantiles using t-digests", the merging
// variant with the k1 scale function k(q) = δ/2π · asin(2q − 1)).
//
// The digest is a list of centroids (mean, weight) sorted by mean, plus the exact minimum and
// maximum. New values go to a buffer; when the buffer and the centroids together pass
// tdigestCap points they are sorted and merged greedily, a centroid growing only while its
// k-range stays within 1, so centroids near the tails stay small (close to single points)
// and those near the median hold about πn/δ points. With δ = 100 the rank error of a quantile
// is typically below 0.5% near the median and much smaller at the tails; it never exceeds
// the weight of the centroids around the answer. Below tdigestCap points nothing is merged:
// every value is its own centroid and the quantile is the exact linear interpolation between
// the two nearest order statistics (the 25th percentile of 1..6 is 2, the median 3.5).
//
// A quantile q of n points is found at rank q·n: centroid i sits at rank (weights before it)
// + wᵢ/2, the answer interpolates linearly between the means of the centroids on either side,
// and the minimum and maximum anchor the two ends.

const (
	tdigestCompression = 100
	tdigestCap         = 1000 // points kept before the first merge
)

// ErrTDigestState is returned (wrapped) for a partial state that is not a valid digest.
var ErrTDigestState = errors.New("bad t-digest state")

type centroid struct {
	mean, weight float64
}

type tdigest struct {
	c        []centroid // sorted by mean once compressed; the buffer is appended unsorted
	sorted   int        // c[:sorted] is the compressed, sorted part
	total    float64
	min, max float64
}

func (t *tdigest) add(x float64) {
	if math.IsNaN(x) {
		return
	}
	if t.total == 0 {
		t.min, t.max = x, x
	} else {
		t.min = math.Min(t.min, x)
		t.max = math.Max(t.max, x)
	}
	t.c = append(t.c, centroid{x, 1})
	t.total++
	if len(t.c) >= 2*tdigestCap && len(t.c)-t.sorted >= tdigestCap {
		t.compress()
	}
}

// tdK is the k1 scale function and tdKInv its inverse.
func tdK(q float64) float64 { return tdigestCompression / (2 * math.Pi) * math.Asin(2*q-1) }

func tdKInv(k float64) float64 {
	return (math.Sin(math.Min(math.Max(k*2*math.Pi/tdigestCompression, -math.Pi/2), math.Pi/2)) + 1) / 2
}

// sortAll sorts the centroids by mean without merging them.
func (t *tdigest) sortAll() {
	if t.sorted == len(t.c) {
		return
	}
	slices.SortFunc(t.c, func(a, b centroid) int { return cmpFloat(a.mean, b.mean) })
	t.sorted = len(t.c)
}

// compress sorts and merges the centroids.
func (t *tdigest) compress() {
	t.sortAll()
	if len(t.c) < 2 {
		return
	}
	out := t.c[:1]
	soFar := 0.0
	limit := t.total * tdKInv(tdK(0)+1)
	for _, c := range t.c[1:] {
		cur := &out[len(out)-1]
		if soFar+cur.weight+c.weight <= limit {
			w := cur.weight + c.weight
			cur.mean += (c.mean - cur.mean) * c.weight / w
			cur.weight = w
			continue
		}
		soFar += cur.weight
		limit = t.total * tdKInv(tdK(soFar/t.total)+1)
		out = append(out, c)
	}
	t.c = out
	t.sorted = len(out)
}

// merge folds o into t.
func (t *tdigest) merge(o *tdigest) {
	if o.total == 0 {
		return
	}
	if t.total == 0 {
		t.min, t.max = o.min, o.max
	} else {
		t.min = math.Min(t.min, o.min)
		t.max = math.Max(t.max, o.max)
	}
	t.c = append(t.c, o.c...)
	t.total += o.total
	t.sortAll()
	if len(t.c) > 2*tdigestCap {
		t.compress()
	}
}

// quantile returns the estimated q-quantile (q in [0, 1]); ok is false for an empty digest.
//
// While every number in the digest is exactly a float32 (the common case of small integers
// and short decimals, which the original's float32 digest holds exactly too), the
// arithmetic is done in float32, which reproduces the original's answers bit for bit (its
// 10th percentile of 1,2,2,4,4,4,5,8 is 1.2999999523162842); otherwise it is float64.
func (t *tdigest) quantile(q float64) (float64, bool) {
	if t.total == 0 {
		return 0, false
	}
	t.sortAll()
	exact32 := isF32(t.min) && isF32(t.max) && isF32(t.total)
	for i := 0; exact32 && i < len(t.c); i++ {
		exact32 = isF32(t.c[i].mean) && isF32(t.c[i].weight)
	}
	if exact32 {
		return float64(quantileOf(t.c, float32(t.total), float32(t.min), float32(t.max), float32(q))), true
	}
	return quantileOf(t.c, t.total, t.min, t.max, q), true
}

func quantileOf[F float32 | float64](c []centroid, total, lo, hi, q F) F {
	if len(c) == 1 {
		return F(c[0].mean)
	}
	if q <= 0 {
		return lo
	}
	if q >= 1 {
		return hi
	}
	idx := q * total
	fm, fw := F(c[0].mean), F(c[0].weight)
	lm, lw := F(c[len(c)-1].mean), F(c[len(c)-1].weight)
	if idx <= fw/2 {
		return interp(lo, 0, fm, fw/2, idx)
	}
	if idx >= total-lw/2 {
		return interp(lm, total-lw/2, hi, total, idx)
	}
	cum := F(0) // rank of the left edge of c[i]
	for i := 0; i+1 < len(c); i++ {
		w, w1 := F(c[i].weight), F(c[i+1].weight)
		center := cum + w/2
		next := cum + w + w1/2
		if idx <= next {
			return interp(F(c[i].mean), center, F(c[i+1].mean), next, idx)
		}
		cum += w
	}
	return hi
}

// interp interpolates linearly between x0 at rank r0 and x1 at rank r1, at rank r.
func interp[F float32 | float64](x0, r0, x1, r1, r F) F {
	if x0 == x1 {
		return x0
	}
	a, b := r-r0, r1-r
	return (x0*b + x1*a) / (a + b)
}

func isF32(x float64) bool { return float64(float32(x)) == x }

func (t *tdigest) size() int64 { return int64(cap(t.c))*16 + 64 }

// state encodes the digest as [min, max, [mean, weight, mean, weight, ...]] after
// compressing it.
func (t *tdigest) state() Value {
	if t.total == 0 {
		return Null()
	}
	if len(t.c) > tdigestCap {
		t.compress()
	}
	t.sortAll()
	l := make([]Value, 0, 2*len(t.c))
	for _, c := range t.c {
		l = append(l, Float(c.mean), Float(c.weight))
	}
	return List([]Value{Float(t.min), Float(t.max), List(l)})
}

func (t *tdigest) mergeState(s Value) error {
	if s.k == KNull {
		return nil
	}
	l := s.List()
	if len(l) != 3 || l[0].k != KFloat || l[1].k != KFloat || l[2].k != KList || len(l[2].List())%2 != 0 {
		return fmt.Errorf("%w: %s", ErrTDigestState, FormatValue(s))
	}
	o := tdigest{min: l[0].Float(), max: l[1].Float()}
	cs := l[2].List()
	for i := 0; i < len(cs); i += 2 {
		m, w := cs[i], cs[i+1]
		if m.k != KFloat || w.k != KFloat || !(w.Float() > 0) || math.IsNaN(m.Float()) || math.IsInf(w.Float(), 0) {
			return fmt.Errorf("%w: bad centroid %s, %s", ErrTDigestState, FormatValue(m), FormatValue(w))
		}
		o.c = append(o.c, centroid{m.Float(), w.Float()})
		o.total += w.Float()
	}
	if len(o.c) == 0 || !(o.min <= o.max) {
		return fmt.Errorf("%w: empty or inverted range", ErrTDigestState)
	}
	t.merge(&o)
	return nil
}
