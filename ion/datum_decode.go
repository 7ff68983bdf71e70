package ion

import "unicode/utf8"

// DecodeDatum decodes the value at the start of b into a tree, resolving symbols with st, and
// returns the bytes after it. It checks everything Validate checks. Errors carry offsets
// relative to b.
func DecodeDatum(b []byte, st *Symtab) (Datum, []byte, error) {
	h, err := ReadHead(b)
	if err != nil {
		return Datum{}, nil, err
	}
	if h.IsPad() {
		return Datum{}, nil, errf(0, ErrInvalid, "NOP pad where a value is expected")
	}
	n := h.Size()
	d, err := decodeDatum(b[:n], h, st, 0)
	if err != nil {
		return Datum{}, nil, err
	}
	return d, b[n:], nil
}

// DecodeAll decodes every user value of the Ion stream b (version markers, symbol tables and
// NOP pads are consumed as a Reader does).
func DecodeAll(b []byte) ([]Datum, error) {
	r := NewBytesReader(b)
	var out []Datum
	for r.Next() {
		d, _, err := DecodeDatum(r.Value(), r.Symtab())
		if err != nil {
			return out, AddOffset(err, r.Offset())
		}
		out = append(out, d)
	}
	return out, r.Err()
}

func symToken(st *Symtab, sym Symbol, off int, what string) (SymbolToken, error) {
	if sym == 0 {
		return SymbolToken{Unknown: true}, nil
	}
	if st == nil {
		st = &Symtab{}
	}
	if !st.Defined(sym) {
		return SymbolToken{}, errf(off, ErrSymbol, "%s symbol ID %d not in the symbol table (max ID %d)", what, sym, st.Len()-1)
	}
	text, ok := st.Get(sym)
	if !ok {
		return SymbolToken{Unknown: true}, nil
	}
	return SymbolToken{Text: text}, nil
}

func decodeDatum(v []byte, h Head, st *Symtab, depth int) (Datum, error) {
	if h.IsNull() {
		if h.Type == NullType {
			return Null(), nil
		}
		return TypedNull(h.Type), nil
	}
	body := v[h.Hdr:]
	switch h.Type {
	case BoolType:
		return Bool(h.L == 1), nil
	case UintType, IntType:
		if h.Type == UintType && len(body) <= 8 {
			return Uint(readUint(body)), nil
		}
		i, _, err := ReadBigInt(v)
		if err != nil {
			return Datum{}, err
		}
		return BigInt(i), nil
	case FloatType:
		f, _, err := ReadFloat(v)
		return Float(f), err
	case DecimalType:
		d, err := decodeDecimal(body)
		return DecimalValue(d), shift(err, h.Hdr)
	case TimestampType:
		t, err := decodeTimestamp(body)
		return TimestampValue(t), shift(err, h.Hdr)
	case SymbolType:
		sym, _, err := ReadSymbol(v)
		if err != nil {
			return Datum{}, err
		}
		tok, err := symToken(st, sym, 0, "value")
		if err != nil {
			return Datum{}, err
		}
		return Datum{typ: SymbolType, s: tok.Text, unknown: tok.Unknown}, nil
	case StringType:
		if !utf8.Valid(body) {
			return Datum{}, errf(0, ErrInvalid, "string is not valid UTF-8")
		}
		return String(string(body)), nil
	case ClobType:
		return Clob(body), nil
	case BlobType:
		return Blob(body), nil
	case ListType, SexpType:
		if depth >= MaxDepth {
			return Datum{}, errf(0, ErrTooDeep, "nesting deeper than %d", MaxDepth)
		}
		d := Datum{typ: h.Type}
		it := bodyElems(body, h.Hdr)
		for it.Next() {
			e, err := decodeDatum(it.Value(), it.Head(), st, depth+1)
			if err != nil {
				return Datum{}, shift(err, it.Offset())
			}
			d.items = append(d.items, e)
		}
		return d, it.Err()
	case StructType:
		if depth >= MaxDepth {
			return Datum{}, errf(0, ErrTooDeep, "nesting deeper than %d", MaxDepth)
		}
		d := Datum{typ: StructType}
		it := bodyFields(body, h.Hdr)
		for it.Next() {
			name, err := symToken(st, it.Symbol(), it.nameOffset(), "field name")
			if err != nil {
				return Datum{}, err
			}
			e, err := decodeDatum(it.Value(), it.Head(), st, depth+1)
			if err != nil {
				return Datum{}, shift(err, it.Offset())
			}
			d.fields = append(d.fields, Field{Name: name, Value: e})
		}
		return d, it.Err()
	case AnnotationType:
		annots, value, _, err := Unannotate(v)
		if err != nil {
			return Datum{}, err
		}
		aoff := len(v) - len(value) - len(annots)
		var toks []SymbolToken
		for a := annots; len(a) > 0; {
			sym, rest, err := ReadLabel(a)
			if err != nil {
				return Datum{}, shift(err, aoff+len(annots)-len(a))
			}
			tok, err := symToken(st, sym, aoff+len(annots)-len(a), "annotation")
			if err != nil {
				return Datum{}, err
			}
			toks = append(toks, tok)
			a = rest
		}
		vh, _ := ReadHead(value)
		d, err := decodeDatum(value, vh, st, depth+1)
		if err != nil {
			return Datum{}, shift(err, len(v)-len(value))
		}
		d.annots = toks
		return d, nil
	}
	return Datum{}, errf(0, ErrInvalid, "invalid type descriptor 0x%02x", v[0])
}
