package vm

// TYPE_BIT(x) is a bit identifying the type of x: 0 MISSING, 1 NULL, 2 bool, 4 number (int,
// float or decimal), 8 timestamp, 16 string (or symbol), 32 list (or s-expression), 64 struct.
// Blobs and clobs, which SQL cannot compute on, are 0. It never returns MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "TYPE_BIT", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value { return Int(typeBit(args[0])) },
	})
}

func typeBit(v Value) int64 {
	switch v.k {
	case KMissing:
		return 0
	case KNull:
		return 1
	case KBool:
		return 2
	case KInt, KFloat:
		return 4
	case KTime:
		return 8
	case KString:
		return 16
	case KList:
		return 32
	case KStruct:
		return 64
	case KOther:
		b := v.Ion()
		if len(b) == 0 {
			return 0
		}
		t := b[0] >> 4
		if t == 0xE && len(b) > 2 { // annotation wrapper: find the wrapped value's type
			return typeBitAnnotated(b)
		}
		return ionTypeBit(t)
	}
	return 0
}

// ionTypeBit maps an Ion binary type code to its TYPE_BIT.
func ionTypeBit(t byte) int64 {
	switch t {
	case 0x0:
		return 1 // a typed null of no further interest counts as NULL
	case 0x1:
		return 2
	case 0x2, 0x3, 0x4, 0x5:
		return 4
	case 0x6:
		return 8
	case 0x7, 0x8:
		return 16
	case 0xB, 0xC:
		return 32
	case 0xD:
		return 64
	}
	return 0
}

// typeBitAnnotated skips an Ion annotation wrapper (length, annotation list) to the value.
func typeBitAnnotated(b []byte) int64 {
	i := 1
	if b[0]&0x0F == 0x0E { // the wrapper's own length is a VarUInt
		for i < len(b) && b[i]&0x80 == 0 {
			i++
		}
		i++
	}
	// annot_length VarUInt, then that many bytes of symbol IDs
	n := 0
	for i < len(b) {
		c := b[i]
		i++
		n = n<<7 | int(c&0x7F)
		if c&0x80 != 0 || n > len(b) {
			break
		}
	}
	i += n
	if i >= len(b) {
		return 0
	}
	return ionTypeBit(b[i] >> 4)
}
