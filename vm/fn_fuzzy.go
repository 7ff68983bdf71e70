package vm

import (
	"errors"
	"unicode"
	"unicode/utf8"
)

// EQUALS_FUZZY(s, t, k) is TRUE when the strings s and t are within Damerau-Levenshtein
// distance k of each other, ignoring case: each insertion, deletion, substitution or
// transposition of adjacent characters costs 1, and unlike the restricted "optimal string
// alignment" variant a transposed pair may be edited again ('ole' → 'lXoe' is 2 edits).
// CONTAINS_FUZZY(s, t, k) is TRUE when some substring of s is within distance k of t.
// EQUALS_FUZZY and CONTAINS_FUZZY fold ASCII case and count bytes; the _UNICODE variants fold
// Unicode case and count code points. The original computed an approximation with a fixed
// look-ahead, so results can differ from it on strings with many edits close together; ours
// is the exact distance. k must be a non-negative integer; a non-string s or t gives MISSING.
func init() {
	for _, f := range []struct {
		name     string
		contains bool
		unicode  bool
	}{
		{"EQUALS_FUZZY", false, false},
		{"EQUALS_FUZZY_UNICODE", false, true},
		{"CONTAINS_FUZZY", true, false},
		{"CONTAINS_FUZZY_UNICODE", true, true},
	} {
		contains, uni := f.contains, f.unicode
		RegisterFunc(&Func{
			Name: f.name, MinArgs: 3, MaxArgs: 3,
			Eval: func(c *Ctx, args []Value) Value {
				if args[0].k != KString || args[1].k != KString {
					return Missing()
				}
				k, ok := intArg(args[2])
				if !ok || k < 0 {
					return Missing()
				}
				a, b := foldRunes(args[0].b, uni), foldRunes(args[1].b, uni)
				return Bool(fuzzyWithin(a, b, int(min(k, 1<<20)), contains))
			},
			Check: func(consts []Value, isConst []bool) error {
				if len(isConst) == 3 && isConst[2] {
					if k, ok := intArg(consts[2]); !ok || k < 0 {
						return errors.New("the distance of a fuzzy comparison must be a non-negative integer")
					}
				}
				return nil
			},
		})
	}
}

// foldRunes decodes s into case-folded characters: code points (uni) or bytes.
func foldRunes(s []byte, uni bool) []rune {
	out := make([]rune, 0, len(s))
	if !uni {
		for _, c := range s {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, rune(c))
		}
		return out
	}
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		out = append(out, unicode.ToLower(unicode.ToUpper(r)))
		s = s[size:]
	}
	return out
}

// fuzzyWithin reports whether the (unrestricted) Damerau-Levenshtein distance between hay and
// needle is at most k; with sub, whether some substring of hay is. It is the Lowrance-Wagner
// dynamic program with the haystack along the rows; because only distances up to k matter,
// it keeps the last k+2 rows (a transposition reaching further back costs more than k).
func fuzzyWithin(hay, needle []rune, k int, sub bool) bool {
	if !sub && absInt(len(hay)-len(needle)) > k {
		return false
	}
	m := len(needle)
	if m == 0 {
		return sub || len(hay) <= k
	}
	inf := k + 1
	ring := k + 3
	rows := make([][]int, ring)
	for i := range rows {
		rows[i] = make([]int, m+1)
	}
	row := func(i int) []int { return rows[i%ring] }
	// row 0: the empty haystack prefix against needle[:j]
	for j := 0; j <= m; j++ {
		row(0)[j] = min(j, inf)
	}
	lastRow := map[rune]int{} // last haystack row holding a character
	best := row(0)[m]
	for i := 1; i <= len(hay); i++ {
		cur, prev := row(i), row(i-1)
		if sub {
			cur[0] = 0
		} else {
			cur[0] = min(i, inf)
		}
		lastCol := 0 // last column in this row where needle[j-1] == hay[i-1]
		for j := 1; j <= m; j++ {
			kRow := lastRow[needle[j-1]]
			lCol := lastCol
			cost := 1
			if hay[i-1] == needle[j-1] {
				cost = 0
				lastCol = j
			}
			d := min(prev[j-1]+cost, cur[j-1]+1, prev[j]+1)
			if kRow > 0 && lCol > 0 && i-kRow <= k+1 {
				t := row(kRow - 1)[lCol-1] + (i - kRow - 1) + 1 + (j - lCol - 1)
				d = min(d, t)
			}
			cur[j] = min(d, inf)
		}
		lastRow[hay[i-1]] = i
		if sub {
			best = min(best, cur[m])
		} else {
			best = cur[m]
		}
	}
	return best <= k
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
