package ion

import (
	"unicode/utf8"
)

// Unmarshal reads the system values at the start of b: binary version markers (each resets
// the table to the system symbols), NOP pads, and local symbol tables, either new ones (which
// replace the table) or appending ones (`imports: $ion_symbol_table`, which extend it). It
// stops before the first user value and returns the bytes from there. Errors carry offsets
// relative to b.
func (s *Symtab) Unmarshal(b []byte) ([]byte, error) {
	off := 0
	for len(b) > 0 {
		if b[0] == 0xe0 {
			if err := checkBVM(b); err != nil {
				return nil, shift(err, off)
			}
			s.Reset()
			b = b[4:]
			off += 4
			continue
		}
		h, err := ReadHead(b)
		if err != nil {
			return nil, shift(err, off)
		}
		n := h.Size()
		if h.IsPad() {
			b = b[n:]
			off += n
			continue
		}
		if h.Type != AnnotationType {
			break
		}
		ok, err := s.readTable(b[:n])
		if err != nil {
			return nil, shift(err, off)
		}
		if !ok {
			break
		}
		b = b[n:]
		off += n
	}
	return b, nil
}

// checkBVM checks a top-level value that starts with 0xE0, which must be a version marker.
func checkBVM(b []byte) error {
	if len(b) < 4 {
		return errTrunc(0, "version marker")
	}
	if !IsBVM(b) {
		return errf(0, ErrInvalid, "unsupported Ion version marker %02x %02x %02x %02x", b[0], b[1], b[2], b[3])
	}
	return nil
}

// IsSymbolTable reports whether the top-level value v (header included) is a local symbol
// table: a struct whose first annotation is $ion_symbol_table.
func IsSymbolTable(v []byte) bool {
	if len(v) == 0 || Type(v[0]>>4) != AnnotationType {
		return false
	}
	annots, value, _, err := Unannotate(v)
	if err != nil {
		return false
	}
	first, _, err := ReadLabel(annots)
	return err == nil && first == SymbolIonSymbolTable && TypeOf(value) == StructType
}

// readTable applies the annotated top-level value v if it is a local symbol table and reports
// whether it was one.
func (s *Symtab) readTable(v []byte) (bool, error) {
	annots, value, _, err := Unannotate(v)
	if err != nil {
		return false, err
	}
	first, _, err := ReadLabel(annots)
	if err != nil {
		return false, shift(err, len(v)-len(value)-len(annots))
	}
	vh, err := ReadHead(value)
	if err != nil || first != SymbolIonSymbolTable || vh.Type != StructType {
		return false, nil // a user value; the caller validates it
	}
	voff := len(v) - len(value)
	if vh.IsNull() {
		s.Reset()
		return true, nil
	}
	var imports, symbols []byte
	var importsOff, symbolsOff int
	it, err := Fields(value)
	if err != nil {
		return false, shift(err, voff)
	}
	for it.Next() {
		switch it.Symbol() {
		case SymbolImports:
			if imports != nil {
				return false, errf(voff+it.Offset(), ErrInvalid, "local symbol table with more than one imports field")
			}
			imports, importsOff = it.Value(), voff+it.Offset()
		case SymbolSymbols:
			if symbols != nil {
				return false, errf(voff+it.Offset(), ErrInvalid, "local symbol table with more than one symbols field")
			}
			symbols, symbolsOff = it.Value(), voff+it.Offset()
		default:
			if err := validateFree(it.Value(), 1); err != nil {
				return false, shift(err, voff+it.Offset())
			}
		}
	}
	if err := it.Err(); err != nil {
		return false, shift(err, voff)
	}
	// imports first, whatever the field order
	appendMode := false
	if imports != nil {
		ih, _ := ReadHead(imports)
		switch {
		case ih.Type == SymbolType && !ih.IsNull():
			sym, _, err := ReadSymbol(imports)
			if err != nil {
				return false, shift(err, importsOff)
			}
			appendMode = sym == SymbolIonSymbolTable
		case ih.Type == ListType && !ih.IsNull():
			// handled below, after the reset
		default:
			if err := validateFree(imports, 1); err != nil {
				return false, shift(err, importsOff)
			}
		}
	}
	if !appendMode {
		s.Reset()
		if imports != nil && TypeOf(imports) == ListType {
			if err := s.readImports(imports); err != nil {
				return false, shift(err, importsOff)
			}
		}
	}
	if symbols == nil {
		return true, nil
	}
	sh, _ := ReadHead(symbols)
	if sh.Type != ListType || sh.IsNull() {
		return true, shift(validateFree(symbols, 1), symbolsOff)
	}
	el, err := Elements(symbols)
	if err != nil {
		return false, shift(err, symbolsOff)
	}
	for el.Next() {
		if s.Len() >= maxSymbols {
			return false, errf(symbolsOff+el.Offset(), ErrTooLarge, "symbol table beyond %d symbols", maxSymbols)
		}
		h := el.Head()
		if h.Type == StringType && !h.IsNull() {
			str := el.Value()[h.Hdr:h.Size()]
			if !utf8.Valid(str) {
				return false, errf(symbolsOff+el.Offset(), ErrInvalid, "symbol text is not valid UTF-8")
			}
			s.addText(string(str))
			continue
		}
		if err := validateFree(el.Value(), 2); err != nil {
			return false, shift(err, symbolsOff+el.Offset())
		}
		s.addUnknown()
	}
	if err := el.Err(); err != nil {
		return false, shift(err, symbolsOff)
	}
	return true, nil
}

// readImports reserves the IDs of the shared symbol tables a local table imports. Without a
// catalog their text is unknown, so each import must say how many IDs it takes (max_id).
func (s *Symtab) readImports(list []byte) error {
	el, err := Elements(list)
	if err != nil {
		return err
	}
	for el.Next() {
		v := el.Value()
		if err := validateFree(v, 2); err != nil {
			return shift(err, el.Offset())
		}
		h := el.Head()
		if h.Type != StructType || h.IsNull() {
			continue
		}
		var name []byte
		hasName := false
		maxID := int64(-1)
		fi, _ := Fields(v)
		for fi.Next() {
			fh := fi.Head()
			switch fi.Symbol() {
			case SymbolName:
				if fh.Type == StringType && !fh.IsNull() {
					name, hasName = fi.Value()[fh.Hdr:fh.Size()], true
				}
			case SymbolMaxID:
				if fh.Type == UintType && !fh.IsNull() {
					m, _, err := ReadInt(fi.Value())
					if err != nil || m > maxSymbols {
						m = maxSymbols
					}
					maxID = m
				}
			}
		}
		if !hasName || len(name) == 0 || string(name) == "$ion" {
			continue
		}
		if maxID < 0 {
			return errf(el.Offset(), ErrInvalid, "import of shared symbol table %q without max_id (no catalog)", name)
		}
		if int64(s.Len())+maxID > maxSymbols {
			return errf(el.Offset(), ErrTooLarge, "imports beyond %d symbols", maxSymbols)
		}
		s.imported += int(maxID)
	}
	return el.Err()
}
