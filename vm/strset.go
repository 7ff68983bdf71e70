package vm

// strSet is a hash set of (group, string) pairs for the DISTINCT aggregates over string
// columns: strings live in one arena, entries in a slice, and an open-addressing table of
// entry indexes finds them, so adding a row costs one hash probe and no allocation.
type strSet struct {
	slots   []int32 // entry index + 1; 0 is empty
	ents    []strEnt
	arena   []byte
	byGroup [][]int32 // entry indexes of each group
}

type strEnt struct {
	h      uint64
	off, n uint32
	g      uint32
}

func (s *strSet) grow() {
	n := max(1024, 2*len(s.slots))
	slots := make([]int32, n)
	mask := uint64(n - 1)
	for i, e := range s.ents {
		j := e.h & mask
		for slots[j] != 0 {
			j = (j + 1) & mask
		}
		slots[j] = int32(i + 1)
	}
	s.slots = slots
}

// add inserts (g, b) whose hash is h; it reports whether the pair was new.
func (s *strSet) add(g uint32, b []byte, h uint64) bool {
	if 2*(len(s.ents)+1) > len(s.slots) {
		s.grow()
	}
	hg := h ^ uint64(g)*0x9e3779b97f4a7c15
	mask := uint64(len(s.slots) - 1)
	j := hg & mask
	for {
		k := s.slots[j]
		if k == 0 {
			break
		}
		e := &s.ents[k-1]
		if e.h == hg && e.g == g && string(s.arena[e.off:e.off+e.n]) == string(b) {
			return false
		}
		j = (j + 1) & mask
	}
	idx := int32(len(s.ents))
	s.slots[j] = idx + 1
	s.ents = append(s.ents, strEnt{h: hg, off: uint32(len(s.arena)), n: uint32(len(b)), g: g})
	s.arena = append(s.arena, b...)
	for len(s.byGroup) <= int(g) {
		s.byGroup = append(s.byGroup, nil)
	}
	s.byGroup[g] = append(s.byGroup[g], idx)
	return true
}

// group returns the strings of group g.
func (s *strSet) group(g int, fn func(b []byte)) {
	if g >= len(s.byGroup) {
		return
	}
	for _, i := range s.byGroup[g] {
		e := &s.ents[i]
		fn(s.arena[e.off : e.off+e.n])
	}
}

func (s *strSet) size() int64 {
	return int64(cap(s.slots))*4 + int64(cap(s.ents))*24 + int64(cap(s.arena)) + int64(len(s.ents))*4
}
