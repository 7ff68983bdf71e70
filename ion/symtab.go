package ion

import "sync/atomic"

// Symtab is a symbol table: the Ion system symbols followed by local symbols. The zero Symtab
// holds only the system symbols and is ready to use. A Symtab is not safe for concurrent
// mutation; Clone it to hand a snapshot to another goroutine.
type Symtab struct {
	// imported is the number of IDs after the system symbols that come from imported shared
	// tables, whose text is unknown without a catalog.
	imported int
	texts    []string          // local symbols: texts[i] is Symbol(SystemSymbols+imported+i)
	index    map[string]Symbol // text → lowest ID with that text (system symbols included)
	unknown  []uint64          // bit i set: texts[i] is unknown (a null slot of a table)
	// gen changes whenever IDs may change meaning (Reset, Truncate, reading a new table), so
	// caches keyed by ID (such as JSONWriter's) know when to start over; interning only adds.
	gen uint64
}

var symtabGen atomic.Uint64

func (s *Symtab) bump() { s.gen = symtabGen.Add(1) }

// maxSymbols bounds the IDs a table may define (imports included).
const maxSymbols = 1 << 31

func (s *Symtab) base() int { return SystemSymbols + s.imported }

func (s *Symtab) init() {
	if s.index != nil {
		return
	}
	s.index = make(map[string]Symbol, 64)
	for i := 1; i < SystemSymbols; i++ {
		s.index[systemText[i]] = Symbol(i)
	}
}

// Len returns the number of symbol IDs defined, system symbols ($0..$9) included: every ID
// below Len is defined, and the next interned symbol gets ID Len.
func (s *Symtab) Len() int { return s.base() + len(s.texts) }

// Reset forgets the local symbols, leaving the system symbols.
func (s *Symtab) Reset() {
	s.bump()
	s.imported = 0
	s.texts = s.texts[:0]
	s.unknown = s.unknown[:0]
	if s.index != nil && len(s.index) > SystemSymbols-1 {
		clear(s.index)
		for i := 1; i < SystemSymbols; i++ {
			s.index[systemText[i]] = Symbol(i)
		}
	}
}

// Truncate forgets the symbols with IDs at or above n (n >= SystemSymbols), undoing the
// interning done since Len was n.
func (s *Symtab) Truncate(n int) {
	if n < s.base() {
		n = s.base()
	}
	if n >= s.Len() {
		return
	}
	s.bump()
	for i := n - s.base(); i < len(s.texts); i++ {
		id := Symbol(s.base() + i)
		if s.index[s.texts[i]] == id {
			delete(s.index, s.texts[i])
		}
		s.setUnknown(i, false)
	}
	s.texts = s.texts[:n-s.base()]
}

// Intern returns the ID of the symbol with text str, adding it if it is new.
func (s *Symtab) Intern(str string) Symbol {
	if sym, ok := s.index[str]; ok {
		return sym
	}
	s.init()
	if sym, ok := s.index[str]; ok {
		return sym
	}
	return s.add(str)
}

// InternBytes is Intern for text given as bytes; it does not allocate when the symbol exists.
func (s *Symtab) InternBytes(b []byte) Symbol {
	if sym, ok := s.index[string(b)]; ok {
		return sym
	}
	s.init()
	if sym, ok := s.index[string(b)]; ok {
		return sym
	}
	return s.add(string(b))
}

func (s *Symtab) add(str string) Symbol {
	sym := Symbol(s.Len())
	s.texts = append(s.texts, str)
	s.index[str] = sym
	return sym
}

// Lookup returns the ID of the symbol with text str, without interning it.
func (s *Symtab) Lookup(str string) (Symbol, bool) {
	if s.index == nil {
		for i := 1; i < SystemSymbols; i++ {
			if systemText[i] == str {
				return Symbol(i), true
			}
		}
		return 0, false
	}
	sym, ok := s.index[str]
	return sym, ok
}

// LookupBytes is Lookup for text given as bytes.
func (s *Symtab) LookupBytes(b []byte) (Symbol, bool) {
	if s.index == nil {
		return s.Lookup(string(b))
	}
	sym, ok := s.index[string(b)]
	return sym, ok
}

