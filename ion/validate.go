package ion

import "unicode/utf8"

// Validate checks that v starts with one complete, well-formed value, all the way down: the
// rules of every type (no negative int zero, calendar-valid timestamps, UTF-8 strings, sound
// annotation wrappers, ...), nesting within MaxDepth, and, if st is not nil, symbol IDs (values,
// field names, annotations) that st defines. It returns the size of the value. Errors carry
// offsets relative to v.
func Validate(v []byte, st *Symtab) (int, error) {
	h, err := ReadHead(v)
	if err != nil {
		return 0, err
	}
	if h.IsPad() {
		return 0, errf(0, ErrInvalid, "NOP pad where a value is expected")
	}
	return h.Size(), validateValue(v[:h.Size()], h, st, 0)
}

func validateFree(v []byte, depth int) error {
	h, err := ReadHead(v)
	if err != nil {
		return err
	}
	return validateValue(v[:h.Size()], h, nil, depth)
}

func checkSym(st *Symtab, sym Symbol, off int, what string) error {
	if st != nil && !st.Defined(sym) {
		return errf(off, ErrSymbol, "%s symbol ID %d not in the symbol table (max ID %d)", what, sym, st.Len()-1)
	}
	return nil
}

// validateValue checks the value v (exactly one value, whose head is h).
func validateValue(v []byte, h Head, st *Symtab, depth int) error {
	if h.IsNull() {
		return nil
	}
	body := v[h.Hdr:]
	switch h.Type {
	case IntType:
		for _, c := range body {
			if c != 0 {
				return nil
			}
		}
		return errf(0, ErrInvalid, "negative int zero")
	case DecimalType:
		if len(body) > 0 {
			_, _, n := readVarInt(body)
			if n <= 0 {
				return shift(varFieldErr(n, 0, "decimal exponent"), h.Hdr)
			}
		}
	case TimestampType:
		if _, err := decodeTimestamp(body); err != nil {
			return shift(err, h.Hdr)
		}
	case SymbolType:
		sym, _, err := ReadSymbol(v)
		if err != nil {
			return err
		}
		return checkSym(st, sym, 0, "value")
	case StringType:
		if !utf8.Valid(body) {
			return errf(0, ErrInvalid, "string is not valid UTF-8")
		}
	case ListType, SexpType:
		if depth >= MaxDepth {
			return errf(0, ErrTooDeep, "nesting deeper than %d", MaxDepth)
		}
		it := bodyElems(body, h.Hdr)
		for it.Next() {
			if err := validateValue(it.Value(), it.Head(), st, depth+1); err != nil {
				return shift(err, it.Offset())
			}
		}
		return it.Err()
	case StructType:
		if depth >= MaxDepth {
			return errf(0, ErrTooDeep, "nesting deeper than %d", MaxDepth)
		}
		it := bodyFields(body, h.Hdr)
		for it.Next() {
			if err := checkSym(st, it.Symbol(), it.nameOffset(), "field name"); err != nil {
				return err
			}
			if err := validateValue(it.Value(), it.Head(), st, depth+1); err != nil {
				return shift(err, it.Offset())
			}
		}
		return it.Err()
	case AnnotationType:
		annots, value, _, err := Unannotate(v)
		if err != nil {
			return err
		}
		aoff := len(v) - len(value) - len(annots)
		for a := annots; len(a) > 0; {
			sym, rest, err := ReadLabel(a)
			if err != nil {
				return shift(err, aoff+len(annots)-len(a))
			}
			if err := checkSym(st, sym, aoff+len(annots)-len(a), "annotation"); err != nil {
				return err
			}
			a = rest
		}
		vh, _ := ReadHead(value)
		return shift(validateValue(value, vh, st, depth+1), len(v)-len(value))
	}
	return nil
}