// Get returns the text of sym. It reports false for IDs beyond the table and for symbols whose
// text is unknown ($0, null slots of a local symbol table, unresolved imports).
func (s *Symtab) Get(sym Symbol) (string, bool) {
	if sym < SystemSymbols {
		return systemText[sym], sym != 0
	}
	i := int(sym) - s.base()
	if i < 0 || i >= len(s.texts) {
		return "", false
	}
	if s.isUnknown(i) {
		return "", false
	}
	return s.texts[i], true
}

// Defined reports whether sym is an ID of the table (whether or not its text is known).
func (s *Symtab) Defined(sym Symbol) bool { return int(sym) < s.Len() }

// Clone returns an independent copy of s.
func (s *Symtab) Clone() *Symtab {
	c := &Symtab{imported: s.imported, texts: append([]string(nil), s.texts...)}
	if s.index != nil {
		c.index = make(map[string]Symbol, len(s.index))
		for k, v := range s.index {
			c.index[k] = v
		}
	}
	c.unknown = append([]uint64(nil), s.unknown...)
	return c
}

// Equal reports whether s and t define the same symbols.
func (s *Symtab) Equal(t *Symtab) bool {
	if s.imported != t.imported || len(s.texts) != len(t.texts) {
		return false
	}
	for i := range s.texts {
		if s.texts[i] != t.texts[i] || s.isUnknown(i) != t.isUnknown(i) {
			return false
		}
	}
	return true
}

func (s *Symtab) isUnknown(i int) bool {
	w := i >> 6
	return w < len(s.unknown) && s.unknown[w]&(1<<(i&63)) != 0
}

func (s *Symtab) setUnknown(i int, v bool) {
	w := i >> 6
	if !v {
		if w < len(s.unknown) {
			s.unknown[w] &^= 1 << (i & 63)
		}
		return
	}
	for len(s.unknown) <= w {
		s.unknown = append(s.unknown, 0)
	}
	s.unknown[w] |= 1 << (i & 63)
}

// addUnknown appends a symbol with unknown text (a null slot of a local symbol table).
func (s *Symtab) addUnknown() {
	s.init()
	s.setUnknown(len(s.texts), true)
	s.texts = append(s.texts, "")
}

// addText appends a symbol read from a local symbol table; the index keeps the lowest ID of a
// text that appears twice.
func (s *Symtab) addText(str string) {
	s.init()
	sym := Symbol(s.Len())
	s.texts = append(s.texts, str)
	if _, ok := s.index[str]; !ok {
		s.index[str] = sym
	}
}

// Marshal writes s to dst as a local symbol table, `$ion_symbol_table::{symbols:[...]}`,
// preceded by a binary version marker if bvm is set. A reader that meets it replaces whatever
// table was in force.
func (s *Symtab) Marshal(dst *Buffer, bvm bool) {
	if bvm {
		dst.WriteBVM()
	}
	s.marshal(dst, SystemSymbols)
}

// MarshalSince writes the symbols with IDs at or above since (a value Len returned earlier) as
// an appending local symbol table, `$ion_symbol_table::{imports:$ion_symbol_table,
// symbols:[...]}`, which extends the table in force. It writes nothing if there are no such
// symbols, and a full table (as Marshal without a version marker) if since <= SystemSymbols.
func (s *Symtab) MarshalSince(dst *Buffer, since int) {
	if since >= s.Len() {
		return
	}
	s.marshal(dst, since)
}

func (s *Symtab) marshal(dst *Buffer, since int) {
	if since < SystemSymbols {
		since = SystemSymbols
	}
	size := 0
	for _, t := range s.texts[max(since-s.base(), 0):] {
		size += headerSize(len(t)) + len(t)
	}
	dst.BeginAnnotation(SymbolIonSymbolTable)
	dst.BeginStruct(size + 8)
	if since > SystemSymbols {
		dst.BeginField(SymbolImports)
		dst.WriteSymbol(SymbolIonSymbolTable)
	}
	if since < s.Len() {
		dst.BeginField(SymbolSymbols)
		dst.BeginList(size)
		// imported symbols of unknown text become null slots
		for id := since; id < s.base(); id++ {
			dst.WriteNull()
		}
		for i := max(since-s.base(), 0); i < len(s.texts); i++ {
			if s.isUnknown(i) {
				dst.WriteNull()
			} else {
				dst.WriteString(s.texts[i])
			}
		}
		dst.EndList()
	}
	dst.EndStruct()
	dst.EndAnnotation()
}
